"""Stage contracts are true: each stage reads and writes only the layers it declares.

A stage is run on a ``Recorder``, a stand-in for the ``Report`` that passes every attribute through
to the real report and notes which layer each read and write touches. Writes that happen inside a
layer (a field of an earlier quantity filled in, an actor appended to the actors list) do not pass
through ``setattr``, so every layer is also compared before and after the stage. A read of a layer
that is neither required nor assigned, or a write to a layer that is not assigned, fails the check.
"""

from __future__ import annotations

import ast
import copy
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest

from fogwatch.errors import PipelineError
from fogwatch.pipeline import DEFAULT_STAGES, PROVIDED_BY_REPORT, Pipeline, StageInfo, registered_stages
from fogwatch.report import LAYERS, Report

SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "aleppo-ceasefire-2016-12-14.txt"

# Which layer(s) each public attribute of a Report belongs to. An attribute missing here fails the
# check, so a new attribute of Report must be placed in a layer before a stage may touch it.
LAYER_OF: dict[str, tuple[str, ...]] = {
    "text": ("text",),
    "snippet": ("text",),
    "id": ("text", "metadata"),
    **{name: ("metadata",) for name in Report.METADATA},
    "chrome": ("chrome",),
    "analysis_text": ("text", "chrome"),
    "doc": ("doc",),
    "sentences": ("doc",),
    "sentence_at": ("doc",),
    "sentence_around": ("doc", "text"),
    # references between layers, by id: each follows a reference into the layer it names
    "place_of": ("places",),
    "claim_of": ("claims",),
    "quantities_of": ("quantities",),
    "actor_of": ("actors",),
    "refer_to_actors": ("actors",),
    **{layer: (layer,) for layer in LAYERS},
}
# Lookups whose first argument names the layer they read ("claims", "places"...).
BY_LAYER = {"position", "item"}
# The reading's log: any stage may add a note about what it could not do.
FREE = {"notes"}


class ContractError(AssertionError):
    """A stage touched a layer it does not declare."""


class Recorder:
    """A Report stand-in that records, per layer, what a stage reads and writes."""

    def __init__(self, report: Report) -> None:
        object.__setattr__(self, "_report", report)
        object.__setattr__(self, "reads", set())
        object.__setattr__(self, "writes", set())

    def __getattr__(self, name: str) -> Any:
        if name in BY_LAYER:
            method = getattr(self._report, name)

            def recorded(layer: str, *args: Any) -> Any:
                self.reads.update(_layers(layer))
                return method(layer, *args)
            return recorded
        if name not in FREE:
            self.reads.update(_layers(name))
        return getattr(self._report, name)

    def __setattr__(self, name: str, value: Any) -> None:
        if name not in FREE:
            self.writes.update(_layers(name))
        setattr(self._report, name, value)


def _layers(name: str) -> tuple[str, ...]:
    if name not in LAYER_OF:
        raise ContractError(f"a stage read or wrote Report.{name}, which belongs to no known layer")
    return LAYER_OF[name]


def _snapshot(report: Report) -> dict[str, Any]:
    """What each writable layer holds, to find writes made inside a layer."""
    shot: dict[str, Any] = {"doc": id(report.doc), "chrome": [asdict(s) for s in report.chrome]}
    for layer in LAYERS:
        shot[layer] = copy.deepcopy([asdict(item) for item in getattr(report, layer)])
    return shot


def run_checked(info: StageInfo, stage: Any, report: Report) -> None:
    """Run ``stage`` on ``report`` and raise ContractError on an undeclared read or write."""
    before = _snapshot(report)
    recorder = Recorder(report)
    stage(recorder)
    after = _snapshot(report)
    writes = recorder.writes | {layer for layer in after if after[layer] != before[layer]}
    may_read = set(info.requires) | set(info.assigns) | PROVIDED_BY_REPORT
    undeclared_reads = recorder.reads - may_read
    undeclared_writes = writes - set(info.assigns)
    if undeclared_reads or undeclared_writes:
        raise ContractError(
            f"stage {info.name!r} reads {sorted(undeclared_reads)} and writes {sorted(undeclared_writes)} "
            f"without declaring them (requires {info.requires}, assigns {info.assigns})"
        )
    report.assigned.update(info.assigns)


