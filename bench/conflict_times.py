"""Time expressions on real cease-fire reporting: the 30 conflict-news openings.

Usage (from the repository root)::

    .venv/bin/python bench/conflict_times.py            # score against the gold reading
    .venv/bin/python bench/conflict_times.py --list     # every time found, with its value and context
    .venv/bin/python bench/conflict_times.py --errors   # the score, then each disagreement

The texts are read at run time from ``../shared/eval/conflict-news/reports.jsonl``
(the script stops with a message when that folder is absent). The gold reading,
``bench/gold/conflict_news_times.json``, is a fogwatch engineer's reading of the
time expressions in those texts: report ids, character offsets and TIMEX3
values only, never any of the words. Scoring is ``bench/timex.py``'s: strict
and relaxed span F1, value accuracy over relaxed matches and value P/R/F1.
The pipeline runs only as far as the times stage.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path

from fogwatch.pipeline import Pipeline
from fogwatch.report import Report

ROOT = Path(__file__).resolve().parents[1]
REPORTS = ROOT.parent / "shared" / "eval" / "conflict-news" / "reports.jsonl"
GOLD = ROOT / "bench" / "gold" / "conflict_news_times.json"
# Characters of context shown on each side of an expression by --list.
CONTEXT = 50


def _timex_bench():
    """bench/timex.py's scorer and table (the bench folder is not a package)."""
    spec = importlib.util.spec_from_file_location("bench_timex", ROOT / "bench" / "timex.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_timex", module)
    spec.loader.exec_module(module)
    return module


def read_reports(path: Path = REPORTS) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def tag_reports(rows: list[dict]) -> list[Report]:
    pipeline = Pipeline.from_names(["chrome", "parse", "times"])
    reports = [Report(text=r["text"], published=r["published"], origin=r["id"]) for r in rows]
    return list(pipeline.pipe(reports, batch_size=8))


def _snippet(text: str, start: int, end: int) -> str:
    left = text[max(0, start - CONTEXT) : start].replace("\n", " ")
    right = text[end : end + CONTEXT].replace("\n", " ")
    return f"{left}[[{text[start:end]}]]{right}"


def list_times(rows: list[dict], reports: list[Report]) -> None:
    for row, report in zip(rows, reports):
        print(f"\n== {row['id']} (published {row['published']})")
        for t in report.times:
            where = _snippet(row["text"], t.start, t.end)
            print(f"  {t.start:>5}-{t.end:<5} {t.value!s:<20} {t.mod or '':<6} {where}")


def score_reports(rows: list[dict], reports: list[Report], gold_path: Path, show_errors: bool) -> None:
    bench = _timex_bench()
    gold = json.loads(gold_path.read_text(encoding="utf-8"))["reports"]
    total = bench.Score()
    for row, report in zip(rows, reports):
        items = [(g["start"], g["end"], g["value"]) for g in gold.get(row["id"], [])]
        system = [(t.start, t.end, t.value) for t in report.times]
        doc_score, errors = bench.score(items, system)
        total.add(doc_score)
        if show_errors and errors:
            print(f"== {row['id']} (published {row['published']})")
            for error in sorted(errors, key=lambda e: e[1]):
                print("  ", bench._explain(error, row["text"]))
    bench.print_table({"conflict": total})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--list", action="store_true", help="list every time expression found")
    parser.add_argument("--errors", action="store_true", help="print each disagreement with the gold")
    parser.add_argument("--gold", type=Path, default=GOLD)
    args = parser.parse_args(argv)
    if not REPORTS.is_file():
        print(f"skipped: {REPORTS.parent} is absent (the conflict-news openings live in ../shared/eval)")
        return 0
    rows = read_reports()
    reports = tag_reports(rows)
    if args.list:
        list_times(rows, reports)
        return 0
    score_reports(rows, reports, args.gold, args.errors)
    return 0


if __name__ == "__main__":
    sys.exit(main())
