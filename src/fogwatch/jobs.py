"""The library functions behind each CLI command: read, extract, ingest, export.

Each takes plain arguments and returns plain results, so the CLI, the HTTP API
and scripts all call the same code; only the CLI turns errors into exit codes.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO

from . import dedup, ledger
from .extract import Failure, read_many
from .ingest import DEFAULT_MAX_BYTES, Metadata, read_paths
from .paths import PACKAGE_DATA
from .report import LAYERS, Report
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


def export_jsonl(store: Store, out: IO[str]) -> int:
    """One line per stored report: its reading with its text."""
    count = 0
    for report in store.reports():
        out.write(reading_json(report, with_text=True) + "\n")
        count += 1
    return count


CSV_COLUMNS = ("report_id", "layer", "index", "start", "end", "text", "label", "status", "detail")


def export_csv(store: Store, out: IO[str], layers: Iterable[str] = LAYERS) -> int:
    """Every stored item, one row each: which report and layer, its span and words, a label, the rest as JSON."""
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    rows = 0
    for report in store.reports():
        for layer in layers:
            for index, item in enumerate(getattr(report, layer)):
                writer.writerow(_csv_row(report, layer, index, item))
                rows += 1
    return rows


def _csv_row(report: Report, layer: str, index: int, item: object) -> list[object]:
    data = asdict(item)  # type: ignore[call-overload]
    start, end = _item_span(data)
    label = data.get("type") or data.get("kind") or data.get("value") or data.get("name") or ""
    status = data.get("status") or ""
    words = report.snippet(start, end) if start is not None and end is not None else ""
    detail = {k: v for k, v in data.items() if k not in {"start", "end", "text"}}
    return [report.id, layer, index, start, end, words, label, status, json.dumps(detail, ensure_ascii=False)]


def _item_span(data: dict) -> tuple[int | None, int | None]:
    if "start" in data:
        return data["start"], data["end"]
    mentions = data.get("mentions") or []
    if mentions:
        return mentions[0]["start"], mentions[0]["end"]
    return None, None


def export(store: Store, fmt: str, out: IO[str]) -> int:
    if fmt == "jsonl":
        return export_jsonl(store, out)
    if fmt == "csv":
        return export_csv(store, out)
    raise ValueError(f"unknown export format {fmt!r}")

