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

# How a streaming stage hands on its work for one report: each finished part as it is done, in order,
# then None once the report's layers are written (see ``Stage``).
Emit = Callable[[Report, Any], None]


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

    Optional, for work that can overlap (issue 17): a stage may start part of its work early, as soon
    as the layers named in its ``prefetch_requires`` (a part of ``requires``) exist, by a method
    ``prefetch(report, part)``, and then must have ``abandon(report)``, which the pipeline calls when the
    report fails before the stage has run, so that the early work stops. ``prefetch`` is called with
    ``part`` None once those layers are written; before that, with each part a streaming stage hands
    on. A stage that streams (``streams = True``) has ``pipe(reports, emit)`` and calls ``emit(report,
    part)`` with each part of its layers as it is done (the parse stage: each parsed chunk), then
    ``emit(report, None)`` once that report's layers are written.
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
        return self._run([report])[0]

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
                yield from self._run(batch)
                batch = []
        if batch:
            yield from self._run(batch)

    def _run(self, reports: list[Report]) -> list[Report]:
        """Run the stages in order over ``reports`` (one report, or a batch stage by stage).

        A batch has one report's budget (a batch of news reports takes seconds): past it,
        ``extract.read_many`` reads the batch again one report at a time, each with its own budget, so
        that only the slow report fails. Whatever early work (``prefetch``) a later stage did not take
        up is abandoned at the end: when a stage fails or the budget is spent, that work stops.
        """
        began = perf_counter()
        early = self._early_starts()
        try:
            for index, (info, stage) in enumerate(zip(self.infos, self.stages)):
                started = perf_counter()
                self._run_stage(stage, reports, early.get(index, []))
                self._spent(info.name, started)
                for report in reports:
                    report.assigned.update(info.assigns)
                self._check(info, began, reports)
        finally:
            for starting in early.values():
                for stage in starting:
                    for report in reports:
                        stage.abandon(report)
        return reports

    @staticmethod
    def _run_stage(stage: Stage, reports: list[Report], starting: list[Any]) -> None:
        """One stage over the reports, starting the early work of the later stages in ``starting`` as
        soon as this stage has done its part for each report (for each part, where it streams)."""
        def emit(report: Report, part: Any) -> None:
            for later in starting:
                later.prefetch(report, part)

        batch_call = getattr(stage, "pipe", None)
        if starting and batch_call is not None and getattr(stage, "streams", False):
            batch_call(reports, emit=emit)
            return
        if batch_call is not None:
            batch_call(reports)
        else:
            for report in reports:
                stage(report)
        for report in reports:
            emit(report, None)

    def _early_starts(self) -> dict[int, list[Any]]:
        """For each stage's index, the later stages whose ``prefetch`` can start once it has run: the
        first stage after which every layer of their ``prefetch_requires`` exists."""
        starts: dict[int, list[Any]] = {}
        for index, stage in enumerate(self.stages):
            if not hasattr(stage, "prefetch"):
                continue
            needs = set(getattr(stage, "prefetch_requires", ())) - PROVIDED_BY_REPORT
            available: set[str] = set()
            for earlier, info in enumerate(self.infos[:index]):
                available.update(info.assigns)
                if needs <= available:
                    starts.setdefault(earlier, []).append(stage)
                    break
        return starts


def _name_of(reports: list[Report]) -> str:
    """How an error names the report(s): where it was read from, and its id."""
    first = reports[0]
    name = f"{first.origin} ({first.id[:12]})" if first.origin else first.id
    return name if len(reports) == 1 else f"batch of {len(reports)} from {name}"
