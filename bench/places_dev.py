"""List every place the places stage finds in the conflict-news development reports, for reading by hand.

    python bench/places_dev.py [../shared/eval/conflict-news/reports.jsonl] [--id EPISODE/OUTLET]

Each line: report id, offsets, the words with some context, and what they resolved to
(name, country, admin1, feature, GeoNames id). The reports are not annotated per place,
so the check is a reading: the figures in RESULTS.md count the lines judged wrong.
The texts are read at run time and never stored in the project.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from fogwatch.pipeline import Pipeline
from fogwatch.report import Report

DEFAULT = Path(__file__).resolve().parents[1] / ".." / "shared" / "eval" / "conflict-news" / "reports.jsonl"
CONTEXT = 40  # characters of text shown on each side of a mention


def read_reports(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def describe(place) -> str:
    if not place.resolved:
        named = getattr(place, "in_name", None)
        inside = f" | in {place.country} {getattr(place, 'admin1_name', None) or ''}" if place.country else ""
        return "UNRESOLVED" + inside.rstrip() + (f" | in name: {named}" if named else "")
    admin = getattr(place, "admin1_name", None) or getattr(place, "admin1", None) or "-"
    named = getattr(place, "in_name", None)
    inside = f" | in name: {named}" if named else ""
    return f"{place.name} | {place.country} | {admin} | {place.feature} | {place.geonameid}{inside}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path, nargs="?", default=DEFAULT)
    parser.add_argument("--id", default=None, help="only the report with this id")
    args = parser.parse_args(argv)
    if not args.file.is_file():
        print(f"no such file: {args.file} (the data lives in ../shared/eval/conflict-news/)", file=sys.stderr)
        return 2
    rows = [r for r in read_reports(args.file) if args.id is None or r["id"] == args.id]
    pipeline = Pipeline.from_names(["chrome", "parse", "places"])
    reports = pipeline.pipe(
        Report(text=r["text"], outlet=r.get("outlet"), published=r.get("published"))
        for r in rows
    )
    total = 0
    for row, report in zip(rows, reports):
        text = row["text"]
        for p in report.places:
            left = text[max(0, p.start - CONTEXT) : p.start].replace("\n", " ")
            right = text[p.end : p.end + CONTEXT].replace("\n", " ")
            print(f"{row['id']}\t{p.start}\t{left}[[{p.text}]]{right}\t{describe(p)}")
            total += 1
    print(f"# {len(rows)} reports, {total} place mentions", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
