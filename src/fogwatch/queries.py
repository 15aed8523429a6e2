"""The store's read-only queries: its queryable tables with filters and pagination, for the views,
and the linked events and mentions, for the ledger.

Part of the store's one interface (with ``Store``'s own methods): the API, the
dashboard and the ledger call these functions and send no SQL of their own, so
the SQL that serves them is here, written once for both engines. Each list function
returns ``(total, rows)`` so that every listing can say how many items match
beside the page it shows. Filters become bound parameters in a WHERE clause
built from fixed fragments: user input never reaches the SQL text, and LIKE
patterns are escaped.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from .database import like_escape
from .store import Store


@dataclass
class Where:
    """A conjunction of SQL conditions and their bound parameters."""

    parts: list[str] = field(default_factory=list)
    params: list[Any] = field(default_factory=list)

    def add(self, sql: str, *params: Any) -> None:
        self.parts.append(sql)
        self.params.extend(params)

    @property
    def sql(self) -> str:
        return " WHERE " + " AND ".join(self.parts) if self.parts else ""


def contains(value: str) -> str:
    return "%" + like_escape(value) + "%"


def _page(
    store: Store, select: str, frm: str, where: Where, order: str, limit: int, offset: int
) -> tuple[int, list[dict[str, Any]]]:
    total = store.conn.execute(f"SELECT count(*) FROM {frm}{where.sql}", where.params).fetchone()[0]
    rows = store.conn.execute(
        f"SELECT {select} FROM {frm}{where.sql} ORDER BY {order} LIMIT ? OFFSET ?",
        [*where.params, limit, offset],
    ).fetchall()
    return total, [dict(r) for r in rows]


def _date_range(where: Where, column: str, date_from: str | None, date_to: str | None) -> None:
    if date_from:
        where.add(f"{column} >= ?", date_from)
    if date_to:
        # Dates and datetimes are ISO strings: everything that starts with date_to is on that day.
        where.add(f"substr({column}, 1, {len(date_to)}) <= ?", date_to)


@dataclass
class ReportFilter:
    source: str | None = None  # outlet
    date_from: str | None = None
    date_to: str | None = None
    place: str | None = None
    country: str | None = None
    actor: str | None = None
    type: str | None = None


def reports(store: Store, flt: ReportFilter, limit: int, offset: int) -> tuple[int, list[dict[str, Any]]]:
    """Stored reports (newest first) with the number of claims and events each holds."""
    where = Where()
    if flt.source:
        where.add("r.outlet LIKE ? ESCAPE '\\'", contains(flt.source))
    _date_range(where, "r.published", flt.date_from, flt.date_to)
    # Uncorrelated IN sub-queries: run once through the name/type index. (A correlated EXISTS led
    # SQLite to rescan every mention of a frequent name for each report: 117 s at 10,000 reports.)
    if flt.place:
        where.add("r.id IN (SELECT p.report_id FROM places p WHERE p.name = ?)", flt.place)
    if flt.country:
        where.add("r.id IN (SELECT p.report_id FROM places p WHERE p.country = ?)", flt.country.upper())
    if flt.actor:
        where.add("r.id IN (SELECT a.report_id FROM actors a WHERE a.name = ?)", flt.actor)
    if flt.type:
        where.add("r.id IN (SELECT e.report_id FROM events e WHERE e.type = ?)", flt.type.upper())
    select = (
        "r.id, r.title, r.outlet, r.published, r.language, r.url, r.origin, r.ingested_at,"
        " (SELECT count(*) FROM claims c WHERE c.report_id = r.id) AS claims,"
        " (SELECT count(*) FROM events e WHERE e.report_id = r.id) AS events,"
        " (SELECT original_id FROM copies k WHERE k.report_id = r.id) AS copy_of"
    )
    return _page(store, select, "reports r", where, "r.published DESC, r.id", limit, offset)


@dataclass
class ClaimFilter:
    source: str | None = None
    target: str | None = None
    kind: str | None = None
    report: str | None = None
    date_from: str | None = None
    date_to: str | None = None


def claims(store: Store, flt: ClaimFilter, limit: int, offset: int) -> tuple[int, list[dict[str, Any]]]:
    """Claims across reports with their words, newest report first."""
    where = Where()
    if flt.source:
        where.add("(c.source = ? OR c.source_actor = ?)", flt.source, flt.source)
    if flt.target:
        where.add("c.targets LIKE ? ESCAPE '\\'", contains(json.dumps(flt.target, ensure_ascii=False)))
    if flt.kind:
        where.add("c.kind = ?", flt.kind)
    if flt.report:
        where.add("c.report_id = ?", flt.report)
    _date_range(where, "r.published", flt.date_from, flt.date_to)
    select = (
        'c.report_id, c.idx, c.kind, c.direct, c.source, c.source_actor, c.cue, c.start, c."end",'
        " c.content_start, c.content_end, c.targets, c.via, r.outlet, r.published, r.title,"
        ' substr(r.text, c.start + 1, c."end" - c.start) AS text'
    )
    total, rows = _page(
        store,
        select,
        "claims c JOIN reports r ON r.id = c.report_id",
        where,
        "r.published DESC, c.report_id, c.idx",
        limit,
        offset,
    )
    for row in rows:
        row["direct"] = bool(row["direct"])
        row["targets"] = json.loads(row["targets"] or "[]")
        row["via"] = json.loads(row["via"] or "[]")
    return total, rows


@dataclass
class EntityFilter:
    q: str | None = None  # part of the name
    kind: str | None = None  # actor kind or place feature
    country: str | None = None


def actors(store: Store, flt: EntityFilter, limit: int, offset: int) -> tuple[int, list[dict[str, Any]]]:
    """Actors by name across reports: how many reports name them and how often."""
    where = Where()
    if flt.q:
        where.add("a.name LIKE ? ESCAPE '\\'", contains(flt.q))
    if flt.kind:
        where.add("a.kind = ?", flt.kind)
    if flt.country:
        where.add("a.country = ?", flt.country.upper())
    select = (
        "a.name AS name, max(a.kind) AS kind, max(a.country) AS country,"
        " count(DISTINCT a.report_id) AS reports, sum(a.mentions) AS mentions"
    )
    return _grouped(store, select, "actors a", "a.name", where, limit, offset)


def places(store: Store, flt: EntityFilter, limit: int, offset: int) -> tuple[int, list[dict[str, Any]]]:
    """Places by name across reports, with their gazetteer point and how many reports name them."""
    where = Where()
    if flt.q:
        where.add("p.name LIKE ? ESCAPE '\\'", contains(flt.q))
    if flt.kind:
        where.add("p.feature = ?", flt.kind)
    if flt.country:
        where.add("p.country = ?", flt.country.upper())
    return _grouped(store, PLACE_COLUMNS, "places p", "p.name", where, limit, offset)


PLACE_COLUMNS = (
    "p.name AS name, max(p.geonameid) AS geonameid, avg(p.lat) AS lat, avg(p.lon) AS lon,"
    " max(p.country) AS country, max(p.feature) AS feature, count(DISTINCT p.report_id) AS reports,"
    " count(*) AS mentions"
)


def _grouped(
    store: Store, select: str, frm: str, key: str, where: Where, limit: int, offset: int
) -> tuple[int, list[dict[str, Any]]]:
    """One row per ``key``, most reported first; the total counts keys alone (through the name index)."""
    total = store.conn.execute(
        f"SELECT count(DISTINCT {key}) FROM {frm}{where.sql}", where.params
    ).fetchone()[0]
    rows = store.conn.execute(
        f"SELECT {select} FROM {frm}{where.sql} GROUP BY {key} ORDER BY reports DESC, name LIMIT ? OFFSET ?",
        [*where.params, limit, offset],
    ).fetchall()
    return total, [dict(r) for r in rows]


def place(store: Store, name: str) -> dict[str, Any] | None:
    """One place by its exact name (indexed), as ``places`` lists it; None when no report names it."""
    row = store.conn.execute(
        f"SELECT {PLACE_COLUMNS} FROM places p WHERE p.name = ? GROUP BY p.name", (name,)
    ).fetchone()
    return dict(row) if row else None


def overview(store: Store) -> dict[str, Any]:
    """What the dashboard's front page shows: counts, outlets, the busiest places and event types."""
    return {
        "counts": store.count(),
        "outlets": _pairs(
            store, "SELECT outlet, count(*) FROM reports GROUP BY outlet ORDER BY 2 DESC LIMIT 10"
        ),
        "types": _pairs(store, "SELECT type, count(*) FROM events GROUP BY type ORDER BY 2 DESC LIMIT 12"),
        "places": _pairs(
            store, "SELECT name, count(DISTINCT report_id) FROM places GROUP BY name ORDER BY 2 DESC LIMIT 12"
        ),
        "span": tuple(store.conn.execute("SELECT min(published), max(published) FROM reports").fetchone()),
    }


