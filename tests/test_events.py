"""Events: types, modality (negation and hypotheticals above all), arguments, dates and places.

Sentences are written for these tests. Other layers (actors, times, places, claims) are
filled by hand here, so that these tests pin the events stage's own behaviour whatever
the other stages do; one test runs the whole pipeline.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fogwatch.actordict import side_key
from fogwatch.extract import default_pipeline
from fogwatch.ontology import EVENT_TYPES, STATUSES, is_known
from fogwatch.report import Actor, Claim, Cue, Event, Place, Report, SourceRef, Span, TimeExpr
from fogwatch.stages.events import find_events
from fogwatch.stages.quantities import find_quantities
from fogwatch.timewindow import exact_day


@pytest.fixture(scope="module")
def parse():
    pipeline = default_pipeline(("chrome", "parse"))
    return lambda text: pipeline(Report(text=text))


def spans(text: str, word: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(re.escape(word), text)]


def reading(parse, text: str, *, published: str | None = None, places=(), times=(), actors=(), claims=()) -> Report:
    """Parse ``text``, fill the other layers by hand, and run quantities and events."""
    report = parse(text)
    report.published = published
    for name, feature in places:
        report.places += [Place(s, e, name, name, feature=feature) for s, e in spans(text, name)]
    report.places.sort(key=lambda p: p.start)
    for surface, value, granularity in times:
        report.times += [TimeExpr(s, e, surface, value, granularity) for s, e in spans(text, surface)]
    report.times.sort(key=lambda t: t.start)
    for name, surfaces in actors:
        mentions = [Span(s, e) for surface in surfaces for s, e in spans(text, surface)]
        report.actors.append(Actor(name, "other", mentions=mentions))
    for source, cue, content in claims:
        (cs, ce), (ks, ke) = spans(text, cue)[0], spans(text, content)[0]
        report.claims.append(Claim(0, len(text), False, SourceRef(source), Cue(cs, ce, cue), Span(ks, ke)))
    report.quantities = find_quantities(report.doc)
    report.events = find_events(report)
    return report


def events_of(report: Report, event_type: str) -> list[Event]:
    return [e for e in report.events if e.type == event_type]


def one(report: Report, event_type: str) -> Event:
    found = events_of(report, event_type)
    assert len(found) == 1, report.events
    return found[0]


# ------------------------------------------------------------------ types


@pytest.mark.parametrize(
    ("text", "event_type", "acled"),
    [
        ("Artillery shelled the market on Monday.", "ASSAULT", "Shelling/artillery/missile attack"),
        ("Airstrikes hit the bakery overnight.", "ASSAULT", "Air/drone strike"),
        ("Rebels ambushed a convoy near the bridge.", "ASSAULT", "Attack"),
        ("Troops clashed with militants in the hills.", "ASSAULT", "Armed clash"),
        ("Police detained the mayor.", "DETAIN", "Arrests"),
        ("Gunmen kidnapped two engineers.", "ASSAULT", "Abduction/forced disappearance"),
        ("Army units evacuated the hospital.", "EVACUATE", None),
        ("The two parties signed an accord in Geneva.", "AGREE", "Agreement"),
        ("The foreign ministers met in Vienna.", "CONSULT", None),
        ("Thousands of students protested outside parliament.", "PROTEST", "Peaceful protest"),
        ("Looters torched the warehouse.", "ASSAULT", "Looting/property destruction"),
    ],
)
def test_types_and_acled(parse, text: str, event_type: str, acled: str | None) -> None:
    event = one(reading(parse, text), event_type)
    assert event.acled == acled
    assert is_known(event.type, event.mode) and event.status in STATUSES


def test_ceasefire_modes(parse) -> None:
    text = ("The truce collapsed on Friday. Militias violated the ceasefire within hours. "
            "A new cease-fire was agreed on Sunday.")
    modes = [e.mode for e in events_of(reading(parse, text), "CEASEFIRE")]
    assert modes == ["collapsed", "violated", "agreed"]


@pytest.mark.parametrize(
    "text",
    [
        "The two sides struck a deal on Monday.",
        "The company fired its chief executive.",
        "Exporters were hit hard by the sanctions.",
        "The plan targets economic growth.",
    ],
)
def test_violence_verbs_in_other_senses(parse, text: str) -> None:
    assert events_of(reading(parse, text), "ASSAULT") == []


def test_a_passing_mention_of_a_deal_is_no_event(parse) -> None:
    report = reading(parse, "Critics say the deal favours the north.")
    assert events_of(report, "AGREE") == []


def test_killed_count_makes_a_kill_event_with_its_quantity(parse) -> None:
    report = reading(parse, "Seventeen fishermen were killed near the harbour.")
    kill = one(report, "KILL")
    assert [q.text for q in report.quantities_of(kill)] == ["Seventeen fishermen"]
    assert "ASSAULT" in kill.also_types


def test_every_type_is_in_the_ontology(parse) -> None:
    text = ("Gunmen stormed the depot and held twelve guards hostage. Aid groups demanded a truce. "
            "The envoy will visit the capital. Protesters rioted after the vote.")
    for event in reading(parse, text).events:
        assert event.type in EVENT_TYPES and event.status in STATUSES


# ------------------------------------------------------------------ status and modality


@pytest.mark.parametrize(
    ("text", "event_type", "status"),
    [
        ("Militia fighters shelled the suburb.", "ASSAULT", "occurred"),
        ("Government forces are shelling the suburb.", "ASSAULT", "ongoing"),
        ("The wounded were to be evacuated by bus.", "EVACUATE", "planned"),
        ("The convoy was meant to allow for the evacuation of the sick.", "EVACUATE", "planned"),
        ("Evacuations were set to begin at dawn.", "EVACUATE", "planned"),
        ("The general will meet the envoy tomorrow.", "CONSULT", "planned"),
        ("The council is seeking an evacuation of the camp.", "EVACUATE", "demanded"),
        ("Relief agencies called for a ceasefire.", "CEASEFIRE", "demanded"),
        ("Sniper fire prevented any evacuations from taking place.", "EVACUATE", "prevented"),
        ("Checkpoints blocked the evacuation of the wounded.", "EVACUATE", "prevented"),
        ("The commander denied shelling the school.", "ASSAULT", "denied"),
        ("Analysts expected that the rebels would attack the port.", "ASSAULT", "predicted"),
        ("The villages have been besieged since spring.", "BESIEGE", "ongoing"),
        ("The convoy failed to evacuate the clinic.", "EVACUATE", "prevented"),
        ("A summit is to be held in the spring.", "CONSULT", "planned"),
        ("The general refused to attack the village.", "ASSAULT", "prevented"),
        ("The envoy flew to the capital to negotiate a deal.", "CONSULT", "planned"),
        ("Engineers repaired the besieged town's water plant.", "BESIEGE", "ongoing"),
    ],
)
def test_status(parse, text: str, event_type: str, status: str) -> None:
    assert one(reading(parse, text), event_type).status == status


@pytest.mark.parametrize(
    ("text", "event_type"),
    [
        ("No evacuations took place on Sunday.", "EVACUATE"),
        ("The army did not attack the town.", "ASSAULT"),
        ("Rebels never shelled the airport.", "ASSAULT"),
        ("If the truce holds, aid convoys will evacuate the wounded.", "EVACUATE"),
        ("If the army attacks the city, thousands will flee.", "ASSAULT"),
        ("The militia could strike the capital.", "ASSAULT"),
        ("The militia might attack the capital.", "ASSAULT"),
        ("Officials left without evacuating the clinic.", "EVACUATE"),
        ("Who attacked the convoy?", "ASSAULT"),
        ("Nobody attacked the convoy.", "ASSAULT"),
        ("Neither side shelled the bridge.", "ASSAULT"),
        ("The soldiers killed no civilians.", "KILL"),
        ("There were no airstrikes on Friday.", "ASSAULT"),
    ],
)
def test_negation_and_hypotheticals_never_occur(parse, text: str, event_type: str) -> None:
    assert all(e.status != "occurred" for e in events_of(reading(parse, text), event_type))


def test_negated_events_are_dropped(parse) -> None:
    report = reading(parse, "No evacuations took place and the army did not attack the town.")
    assert events_of(report, "EVACUATE") == [] and events_of(report, "ASSAULT") == []


def test_speech_verb_makes_it_reported(parse) -> None:
    text = "A monitoring group said that jets bombed the clinic."
    assert one(reading(parse, text), "ASSAULT").status == "reported"


def test_claim_layer_gives_status_and_index(parse) -> None:
    text = "The ministry reported that 40 prisoners were being held at the camp."
    report = reading(parse, text, claims=[("the ministry", "reported", "40 prisoners were being held at the camp")])
    event = one(report, "DETAIN")
    assert (event.status, event.claim_id) == ("reported", report.claims[0].id)
    assert report.quantities[0].claim_id == report.claims[0].id


def test_according_to_keeps_the_report_s_own_voice(parse) -> None:
    text = "Heavy shelling hit the district, according to residents."
    report = reading(parse, text, claims=[("residents", "according to", "Heavy shelling hit the district")])
    assert one(report, "ASSAULT").status == "occurred"


def test_planned_event_turns_its_count_to_be(parse) -> None:
    report = reading(parse, "The plan was meant to allow for the evacuation of hundreds of patients.")
    assert report.quantities[0].status == "to be evacuated"


# ------------------------------------------------------------------ arguments


def test_agent_and_target_from_subject_and_object(parse) -> None:
    text = "Northern rebels attacked the Border Guard near Karvik."
    report = reading(parse, text, actors=[("rebels", ["rebels"]), ("Border Guard", ["Border Guard"])],
                     places=[("Karvik", "town")])
    event = one(report, "ASSAULT")
    assert [a.name for a in event.actors] == ["rebels"]
    assert [t.name for t in event.targets] == ["Border Guard"]
    assert (event.place, event.place_id, event.place_source) == ("Karvik", report.places[0].id, "text")


def test_passive_agent_and_brokers(parse) -> None:
    text = "A ceasefire brokered by Norland and Suria collapsed. The harbour was shelled by the navy."
    report = reading(parse, text, actors=[("Norland", ["Norland"]), ("Suria", ["Suria"]), ("navy", ["navy"])])
    ceasefire = one(report, "CEASEFIRE")
    assert [b.name for b in ceasefire.brokers] == ["Norland", "Suria"]
    assert ceasefire.actors == []  # who brokers a truce is not a party to it
    assert [a.name for a in one(report, "ASSAULT").actors] == ["navy"]


@pytest.mark.parametrize("text", [
    "Suria and Karvia agreed to a truce, which Norland brokered.",
    "Suria and Karvia signed a Norland-brokered truce on Monday.",
    "Suria and Karvia agreed a truce under the mediation of Norland.",
    "Norland, which brokered the truce, said Suria and Karvia had accepted it.",
])
def test_brokers_are_not_parties(parse, text) -> None:
    names = [("Norland", ["Norland"]), ("Suria", ["Suria"]), ("Karvia", ["Karvia"])]
    report = reading(parse, text, actors=names)
    brokers = {b.name for e in report.events if e.type in ("CEASEFIRE", "AGREE") for b in e.brokers}
    parties = {a.name for e in report.events if e.type in ("CEASEFIRE", "AGREE") for a in e.actors}
    assert brokers == {"Norland"}
    assert "Norland" not in parties


def test_agreement_to_cease_fire_joins_the_ceasefire_family(parse) -> None:
    text = "Suria and Karvia reached an agreement on a truce late on Monday."
    report = reading(parse, text, actors=[("Suria", ["Suria"]), ("Karvia", ["Karvia"])],
                     times=[("late on Monday", "2021-05-03TNI", "day")])
    agreements = [e for e in report.events if e.type == "AGREE"]
    assert agreements and all("CEASEFIRE" in e.also_types for e in agreements)


def test_violations_of_a_ceasefire_agreement(parse) -> None:
    text = ("A truce took effect on Monday. Karvia reported repeated Surian violations of the ceasefire agreement, "
            "and Suria accused Karvia of violating the terms of the truce.")
    report = reading(parse, text, actors=[("Suria", ["Suria", "Surian"]), ("Karvia", ["Karvia"])])
    violated = [e for e in report.events if e.type == "CEASEFIRE" and e.mode == "violated"]
    assert len(violated) == 2


def test_undated_event_takes_its_sentence_date(parse) -> None:
    text = "Suria and Karvia agreed on Saturday to a truce and then accused each other of violating the deal."
    report = reading(parse, text, actors=[("Suria", ["Suria"]), ("Karvia", ["Karvia"])],
                     times=[("on Saturday", "2020-10-10", "day")])
    violated = [e for e in report.events if e.type == "CEASEFIRE" and e.mode == "violated"]
    assert violated and violated[0].date == "2020-10-10" and violated[0].date_source == "sentence"


def test_possessor_is_the_agent_of_a_noun_event(parse) -> None:
    text = "Norland's airstrikes on Friday destroyed the bridge."
    report = reading(parse, text, actors=[("Norland", ["Norland"])], times=[("Friday", "2020-03-06", "day")])
    event = next(e for e in report.events if e.type == "ASSAULT" and "airstrikes" in e.text)
    assert [a.name for a in event.actors] == ["Norland"] and event.date == "2020-03-06"


def test_headline_does_not_borrow_the_lede_s_speech_verb(parse) -> None:
    text = "Truce holds in the valley\n\nBoth armies stayed in their barracks on Monday, officials said."
    assert one(reading(parse, text), "CEASEFIRE").status == "occurred"


def test_date_from_the_governing_time_expression(parse) -> None:
    text = "Rebels shelled the depot on Tuesday, officials said on Thursday."
    report = reading(parse, text, times=[("Tuesday", "2020-03-03", "day"), ("Thursday", "2020-03-05", "day")])
    event = one(report, "ASSAULT")
    assert (event.date, event.date_source) == ("2020-03-03", "text")


def test_speech_time_does_not_date_the_reported_event(parse) -> None:
    text = "The governor said on Thursday that militants had kidnapped a priest."
    report = reading(parse, text, times=[("Thursday", "2020-03-05", "day")])
    event = one(report, "ASSAULT")
    # "had kidnapped": on or before the saying; its day is only the likeliest, never an exact date.
    assert (event.date_low, event.date_high, event.date_source) == ("2020-03-03", "2020-03-05", "sentence")
    assert exact_day(event.date, event.date_source, event.date_low, event.date_high) is None


def test_a_reported_act_without_a_date_of_its_own_is_dated_by_its_sentence(parse) -> None:
    text = "The ministry said on Sunday that enemy forces shelled the town."
    report = reading(parse, text, times=[("Sunday", "2020-10-18", "day")], published="2020-10-18")
    event = one(report, "ASSAULT")
    assert (event.date, event.date_source) == ("2020-10-18", "sentence")


def test_an_undated_event_takes_the_day_of_its_paragraph(parse) -> None:
    text = "Fighting raged on Friday around the town. Artillery shelled the market. A convoy was ambushed."
    report = reading(parse, text, times=[("Friday", "2020-10-16", "day")], published="2020-10-18")
    later = [e for e in report.events if e.type == "ASSAULT" and e.start > text.index("Artillery")]
    assert later and all((e.date, e.date_source) == ("2020-10-16", "paragraph") for e in later)


def test_a_past_event_the_text_does_not_date_is_dated_by_publication_and_says_so(parse) -> None:
    text = "Drones struck a fuel depot near Ostra.\n\nLater paragraphs say more. Rebels attacked a convoy."
    report = reading(parse, text, published="2021-06-02", places=[("Ostra", "town")])
    for event in (e for e in report.events if e.type == "ASSAULT"):
        assert (event.date, event.date_source) == ("2021-06-02", "published")
        assert (event.date_low, event.date_high) == ("2021-05-31", "2021-06-02")
        assert exact_day(event.date, event.date_source, event.date_low, event.date_high) is None


def test_a_truce_named_in_passing_lies_in_the_weeks_before_publication(parse) -> None:
    report = reading(parse, "Raids went on after the truce was signed in Pretoria.", published="2022-11-20")
    truce = next(e for e in report.events if e.type == "CEASEFIRE")
    assert (truce.date, truce.date_source, truce.date_low, truce.date_high) == (None, "bounded", "2022-10-21",
                                                                                "2022-11-20")


def test_a_planned_event_the_text_does_not_date_keeps_only_its_window(parse) -> None:
    report = reading(parse, "The two sides will sign a truce.", published="2021-06-02")
    truce = one(report, "CEASEFIRE")
    assert (truce.date, truce.date_source, truce.date_low) == (None, "bounded", "2021-06-02")


def test_main_place_continues_for_located_events_only(parse) -> None:
    text = ("Fighting raged in Dalsk on Monday. Airstrikes destroyed a school. "
            "The president will speak to his counterpart in the evening.")
    report = reading(parse, text, places=[("Dalsk", "city")])
    strike = next(e for e in events_of(report, "ASSAULT") if "Airstrikes" in e.text)
    assert (strike.place, strike.place_source) == ("Dalsk", "report")
    assert one(report, "CONSULT").place is None


def test_definite_village_points_back_to_the_villages_named(parse) -> None:
    text = ("Aid reached Velta and Morsk. The villages in Harn province, besieged since May, "
            "still lack fuel.")
    report = reading(parse, text, places=[("Velta", "village"), ("Morsk", "village"), ("Harn", "admin1")])
    siege = one(report, "BESIEGE")
    assert (siege.place, siege.place_source) == ("Velta", "anaphor")


def test_whole_pipeline_runs_and_keeps_the_contract(read) -> None:
    report = read("Warplanes bombed a market in Aleppo on Tuesday, killing 12 people, "
                  "the observatory said.", published="2016-12-14")
    assert report.events
    for event in report.events:
        assert report.text[event.start : event.end] == event.text
        assert event.type in EVENT_TYPES and event.status in STATUSES


@pytest.mark.parametrize("text", ["", "   ", "?!", "\u202e\u200b attack", "“unbalanced quote shelling", "attack " * 3000])
def test_odd_input_never_crashes(parse, text: str) -> None:
    reading(parse, text)


FRAGMENTS = ["the army", "did not", "will", "attack", "shelled", "evacuation of", "no", "if", "the truce", "collapsed",
             "said", "that", "hundreds of", "civilians", "were", "killed", "called for", "a ceasefire", ",", ".", "?",
             "\n\n", "besieged", "town", "prevented", "any", "evacuations"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=30))
def test_random_sentences_keep_the_contract(parse, words: list[str]) -> None:
    text = " ".join(words)
    report = reading(parse, text)
    for event in report.events:
        assert text[event.start : event.end] == event.text
        assert event.type in EVENT_TYPES and event.status in STATUSES
        assert len(report.quantities_of(event)) == len(event.quantity_ids)  # every figure it cites exists


def test_controller_and_apposition_fill_arguments(parse) -> None:
    text = ("Militiamen entered the village to carry out executions. "
            "The minister will speak to his counterpart Ivan Petrov on Monday.")
    report = reading(parse, text, actors=[("militia", ["Militiamen"]), ("Ivan Petrov", ["Ivan Petrov"]),
                                          ("minister", ["The minister"])])
    execution = next(e for e in report.events if e.type == "ASSAULT")
    assert [a.name for a in execution.actors] == ["militia"]
    consult = one(report, "CONSULT")
    assert [t.name for t in consult.targets] == ["Ivan Petrov"] and consult.status == "planned"


def test_a_dateline_is_not_where_the_event_happened(read) -> None:
    report = read("BEIRUT — Shelling hit a market in Aleppo on Tuesday, residents said.", published="2016-12-14")
    shelling = [e for e in report.events if e.type == "ASSAULT"]
    assert shelling and shelling[0].place == "Aleppo"


def test_a_truce_for_a_purpose_collapses_and_its_purpose_is_only_planned(parse) -> None:
    report = reading(parse, "A truce to evacuate the wounded from the valley unraveled on Tuesday.")
    truce = one(report, "CEASEFIRE")
    assert truce.mode == "collapsed" and truce.status == "occurred"
    assert one(report, "EVACUATE").status == "planned"


def test_a_meeting_to_be_held_is_not_a_detention(parse) -> None:
    report = reading(parse, "A meeting to be held in Oslo next week will discuss the exchange.")
    assert not events_of(report, "DETAIN")
    assert {e.status for e in events_of(report, "CONSULT")} == {"planned"}


def test_an_act_claimed_or_blamed_is_an_event_with_the_one_it_is_pinned_on(read) -> None:
    report = read(
        "The Houthis claimed responsibility for the attack on the tanker. "
        "Russia blamed rebels for the attack on the convoy.",
        published="2023-06-06",
    )
    assaults = [e for e in report.events if e.type == "ASSAULT"]
    assert [(e.status, [a.name for a in e.actors]) for e in assaults] == [
        ("reported", ["Houthis"]), ("reported", ["rebels"])
    ]


def test_a_rising_toll_is_dated_by_its_attack_not_by_the_count(parse) -> None:
    text = "The death toll from Monday's airstrikes on the market rose to 21 on Wednesday, rescuers said."
    report = reading(parse, text, times=[("Monday", "2019-05-06", "day"), ("Wednesday", "2019-05-08", "day")])
    kills = [e for e in report.events if e.type == "KILL"]
    assert kills and all(e.date != "2019-05-08" for e in kills)


def test_every_event_has_a_window_and_its_basis(parse) -> None:
    text = "Artillery shelled the town. The ceasefire will begin at midnight, officials said."
    report = reading(parse, text, published="2021-05-05")
    past = next(e for e in report.events if e.type == "ASSAULT")
    assert (past.date_low, past.date_high) == ("2021-05-03", "2021-05-05")
    assert past.date_source in {"bounded", "published"}
    ahead = next(e for e in report.events if e.type == "CEASEFIRE")
    assert ahead.date_low == "2021-05-05" and ahead.date_high > "2021-05-05"


def test_the_sides_of_a_truce_are_not_its_place(parse) -> None:
    text = "A truce between Norland and Suria took effect in Karvik on Monday."
    report = reading(parse, text, places=[("Norland", "country"), ("Suria", "country"), ("Karvik", "town")],
                     actors=[("Norland", ["Norland"]), ("Suria", ["Suria"])])
    assert one(report, "CEASEFIRE").place == "Karvik"


def test_a_time_of_announcing_does_not_date_the_start(parse) -> None:
    text = "The truce announced on Thursday was supposed to start on Friday."
    report = reading(parse, text, times=[("Thursday", "2023-01-05", "day"), ("Friday", "2023-01-06", "day")],
                     published="2023-01-05")
    assert one(report, "CEASEFIRE").date == "2023-01-06"


def test_the_place_of_the_verb_that_realises_a_noun_is_the_events(parse) -> None:
    text = "Rebels kept conducting atrocities in Dalsk after the truce was signed in Karvik."
    report = reading(parse, text, places=[("Dalsk", "region"), ("Karvik", "city")])
    assert one(report, "ASSAULT").place == "Dalsk"


def test_a_participle_on_a_noun_takes_neither_its_status_nor_its_date(parse) -> None:
    text = "Norland on Thursday ordered a truce this weekend. The order, quickly dismissed by Suria, followed a plea."
    report = reading(parse, text, published="2023-01-05",
                     times=[("Thursday", "2023-01-05", "day"), ("this weekend", "2023-W01-WE", "week")])
    rejection = one(report, "REJECT")
    assert rejection.status == "occurred"
    assert rejection.date_source != "text"


def test_a_clause_on_the_trigger_itself_places_it(parse) -> None:
    text = "The implementation plan signed in Karvik says foreign forces must leave."
    report = reading(parse, text, places=[("Karvik", "city")])
    assert one(report, "AGREE").place == "Karvik"


def test_a_participle_of_signing_dates_the_truce(parse) -> None:
    text = "Generals met to implement a truce signed in Pretoria earlier this month."
    report = reading(parse, text, times=[("this month", "2022-11", "month")], published="2022-11-15")
    assert any(e.type == "CEASEFIRE" and e.date == "2022-11" for e in report.events)


def test_a_truce_without_a_place_in_its_clause_holds_over_the_region_not_a_village(parse) -> None:
    text = ("Shelling hit Dalsk in Norland on Monday. Shelling hit Dalsk again at night. "
            "Both sides said the truce took effect on Sunday.")
    report = reading(parse, text, places=[("Dalsk", "village"), ("Norland", "country"), ("Dalsk", "village")])
    assert {e.place for e in report.events if e.type == "CEASEFIRE"} == {"Norland"}


def test_a_truce_takes_no_place_from_elsewhere_in_its_sentence(parse) -> None:
    text = ("Shelling went on in Norland. Reporters heard shelling in the town of Dalsk after noon, "
            "when the truce was supposed to have come into effect.")
    report = reading(parse, text, places=[("Norland", "country"), ("Dalsk", "town")])
    assert {e.place for e in report.events if e.type == "CEASEFIRE"} == {"Norland"}


def test_an_agreement_to_cease_fire_is_placed_where_the_truce_holds(parse) -> None:
    text = "Norland and Suria agreed to a ceasefire in Karvik."
    report = reading(parse, text, places=[("Norland", "country"), ("Suria", "country"), ("Karvik", "town")],
                     actors=[("Norland", ["Norland"]), ("Suria", ["Suria"])])
    assert {e.place for e in report.events if e.type in ("AGREE", "CEASEFIRE")} == {"Karvik"}


@pytest.mark.parametrize("text, mode, status", [
    ("Residents gathered to celebrate the start of the ceasefire.", "agreed", "occurred"),
    ("The truce has held since it went into effect on Saturday.", "agreed", "occurred"),
    ("The president ordered his troops to observe a ceasefire from Friday.", "agreed", "planned"),
    ("The truce announced on Thursday was supposed to start on Friday at noon.", "agreed", "planned"),
    ("The ceasefire was announced early on Saturday and took effect at noon.", "agreed", "occurred"),
])
def test_truce_phases_and_orders(parse, text, mode, status) -> None:
    report = reading(parse, text, published="2021-05-05")
    assert any(e.type == "CEASEFIRE" and e.mode == mode and e.status == status for e in report.events)


@pytest.mark.parametrize("text, event_type", [
    ("Ten people were martyred in the raid.", "KILL"),
    ("The militia continues to commit atrocities in the region.", "ASSAULT"),
    ("The town came under rocket attacks early on Sunday.", "ASSAULT"),
    ("The army said the enemy fired at the villages of the region.", "ASSAULT"),
    ("Rebels had launched a new offensive five minutes after the truce took hold.", "ASSAULT"),
    ("The town was calm despite intermittent clashes at night.", "ASSAULT"),
    ("Under this truce, all offensive operations by land, sea and air stop.", "CEASEFIRE"),
    ("The request has met with rejection from the government.", "REJECT"),
    ("The army is bringing in additional troops.", "MOBILIZE"),
    ("The militia continues to commit heinous crimes.", "ASSAULT"),
    ("A truce declared by Moscow but dismissed by Kyiv as an empty gesture was due to start.", "REJECT"),
    ("The implementation plan signed in Nairobi says foreign forces must leave.", "AGREE"),
])
def test_conflict_wording_of_attacks_and_deaths(parse, text, event_type) -> None:
    report = reading(parse, text, published="2021-05-05")
    assert any(e.type == event_type for e in report.events)


def test_a_date_inside_a_relative_clause_is_not_handed_on(parse) -> None:
    text = "Norland reported repeated violations of the truce, which took effect on Monday."
    report = reading(parse, text, times=[("on Monday", "2021-05-03", "day")], published="2021-05-06",
                     actors=[("Norland", ["Norland"])])
    violated = [e for e in report.events if e.type == "CEASEFIRE" and e.mode == "violated"]
    assert violated and all(e.date != "2021-05-03" for e in violated)


def test_the_main_place_is_where_things_are_not_who_speaks(parse) -> None:
    text = ("Norland said Suria had broken its promises. Suria accused Norland of lying. Norland denied it. "
            "Fighting raged in Karvik. Later the two sides agreed to a truce.")
    report = reading(parse, text, places=[("Norland", "country"), ("Suria", "country"), ("Karvik", "town")],
                     actors=[("Norland", ["Norland"]), ("Suria", ["Suria"])])
    truces = [e for e in report.events if e.type == "CEASEFIRE"]
    assert truces and {e.place for e in truces} == {"Karvik"}


def test_a_nouns_since_phrase_does_not_date_the_event(parse) -> None:
    text = "The truce took effect in what would be the first pause since the invasion in March 2019."
    report = reading(parse, text, times=[("March 2019", "2019-03", "month")], published="2021-05-05")
    truce = [e for e in report.events if e.type == "CEASEFIRE"]
    assert truce and all(e.date != "2019-03" for e in truce)


@pytest.mark.parametrize("text, rejected", [
    ("Kyiv dismissed the truce as a trick.", True),
    ("The president dismissed the defence minister on Monday.", False),
])
def test_dismissing_an_offer_is_a_rejection_and_dismissing_a_minister_is_not(parse, text, rejected) -> None:
    report = reading(parse, text, published="2021-05-05")
    assert any(e.type == "REJECT" for e in report.events) is rejected


def test_a_suggested_truce_is_demanded(parse) -> None:
    report = reading(parse, "The patriarch had suggested a truce from noon Friday.", published="2021-05-05")
    assert any(e.type == "CEASEFIRE" and e.status == "demanded" for e in report.events)


def test_a_public_act_the_sentence_takes_as_given_stays_a_fact_in_a_sources_words(parse) -> None:
    text = "The envoy said rebels shelled the town within minutes of the truce taking effect on Sunday."
    content = "rebels shelled the town within minutes of the truce taking effect on Sunday"
    report = reading(parse, text, claims=[("The envoy", "said", content)])
    assert one(report, "CEASEFIRE").status == "occurred"
    assert one(report, "ASSAULT").status == "reported"


def test_talks_after_which_a_deal_was_announced_took_place(parse) -> None:
    text = "The deal was announced on Saturday after ten hours of talks in the capital."
    assert one(reading(parse, text), "CONSULT").status == "occurred"


def test_an_attack_after_which_a_source_says_people_died_stays_the_sources_claim(parse) -> None:
    text = "Officials said four people had been killed after militia fighters shelled the village."
    content = "four people had been killed after militia fighters shelled the village"
    report = reading(parse, text, claims=[("Officials", "said", content)])
    assert {e.status for e in events_of(report, "ASSAULT")} == {"reported"}


def test_a_truce_starting_in_the_simple_present_is_the_deals_timetable(parse) -> None:
    text = '"The extension of the truce comes into effect when the current period expires, today 2 June 2022 at 19:00."'
    report = reading(parse, text, published="2022-06-02", times=[("today 2 June 2022 at 19:00", "2022-06-02T19:00", "minute")],
                     claims=[("the envoy", '"', text.strip('"'))])
    truce = one(report, "CEASEFIRE")
    assert truce.status == "planned"
    assert truce.date.startswith("2022-06-02")


def test_a_planned_event_takes_a_day_of_its_sentence_not_before_publication(parse) -> None:
    text = "Aid convoys are to enter the town under the deal, the envoy said on Friday, 2 June."
    report = reading(parse, text, published="2022-06-01", times=[("Friday, 2 June", "2022-06-02", "day")])
    dated = [e for e in report.events if e.status == "planned"]
    assert dated and all(e.date == "2022-06-02" and e.date_source == "sentence" for e in dated)
    past = reading(parse, text, published="2022-06-05", times=[("Friday, 2 June", "2022-06-02", "day")])
    planned = [e for e in past.events if e.status == "planned"]
    assert planned and all(e.date != "2022-06-02" for e in planned)


def test_a_name_the_tagger_calls_a_person_is_the_place_an_attack_hits(read) -> None:
    text = ("Fighting went on across Azerbaijan on Sunday.\n\n"
            "Officials added that Azerbaijani forces had shelled Stepanakert, the region's capital, during the night.")
    report = read(text, published="2020-10-11")
    shelling = [e for e in report.events if e.type == "ASSAULT" and "Stepanakert" in e.text]
    assert shelling and shelling[0].place == "Khankendi"  # GeoNames' name for the city
    framed = read("Fighting went on across Azerbaijan on Sunday.\n\n"
                  "The enemy fired at the vicinity of the Jabrail city overnight, the ministry said.", published="2020-10-18")
    assert [p.name for p in framed.places if p.text == "Jabrail"] == ["Jabrayil"]


def test_a_national_adjective_on_territory_names_the_place(parse) -> None:
    text = "Enemy forces in Karabakh were shelling Azeri territory."
    report = reading(parse, text, places=[("Karabakh", "region"), ("Azeri", "country")])
    assert one(report, "ASSAULT").place == "Azeri"


def test_a_violation_registered_somewhere_happened_there(parse) -> None:
    text = "The rebels said 119 breaches of the truce were registered in Hudaydah province on Monday."
    report = reading(parse, text, places=[("Hudaydah", "admin1"), ("Yemen", "country")])
    violations = [e for e in report.events if e.type == "CEASEFIRE" and e.mode == "violated"]
    assert violations and violations[0].place == "Hudaydah"


def test_an_undated_mention_of_the_truce_takes_the_day_the_report_gives_its_agreement(parse) -> None:
    text = ("The ceasefire was announced on Saturday and took effect at noon. "
            "The front was calm on Sunday. "
            "The foreign ministers signed the truce in Moscow after long calls.")
    times = [("on Saturday", "2020-10-10", "day"), ("on Sunday", "2020-10-11", "day")]
    report = reading(parse, text, published="2020-10-11", times=times)
    signed = next(e for e in report.events if "signed" in e.text)
    assert (signed.date, signed.date_source) == ("2020-10-10", "report")


def test_a_truce_and_its_renewal_leave_an_undated_mention_undated(parse) -> None:
    text = ("The truce was agreed on 2 April. A new truce was agreed on 2 June. "
            "The parties signed the truce in Amman.")
    times = [("on 2 April", "2022-04-02", "day"), ("on 2 June", "2022-06-02", "day")]
    report = reading(parse, text, published="2022-06-03", times=times)
    signed = next(e for e in report.events if "signed" in e.text)
    assert signed.date_source != "report"


def test_a_request_met_with_rejection_is_a_rejection_not_a_meeting(parse) -> None:
    report = reading(parse, "Moscow's request has met with rejection from Kyiv.", actors=[("Ukraine", ["Kyiv"])])
    assert not events_of(report, "CONSULT")
    assert [a.name for a in one(report, "REJECT").actors] == ["Ukraine"]


def test_the_doer_of_a_passive_is_found_where_the_parser_hung_it(parse) -> None:
    text = "Putin ordered a truce, a move that was rejected as a trick by Ukraine and its allies."
    report = reading(parse, text, actors=[("Ukraine", ["Ukraine"])])
    assert [a.name for a in one(report, "REJECT").actors] == ["Ukraine"]


@pytest.mark.parametrize(("text", "aid"), [
    ("Fuel ships arrived in the port on Monday.", True),
    ("A convoy of trucks carrying medicine arrived in the regional capital on Tuesday.", True),
    ("A military convoy arrived in the town on Tuesday.", False),
])
def test_aid_arriving_is_aid_and_a_military_convoy_is_not(parse, text, aid) -> None:
    assert bool(events_of(reading(parse, text), "AID")) is aid


def test_a_siege_not_lifted_goes_on(parse) -> None:
    report = reading(parse, "The siege around the city by the rebels had not been lifted so far.")
    assert one(report, "BESIEGE").status == "ongoing"


def test_a_deal_named_with_its_day_was_made(parse) -> None:
    text = "The prime minister hailed Wednesday's breakthrough deal."
    report = reading(parse, text, published="2022-11-03", times=[("Wednesday", "2022-11-02", "day")])
    deals = [e for e in report.events if e.type in {"AGREE", "CEASEFIRE"}]
    assert deals and deals[0].date == "2022-11-02"


def test_talks_in_the_russian_capital_were_held_in_moscow(read) -> None:
    report = read("The ceasefire was announced on Saturday after ten hours of talks in the Russian capital.",
                  published="2020-10-10")
    assert one(report, "CONSULT").place == "Moscow"
    assert any(p.text == "Russian capital" and p.name == "Moscow" for p in report.places)


def test_a_deal_of_a_past_year_named_in_passing_is_background(parse) -> None:
    text = "Under a 2018 deal with Russia, Turkish troops were in the province."
    report = reading(parse, text, published="2020-03-11", times=[("2018", "2018", "year")])
    assert not [e for e in report.events if e.type in {"AGREE", "CEASEFIRE"}]


def test_the_date_of_an_earlier_event_named_in_a_despite_phrase_is_its_own(parse) -> None:
    text = "The government says militias continue to commit crimes despite the signing of a peace deal on 2 November."
    report = reading(parse, text, published="2022-11-19", times=[("2 November", "2022-11-02", "day")])
    crimes = one(report, "ASSAULT")
    assert crimes.date != "2022-11-02" and crimes.date_low != "2022-11-02"


def test_within_minutes_of_a_truce_the_attack_shares_its_day(parse) -> None:
    text = "Rebels shelled the town within minutes of the truce taking effect on Sunday."
    report = reading(parse, text, published="2020-10-12", times=[("Sunday", "2020-10-11", "day")])
    assert one(report, "ASSAULT").date == "2020-10-11"


@pytest.mark.parametrize(("text", "mode"), [
    ("Israeli tanks struck six areas near the border.", "heavy-weapons"),
    ("Warplanes hit the market at dawn.", "aerial"),
    ("Gunmen attacked the checkpoint.", "firearms"),
    ("Militants attacked the checkpoint.", None),
])
def test_the_weapon_that_is_an_attacks_subject_gives_its_mode(parse, text, mode) -> None:
    assert one(reading(parse, text), "ASSAULT").mode == mode


def test_people_killed_in_a_strike_make_the_strike_an_attack(parse) -> None:
    report = reading(parse, "At least one person was killed in the Russian strike on the city.")
    assert events_of(report, "ASSAULT") and events_of(report, "KILL")
    assert not events_of(reading(parse, "Dock workers went on strike in the city."), "ASSAULT")


def test_a_noun_compound_the_parser_reads_as_a_trailing_modifier_is_still_an_event(parse) -> None:
    # The parse the small model gives "Artillery shelling and mortar fire continued" in one real
    # report, built by hand: "shelling" a modifier after "Artillery", the subject.
    from spacy.tokens import Doc

    from fogwatch.stages.events.triggers import _find

    vocab = parse("x").doc.vocab
    words = ["Artillery", "shelling", "and", "mortar", "fire", "continued", "."]
    doc = Doc(vocab, words=words, heads=[5, 0, 1, 4, 1, 5, 5],
              deps=["nsubj", "amod", "cc", "compound", "conj", "ROOT", "punct"],
              pos=["PROPN", "VERB", "CCONJ", "NOUN", "NOUN", "VERB", "PUNCT"],
              tags=["NNP", "VBG", "CC", "NN", "NN", "VBD", "."],
              lemmas=["Artillery", "shell", "and", "mortar", "fire", "continue", "."], sent_starts=[True] + [False] * 6)
    found = _find(doc[:], (0, 0), set())
    assert [(f.type, f.anchor.text) for f in found] == [("ASSAULT", "continued")]


def test_a_truce_holds_over_the_land_the_conflict_is_about(parse) -> None:
    text = ("Armenia and Azerbaijan agreed to a humanitarian truce from midnight, Azerbaijan's ministry said. "
            "Azerbaijan's army and Azerbaijan's president welcomed it. "
            "Nagorno-Karabakh, a breakaway region of Azerbaijan, has been under separatist control since 1994.")
    report = reading(parse, text, places=[("Armenia", "country"), ("Azerbaijan", "country"),
                                          ("Nagorno-Karabakh", "region")])
    truce = next(e for e in report.events if e.type == "CEASEFIRE")
    assert truce.place == "Nagorno-Karabakh"


def test_the_period_of_a_truce_asked_for_is_the_truces_even_on_the_asking_verb(parse) -> None:
    text = "The patriarch suggested a truce from noon Friday through midnight Saturday."
    times = [("noon Friday", "2023-01-06T12:00", "time"), ("midnight Saturday", "2023-01-07T24:00", "time")]
    report = reading(parse, text, published="2023-01-05", times=times)
    truce = one(report, "CEASEFIRE")
    assert truce.status == "demanded" and truce.date == "2023-01-06T12:00"
    asked_on = reading(parse, "The patriarch suggested a truce on Thursday.", published="2023-01-05",
                       times=[("Thursday", "2023-01-05", "day")])
    assert one(asked_on, "CEASEFIRE").date_source != "text"  # the day of the asking is not the truce's


def test_damage_caused_by_rockets_is_an_attack(parse) -> None:
    report = reading(parse, "He posted pictures of the damage caused by Russian rockets in residential areas.")
    assert events_of(report, "ASSAULT")
    assert not events_of(reading(parse, "He posted pictures of the damage caused by the floods."), "ASSAULT")


def test_according_to_a_side_is_that_sides_claim_according_to_residents_is_sourcing(parse) -> None:
    text = "The town came under missile attacks on Sunday, according to Azerbaijan's Prosecutor General's office."
    source = "Azerbaijan's Prosecutor General's office"
    side = reading(parse, text, claims=[(source, "according to", "The town came under missile attacks on Sunday")])
    assert one(side, "ASSAULT").status == "reported"
    text = "Heavy shelling hit the district on Sunday, according to residents."
    residents = reading(parse, text, claims=[("residents", "according to", "Heavy shelling hit the district on Sunday")])
    assert one(residents, "ASSAULT").status == "occurred"


def test_officials_of_two_states_make_both_states_the_parties(read) -> None:
    report = read("The foreign ministers of Armenia and Azerbaijan signed a truce in Moscow on Saturday.",
                  published="2020-10-11")
    truce = next(e for e in report.events if e.type == "CEASEFIRE")
    assert [side_key(a.name) for a in truce.actors] == ["ARM", "AZE"]  # each state, or its government


@pytest.mark.parametrize(("text", "doer"), [
    ("On Friday morning, Russian shells hit Kramatorsk, a city near the frontline.", "Russia"),
    ("In the town, four people were killed in an Israeli strike.", "Israel"),
])
def test_a_national_adjective_on_the_weapon_names_the_attacker(read, text, doer) -> None:
    report = read(text, published="2023-01-06")
    assert any(doer in [a.name for a in e.actors] for e in report.events if e.type in {"ASSAULT", "KILL"})


def test_between_names_both_parties_of_a_truce_or_talks(read) -> None:
    report = read("Talks between Russia and Turkey were held in Moscow on Thursday.", published="2020-03-06")
    assert [a.name for a in one(report, "CONSULT").actors] == ["Russia", "Turkey"]


def test_a_countrys_warring_parties_are_not_the_country(read) -> None:
    report = read("Yemen's warring parties agreed to a two-month truce on Friday.", published="2022-04-02")
    truce = next(e for e in report.events if e.type == "CEASEFIRE")
    assert "Yemen" not in [a.name for a in truce.actors]


def test_the_enemy_in_a_sides_words_is_the_other_side(read) -> None:
    text = ("Armenia and Azerbaijan accused each other of breaking the truce. Armenia said Azerbaijan shelled "
            "Stepanakert. Azerbaijan said enemy forces were shelling Azeri territory.")
    report = read(text, published="2020-10-10")
    shelling = next(e for e in report.events if e.type == "ASSAULT" and "enemy" in e.text)
    assert [a.name for a in shelling.actors] == ["Armenia"]


def test_committing_to_a_truce_is_agreeing_to_it_by_both_parties(read) -> None:
    text = "The Sudanese army and the Rapid Support Forces have committed to a three-day cessation of hostilities."
    truce = next(e for e in read(text, published="2025-05-13").events if e.type == "CEASEFIRE")
    assert truce.mode == "agreed" and {"Rapid Support Forces"} <= {a.name for a in truce.actors}


def test_a_statement_released_is_no_release_of_captives(parse) -> None:
    assert not events_of(reading(parse, "The mediators said in a statement released on Sunday that talks went well."),
                         "RETREAT")
    assert events_of(reading(parse, "The militia released twelve prisoners on Sunday."), "RETREAT")


def test_a_warning_about_what_happened_reports_it(parse) -> None:
    report = reading(parse, "Aid agencies warned that fighting continued on Monday in the southern districts.")
    assert one(report, "ASSAULT").status == "reported"
    ahead = reading(parse, "Aid agencies warned that fighting could resume in the southern districts.")
    assert one(ahead, "ASSAULT").status == "predicted"


def test_a_truce_dismissed_by_the_other_side_was_still_declared(parse) -> None:
    report = reading(parse, "The government on Tuesday dismissed a ceasefire declared by the rebels a day earlier.")
    assert one(report, "CEASEFIRE").status != "denied"
    assert events_of(report, "REJECT")


def test_a_dateline_is_no_doer_and_an_unknown_place_that_is_an_actor_is_no_scene(read) -> None:
    text = ("GOMA, Feb 10 (Wire One) - The M23 rebel group, which seized Goma late last month, "
            "declared a unilateral ceasefire on Monday.")
    report = read(text, published="2025-02-10")
    truce = one(report, "CEASEFIRE")
    assert [a.name for a in truce.actors] == ["M23"] and truce.place != "M23"
    assert any(e.type == "ASSAULT" and e.place == "Goma" for e in report.events)  # seizing a city, not a person


def test_who_dismisses_a_truce_is_not_its_party(read) -> None:
    report = read("The government on Tuesday dismissed a ceasefire declared by M23 rebels a day earlier.",
                  published="2025-02-11")
    truce = one(report, "CEASEFIRE")
    assert [a.name for a in truce.actors] == ["M23"]


def test_every_mention_of_the_truce_s_making_names_its_parties(parse) -> None:
    """A report's truce binds the same sides throughout: 'the truce took effect' names them too;
    a violation stays one side's act and a truce someone demands stays the asker's."""
    text = ("The truce took effect at midnight. Karvia said Surian troops violated the ceasefire on Tuesday. "
            "Suria and Karvia had agreed to the truce on Sunday. Norland demanded a new truce.")
    names = [("Suria", ["Suria", "Surian troops"]), ("Karvia", ["Karvia"]), ("Norland", ["Norland"])]
    report = reading(parse, text, actors=names)
    took_effect = next(e for e in report.events if e.type == "CEASEFIRE" and e.start == text.index("The truce"))
    assert {a.name for a in took_effect.actors} == {"Suria", "Karvia"}
    violations = [e for e in report.events if e.type == "CEASEFIRE" and e.mode == "violated"]
    assert violations and all("Karvia" not in {a.name for a in e.actors} for e in violations)
    demanded = [e for e in report.events if e.type == "CEASEFIRE" and e.status == "demanded"]
    assert demanded and all({a.name for a in e.actors} <= {"Norland"} for e in demanded)


@pytest.mark.parametrize("text", [
    "Three people were killed in the village and two were injured as a result of a Turkish strike.",
    "In the village, three people were killed and two were injured, in a Turkish strike.",
])
def test_a_toll_takes_the_nation_of_the_strike_its_clause_pair_names(parse, text) -> None:
    report = reading(parse, text)
    assert [a.name for a in one(report, "KILL").actors] == ["Turkey"]


def test_coordinated_verbs_share_their_subject(parse) -> None:
    text = "The navy seized the port on Monday and later imposed a curfew on the town."
    report = reading(parse, text, actors=[("navy", ["navy"])])
    assert [a.name for a in one(report, "COERCE").actors] == ["navy"]


@pytest.mark.parametrize(("text", "found"), [
    ("The agency reported strikes on the heights near the village.", True),
    ("Warplanes kept up their strikes on Karvik overnight.", True),
    ("Dock workers began a strike on Monday over pay.", False),
    ("The union called a strike against the new contract.", False),
])
def test_a_strike_aimed_at_a_place_is_an_attack(parse, text, found) -> None:
    report = reading(parse, text, places=[("Karvik", "city")])
    assert bool(events_of(report, "ASSAULT")) is found


def test_who_reports_a_strike_is_not_its_doer(parse) -> None:
    text = "The Norland news agency reported strikes on the heights near the village."
    report = reading(parse, text, actors=[("Norland news agency", ["Norland news agency"])])
    assert one(report, "ASSAULT").actors == []


def test_a_count_of_dead_carried_by_a_wounding_is_still_a_killing(parse) -> None:
    text = "The shelling of the town left several people dead or wounded."
    report = reading(parse, text)
    assert events_of(report, "KILL")


def test_a_place_in_a_whose_clause_hung_on_the_verb_describes_a_noun(parse) -> None:
    """The parser hangs 'whose members belong ... in Norland' on 'killed': the clause still
    describes the fighters, so Norland is not where they were killed."""
    text = ("Clashes broke out in Karvik on Friday. These clashes killed six soldiers and at least nine among "
            "the fighters of the Front of the East (FE), whose members belong mainly to the minority in Norland.")
    report = reading(parse, text, places=[("Karvik", "city"), ("Norland", "country")])
    assert [e.place for e in events_of(report, "KILL")] == ["Karvik"]


@pytest.mark.parametrize(("text", "day"), [
    ("Clashes broke out near Karvik on Wednesday, a day after a ceasefire took effect.", "2024-03-19"),
    ("Shelling resumed on Friday, two days after the truce took effect.", "2024-03-20"),
    ("Shelling resumed on Friday, after the truce took effect on Tuesday.", "2024-03-19"),
])
def test_a_measured_after_moves_the_day_back(parse, text: str, day: str) -> None:
    """'A day after X' puts X a day before the day the sentence gives; a day inside the phrase is X's own."""
    times = [("Wednesday", "2024-03-20", "day"), ("Friday", "2024-03-22", "day"), ("Tuesday", "2024-03-19", "day"),
             ("a day", "P1D", "duration"), ("two days", "P2D", "duration")]
    report = reading(parse, text, published="2024-03-22", times=[t for t in times if t[0] in text])
    truce = [e for e in report.events if e.type == "CEASEFIRE"]
    assert [e.date for e in truce] == [day]
