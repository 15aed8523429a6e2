"""Named stages that enrich a ``Report``, and the pipeline that runs them in order.

Each stage declares the layers it ``requires`` and the ones it ``assigns``. The
pipeline checks, when it is assembled, that every requirement is assigned by an
earlier stage (or is ``text``, which every report has), so a misordered pipeline
fails before it reads a single report rather than halfway through a batch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from time import perf_counter
from typing import Protocol

from .errors import Errors, PipelineError
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


class Stage(Protocol):
    """What a stage is: a name, what it needs, what it adds, and a call that adds it."""

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


def register_stage(
    name: str, *, requires: Iterable[str], assigns: Iterable[str]
) -> Callable[[Callable[[], Stage]], Callable[[], Stage]]:
    """Register a stage factory under ``name`` (a decorator).

    The factory is called once when a pipeline is assembled, so it may load
    models or dictionaries; the stage it returns is then called per report.
    """

    def decorate(factory: Callable[[], Stage]) -> Callable[[], Stage]:
        _REGISTRY[name] = StageInfo(name, tuple(requires), tuple(assigns), factory)
        return factory

    return decorate


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
        for info, stage in zip(self.infos, self.stages):
            started = perf_counter()
            stage(report)
            self._spent(info.name, started)
            report.assigned.update(info.assigns)
        return report

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
        return batch
