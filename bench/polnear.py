"""Score the claims layer on a PolNeAR-format folder: source, cue and content spans.

Usage::

    python bench/polnear.py ../shared/eval/polnear/dev [--limit N] [--out DIR]

The folder holds ``text/NAME.txt`` and ``attributions/NAME_ANNOTATOR.ann``
(brat standoff: ``T`` lines are Source/Cue/Content/Attribution spans, possibly
discontinuous ``a b;c d``; ``E`` lines link them). Where an article has several
annotators' files, the file whose annotator id sorts first is used (a fixed,
documented rule; the two such dev articles are annotator-training documents).

Predictions are mapped to PolNeAR's conventions:
- claims that share a cue are one attribution (the stage emits one claim per
  coordinated source), its source span running over all of them, plus the
  comma that closes an apposition in it ("Brian Fallon, the press secretary,");
- a direct claim's content is the quotations inside its content span (a
  quotation split around "he said", or continued in the next sentence,
  becomes two fragments); a paraphrase's content is its span minus the source
  and cue words inside it, each fragment stripped of whitespace and edge
  commas/periods;
- PolNeAR attributions do not nest (each token has one label), so a claim
  lying inside another claim's content is dropped.

Scores: exact match of the (possibly discontinuous) span per role; exact
match per fragment (each contiguous piece of a role is one unit, as a BIO
tagger's spans are scored: the convention of the reference tagger figures and
of sequence-labelling results on PolNeAR); and a token-overlap variant
(per-token precision/recall of the role labels, tokens being
whitespace-separated words). ``--out`` writes one brat ``.ann`` file per
article so the predictions can be scored elsewhere.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

from fogwatch.pipeline import Pipeline
from fogwatch.quotes import Quote, find_quotes
from fogwatch.report import Claim, Report

ROLES = ("Source", "Cue", "Content")
STAGES = ("chrome", "parse", "actors", "places", "claims")
_EDGE = " \t\r\n,.;:"
_WORD = re.compile(r"\S+")

Frag = tuple[tuple[int, int], ...]


def read_gold(path: Path) -> list[dict[str, Frag]]:
    """Attributions of one .ann file as {role: fragments}."""
    spans: dict[str, tuple[str, Frag]] = {}
    relations: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            label, _, offsets = parts[1].partition(" ")
            frags = tuple(tuple(int(x) for x in piece.split()) for piece in offsets.split(";"))
            spans[parts[0]] = (label, frags)  # type: ignore[assignment]
        elif line.startswith("E") and len(parts) >= 2:
            relations.append(dict(item.split(":", 1) for item in parts[1].split()))
    out = []
    for rel in relations:
        out.append({role: spans[rel[role]][1] for role in ROLES if rel.get(role) in spans})
    return out


def pick_annotations(folder: Path) -> dict[str, Path]:
    """One .ann per article: the annotator id that sorts first."""
    chosen: dict[str, Path] = {}
    for ann in sorted((folder / "attributions").glob("*.ann")):
        name = ann.stem.rsplit("_", 1)[0]
        chosen.setdefault(name, ann)
    return chosen


def strip(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start] in _EDGE:
        start += 1
    while end > start and text[end - 1] in _EDGE:
        end -= 1
    return (start, end) if end > start else None


def to_polnear(text: str, claims: list[Claim]) -> list[dict[str, Frag]]:
    """Claims as PolNeAR attributions (see the module docstring)."""
    quotes = find_quotes(text)
    by_cue: dict[tuple[int, int], list[Claim]] = defaultdict(list)
    for claim in claims:
        by_cue[(claim.cue.start, claim.cue.end)].append(claim)
    groups = list(by_cue.values())
    kept = [g for g in groups if not any(_nested(g[0], o[0]) for o in groups if o is not g)]
    out = []
    for group in kept:
        first = group[0]
        starts = [c.source.start for c in group if c.source.start is not None]
        ends = [c.source.end for c in group if c.source.end is not None]
        holes = [(first.cue.start, first.cue.end)] + ([(min(starts), max(ends))] if starts else [])
        item: dict[str, Frag] = {"Cue": ((first.cue.start, first.cue.end),)}
        if starts:
            item["Source"] = ((min(starts), _closing_comma(text, min(starts), max(ends))),)
        if first.direct:
            item["Content"] = _quoted(text, first.content.start, first.content.end, quotes)
        else:
            item["Content"] = _cut(text, first.content.start, first.content.end, holes)
        if item["Content"]:
            out.append(item)
    return out


def _closing_comma(text: str, start: int, end: int) -> int:
    """PolNeAR's source takes the comma that closes its apposition ("Brian Fallon, the press secretary,")."""
    if "," in text[start:end] and text[end : end + 1] == ",":
        return end + 1
    return end


def _quoted(text: str, start: int, end: int, quotes: list[Quote]) -> Frag:
    """A direct claim's content: the quotations inside it (the words before the first one, "that,", too)."""
    parts = [(max(q.start, start), q.end) for q in quotes if start <= q.start < end]
    if not parts:
        stripped = strip(text, start, end)
        return (stripped,) if stripped else ()
    parts[0] = (start, parts[0][1])
    return tuple(parts)


def _nested(inner: Claim, outer: Claim) -> bool:
    return outer.content.start <= inner.start and inner.end <= outer.content.end


