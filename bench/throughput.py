"""Throughput of the whole pipeline beside raw spaCy on the same texts.

    .venv/bin/python bench/throughput.py [--n 300]

Takes N real news articles from ../shared/eval/polnear (train, then dev),
and in fresh processes (so that peak memory is each one's own) times
(a) raw ``nlp.pipe`` of the pinned spaCy model as its package loads it, with
numpy's default threads (what running spaCy alone costs), (b) ``nlp.pipe`` of
the model as fogwatch loads it (``nlp.load_model``: its faster stand-ins for
two rule components, one BLAS thread), and (c) fogwatch's full default
pipeline, each after the model is loaded and warmed up. Prints reports/s,
words/s, peak RSS, and the ratio that matters: pipeline speed / raw spaCy speed,
by wall clock, by process CPU time (all threads: the work done) and by the main
thread's CPU time; and the same against (b), which shows what the stages after
the parse cost. The claims tagger runs on a thread of its own beside the
parser, so on a machine shared with other work the wall clock depends on
whether a second core was free; the main thread's CPU time is the pipeline's
critical path where one is (the tagger keeping up beside it).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "eval" / "polnear"
WARMUP_TEXTS = 5


def load_texts(n: int) -> list[str]:
    files = sorted((CORPUS / "train" / "text").glob("*.txt")) + sorted((CORPUS / "dev" / "text").glob("*.txt"))
    return [f.read_text(encoding="utf-8") for f in files[:n]]


def measure(mode: str, n: int) -> dict[str, float]:
    texts = load_texts(n)
    words = sum(len(t.split()) for t in texts)
    if mode in ("raw", "tuned"):
        from fogwatch.nlp import load_model, model_package

        nlp = load_model() if mode == "tuned" else model_package().load()  # as fogwatch loads it, or as shipped
        list(nlp.pipe(texts[:WARMUP_TEXTS]))
        start, cpu, main_cpu = time.perf_counter(), time.process_time(), time.thread_time()
        for _ in nlp.pipe(texts, batch_size=32):
            pass
    else:
        from fogwatch.extract import default_pipeline, read_many
        from fogwatch.report import Report

        pipeline = default_pipeline()
        list(read_many([Report(text=t, published="2016-10-01") for t in texts[:WARMUP_TEXTS]], pipeline))
        start, cpu, main_cpu = time.perf_counter(), time.process_time(), time.thread_time()
        for _ in read_many((Report(text=t, published="2016-10-01") for t in texts), pipeline):
            pass
    seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - cpu
    main_cpu_seconds = time.thread_time() - main_cpu
    stages = {} if mode in ("raw", "tuned") else dict(pipeline.seconds)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"reports": len(texts), "words": words, "seconds": seconds, "cpu_seconds": cpu_seconds,
            "main_cpu_seconds": main_cpu_seconds,
            "reports_per_s": len(texts) / seconds, "words_per_s": words / seconds, "peak_rss_mb": peak_mb,
            "stages": stages}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=300, help="number of articles")
    parser.add_argument("--mode", choices=["raw", "tuned", "pipeline"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not CORPUS.is_dir():
        print(f"skipped: {CORPUS} is absent")
        return 0
    if args.mode:
        print(json.dumps(measure(args.mode, args.n)))
        return 0
    results = {}
    for mode in ("raw", "tuned", "pipeline"):
        # raw spaCy with numpy's own thread default (importing fogwatch would start OpenBLAS on one)
        env = {**os.environ, "OPENBLAS_NUM_THREADS": str(os.cpu_count() or 1)} if mode == "raw" else None
        out = subprocess.run([sys.executable, __file__, "--mode", mode, "--n", str(args.n)],
                             capture_output=True, text=True, check=True, env=env).stdout
        results[mode] = json.loads(out.strip().splitlines()[-1])
    print(f"machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}, "
          f"1 process; {results['raw']['reports']} reports, {results['raw']['words']} words")
    for mode, r in results.items():
        print(f"{mode:<9} {r['reports_per_s']:7.1f} reports/s {r['words_per_s']:9.0f} words/s "
              f"peak RSS {r['peak_rss_mb']:6.0f} MB ({r['seconds']:.1f} s, {r['cpu_seconds']:.1f} CPU s, "
              f"{r['main_cpu_seconds']:.1f} on the main thread)")
    pipe = results["pipeline"]
    for mode, label in (("raw", "raw spaCy"), ("tuned", "fogwatch's spaCy")):
        base = results[mode]
        print(f"ratio pipeline/{label}: {pipe['words_per_s'] / base['words_per_s']:.2f} by wall clock, "
              f"{base['cpu_seconds'] / pipe['cpu_seconds']:.2f} by CPU time, "
              f"{base['cpu_seconds'] / pipe['main_cpu_seconds']:.2f} by the main thread's CPU time")
    stages = results["pipeline"]["stages"]
    total = sum(stages.values()) or 1.0
    print("time per stage (warm-up included): " + ", ".join(f"{k} {v:.1f}s ({v / total:.0%})" for k, v in stages.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
