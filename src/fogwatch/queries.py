"""The store's read-only queries: its queryable tables with filters and pagination, for the views,
the linked events and mentions, for the ledger, and the ledger's views kept in tables (``views.py``).

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
# The linking (ledger.py) and its views (views.py) decide what to ask; the SQL that asks it is here.


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


# -- the ledger's kept views ------------------------------------------------------------
# views.py keeps each linked event's ledger, the cease-fire board and the blame claims in tables
# (migration 6); a view marked stale (by the triggers of database.py) is not read from them.

# Ids bound in one IN (...) list: well under either engine's limit on parameters.
IN_CHUNK = 500


def views_stale(store: Store) -> bool:
    """Whether any kept view is stale: cheap, so a refresh with nothing to do takes no lock."""
    row = store.conn.execute(
        "SELECT EXISTS (SELECT 1 FROM views_stale_events) OR EXISTS (SELECT 1 FROM views_stale_reports)"
    ).fetchone()
    return bool(row[0])


def stale_event_ids(store: Store) -> set[int]:
    """Linked events whose kept ledger is stale (written since the views were last refreshed)."""
    return {r[0] for r in store.conn.execute("SELECT event_id FROM views_stale_events")}


def stale_report_ids(store: Store) -> set[str]:
    """Reports whose kept blame claims are stale or missing."""
    return {r[0] for r in store.conn.execute("SELECT report_id FROM views_stale_reports")}


def event_views(store: Store, event_ids: list[int]) -> dict[int, str]:
    """The kept ledgers (JSON) of these linked events, leaving out stale ones: ``{event_id: body}``."""
    found: dict[int, str] = {}
    for start in range(0, len(event_ids), IN_CHUNK):
        chunk = event_ids[start:start + IN_CHUNK]
        marks = ",".join("?" * len(chunk))
        rows = store.conn.execute(
            f"SELECT v.event_id, v.body FROM event_views v WHERE v.event_id IN ({marks})"
            " AND NOT EXISTS (SELECT 1 FROM views_stale_events s WHERE s.event_id = v.event_id)",
            chunk,
        )
        found.update((r[0], r[1]) for r in rows)
    return found


def contested_event_views(store: Store, also: set[int]) -> list[tuple[int, str | None]]:
    """Linked events that may be contested, the undated first, then oldest first: those whose kept
    ledger is contested, those in ``also``, and those with no current kept ledger (the body is None:
    the caller computes it)."""
    extra = f" OR e.id IN ({','.join('?' * len(also))})" if also else ""
    rows = store.conn.execute(
        "SELECT e.id, CASE WHEN s.event_id IS NULL THEN v.body END AS body FROM ledger_events e"
        " LEFT JOIN event_views v ON v.event_id = e.id LEFT JOIN views_stale_events s ON s.event_id = e.id"
        f" WHERE v.contested = 1 OR v.event_id IS NULL OR s.event_id IS NOT NULL{extra}"
        " ORDER BY coalesce(e.day_first, ''), e.id",
        sorted(also),
    )
    return [(r[0], r[1]) for r in rows]


def ceasefire_boards(store: Store) -> list[str]:
    """The kept cease-fire board, each entry's JSON, in order."""
    return [r[0] for r in store.conn.execute("SELECT body FROM ceasefire_boards ORDER BY id")]


def blame_claims(
    store: Store, place: str | None, date_from: str | None, date_to: str | None
) -> list[dict[str, Any]]:
    """Kept blame claims with their accusations (``targets``: name and side pairs), in the order of
    their reports (publication, then id) and of the claims in each; ``place`` is a place key the claim
    is about (``views.place_key``), and the dates bound its report's publication day, as the blame
    matrix filters. Claims of stale reports are left out (the caller computes them)."""
    where = Where()
    where.add("NOT EXISTS (SELECT 1 FROM views_stale_reports s WHERE s.report_id = b.report_id)")
    if place is not None:
        where.add("EXISTS (SELECT 1 FROM blame_places p WHERE p.report_id = b.report_id AND p.idx = b.idx"
                  " AND p.place = ?)", place)
    if date_from or date_to:
        where.add("b.day IS NOT NULL")
    _date_range(where, "b.day", date_from, date_to)
    rows = store.conn.execute(
        "SELECT b.report_id, b.idx, b.published, b.day, b.outlet, b.source, b.source_key, b.text,"
        f" t.target, t.target_key FROM blame_claims b LEFT JOIN blame_rows t"
        f" ON t.report_id = b.report_id AND t.idx = b.idx{where.sql}"
        " ORDER BY coalesce(b.published, ''), b.report_id, b.idx, t.pos",
        where.params,
    )
    claims: list[dict[str, Any]] = []
    for r in rows:
        if not claims or (claims[-1]["report_id"], claims[-1]["idx"]) != (r["report_id"], r["idx"]):
            claims.append({k: r[k] for k in ("report_id", "idx", "published", "day", "outlet", "source",
                                             "source_key", "text")} | {"targets": []})
        if r["target"] is not None:
            claims[-1]["targets"].append((r["target"], r["target_key"]))
    return claims