def _cut(text: str, start: int, end: int, holes: list[tuple[int, int]]) -> Frag:
    pieces, pos = [], start
    for h_start, h_end in sorted(holes):
        if h_end <= pos or h_start >= end:
            continue
        pieces.append((pos, h_start))
        pos = max(pos, h_end)
    pieces.append((pos, end))
    stripped = [strip(text, a, b) for a, b in pieces]
    return tuple(p for p in stripped if p is not None)


def tokens_of(text: str, frags: Frag) -> set[int]:
    """Word indices (by start offset) covered by the fragments."""
    return {m.start() for a, b in frags for m in _WORD.finditer(text, a, b)}


class Score:
    def __init__(self) -> None:
        self.exact = {r: [0, 0, 0] for r in ROLES}  # true positives, predicted, gold
        self.fragments = {r: [0, 0, 0] for r in ROLES}
        self.tokens = {r: [0, 0, 0] for r in ROLES}

    def add(self, text: str, gold: list[dict[str, Frag]], pred: list[dict[str, Frag]]) -> None:
        for role in ROLES:
            g = [a[role] for a in gold if role in a]
            p = [a[role] for a in pred if role in a]
            self.exact[role] = _add(self.exact[role], _matched(g, p))
            g_pieces = [(piece,) for frag in g for piece in frag]
            p_pieces = [(piece,) for frag in p for piece in frag]
            self.fragments[role] = _add(self.fragments[role], _matched(g_pieces, p_pieces))
            gt = set().union(*(tokens_of(text, f) for f in g)) if g else set()
            pt = set().union(*(tokens_of(text, f) for f in p)) if p else set()
            self.tokens[role] = _add(self.tokens[role], (len(gt & pt), len(pt), len(gt)))

    @staticmethod
    def prf(counts: list[int]) -> tuple[float, float, float]:
        tp, npred, ngold = counts
        p = tp / npred if npred else 0.0
        r = tp / ngold if ngold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    def table(self) -> str:
        columns = (("exact", self.exact), ("fragment", self.fragments), ("token", self.tokens))
        lines = [f"{'role':8}" + "".join(f" {name + ' P':>11} {'R':>6} {'F1':>6}" for name, _ in columns)]
        for role in ROLES:
            cells = [self.prf(counts[role]) for _, counts in columns]
            lines.append(f"{role:8}" + "".join(f" {p * 100:11.1f} {r * 100:6.1f} {f * 100:6.1f}" for p, r, f in cells))
        return "\n".join(lines)


def _matched(gold: list[Frag], pred: list[Frag]) -> tuple[int, int, int]:
    """(true positives, predicted, gold): each gold unit matches at most one prediction."""
    remaining = list(gold)
    hits = 0
    for unit in pred:
        if unit in remaining:
            remaining.remove(unit)
            hits += 1
    return hits, len(pred), len(gold)


def _add(counts: list[int], more: tuple[int, int, int]) -> list[int]:
    return [x + y for x, y in zip(counts, more)]


def write_ann(path: Path, text: str, attributions: list[dict[str, Frag]]) -> None:
    lines, t = [], 0
    for k, att in enumerate(attributions, 1):
        ids = []
        for role in ROLES:
            if role not in att:
                continue
            t += 1
            offsets = ";".join(f"{a} {b}" for a, b in att[role])
            words = " ".join(text[a:b] for a, b in att[role]).replace("\n", " ")
            lines.append(f"T{t}\t{role} {offsets}\t{words}")
            ids.append(f"{role}:T{t}")
        lines.append(f"E{k}\t" + " ".join(ids))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def score_folder(folder: Path, limit: int = 0, out: Path | None = None) -> tuple[Score, int, int]:
    """Run the claims pipeline over a PolNeAR folder and score it: (the score, articles, words read)."""
    chosen = sorted(pick_annotations(folder).items())
    if limit:
        chosen = chosen[:limit]
    pipeline = Pipeline.from_names(STAGES)
    if out:
        out.mkdir(parents=True, exist_ok=True)
    score, words = Score(), 0
    for name, ann in chosen:
        text = (folder / "text" / f"{name}.txt").read_text(encoding="utf-8")
        report = pipeline(Report(text=text))
        pred = to_polnear(text, report.claims)
        score.add(text, read_gold(ann), pred)
        words += len(text.split())
        if out:
            write_ann(out / f"{name}.ann", text, pred)
    return score, len(chosen), words


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="a PolNeAR folder holding text/ and attributions/")
    parser.add_argument("--limit", type=int, default=0, help="score only the first N articles")
    parser.add_argument("--out", type=Path, help="write predicted .ann files here")
    args = parser.parse_args(argv)
    if not (args.data / "text").is_dir():
        print(f"no PolNeAR data at {args.data} (expected text/ and attributions/)", file=sys.stderr)
        return 2
    began = time.perf_counter()
    score, articles, words = score_folder(args.data, args.limit, args.out)
    elapsed = time.perf_counter() - began
    print(
        f"{articles} articles, {words} words, {elapsed:.1f}s ({words / max(elapsed, 1e-9):.0f} words/s, "
        f"pipeline {', '.join(STAGES)})"
    )
    print(score.table())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
