"""Quantities: bounds of exact and vague counts, what is counted, and its fate (sentences written for these tests)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fogwatch.extract import default_pipeline
from fogwatch.report import Quantity, Report
from fogwatch.stages.quantities import find_quantities


@pytest.fixture(scope="module")
def parse():
    pipeline = default_pipeline(("chrome", "parse"))

    def run(text: str) -> Report:
        return pipeline(Report(text=text))

    return run


def figures(parse, text: str) -> list[Quantity]:
    return find_quantities(parse(text).doc)


def only(parse, text: str) -> Quantity:
    found = figures(parse, text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("Officials counted 57 refugees at the gate.", 57, 57),
        ("At least 6 soldiers were hurt.", 6, None),
        ("More than 300,000 people live there.", 300_001, None),
        ("Up to 50,000 families could be affected.", None, 50_000),
        ("Between 15,000 and 40,000 fighters joined.", 15_000, 40_000),
        ("They said 15,000 to 40,000 fighters joined.", 15_000, 40_000),
        ("Dozens of villagers gathered.", 24, 99),
        ("Scores of students marched.", 40, 99),
        ("Hundreds of prisoners were moved.", 100, 999),
        ("Thousands of families sheltered in tents.", 1_000, 9_999),
        ("Tens of thousands of workers went on strike.", 10_000, 99_999),
        ("Hundreds of thousands of voters stayed home.", 100_000, 999_999),
        ("A handful of guards stayed behind.", 3, 6),
        ("Nearly 100 trucks waited.", 90, 100),
        ("About 40 doctors volunteered.", 36, 44),
        ("Fewer than 20 shops opened.", None, 19),
        ("Two medics arrived.", 2, 2),
        ("Twelve lorries crossed.", 12, 12),
        ("Twenty-five nurses quit.", 25, 25),
        ("Two hundred and fifty pilgrims prayed.", 250, 250),
        ("Some 1.5 million people voted.", 1_350_000, 1_650_000),
        ("Two dozen cars burned.", 24, 24),
    ],
)
def test_bounds(parse, text: str, low, high) -> None:
    q = only(parse, text)
    assert (q.low, q.high) == (low, high)


@pytest.mark.parametrize("text", ["Dozens of villagers gathered.", "About 40 doctors volunteered.", "A handful of guards stayed behind."])
def test_vague_flag(parse, text: str) -> None:
    assert only(parse, text).vague


@pytest.mark.parametrize(
    "text",
    [
        "The war began in 2011.",
        "A 12-year-old boy was found.",
        "The talks lasted 24 hours.",
        "The fund raised $5 million.",
        "He came first in the race.",
        "The council passed Resolution 2254.",
        "The meeting starts on 3 March at 10:30.",
        "The convoy stopped a few feet from the gate.",
        "Ships unloaded 500 tonnes of wheat.",
    ],
)
def test_non_counts_are_left_out(parse, text: str) -> None:
    assert figures(parse, text) == []


def test_percent_is_kept_with_its_unit(parse) -> None:
    q = only(parse, "Turnout reached 40% in the north.")
    assert (q.low, q.high, q.unit) == (40, 40, "percent")


@pytest.mark.parametrize(
    ("text", "unit", "status"),
    [
        ("The ministry said 31 villagers had been killed.", "villagers", "killed"),
        ("Police said 9 protesters were wounded.", "protesters", "wounded"),
        ("Hundreds of migrants were being held at the border post.", "migrants", "held"),
        ("Thousands of farmers have fled the valley.", "farmers", "fled"),
        ("Dozens of dead cattle lay in the field.", "cattle", "dead"),
        ("The army evacuated 70 patients.", "patients", "evacuated"),
        ("A dozen children went missing.", "children", "missing"),
        ("Some 300 families were displaced by the floods.", "families", "displaced"),
        ("Militants abducted four engineers.", "engineers", "abducted"),
        ("Guards arrested two dozen students.", "students", "arrested"),
        ("About 500 residents remained trapped.", "residents", "trapped"),
        ("Eleven buses stood empty.", "buses", None),
        ("Several rallies were held in the north.", "rallies", None),
    ],
)
def test_unit_and_status(parse, text: str, unit: str, status: str | None) -> None:
    q = only(parse, text)
    assert (q.unit, q.status) == (unit, status)


@pytest.mark.parametrize(
    ("text", "low", "unit", "status"),
    [
        ("The death toll rose to 45 on Friday.", 45, "people", "killed"),
        ("At least 30 were killed.", 30, "people", "killed"),
        ("Nine of the dead were farmers.", 9, "people", "dead"),
        ("Between 10 and 15 people were hurt.", 10, "people", "injured"),
        ("Between 10-15 people were hurt.", 10, "people", "injured"),
        ("The strike killed between 10-15 people.", 10, "people", "killed"),
    ],
)
def test_bare_figures_and_tolls(parse, text: str, low: int, unit: str, status: str) -> None:
    q = figures(parse, text)[0]
    assert (q.low, q.unit, q.status) == (low, unit, status)


def test_the_agent_count_has_no_fate(parse) -> None:
    q = figures(parse, "Five gunmen killed a guard.")[0]
    assert q.unit == "gunmen" and q.status is None


def test_span_covers_the_counted_noun(parse) -> None:
    text = "Officials said hundreds of northern farm workers were detained."
    q = only(parse, text)
    assert q.text == "hundreds of northern farm workers" == text[q.start : q.end]


@pytest.mark.parametrize("text", ["", " ", "\u200b\u202e", "(((((" * 500, "one " * 4000, "1,000,000,000,000,000,000,000 ants", "\u00a0\u00a01\u00a0\u00a0"])
def test_odd_input_never_crashes(parse, text: str) -> None:
    figures(parse, text)


NUMBERISH = ["at least", "more than", "up to", "about", "nearly", "dozens of", "hundreds of", "tens of thousands of",
             "a handful of", "12", "1,500", "twenty-one", "between 5 and 9", "3.5 million", "-", "%", "to", "of", "the"]
WORDS = ["people", "were", "killed", "fled", "in", "2014", "on", "May", "residents", "said", ",", ".", "$", "year-old"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(NUMBERISH + WORDS), max_size=25))
def test_bounds_are_ordered_and_spans_exact(parse, words: list[str]) -> None:
    text = " ".join(words)
    for q in figures(parse, text):
        assert text[q.start : q.end] == q.text
        assert q.low is None or q.high is None or q.low <= q.high


@pytest.mark.parametrize(("text", "status"), [
    ("The blast left 12 people dead.", "dead"),
    ("The shelling left three civilians dead and ten wounded.", "dead"),
    ("The strike left at least 20 people injured.", "injured"),
])
def test_what_an_attack_left_people_is_their_fate(parse, text: str, status: str) -> None:
    quantities = find_quantities(parse(text).doc)
    assert quantities[0].status == status
