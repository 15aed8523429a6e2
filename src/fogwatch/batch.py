"""Distributed batch mode on Dask: partition inputs, analyse on workers, collect Parquet, load the store.

The same code runs on a laptop (``--cluster local``: a LocalCluster of worker
processes on loopback) and on a real cluster (``--cluster tcp://HOST:8786``,
whose workers have fogwatch installed). Each worker process loads the spaCy
model once (the pipeline is cached per process) and writes each partition's
readings as one Parquet file; the client then loads them into the store
through the one write path, so wire-copy detection and event linking see every
report. A partition that fails is retried; one that still fails is reported
with its reason and its inputs, never silently dropped.
"""

from __future__ import annotations

import json
import os
import time
import resource
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from itertools import accumulate
from pathlib import Path
from typing import Any

from .extract import Failure, read_many
from .ingest import DEFAULT_MAX_BYTES, JSONL_SUFFIXES, Metadata, read_file, reports_from_jsonl, walk_inputs
from .jobs import BULK_REFRESH_EVERY, IngestResult, Loader
from .report import Report
from .store import Store
from .tagger import DEFAULT_MAX_THREADS, THREADS_ENV, usable_cpus

# JSON Lines records per partition: large enough that scheduling costs are
# negligible (a partition of news reports takes tens of seconds on one core),
# small enough that a retry repeats little and memory stays flat.
RECORDS_PER_PARTITION = 500
# Separate files (text, HTML, WARC) per partition, for the same reasons.
FILES_PER_PARTITION = 200
# Times Dask re-runs a failed partition before reporting it.
RETRIES = 2


@dataclass(frozen=True)
class Partition:
    """A slice of the input: a byte range of one JSON Lines file, or a list of files."""

    number: int
    files: tuple[str, ...]
    byte_start: int = 0
    byte_end: int = -1
    first_line: int = 1

    def describe(self) -> str:
        if self.byte_end >= 0:
            return f"{self.files[0]} lines from {self.first_line}"
        return f"{len(self.files)} files from {self.files[0]}"


@dataclass
class PartitionResult:
    number: int
    path: str
    reports: int
    failures: int
    peak_rss_mb: float
    rss_mb: float | None = None  # resident now, after the partition: flat unless memory leaks
    # CPU seconds the worker process spent on the partition (all its threads): on a shared machine the
    # wall clock also counts other work, this does not (bench/scale.py reports both).
    cpu_s: float = 0.0
    # Seconds the partition took on its worker, and which worker process it was: a worker's first
    # partition also builds its pipeline (the model load), the later ones show the rate once warm.
    wall_s: float = 0.0
    worker: int = 0
    started: float = 0.0  # when it started (seconds since the epoch), to order a worker's partitions


@dataclass
class BatchResult:
    partitions: int = 0
    readings: int = 0
    failures: list[Failure] = field(default_factory=list)
    failed_partitions: list[tuple[str, str]] = field(default_factory=list)
    peak_rss_mb: dict[int, float] = field(default_factory=dict)
    rss_mb: dict[int, float] = field(default_factory=dict)
    cpu_s: dict[int, float] = field(default_factory=dict)
    stored: IngestResult | None = None
    # per partition number: (worker process, when it started, seconds, reports); see ``warm_rate``
    timings: dict[int, tuple[int, float, float, int]] = field(default_factory=dict)

    def warm_rate(self) -> float | None:
        """Reports per second once every worker has built its pipeline: each worker's partitions
        after its first, per second of their own time, summed over the workers (they run side
        by side). None when no worker ran more than one partition."""
        by_worker: dict[int, list[tuple[float, float, int]]] = {}
        for worker, started, seconds, reports in self.timings.values():
            by_worker.setdefault(worker, []).append((started, seconds, reports))
        rates = []
        for parts in by_worker.values():
            later = sorted(parts)[1:]
            seconds = sum(s for _, s, _ in later)
            if later and seconds > 0:
                rates.append(sum(r for _, _, r in later) / seconds)
        return sum(rates) if rates else None


