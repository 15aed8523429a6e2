"""Actor country and sector on the PLOVER gold-standard sentences (source/target actors).

Run from the repository root: ``.venv/bin/python bench/actors_plover.py [--limit N]``.
Reads ``../shared/eval/events/PLOVER_GSR_CAMEO.txt`` and exits with a message when
it is absent. Each sentence goes through the pipeline up to the actors stage; each
gold actor's text is located in the sentence and ``actor_at`` gives our actor there.

Scores: found (some actor overlaps the gold text); country (gold codes that are
states in our dictionary: our country equals it; older CAMEO codes such as JAP are
counted as not comparable); IGO (gold code IGO: our kind is igo, or a person whose
sector is IGO, since CAMEO codes officials by their organisation); sector (gold
sector given: its first three letters equal ours).
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from fogwatch.actordict import actor_at, load_dictionary
from fogwatch.extract import default_pipeline
from fogwatch.report import Report

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "events" / "PLOVER_GSR_CAMEO.txt"


def gold_actors(record: dict) -> list[dict]:
    return [a for role in ("source", "target") if isinstance(record.get(role), list) for a in record[role]]


def main() -> int:
    if not DATA.is_file():
        print(f"skipped: {DATA} is absent (the evaluation data lives in ../shared)")
        return 0
    limit = int(sys.argv[sys.argv.index("--limit") + 1]) if "--limit" in sys.argv else None
    records = [r for r in json.loads(DATA.read_text(encoding="utf-8")) if r.get("text") and gold_actors(r)]
    records = records[:limit]
    pipeline = default_pipeline(("chrome", "parse", "actors"))
    countries = load_dictionary().countries
    score, total, misses = Counter(), Counter(), Counter()
    for record in records:
        report = pipeline(Report(text=record["text"], published=record.get("date")))
        for gold in gold_actors(record):
            start = record["text"].find(gold["actorText"])
            if start < 0:
                continue
            total["actors"] += 1
            ours = actor_at(report, start, start + len(gold["actorText"]))
            score["found"] += ours is not None
            code, sector = gold.get("code", ""), (gold.get("sector") or "")[:3]
            if code in countries:
                total["country"] += 1
                score["country"] += ours is not None and ours.country == code
                if ours is None or ours.country != code:
                    misses[
                        f"country {gold['actorText']!r} {code} -> {ours and (ours.name, ours.country)}"
                    ] += 1
            elif code == "IGO":
                total["igo"] += 1
                score["igo"] += ours is not None and (ours.kind == "igo" or ours.sector == "IGO")
            if sector and sector != "***":
                total["sector"] += 1
                score["sector"] += ours is not None and ours.sector == sector
    print(f"sentences: {len(records)}; gold actors located in their sentence: {total['actors']}")
    print(
        f"found (an actor overlaps the gold text): {score['found']}/{total['actors']}"
        f" = {score['found'] / max(1, total['actors']):.3f}"
    )
    for key in ("country", "igo", "sector"):
        print(f"{key:8} {score[key]}/{total[key]} = {score[key] / max(1, total[key]):.3f}")
    if "--misses" in sys.argv:
        for miss in sorted(misses):
            print("  ", miss)
    return 0


if __name__ == "__main__":
    sys.exit(main())
