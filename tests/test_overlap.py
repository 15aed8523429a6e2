"""Issue 17: work that overlaps. A stage may start early (``prefetch``) on what an earlier stage hands
on as it goes (``emit``); the claims stage starts the tagger on each parsed chunk this way, on the
tagger's threads, and the reading must not change by it. Work a failed report leaves is abandoned."""

from __future__ import annotations

import threading
import time

import pytest

from fogwatch.errors import BudgetError
from fogwatch.pipeline import Pipeline, StageInfo
from fogwatch.report import Report

SLOW = "SLOW"


class Streamer:
    """Writes its layer in two parts, handing each on as it is done."""

    name = "streamer"
    requires: tuple[str, ...] = ()
    assigns = ("streamed",)
    streams = True

    def __init__(self, log: list) -> None:
        self.log = log

    def __call__(self, report: Report) -> None:
        self.pipe([report])

    def pipe(self, reports: list[Report], emit=None) -> None:
        for report in reports:
            for part in ("first half", "second half"):
                self.log.append(("wrote", part))
                if emit is not None:
                    emit(report, part)
            if emit is not None:
                emit(report, None)


class Middle:
    """Sleeps on a slow report, so that its budget runs out here."""

    name = "middle"
    requires = ("streamed",)
    assigns = ("middle",)

    def __init__(self, log: list) -> None:
        self.log = log

    def __call__(self, report: Report) -> None:
        self.log.append(("middle", None))
        if SLOW in report.text:
            time.sleep(0.3)


class Early:
    """Starts on the streamed layer before the middle stage has run."""

    name = "early"
    requires = ("streamed", "middle")
    assigns = ("early",)
    prefetch_requires = ("streamed",)

    def __init__(self, log: list) -> None:
        self.log = log
        self.held: dict[int, list] = {}

    def prefetch(self, report: Report, part) -> None:
        self.log.append(("prefetch", part))
        self.held.setdefault(id(report), []).append(part)

    def abandon(self, report: Report) -> None:
        if self.held.pop(id(report), None) is not None:
            self.log.append(("abandoned", report.text))

    def __call__(self, report: Report) -> None:
        self.log.append(("took", tuple(self.held.pop(id(report)))))


def toy(stream: bool = True, budget: float | None = None) -> tuple[Pipeline, list]:
    log: list = []
    stages = [Streamer(log), Middle(log), Early(log)]
    if not stream:
        stages[0].streams = False
    infos = [StageInfo(s.name, tuple(s.requires), tuple(s.assigns), lambda s=s: s) for s in stages]
    return Pipeline(infos=infos, stages=stages, budget=budget), log


def test_early_work_starts_on_each_part_as_it_is_written() -> None:
    pipeline, log = toy()
    pipeline(Report(text="quick"))
    assert log == [
        ("wrote", "first half"), ("prefetch", "first half"),
        ("wrote", "second half"), ("prefetch", "second half"), ("prefetch", None),
        ("middle", None), ("took", ("first half", "second half", None)),
    ]


def test_after_a_stage_that_does_not_stream_early_work_starts_once_it_is_done() -> None:
    pipeline, log = toy(stream=False)
    list(pipeline.pipe([Report(text="one"), Report(text="two")]))
    assert log[:4] == [("wrote", "first half"), ("wrote", "second half")] * 2
    assert log[4:6] == [("prefetch", None)] * 2
    assert log[-1] == ("took", (None,))


def test_early_work_of_a_report_over_its_budget_is_abandoned() -> None:
    pipeline, log = toy(budget=0.1)
    with pytest.raises(BudgetError) as caught:
        pipeline(Report(text=f"{SLOW} report", origin="inbox/slow.txt"))
    assert caught.value.code == "E030" and "'middle'" in caught.value.describe()
    assert log[-1] == ("abandoned", f"{SLOW} report")
    assert not pipeline.stages[2].held


@pytest.fixture(scope="module")
def model_parts():
    from fogwatch.attribution import load_lexicon
    from fogwatch.nlp import load_model

    return load_model(), load_lexicon()


PARAGRAPHS = [
    "Smoke rose over the port on Tuesday morning, and the harbour stayed closed to shipping.",
    "Officials said three ships burned before the fire was put out.",
    "\u201cWe ran for the gates,\u201d one sailor recalled.",
    "The sea was calm and the wind had dropped by the evening.",
    "The ministry denied that any of the crews had been hurt, according to state media.",
    "A spokesman told reporters the port would reopen.",
    "Nothing else moved in the harbour that night.",
]


