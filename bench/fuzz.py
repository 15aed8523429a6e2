"""Coverage-guided fuzzing of every input surface (atheris), one subprocess per target.

    .venv/bin/python bench/fuzz.py --seconds 75            # each target for 75 s (the long run)
    .venv/bin/python bench/fuzz.py --runs 500 --json       # each target for 500 executions (CI's short run)

A target that raises anything but a catalogued fogwatch error, breaks an
offset, answers 500, or spends more than ``HANG_SECONDS`` on one input is a
crash: libFuzzer saves the input under ``OUT/artifacts/TARGET/`` and stops;
the target is then restarted for the rest of its time (at most
``MAX_RESTARTS`` times), so one crash does not hide the next. New inputs the
fuzzer finds go to ``OUT/corpus/TARGET/``, never into the seed corpus.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNNER = ROOT / "fuzz" / "run.py"
SEEDS = ROOT / "fuzz" / "corpus"
TARGETS = ("text", "html", "jsonl", "feed", "warc", "timex", "quotes", "api_query")
# One input taking longer than this is a hang (the bound; the slowest seed takes well under 1 s).
HANG_SECONDS = 2
# Largest input libFuzzer builds: the pipeline target cuts at 4 KB itself; 16 KB lets readers see deep markup.
MAX_LEN = {"text": 4096}
DEFAULT_MAX_LEN = 16384
# The spaCy model and the parse of a 4 KB input stay under 1.5 GB; above 4 GB is a leak, not a report.
RSS_LIMIT_MB = 4096
# A target that keeps crashing is restarted at most this often: each crash is saved, the rest of the time used.
MAX_RESTARTS = 5
# libFuzzer's summary lines, printed on exit (normal or crash) with -print_final_stats=1.
STAT = re.compile(r"stat::(\w+):\s+(\d+)")
PROGRESS = re.compile(r"^#(\d+)\s", re.MULTILINE)


@dataclass
class Outcome:
    target: str
    executions: int = 0
    seconds: float = 0.0
    slowest_unit_s: int = 0
    crashes: list[dict[str, str]] = field(default_factory=list)
    returncodes: list[int] = field(default_factory=list)


def libfuzzer_args(target: str, out: Path, runs: int | None, seconds: float | None) -> list[str]:
    corpus = out / "corpus" / target
    artifacts = out / "artifacts" / target
    corpus.mkdir(parents=True, exist_ok=True)
    artifacts.mkdir(parents=True, exist_ok=True)
    budget = [f"-runs={runs}"] if runs is not None else [f"-max_total_time={max(1, int(seconds or 1))}"]
    return [
        str(corpus), str(SEEDS / target), *budget, f"-timeout={HANG_SECONDS}", f"-rss_limit_mb={RSS_LIMIT_MB}",
        f"-max_len={MAX_LEN.get(target, DEFAULT_MAX_LEN)}", "-print_final_stats=1", f"-artifact_prefix={artifacts}/",
    ]


def crash_of(output: str, artifacts: Path, seen: set[Path]) -> dict[str, str]:
    """The new artifact (crash-, timeout- or oom-) and the last lines of the traceback that led to it."""
    new = sorted(set(artifacts.glob("*")) - seen)
    seen.update(new)
    kind = "hang" if "Timeout" in output or "timeout-" in output else "oom" if "out-of-memory" in output else "crash"
    tail = output[output.find("Uncaught Python exception"):] if "Uncaught Python exception" in output else output
    return {"kind": kind, "input": str(new[0]) if new else "", "detail": tail[-1500:]}


def fuzz_target(target: str, out: Path, runs: int | None, seconds: float | None) -> Outcome:
    outcome = Outcome(target)
    artifacts = out / "artifacts" / target
    seen = set(artifacts.glob("*")) if artifacts.exists() else set()
    deadline = time.monotonic() + (seconds or 0)
    for _ in range(MAX_RESTARTS + 1):
        left = None if runs is not None else deadline - time.monotonic()
        if left is not None and left < 1:
            break
        started = time.monotonic()
        done = subprocess.run([sys.executable, str(RUNNER), target, *libfuzzer_args(target, out, runs, left)],
                              check=False, capture_output=True, text=True, errors="replace", cwd=ROOT)
        outcome.seconds += time.monotonic() - started
        output = done.stderr + done.stdout
        (out / "logs").mkdir(exist_ok=True)
        (out / "logs" / f"{target}-{len(outcome.returncodes)}.log").write_text(output, encoding="utf-8")
        stats = {k: int(v) for k, v in STAT.findall(output)}
        progress = [int(n) for n in PROGRESS.findall(output)]
        outcome.executions += stats.get("number_of_executed_units", max(progress, default=0))
        outcome.slowest_unit_s = max(outcome.slowest_unit_s, stats.get("slowest_unit_time_sec", 0))
        outcome.returncodes.append(done.returncode)
        if done.returncode == 0:
            break
        outcome.crashes.append(crash_of(output, artifacts, seen))
        if runs is not None:
            break
    return outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    budget = parser.add_mutually_exclusive_group(required=True)
    budget.add_argument("--seconds", type=float, help="time per target")
    budget.add_argument("--runs", type=int, help="executions per target")
    parser.add_argument("--targets", default=",".join(TARGETS), help="comma-separated subset")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "fuzz")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    args = parser.parse_args()
    outcomes = [fuzz_target(t, args.out, args.runs, args.seconds) for t in args.targets.split(",")]
    summary = [asdict(o) for o in outcomes]
    (args.out / "summary.json").write_text(json.dumps(summary, indent=1), encoding="utf-8")
    if args.json:
        print(json.dumps(summary))
        return
    print("| target | executions | seconds | slowest input (s) | crashes | hangs |")
    print("|---|---|---|---|---|---|")
    for o in outcomes:
        hangs = sum(c["kind"] == "hang" for c in o.crashes)
        print(f"| {o.target} | {o.executions:,} | {o.seconds:.0f} | {o.slowest_unit_s} | "
              f"{len(o.crashes) - hangs} | {hangs} |")
    for o in outcomes:
        for crash in o.crashes:
            print(f"\n{o.target}: {crash['kind']} saved as {crash['input']}\n{crash['detail']}")


if __name__ == "__main__":
    main()