def _pairs(store: Store, sql: str) -> list[tuple[Any, int]]:
    return [(r[0], r[1]) for r in store.conn.execute(sql)]


def features_of(store: Store, names: set[str]) -> dict[str, str]:
    """The gazetteer feature (country, city...) each place name was resolved to, for map precision."""
    if not names:
        return {}
    marks = ",".join("?" * len(names))
    rows = store.conn.execute(
        f"SELECT name, max(feature) FROM places WHERE name IN ({marks}) GROUP BY name", sorted(names)
    )
    return {r[0]: r[1] for r in rows if r[1]}


def event_ids_of(store: Store, report_id: str) -> dict[int, int]:
    """Which linked event each of a report's event mentions joined: ``{idx: event_id}``."""
    rows = store.conn.execute("SELECT idx, event_id FROM event_mentions WHERE report_id = ?", (report_id,))
    return {r[0]: r[1] for r in rows}


# -- the ledger's reads ---------------------------------------------------------------
# The linking and the ledger's answers (ledger.py) decide what to ask; the SQL that asks it is here.


def mention_linked(store: Store, report_id: str, idx: int) -> bool:
    """Whether a report's event mention is already linked: linking a report again adds nothing."""
    row = store.conn.execute(
        "SELECT 1 FROM event_mentions WHERE report_id = ? AND idx = ?", (report_id, idx)
    ).fetchone()
    return row is not None


