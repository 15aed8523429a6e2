"""The golden test: the seed report read against the analyst's gold file in ../shared.

The floors are the acceptance bar of the foundation: every required quote with
its speaker, and at least 60% of the required items in every other category.
Later issues raise them; a drop below them fails CI.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

pytestmark = [pytest.mark.model, pytest.mark.shared]

BENCH = Path(__file__).resolve().parents[1] / "bench" / "seed.py"
FLOOR = 0.60


def load_scorer():  # noqa: ANN201 - the bench module
    spec = importlib.util.spec_from_file_location("bench_seed", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


@pytest.fixture(scope="module")
def scored(shared: Path) -> dict:
    seed = load_scorer()
    if not seed.SEED.exists() or not seed.GOLD.exists():
        pytest.skip(f"the seed report or its gold file is absent under {shared}")
    gold = json.loads(seed.GOLD.read_text(encoding="utf-8"))
    text = seed.SEED.read_text(encoding="utf-8")
    reading = seed.run_extract(seed.SEED, gold["report"]["published"], gold["report"]["outlet"])
    return {"summary": seed.summarise(seed.score(reading, gold, text)), "reading": reading, "text": text}


def test_every_required_quote_with_its_speaker(scored: dict) -> None:
    quotes = scored["summary"]["quotes"]
    assert quotes["found"] == quotes["required"]
    assert quotes["checks"]["speaker"] == f"{quotes['required']}/{quotes['required']}"


@pytest.mark.parametrize("category", ["claims", "events", "quantities", "places", "times", "actors"])
def test_required_items_above_the_floor(scored: dict, category: str) -> None:
    result = scored["summary"][category]
    assert result["recall"] >= FLOOR, result


def test_staleness_banner_is_chrome_not_story(scored: dict) -> None:
    reading, text = scored["reading"], scored["text"]
    banner_end = text.index("\n")
    assert any(c["start"] == 0 and c["end"] <= banner_end + 1 for c in reading["report"]["chrome"])
    for layer in ("times", "quantities", "claims", "events", "places"):
        assert reading[layer] and all(item["start"] >= banner_end for item in reading[layer]), layer


def test_offsets_point_into_the_original_text(scored: dict) -> None:
    reading, text = scored["reading"], scored["text"]
    for place in reading["places"]:
        assert text[place["start"] : place["end"]] == place["text"]
    for time in reading["times"]:
        assert text[time["start"] : time["end"]] == time["text"]
    for claim in reading["claims"]:
        assert text[claim["cue"]["start"] : claim["cue"]["end"]] == claim["cue"]["text"]
