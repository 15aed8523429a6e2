"""The cross-report ledger on hand-built readings with a known answer (no model needed).

Fixtures: three outlets on one market strike with different tolls, an agency
relaying one monitor through two outlets, two unrelated events in one city on
one day, and a ceasefire agreed, then broken, with blame from both sides.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from fogwatch import ledger, views
from fogwatch.report import Claim, Cue, Event, Named, Place, Quantity, Report, SourceRef, Span
from fogwatch.store import Store

IDLIB = dict(name="Idlib", lat=35.93, lon=36.63, geonameid=169388, country="SY", feature="city")
SARAQIB = dict(name="Saraqib", lat=35.86, lon=36.80, geonameid=169304, country="SY", feature="city")
HOMS = dict(name="Homs", lat=34.73, lon=36.71, geonameid=169577, country="SY", feature="city")
SYRIA = dict(name="Syria", lat=35.0, lon=38.0, geonameid=163843, country="SY", feature="country")


def place(at: int, where: dict) -> Place:
    return Place(start=at, end=at + len(where["name"]), text=where["name"], **where)


def strike_report(outlet: str, killed: int, source: str, date: str = "2020-02-03", where: dict = SARAQIB,
                  status: str = "reported") -> Report:
    text = f"{source} said {killed} people were killed when an airstrike hit the market in {where['name']} on Monday."
    claim = Claim(0, len(text), False, SourceRef(source, 0, len(source)), Cue(len(source) + 1, len(source) + 5, "said"),
                  Span(len(source) + 6, len(text)), "statement")
    at = text.index(where["name"])
    quantity = Quantity(text.index(str(killed)), text.index(str(killed)) + len(str(killed)) + 7, f"{killed} people",
                        killed, killed, "people", "killed")
    strike = text.index("airstrike")
    town = place(at, where)
    return Report(
        text=text, outlet=outlet, published="2020-02-04",
        places=[town], quantities=[quantity], claims=[claim],
        events=[
            Event(strike, strike + 9, "ASSAULT", status, text="airstrike", mode="aerial", acled="Air/drone strike",
                  date=date, date_source="text", place=where["name"], place_id=town.id, claim_id=claim.id),
            Event(quantity.start, quantity.end + 12, "KILL", status, text=f"{killed} people were killed",
                  date=date, date_source="text", place=where["name"], place_id=town.id, claim_id=claim.id,
                  quantity_ids=[quantity.id]),
        ],
    )


def placed(report: Report) -> Report:
    """Point each event the test names a place for at the report's first place of that name, as
    the events stage points an event at a place mention."""
    for event in report.events:
        if event.place is not None and event.place_id is None:
            event.place_id = next((p.id for p in report.places if p.name == event.place), None)
    return report


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with Store(tmp_path / "l.db") as opened:
        yield opened


def add(store: Store, *reports: Report) -> None:
    for report in reports:
        assert store.add(report)
        ledger.link_report(store, report)


def event_ids(store: Store, report: Report) -> list[int]:
    rows = store.conn.execute("SELECT event_id FROM event_mentions WHERE report_id = ? ORDER BY idx", (report.id,))
    return [r[0] for r in rows]


def test_three_outlets_on_one_strike_link_and_their_tolls_contradict(store: Store) -> None:
    a = strike_report("Agency", 9, "the Syrian Observatory for Human Rights")
    b = strike_report("Daily", 9, "The Syrian Observatory for Human Rights")
    c = strike_report("Weekly", 21, "The Civil Defense")
    add(store, a, b, c)
    assert event_ids(store, a) == event_ids(store, b) == event_ids(store, c)
    strike = views.event_ledger(store, event_ids(store, a)[0])
    assert len(strike["mentions"]) == 3
    assert any(part.startswith("day 2020-02-03") for part in strike["mentions"][1]["matched_on"])
    # Two outlets relay one monitor: two independent sources, not three.
    assert strike["sources"] == 2
    toll = views.event_ledger(store, event_ids(store, a)[1])
    kinds = [c["kind"] for c in toll["contradictions"]]
    assert kinds.count("figures") == 2  # 9 (observatory, twice) vs 21 (civil defense)
    assert all("21" in c["detail"] for c in toll["contradictions"])


def test_unrelated_events_in_one_city_on_one_day_stay_apart(store: Store) -> None:
    strike = strike_report("Agency", 9, "Medics", where=IDLIB)
    text = "Hundreds of people protested in Idlib on Monday against the local council."
    protest = placed(Report(text=text, outlet="Agency", published="2020-02-04",
                            places=[place(text.index("Idlib"), IDLIB)],
                            events=[Event(20, 29, "PROTEST", "occurred", text="protested", mode="demo",
                                          date="2020-02-03", date_source="text", place="Idlib")]))
    other_strike = strike_report("Daily", 4, "Medics", where=HOMS)
    add(store, strike, protest, other_strike)
    ids = event_ids(store, strike) + event_ids(store, protest) + event_ids(store, other_strike)
    assert len(set(ids)) == 5


def test_dates_far_apart_never_link(store: Store) -> None:
    first = strike_report("Agency", 9, "Medics", date="2020-02-03")
    later = strike_report("Daily", 9, "Medics", date="2020-02-10")
    add(store, first, later)
    assert not set(event_ids(store, first)) & set(event_ids(store, later))


def test_occurred_against_denied_is_flagged(store: Store) -> None:
    add(store, strike_report("Agency", 9, "Medics"), strike_report("State TV", 9, "The ministry", status="denied"))
    contested = views.contested_claims(store)
    assert any(c["kind"] == "status" for event in contested for c in event["contradictions"])


def test_unlink_reverses_a_merge_and_sticks(store: Store) -> None:
    a = strike_report("Agency", 9, "Medics")
    b = strike_report("Daily", 9, "Medics")
    add(store, a, b)
    merged = event_ids(store, a)[0]
    alone = ledger.unlink(store, b.id, 0)
    assert alone != merged and event_ids(store, b)[0] == alone
    c = strike_report("Weekly", 9, "Rescuers")
    add(store, c)
    assert event_ids(store, c)[0] == merged


def test_relinking_changes_nothing(store: Store) -> None:
    a, b = strike_report("Agency", 9, "Medics"), strike_report("Daily", 12, "Rescuers")
    add(store, a, b)
    before = store.conn.execute("SELECT * FROM event_mentions ORDER BY report_id, idx").fetchall()
    assert ledger.link_report(store, a) == []
    assert ledger.relink_all(store) == 0
    assert store.conn.execute("SELECT * FROM event_mentions ORDER BY report_id, idx").fetchall() == before


def ceasefire_report(outlet: str, published: str, text: str, events: list[Event], claims: list[Claim]) -> Report:
    return placed(Report(text=text, outlet=outlet, published=published, places=[place(text.index("Idlib"), IDLIB)],
                         events=events, claims=claims))


def test_ceasefire_board_follows_agreement_violation_and_blame(store: Store) -> None:
    t1 = ("A truce for Idlib was agreed on Thursday, brokered by Turkey and Russia; it takes effect on Friday, "
          "when evacuations are to begin.")
    agreed = ceasefire_report("Agency", "2020-03-06", t1, [
        Event(2, 7, "CEASEFIRE", "occurred", text="truce", mode="agreed", date="2020-03-05", date_source="text",
              place="Idlib", brokers=[Named("Turkey"), Named("Russia")]),
        Event(t1.index("takes"), t1.index("takes") + 12, "CEASEFIRE", "planned", text="takes effect",
              date="2020-03-06", date_source="text", place="Idlib"),
        Event(t1.index("evacuations"), t1.index("evacuations") + 11, "EVACUATE", "planned", text="evacuations",
              date="2020-03-06", date_source="text", place="Idlib"),
    ], [])
    t2 = "Turkey blamed government forces for breaking the truce in Idlib, while Russia blamed rebels."
    broken = ceasefire_report("Daily", "2020-03-08", t2, [
        Event(t2.index("breaking"), t2.index("truce") + 5, "CEASEFIRE", "reported", text="breaking the truce",
              mode="violated", date="2020-03-07", date_source="text", place="Idlib"),
    ], [
        Claim(0, 55, False, SourceRef("Turkey", 0, 6), Cue(7, 14, "blamed"), Span(15, 55), "blame",
              targets=[Named("government forces")]),
        Claim(63, 91, False, SourceRef("Russia", 63, 69), Cue(70, 77, "blamed"), Span(78, 84), "blame",
              targets=[Named("rebels")]),
    ])
    broken.events[0].claim_id = broken.claims[0].id  # the violation rests on Turkey's word
    unrelated = ceasefire_report("Weekly", "2020-06-20", "A new truce in Idlib was agreed in June.", [
        Event(6, 11, "CEASEFIRE", "occurred", text="truce", mode="agreed", date="2020-06-19", date_source="text",
              place="Idlib"),
    ], [])
    add(store, agreed, broken, unrelated)
    boards = views.ceasefires(store)
    assert len(boards) == 2
    board = boards[0]
    assert (board["agreed"], board["place"], board["brokers"]) == ("2020-03-05", "Idlib", ["Russia", "Turkey"])
    assert board["parties"] == ["government forces", "rebels"]  # those blamed for breaking it
    assert board["starts"] == "2020-03-06"
    assert [t["type"] for t in board["terms"]] == ["EVACUATE"]
    kinds = [item["kind"] for item in board["timeline"]]
    assert kinds.index("agreed") < kinds.index("violated") < kinds.index("blame")
    assert [c["kind"] for c in board["contradictions"]] == ["blame"]


def test_blame_matrix_counts_and_keeps_the_claims(store: Store) -> None:
    text = "Russia blamed rebels. Russia again blamed rebels. Turkey blamed the army."
    claims = [
        Claim(0, 20, False, SourceRef("Russia"), Cue(7, 13, "blamed"), Span(14, 20), "blame", [Named("rebels")]),
        Claim(22, 48, False, SourceRef("Russia"), Cue(35, 41, "blamed"), Span(42, 48), "blame", [Named("rebels")]),
        Claim(50, 72, False, SourceRef("Turkey"), Cue(57, 63, "blamed"), Span(64, 72), "blame", [Named("the army")]),
    ]
    add(store, Report(text=text, outlet="Agency", claims=claims))
    matrix = views.blame_matrix(store)
    cells = {(c["source"], c["target"]): c["count"] for c in matrix["cells"]}
    assert cells == {("Russia", "rebels"): 2, ("Turkey", "the army"): 1}


@pytest.mark.parametrize(("name", "side"), [
    ("rebels", "opposition"), ("armed opposition groups", "opposition"), ("the regime", "government"),
    ("Syrian government troops", "government"), ("its allies", None),
])
def test_sides_of_blamed_actors(name: str, side: str | None) -> None:
    assert views.side_of(name) == side


def test_query_filters(store: Store) -> None:
    add(store, strike_report("Agency", 9, "Medics"), strike_report("Daily", 4, "Medics", where=HOMS))
    assert {e["place"] for e in views.query_events(store, type="assault")} == {"Saraqib", "Homs"}
    assert [e["place"] for e in views.query_events(store, place="homs", type="KILL")] == ["Homs"]
    assert views.query_events(store, date_from="2020-02-04") == []
    assert len(views.query_events(store, country="SY", limit=1)) == 1
    assert views.query_events(store, source="nobody") == []


def test_actor_filter_is_literal_and_case_blind(store: Store) -> None:
    report = strike_report("Agency", 9, "Medics")
    report.events[0].actors = [Named("Syrian Air Force")]
    add(store, report)
    assert [e["actors"] for e in views.query_events(store, actor="air force")] == [["Syrian Air Force"]]
    assert views.query_events(store, actor="%") == []


def test_an_unknown_event_id_is_a_clear_error(store: Store) -> None:
    from fogwatch.errors import StoreError

    with pytest.raises(StoreError) as caught:
        views.event_ledger(store, 424242)
    assert caught.value.code == "E019" and "424242" in caught.value.reason


# -- linking real multi-outlet copy: families, windows, theatres, copies ----------------------------

KARVIK = dict(name="Karvik", lat=44.0, lon=45.0, geonameid=9000001, country="AZ", feature="city")
MOSCOW = dict(name="Moscow", lat=55.75, lon=37.62, geonameid=524901, country="RU", feature="city")


def truce_report(outlet: str, published: str, text: str, events: list[Event], claims: list[Claim] = (),
                 where: tuple[dict, ...] = (KARVIK, KARVIK)) -> Report:
    places = [Place(start=i, end=i + 1, text=w["name"], **w) for i, w in enumerate(where)]
    return placed(Report(text=text, outlet=outlet, published=published, places=places, events=events,
                         claims=list(claims)))


def test_an_agreement_and_the_truce_it_makes_link_across_outlets(store: Store) -> None:
    text = "The two sides agreed on Saturday in Moscow to a truce that took effect at noon."
    signed = truce_report("Wire", "2020-10-10", text, [
        Event(14, 20, "AGREE", "occurred", text="agreed", date="2020-10-10", date_source="text",
              also_types=["CEASEFIRE"], place="Moscow")], where=(MOSCOW, KARVIK, KARVIK))
    started = truce_report("Daily", "2020-10-11", text, [
        Event(46, 63, "CEASEFIRE", "occurred", text="took effect", mode="agreed", date="2020-10-10",
              date_source="text", place="Karvik")])
    undated = truce_report("Weekly", "2020-10-11", text, [
        Event(46, 63, "CEASEFIRE", "occurred", text="the truce", mode="agreed", place="Karvik")])
    add(store, signed, started, undated)
    ids = event_ids(store, signed) + event_ids(store, started) + event_ids(store, undated)
    assert len(set(ids)) == 1
    assert store.conn.execute("SELECT type FROM ledger_events WHERE id = ?", (ids[0],)).fetchone()[0] == "CEASEFIRE"


def test_truces_agreed_a_week_apart_stay_apart_and_get_a_board_entry_each(store: Store) -> None:
    text = "A truce was agreed."
    first = truce_report("Wire", "2020-10-10", text, [
        Event(2, 7, "CEASEFIRE", "occurred", text="truce", mode="agreed", date="2020-10-10", date_source="text")])
    second = truce_report("Daily", "2020-10-17", text, [
        Event(2, 7, "CEASEFIRE", "occurred", text="truce", mode="agreed", date="2020-10-17", date_source="text")])
    add(store, first, second)
    assert set(event_ids(store, first)).isdisjoint(event_ids(store, second))
    assert len(views.ceasefires(store)) == 2


def test_a_renewal_is_a_phase_of_the_truce_it_renews(store: Store) -> None:
    start = truce_report("Wire", "2022-04-02", "A two-month truce began.", [
        Event(16, 21, "CEASEFIRE", "occurred", text="truce", mode="agreed", date="2022-04-02", date_source="text")])
    renewed = truce_report("Daily", "2022-06-02", "The parties agreed to renew the truce for two months.", [
        Event(22, 30, "CEASEFIRE", "occurred", text="renew the truce", mode="agreed", date="2022-06-02",
              date_source="text")])
    add(store, start, renewed)
    assert set(event_ids(store, start)).isdisjoint(event_ids(store, renewed))
    assert len(views.ceasefires(store)) == 1


def test_undated_events_are_bounded_by_publication(store: Store) -> None:
    """A strike the text does not date happened on or shortly before its report; not a week later."""
    first = strike_report("Agency", 9, "Medics")
    undated = strike_report("Daily", 9, "Medics", date=None)
    undated.events = [Event(e.start, e.end, e.type, e.status, text=e.text, mode=e.mode, acled=e.acled,
                            place=e.place, place_id=e.place_id) for e in undated.events]
    late = strike_report("Weekly", 9, "Medics", date=None)
    late.published = "2020-02-14"
    late.events = [Event(e.start, e.end, e.type, e.status, text=e.text, mode=e.mode, acled=e.acled,
                         place=e.place, place_id=e.place_id) for e in late.events]
    add(store, first, undated, late)
    assert event_ids(store, first) == event_ids(store, undated)
    assert set(event_ids(store, first)).isdisjoint(event_ids(store, late))


def test_one_sides_attack_and_the_others_reply_stay_apart(store: Store) -> None:
    text = "Norland shelled Suria's positions near Karvik."
    attack = truce_report("Wire", "2021-05-03", text, [
        Event(8, 15, "ASSAULT", "occurred", text="shelled", date="2021-05-03", date_source="text",
              place="Karvik", actors=[Named("Norland")], targets=[Named("Suria")])])
    reply = truce_report("Daily", "2021-05-03", text, [
        Event(8, 15, "ASSAULT", "occurred", text="shelled", date="2021-05-03", date_source="text",
              place="Karvik", actors=[Named("Suria")], targets=[Named("Norland")])])
    add(store, attack, reply)
    assert set(event_ids(store, attack)).isdisjoint(event_ids(store, reply))


def test_a_wire_copy_adds_no_events(store: Store) -> None:
    original = strike_report("Agency", 9, "Medics")
    copy = strike_report("Daily", 9, "Medics")
    copy.outlet = "Daily"
    assert store.add(original)
    ledger.link_report(store, original)
    assert store.add(copy)
    store.set_original(original.id, {copy.id: 0.95})
    before = store.conn.execute("SELECT count(*) FROM ledger_events").fetchone()[0]
    decisions = ledger.link_report(store, copy)
    assert store.conn.execute("SELECT count(*) FROM ledger_events").fetchone()[0] == before
    assert all("wire copy" in d["matched_on"][0] for d in decisions) and decisions
    assert event_ids(store, copy) == event_ids(store, original)


def test_mutual_blame_over_a_truce_is_contested(store: Store) -> None:
    text = "Armenia accused Azerbaijan of violating the truce. Azerbaijan accused Armenia of violating the truce."
    half = text.index("Azerbaijan accused")
    claims = [
        Claim(0, half - 1, False, SourceRef("Armenia", 0, 7), Cue(8, 16, "accused"), Span(17, half - 1), "blame",
              targets=[Named("Azerbaijan")]),
        Claim(half, len(text), False, SourceRef("Azerbaijan", half, half + 10), Cue(half + 11, half + 19, "accused"),
              Span(half + 20, len(text)), "blame", targets=[Named("Armenia")]),
    ]
    report = truce_report("Wire", "2020-10-10", text, [
        Event(text.index("violating"), text.index("violating") + 19, "CEASEFIRE", "reported", text="violating the truce",
              mode="violated", date="2020-10-10", date_source="text")], claims)
    add(store, report)
    contested = views.contested_claims(store)
    assert any(c["kind"] == "blame" for event in contested for c in event["contradictions"])


def test_side_key_rolls_officials_and_forces_up_to_their_state() -> None:
    assert ledger.side_key("Russia") == ledger.side_key("Russian forces") == ledger.side_key("the Kremlin")
    assert ledger.side_key("Russia") != ledger.side_key("Ukraine")


def test_tolls_that_differ_without_contradicting_are_shown_as_a_difference(store: Store) -> None:
    first = strike_report("Agency", 12, "Medics")
    first.quantities[0].high = None  # "at least 12"
    later = strike_report("Daily", 21, "Rescuers")
    add(store, first, later)
    contested = views.contested_claims(store)
    found = [c for event in contested for c in event["contradictions"] if c["kind"] == "figures"]
    assert [c["severity"] for c in found] == ["difference"]


def test_an_organisation_and_its_spokesman_are_one_source() -> None:
    assert views.source_lineage("a Hezbollah spokesman") == views.source_lineage("Hezbollah")
    assert views.source_lineage("IDF spokesman") == views.source_lineage("the Israeli army")
    assert views.source_lineage("Hezbollah") != views.source_lineage("the Israeli army")
    assert views.source_lineage("Medics at the hospital") == "medics at the hospital"


def test_a_statement_and_its_spokesman_count_once(store: Store) -> None:
    a = strike_report("Agency", 9, "Hezbollah")
    b = strike_report("Daily", 9, "a Hezbollah spokesman")
    add(store, a, b)
    event = views.event_ledger(store, event_ids(store, a)[0])
    assert len(event["mentions"]) == 2 and event["sources"] == 1


def test_a_window_bounded_only_by_publication_never_narrows_one_the_text_gives(store: Store) -> None:
    """A guess ("on or before publication") joins a truce dated by the text without moving its
    date, and a later report dated by the text still finds it."""
    text = "A truce took effect."
    dated = truce_report("Wire", "2022-04-02", text, [
        Event(2, 7, "CEASEFIRE", "occurred", text="truce", mode="agreed", date="2022-04-02", date_source="text")])
    guessed = truce_report("Daily", "2022-04-01", text, [
        Event(2, 7, "CEASEFIRE", "occurred", text="truce", mode="agreed", date_source="bounded")])
    later = truce_report("Weekly", "2022-04-06", text, [
        Event(2, 7, "CEASEFIRE", "occurred", text="truce", mode="agreed", date="2022-04-02", date_source="text")])
    add(store, guessed, dated, later)
    ids = {*event_ids(store, guessed), *event_ids(store, dated), *event_ids(store, later)}
    assert len(ids) == 1
    row = store.conn.execute("SELECT day_first, day_lo, day_hi, window_hard FROM ledger_events").fetchone()
    assert tuple(row) == ("2022-04-02", "2022-04-02", "2022-04-02", 1)


def test_placeless_events_link_by_side_and_window(store: Store) -> None:
    """A rejection has no scene: two reports of one side rejecting in one window are one event."""
    text = "Kyiv rejected the offer."
    first = truce_report("Wire", "2023-01-05", text, [
        Event(5, 13, "REJECT", "occurred", text="rejected", actors=[Named("Volodymyr Zelensky")], date_source="bounded")])
    second = truce_report("Daily", "2023-01-06", text, [
        Event(5, 13, "REJECT", "occurred", text="rejected", actors=[Named("Ukraine")], date_source="bounded")])
    other = truce_report("Weekly", "2023-01-06", text, [
        Event(5, 13, "REJECT", "occurred", text="rejected", actors=[Named("Russia")], date_source="bounded")])
    add(store, first, second, other)
    assert event_ids(store, first) == event_ids(store, second)
    assert set(event_ids(store, other)).isdisjoint(event_ids(store, first))


def test_a_rejection_is_not_placed_at_the_report_s_main_place(store: Store) -> None:
    """Two outlets, one mostly about Karvik and one about Moscow: one rejection, not two scenes."""
    text = "Kyiv rejected the offer."
    first = truce_report("Wire", "2023-01-05", text, [
        Event(5, 13, "REJECT", "occurred", text="rejected", actors=[Named("Ukraine")], date_source="bounded")],
        where=(KARVIK, KARVIK, MOSCOW))
    second = truce_report("Daily", "2023-01-06", text, [
        Event(5, 13, "REJECT", "occurred", text="rejected", actors=[Named("Ukraine")], date_source="bounded")],
        where=(MOSCOW, MOSCOW, KARVIK))
    add(store, first, second)
    assert event_ids(store, first) == event_ids(store, second)


def test_an_accord_named_later_joins_the_one_signed_in_its_city(store: Store) -> None:
    text = "The accord signed in Moscow holds."
    moscow = truce_report("Wire", "2020-10-12", text, [
        Event(4, 10, "CEASEFIRE", "occurred", text="accord", mode="agreed", date="2020-10-12", date_source="text",
              place="Moscow", place_source="text")], where=(MOSCOW, KARVIK))
    elsewhere = truce_report("Daily", "2020-10-01", text, [
        Event(4, 10, "CEASEFIRE", "occurred", text="accord", mode="agreed", date="2020-10-01", date_source="text",
              place="Karvik", place_source="text")], where=(KARVIK, MOSCOW))
    later = truce_report("Weekly", "2020-10-20", text, [
        Event(4, 10, "CEASEFIRE", "occurred", text="accord", mode="agreed", date_low="2020-09-20",
              date_high="2020-10-20", date_source="bounded", place="Moscow", place_source="text")],
        where=(MOSCOW, KARVIK))
    add(store, elsewhere, moscow, later)
    assert event_ids(store, elsewhere) != event_ids(store, moscow)
    assert event_ids(store, later) == event_ids(store, moscow)


def test_the_ledger_outputs_are_stable_across_reruns(tmp_path: Path) -> None:
    """The same input read twice into fresh stores gives the same events, board and blame (the
    machine-readable outputs that checks outside the project rely on)."""
    from fogwatch import jobs

    outputs = []
    for run in ("a", "b"):
        with Store(tmp_path / f"{run}.db") as store:
            jobs.ingest_demo(store)
            outputs.append((views.query_events(store, limit=-1), views.ceasefires(store), views.blame_matrix(store)))
    assert outputs[0] == outputs[1]
    assert outputs[0][0], "the demo links events"


def test_a_towns_strike_joins_the_strike_there_not_a_country_wide_one(store: Store) -> None:
    # A dated country-wide attack by the same side, and an undated one in the town: the town's
    # dated strike belongs with the town's, where the country adds nothing to the link.
    nationwide = strike_report("Agency", 9, "Medics", where=SYRIA)
    nationwide.events[0].actors = [Named("Russia")]
    in_town = strike_report("Daily", 9, "Medics", where=SARAQIB, date=None)
    in_town.events = [e for e in in_town.events if e.type == "ASSAULT"]
    in_town.events[0].date_source = None
    add(store, nationwide, in_town)
    later = strike_report("Weekly", 4, "Medics", where=SARAQIB)
    later.events = [e for e in later.events if e.type == "ASSAULT"]
    later.events[0].actors = [Named("Russia")]
    add(store, later)
    assert event_ids(store, later) == event_ids(store, in_town)
    assert event_ids(store, later)[0] not in event_ids(store, nationwide)


def test_a_report_telling_its_toll_twice_at_its_main_place_gives_one_event(store: Store) -> None:
    text = ("Officials said 82 civilians had been killed in Idlib. Later, the UN said scores of civilians "
            "had been killed by government forces.")
    first, second = text.index("82 civilians"), text.index("scores of civilians")
    window = dict(date="2020-02-03", date_source="sentence", date_low="2020-02-01", date_high="2020-02-03")
    report = placed(Report(
        text=text, outlet="Agency", published="2020-02-04", places=[place(text.index("Idlib"), IDLIB)],
        events=[
            Event(first, first + 28, "KILL", "reported", text="82 civilians had been killed",
                  place="Idlib", place_source="text", **window),
            Event(second, second + 35, "KILL", "reported", text="scores of civilians had been killed",
                  place="Idlib", place_source="report", actors=[Named("Syrian government forces")], **window),
        ]))
    add(store, report)
    assert len(set(event_ids(store, report))) == 1


def _two_tolls_in_idlib(second_actors: list[str], first_actors: list[str] = ()) -> Report:
    """A report with no date and no outlet (a bare file) that gives two death tolls in Idlib."""
    text = ("Officials said 82 civilians had been killed in Idlib. Later, the UN said scores of civilians "
            "had been killed in Idlib.")
    first, second = text.index("82 civilians"), text.index("scores of civilians")
    return placed(Report(text=text, places=[place(text.index("Idlib"), IDLIB), place(text.rindex("Idlib"), IDLIB)],
                         events=[
                      Event(first, first + 28, "KILL", "reported", text="82 civilians had been killed",
                            place="Idlib", place_source="text",
                            actors=[Named(a) for a in first_actors]),
                      Event(second, second + 35, "KILL", "reported", text="scores of civilians had been killed",
                            place="Idlib", place_source="text",
                            actors=[Named(a) for a in second_actors]),
                  ]))


def test_an_undated_report_telling_its_toll_twice_in_one_town_gives_one_killing(store: Store) -> None:
    """No day, no publication date: only the town and the report say it is one toll retold."""
    report = _two_tolls_in_idlib(["Syrian government forces"])
    add(store, report)
    assert len(set(event_ids(store, report))) == 1


def test_a_reports_tolls_by_different_killers_in_one_town_stay_two_killings(store: Store) -> None:
    report = _two_tolls_in_idlib(["Syrian government forces"], first_actors=["Hayat Tahrir al-Sham"])
    add(store, report)
    assert len(set(event_ids(store, report))) == 2


def test_a_disagreement_is_listed_once_whatever_its_order_and_copies(store: Store) -> None:
    """A denial before and after the claim it denies is one disagreement, and wire copies of the
    claim repeat it without adding one each."""
    first_denial = strike_report("State TV", 9, "The ministry", status="denied")
    original = strike_report("Agency", 9, "Medics")
    later_denial = strike_report("State Radio", 9, "The ministry", status="denied")
    add(store, first_denial, original)
    for n in range(3):
        copy = strike_report(f"Daily {n}", 9, "Medics")
        assert store.add(copy)
        store.set_original(original.id, {copy.id: 0.95})
        ledger.link_report(store, copy)
    add(store, later_denial)
    event_id = event_ids(store, original)[1]  # the killing
    found = views.build_event_ledger(store, event_id)["contradictions"]
    assert [c["kind"] for c in found] == ["status"], [c["detail"] for c in found]


def test_a_truce_nothing_dates_gets_an_entry_of_its_own(store: Store) -> None:
    """A report stored with no date (and none in its text) is no evidence for a truce of any year:
    its agreement and collapse do not join an entry the texts date, but stay together."""
    text = "The truce took effect in Karvik. The truce collapsed."
    dated = truce_report("Wire", "2019-05-08", text, [
        Event(4, 9, "CEASEFIRE", "occurred", text="truce took effect", mode="agreed", date="2019-05-08",
              date_source="text", place="Karvik")])
    undated = truce_report(None, None, text, [
        Event(4, 9, "CEASEFIRE", "occurred", text="truce took effect", mode="agreed", place="Karvik"),
        Event(38, 47, "CEASEFIRE", "occurred", text="truce collapsed", mode="collapsed", place="Karvik")])
    add(store, dated, undated)
    boards = views.ceasefires(store)
    assert len(boards) == 2
    undated_board = next(b for b in boards if undated.id in b["reports"])
    assert set(undated_board["reports"]) == {undated.id}
    assert {t["kind"] for t in undated_board["timeline"]} == {"agreed", "collapsed"}
