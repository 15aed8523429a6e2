"""How the default pipeline's time grows with one report's length (issue 17).

    .venv/bin/python bench/long_reports.py                    # 10 KB doubling to 2 MB
    .venv/bin/python bench/long_reports.py --sizes 80 160     # KB
    .venv/bin/python bench/long_reports.py --sizes 150 1500 --stop-after 300
    .venv/bin/python bench/long_reports.py --sizes 160 --profile prof.out   # cProfile one size

Each report is real prose: distinct PolNeAR news articles (dev, then train, from
../shared/eval/polnear, read at run time and never copied into the project)
joined by blank lines until the size is reached, so a longer report holds more
different sentences, names and quotations rather than the same filler again.
The default pipeline (tagger on unless FOGWATCH_TAGGER=0) reads each report
once after a warm-up; the bench prints the seconds, the ratio to the previous
size (about 2 per doubling for a linear pipeline, 4 for a quadratic one) and
the seconds of every stage, then the process's peak resident memory so far. ``--stop-after`` skips the larger sizes once one
size took longer than that.
"""

from __future__ import annotations

import argparse
import cProfile
import resource
import sys
import time
from pathlib import Path

from fogwatch.extract import default_pipeline
from fogwatch.pipeline import Pipeline
from fogwatch.report import Report

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "eval" / "polnear"
DEFAULT_SIZES_KB = (10, 20, 40, 80, 160, 320, 640, 1280, 2048)
PUBLISHED = "2016-10-01"


def article_files() -> list[Path]:
    """Every PolNeAR article, dev first (the set the other benches read), in a fixed order."""
    return sorted((CORPUS / "dev" / "text").glob("*.txt")) + sorted((CORPUS / "train" / "text").glob("*.txt"))


def prose_of(size: int, files: list[Path]) -> str:
    """Distinct articles joined by blank lines, cut at a paragraph break near ``size`` characters."""
    parts: list[str] = []
    total = 0
    for path in files:
        text = path.read_text(encoding="utf-8").strip()
        parts.append(text)
        total += len(text) + 2
        if total >= size:
            break
    else:
        raise SystemExit(f"the corpus holds only {total} characters; sizes up to that are possible")
    joined = "\n\n".join(parts)
    cut = joined.rfind("\n\n", 0, size)
    return joined[: cut if cut > size // 2 else size]


def read_once(pipeline: Pipeline, text: str) -> tuple[float, dict[str, float]]:
    """Seconds for one report and seconds per stage."""
    pipeline.seconds = {}
    started = time.perf_counter()
    pipeline(Report(text=text, published=PUBLISHED, origin="long-report"))
    return time.perf_counter() - started, dict(pipeline.seconds)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES_KB), help="sizes in KB")
    parser.add_argument("--stop-after", type=float, default=None, help="skip larger sizes after one took this long")
    parser.add_argument("--profile", default=None, help="write a cProfile of the (single) size to this file")
    args = parser.parse_args(argv)
    files = article_files()
    if not files:
        print(f"skipped: no PolNeAR texts under {CORPUS.name} (../shared/eval/polnear is absent)")
        return 0
    pipeline = default_pipeline()
    read_once(pipeline, prose_of(3000, files))  # warm-up: model, tagger, dictionaries
    header = f"{'KB':>6} {'chars':>9} {'seconds':>8} {'x prev':>7}  per stage (s), peak RSS"
    print(header)
    previous = None
    for size_kb in args.sizes:
        text = prose_of(size_kb * 1024, files)
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
        seconds, stages = read_once(pipeline, text)
        if args.profile:
            profiler.disable()
            profiler.dump_stats(args.profile)
        ratio = f"{seconds / previous:7.2f}" if previous else f"{'':7}"
        per_stage = " ".join(f"{name}={value:.2f}" for name, value in stages.items())
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{size_kb:>6} {len(text):>9} {seconds:>8.2f} {ratio}  {per_stage} peak={peak_mb:.0f}MB", flush=True)
        previous = seconds
        if args.stop_after is not None and seconds > args.stop_after:
            print(f"stopped: {size_kb} KB took over {args.stop_after:.0f} s")
            break
    return 0


if __name__ == "__main__":
    sys.exit(main())