class LyingStage:
    """Declares that it reads the parse only, then reads the places layer too."""

    name = "liar"
    requires = ("doc",)
    assigns = ("events",)

    def __call__(self, report: Report) -> None:
        report.events = []
        _ = report.places


class QuietWriter:
    """Declares the events layer only, then fills in a field of a quantity."""

    name = "quiet"
    requires = ("quantities",)
    assigns = ("events",)

    def __call__(self, report: Report) -> None:
        report.events = []
        for quantity in report.quantities:
            quantity.status = "killed"


def test_the_check_catches_an_undeclared_read() -> None:
    info = StageInfo(LyingStage.name, LyingStage.requires, LyingStage.assigns, LyingStage)
    with pytest.raises(ContractError, match="places"):
        run_checked(info, LyingStage(), Report(text="Shelling resumed in Aleppo."))


def test_the_check_catches_a_write_inside_an_undeclared_layer() -> None:
    from fogwatch.report import Quantity

    report = Report(text="Five people died.", quantities=[Quantity(0, 4, "Five", 5, 5)])
    info = StageInfo(QuietWriter.name, QuietWriter.requires, QuietWriter.assigns, QuietWriter)
    with pytest.raises(ContractError, match="quantities"):
        run_checked(info, QuietWriter(), report)


def test_the_check_lets_a_truthful_stage_pass() -> None:
    class Honest(LyingStage):
        requires = ("doc", "places")

    info = StageInfo("honest", Honest.requires, Honest.assigns, Honest)
    run_checked(info, Honest(), Report(text="Shelling resumed in Aleppo."))


def test_assembly_refuses_a_layer_that_no_stage_assigns() -> None:
    with pytest.raises(PipelineError) as caught:
        Pipeline.from_names(["chrome", "parse", "actors", "claims"])
    assert caught.value.code == "E010" and "places" in str(caught.value)


def test_no_stage_imports_another_stage() -> None:
    """A stage that imports another depends on it whatever the pipeline's order says; what two
    stages share lives in a module of its own."""
    folder = Path(__file__).resolve().parents[1] / "src" / "fogwatch" / "stages"
    stages = {path.stem for path in folder.glob("*.py")} - {"__init__"}
    for path in folder.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                names = {node.module} if node.module else {alias.name for alias in node.names}
                assert not names & stages, f"{path.name} imports the stage(s) {sorted(names & stages)}"


def test_stages_register_their_class_declaration_once() -> None:
    for name, info in registered_stages().items():
        if isinstance(info.factory, type):
            assert (info.requires, info.assigns) == (info.factory.requires, info.factory.assigns), name


@pytest.mark.model
@pytest.mark.shared
@pytest.mark.parametrize("name", DEFAULT_STAGES)
def test_each_default_stage_keeps_its_contract(name: str, contract_runs: dict[str, Exception | None]) -> None:
    """Every stage of the default pipeline, run in order on the seed report, keeps its declaration."""
    problem = contract_runs[name]
    if problem is not None:
        raise problem


# A short report whose speakers the actors layer leaves out, so the claims stage adds them.
RESIDENTS = (
    "Witnesses said the convoy was stopped at a checkpoint in eastern Aleppo on Wednesday morning.\n\n"
    "Doctors said 12 civilians were killed."
)


@pytest.fixture(scope="module")
def contract_runs() -> dict[str, Exception | None]:
    """Run the default pipeline on the seed and a short report, each stage through the check, and
    keep each stage's first failure."""
    if not SEED.exists():
        pytest.skip("the seed report is not here")
    pipeline = Pipeline.from_names(DEFAULT_STAGES)
    outcomes: dict[str, Exception | None] = dict.fromkeys(pipeline.names)
    for text in (SEED.read_text(encoding="utf-8"), RESIDENTS):
        report = Report(text=text, published="2016-12-14", outlet="contract test")
        for info, stage in zip(pipeline.infos, pipeline.stages):
            try:
                run_checked(info, stage, report)
            except ContractError as problem:
                outcomes[info.name] = outcomes[info.name] or problem
                report.assigned.update(info.assigns)
    return outcomes
