"""Opening the store per request, and caching whole-store ledger views between writes.

SQLite connections belong to the thread that opened them and FastAPI answers
synchronous routes in a thread pool, so each request opens its own (cheap:
no migration runs on an up-to-date database). Whole-store summaries (the
front page's counts and rankings) and ledger answers (the
blame matrix, the ceasefire board and contested claims read every report; an
event's ledger reads every report that mentions it) are cached per process,
keyed on a fingerprint of the store that any write changes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from fastapi import Request

from ..store import Store

# Ledger answers kept at once (oldest dropped first). A page of 50 events is
# about 0.5 MB of dicts and the map's 400 about 4 MB, so this bounds the cache
# near 100 MB in the worst case and far below it in practice.
CACHE_ENTRIES = 64

_cache: dict[tuple[Any, ...], Any] = {}
_lock = threading.Lock()


@contextmanager
def open_store(request: Request) -> Iterator[Store]:
    settings = request.app.state.settings
    store = Store(settings.db, read_only=settings.read_only)
    try:
        yield store
    finally:
        store.close()


def fingerprint(store: Store) -> tuple[Any, ...]:
    """Changes whenever a report is added or an event mention is linked or unlinked (unlinking adds an event).

    Reports are only ever added (with their copy links and ledger links in the
    same transaction), so counts and the newest event id are enough; each is
    answered from an index or the table's size in well under a millisecond.
    """
    row = store.conn.execute(
        "SELECT (SELECT count(*) FROM reports), (SELECT count(*) FROM event_mentions),"
        " (SELECT max(id) FROM ledger_events)"
    ).fetchone()
    return (store.location, *row)


def cached(store: Store, name: tuple[Any, ...], compute: Callable[[Store], Any]) -> Any:
    """``compute(store)``, reused until the store changes; ``name`` says what was computed (hashable)."""
    key = (*name, *fingerprint(store))
    with _lock:
        if key in _cache:
            return _cache[key]
    value = compute(store)
    with _lock:
        if len(_cache) >= CACHE_ENTRIES:
            _cache.pop(next(iter(_cache)))
        _cache[key] = value
    return value
