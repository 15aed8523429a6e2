"""The store: round trips of any reading, idempotent inserts, lookups by id prefix or file name."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fogwatch.errors import StoreError
from fogwatch.extract import Failure
from fogwatch.report import (
    Actor,
    Claim,
    Cue,
    Event,
    Named,
    Place,
    Quantity,
    Report,
    SourceRef,
    Span,
    TimeExpr,
    span_id,
)
from fogwatch.store import MIGRATIONS, Store

offsets = st.integers(min_value=0, max_value=10_000)
words = st.text(max_size=30)
maybe_words = st.none() | words
numbers = st.none() | st.floats(allow_nan=False, allow_infinity=False, width=32)
named = st.lists(st.builds(Named, name=words, ref=st.none() | words), max_size=3)
spans = st.builds(Span, start=offsets, end=offsets)

actors = st.builds(Actor, name=words, kind=st.sampled_from(["person", "state", "militia"]), country=maybe_words,
                   role=maybe_words, mentions=st.lists(spans, max_size=3))
places = st.builds(Place, start=offsets, end=offsets, text=words, name=words, lat=numbers, lon=numbers,
                   geonameid=st.none() | st.integers(0, 10**8), country=maybe_words, feature=maybe_words)
times = st.builds(TimeExpr, start=offsets, end=offsets, text=words, value=maybe_words, granularity=words,
                  value_to=maybe_words, anchored=st.booleans())
quantities = st.builds(Quantity, start=offsets, end=offsets, text=words, low=numbers, high=numbers,
                       unit=maybe_words, status=maybe_words, vague=st.booleans(), claim_id=st.none() | words)
claims = st.builds(Claim, start=offsets, end=offsets, direct=st.booleans(),
                   source=st.builds(SourceRef, name=words, start=st.none() | offsets, end=st.none() | offsets,
                                    actor=maybe_words),
                   cue=st.builds(Cue, start=offsets, end=offsets, text=words), content=spans,
                   kind=st.sampled_from(["statement", "blame", "denial"]), targets=named, via=named)
events = st.builds(Event, start=offsets, end=offsets, type=st.sampled_from(["ASSAULT", "CEASEFIRE"]),
                   status=st.sampled_from(["occurred", "planned"]), text=words, mode=maybe_words, date=maybe_words,
                   place=maybe_words, place_id=st.none() | words, actors=named, targets=named,
                   claim_id=st.none() | words, quantity_ids=st.lists(words, max_size=2))
reports = st.builds(
    Report, text=st.text(min_size=1, max_size=200), title=maybe_words, outlet=maybe_words,
    published=st.none() | st.dates().map(lambda d: d.isoformat()), url=maybe_words,
    actors=st.lists(actors, max_size=3), places=st.lists(places, max_size=3), times=st.lists(times, max_size=3),
    quantities=st.lists(quantities, max_size=3), claims=st.lists(claims, max_size=3),
    events=st.lists(events, max_size=3), notes=st.lists(words, max_size=2), chrome=st.lists(spans, max_size=2),
)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with Store(tmp_path / "t.db") as opened:
        yield opened


@settings(max_examples=60, deadline=None)
@given(report=reports)
def test_any_reading_round_trips(report: Report) -> None:
    with Store(":memory:") as store:
        assert store.add(report)
        loaded = store.load(report.id)
    assert loaded == report
    assert loaded.to_dict() == report.to_dict()


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(report=reports)
def test_adding_twice_changes_nothing(store: Store, report: Report) -> None:
    store.add(report)
    before = store.count()
    assert store.add(report) is False
    assert store.count() == before


def test_layers_are_queryable(store: Store) -> None:
    report = Report(
        text="Russia blamed rebels.",
        claims=[Claim(0, 21, False, SourceRef("Russia", 0, 6), Cue(7, 14, "blamed"), Span(15, 21), "blame",
                      targets=[Named("rebels")])],
        places=[Place(0, 6, "Aleppo", "Aleppo", 36.2, 37.16, 170063, "SY", "city")],
        events=[Event(0, 6, "ASSAULT", "occurred", place="Aleppo", place_id=span_id("place", 0, 6))],
    )
    store.add(report)
    assert store.rows("claims")[0]["targets"] == '["rebels"]'
    event = store.rows("events")[0]
    assert (event["lat"], event["country"]) == (36.2, "SY")
    hits = store.conn.execute("SELECT rowid FROM reports_fts WHERE reports_fts MATCH 'rebels'").fetchall()
    assert len(hits) == 1


def test_resolve_by_prefix_and_file_name(store: Store) -> None:
    first = Report(text="One.", origin="reports/one.txt")
    second = Report(text="Two.", origin="reports/two.txt")
    store.add(first)
    store.add(second)
    assert store.resolve(first.id[:8]) == first.id
    assert store.resolve("two.txt") == second.id
    with pytest.raises(StoreError) as caught:
        store.resolve("nothing-like-it")
    assert caught.value.code == "E013"
    with pytest.raises(StoreError) as caught:
        store.resolve("")
    assert caught.value.code == "E014"


def test_like_wildcards_in_keys_are_literal(store: Store) -> None:
    store.add(Report(text="One.", origin="a/one.txt"))
    with pytest.raises(StoreError):
        store.resolve("%")


def test_failures_are_recorded_once(store: Store) -> None:
    failure = Failure("bad.txt", "[E001] the file is empty", "E001")
    store.record_failure(failure)
    store.record_failure(failure)
    assert [tuple(r)[:3] for r in store.failures()] == [("bad.txt", "E001", "[E001] the file is empty")]


def test_schema_is_migrated_once(tmp_path: Path) -> None:
    path = tmp_path / "m.db"
    with Store(path) as first:
        assert first.schema_version == len(MIGRATIONS)
        first.add(Report(text="Kept."))
    with Store(path) as again:
        assert again.schema_version == len(MIGRATIONS)
        assert again.count()["reports"] == 1


def test_concurrent_first_opens_migrate_once(tmp_path: Path) -> None:
    """Several threads opening one new store at once (an API's first requests) all get a usable store."""
    path, errors = tmp_path / "race.db", []

    def open_it() -> None:
        try:
            Store(path).close()
        except StoreError as err:
            errors.append(str(err))

    threads = [threading.Thread(target=open_it) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with Store(path) as store:
        assert store.schema_version == len(MIGRATIONS)


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "not.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError) as caught:
        Store(path)
    assert caught.value.code == "E015"


def test_resolve_by_words_of_file_name_or_title(store: Store) -> None:
    first = Report(text="One.", origin="in/aleppo-truce.txt", title="Truce collapses")
    second = Report(text="Two.", origin="in/mosul.txt", title="Battle for Mosul")
    store.add(first)
    store.add(second)
    assert store.resolve("aleppo") == first.id
    assert store.resolve("mosul") == second.id
    with pytest.raises(StoreError):
        store.resolve(".txt")


def test_a_reading_stored_with_list_positions_reads_back_with_ids() -> None:
    """Readings kept before layers pointed at each other by id give positions only; they read back
    pointing at the same items, and write the same positions again."""
    text = "Medics said 9 people were killed in Saraqib."
    old = {
        "report": {"id": "x", "outlet": "Agency"},
        "places": [{"start": 36, "end": 43, "text": "Saraqib", "name": "Saraqib"}],
        "quantities": [{"start": 12, "end": 20, "text": "9 people", "low": 9, "high": 9, "claim": 0}],
        "claims": [{"start": 0, "end": 44, "direct": False, "source": {"name": "Medics", "start": 0, "end": 6},
                    "cue": {"start": 7, "end": 11, "text": "said"}, "content": {"start": 12, "end": 44}}],
        "events": [{"start": 12, "end": 32, "type": "KILL", "status": "reported", "place": "Saraqib",
                    "place_index": 0, "claim": 0, "quantities": [0]}],
    }
    report = Report.from_dict(old, text)
    [event] = report.events
    assert report.place_of(event) is report.places[0]
    assert report.claim_of(event) is report.claims[0] is report.claim_of(report.quantities[0])
    assert report.quantities_of(event) == [report.quantities[0]]
    written = report.to_dict()["events"][0]
    assert (written["place_index"], written["claim"], written["quantities"]) == (0, 0, [0])
