"""The map's data: one marker per linked event, at its place, for the Leaflet map in static/map.js.

No tile server is needed: the browser draws Natural Earth country outlines
(vendored world-atlas TopoJSON) as the basemap and clusters the markers.
Markers keep the precision the text supports: an event placed only at
country or province level is drawn as a hollow ring, one placed at a city or
smaller as a dot. Every marker sits at its place's point (events at one point
are clustered there, never moved) and links to its own event.
"""

from __future__ import annotations

from typing import Any

from .templating import when_label

# Features that only say "somewhere in this area".
COARSE_FEATURES = frozenset({"country", "admin1", "admin2", "region", "continent"})


def markers(events: list[dict[str, Any]], features: dict[str, str]) -> tuple[list[dict[str, Any]], int]:
    """The placed events as plain marker records (JSON for the page), and how many had no point."""
    found = []
    for event in events:
        if event.get("lat") is None or event.get("lon") is None:
            continue
        place = event.get("place") or ""
        found.append({
            "id": event["id"],
            "lat": round(float(event["lat"]), 5),
            "lon": round(float(event["lon"]), 5),
            "type": event["type"],
            "place": place,
            "when": when_label(event.get("date"), event.get("window")),
            "coarse": (features.get(place) or event.get("feature")) in COARSE_FEATURES,
        })
    return found, len(events) - len(found)


def places_of(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The markers grouped by place (the list under the map, readable without a script)."""
    grouped: dict[str, dict[str, Any]] = {}
    for m in found:
        grouped.setdefault(m["place"], {"place": m["place"], "events": []})["events"].append(m)
    return sorted(grouped.values(), key=lambda g: (-len(g["events"]), g["place"]))
