"""Recall of the seed report's required gold actors: name (by alias), kind and country.

Run from the repository root: ``.venv/bin/python bench/actors_seed.py``. Reads
``../shared/`` (the seed report and its gold reading) and exits with a message
when it is absent. A gold actor is found when some extracted actor's name, or the
text of one of its mentions, equals the gold name or one of its aliases
(compared without case, diacritics or quote style). Country is scored strictly
(a gold actor without a country expects null) and leniently (not scored).

``--no-persons`` drops the dictionary's persons, to measure what the grammar
(titles, appositions, surname linking) finds without them.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from fogwatch.actordict import load_dictionary, norm
from fogwatch.extract import default_pipeline
from fogwatch.report import Report
from fogwatch.stages.actors import city_countries, read_actors

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEED = "aleppo-ceasefire-2016-12-14"


def surfaces(actor, text: str) -> set[str]:
    return {norm(actor.name)} | {norm(text[m.start : m.end]) for m in actor.mentions}


def main() -> int:
    seed, gold_path = SHARED / "seeds" / f"{SEED}.txt", SHARED / "gold" / f"{SEED}.gold.json"
    if not seed.is_file() or not gold_path.is_file():
        print(f"skipped: {seed} or {gold_path} is absent (the seed data lives in ../shared)")
        return 0
    text = seed.read_text(encoding="utf-8")
    gold = [g for g in json.loads(gold_path.read_text(encoding="utf-8"))["actors"] if g.get("required")]
    pipeline = default_pipeline(("chrome", "parse", "actors"))
    report = pipeline(Report(text=text, published="2016-12-14", outlet="VICE News"))
    if "--no-persons" in sys.argv:
        dictionary = load_dictionary().filtered(lambda e: e.kind != "person")
        report.actors = read_actors(report, dictionary, city_countries())
    scores = {"name": 0, "name+kind": 0, "name+kind+country (lenient)": 0, "name+kind+country (strict)": 0}
    for g in gold:
        names = {norm(n) for n in [g["name"], *g.get("aliases", [])]}
        found = next((a for a in report.actors if surfaces(a, text) & names), None)
        kind_ok = found is not None and found.kind == g["kind"]
        country_strict = found is not None and found.country == g.get("country")
        country_lenient = "country" not in g or country_strict
        scores["name"] += found is not None
        scores["name+kind"] += kind_ok
        scores["name+kind+country (lenient)"] += kind_ok and country_lenient
        scores["name+kind+country (strict)"] += kind_ok and country_strict
        got = f"{found.name} / {found.kind} / {found.country} / role={found.role}" if found else "MISSING"
        mark = "ok " if kind_ok and country_lenient else "-- "
        print(f"{mark}{g['name']:40} {g['kind']:9} {g.get('country')!s:5} -> {got}")
    print(f"\nrequired gold actors: {len(gold)}; extracted actors: {len(report.actors)}")
    for label, value in scores.items():
        print(f"recall {label:30} {value}/{len(gold)} = {value / len(gold):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
