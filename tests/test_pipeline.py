"""The stage registry and the order check, on hand-built stages (no model)."""

from __future__ import annotations

import pytest

from fogwatch.errors import PipelineError
from fogwatch.pipeline import DEFAULT_STAGES, Pipeline, StageInfo, check_order, registered_stages
from fogwatch.report import Report


def info(name: str, requires: tuple[str, ...], assigns: tuple[str, ...]) -> StageInfo:
    return StageInfo(name, requires, assigns, factory=lambda: None)  # type: ignore[arg-type,return-value]


def test_order_check_accepts_the_default_pipeline() -> None:
    registry = registered_stages()
    check_order(registry[name] for name in DEFAULT_STAGES)


def test_every_default_stage_declares_what_it_assigns() -> None:
    registry = registered_stages()
    for name in DEFAULT_STAGES:
        assert registry[name].assigns, name


def test_order_check_names_the_stage_and_what_it_misses() -> None:
    with pytest.raises(PipelineError) as caught:
        check_order([info("a", ("text",), ("doc",)), info("b", ("doc", "places"), ("events",))])
    assert caught.value.code == "E010"
    assert "'b'" in str(caught.value) and "places" in str(caught.value)


def test_pipeline_refuses_a_misordered_default() -> None:
    with pytest.raises(PipelineError) as caught:
        Pipeline.from_names(["chrome", "claims", "parse"])
    assert caught.value.code == "E010"


def test_unknown_stage_lists_the_known_ones() -> None:
    with pytest.raises(PipelineError) as caught:
        Pipeline.from_names(["chrome", "tokenise"])
    assert caught.value.code == "E011"
    assert "parse" in caught.value.describe()


def test_chrome_only_pipeline_runs_without_a_model() -> None:
    pipeline = Pipeline.from_names(["chrome"])
    report = pipeline(Report(text="This story is over 5 years old.\n\nShelling resumed on Monday."))
    assert report.chrome and report.chrome[0].start == 0
    assert "chrome" in report.assigned
    assert report.analysis_text.startswith(" " * 10)
    assert len(report.analysis_text) == len(report.text)
