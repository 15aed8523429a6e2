"""The one write: a submitted report read through the ingest path and stored as ``fogwatch ingest`` does.

The API calls it in three steps so that only reading runs in the bounded pool of readers: ``prepare``
(check and build the report), ``stored_answer`` (a report already stored is answered from the store,
without reading it) and ``read_and_store`` (the pipeline, with the time budget, abandoned through
``cancel`` when the client goes away).
"""

from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..extract import Failure, read_many
from ..ingest import Metadata, parse_published, report_from_html, report_from_text
from ..jobs import Loader
from ..pipeline import abandon_when
from ..report import Report
from ..store import Store
from .problems import ApiError, WebErrors

if TYPE_CHECKING:
    from .api import SubmitReport

# What a report submitted over HTTP records as the place it was read from.
ORIGIN = "http-api"


# Reports read at once by one server process. One: the pipeline (spaCy, the tagger) is shared and
# not made for threads, and a read uses a core; further reports wait their turn (each within its
# time budget) while the event loop goes on answering every other request.
READ_WORKERS = 1
# How often a waiting request checks whether its client is still there (seconds).
DISCONNECT_POLL_S = 0.5


class Readers:
    """A bounded pool of daemon reader threads fed by a queue.

    Not a ``ThreadPoolExecutor``: its threads are joined at exit, so a server stopped during a long
    read would wait for it; a daemon thread ends with the process, and the store is only written
    after a read, in one transaction.
    """

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.tasks: queue.SimpleQueue[tuple[Future[Any], Callable[..., Any], tuple[Any, ...]]] = queue.SimpleQueue()
        self.threads: list[threading.Thread] = []
        self.lock = threading.Lock()

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future[Any]:
        future: Future[Any] = Future()
        self.tasks.put((future, fn, args))
        with self.lock:
            if len(self.threads) < self.workers:
                thread = threading.Thread(target=self._work, name=f"fogwatch-read-{len(self.threads)}", daemon=True)
                self.threads.append(thread)
                thread.start()
        return future

    def _work(self) -> None:
        while True:
            future, fn, args = self.tasks.get()
            if not future.set_running_or_notify_cancel():
                continue  # its client left while it waited
            try:
                future.set_result(fn(*args))
            except BaseException as err:  # noqa: BLE001 - handed to the waiting request
                future.set_exception(err)


_pool: Readers | None = None


def read_pool() -> Readers:
    """The bounded pool of reader threads (made on first use, kept for the process)."""
    global _pool
    if _pool is None:
        _pool = Readers(READ_WORKERS)
    return _pool


def prepare(payload: SubmitReport) -> Report:
    """The report a request describes, checked (422 when it holds neither or both of text and html)."""
    if bool(payload.text) == bool(payload.html):
        raise ApiError(422, WebErrors.W422, detail="give exactly one of 'text' and 'html'")
    meta = Metadata(
        title=payload.title,
        outlet=payload.outlet,
        url=payload.url,
        published=parse_published(payload.published) if payload.published else None,
    )
    if payload.html:
        return report_from_html(payload.html, ORIGIN, meta)
    return report_from_text(payload.text or "", ORIGIN, meta)


def stored_answer(db: str | Path, report: Report) -> dict[str, Any] | None:
    """The answer for a report already stored (found by its content id, before any reading), else None."""
    with Store(db) as store:
        if not store.has(report.id):
            return None
        return _answer(store.load(report.id), added=False)


def read_and_store(db: str | Path, report: Report, cancel: threading.Event | None = None) -> dict[str, Any]:
    """Read one report (within the time budget; stopped when ``cancel`` is set), then store,
    de-duplicate and link it; ``added`` is False when it was already stored."""
    with abandon_when(cancel or threading.Event()):
        [read] = list(read_many([report]))
    if isinstance(read, Failure):
        raise ApiError(422, WebErrors.W422, detail=read.reason)
    with Store(db) as store:
        load = Loader(store)
        load(read)
        added = bool(load.result.added)
    return _answer(read, added)


async def read_while_connected(is_disconnected: Any, db: str | Path, report: Report) -> dict[str, Any]:
    """``read_and_store`` in the pool of readers, off the event loop; when ``is_disconnected()``
    says the client went away, the read is abandoned at its next stage boundary."""
    cancel = threading.Event()
    pending = read_pool().submit(read_and_store, db, report, cancel)
    work = asyncio.wrap_future(pending)
    while True:
        done, _ = await asyncio.wait({work}, timeout=DISCONNECT_POLL_S)
        if done:
            return work.result()
        if not cancel.is_set() and await is_disconnected():
            cancel.set()  # a read in progress stops at its next stage boundary (E032)
            pending.cancel()  # one still waiting for a reader is never started


def _answer(read: Report, added: bool) -> dict[str, Any]:
    return {
        "id": read.id,
        "added": added,
        "url": f"/reports/{read.id}",
        "claims": len(read.claims),
        "events": len(read.events),
        "places": len(read.places),
    }
