"""Score the attribution tagger alone (src/fogwatch/tagger.py) on a PolNeAR-format folder.

Usage::

    python bench/tagger.py ../shared/eval/polnear/dev [--limit N] [--raw] [--model-dir DIR]

Gold: every Source/Cue/Content ``T`` span of the article's first annotator file
(annotator id sorting first, the rule of bench/polnear.py), a discontinuous span
being one unit made of its fragments. Predictions:

- ``spans``: each tagged span is one unit (one fragment);
- ``attributions``: the same, except that the content pieces grouped to one cue
  (``Tagger.attributions``) form one unit, as PolNeAR joins a quotation split
  around ``he said``;
- ``fragments``: spans as in ``spans``, but each fragment of a discontinuous
  gold span counts as a unit of its own (the measure train/polnear_tagger.py
  reports on word pieces, and likely the one behind the reference figures).

Scores: exact match of the unit (all fragments, character offsets) and
token-overlap precision/recall (whitespace words labelled with the role).
``--raw`` scores the decoded spans without boundary fixes and without the
``MIN_SCORE`` cut. Words/s is measured
on one onnxruntime thread over the whole run (whitespace words), by wall
clock and by process CPU time (the fairer figure on a shared, busy machine).
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

from fogwatch.tagger import KINDS, TaggedSpan, group, load_tagger

ROLES = {"Source": "source", "Cue": "cue", "Content": "content"}
_WORD = re.compile(r"\S+")

Unit = tuple[tuple[int, int], ...]


def pick_annotations(folder: Path) -> dict[str, Path]:
    """One .ann per article: the annotator id that sorts first."""
    chosen: dict[str, Path] = {}
    for ann in sorted((folder / "attributions").glob("*.ann")):
        chosen.setdefault(ann.stem.rsplit("_", 1)[0], ann)
    return chosen


def read_gold(path: Path) -> dict[str, list[Unit]]:
    """Gold units per kind from the T lines of one .ann file."""
    out: dict[str, list[Unit]] = {k: [] for k in KINDS}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            label, _, offsets = parts[1].partition(" ")
            if label in ROLES:
                out[ROLES[label]].append(tuple(tuple(int(x) for x in p.split()) for p in offsets.split(";")))  # type: ignore[misc]
    return out


def fragment_units(gold: dict[str, list[Unit]]) -> dict[str, list[Unit]]:
    return {k: [(f,) for unit in units for f in unit] for k, units in gold.items()}


def span_units(spans: list[TaggedSpan]) -> dict[str, list[Unit]]:
    out: dict[str, list[Unit]] = {k: [] for k in KINDS}
    for s in spans:
        out[s.kind].append(((s.start, s.end),))
    return out


def attribution_units(text: str, spans: list[TaggedSpan]) -> dict[str, list[Unit]]:
    """Like span_units, but content pieces grouped to one cue form one unit."""
    out = span_units([s for s in spans if s.kind != "content"])
    grouped = group(spans, text)
    taken = set()
    for attribution in grouped:
        if attribution.content:
            out["content"].append(tuple((c.start, c.end) for c in attribution.content))
            taken.update(attribution.content)
    out["content"] += [((s.start, s.end),) for s in spans if s.kind == "content" and s not in taken]
    return out


def words(text: str, units: list[Unit]) -> set[int]:
    return {m.start() for unit in units for a, b in unit for m in _WORD.finditer(text, a, b)}


class Score:
    """Counts (true positives, predicted, gold) per kind, exact units and words."""

    def __init__(self) -> None:
        self.exact = {k: [0, 0, 0] for k in KINDS}
        self.overlap = {k: [0, 0, 0] for k in KINDS}

    def add(self, text: str, gold: dict[str, list[Unit]], pred: dict[str, list[Unit]]) -> None:
        for kind in KINDS:
            g, p = gold[kind], pred[kind]
            remaining, hits = list(g), 0
            for unit in p:
                if unit in remaining:
                    remaining.remove(unit)
                    hits += 1
            gw, pw = words(text, g), words(text, p)
            self._bump(self.exact[kind], hits, len(p), len(g))
            self._bump(self.overlap[kind], len(gw & pw), len(pw), len(gw))

    @staticmethod
    def _bump(counts: list[int], *values: int) -> None:
        for i, v in enumerate(values):
            counts[i] += v

    @staticmethod
    def prf(counts: list[int]) -> tuple[float, float, float]:
        tp, npred, ngold = counts
        p, r = (tp / npred if npred else 0.0), (tp / ngold if ngold else 0.0)
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    def table(self, title: str) -> str:
        lines = [f"{title:14} {'exact P':>8} {'R':>6} {'F1':>6}   {'overlap P':>9} {'R':>6} {'F1':>6}"]
        for kind in KINDS:
            e, t = self.prf(self.exact[kind]), self.prf(self.overlap[kind])
            lines.append(f"{kind:14} {e[0]*100:8.1f} {e[1]*100:6.1f} {e[2]*100:6.1f}   "
                         f"{t[0]*100:9.1f} {t[1]*100:6.1f} {t[2]*100:6.1f}")
        return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", type=Path, help="a PolNeAR folder with text/ and attributions/")
    parser.add_argument("--limit", type=int, help="score only the first N articles")
    parser.add_argument("--raw", action="store_true", help="no boundary fixes")
    parser.add_argument("--model-dir", type=Path, help="model folder (default: the packaged one)")
    args = parser.parse_args(argv)
    if not (args.data / "attributions").is_dir():
        print(f"no PolNeAR data at {args.data}; skipping", file=sys.stderr)
        return 0
    tagger = load_tagger(args.model_dir, threads=1)
    if tagger is None:
        print("tagger model files missing; see src/fogwatch/data/models/MODEL.md", file=sys.stderr)
        return 1
    tag = tagger.raw_spans if args.raw else tagger.spans
    chosen = sorted(pick_annotations(args.data).items())[: args.limit]
    by_span, by_attr, by_frag, n_words, seconds, cpu = Score(), Score(), Score(), 0, 0.0, 0.0
    for name, ann in chosen:
        text = (args.data / "text" / f"{name}.txt").read_text(encoding="utf-8")
        start, cpu_start = time.perf_counter(), time.process_time()
        spans = tag(text)
        seconds += time.perf_counter() - start
        cpu += time.process_time() - cpu_start
        n_words += len(text.split())
        gold = read_gold(ann)
        by_span.add(text, gold, span_units(spans))
        by_attr.add(text, gold, attribution_units(text, spans))
        by_frag.add(text, fragment_units(gold), span_units(spans))
    print(f"{len(chosen)} articles, {n_words} words, {n_words / max(seconds, 1e-9):.0f} words/s on one thread "
          f"(wall clock), {n_words / max(cpu, 1e-9):.0f} words per CPU second")
    print(by_span.table("spans"))
    print(by_attr.table("attributions"))
    print(by_frag.table("fragments"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
