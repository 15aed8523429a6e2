"""Named stages that enrich a ``Report``, and the pipeline that runs them in order.

Each stage declares the layers it ``requires`` and the ones it ``assigns``. The
pipeline checks, when it is assembled, that every requirement is assigned by an
earlier stage (or is ``text``, which every report has), so a misordered pipeline
fails before it reads a single report rather than halfway through a batch.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from time import perf_counter
from typing import Any, Protocol

from .errors import BudgetError, Errors, PipelineError
from .report import Report

PROVIDED_BY_REPORT: frozenset[str] = frozenset({"text", "metadata"})

DEFAULT_STAGES: tuple[str, ...] = (
    "chrome",
    "parse",
    "actors",
    "times",
    "places",
    "quantities",
    "claims",
    "events",
)


# Seconds one report may spend in the pipeline before it is stopped with E030. Calibrated with
# bench/long_reports.py on two shared cores (bench/RESULTS.md, issue 17): 1.5 MB of real prose reads
# in about 130 s there, 2 MB (the API's body limit) in about 190 s; the budget is over twice the
# first, so a real report up to the API's limit passes on a slower machine, while one of 20 MB (the
# file limit) or one written to be slow stops within five minutes plus the stage it is in.
DEFAULT_TIME_BUDGET_S = 300.0
TIME_BUDGET_ENV = "FOGWATCH_TIME_BUDGET"


def time_budget() -> float | None:
    """The budget per report in seconds from $FOGWATCH_TIME_BUDGET (default DEFAULT_TIME_BUDGET_S);
    None when it is 0 (no limit)."""
    raw = os.environ.get(TIME_BUDGET_ENV, "").strip()
    if not raw:
        return DEFAULT_TIME_BUDGET_S
    try:
        value = float(raw)
    except ValueError:
        raise PipelineError(Errors.E031, value=raw) from None
    if value != value:  # NaN
        raise PipelineError(Errors.E031, value=raw)
    return value if value > 0 else None


_watch = threading.local()


@contextmanager
def abandon_when(event: threading.Event) -> Iterator[None]:
    """Stop reading (E032, at the next stage boundary) once ``event`` is set, for the pipeline runs
    made in this thread meanwhile: the API sets it when the client that posted a report goes away."""
    previous = getattr(_watch, "event", None)
    _watch.event = event
    try:
        yield
    finally:
        _watch.event = previous


class Stage(Protocol):
    """What a stage is: a name, what it needs, what it adds, and a call that adds it.

    ``requires`` names every layer the stage reads and ``assigns`` every layer it writes, whole or in
    part (a stage that fills in fields of an earlier layer assigns that layer too). ``text`` and
    ``metadata`` come with every report and need not be named; ``notes`` is a log any stage may add
    to. tests/test_contracts.py runs each registered stage through a recording proxy that fails on
    an undeclared read or write, so the declarations stay true.
    """

    name: str
    requires: tuple[str, ...]
    assigns: tuple[str, ...]

    def __call__(self, report: Report) -> None: ...


@dataclass(frozen=True)
class StageInfo:
    name: str
    requires: tuple[str, ...]
    assigns: tuple[str, ...]
    factory: Callable[[], Stage]


_REGISTRY: dict[str, StageInfo] = {}


def register_stage(cls: Any) -> Any:
    """Register a stage class under its ``name`` (a class decorator).

    The name and the ``requires``/``assigns`` declaration are read from the class, so they are
    written once. The class is called with no arguments once when a pipeline is assembled, so its
    ``__init__`` may load models or dictionaries; the instance is then called per report.
    """
    _REGISTRY[cls.name] = StageInfo(cls.name, tuple(cls.requires), tuple(cls.assigns), cls)
    return cls


def registered_stages() -> dict[str, StageInfo]:
    _load_builtin_stages()
    return dict(_REGISTRY)


def _load_builtin_stages() -> None:
    # Importing the modules runs their @register_stage decorators.
    from .stages import (  # noqa: F401
        actors,
        chrome,
        claims,
        events,
        parse,
        places,
        quantities,
        times,
    )


def check_order(infos: Iterable[StageInfo]) -> None:
    """Raise ``PipelineError`` when a stage requires what no earlier stage assigns."""
    available = set(PROVIDED_BY_REPORT)
    for info in infos:
        missing = [r for r in info.requires if r not in available]
        if missing:
            raise PipelineError(Errors.E010, stage=info.name, missing=", ".join(missing))
        available.update(info.assigns)


@dataclass
class Pipeline:
    """An ordered, checked list of stages."""

    infos: list[StageInfo]
    stages: list[Stage] = field(default_factory=list)
    # Seconds spent in each stage since the pipeline was built (read by bench/throughput.py).
    seconds: dict[str, float] = field(default_factory=dict)
    # Seconds one report (or one batch, see ``pipe``) may take; None: no limit. Checked between stages,
    # since a thread cannot be stopped from outside: a report overruns by at most the stage it is in.
    budget: float | None = field(default_factory=time_budget)

    @classmethod
    def from_names(cls, names: Iterable[str] = DEFAULT_STAGES) -> Pipeline:
        registry = registered_stages()
        infos: list[StageInfo] = []
        for name in names:
            if name not in registry:
                raise PipelineError(Errors.E011, name=name, known=", ".join(sorted(registry)))
            infos.append(registry[name])
        check_order(infos)
        return cls(infos=infos, stages=[info.factory() for info in infos])

    @property
    def names(self) -> list[str]:
        return [info.name for info in self.infos]

    def __call__(self, report: Report) -> Report:
        began = perf_counter()
        for info, stage in zip(self.infos, self.stages):
            started = perf_counter()
            stage(report)
            self._spent(info.name, started)
            report.assigned.update(info.assigns)
            self._check(info, began, [report])
        return report

    def _check(self, info: StageInfo, began: float, reports: list[Report]) -> None:
        """Stop (E030 or E032) between stages when the budget is spent or the client went away.
        Nothing is checked after the last stage: by then the reading is complete."""
        if info is self.infos[-1]:
            return
        name = _name_of(reports)
        event = getattr(_watch, "event", None)
        if event is not None and event.is_set():
            raise BudgetError(Errors.E032, report=name, stage=info.name)
        spent = perf_counter() - began
        if self.budget is not None and spent > self.budget:
            raise BudgetError(Errors.E030, report=name, stage=info.name, budget=self.budget, seconds=spent)

    def _spent(self, name: str, started: float) -> None:
        self.seconds[name] = self.seconds.get(name, 0.0) + perf_counter() - started

    def pipe(self, reports: Iterable[Report], batch_size: int = 32) -> Iterator[Report]:
        """Run many reports, letting stages that can batch (the parser) do so."""
        batch: list[Report] = []
        for report in reports:
            batch.append(report)
            if len(batch) >= batch_size:
                yield from self._run_batch(batch)
                batch = []
        if batch:
            yield from self._run_batch(batch)

    def _run_batch(self, batch: list[Report]) -> list[Report]:
        """Run a batch stage by stage. The whole batch has one report's budget (a batch of news
        reports takes seconds): past it, ``extract.read_many`` reads the batch again one report at a
        time, each with its own budget, so that only the slow report fails."""
        began = perf_counter()
        for info, stage in zip(self.infos, self.stages):
            started = perf_counter()
            batch_call = getattr(stage, "pipe", None)
            if batch_call is not None:
                batch_call(batch)
            else:
                for report in batch:
                    stage(report)
            self._spent(info.name, started)
            for report in batch:
                report.assigned.update(info.assigns)
            self._check(info, began, batch)
        return batch


def _name_of(reports: list[Report]) -> str:
    """How an error names the report(s): where it was read from, and its id."""
    first = reports[0]
    name = f"{first.origin} ({first.id[:12]})" if first.origin else first.id
    return name if len(reports) == 1 else f"batch of {len(reports)} from {name}"
