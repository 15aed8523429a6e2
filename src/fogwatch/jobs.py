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
    paths: Iterable[Path], meta: Metadata | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[Report | Failure]:
    """Read and analyse every report under ``paths``, yielding readings and failures in input order."""
    pending: list[Report] = []
    for item in read_paths(paths, meta, max_bytes):
        if isinstance(item, Failure):
            yield from read_many(pending)
            pending = []
            yield item
        else:
            pending.append(item)
    yield from read_many(pending)


def ingest(
    store: Store, paths: Iterable[Path], meta: Metadata | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> IngestResult:
    """Store every report under ``paths``; a report already stored is left as it is."""
    result = IngestResult()
    copy_index = dedup.load_index(store)
    for item in extract(paths, meta, max_bytes):
        if isinstance(item, Failure):
            store.record_failure(item)
            result.failures.append(item)
        elif store.add(item):
            result.added.append(item.id)
            link = dedup.register(store, copy_index, item)
            if link is not None:
                result.copies.append(link)
            ledger.link_report(store, item)
        else:
            result.unchanged.append(item.id)
    return result


def ingest_demo(store: Store) -> IngestResult:
    """Store the bundled demo reports (written for fogwatch; see data/demo/README.md)."""
    return ingest(store, [DEMO_DIR])


def reading_json(report: Report, with_text: bool = False) -> str:
    data = report.to_dict()
    if with_text:
        data["text"] = report.text
    return json.dumps(data, ensure_ascii=False)
