"""Turning reports into readings: the library function the CLI's extract and ingest call."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from .errors import Errors, FogwatchError, InputError
from .pipeline import DEFAULT_STAGES, Pipeline
from .report import Report


@lru_cache(maxsize=4)
def default_pipeline(names: tuple[str, ...] = DEFAULT_STAGES) -> Pipeline:
    return Pipeline.from_names(names)


def read_text(text: str, **metadata: str | None) -> Report:
    """Read one report's text with the default pipeline (metadata: title, outlet, published, url...)."""
    report = Report(text=text, **metadata)
    return default_pipeline()(report)


@dataclass
class Failure:
    """A report that could not be read, and why (a batch records it and goes on)."""

    origin: str
    reason: str
    code: str | None = None


def read_many(
    reports: Iterable[Report | Failure], pipeline: Pipeline | None = None,
    known: Callable[[Report], bool] | None = None,
) -> Iterator[Report | Failure]:
    """Run reports through the pipeline in batches; one report's failure never stops the rest.

    Failures from reading (already in the stream) pass through in their place, and so do reports
    for which ``known`` is true (already stored: they are not read). The default pipeline, and so
    the spaCy model, is only loaded when a report has to be read.
    """
    batch: list[Report] = []
    for report in reports:
        if isinstance(report, Report) and _holds_nul(report):
            err = InputError(Errors.E002, detail="it contains NUL characters")
            report = Failure(report.origin or report.id, err.describe(), err.code)
        if isinstance(report, Failure) or known is not None and known(report):
            yield from _run(pipeline, batch)
            batch = []
            yield report
            continue
        batch.append(report)
        if len(batch) >= 16:
            yield from _run(pipeline, batch)
            batch = []
    if batch:
        yield from _run(pipeline, batch)


def _holds_nul(report: Report) -> bool:
    """NUL in the text or metadata: PostgreSQL cannot store it, so neither engine accepts it.

    Files are checked for NUL bytes as they are decoded; this also catches NUL
    that arrives escaped (JSON's \\u0000) or through the API.
    """
    values = (report.text, *(getattr(report, key) for key in Report.METADATA))
    return any("\x00" in value for value in values if isinstance(value, str))


def _run(pipeline: Pipeline | None, batch: list[Report]) -> Iterator[Report | Failure]:
    if not batch:
        return
    pipeline = pipeline or default_pipeline()
    try:
        yield from list(pipeline.pipe(batch, batch_size=len(batch)))
        return
    except Exception as err:  # noqa: BLE001 - retried one by one below to find the culprit
        if len(batch) == 1:  # the culprit is known: reading it again would only spend its budget twice
            yield _failure(batch[0], err)
            return
    for report in batch:
        _fresh(report)
        try:
            yield pipeline(report)
        except Exception as err:  # noqa: BLE001 - a stage bug must not lose the batch
            yield _failure(report, err)


def _failure(report: Report, err: Exception) -> Failure:
    if isinstance(err, FogwatchError):
        return Failure(report.origin or report.id, err.describe(), err.code)
    return Failure(report.origin or report.id, f"internal error in the pipeline: {type(err).__name__}: {err}")


def _fresh(report: Report) -> None:
    """Forget what a failed batch left on a report (its parse and the sentences listed from it),
    so that reading it again alone never mixes tokens of two parses."""
    report.doc = None
    report._sentences = report._sentence_starts = None
    report.assigned.clear()
