"""Hostile and broken input: every reader and the whole pipeline give a result or a clear error.

Property-based (hypothesis) over arbitrary bytes, Unicode and JSON, plus the
classic traps: a million quote marks, deeply nested HTML, absurd dates, a file
over the size limit. Each pipeline run is guarded by an alarm: a stage that
backtracks catastrophically fails the test instead of hanging the suite.
"""

from __future__ import annotations

import json
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fogwatch.errors import InputError
from fogwatch.extract import Failure
from fogwatch.ingest import Metadata, read_file, report_from_html
from fogwatch.report import Report

# Generous: the slowest legitimate case here (a million quote marks) parses in
# well under a minute on a 2-core machine; a hang is caught, not timed.
HANG_SECONDS = 180


@contextmanager
def no_hang(seconds: int = HANG_SECONDS) -> Iterator[None]:
    def stop(signum: int, frame: object) -> None:
        raise TimeoutError(f"no result within {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def check_offsets(report: Report) -> None:
    n = len(report.text)
    for layer in ("places", "times", "quantities", "claims", "events"):
        for item in getattr(report, layer):
            assert 0 <= item.start <= item.end <= n, (layer, item)
    for actor in report.actors:
        for mention in actor.mentions:
            assert 0 <= mention.start <= mention.end <= n
    for claim in report.claims:
        assert 0 <= claim.cue.start <= claim.cue.end <= n
        assert 0 <= claim.content.start <= claim.content.end <= n


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=3000))
def test_any_bytes_read_to_a_report_or_a_clear_failure(tmp_path: Path, data: bytes) -> None:
    for suffix in (".txt", ".html", ".jsonl", ".rss", ".warc"):
        path = tmp_path / f"input{suffix}"
        path.write_bytes(data)
        for item in read_file(path):
            assert isinstance(item, (Report, Failure))
            if isinstance(item, Failure):
                assert item.reason.startswith("[E") and "fix:" in item.reason


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(
        ["text", "title", "outlet", "published", "date", "url", "language", "source"]), inner, max_size=6),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records=st.lists(json_values, min_size=1, max_size=8))
def test_json_lines_with_wrong_types_never_abort(tmp_path: Path, records: list) -> None:
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    items = list(read_file(path))
    assert len(items) == sum(1 for r in records if json.dumps(r).strip())
    for item in items:
        if isinstance(item, Report):
            assert isinstance(item.text, str) and item.text.strip()
            assert item.published is None or 1900 <= int(item.published[:4]) <= 2100


def test_deeply_nested_and_broken_html() -> None:
    nested = "<div>" * 20_000 + "<p>Shelling hit the town on Monday, residents said.</p>" + "</div>" * 3
    broken = "<html><body><p>Rockets <b>struck <i>the <p>port</b> city</html><<<>>><script>alert(1)</script>"
    for markup in (nested, broken, "<" * 50_000):
        with no_hang(60):
            try:
                report = report_from_html(markup, "test", Metadata())
            except InputError as err:
                assert err.code == "E006"
            else:
                assert "alert(1)" not in report.text


def test_a_file_over_the_limit_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.seek(50_000_000)
        handle.write(b"\n")
    (failure,) = read_file(path)
    assert isinstance(failure, Failure) and failure.code == "E004"


pytestmark_model = pytest.mark.model


@pytestmark_model
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(min_size=1, max_size=1500))
def test_pipeline_on_arbitrary_unicode(read, text: str) -> None:
    with no_hang(60):
        report = read(text, published="2016-12-14")
    check_offsets(report)


HOSTILE_TEXTS = {
    "million quote marks": '"' * 1_000_000,
    "curly quote storm": "\u201c" * 20_000 + " he said " + "\u201d" * 20_000,
    "unclosed quotes": 'Rebels said "the town fell. ' * 2_000,
    "quotes in urls": 'See https://example.org/a"b"c?q="x" and "https://example.org/\u201cd\u201d", officials said.\n' * 300,
    "control characters": "Shelling\x0b hit\x0c the\u2028town\u2029on\x85Monday, residents said." * 500,
    "absurd dates": "On 0000-00-00 and in the year 9999, on February 30, 2016 and on 31/31/31, 12 people died in 10000 BC.",
    "number soup": " ".join(str(10**i) for i in range(300)) + " civilians were killed.",
    "one long word": "a" * 200_000,
    "long sentence": "and rebels shelled the town " * 20_000,
    "bidi and zero-width": "\u202eRebels\u200b shelled\u200d the\ufeff town\u2066 on Monday\u2069, officials said.",
}


@pytestmark_model
@pytest.mark.parametrize("name", sorted(HOSTILE_TEXTS))
def test_pipeline_on_hostile_texts(read, name: str) -> None:
    with no_hang():
        report = read(HOSTILE_TEXTS[name], published="2016-12-14")
    check_offsets(report)


@pytestmark_model
def test_pipeline_without_or_with_a_far_publication_date(read) -> None:
    text = "Rebels shelled the town on Monday, officials said. Last year the truce collapsed."
    for published in (None, "1900-01-01", "2100-12-31"):
        with no_hang(60):
            report = read(text, published=published)
        check_offsets(report)
