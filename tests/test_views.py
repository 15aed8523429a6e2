"""The ledger's views kept in the store (migration 6) are what computing them from the readings gives.

The loader keeps them current as it links each report; a write that does not refresh them (the
ledger called directly, an unlink, a relink) leaves them stale, and what is read is then computed
from the readings until a refresh. Either way every view must equal a computation from scratch.
Hand-built readings (no model); against PostgreSQL too when FOGWATCH_TEST_POSTGRES is set.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_blame import ALEPPO, blame_report
from test_board import AGREED, BLAME_ID, BROKEN, blame_claim, event
from test_ledger import HOMS, IDLIB, place, strike_report
from test_store_interface import VIEW_TABLES

from fogwatch import jobs, ledger, queries, views
from fogwatch.report import Claim, Cue, Named, Report, SourceRef, Span
from fogwatch.store import Store

URL = os.environ.get("FOGWATCH_TEST_POSTGRES")
FILTERS: tuple[dict[str, str], ...] = (
    {}, {"place": "Idlib"}, {"place": "aleppo"}, {"date_from": "2019"}, {"date_to": "2016-12"},
    {"place": "Idlib", "date_from": "2020-03-01", "date_to": "2020-03"},
)


def readings() -> list[Report]:
    """Tolls that contradict, a wire copy, a strike elsewhere, a cease-fire agreed then broken with
    blame on both sides, and blame at two places in two years."""
    agreed = Report(text=AGREED, outlet="Agency", published="2020-03-06",
                    places=[place(AGREED.index("Idlib"), IDLIB)],
                    events=[event(AGREED, "truce", "CEASEFIRE", "occurred", mode="agreed", date="2020-03-05",
                                  date_source="text"),
                            event(AGREED, "a corridor opens", "AID", "planned")])
    broken_text = BROKEN + " Damascus blamed Turkey."
    broken = Report(
        text=broken_text, outlet="Daily", published="2020-03-08",
        places=[place(BROKEN.index("Idlib"), IDLIB)],
        events=[event(broken_text, "breaking the truce", "CEASEFIRE", "reported", mode="violated",
                      date="2020-03-07", date_source="text", claim_id=BLAME_ID)],
        claims=[blame_claim(),
                Claim(len(BROKEN) + 1, len(broken_text) - 1, False, SourceRef("Damascus"),
                      Cue(len(BROKEN) + 10, len(BROKEN) + 17, "blamed"),
                      Span(len(BROKEN) + 18, len(broken_text) - 1), "blame", targets=[Named("Turkey")])])
    return [
        strike_report("Agency", 9, "the Syrian Observatory for Human Rights"),
        strike_report("Weekly", 21, "The Civil Defense"),
        agreed,
        blame_report("Agency", "2016-12-14", ALEPPO, [("Russia", "rebels"), ("Sergei Lavrov", "rebels")]),
        strike_report("Reprint", 9, "the Syrian Observatory for Human Rights"),  # a wire copy of the first
        strike_report("Local", 4, "Medics", where=HOMS),
        broken,
        blame_report("Daily", "2019-05-08", IDLIB, [("Turkey", "Syrian government forces")]),
    ]


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "sqlite":
        target: str | Path = tmp_path / "v.db"
    elif not URL:
        pytest.skip("set FOGWATCH_TEST_POSTGRES to a PostgreSQL database the tests may wipe")
    else:
        from test_postgres import wipe

        wipe(URL)
        target = URL
    with Store(target) as opened:
        yield opened


def snapshot(store: Store) -> dict[str, Any]:
    """Every view the ledger answers: the events and each one's ledger, contested claims, the
    cease-fire board, and the blame matrix under several filters."""
    events = views.query_events(store, limit=-1)
    return {
        "events": events,
        "ledgers": [views.event_ledger(store, e["id"]) for e in events],
        "contested": views.contested_claims(store),
        "ceasefires": views.ceasefires(store),
        "blame": [views.blame_matrix(store, **f) for f in FILTERS],
    }


class _Undo(Exception):
    """Rolls back the marks that make every view be computed from the readings."""


def from_scratch(store: Store) -> dict[str, Any]:
    """The views computed from the readings alone: every kept view marked stale, then the marks undone."""
    found: dict[str, Any] = {}
    with contextlib.suppress(_Undo), store.transaction():
        store.mark_views_stale()
        found = snapshot(store)
        raise _Undo
    assert found["contested"] and found["ceasefires"] and found["blame"][0]["cells"]
    return found


def link_without_refresh(store: Store, reports: list[Report]) -> None:
    """What another process (or a script calling the ledger) does: store and link, views left stale."""
    for report in reports:
        assert store.add(report)
        ledger.link_report(store, report)


def test_kept_views_equal_a_computation_from_scratch_after_ingest_unlink_and_relink(store: Store) -> None:
    reports = readings()
    load = jobs.Loader(store)
    for report in reports[:5]:
        load(report)
    assert not queries.views_stale(store)  # the loader left them current
    assert snapshot(store) == from_scratch(store)

    link_without_refresh(store, reports[5:])
    assert queries.views_stale(store)
    stale = snapshot(store)  # stale views are computed from the readings when read
    assert stale == from_scratch(store)
    views.refresh(store)
    assert not queries.views_stale(store)
    assert snapshot(store) == stale

    views.refresh(store)  # nothing stale: nothing to do
    strike = next(e for e in views.query_events(store, type="KILL") if len(e["mentions"]) > 1)
    mention = strike["mentions"][-1]
    ledger.unlink(store, mention["report_id"], mention["idx"])
    views.refresh(store)
    assert snapshot(store) == from_scratch(store)

    store.conn.execute("DELETE FROM event_mentions WHERE report_id = ?", (reports[1].id,))
    assert ledger.relink_all(store) > 0
    views.refresh(store)
    assert snapshot(store) == from_scratch(store)

    store.set_original(reports[4].id, {reports[0].id: 0.99})  # the reprint is now taken for the original
    views.refresh(store)
    assert snapshot(store) == from_scratch(store)


def test_current_views_are_read_not_computed(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    load = jobs.Loader(store)
    for report in readings():
        load(report)
    expected = from_scratch(store)

    def refuse(*args: object) -> None:
        raise AssertionError("a current view was computed again")

    monkeypatch.setattr(views, "build_event_ledger", refuse)
    monkeypatch.setattr(views, "build_ceasefires", refuse)
    monkeypatch.setattr(views, "blame_claims_of", refuse)
    assert snapshot(store) == expected


def test_a_store_from_before_the_kept_views_gains_them_when_opened_for_writing(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    with Store(db) as store:
        link_without_refresh(store, readings())
        expected = from_scratch(store)
    conn = sqlite3.connect(db)
    with conn:
        for table in VIEW_TABLES:
            conn.execute(f"DROP TABLE {table}")
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE name LIKE '%_stale'").fetchall():
            conn.execute(f"DROP TRIGGER {name}")
        conn.execute("UPDATE fogwatch_schema SET version = 5")
    conn.close()
    with jobs.open_store(db) as store:
        assert store.schema_version == 6
        assert not queries.views_stale(store)
        assert snapshot(store) == expected


def test_a_bulk_load_refreshes_every_so_many_reports_and_at_its_end(store: Store) -> None:
    load = jobs.Loader(store, refresh_every=3)
    for report in readings()[:5]:
        load(report)
    assert queries.views_stale(store)  # two reports since the refresh after the third
    assert snapshot(store) == from_scratch(store)
    load.finish()
    assert not queries.views_stale(store)
    assert snapshot(store) == from_scratch(store)


def test_the_refresh_command_recomputes_every_view_with_all(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from fogwatch.cli import cli

    db = tmp_path / "r.db"
    with Store(db) as store:
        link_without_refresh(store, readings())
        expected = from_scratch(store)
    result = CliRunner().invoke(cli, ["refresh", "--all", "--db", str(db)])
    assert result.exit_code == 0, result.output
    with Store(db) as store:
        assert not queries.views_stale(store)
        assert snapshot(store) == expected
