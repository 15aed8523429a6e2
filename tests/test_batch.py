"""Batch mode: partition planning (no model), and a real local Dask cluster end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fogwatch import batch
from fogwatch.extract import Failure
from fogwatch.report import Report
from fogwatch.store import Store

STORY = "Rebels shelled the town of {town} on Monday, killing {n} civilians, officials said on Tuesday."
TOWNS = ["Saraqib", "Ariha", "Jisr al-Shughur", "Maarat al-Numan", "Khan Shaykhun"]


def write_jsonl(path: Path, count: int, bad_every: int = 0) -> None:
    lines = []
    for i in range(count):
        if bad_every and i % bad_every == bad_every - 1:
            lines.append("{broken")
        else:
            text = STORY.format(town=TOWNS[i % len(TOWNS)], n=i + 2)
            lines.append(json.dumps({"text": text, "outlet": f"Outlet {i}", "published": "2020-02-04"}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_plan_cuts_jsonl_by_lines_and_groups_files(tmp_path: Path) -> None:
    write_jsonl(tmp_path / "a.jsonl", 7)
    for i in range(3):
        (tmp_path / f"r{i}.txt").write_text(STORY.format(town="Ariha", n=i), encoding="utf-8")
    parts = batch.plan([tmp_path], records=3, files=2)
    jsonl = [p for p in parts if p.byte_end >= 0]
    assert len(jsonl) == 3 and all(p.byte_end > p.byte_start for p in jsonl)  # 7 lines, 3 a partition
    assert jsonl[0].first_line == 1 and jsonl[0].byte_start == 0
    assert all(a.byte_end == b.byte_start for a, b in zip(jsonl, jsonl[1:]))
    assert [len(p.files) for p in parts if p.byte_end < 0] == [2, 1]
    assert [p.number for p in parts] == list(range(len(parts)))


def test_plan_reads_only_report_files_and_names_the_rest(tmp_path: Path) -> None:
    (tmp_path / "r.txt").write_text(STORY.format(town="Ariha", n=1), encoding="utf-8")
    (tmp_path / "data.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    (tmp_path / "notes.md").write_text("# notes\n", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("x", encoding="utf-8")
    skipped: list[Failure] = []
    parts = batch.plan([tmp_path], skipped=skipped)
    assert [Path(f).name for p in parts for f in p.files] == ["r.txt"]
    assert sorted(Path(f.origin).name for f in skipped) == [".hidden.txt", "data.csv", "notes.md"]
    assert all(f.code == "E024" for f in skipped)


def test_partitions_share_the_bytes_not_the_lines(tmp_path: Path) -> None:
    """Long reports first, short ones after: cut by line counts, the first partition would hold
    nearly all the text (and the work); cut at equal bytes, the partitions hold about as much."""
    path = tmp_path / "a.jsonl"
    long, short = "Shelling hit the town again. " * 200, "A short note."
    rows = [long] * 4 + [short] * 20
    path.write_text("".join(json.dumps({"text": t}) + "\n" for t in rows), encoding="utf-8")
    parts = batch.plan([path], records=12)
    sizes = [p.byte_end - p.byte_start for p in parts]
    assert len(parts) == 2 and sum(sizes) == path.stat().st_size
    assert max(sizes) < 0.6 * sum(sizes)  # by lines: 4 long + 8 short against 12 short, 97% in one
    assert parts[1].first_line == 3  # the second partition starts among the long reports


def test_byte_ranges_cover_every_line_once(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    write_jsonl(path, 10, bad_every=4)
    items = [i for part in batch.plan([path], records=3) for i in batch._read_partition(part, batch.Metadata(), 10**6)]
    origins = [i.origin for i in items]
    assert origins == [f"{path}:{n}" for n in range(1, 11)]
    assert [isinstance(i, Failure) for i in items].count(True) == 2


@pytest.mark.model
def test_local_cluster_end_to_end_with_a_failed_partition(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    write_jsonl(inputs / "a.jsonl", 6, bad_every=6)
    doomed = tmp_path / "doomed"
    doomed.mkdir()
    write_jsonl(doomed / "gone.jsonl", 2)
    out = tmp_path / "out"
    original_plan = batch.plan

    def plan_then_delete(paths, records=batch.RECORDS_PER_PARTITION, files=batch.FILES_PER_PARTITION, skipped=None):
        parts = original_plan(paths, records, files, skipped=skipped)
        (doomed / "gone.jsonl").unlink()  # vanishes between planning and running: the partition fails
        return parts

    batch.plan = plan_then_delete
    try:
        with Store(tmp_path / "b.db") as store:
            result = batch.run([inputs, doomed], out, workers=2, records=2, store=store)
            stored = store.count()["reports"]
    finally:
        batch.plan = original_plan
    assert result.partitions == 4
    assert result.readings == 5 and stored == 5
    assert [f.origin.rsplit(":", 1)[1] for f in result.failures] == ["6"]
    assert len(result.failed_partitions) == 1 and "gone.jsonl" in result.failed_partitions[0][0]
    assert len(list(out.glob("part-*.parquet"))) == 3
    reloaded = [i for p in sorted(out.glob("*.parquet")) for i in batch.load_partition(str(p))]
    assert sum(isinstance(i, Report) for i in reloaded) == 5


def test_local_workers_leave_each_other_the_cores(monkeypatch) -> None:
    monkeypatch.delenv("FOGWATCH_TAGGER_THREADS", raising=False)
    monkeypatch.setattr(batch, "usable_cpus", lambda: 2)
    assert (batch.worker_tagger_threads(2), batch.worker_tagger_threads(1)) == ("1", "2")
    monkeypatch.setattr(batch, "usable_cpus", lambda: 16)
    assert batch.worker_tagger_threads(2) == "2"  # never more than the tagger's own default
    monkeypatch.setenv("FOGWATCH_TAGGER_THREADS", "3")
    assert batch.worker_tagger_threads(2) == "3"


def test_the_warm_rate_leaves_out_each_workers_first_partition() -> None:
    """Worker 1 loads its model in its first partition (100 reports in 30 s), then reads 100 in 10 s;
    worker 2 likewise: warm, each reads 10 reports/s, 20 together."""
    from fogwatch.batch import BatchResult

    result = BatchResult(timings={0: (1, 0.0, 30.0, 100), 1: (2, 0.5, 31.0, 100),
                                  2: (1, 30.0, 10.0, 100), 3: (2, 31.5, 10.0, 100)})
    assert result.warm_rate() == 20.0
    assert BatchResult(timings={0: (1, 0.0, 30.0, 100)}).warm_rate() is None
