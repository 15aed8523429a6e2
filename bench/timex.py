"""Score the times layer on TimeML files (TempEval-3 style): recognition and TIMEX3 values.

Usage (from the repository root)::

    .venv/bin/python bench/timex.py ../shared/eval/time            # every corpus folder under it
    .venv/bin/python bench/timex.py ../shared/eval/time --limit 20 # a quick subset per corpus
    .venv/bin/python bench/timex.py ../shared/eval/time --write preds.jsonl
    .venv/bin/python bench/timex.py ../shared/eval/time --spacy-only  # spaCy DATE/TIME alone

Each ``.tml`` file's TIMEX3 and other tags are stripped to plain text with the
offsets of every TIMEX3 kept; the document creation time (the TIMEX3 with
functionInDocument="CREATION_TIME") becomes the report's publication date and
is not scored. The pipeline runs only as far as the times stage.

Metrics follow TempEval-3: strict (same span) and relaxed (overlapping span)
precision/recall/F1; value accuracy over relaxed matches; value P/R/F1 with
the correct values counted over all system and all gold expressions.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from fogwatch.pipeline import Pipeline
from fogwatch.report import Report

_TAG = re.compile(r"<(/?)([A-Za-z0-9_]+)([^>]*)>")
_ATTR = re.compile(r'(\w+)="([^"]*)"')


@dataclass
class Gold:
    """One TimeML document as plain text with its TIMEX3 spans."""

    name: str
    text: str
    dct: str | None
    timexes: list[tuple[int, int, str]] = field(default_factory=list)  # start, end, value


def read_tml(path: Path) -> Gold:
    """Plain text of the TEXT element, TIMEX3 spans in its offsets, and the DCT value."""
    raw = path.read_text(encoding="utf-8")
    dct = None
    for match in re.finditer(r"<TIMEX3([^>]*)>", raw):
        attrs = dict(_ATTR.findall(match.group(1)))
        if attrs.get("functionInDocument") == "CREATION_TIME":
            dct = attrs.get("value")
            break
    body = re.search(r"<TEXT>(.*)</TEXT>", raw, re.DOTALL)
    return _strip(path.stem, body.group(1) if body else "", dct)


def _strip(name: str, body: str, dct: str | None) -> Gold:
    gold = Gold(name, "", dct)
    parts: list[str] = []
    length = 0
    open_timex: tuple[int, str] | None = None
    pos = 0
    for match in _TAG.finditer(body):
        chunk = html.unescape(body[pos : match.start()])
        parts.append(chunk)
        length += len(chunk)
        pos = match.end()
        closing, tag, attrs = match.group(1), match.group(2), match.group(3)
        if tag != "TIMEX3":
            continue
        if not closing:
            open_timex = (length, dict(_ATTR.findall(attrs)).get("value", ""))
        elif open_timex is not None:
            gold.timexes.append((open_timex[0], length, open_timex[1]))
            open_timex = None
    parts.append(html.unescape(body[pos:]))
    gold.text = "".join(parts)
    return gold


@dataclass
class Score:
    gold: int = 0
    system: int = 0
    strict: int = 0
    relaxed: int = 0
    value: int = 0

    def add(self, other: Score) -> None:
        for name in ("gold", "system", "strict", "relaxed", "value"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def prf(self, hits: int) -> tuple[float, float, float]:
        p = hits / self.system if self.system else 0.0
        r = hits / self.gold if self.gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(
    gold: list[tuple[int, int, str]], system: list[tuple[int, int, str | None]]
) -> tuple[Score, list[tuple]]:
    """Match system to gold one-to-one (exact spans first, then overlaps) and count."""
    result = Score(gold=len(gold), system=len(system))
    unmatched = list(range(len(system)))
    pairs: list[tuple[int, int]] = []
    for exact in (True, False):
        for gi, (gs, ge, _) in enumerate(gold):
            if any(p[0] == gi for p in pairs):
                continue
            for si in unmatched:
                ss, se, _ = system[si]
                if (ss, se) == (gs, ge) if exact else (ss < ge and gs < se):
                    pairs.append((gi, si))
                    unmatched.remove(si)
                    break
    errors = []
    for gi, si in pairs:
        gs, ge, gv = gold[gi]
        ss, se, sv = system[si]
        result.relaxed += 1
        result.strict += (gs, ge) == (ss, se)
        result.value += sv == gv
        if sv != gv:
            errors.append(("value", gs, ge, gv, ss, se, sv))
        elif (gs, ge) != (ss, se):
            errors.append(("span", gs, ge, gv, ss, se, sv))
    matched_gold = {gi for gi, _ in pairs}
    errors += [("missed", gs, ge, gv) for gi, (gs, ge, gv) in enumerate(gold) if gi not in matched_gold]
    errors += [("spurious", *system[si]) for si in unmatched]
    return result, errors


def run(folder: Path, pipeline: Pipeline, limit: int | None, spacy_only: bool, out) -> dict[str, Score]:
    scores: dict[str, Score] = {}
    for corpus in sorted(p for p in folder.iterdir() if p.is_dir()):
        files = sorted(corpus.rglob("*.tml"))[:limit]
        if not files:
            continue
        golds = [read_tml(f) for f in files]
        reports = [Report(text=g.text, published=g.dct, origin=g.name) for g in golds]
        total = Score()
        for gold, report in zip(golds, pipeline.pipe(reports, batch_size=16)):
            system = _system_spans(report, spacy_only)
            doc_score, errors = score(gold.timexes, system)
            total.add(doc_score)
            if out is not None:
                row = {
                    "corpus": corpus.name,
                    "doc": gold.name,
                    "dct": gold.dct,
                    "times": [list(s) for s in system],
                    "errors": [_explain(e, gold.text) for e in errors],
                }
                out.write(json.dumps(row) + "\n")
        scores[corpus.name] = total
    return scores


def _explain(error: tuple, text: str) -> list:
    """An error row with the words it is about: kind, gold text, system text, the spans and values."""
    kind, start, end = error[:3]
    if kind in ("value", "span"):
        return [kind, text[start:end], text[error[4] : error[5]], *error[1:]]
    return [kind, text[start:end], *error[1:]]


def _system_spans(report: Report, spacy_only: bool) -> list[tuple[int, int, str | None]]:
    if spacy_only:
        return [(e.start_char, e.end_char, None) for e in report.doc.ents if e.label_ in ("DATE", "TIME")]
    return [(t.start, t.end, t.value) for t in report.times]


def print_table(scores: dict[str, Score]) -> None:
    overall = Score()
    for s in scores.values():
        overall.add(s)
    head = (
        "corpus",
        "gold",
        "sys",
        "strict P",
        "R",
        "F1",
        "relax P",
        "R",
        "F1",
        "val acc",
        "val P",
        "R",
        "F1",
    )
    print(_row(head))
    for name, s in [*scores.items(), ("overall", overall)]:
        acc = s.value / s.relaxed if s.relaxed else 0.0
        figures = [*s.prf(s.strict), *s.prf(s.relaxed), acc, *s.prf(s.value)]
        print(_row((name, str(s.gold), str(s.system), *(f"{100 * f:.2f}" for f in figures))))


def _row(cells: tuple[str, ...]) -> str:
    """One table line: name, counts, then strict | relaxed | value accuracy | value P/R/F1."""
    name, gold, system, *rest = cells
    groups = (rest[0:3], rest[3:6], rest[6:7], rest[7:10])
    return f"{name:<10} {gold:>5} {system:>5} | " + " | ".join(" ".join(f"{c:>8}" for c in g) for g in groups)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "folder", type=Path, help="a folder of corpus folders of .tml files (e.g. ../shared/eval/time)"
    )
    parser.add_argument("--limit", type=int, default=None, help="score only the first N files of each corpus")
    parser.add_argument("--write", type=Path, default=None, help="save predictions and errors as JSON Lines")
    parser.add_argument(
        "--spacy-only", action="store_true", help="score spaCy's DATE/TIME entities alone (recognition)"
    )
    args = parser.parse_args(argv)
    if not args.folder.is_dir():
        print(
            f"no such folder: {args.folder} (the TimeML data lives in ../shared/eval/time)", file=sys.stderr
        )
        return 2
    pipeline = Pipeline.from_names(["chrome", "parse", "times"])
    started = time.perf_counter()
    out = args.write.open("w", encoding="utf-8") if args.write else None
    try:
        scores = run(args.folder, pipeline, args.limit, args.spacy_only, out)
    finally:
        if out is not None:
            out.close()
    print_table(scores)
    print(f"({time.perf_counter() - started:.1f}s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
