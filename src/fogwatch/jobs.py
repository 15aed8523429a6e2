"""The library functions behind the CLI's reading and storing commands: opening a store, extract, ingest, demo.

Each takes plain arguments and returns plain results, so the CLI, the HTTP API
and scripts all call the same code; only the CLI turns errors into exit codes.
The query commands call the ledger (``ledger.py``), its views (``views.py``),
the exports (``exports.py``) and the store directly.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

from . import database, dedup, ledger, views
from .database import MAX_FILTER_CHARS, is_postgres
from .errors import Errors, StoreError
from .extract import Failure, read_many
from .fetch import FetchPolicy, is_url
from .ingest import (
    DEFAULT_MAX_BYTES,
    HTML_SUFFIXES,
    TEXT_SUFFIXES,
    ManifestEntry,
    Metadata,
    read_manifest,
    read_manifest_inputs,
    read_paths,
    walk_inputs,
)
from .paths import PACKAGE_DATA
from .report import Report
from .store import Store

DEMO_DIR = PACKAGE_DATA / "demo"


@dataclass
class IngestResult:
    added: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    copies: list[dedup.CopyLink] = field(default_factory=list)

    @property
    def skipped(self) -> list[Failure]:
        """Inputs passed over on purpose: files in a folder that are not reports, hidden ones (E024)."""
        return [f for f in self.failures if f.code == "E024"]

    @property
    def failed(self) -> list[Failure]:
        """Inputs that could not be read or stored (unreadable, empty, bad records, a bad manifest row)."""
        return [f for f in self.failures if f.code != "E024"]

    @property
    def seen(self) -> int:
        return len(self.added) + len(self.unchanged) + len(self.failures)


def open_store(target: str | Path, *, create: bool = False, read_only: bool = False,
               reads_only: bool = False) -> Store:
    """The store at ``target``, refusing what a mistyped ``--db`` would otherwise do silently.

    A command that only reads must not create an empty database and answer
    "nothing stored" (E022), nor fill an empty file with one; one that stores reports may create the file but
    not the folders above it (E023), so a typo cannot scatter databases over
    the disk. (The default location's folder, ~/.fogwatch, is fogwatch's own
    and is created by ``paths.home``.) A store opened for writing has its
    ledger views brought up to date (``views.refresh``): once, after an upgrade,
    that fills them; otherwise there is nothing or little to do.

    A SQLite store that cannot be written here (a mirror's read-only
    filesystem, a folder or file of another user) is opened read-only for a
    command that only reads (``reads_only``: its views, if stale, are computed
    from the readings); for one that writes it is E015, said as such rather
    than as SQLite's "unable to open database file".
    """
    if not (is_postgres(target) or str(target) == ":memory:"):
        path = Path(target).expanduser()
        # A file of no bytes is no database either: SQLite would take it for an empty one and a
        # reading command would write a schema into it ('touch typo.db').
        if not path.exists() or (not create and path.is_file() and path.stat().st_size == 0):
            if not create:
                raise StoreError(Errors.E022, path=path.resolve())
            if not path.parent.is_dir():
                raise StoreError(Errors.E023, folder=path.parent.resolve())
        elif not read_only and not (database.writable(path.parent) and os.access(path, os.W_OK)):
            if not reads_only:
                raise StoreError(Errors.E015, path=path.resolve(),
                                 reason="it cannot be written here (a read-only filesystem, or a file or "
                                        "folder of another user); commands that only read it, and serve "
                                        "--read-only, still work")
            read_only = True
        target = path
    store = Store(target, read_only=read_only)
    if not read_only:
        try:
            views.refresh(store)
        except BaseException:
            store.close()
            raise
    return store


def name_filter(name: str, value: str | None) -> str | None:
    """A filter matched on names, refused when nothing is left of it once normalised ('🙂', '!!!',
    ' ', ''): the ledger matches normalised names, every one of which holds the empty string, so it
    would match everything, and a substring match on ' ' or '-' would match names by their spaces
    or hyphens (E026). Refused too: one longer than any name (E020) or holding a NUL (E021)."""
    if value is None:
        return value
    if len(value) > MAX_FILTER_CHARS:
        raise StoreError(Errors.E020, length=len(value), limit=MAX_FILTER_CHARS)
    if not ledger.normalise_name(value):
        raise StoreError(Errors.E026, name=name, value=value)
    if "\x00" in value:
        raise StoreError(Errors.E021)
    return value


def extract(
    paths: Iterable[Path | str], meta: Metadata | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
    policy: FetchPolicy | None = None, manifest: Path | None = None,
    known: Callable[[Report], bool] | None = None,
) -> Iterator[Report | Failure]:
    """Read and analyse every report under ``paths`` (files, directories, URLs), then the rows of
    ``manifest`` (each with its own metadata), in input order. A manifest that cannot be used at all
    is refused (E029) here, before anything is read. Reports for which ``known`` is true pass
    through unread."""
    entries = read_manifest(manifest) if manifest is not None else []
    inputs = chain(read_paths(paths, meta, max_bytes, policy), read_manifest_inputs(entries, meta, max_bytes, policy))
    return read_many(inputs, known=known)


def count_inputs(paths: Iterable[Path | str], manifest: Path | None = None) -> int | None:
    """How many reports the inputs hold, when that is known before reading: every input is a text or
    HTML file (one report each). None when any is a JSON Lines, feed or WARC file or an address (their
    reports are only counted by reading them), so a progress bar never promises a wrong total."""
    targets: list[Path | str] = list(paths)
    if manifest is not None:
        targets += [e.path for e in read_manifest(manifest) if isinstance(e, ManifestEntry)]
    count = 0
    for target in targets:
        if isinstance(target, str) and is_url(target):
            return None
        for found in walk_inputs([Path(target)]):
            if isinstance(found, Path):
                if found.suffix.lower() not in TEXT_SUFFIXES | HTML_SUFFIXES:
                    return None
            count += 1
    return count


# Readings a loader keeps parsed between reports for keeping the ledger's views current: an event
# of many mentions is recomputed after each report that joins it (2,000 demo readings hold about 60 MB).
READINGS_KEPT = 2000
# A bulk load (ingest, the demo) refreshes the ledger's views after this many stored reports and at
# its end: an event that many of its reports join is recomputed once per so many, not per report.
BULK_REFRESH_EVERY = 100


class Loader:
    """The one way readings enter a store: stored once, checked for wire copies, linked into the ledger,
    and the ledger's views it changed brought up to date, all in one transaction.

    With ``refresh_every`` above one the views are brought up to date after that many stored
    reports and at ``finish``, in the transaction of the last; meanwhile a reader computes what is
    stale from the readings, so its answers are current all the same, only slower."""

    def __init__(self, store: Store, refresh_every: int = 1) -> None:
        self.store = store
        self.refresh_every = refresh_every
        self.pending = 0  # reports stored since the views were last refreshed
        self.copy_index = dedup.load_index(store)
        self.readings = views.ReadingCache(store, limit=READINGS_KEPT)
        self.result = IngestResult()
        self.unread: set[str] = set()  # ids found stored before they were read

    def known(self, report: Report) -> bool:
        """Whether a report (not yet read) is already stored; if so it is passed on unread and counted
        as unchanged. Its id hashes the raw text, outlet and url, which reading never changes, so
        ingesting a stored report again loads no model (issue 17)."""
        if not self.store.has(report.id):
            return False
        self.unread.add(report.id)
        return True

    def __call__(self, item: Report | Failure) -> None:
        if isinstance(item, Failure):
            self.store.record_failure(item)
            self.result.failures.append(item)
            return
        if item.id in self.unread:
            self.result.unchanged.append(item.id)
            return
        with self.store.transaction():
            if not self.store.add(item):
                self.result.unchanged.append(item.id)
                return
            link = dedup.register(self.store, self.copy_index, item)
            ledger.link_report(self.store, item)
            self.pending += 1
            if self.pending >= self.refresh_every:
                self.finish()
        self.result.added.append(item.id)
        if link is not None:
            self.result.copies.append(link)

    def finish(self) -> None:
        """Bring the ledger's views up to date with every report stored so far."""
        views.refresh(self.store, self.readings)
        self.pending = 0


