"""How the times stage grows with report length (issue 17).

    .venv/bin/python bench/times_scaling.py            # 250 .. 4000 sentences
    .venv/bin/python bench/times_scaling.py --sizes 500 2000

Each size is a synthetic report of that many sentences, written for this bench,
every one with a weekday, a date or a clock time. The report is parsed once
(spaCy, outside the timing); only the times stage is timed, three runs, best
kept. A stage that reads ``Doc.text`` or the sentence list per expression grows
with the square of the length; one that reads them once per report grows linearly,
so the cost per expression stays flat.
"""

from __future__ import annotations

import argparse
import sys
import time

from fogwatch.pipeline import Pipeline
from fogwatch.report import Report
from fogwatch.stages.times import TimesStage

SENTENCES = (
    "Shelling resumed on Tuesday night after the truce was due to take effect.",
    "The envoy said talks would restart at 16:00 Kyiv time on Friday.",
    "Officials reported that 12 people were hurt on Nov. 3 near the crossing.",
    "A pause from noon Saturday was announced by the ministry.",
)
RUNS = 3


def report_of(sentences: int) -> Report:
    text = " ".join(SENTENCES[i % len(SENTENCES)] for i in range(sentences))
    return Report(text=text, published="2016-12-14", origin=f"scaling-{sentences}")


def time_stage(report: Report, stage: TimesStage) -> float:
    best = float("inf")
    for _ in range(RUNS):
        started = time.perf_counter()
        stage(report)
        best = min(best, time.perf_counter() - started)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[250, 500, 1000, 2000, 4000])
    args = parser.parse_args(argv)
    parse = Pipeline.from_names(["chrome", "parse"])
    stage = TimesStage()
    print(f"{'sentences':>9} {'chars':>8} {'times':>6} {'stage s':>8} {'us/time':>8}")
    for size in args.sizes:
        report = parse(report_of(size))
        seconds = time_stage(report, stage)
        count = len(report.times)
        print(f"{size:>9} {len(report.text):>8} {count:>6} {seconds:>8.3f} {1e6 * seconds / max(count, 1):>8.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