def _line_offsets(path: Path, per_partition: int) -> list[tuple[int, int, int]]:
    """(byte start, byte end, first line number) of each partition of a JSON Lines file.

    ``per_partition`` lines a partition on average: the file is cut into that many partitions, at
    the line end nearest each equal share of its bytes, because a report takes time in
    proportion to its length. Cut by line counts, the bench's 600 news reports in 75-line
    partitions left one of two workers reading its last partition alone for 3.6 s of 74."""
    with path.open("rb") as handle:
        ends = list(accumulate(len(raw) for raw in handle))  # byte offset after each line
    if not ends:
        return []
    parts = -(-len(ends) // per_partition)  # ceiling
    cuts: list[int] = []  # line indexes (0-based) after which a partition ends
    for k in range(1, parts):
        share = ends[-1] * k / parts
        i = bisect_left(ends, share)
        if i > 0 and share - ends[i - 1] < ends[i] - share:
            i -= 1  # the line end before the share is nearer
        if i < len(ends) - 1 and (not cuts or i > cuts[-1]):
            cuts.append(i)
    ranges, start = [], 0
    for i in [*cuts, len(ends) - 1]:
        ranges.append((0 if start == 0 else ends[start - 1], ends[i], start + 1))
        start = i + 1
    return ranges


def plan(paths: Iterable[Path], records: int = RECORDS_PER_PARTITION, files: int = FILES_PER_PARTITION,
         skipped: list[Failure] | None = None) -> list[Partition]:
    """Cut the inputs into partitions: JSON Lines by line ranges, other files in groups. In a
    directory only report files are read, as in ``ingest``; every other entry (hidden ones,
    data.csv, notes.md) is added to ``skipped`` with the reason."""
    partitions: list[Partition] = []
    group: list[str] = []
    for path in walk_inputs(paths):
        if isinstance(path, Failure):
            if skipped is not None:
                skipped.append(path)
            continue
        if path.suffix.lower() in JSONL_SUFFIXES and path.is_file():
            for start, end, first in _line_offsets(path, records):
                partitions.append(Partition(len(partitions), (str(path),), start, end, first))
            continue
        group.append(str(path))
        if len(group) == files:
            partitions.append(Partition(len(partitions), tuple(group)))
            group = []
    if group:
        partitions.append(Partition(len(partitions), tuple(group)))
    return partitions


def _read_partition(part: Partition, meta: Metadata, max_bytes: int) -> Iterator[Report | Failure]:
    if part.byte_end >= 0:
        with open(part.files[0], "rb") as handle:
            handle.seek(part.byte_start)
            data = handle.read(part.byte_end - part.byte_start)
        text = data.decode("utf-8", errors="replace")
        yield from reports_from_jsonl(text, part.files[0], meta, first_line=part.first_line)
        return
    for name in part.files:
        yield from read_file(Path(name), meta, max_bytes)


def run_partition(part: Partition, out_dir: str, meta: dict[str, Any], max_bytes: int) -> PartitionResult:
    """Analyse one partition (on a worker) and write its readings and failures as one Parquet file."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    cpu_start, wall_start, started = _cpu_s(), time.perf_counter(), time.time()
    rows: list[dict[str, Any]] = []
    for item in read_many(_read_partition(part, Metadata(**meta), max_bytes)):
        if isinstance(item, Failure):
            rows.append({"id": None, "text": None, "reading": None, "origin": item.origin,
                         "failure": item.reason, "code": item.code})
        else:
            rows.append({"id": item.id, "text": item.text, "reading": json.dumps(item.to_dict(), ensure_ascii=False),
                         "origin": item.origin, "failure": None, "code": None})
    schema = pa.schema([("id", pa.string()), ("text", pa.string()), ("reading", pa.string()),
                        ("origin", pa.string()), ("failure", pa.string()), ("code", pa.string())])
    path = Path(out_dir) / f"part-{part.number:06d}.parquet"
    tmp = path.with_suffix(".tmp")
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), tmp)
    os.replace(tmp, path)  # a killed worker never leaves a half-written partition behind
    failures = sum(1 for r in rows if r["failure"])
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return PartitionResult(part.number, str(path), len(rows) - failures, failures, peak, _resident_mb(),
                           _cpu_s() - cpu_start, time.perf_counter() - wall_start, os.getpid(), started)


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _resident_mb() -> float | None:
    """The worker's resident memory now (Linux); the peak alone is a high-water mark and cannot show a leak."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def load_partition(path: str) -> Iterator[Report | Failure]:
    """Readings and failures back from one partition's Parquet file."""
    import pyarrow.parquet as pq

    for row in pq.read_table(path).to_pylist():
        if row["failure"]:
            yield Failure(row["origin"], row["failure"], row["code"])
        else:
            yield Report.from_dict(json.loads(row["reading"]), row["text"])


def partition_failures(path: str) -> list[Failure]:
    """The failures of one partition's Parquet file, read without decoding its readings."""
    import pyarrow.parquet as pq

    rows = pq.read_table(path, columns=["origin", "failure", "code"]).to_pylist()
    return [Failure(row["origin"], row["failure"], row["code"]) for row in rows if row["failure"]]


def connect(cluster: str, workers: int) -> Any:
    """A Dask client: a LocalCluster of single-threaded worker processes (their taggers' threads set by
    ``worker_tagger_threads``), or an existing scheduler."""
    from distributed import Client, LocalCluster

    if cluster == "local":
        local = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0",
                             host="127.0.0.1", env={THREADS_ENV: worker_tagger_threads(workers)})
        return Client(local)
    return Client(cluster)


