"""The library functions behind each CLI command: read, extract, ingest, export.

Each takes plain arguments and returns plain results, so the CLI, the HTTP API
and scripts all call the same code; only the CLI turns errors into exit codes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from . import dedup, ledger
from .extract import Failure, read_many
from .fetch import FetchPolicy
from .ingest import DEFAULT_MAX_BYTES, Metadata, read_paths
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


def extract(
    paths: Iterable[Path | str], meta: Metadata | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
    policy: FetchPolicy | None = None,
) -> Iterator[Report | Failure]:
    """Read and analyse every report under ``paths`` (files, directories, URLs), in input order."""
    return read_many(read_paths(paths, meta, max_bytes, policy))


class Loader:
    """The one way readings enter a store: stored once, checked for wire copies, linked into the ledger."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.copy_index = dedup.load_index(store)
        self.result = IngestResult()

    def __call__(self, item: Report | Failure) -> None:
        if isinstance(item, Failure):
            self.store.record_failure(item)
            self.result.failures.append(item)
            return
        with self.store.transaction():
            if not self.store.add(item):
                self.result.unchanged.append(item.id)
                return
            link = dedup.register(self.store, self.copy_index, item)
            ledger.link_report(self.store, item)
        self.result.added.append(item.id)
        if link is not None:
            self.result.copies.append(link)


def ingest(
    store: Store, paths: Iterable[Path | str], meta: Metadata | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
    policy: FetchPolicy | None = None,
) -> IngestResult:
    """Store every report under ``paths``; a report already stored is left as it is."""
    load = Loader(store)
    for item in extract(paths, meta, max_bytes, policy):
        load(item)
    return load.result


def ingest_demo(store: Store) -> IngestResult:
    """Store the bundled demo reports (written for fogwatch; see data/demo/README.md)."""
    return ingest(store, [DEMO_DIR])


def reading_json(report: Report, with_text: bool = False) -> str:
    """One report's reading as one line of JSON (the contract), with its text if asked."""
    return json.dumps(report.to_dict(with_text), ensure_ascii=False)
