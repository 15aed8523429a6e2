"""Sentence-level actor recall on the PETRARCH-2 validation records (CAMEO actor codes).

Run from the repository root: ``.venv/bin/python bench/actors_petr2.py``. Reads
``../shared/eval/events/PETR2_GSR_validation.xml`` and exits with a message when it
is absent. The records give CAMEO codes (``SYRGOV``, ``IGOUNO``, ``---REB``) but no
spans, so this scores per sentence: a coded actor is recalled when some actor we
read in that sentence has its country (first three letters, when they are a state
in our dictionary) or is an IGO (code ``IGO...``); with a sector too, when that
actor's sector equals the code's next three letters. Events with "---" (unknown
country) are scored on the sector alone.
"""

from __future__ import annotations

import html
import re
import sys
from collections import Counter
from pathlib import Path

from fogwatch.actordict import load_dictionary
from fogwatch.extract import default_pipeline
from fogwatch.report import Actor, Report

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "events" / "PETR2_GSR_validation.xml"
RECORD = re.compile(r"<Sentence\b(.*?)</Text>", re.S)
CODES = re.compile(r'<EventCoding[^>]*?sourcecode="([^"]*)"[^>]*?targetcode="([^"]*)"')
TEXT = re.compile(r"<Text>(.*)", re.S)
SECTORS = frozenset({"GOV", "MIL", "REB", "OPP", "COP", "CVL", "MED", "JUD", "SPY", "UAF", "LEG", "JRN"})


def records(raw: str) -> list[tuple[str, list[str]]]:
    """(text, actor codes) per validation record that has event codings."""
    found = []
    for match in RECORD.finditer(raw):
        body = match.group(1)
        codes = [c for pair in CODES.findall(body) for c in pair if c]
        text = TEXT.search(body)
        if codes and text:
            found.append((" ".join(html.unescape(text.group(1)).split()), codes))
    return found


def recalled(code: str, actors: list[Actor], countries: set[str]) -> tuple[bool | None, bool | None]:
    """(country recalled, sector recalled); None where the code cannot be compared."""
    head, sector = code[:3], code[3:6]
    if head == "IGO":
        matching = [a for a in actors if a.kind == "igo" or a.sector == "IGO"]
    elif head in countries:
        matching = [a for a in actors if a.country == head]
    elif head == "---":
        matching = list(actors)
    else:
        return None, None
    country_ok = bool(matching) if head != "---" else None
    sector_ok = any(a.sector == sector for a in matching) if sector in SECTORS else None
    return country_ok, sector_ok


def main() -> int:
    if not DATA.is_file():
        print(f"skipped: {DATA} is absent (the evaluation data lives in ../shared)")
        return 0
    pipeline = default_pipeline(("chrome", "parse", "actors"))
    countries = set(load_dictionary().countries)
    score, total = Counter(), Counter()
    data = records(DATA.read_text(encoding="utf-8"))
    for text, codes in data:
        actors = pipeline(Report(text=text)).actors
        for code in dict.fromkeys(codes):
            country_ok, sector_ok = recalled(code, actors, countries)
            for key, ok in (("country", country_ok), ("sector", sector_ok)):
                if ok is not None:
                    total[key] += 1
                    score[key] += ok
    print(f"records with codings: {len(data)}")
    for key in ("country", "sector"):
        print(f"{key:8} recall {score[key]}/{total[key]} = {score[key] / max(1, total[key]):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
