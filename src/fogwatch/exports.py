"""Writing the store out: JSON Lines, item CSV, ACLED-style event CSV and GeoJSON.

``jsonl`` and ``csv`` write every report and every extracted item;
``acled`` writes one row per *linked* event in the shape analysts already use
(with how many independent sources report it and, as ACLED does, the most
conservative fatality figure); ``geojson`` writes linked events with a place as
map features.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from dataclasses import asdict
from typing import IO, Any

from . import ledger
from .ingest import public_origin
from .report import LAYERS, Report
from .store import Store

FORMATS = ("jsonl", "csv", "acled", "geojson")

# ACLED's event types and the sub-event types under each (ACLED codebook).
ACLED_EVENT_TYPES: dict[str, str] = {
    "Armed clash": "Battles",
    "Government regains territory": "Battles",
    "Non-state actor overtakes territory": "Battles",
    "Chemical weapon": "Explosions/Remote violence",
    "Air/drone strike": "Explosions/Remote violence",
    "Suicide bomb": "Explosions/Remote violence",
    "Shelling/artillery/missile attack": "Explosions/Remote violence",
    "Remote explosive/landmine/IED": "Explosions/Remote violence",
    "Grenade": "Explosions/Remote violence",
    "Sexual violence": "Violence against civilians",
    "Attack": "Violence against civilians",
    "Abduction/forced disappearance": "Violence against civilians",
    "Peaceful protest": "Protests",
    "Protest with intervention": "Protests",
    "Excessive force against protesters": "Protests",
    "Violent demonstration": "Riots",
    "Mob violence": "Riots",
    "Agreement": "Strategic developments",
    "Arrests": "Strategic developments",
    "Change to group/activity": "Strategic developments",
    "Disrupted weapons use": "Strategic developments",
    "Headquarters or base established": "Strategic developments",
    "Looting/property destruction": "Strategic developments",
    "Non-violent transfer of territory": "Strategic developments",
    "Other": "Strategic developments",
}

# ACLED geo-precision: 1 the exact town, 2 a part of a region or near a town, 3 a larger region.
GEO_PRECISION = {"city": 1, "town": 1, "village": 1, "neighbourhood": 1, "admin2": 2, "admin1": 3, "region": 3,
                 "country": 3}

ACLED_COLUMNS = (
    "event_id", "event_date", "year", "event_type", "sub_event_type", "fogwatch_type", "mode", "actor1", "actor2",
    "country", "location", "latitude", "longitude", "geo_precision", "sources", "source_outlets", "fatalities",
    "fatality_sources", "contested", "notes",
)
ITEM_COLUMNS = ("report_id", "layer", "index", "start", "end", "text", "label", "status", "detail")
KILLED_STATUSES = ("killed", "dead")


def export(store: Store, fmt: str, out: IO[str]) -> int:
    """Write the store in ``fmt``; returns how many records were written."""
    writers = {"jsonl": export_jsonl, "csv": export_items_csv, "acled": export_acled, "geojson": export_geojson}
    if fmt not in writers:
        raise ValueError(f"unknown export format {fmt!r} (known: {', '.join(FORMATS)})")
    return writers[fmt](store, out)


def export_jsonl(store: Store, out: IO[str]) -> int:
    """One line per stored report: its reading with its text (its origin without this machine's folders)."""
    count = 0
    for report in store.reports():
        reading = report.to_dict(with_text=True)
        reading["report"]["origin"] = public_origin(report.origin)
        out.write(json.dumps(reading, ensure_ascii=False) + "\n")
        count += 1
    return count


def export_items_csv(store: Store, out: IO[str], layers: Iterable[str] = LAYERS) -> int:
    """Every stored item, one row each: its report and layer, span and words, a label, the rest as JSON."""
    writer = csv.writer(out)
    writer.writerow(ITEM_COLUMNS)
    rows = 0
    for report in store.reports():
        for layer in layers:
            for index, item in enumerate(getattr(report, layer)):
                writer.writerow(_item_row(report, layer, index, item))
                rows += 1
    return rows


def _item_row(report: Report, layer: str, index: int, item: object) -> list[object]:
    data = asdict(item)  # type: ignore[call-overload]
    start, end = _item_span(data)
    label = data.get("type") or data.get("kind") or data.get("value") or data.get("name") or ""
    words = report.snippet(start, end) if start is not None and end is not None else ""
    detail = {k: v for k, v in data.items() if k not in {"start", "end", "text"}}
    return [report.id, layer, index, start, end, words, label, data.get("status") or "",
            json.dumps(detail, ensure_ascii=False)]


def _item_span(data: dict[str, Any]) -> tuple[int | None, int | None]:
    if "start" in data:
        return data["start"], data["end"]
    mentions = data.get("mentions") or []
    return (mentions[0]["start"], mentions[0]["end"]) if mentions else (None, None)


def _all_events(store: Store) -> list[dict[str, Any]]:
    return ledger.query_events(store, limit=-1)


def acled_rows(store: Store) -> list[dict[str, Any]]:
    """One row per linked event (casualty reports folded into the attack they share reports with)."""
    events = _all_events(store)
    kills = [e for e in events if e["type"] == "KILL"]
    rows = []
    folded: set[int] = set()
    for event in events:
        if event["type"] == "KILL":
            continue
        related = [k for k in kills if _shares_report(event, k) and k["place"] == event["place"]]
        folded.update(k["id"] for k in related)
        rows.append(_acled_row(event, related))
    rows.extend(_acled_row(k, [k]) for k in kills if k["id"] not in folded)
    return rows


def _shares_report(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return bool({m["report_id"] for m in a["mentions"]} & {m["report_id"] for m in b["mentions"]})


def _acled_row(event: dict[str, Any], kills: list[dict[str, Any]]) -> dict[str, Any]:
    figures = [f for k in kills for f in k["figures"] if (f["status"] or "") in KILLED_STATUSES and f["low"] is not None]
    conservative = min(figures, key=lambda f: f["low"]) if figures else None
    sub = event["acled"]
    first = event["mentions"][0] if event["mentions"] else {}
    return {
        "event_id": f"FW{event['id']}",
        "event_date": event["date"] or (first.get("published") or "")[:10],
        "year": (event["date"] or first.get("published") or "")[:4],
        "event_type": ACLED_EVENT_TYPES.get(sub or "", ""),
        "sub_event_type": sub or "",
        "fogwatch_type": event["type"],
        "mode": event["mode"] or "",
        "actor1": "; ".join(event["actors"][:1]),
        "actor2": "; ".join(event["actors"][1:]),
        "country": event["country"] or "",
        "location": event["place"] or "",
        "latitude": event["lat"] if event["lat"] is not None else "",
        "longitude": event["lon"] if event["lon"] is not None else "",
        "geo_precision": GEO_PRECISION.get(event.get("feature") or "", ""),
        "sources": event["sources"],
        "source_outlets": "; ".join(sorted({m["outlet"] or "?" for m in event["mentions"]})),
        "fatalities": int(conservative["low"]) if conservative else 0,
        "fatality_sources": "; ".join(sorted({f["source"] for f in figures})),
        "contested": "; ".join(c["detail"] for c in event["contradictions"] + [c for k in kills for c in k["contradictions"]]),
        "notes": " | ".join(dict.fromkeys(m["text"] for m in event["mentions"])),
    }


def export_acled(store: Store, out: IO[str]) -> int:
    writer = csv.DictWriter(out, fieldnames=ACLED_COLUMNS)
    writer.writeheader()
    rows = acled_rows(store)
    writer.writerows(rows)
    return len(rows)


def geojson(store: Store) -> dict[str, Any]:
    """Linked events with a place, as a GeoJSON FeatureCollection (lon/lat order, as GeoJSON wants)."""
    features = []
    for event in _all_events(store):
        if event["lat"] is None:
            continue
        features.append({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [event["lon"], event["lat"]]},
            "properties": {k: event[k] for k in ("id", "type", "mode", "acled", "date", "place", "country", "feature",
                                                  "actors", "sources")}
            | {"mentions": len(event["mentions"]), "contested": bool(event["contradictions"])},
        })
    return {"type": "FeatureCollection", "features": features}


def export_geojson(store: Store, out: IO[str]) -> int:
    collection = geojson(store)
    json.dump(collection, out, ensure_ascii=False)
    out.write("\n")
    return len(collection["features"])
