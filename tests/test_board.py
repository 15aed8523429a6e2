"""The cease-fire board: each term once however often it is restated, quotes linked to their own words."""

from __future__ import annotations

from pathlib import Path

from test_ledger import IDLIB, add, place

from fogwatch import views
from fogwatch.report import Claim, Cue, Event, Named, Report, SourceRef, Span, span_id
from fogwatch.store import Store

AGREED = ("A truce for Idlib was agreed on Thursday; the first evacuations take place on Friday. The evacuation "
          "of the wounded comes first: 300 people are to be evacuated, and a corridor opens for civilians to leave.")
BROKEN = "Turkey blamed government forces for breaking the truce in Idlib."


def blame_claim() -> Claim:
    """Turkey's claim in BROKEN, which the violation rests on."""
    return Claim(0, len(BROKEN) - 1, False, SourceRef("Turkey", 0, 6), Cue(7, 14, "blamed"),
                 Span(15, len(BROKEN) - 1), "blame", targets=[Named("government forces")])


BLAME_ID = blame_claim().id


def event(text: str, words: str, type: str, status: str, **more) -> Event:
    start = text.index(words)
    at = text.index("Idlib")
    return Event(start, start + len(words), type, status, text=words, place="Idlib",
                 place_id=span_id("place", at, at + len("Idlib")), **more)


def board_store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "cf.db")
    agreed = Report(text=AGREED, outlet="Agency", published="2020-03-06", places=[place(AGREED.index("Idlib"), IDLIB)],
                    events=[event(AGREED, "truce", "CEASEFIRE", "occurred", mode="agreed", date="2020-03-05",
                                  date_source="text"),
                            event(AGREED, "first evacuations take", "EVACUATE", "planned"),
                            event(AGREED, "evacuation", "EVACUATE", "planned"),
                            event(AGREED, "to be evacuated", "EVACUATE", "planned"),
                            event(AGREED, "evacuated", "EVACUATE", "planned"),
                            event(AGREED, "a corridor opens", "AID", "planned")])
    broken = Report(text=BROKEN, outlet="Daily", published="2020-03-08", places=[place(BROKEN.index("Idlib"), IDLIB)],
                    events=[event(BROKEN, "breaking the truce", "CEASEFIRE", "reported", mode="violated",
                                  date="2020-03-07", date_source="text", claim_id=BLAME_ID)],
                    claims=[blame_claim()])
    add(store, agreed, broken)
    return store


def test_each_term_once_with_its_other_wordings(tmp_path: Path) -> None:
    with board_store(tmp_path) as store:
        [board] = views.ceasefires(store)
    terms = {t["type"]: t for t in board["terms"]}
    assert len(board["terms"]) == 2 and set(terms) == {"EVACUATE", "AID"}
    assert terms["EVACUATE"]["text"] == "evacuated"
    assert set(terms["EVACUATE"]["also"]) == {"first evacuations take", "evacuation", "to be evacuated"}
    assert AGREED[terms["AID"]["start"]:terms["AID"]["end"]] == "a corridor opens"


def test_board_quotes_link_to_their_claim_or_event(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from fogwatch.web import create_app

    with board_store(tmp_path) as store:
        db = store.path
        reports = {r.outlet: r.id for r in store.reports()}
    html = TestClient(create_app(db)).get("/ceasefires").text
    assert f'href="/reports/{reports["Daily"]}#claim-0"' in html  # the blame
    assert f'href="/reports/{reports["Daily"]}#event-0"' in html  # the violation
    assert f'href="/reports/{reports["Agency"]}#event-0"' in html  # the agreement
    assert f'href="/reports/{reports["Agency"]}#event-5"' in html  # the corridor term
    assert f'href="/reports/{reports["Agency"]}"' not in html


def test_board_rows_give_the_day_their_ledger_event_gives(tmp_path: Path) -> None:
    """A violation dated only by its report's publication day is not dated to that day by the ledger; the
    board's row says what the event's own page says and links to it, so the two views never disagree."""
    import re

    from fastapi.testclient import TestClient

    from fogwatch import queries
    from fogwatch.web import create_app
    from fogwatch.web.templating import when_label

    text = "Russia blamed rebels for breaking the truce in Idlib."
    late = Report(text=text, outlet="Weekly", published="2020-03-09", places=[place(text.index("Idlib"), IDLIB)],
                  events=[event(text, "breaking the truce", "CEASEFIRE", "reported", mode="violated",
                                date="2020-03-09", date_source="published")])
    with board_store(tmp_path) as store:
        add(store, late)
        db = store.path
        event_id = queries.event_ids_of(store, late.id)[0]
        ledger = views.event_ledger(store, event_id)
    assert ledger["date"] != "2020-03-09"  # the publication day is no claim about the day it happened
    html = TestClient(create_app(db)).get("/ceasefires").text
    rows = [r for r in re.findall(r'<li class="cf-violated">(.*?)</li>', html, re.S) if late.id in r]
    assert rows, "the late violation is not on the board"
    assert when_label(ledger["date"], ledger["window"], ledger.get("date_last")) in rows[0]
    assert f'href="/events/{event_id}"' in rows[0]


def test_a_report_without_outlet_leaves_no_dangling_dash(tmp_path: Path) -> None:
    """The timeline, a place's page and the board name an unknown outlet as such, not '“quote” — '."""
    import re

    from fastapi.testclient import TestClient

    from fogwatch.web import create_app

    text = "Government forces shelled a market in Idlib on Saturday."
    anonymous = Report(text=text, published="2020-03-08", places=[place(text.index("Idlib"), IDLIB)],
                       events=[event(text, "shelled", "ASSAULT", "occurred", date="2020-03-07", date_source="text")])
    with board_store(tmp_path) as store:
        add(store, anonymous)
        db = store.path
    client = TestClient(create_app(db))
    for path in ("/events", "/places/Idlib", "/ceasefires"):
        html = client.get(path).text
        assert not re.search(r"—\s*(</span>)?\s*</div>", html), path
        assert not re.search(r'<div class="meta">\s*(·|</div>)', html), path


def test_a_country_wide_board_charts_the_events_in_that_country() -> None:
    """A truce the ledger places only at 'Syria' draws the events in Syria (Aleppo's 82 killed), not only
    those placed at the country's own point; a city's board keeps to its city."""
    from fogwatch.web.pages import board_event_filters

    assert board_event_filters({"place": "Syria", "country": "SY", "feature": "country"}) == {"country": "SY"}
    assert board_event_filters({"place": "Aleppo", "country": "SY", "feature": "city"}) == {"place": "Aleppo"}
    assert board_event_filters({"place": None, "country": None}) is None
