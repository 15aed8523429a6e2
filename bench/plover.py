"""PLOVER GSR: event type accuracy (and actor match) of the events stage on coded sentences.

    .venv/bin/python bench/plover.py [--limit N] [--errors]

Reads ``../shared/eval/events/PLOVER_GSR_CAMEO.txt`` (323 sentences coded in PLOVER's
older 2016 labels) and maps those labels to PLOVER 2021 with the CAMEO root codes of
``CAMEO2PLOVER-2021.txt`` (DEMAND -> REQUEST, DISAPPROVE and INVESTIGATE -> ACCUSE,
FIGHT -> ASSAULT). Each sentence runs through the whole default pipeline; its main event
is the one whose trigger sits highest in the parse (nearest the root), typed in PLOVER
(fogwatch's extensions fall back to their PLOVER parent; cooperative events that are only
planned count as AGREE, as the codebook asks). Type accuracy counts a sentence with no
event as wrong. Actor match: of the sentences whose gold source has a country code, the
share whose main event has an actor of that country (from the actors layer); likewise
for the gold source's sector (GOV, MIL, REB...) where it is given.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

from fogwatch.extract import default_pipeline
from fogwatch.ontology import OLD_PLOVER_CAMEO_ROOT, plover_type
from fogwatch.report import Event, Report

EVENTS_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "events"
GSR = EVENTS_DIR / "PLOVER_GSR_CAMEO.txt"
TABLE = EVENTS_DIR / "CAMEO2PLOVER-2021.txt"
COOPERATIVE = frozenset({"CONSULT", "SUPPORT", "COOPERATE", "AID"})
ROOT_LINE = re.compile(r"^(\d\d):\s*([A-Z]+)")


def cameo_roots(path: Path) -> dict[str, str]:
    """CAMEO two-digit root code -> PLOVER 2021 type, from the conversion table's root lines."""
    roots: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = ROOT_LINE.match(line)
        if match:
            roots.setdefault(match.group(1), match.group(2))
    return roots


def gold_type(label: str, roots: dict[str, str]) -> str:
    root = OLD_PLOVER_CAMEO_ROOT.get(label)
    return roots.get(root, label) if root else label


def depth(report: Report, event: Event) -> int:
    span = report.doc.char_span(event.start, event.end, alignment_mode="expand")
    token = span.root if span is not None else None
    steps = 0
    while token is not None and token.head != token and steps < 50:
        token, steps = token.head, steps + 1
    return steps


def main_type(report: Report) -> tuple[str, Event | None]:
    if not report.events:
        return "NONE", None
    event = min(report.events, key=lambda e: (depth(report, e), e.start))
    kind = plover_type(event.type)
    if event.status == "planned" and kind in COOPERATIVE:
        kind = "AGREE"
    return kind, event


def country_codes(items: list[dict] | None) -> set[str]:
    return {i["code"] for i in items or [] if re.fullmatch(r"[A-Z]{3}", i.get("code", "")) and i["code"] not in {"IGO", "NGO"}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int)
    parser.add_argument("--errors", action="store_true", help="print each wrong sentence")
    args = parser.parse_args(argv)
    if not GSR.is_file():
        print(f"no PLOVER GSR at {GSR} (../shared/eval/events is absent): nothing to score")
        return 0
    roots = cameo_roots(TABLE)
    items = [x for x in json.loads(GSR.read_text(encoding="utf-8")) if x.get("text")][: args.limit]
    pipeline = default_pipeline()
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    actor_right = actor_total = sector_right = sector_total = 0
    for item, report in zip(items, pipeline.pipe(Report(text=x["text"]) for x in items)):
        gold = gold_type(item["event"], roots)
        pred, event = main_type(report)
        total[gold] += 1
        right[gold] += pred == gold
        if args.errors and pred != gold:
            print(f"  gold {gold:10s} got {pred:10s} | {item['text'][:120]}")
        named = {n.name for n in event.actors} if event else set()
        mine = [a for a in report.actors if a.name in named]
        codes = country_codes(item.get("source"))
        if codes:
            actor_total += 1
            actor_right += bool(codes & {a.country for a in mine})
        sectors = {i["sector"] for i in item.get("source") or [] if i.get("sector")}
        if sectors:
            sector_total += 1
            sector_right += bool(sectors & {a.sector for a in mine})
    n = sum(total.values())
    print(f"PLOVER GSR ({n} sentences): type accuracy {100 * sum(right.values()) / n:.1f}%  "
          f"actor country match {100 * actor_right / max(actor_total, 1):.1f}% of {actor_total}  "
          f"actor sector match {100 * sector_right / max(sector_total, 1):.1f}% of {sector_total}")
    for label in sorted(total, key=lambda k: -total[k]):
        print(f"  {label:12s} {right[label]:3d}/{total[label]:3d}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
