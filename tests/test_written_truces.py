"""Seven short reports written for fogwatch (``tests/data/written_truces.jsonl``: three truces, in
Sudan, eastern Congo and Myanmar's Shan State, three, two and two outlets) read end to end into one store, and the ledger
checked the way an analyst would: one happening one event, the right doers, dates and places,
one board entry per truce and the blame both ways. They are not the development reports, so
rules tuned to those alone would show here."""

from __future__ import annotations

from pathlib import Path

import pytest

from fogwatch import jobs, views
from fogwatch.ingest import Metadata
from fogwatch.store import Store

REPORTS = Path(__file__).parent / "data" / "written_truces.jsonl"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    with Store(tmp_path_factory.mktemp("written") / "w.db") as opened:
        jobs.ingest(opened, [REPORTS], Metadata())
        yield opened


def events(store, **where):
    found = views.query_events(store, limit=-1)
    return [e for e in found if all(e.get(k) == v for k, v in where.items())]


def test_the_drone_strike_on_the_market_told_by_two_outlets_is_one_event(store) -> None:
    strikes = [e for e in events(store, place="El Fasher") if e["type"] == "ASSAULT" and e["mode"] == "drone"]
    assert len(strikes) == 1 and len({m["report_id"] for m in strikes[0]["mentions"]}) == 2
    assert strikes[0]["date"].startswith("2025-05-12") and strikes[0]["actors"] == ["Rapid Support Forces"]


def test_the_market_shelling_told_by_both_congo_reports_is_one_event_at_its_town(store) -> None:
    shelling = [e for e in events(store, place="Nyabibwe") if e["type"] == "ASSAULT" and e["date"]]
    assert len(shelling) == 1 and len({m["report_id"] for m in shelling[0]["mentions"]}) == 2
    assert shelling[0]["date"].startswith("2025-02-09")


def test_each_truce_has_one_board_entry_with_its_parties_and_brokers(store) -> None:
    boards = views.ceasefires(store)
    sudan = next(b for b in boards if "Rapid Support Forces" in b["parties"])
    assert {"Saudi Arabia", "United States"} <= set(sudan["brokers"])
    congo = next(b for b in boards if "M23" in b["parties"])
    assert not congo["brokers"]


def test_the_shan_truce_told_by_two_outlets_has_one_board_entry(store) -> None:
    """The second outlet's truce took effect 'a day after' its Wednesday: on Tuesday, as the first says."""
    assert len([b for b in views.ceasefires(store) if "TNLA" in b["parties"]]) == 1


def test_the_paramilitaries_who_shelled_the_camp_are_the_rsf(store) -> None:
    shelling = [e for e in events(store) if e["type"] == "ASSAULT" and "Rapid Support Forces" in e["actors"]]
    assert any(e["date"] and e["date"].startswith("2025-05-13") for e in shelling)


def test_blame_runs_both_ways_between_the_congolese_sides(store) -> None:
    cells = views.blame_matrix(store)["cells"]
    pairs = {(cell["source"], cell["target"]) for cell in cells}
    assert ("FARDC", "M23") in pairs and any(source == "M23" for source, _ in pairs)


def test_congo_is_the_democratic_republic_here(store) -> None:
    boards = views.ceasefires(store)
    congo = next(b for b in boards if "M23" in b["parties"])
    assert congo["theatre"] == ["CD"]


def test_the_filing_date_of_a_dateline_dates_no_event(store) -> None:
    # "YANGON, March 18 (Wire One) - ... agreed on Sunday": the agreement is Sunday's, 17 March
    shan = next(b for b in views.ceasefires(store) if "TNLA" in b["parties"])
    assert shan["agreed"] == "2024-03-17" and shan["brokers"] == ["China"]


def test_talks_after_which_a_truce_was_agreed_were_held_in_the_city_named(store) -> None:
    talks = [e for e in events(store) if e["type"] == "CONSULT" and e["place"] == "Kunming"]
    assert talks and talks[0]["date"] == "2024-03-17"


def test_the_junta_a_side_accuses_is_the_government(store) -> None:
    cells = views.blame_matrix(store)["cells"]
    assert any(cell["source"] == "TNLA" and cell["target"] == "government" for cell in cells)