def ingest(
    store: Store, paths: Iterable[Path | str], meta: Metadata | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
    policy: FetchPolicy | None = None, *, manifest: Path | None = None,
    progress: Callable[[IngestResult], None] | None = None,
) -> IngestResult:
    """Store every report under ``paths`` and in ``manifest``; a report already stored is left as it is.

    ``progress`` is called after each input with the counts so far, so a long run can show where it is.
    """
    load = Loader(store, refresh_every=BULK_REFRESH_EVERY)
    for item in extract(paths, meta, max_bytes, policy, manifest, known=load.known):
        load(item)
        if progress is not None:
            progress(load.result)
    load.finish()
    return load.result


def ingest_demo(store: Store) -> IngestResult:
    """Store the bundled demo reports (written for fogwatch; see data/DEMO.md).

    They are recorded as read from ``demo/reports.jsonl:3`` and the like: where
    the package is installed on this machine is no reader's business, and the
    API and exports show the origin.
    """
    load = Loader(store, refresh_every=BULK_REFRESH_EVERY)
    for item in read_many(_relative_origins(read_paths([DEMO_DIR]), DEMO_DIR.parent), known=load.known):
        load(item)
    load.finish()
    return load.result


def _relative_origins(items: Iterable[Report | Failure], base: Path) -> Iterator[Report | Failure]:
    for item in items:
        if item.origin and Path(item.origin).is_relative_to(base):
            item.origin = Path(item.origin).relative_to(base).as_posix()
        yield item


def reading_json(report: Report, with_text: bool = False) -> str:
    """One report's reading as one line of JSON (the contract), with its text if asked."""
    return json.dumps(report.to_dict(with_text), ensure_ascii=False)
