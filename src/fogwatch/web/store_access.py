"""Opening the store per request, and caching whole-store ledger views between writes.

SQLite connections belong to the thread that opened them and FastAPI answers
synchronous routes in a thread pool, so each request opens its own (cheap:
no migration runs on an up-to-date database). Whole-store summaries (the
front page's counts and rankings) and ledger answers (read from the views the
store keeps current, ``views.py``, but still parsed and assembled per request)
are cached per process, keyed on the store's change counter, which every write
moves, whichever process makes it (``Store.changes``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from fastapi import Request

from ..store import Store

# Ledger answers kept at once (oldest dropped first), bounded both by count and by
# weight: a list weighs its length (an event is about 10 KB of dicts), anything else
# one. The map and the charts read up to 2,000 events each, so a count bound alone
# let 64 such answers reach more than a gigabyte; 10,000 items keep it near 100 MB.
CACHE_ENTRIES = 64
CACHE_ITEMS = 10_000

_cache: dict[tuple[Any, ...], Any] = {}
_weights: dict[tuple[Any, ...], int] = {}
_lock = threading.Lock()


def _weight(value: Any) -> int:
    return max(1, len(value)) if isinstance(value, (list, tuple)) else 1


@contextmanager
def open_store(request: Request) -> Iterator[Store]:
    settings = request.app.state.settings
    store = Store(settings.db, read_only=settings.read_only)
    try:
        yield store
    finally:
        store.close()


def fingerprint(store: Store) -> tuple[str, int]:
    """Which store, and how many writes it has seen: answers computed under one fingerprint hold
    until any process writes to the store (read before computing, so an answer is never filed
    under a count newer than the data it was computed from)."""
    return store.location, store.changes()


def cached(store: Store, name: tuple[Any, ...], compute: Callable[[Store], Any]) -> Any:
    """``compute(store)``, reused until the store changes; ``name`` says what was computed (hashable)."""
    key = (*name, *fingerprint(store))
    with _lock:
        if key in _cache:
            return _cache[key]
    value = compute(store)
    weight = _weight(value)
    if weight > CACHE_ITEMS:
        return value  # an answer larger than the whole cache (an unlimited export) is not kept
    with _lock:
        while _cache and (len(_cache) >= CACHE_ENTRIES or sum(_weights.values()) + weight > CACHE_ITEMS):
            oldest = next(iter(_cache))
            _cache.pop(oldest)
            _weights.pop(oldest, None)
        _cache[key] = value
        _weights[key] = weight
    return value
