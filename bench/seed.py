"""Score ``fogwatch extract`` on the seed report against the analyst's gold reading.

    .venv/bin/python bench/seed.py [--json]

Reads ../shared/seeds/aleppo-ceasefire-2016-12-14.txt and
../shared/gold/aleppo-ceasefire-2016-12-14.gold.json (skips with a message when
they are absent), runs the real command line on the seed, and prints, for each
category, how many required items were found (recall), plus stricter checks
(right kind, right status, right date...). Every gold item is matched by its
anchor: the exact words it rests on.
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import unicodedata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seeds" / "aleppo-ceasefire-2016-12-14.txt"
GOLD = SHARED / "gold" / "aleppo-ceasefire-2016-12-14.gold.json"

# Acc@161: the customary geoparsing tolerance (100 miles).
KM_TOLERANCE = 161.0


def run_extract(path: Path, published: str, outlet: str, title: str | None = None) -> dict[str, Any]:
    """Run the real CLI on one file and return its one JSON object."""
    cmd = [sys.executable, "-m", "fogwatch", "extract", str(path), "--published", published, "--outlet", outlet]
    if title:
        cmd += ["--title", title]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    return json.loads(out.splitlines()[0])


def norm(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return " ".join(text.replace("’", "'").replace(".", "").replace("-", " ").split())


def anchor_span(text: str, anchor: str) -> tuple[int, int]:
    start = text.find(anchor)
    if start == -1:
        raise ValueError(f"gold anchor not in text: {anchor!r}")
    return start, start + len(anchor)


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def names_match(gold: str | list[str], *candidates: str | None) -> bool:
    """A gold name matches when a candidate equals it or contains it (or its last word, for people)."""
    golds = [gold] if isinstance(gold, str) else list(gold)
    cands = [norm(c) for c in candidates if c]
    for g in golds:
        ng = norm(g)
        for c in cands:
            if ng == c or ng in c or c in ng and len(c) > 3:
                return True
            if len(ng.split()) > 1 and ng.split()[-1] == c.split()[-1] and len(c.split()[-1]) > 3:
                return True
    return False


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


def _source_names(claim: dict[str, Any]) -> list[str | None]:
    return [claim["source"].get("name"), claim["source"].get("actor")]


def score_quotes(gold: list[dict], reading: dict, text: str) -> list[dict]:
    rows = []
    for g in gold:
        span = anchor_span(text, g["anchor"])
        hits = [c for c in reading["claims"] if c["direct"] and overlaps(span, (c["content"]["start"], c["content"]["end"]))]
        speaker = [c for c in hits if names_match(g["speaker"], *_source_names(c))]
        rows.append({"item": g["anchor"][:50], "required": g.get("required", False), "found": bool(hits),
                     "checks": {"speaker": bool(speaker)}})
    return rows


def score_claims(gold: list[dict], reading: dict, text: str) -> list[dict]:
    rows = []
    for g in gold:
        span = anchor_span(text, g["anchor"])
        hits = [c for c in reading["claims"]
                if overlaps(span, (c["content"]["start"], c["content"]["end"])) or overlaps(span, (c["cue"]["start"], c["cue"]["end"]))]
        sourced = [c for c in hits if names_match(g["source"], *_source_names(c))]
        kind_ok = [c for c in sourced if c["kind"] == g["kind"] or (g["kind"] == "assertion" and c["kind"] == "statement")]
        blamed = g.get("blamed") or []
        targets_ok = [c for c in sourced if all(any(names_match(b, t["name"]) for t in c.get("targets", [])) for b in blamed)]
        rows.append({"item": f"{g['id']} {g['anchor'][:45]}", "required": g.get("required", False), "found": bool(sourced),
                     "checks": {"kind": bool(kind_ok), "targets": bool(targets_ok) if blamed else None}})
    return rows


def _types(g: dict) -> list[str]:
    return g["type"] if isinstance(g["type"], list) else [g["type"]]


def score_events(gold: list[dict], reading: dict, text: str) -> list[dict]:
    rows = []
    places = reading["places"]
    for g in gold:
        span = anchor_span(text, g["anchor"])
        hits = [e for e in reading["events"] if overlaps(span, (e["start"], e["end"])) and
                (e["type"] in _types(g) or any(t in _types(g) for t in e.get("also_types", [])))]
        status = [e for e in hits if e["status"] == g["status"]]
        date_ok = [e for e in hits if "date" in g and (e.get("date") or "").startswith(g["date"])]
        gold_places = g.get("place")
        place_ok = [e for e in hits if gold_places and _event_place_ok(e, gold_places, places)]
        checks = {"status": bool(status), "date": bool(date_ok) if "date" in g else None,
                  "place": bool(place_ok) if gold_places else None}
        all_ok = any(
            e["status"] == g["status"]
            and ("date" not in g or (e.get("date") or "").startswith(g["date"]))
            and (not gold_places or _event_place_ok(e, gold_places, places))
            for e in hits
        )
        checks["all"] = all_ok
        rows.append({"item": f"{'/'.join(_types(g))} {g['anchor'][:40]}", "required": g.get("required", False),
                     "found": bool(hits), "checks": checks})
    return rows


def _event_place_ok(event: dict, gold_places: str | list[str], places: list[dict]) -> bool:
    names = [event.get("place")]
    index = event.get("place_index")
    if index is not None and 0 <= index < len(places):
        names += [places[index]["name"], places[index]["text"]]
    return names_match(gold_places, *names)


def score_quantities(gold: list[dict], reading: dict, text: str) -> list[dict]:
    rows = []
    for g in gold:
        span = anchor_span(text, g["anchor"])
        hits = [q for q in reading["quantities"] if overlaps(span, (q["start"], q["end"]))]
        bounds = [q for q in hits if q["low"] == g["low"] and q["high"] == g["high"]]
        unit = [q for q in hits if q.get("unit") and norm(q["unit"]) in norm(g["unit"])]
        status = [q for q in hits if q.get("status") and norm(q["status"]).split()[-1] in norm(g["status"])]
        rows.append({"item": g["anchor"], "required": g.get("required", False), "found": bool(bounds),
                     "checks": {"unit": bool(unit), "status": bool(status)}})
    return rows


def score_places(gold: list[dict], reading: dict, text: str) -> list[dict]:
    rows = []
    for g in gold:
        named = [p for p in reading["places"] if names_match(g["name"], p["name"], p["text"])]
        if "lat" in g:
            found = [p for p in named if p.get("lat") is not None and km(g["lat"], g["lon"], p["lat"], p["lon"]) <= KM_TOLERANCE]
        else:
            found = [p for p in named if p.get("country") == g["country"]]
        rows.append({"item": g["name"], "required": g.get("required", False), "found": bool(found),
                     "checks": {"country": any(p.get("country") == g["country"] for p in found)}})
    return rows


def score_times(gold: list[dict], reading: dict, text: str) -> list[dict]:
    rows = []
    for g in gold:
        span = anchor_span(text, g["anchor"])
        hits = [t for t in reading["times"] if overlaps(span, (t["start"], t["end"]))]
        if "value" in g:
            right = [t for t in hits if (t.get("value") or "").startswith(g["value"])]
        else:
            right = [t for t in hits if (t.get("value") or "").startswith(g["value_from"])
                     and (t.get("value_to") or "").startswith(g["value_to"])]
        rows.append({"item": g["anchor"], "required": g.get("required", False), "found": bool(right), "checks": {}})
    return rows


def score_actors(gold: list[dict], reading: dict, text: str) -> list[dict]:
    rows = []
    for g in gold:
        names = [g["name"], *g.get("aliases", [])]
        hits = [a for a in reading["actors"]
                if names_match(names, a["name"], *(text[m["start"]:m["end"]] for m in a.get("mentions", [])))]
        kind = [a for a in hits if a.get("kind") == g["kind"]]
        country = [a for a in hits if "country" not in g or a.get("country") == g["country"]]
        rows.append({"item": g["name"], "required": g.get("required", False), "found": bool(hits),
                     "checks": {"kind": bool(kind), "country": bool(country) if "country" in g else None}})
    return rows


SCORERS = {
    "quotes": score_quotes,
    "claims": score_claims,
    "events": score_events,
    "quantities": score_quantities,
    "places": score_places,
    "times": score_times,
    "actors": score_actors,
}


def score(reading: dict, gold: dict, text: str) -> dict[str, list[dict]]:
    return {name: scorer(gold[name], reading, text) for name, scorer in SCORERS.items()}


def summarise(results: dict[str, list[dict]]) -> dict[str, dict[str, Any]]:
    summary = {}
    for category, rows in results.items():
        required = [r for r in rows if r["required"]]
        found = sum(r["found"] for r in required)
        checks: dict[str, list[int]] = {}
        for r in required:
            for name, ok in r["checks"].items():
                if ok is not None:
                    pair = checks.setdefault(name, [0, 0])
                    pair[0] += int(bool(ok) and r["found"])
                    pair[1] += 1
        summary[category] = {
            "required": len(required),
            "found": found,
            "recall": found / len(required) if required else 1.0,
            "checks": {k: f"{v[0]}/{v[1]}" for k, v in checks.items()},
            "optional_found": f"{sum(r['found'] for r in rows if not r['required'])}/{sum(not r['required'] for r in rows)}",
        }
    return summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true", help="print the per-item results as JSON")
    args = parser.parse_args()
    if not SEED.exists() or not GOLD.exists():
        print(f"skipped: the seed report or its gold reading is absent (looked in {SHARED})")
        return 0
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    meta = gold["report"]
    text = SEED.read_text(encoding="utf-8")
    reading = run_extract(SEED, meta["published"], meta["outlet"])
    results = score(reading, gold, text)
    if args.json:
        print(json.dumps(results, indent=1, ensure_ascii=False))
    for category, s in summarise(results).items():
        checks = "  ".join(f"{k} {v}" for k, v in s["checks"].items())
        print(f"{category:<11} required {s['found']}/{s['required']} ({s['recall']:.0%})  {checks}  optional {s['optional_found']}")
        for row in results[category]:
            if row["required"] and (not row["found"] or not all(v for v in row["checks"].values() if v is not None)):
                failed = [k for k, v in row["checks"].items() if v is False]
                print(f"    {'MISSED' if not row['found'] else 'partial'}: {row['item']}  {' '.join(failed)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
