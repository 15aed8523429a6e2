"""The cross-report ledger as the web layer sees it: one guarded import and the lookups around it.

``fogwatch.ledger`` links event mentions across reports; a build without it
still serves reports, claims, actors, places and search, and the routes that
need the ledger answer W503.
"""

from __future__ import annotations

import sqlite3
from types import ModuleType
from typing import Any

from ..errors import StoreError
from ..store import Store
from .problems import ApiError, WebErrors
from .store_access import cached

try:
    from .. import ledger as _ledger
except ImportError:  # a build without the ledger
    _ledger = None

EVENT_FILTERS = ("place", "country", "date_from", "date_to", "type", "actor", "source")


def available() -> bool:
    return _ledger is not None


def module() -> ModuleType:
    if _ledger is None:
        raise ApiError(503, WebErrors.W503)
    return _ledger


def event(store: Store, event_id: int) -> dict[str, Any]:
    """One linked event's ledger (cached until the store changes); W404 when no event has that id."""
    try:
        return cached(store, ("event", event_id), lambda s: module().event_ledger(s, event_id))
    except StoreError:
        raise ApiError(404, WebErrors.W404_EVENT, key=str(event_id)) from None


def events(store: Store, filters: dict[str, Any], limit: int, offset: int) -> tuple[int | None, list[dict[str, Any]]]:
    """A page of linked events and the total when the ledger can count it without reading every event.

    One event beyond the page is asked for: when it does not come back, the
    total is known exactly (``offset`` + what came back); otherwise it is None
    and the caller says there is more.
    """
    given = {k: v for k, v in filters.items() if k in EVENT_FILTERS and v}
    key = ("events", limit, offset, *sorted(given.items()))
    found = cached(store, key, lambda s: module().query_events(s, **given, limit=limit + 1, offset=offset))
    total = offset + len(found) if len(found) <= limit else None
    return total, found[:limit]


def whole_store(store: Store, view: str) -> Any:
    """``blame_matrix``, ``ceasefires`` or ``contested_claims`` of the whole store, cached until it changes."""
    return cached(store, (view,), getattr(module(), view))


def event_ids_of(store: Store, report_id: str) -> dict[int, int]:
    """Which linked event each of a report's event mentions joined: ``{idx: event_id}``."""
    if _ledger is None:
        return {}
    try:
        rows = store.conn.execute("SELECT idx, event_id FROM event_mentions WHERE report_id = ?", (report_id,))
        return {r[0]: r[1] for r in rows}
    except sqlite3.OperationalError:  # a database from before the ledger's migration
        return {}
