"""The claims gate: PolNeAR dev scored as ``bench/polnear.py`` scores it, against pinned floors.

The floors are the acceptance bar of the claims issue (exact F1; content per
fragment, the convention of the reference tagger's figures). The shipped stage
measured 78.6 / 72.5 / 63.9 when they were pinned (bench/RESULTS.md); a change
that drops any of them below its floor fails CI. Dev chose the merge rules, so
these are regression floors, not estimates of held-back accuracy.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

pytestmark = [pytest.mark.model, pytest.mark.shared]

BENCH = Path(__file__).resolve().parents[1] / "bench" / "polnear.py"
SOURCE_FLOOR = 78.0
CUE_FLOOR = 70.0
CONTENT_FLOOR = 63.0


@pytest.fixture(scope="module")
def score(shared: Path):  # noqa: ANN201 - the bench module's Score
    dev = shared / "eval" / "polnear" / "dev"
    if not (dev / "text").is_dir():
        pytest.skip(f"PolNeAR dev is absent under {shared}")
    spec = importlib.util.spec_from_file_location("bench_polnear", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module.score_folder(dev)[0]


def f1(counts: list[int]) -> float:
    tp, predicted, gold = counts
    return 200 * tp / (predicted + gold) if predicted + gold else 0.0


def test_source_and_cue_floors(score) -> None:  # noqa: ANN001
    assert f1(score.exact["Source"]) >= SOURCE_FLOOR, score.table()
    assert f1(score.exact["Cue"]) >= CUE_FLOOR, score.table()


def test_content_floor(score) -> None:  # noqa: ANN001
    assert f1(score.fragments["Content"]) >= CONTENT_FLOOR, score.table()
