"""Batch mode on a local Dask cluster: 2 workers against 1, memory per worker, growth with size.

    .venv/bin/python bench/scale.py [--sizes 1000 10000] [--workers 1 2]

Builds JSON Lines corpora of N real articles from ../shared/eval/polnear
(repeated with a different outlet when N exceeds the corpus, so every report
is distinct), runs ``fogwatch.batch.run`` for each size and worker count
(analysis and Parquet only, no store), and prints reports/s, the speed-up of
each worker count over one, peak memory per worker process, and the resident
memory after each partition (the peak only ever rises; the resident figure
shows whether memory grows with the run). Timings
include the cluster start and each worker's model load, as a user sees them.
On a machine shared with other work the wall clock also counts that work, so
the bench also sums the CPU seconds the workers spent on partitions and prints
the rate N workers would reach on N free cores (``cpu est.``: workers x reports
/ CPU seconds, start-up left out). ``warm`` is the rate once every worker has
loaded its model: each worker's partitions after its first, per second of their
own time, summed over the workers (a long run, such as a day of news, goes at
about that rate).
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "eval" / "polnear"


def build_corpus(n: int, folder: Path) -> tuple[Path, int]:
    files = sorted((CORPUS / "train" / "text").glob("*.txt")) + sorted((CORPUS / "dev" / "text").glob("*.txt"))
    texts = [f.read_text(encoding="utf-8") for f in files]
    path = folder / f"corpus-{n}.jsonl"
    words = 0
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            text = texts[i % len(texts)]
            words += len(text.split())
            out.write(json.dumps({"text": text, "outlet": f"copy {i // len(texts)}", "published": "2016-10-01"}) + "\n")
    return path, words


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--records", type=int, default=250, help="records per partition")
    args = parser.parse_args()
    if not CORPUS.is_dir():
        print(f"skipped: {CORPUS} is absent")
        return 0
    from fogwatch import batch

    work = Path(tempfile.mkdtemp(prefix="fogwatch-scale-"))
    print(f"machine: {platform.machine()}, CPython {platform.python_version()}")
    print(f"{'reports':>8} {'workers':>7} {'seconds':>8} {'reports/s':>9} {'words/s':>8} {'speed-up':>8} {'peak MB/worker':>14}")
    for size in args.sizes:
        corpus, words = build_corpus(size, work)
        base = None
        for workers in args.workers:
            out = work / f"out-{size}-{workers}"
            started = time.perf_counter()
            result = batch.run([corpus], out, workers=workers, records=args.records)
            seconds = time.perf_counter() - started
            rate = result.readings / seconds
            base = base or rate
            peaks = [result.peak_rss_mb[k] for k in sorted(result.peak_rss_mb)]
            peak = max(peaks) if peaks else float("nan")
            tenth = max(len(peaks) // 10, 1)
            now = [result.rss_mb[k] for k in sorted(result.rss_mb)]
            growth = (f"  peak MB, first/last tenth of partitions: {max(peaks[:tenth]):.0f}/{max(peaks[-tenth:]):.0f}"
                      if len(peaks) > 1 else "")
            cpu = sum(result.cpu_s.values())
            growth += f"  cpu est. {workers * result.readings / cpu:.2f} reports/s ({cpu:.0f} CPU s)" if cpu else ""
            warm = result.warm_rate()
            growth += f"  warm {warm:.2f} reports/s (each worker after its first partition)" if warm else ""
            if len(now) > 1:
                growth += f"  resident MB after a partition, first/last tenth: {_mean(now[:tenth]):.0f}/{_mean(now[-tenth:]):.0f}"
            print(f"{size:>8} {workers:>7} {seconds:>8.1f} {rate:>9.2f} {words / seconds:>8.0f} {rate / base:>8.2f} "
                  f"{peak:>14.0f}{growth}"
                  + (f"  ({len(result.failed_partitions)} partitions failed)" if result.failed_partitions else ""))
    return 0


def _mean(values: list[float]) -> float:
    return sum(values) / len(values)


if __name__ == "__main__":
    sys.exit(main())