def worker_tagger_threads(workers: int) -> str:
    """Texts each local worker's tagger tags at once ($FOGWATCH_TAGGER_THREADS where set): the cores left
    per worker, so that workers do not crowd each other's cores (one per core: one each)."""
    if os.environ.get(THREADS_ENV, "").strip():
        return os.environ[THREADS_ENV]
    return str(max(1, min(DEFAULT_MAX_THREADS, usable_cpus() // workers)))


def run(
    paths: Iterable[Path], out_dir: Path, *, cluster: str = "local", workers: int = 2, meta: Metadata | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES, records: int = RECORDS_PER_PARTITION, store: Store | None = None,
) -> BatchResult:
    """Analyse every input on the cluster; when a store is given, load each finished partition into it."""
    from distributed import as_completed

    out_dir.mkdir(parents=True, exist_ok=True)
    skipped: list[Failure] = []
    partitions = plan(paths, records, skipped=skipped)
    result = BatchResult(partitions=len(partitions))
    load = Loader(store, refresh_every=BULK_REFRESH_EVERY) if store is not None else None
    for failure in skipped:  # named and recorded like any input that could not be read
        result.failures.append(failure)
        if load is not None:
            load(failure)
    with connect(cluster, workers) as client:
        futures = {
            client.submit(run_partition, part, str(out_dir), asdict(meta or Metadata()), max_bytes,
                          retries=RETRIES, pure=False, key=f"fogwatch-partition-{part.number}"): part
            for part in partitions
        }
        for future in as_completed(futures):
            part = futures[future]
            if future.status != "finished":
                result.failed_partitions.append((part.describe(), repr(future.exception())))
                continue
            done: PartitionResult = future.result()
            result.peak_rss_mb[done.number] = done.peak_rss_mb
            if done.rss_mb is not None:
                result.rss_mb[done.number] = done.rss_mb
            result.cpu_s[done.number] = done.cpu_s
            result.timings[done.number] = (done.worker, done.started, done.wall_s, done.reports)
            if load is None:  # analysis only: the readings stay in Parquet, undecoded
                result.readings += done.reports
                result.failures.extend(partition_failures(done.path) if done.failures else [])
                continue
            for item in load_partition(done.path):
                if isinstance(item, Failure):
                    result.failures.append(item)
                else:
                    result.readings += 1
                load(item)
    if load is not None:
        load.finish()  # the ledger's views current with every report loaded
    result.stored = load.result if load is not None else None
    return result
