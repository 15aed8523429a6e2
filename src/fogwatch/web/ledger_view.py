"""The cross-report ledger as the web layer sees it: its answers, cached until the store changes."""

from __future__ import annotations

from typing import Any

from .. import jobs, views
from ..errors import StoreError
from ..store import Store
from .problems import ApiError, WebErrors
from .store_access import cached

EVENT_FILTERS = ("place", "country", "date_from", "date_to", "type", "actor", "source")
WHOLE_STORE_VIEWS = {
    "blame_matrix": views.blame_matrix,
    "ceasefires": views.ceasefires,
    "contested_claims": views.contested_claims,
}


def event(store: Store, event_id: int) -> dict[str, Any]:
    """One linked event's ledger (cached until the store changes); W404 when no event has that id."""
    try:
        return cached(store, ("event", event_id), lambda s: views.event_ledger(s, event_id))
    except StoreError:
        raise ApiError(404, WebErrors.W404_EVENT, key=str(event_id)) from None


def events(
    store: Store, filters: dict[str, Any], limit: int, offset: int
) -> tuple[int | None, list[dict[str, Any]]]:
    """A page of linked events and the total when the ledger can count it without reading every event.

    One event beyond the page is asked for: when it does not come back, the
    total is known exactly (``offset`` + what came back); otherwise it is None
    and the caller says there is more.
    """
    given = {k: v for k, v in filters.items() if k in EVENT_FILTERS and v}
    jobs.name_filter("source", given.get("source"))  # E026: one that normalises to nothing would match all
    key = ("events", limit, offset, *sorted(given.items()))
    found = cached(store, key, lambda s: views.query_events(s, **given, limit=limit + 1, offset=offset))
    total = offset + len(found) if len(found) <= limit else None
    return total, found[:limit]


def whole_store(store: Store, view: str) -> Any:
    """``blame_matrix``, ``ceasefires`` or ``contested_claims`` of the store, cached until it changes."""
    return cached(store, (view,), WHOLE_STORE_VIEWS[view])
