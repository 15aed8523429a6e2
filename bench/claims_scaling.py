"""How the claims layer's time grows with attribution-dense hostile text.

Usage (from the repository root)::

    .venv/bin/python bench/claims_scaling.py                 # sizes 250, 500, 1000, 2000
    .venv/bin/python bench/claims_scaling.py --sizes 500 1000

Each case packs N attributions into one report in a shape that stresses one
part of the layer: N lower-case quotations with trailing cues in a single
sentence (a sentence as long as the report: anything that walks "the
sentence" per claim goes quadratic), a quotation followed by N cue-less
quotations that continue it, and N clauses each closed by ", a claim X
denies". The pipeline runs chrome, parse, actors and claims (tagger included,
unless FOGWATCH_TAGGER=0). For each doubling of N the time should roughly
double; a ratio near 4 means a quadratic step.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from fogwatch.pipeline import Pipeline
from fogwatch.report import Report

STAGES = ("chrome", "parse", "actors", "places", "claims")


def one_sentence(n: int) -> str:
    return " and ".join(f"the men “were {i} here,” he said" for i in range(n)) + "."


def continuations(n: int) -> str:
    return "“It began,” said Ana Ruiz, who runs the clinic. " + " ".join(f"“Part {i} of it.”" for i in range(n))


def denials(n: int) -> str:
    return " ".join(f"Troops shelled town {i}, a claim the army denies." for i in range(n))


CASES: dict[str, Callable[[int], str]] = {
    "quotations in one sentence": one_sentence,
    "continued quotations": continuations,
    "closing denials": denials,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[250, 500, 1000, 2000])
    args = parser.parse_args(argv)
    pipeline = Pipeline.from_names(STAGES)
    pipeline(Report(text="A warm-up sentence, the minister said."))
    print(f"{'case':28} {'N':>6} {'chars':>8} {'claims':>7} {'seconds':>8} {'x prev':>7}")
    for name, make in CASES.items():
        previous = None
        for n in args.sizes:
            text = make(n)
            began = time.perf_counter()
            report = pipeline(Report(text=text))
            took = time.perf_counter() - began
            ratio = f"{took / previous:7.2f}" if previous else f"{'':7}"
            print(f"{name:28} {n:6} {len(text):8} {len(report.claims):7} {took:8.2f} {ratio}")
            previous = took
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
