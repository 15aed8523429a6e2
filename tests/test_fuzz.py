"""CI's short fuzzing run: every atheris target for a few hundred executions, zero crashes allowed.

The long run lives in ``bench/fuzz.py`` (figures in bench/RESULTS.md); this one
replays the seed corpus (which keeps every crash input found so far) and
mutates from it, through the same runner, so a regression in any reader, the
time grammar, the quote scanner or the API's parameter parsing fails CI.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("atheris", reason="atheris (a test dependency) is not installed")

from fogwatch.extract import Failure
from fogwatch.ingest import read_file

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "fuzz" / "corpus"
# Executions per target: 400 each (3,200 in all) took 12 s on a 2-core machine,
# most of it starting the eight subprocesses and loading the spaCy model once.
RUNS = 400


@pytest.mark.model
def test_short_fuzz_run_finds_no_crash(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "fuzz.py"), "--runs", str(RUNS), "--json",
                           "--out", str(tmp_path)], check=False, capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    outcomes = json.loads(done.stdout)
    assert {o["target"] for o in outcomes} == {p.name for p in SEEDS.iterdir()}, "a target without seeds"
    crashes = [(o["target"], c["kind"], c["detail"][-1500:]) for o in outcomes for c in o["crashes"]]
    assert not crashes, crashes
    for outcome in outcomes:
        assert outcome["returncodes"] == [0], outcome
        assert outcome["executions"] >= RUNS, outcome


def test_a_warc_response_without_target_uri_is_a_catalogue_failure() -> None:
    """The first crash the fuzzer found: warcio raised AttributeError on this record."""
    [item] = read_file(SEEDS / "warc" / "no-target-uri.warc")
    assert isinstance(item, Failure) and item.code == "E005"


def test_a_feed_that_breaks_the_feed_parser_is_a_catalogue_failure() -> None:
    """Found by CI's fuzzing run: a mangled <link> made feedparser raise KeyError('links')."""
    [item] = read_file(SEEDS / "feed" / "broken-link.rss")
    assert isinstance(item, Failure) and item.code == "E005"