def pieces_of(nlp, text: str, limit: int):
    from fogwatch.nlp import chunk_text

    start = 0
    for chunk in chunk_text(text, limit):
        yield start, start + len(chunk), nlp(chunk)
        start += len(chunk)


@pytest.mark.model
@pytest.mark.parametrize("limit", [60, 150, 400, 10_000])
def test_ranges_found_piece_by_piece_are_those_of_the_whole_parse(model_parts, limit: int) -> None:
    from spacy.tokens import Doc

    from fogwatch.tagger_merge import RangeFinder, paragraphs_to_tag

    nlp, lex = model_parts
    text = "\n\n".join(PARAGRAPHS[:3]) + "\n\n\n" + "\n\n".join(PARAGRAPHS[3:]) + "\n"
    parts = list(pieces_of(nlp, text, limit))
    whole = Doc.from_docs([doc for _, _, doc in parts], ensure_whitespace=False)
    finder = RangeFinder(text, lex)
    handed = [finder.add(doc, start, end) for start, end, doc in parts]
    found = [r for step in handed for r in step] + finder.rest()
    assert found == paragraphs_to_tag(whole, lex)
    if len(parts) > 3:
        assert any(handed[:-1]), "some ranges are handed out before the whole text is parsed"


@pytest.fixture(scope="module")
def threaded_tagger():
    from fogwatch.tagger import load_tagger

    tagger = load_tagger(threads=2)
    if tagger is None:
        pytest.skip("tagger model files absent")
    return tagger


@pytest.mark.model
def test_stopped_tagging_ends_without_a_result(threaded_tagger) -> None:
    from fogwatch.tagger import Stopped

    stop = threading.Event()
    stop.set()
    with pytest.raises(Stopped):
        threaded_tagger.submit("Officials said three ships burned. " * 200, stop).result()


@pytest.mark.model
def test_claims_are_the_same_whether_the_tagger_starts_early_or_not(monkeypatch, threaded_tagger) -> None:
    """Chunks of a few hundred characters, so that tagging starts while later chunks are parsed."""
    from fogwatch import nlp
    from fogwatch.extract import default_pipeline
    from fogwatch.stages import parse
    from fogwatch.tagger import load_tagger

    monkeypatch.setattr(parse, "chunk_text", lambda text: nlp.chunk_text(text, 300))
    pipeline = default_pipeline()
    claims = pipeline.stages[pipeline.names.index("claims")]
    text = "\n\n".join(PARAGRAPHS * 2)
    readings = {}
    for threads in (1, 2):
        monkeypatch.setattr(claims, "tagger", load_tagger(threads=threads))
        report = pipeline(Report(text=text, published="2024-05-02"))
        readings[threads] = [claim for claim in report.to_dict()["claims"]]
        assert not claims.early
    assert readings[1] == readings[2] and readings[2]


@pytest.mark.model
def test_the_claims_stage_abandons_what_it_started(monkeypatch, threaded_tagger) -> None:
    from fogwatch.extract import default_pipeline

    pipeline = default_pipeline()
    claims = pipeline.stages[pipeline.names.index("claims")]
    monkeypatch.setattr(claims, "tagger", threaded_tagger)
    report = Report(text="\n\n".join(PARAGRAPHS * 20))
    report.doc = pipeline.stages[pipeline.names.index("parse")].nlp(report.text)
    claims.prefetch(report, None)
    job = claims.early[id(report)][1]
    claims.abandon(report)
    assert job.stop.is_set() and not claims.early


@pytest.mark.model
def test_early_tagging_reads_only_the_layers_it_declares(monkeypatch, threaded_tagger) -> None:
    from test_contracts import Recorder

    from fogwatch.extract import default_pipeline

    pipeline = default_pipeline()
    claims = pipeline.stages[pipeline.names.index("claims")]
    monkeypatch.setattr(claims, "tagger", threaded_tagger)
    report = Report(text="\n\n".join(PARAGRAPHS))
    report.doc = pipeline.stages[pipeline.names.index("parse")].nlp(report.text)
    recorder = Recorder(report)
    claims.prefetch(recorder, None)
    claims.abandon(recorder)
    assert recorder.reads <= set(claims.prefetch_requires) and not recorder.writes
