"""Writing the store out: JSON Lines, item CSV, ACLED-style event CSV and GeoJSON.

``jsonl`` and ``csv`` write every report and every extracted item;
``acled`` writes one row per *linked* event in the shape analysts already use
(with how many independent sources report it and, as ACLED does, the most
conservative fatality figure, counted on one row only: see ``acled_rows``);
``geojson`` writes linked events with a place as map features.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import IO, Any

from . import ontology, views
from .ingest import public_origin
from .report import LAYERS, Report
from .store import Store

FORMATS = ("jsonl", "csv", "acled", "geojson")

# ACLED geo-precision: 1 the exact town, 2 a part of a region or near a town, 3 a larger region.
GEO_PRECISION = {"city": 1, "town": 1, "village": 1, "neighbourhood": 1, "admin2": 2, "admin1": 3, "region": 3,
                 "country": 3}

ACLED_COLUMNS = (
    "event_id", "event_date", "year", "date_window_from", "date_window_to", "event_type", "sub_event_type",
    "sub_event_from", "fogwatch_type", "mode", "actor1", "actor2", "country", "location", "latitude", "longitude",
    "geo_precision", "sources", "source_outlets", "fatalities", "fatality_sources", "toll_event_id", "contested",
    "notes",
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
        out.write(json.dumps(public_reading(report), ensure_ascii=False) + "\n")
        count += 1
    return count


def public_reading(report: Report) -> dict[str, Any]:
    """A report's reading with its text, as exports and the API give it: its origin without this
    machine's folders (see ``ingest.public_origin``)."""
    reading = report.to_dict(with_text=True)
    reading["report"]["origin"] = public_origin(report.origin)
    return reading


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
    return views.query_events(store, limit=-1)


def acled_rows(store: Store) -> list[dict[str, Any]]:
    """One row per linked event; each fatality figure counted on one row only.

    A figure (one quantity of one report) belongs to the events whose own
    mentions cite it. Events that cite a common figure (an attack and the deaths
    it caused, read from one sentence) share one toll, written once, on the
    killing if there is one; the other rows name that row in ``toll_event_id``.
    """
    cache = views.ReadingCache(store)  # one read of each report for the events and their tolls
    events = views.query_events(store, limit=-1, cache=cache)
    tolls = _tolls(events, cache)
    return [_acled_row(event, tolls.get(event["id"])) for event in events]


@dataclass
class Toll:
    """The deaths a group of events shares: the figures behind it and the row that carries it."""

    carrier: int
    events: list[int]
    figures: list[dict[str, Any]]

    def fatalities(self) -> int:
        """ACLED's most conservative toll: each report's largest killed figure (a total covers
        its parts, so nothing is added up), then the lowest of the reports."""
        per_report: dict[str, float] = {}
        for figure in self.figures:
            per_report[figure["report_id"]] = max(per_report.get(figure["report_id"], 0), figure["low"])
        return int(min(per_report.values())) if per_report else 0


def _killed_figures(event: dict[str, Any], cache: views.ReadingCache) -> dict[tuple[str, str], dict[str, Any]]:
    """The death counts an event's own asserted mentions cite, keyed by (report, quantity id)."""
    found = {}
    for mention in event["mentions"]:
        if mention["status"] not in views.ASSERTED:
            continue
        report = cache(mention["report_id"])
        for quantity in report.quantities_of(report.events[mention["idx"]]):
            if (quantity.status or "") in KILLED_STATUSES and quantity.low is not None:
                found[(report.id, quantity.id)] = {"report_id": report.id, "low": quantity.low, "text": quantity.text,
                                          "source": mention["source"]}
    return found


def _tolls(events: list[dict[str, Any]], cache: views.ReadingCache) -> dict[int, Toll]:
    """Group events that cite a common figure (union-find) and give each group one carrier."""
    by_id = {event["id"]: event for event in events}
    parent = {event_id: event_id for event_id in by_id}

    def root(event_id: int) -> int:
        while parent[event_id] != event_id:
            parent[event_id] = parent[parent[event_id]]
            event_id = parent[event_id]
        return event_id

    first_citer: dict[tuple[str, str], int] = {}
    figures: dict[tuple[str, str], dict[str, Any]] = {}
    for event in events:
        for key, figure in _killed_figures(event, cache).items():
            figures.setdefault(key, figure)
            if key in first_citer:
                parent[root(event["id"])] = root(first_citer[key])
            else:
                first_citer[key] = event["id"]
    groups: dict[int, list[int]] = defaultdict(list)
    keys: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for key, event_id in first_citer.items():
        keys[root(event_id)].append(key)
    for event_id in by_id:
        if root(event_id) in keys:
            groups[root(event_id)].append(event_id)
    tolls: dict[int, Toll] = {}
    for group_root, members in groups.items():
        carrier = min(members, key=lambda i: (by_id[i]["type"] != "KILL", -len(by_id[i]["mentions"]), i))
        toll = Toll(carrier, sorted(members), [figures[k] for k in keys[group_root]])
        tolls.update({member: toll for member in members})
    return tolls


def acled_type(event: dict[str, Any]) -> tuple[str, str, str]:
    """ACLED (event type, sub-event type) and whether the sub-type was read in the text
    ("text") or follows from fogwatch's own type ("type", see ontology.TYPE_TO_ACLED)."""
    if event["acled"] in ontology.ACLED_EVENT_TYPES:
        return ontology.ACLED_EVENT_TYPES[event["acled"]], event["acled"], "text"
    sub = ontology.TYPE_TO_ACLED.get(event["type"], "Other")
    if event["type"] == "ASSAULT" and event["mode"]:
        sub = ontology.acled_name(ontology.MODE_TO_FINE.get(event["mode"].split("/")[0])) or sub
    if event["type"] == "CEASEFIRE" and event["mode"] in ("violated", "collapsed"):
        sub = "Other"  # a breach is no agreement; the violence itself is its own row
    return ontology.ACLED_EVENT_TYPES[sub], sub, "type"


def _acled_row(event: dict[str, Any], toll: Toll | None) -> dict[str, Any]:
    carries = toll is not None and toll.carrier == event["id"]
    event_type, sub, typed_by = acled_type(event)
    low, high = event["window"] if not event["date"] else (event["date"], event["date_last"] or event["date"])
    contested = event["contradictions"]
    return {
        "event_id": f"FW{event['id']}",
        "event_date": event["date"] or "",
        "year": (low or "")[:4] if (low or "")[:4] == (high or "")[:4] else "",
        "date_window_from": low or "",
        "date_window_to": high or "",
        "event_type": event_type,
        "sub_event_type": sub,
        "sub_event_from": typed_by,
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
        "fatalities": toll.fatalities() if carries else 0,
        "fatality_sources": "; ".join(sorted({f["source"] for f in toll.figures})) if carries else "",
        "toll_event_id": f"FW{toll.carrier}" if toll is not None else "",
        "contested": "; ".join(dict.fromkeys(c["detail"] for c in contested)),
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