def candidate_events(
    store: Store, family: str, event_type: str, window: tuple[str, str] | None
) -> list[dict[str, Any]]:
    """Unpinned linked events of a family (or, for events stored before families, of a type) whose
    window meets ``(low, high)``; with no window, those that have no window either. Indexed by family
    and window, so linking cost grows with the events near a date, not with all of them."""
    sql = "SELECT * FROM ledger_events WHERE coalesce(family, type) IN (?, ?) AND pinned = 0"
    if window is None:
        rows = store.conn.execute(
            sql + " AND coalesce(day_lo, day_first, published) IS NULL", (family, event_type)
        )
    else:
        low, high = window
        rows = store.conn.execute(
            sql + " AND coalesce(day_lo, day_first, published) <= ?"
            " AND coalesce(day_hi, day_last, published) >= ?",
            (family, event_type, high, low),
        )
    return [dict(r) for r in rows]


def event_row(store: Store, event_id: int) -> dict[str, Any] | None:
    """One linked event's row as stored (lists as JSON text); None when there is no such event."""
    row = store.conn.execute("SELECT * FROM ledger_events WHERE id = ?", (event_id,)).fetchone()
    return dict(row) if row else None


def mention_rows(store: Store, event_id: int) -> list[dict[str, Any]]:
    """The mentions linked to one event with their reports' outlet, date and title, oldest report first."""
    rows = store.conn.execute(
        "SELECT em.report_id, em.idx, em.matched_on, em.score, r.outlet, r.published, r.title"
        " FROM event_mentions em JOIN reports r ON r.id = em.report_id WHERE em.event_id = ?"
        " ORDER BY coalesce(r.published, ''), em.report_id, em.idx",
        (event_id,),
    )
    return [dict(r) for r in rows]


@dataclass
class LedgerFilter:
    place: str | None = None  # exact name, any case
    country: str | None = None  # code, any case
    date_from: str | None = None
    date_to: str | None = None
    type: str | None = None  # PLOVER type, any case
    actor: str | None = None  # part of an actor's name


def event_ids(
    store: Store, flt: LedgerFilter, limit: int | None = None, offset: int = 0
) -> list[int]:
    """Linked events that match, newest first; every one when ``limit`` is None (for a caller that
    filters further and pages itself). An event matches the dates when its days overlap them."""
    where = Where()
    if flt.place:
        where.add("lower(e.place) = lower(?)", flt.place)
    if flt.country:
        where.add("upper(e.country) = upper(?)", flt.country)
    if flt.date_from:
        where.add("e.day_last >= ?", flt.date_from)
    if flt.date_to:
        where.add("e.day_first <= ?", flt.date_to)
    if flt.type:
        where.add("e.type = upper(?)", flt.type)
    if flt.actor:
        # Actors are a JSON list: each engine spreads it into rows its own way.
        where.add(f"EXISTS (SELECT 1 FROM {store.dialect.json_values('e.actors')}"
                  " WHERE lower(value) LIKE lower(?) ESCAPE '\\')", contains(flt.actor))
    sql = f"SELECT e.id FROM ledger_events e{where.sql} ORDER BY coalesce(e.day_first, '') DESC, e.id"
    params = where.params
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params = [*params, limit, offset]
    return [r[0] for r in store.conn.execute(sql, params)]


def event_ids_by_day(store: Store) -> list[int]:
    """Every linked event, the undated first, then oldest first."""
    rows = store.conn.execute("SELECT id FROM ledger_events ORDER BY coalesce(day_first, ''), id")
    return [r[0] for r in rows]


def ceasefire_event_ids(store: Store) -> list[int]:
    """Every linked cease-fire event, in the order they were linked."""
    rows = store.conn.execute("SELECT id FROM ledger_events WHERE type = 'CEASEFIRE' ORDER BY id")
    return [r[0] for r in rows]
