"""Shared fixtures: the model-backed reader (loaded once) and the ../shared data folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from fogwatch.report import Report

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(scope="session")
def shared() -> Path:
    """The ../shared folder beside the project; tests that need it skip when it is absent."""
    if not SHARED.is_dir():
        pytest.skip(f"../shared is absent ({SHARED}): benchmark data and the seed report live there")
    return SHARED


@pytest.fixture(scope="session")
def read():
    """Read a text with the full default pipeline: ``read(text, published="2016-12-14")``."""
    from fogwatch.extract import default_pipeline

    pipeline = default_pipeline()

    def run(text: str, **metadata: str | None) -> Report:
        return pipeline(Report(text=text, **metadata))

    return run
