"""Curves over time for the dashboard: events, tolls and claims per day, cease-fire periods and violations.

Built from the ledger's own answers (``views.query_events`` through
``ledger_view.events``, ``views.ceasefires``) into plain JSON that a page
embeds as a data block (``<script type="application/json">``, escaped by
Jinja2's ``tojson``) and static/charts.js draws with the vendored uPlot.

Days are the ledger's: an event counts on its first day (on a span longer
than DAILY_SPAN days the counts are summed per week, beyond WEEKLY_SPAN per
month, so that a curve over years is still readable; ``step`` says which); an event the texts
only bound to a window is not drawn (the chart says how many). A toll is the
most conservative figure of killed a source gives for an event (the lowest
bound), and one place on one day counts the largest such toll among its
events, never their sum, because linked events at one place and day often
repeat the same deaths (an assault and the killing it caused).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from ..exports import KILLED_STATUSES

# A chart never spans more days than this (the newest are kept).
MAX_DAYS = 366 * 30
# Daily points up to this span, weekly ones up to WEEKLY_SPAN, monthly beyond.
DAILY_SPAN = 120
WEEKLY_SPAN = 730
# A cease-fire board's chart draws the events at its place this many days either side of its own days.
CEASEFIRE_MARGIN_DAYS = 14


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10])
    except (TypeError, ValueError):
        return None


def _toll(event: dict[str, Any]) -> float | None:
    """The lowest count of killed any source gives for the event, or None."""
    lows = [
        f["low"] if f.get("low") is not None else f.get("high")
        for f in event.get("figures", [])
        if (f.get("status") or "").lower() in KILLED_STATUSES
    ]
    lows = [v for v in lows if v is not None]
    return min(lows) if lows else None


def _axis(days: list[date]) -> list[date]:
    if not days:
        return []
    first, last = min(days), max(days)
    first = max(first, last - timedelta(days=MAX_DAYS - 1))
    first, last = first - timedelta(days=1), last + timedelta(days=1)
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def _binned(chart: dict[str, Any]) -> dict[str, Any]:
    """Sum a daily chart per week (from Monday) or per month when it spans too many days to read."""
    days = [date.fromisoformat(d) for d in chart["days"]]
    span = len(days)
    if span <= DAILY_SPAN:
        chart["step"] = "day"
        return chart
    step = "week" if span <= WEEKLY_SPAN else "month"

    def start(d: date) -> date:
        return d - timedelta(days=d.weekday()) if step == "week" else d.replace(day=1)

    bins = list(dict.fromkeys(start(d) for d in days))
    index = {b: i for i, b in enumerate(bins)}
    for series in chart["series"]:
        summed = [0.0] * len(bins)
        for d, v in zip(days, series["values"]):
            summed[index[start(d)]] += v
        series["values"] = [int(v) if float(v).is_integer() else v for v in summed]
    chart["days"] = [b.isoformat() for b in bins]
    for band in chart["bands"]:
        band["from"], band["to"] = start(date.fromisoformat(band["from"])).isoformat(), start(date.fromisoformat(band["to"])).isoformat()
    for m in chart["marks"]:
        m["day"] = start(date.fromisoformat(m["day"])).isoformat()
    chart["step"] = step
    return chart


def activity(events: list[dict[str, Any]], title: str = "",
             claims: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Events, killed and claims per day (or week, or month); ``claims`` (rows with ``report_id``, ``idx``
    and ``published``), when given, are the claims counted instead of those of the events: an actor's own
    words, whether or not a linked event names it."""
    return _binned(_daily(events, title, claims))


def _daily(events: list[dict[str, Any]], title: str = "",
           own_claims: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Events, killed and claims per day over ``events`` (ledger dicts)."""
    per_day: dict[date, int] = defaultdict(int)
    tolls: dict[tuple[date, str], float] = {}
    claims: dict[date, set[tuple[str, int]]] = defaultdict(set)
    undated = 0
    for event in events:
        day = _day(event.get("date"))
        if day is None:
            undated += 1
            continue
        per_day[day] += 1
        toll = _toll(event)
        if toll is not None:
            key = (day, event.get("place") or "")
            tolls[key] = max(tolls.get(key, 0), toll)
        if own_claims is not None:
            continue
        published = {m["report_id"]: m.get("published") for m in event.get("mentions", [])}
        for group in event.get("claims", []):
            for claim in group.get("claims", []):
                said = _day(published.get(claim.get("report_id"))) or day
                claims[said].add((claim.get("report_id"), claim.get("idx")))
    for claim in own_claims or []:
        said = _day(claim.get("published"))
        if said is not None:
            claims[said].add((claim.get("report_id"), claim.get("idx")))
    killed: dict[date, float] = defaultdict(float)
    for (day, _), toll in tolls.items():
        killed[day] += toll
    axis = _axis([*per_day, *claims])
    return {
        "title": title,
        "days": [d.isoformat() for d in axis],
        "series": [
            {"label": "events", "values": [per_day.get(d, 0) for d in axis]},
            {"label": "killed", "values": [killed.get(d, 0) for d in axis]},
            {"label": "claims", "values": [len(claims.get(d, ())) for d in axis]},
        ],
        "bands": [],
        "marks": [],
        "undated": undated,
        "total": {"events": sum(per_day.values()), "killed": sum(killed.values()),
                  "claims": sum(len(c) for c in claims.values())},
    }


def ceasefire(board: dict[str, Any], events: list[dict[str, Any]]) -> dict[str, Any]:
    """One cease-fire board: its period shaded, its violations, collapse and blame marked,
    over the events at its place per day within CEASEFIRE_MARGIN_DAYS of its own days (a place
    may hold truces years apart: each board draws its own weeks); of the undated, only the board's
    own events are counted."""
    marks = []
    for item in board.get("timeline", []):
        # A row whose words joined a ledger event is marked on the ledger's day (none when the ledger
        # gives only a window), as the event's page and the board's row say; blame when published.
        linked = item.get("event_id") is not None and item.get("kind") != "blame"
        day = _day(item.get("ledger_date") if linked else item.get("date"))
        if day is not None and item.get("kind") in ("violated", "collapsed", "blame", "agreed"):
            marks.append({"day": day.isoformat(), "kind": item["kind"], "text": (item.get("text") or "")[:160]})
    start = _day(board.get("starts")) or _day(board.get("agreed"))
    end = _day(board.get("collapsed"))
    mark_days = [_day(m["day"]) for m in marks]
    own = [d for d in (start, end, _day(board.get("agreed")), *mark_days) if d is not None]
    if own:
        margin = timedelta(days=CEASEFIRE_MARGIN_DAYS)
        low, high = min(own) - margin, max(own) + margin
        mine = set(board.get("events") or [])
        events = [e for e in events if (low <= d <= high if (d := _day(e.get("date"))) is not None
                                        else e.get("id") in mine)]
    chart = _daily(events, board.get("place") or "")
    days = [d for d in [*(_day(x) for x in chart["days"]), start, end, *mark_days] if d is not None]
    axis = _axis(days)
    if axis:
        old = dict(zip(chart["days"], zip(*(s["values"] for s in chart["series"]))))
        for i, series in enumerate(chart["series"]):
            series["values"] = [old[d.isoformat()][i] if d.isoformat() in old else 0 for d in axis]
        chart["days"] = [d.isoformat() for d in axis]
    if start is not None:
        last = end or (axis[-1] if axis else start)
        chart["bands"].append({"from": start.isoformat(), "to": last.isoformat(),
                               "label": "ceasefire in force" + ("" if end else " (no collapse reported)")})
    chart["marks"] = marks
    return _binned(chart)
