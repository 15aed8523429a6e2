"""The times layer: the grammar and resolvers without a model, then the stage in the pipeline."""

from __future__ import annotations

import importlib.util
import json
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fogwatch import timex
from fogwatch.timex import Context, parse_published, tag, weekday_date

WEEK = [date(2016, 12, 12) + timedelta(days=i) for i in range(7)]  # Monday .. Sunday


def values(text: str, published: str | None = "2016-12-14", tenses=None) -> list[tuple[str, str | None]]:
    return [(t.text, t.resolved.value) for t in tag(text, published, tenses)]


def one(text: str, published: str | None = "2016-12-14", tense: str | None = None) -> timex.Tagged:
    found = tag(text, published, (lambda s, e: tense) if tense else None)
    assert len(found) == 1, found
    return found[0]


# ------------------------------------------------------------ weekdays


@pytest.mark.parametrize("anchor", WEEK)
@pytest.mark.parametrize("weekday", range(7))
def test_bare_weekday_is_this_day_or_earlier_in_the_week(anchor: date, weekday: int) -> None:
    day = weekday_date(anchor, weekday, None)
    assert day.weekday() == weekday
    assert anchor - timedelta(days=6) <= day <= anchor


@pytest.mark.parametrize("anchor", WEEK)
@pytest.mark.parametrize("weekday", range(7))
def test_future_weekday_is_this_day_or_later(anchor: date, weekday: int) -> None:
    day = weekday_date(anchor, weekday, "future")
    assert day.weekday() == weekday
    assert anchor <= day <= anchor + timedelta(days=6)


@pytest.mark.parametrize("anchor", WEEK)
def test_last_and_next_weekday_skip_the_anchor_day(anchor: date) -> None:
    name = timex.WEEKDAYS[anchor.weekday()].capitalize()
    assert (
        one(f"We met last {name}.", anchor.isoformat()).resolved.value
        == (anchor - timedelta(days=7)).isoformat()
    )
    assert (
        one(f"We meet next {name}.", anchor.isoformat()).resolved.value
        == (anchor + timedelta(days=7)).isoformat()
    )


def test_weekday_parts_of_day_in_a_wednesday_report() -> None:
    assert one("Shelling resumed Wednesday morning.").resolved.value == "2016-12-14TMO"
    assert one("The envoy spoke Tuesday night.").resolved.value == "2016-12-13TNI"
    evening = one("The leaders will speak Wednesday evening.", tense="future")
    assert (evening.resolved.value, evening.resolved.granularity) == ("2016-12-14TEV", "part_of_day")
    assert one("They talk Friday.", tense="future").resolved.value == "2016-12-16"
    assert one("They talked Friday.", tense="past").resolved.value == "2016-12-09"


def test_early_hours_and_early_weekday_mark_the_start() -> None:
    early = one("The convoy left early Wednesday.")
    assert (early.text, early.resolved.value, early.resolved.mod) == (
        "early Wednesday",
        "2016-12-14",
        "START",
    )
    hours = one("He filmed it in the early hours of Wednesday as troops advanced.")
    assert (hours.text, hours.resolved.value, hours.resolved.mod) == (
        "the early hours of Wednesday",
        "2016-12-14",
        "START",
    )


def test_weekday_with_written_date_trusts_the_date() -> None:
    assert one("It happened on Monday, Oct. 26, 1998.").resolved.value == "1998-10-26"


# ------------------------------------------------------------ days, months, years across boundaries


@pytest.mark.parametrize(
    ("published", "text", "expected"),
    [
        ("2017-01-01", "It rained yesterday.", "2016-12-31"),
        ("2016-12-31", "It will rain tomorrow.", "2017-01-01"),
        ("2016-02-28", "It will rain tomorrow.", "2016-02-29"),
        ("2015-02-28", "It will rain tomorrow.", "2015-03-01"),
        ("2016-03-01", "It rained yesterday.", "2016-02-29"),
        ("2016-01-15", "Prices rose last month.", "2015-12"),
        ("2016-12-15", "Prices will rise next month.", "2017-01"),
        ("2016-01-03", "Talks stalled last week.", "2015-W52"),
        ("2016-01-03", "Talks stalled this week.", "2015-W53"),
        ("2016-12-14", "Fighting resumed earlier this month.", "2016-12"),
        ("2016-12-14", "The group was founded last year.", "2015"),
        ("2016-12-14", "Elections are due next year.", "2017"),
        ("2016-12-14", "The truce began three days ago.", "2016-12-11"),
        ("2016-12-14", "The siege began six weeks ago.", "2016-W44"),
        ("2016-12-14", "The siege began two months ago.", "2016-10"),
        ("2016-12-14", "He returned last night.", "2016-12-13TNI"),
        ("2016-12-14", "Talks ended this morning.", "2016-12-14TMO"),
        ("2016-12-14", "Aid arrived on Christmas Day 2015.", "2015-12-25"),
    ],
)
def test_relative_expressions_resolve_against_the_publication_date(
    published: str, text: str, expected: str
) -> None:
    assert one(text, published).resolved.value == expected


def test_month_names_take_the_nearest_year_without_a_tense() -> None:
    assert one("The vote is in January.", "2016-11-20").resolved.value == "2017-01"
    assert one("The vote was held in December.", "2017-01-20", tense="past").resolved.value == "2016-12"
    assert one("Talks resume in March.", "2016-12-14", tense="future").resolved.value == "2017-03"


def test_may_and_march_as_words_are_not_months() -> None:
    assert values("They May leave. Troops March on.") == []
    assert values("The offensive began in May.", tenses=lambda s, e: "past") == [("May", "2016-05")]


def test_absolute_dates_and_years() -> None:
    assert values("On December 13, 2016 and 13 December 2016 it rained.") == [
        ("December 13, 2016", "2016-12-13"),
        ("13 December 2016", "2016-12-13"),
    ]
    assert values("The war began in 2012.") == [("2012", "2012")]
    assert values("Talks collapsed in July 2015.") == [("July 2015", "2015-07")]
    assert values("In the 1990s the town grew.") == [("the 1990s", "199")]
    assert values("Prices fell 10% in the third quarter.") == [("the third quarter", "2016-Q3")]


def test_since_last_year_keeps_the_since() -> None:
    found = one("The villages have been besieged since last year.")
    assert (found.text, found.resolved.value, found.resolved.mod) == ("last year", "2015", "SINCE")


def test_a_year_ago_after_a_quarter_is_that_quarter_a_year_back() -> None:
    assert values("Profit rose in the third quarter from a year ago.") == [
        ("the third quarter", "2016-Q3"),
        ("a year ago", "2015-Q3"),
    ]


def test_a_year_earlier_from_a_leap_day() -> None:
    assert values("Strikes hit on February 29, 2016. A year earlier the town was calm.")[1] == (
        "A year earlier",
        "2015-02-28",
    )


@pytest.mark.parametrize(
    ("text", "span", "value", "mod"),
    [
        ("Shelling began on the night of Dec. 13.", "the night of Dec. 13", "2016-12-13TNI", None),
        ("Jets struck at dawn on Monday.", "dawn on Monday", "2016-12-12TMO", None),
        ("The deal was signed late on Tuesday.", "late on Tuesday", "2016-12-13", "END"),
        ("Aid ran out in July last year.", "July last year", "2015-07", None),
        ("The curfew ends at year-end.", "year-end", "2016", "END"),
        ("Talks resume at the end of the month.", "the end of the month", "2016-12", "END"),
        ("It was signed on 14/11/2016.", "14/11/2016", "2016-11-14", None),
        ("It was signed on 11/14/2016.", "11/14/2016", "2016-11-14", None),
        ("Fighting raged in mid-November.", "mid-November", "2016-11", "MID"),
    ],
)
def test_edges_and_parts_of_named_days(text: str, span: str, value: str, mod: str | None) -> None:
    found = one(text, tense="past")
    assert (found.text, found.resolved.value, found.resolved.mod) == (span, value, mod)


def test_later_and_earlier_lean_on_the_last_day_named() -> None:
    assert values("The siege began on Oct. 3, 2016. Three days later the town fell.") == [
        ("Oct. 3, 2016", "2016-10-03"),
        ("Three days later", "2016-10-06"),
    ]
    assert values("Talks opened on Nov. 2, 2016. That day, shelling stopped.")[1] == (
        "That day",
        "2016-11-02",
    )


# ------------------------------------------------------------ durations, ranges, clock times


@pytest.mark.parametrize(
    ("text", "span", "value", "mod"),
    [
        ("The five-year civil war goes on.", "five-year", "P5Y", None),
        ("It lasted less than 24 hours.", "less than 24 hours", "PT24H", "LESS_THAN"),
        ("The talks took 5 1/2 hours.", "5 1/2 hours", "PT5H30M", None),
        ("The siege lasted the past four months.", "the past four months", "P4M", None),
        ("It took about a decade.", "about a decade", "P10Y", "APPROX"),
        ("They have waited for years.", "years", "PXY", None),
        ("Convoys leave daily.", "daily", "P1D", None),
    ],
)
def test_durations(text: str, span: str, value: str, mod: str | None) -> None:
    found = one(text)
    assert (found.text, found.resolved.value, found.resolved.mod, found.resolved.granularity) == (
        span, value, mod, "duration"
    )  # fmt: skip


def test_ages_are_not_times() -> None:
    assert values("A 6-year-old boy and a man over 5 years old were hurt.") == []


def test_in_two_to_three_days_is_a_range() -> None:
    found = one("Resistance will end in two to three days, he said.", tense="future")
    assert (found.text, found.resolved.value, found.resolved.value_to, found.resolved.granularity) == (
        "in two to three days", "2016-12-16", "2016-12-17", "range"
    )  # fmt: skip


def test_clock_time_joins_its_day() -> None:
    assert values("The strike hit at 10:35 a.m. Tuesday.") == [("10:35 a.m. Tuesday", "2016-12-13T10:35")]
    assert values("Curfew starts at 6 p.m.") == [("6 p.m.", "2016-12-14T18:00")]


def test_present_and_past_references() -> None:
    assert values("The town is now empty; it was recently shelled.") == [
        ("now", "PRESENT_REF"),
        ("recently", "PAST_REF"),
    ]


# ------------------------------------------------------------ no or broken publication date


def test_without_publication_date_relative_times_stay_unanchored() -> None:
    found = tag("Shelling resumed Wednesday morning, as in 2012 and on December 13, 2016.", None)
    assert [(t.text, t.resolved.value, t.resolved.anchored) for t in found] == [
        ("Wednesday morning", None, False),
        ("2012", "2012", True),
        ("December 13, 2016", "2016-12-13", True),
    ]


@pytest.mark.parametrize("bad", ["", "yesterday", "2016-13-45", "0000-01-01", "9999-12-31", "16/12/14", "  "])
def test_malformed_publication_dates_are_unknown(bad: str) -> None:
    anchor, _ = parse_published(bad)
    assert anchor is None
    assert [t.resolved.value for t in tag("It rained on Tuesday in 2012.", bad)] == [None, "2012"]


def test_publication_datetime_is_accepted() -> None:
    assert parse_published("2016-12-14T09:30:00Z")[0] == date(2016, 12, 14)
    assert parse_published("2016-12-14T09:30:00+03:00")[0] == date(2016, 12, 14)


# ------------------------------------------------------------ absurd dates and hostile input


@pytest.mark.parametrize(
    "text",
    [
        "On February 30, 2016 nothing happened.",
        "It was 10000 years ago, or 9999 years ago.",
        "In the 99th century and on 31/31/9999.",
        "At 25:99 p.m. on Feb. 31.",
    ],
)
def test_absurd_dates_do_not_crash(text: str) -> None:
    for found in tag(text, "2016-12-14"):
        assert found.resolved.value is None or found.resolved.value[:1] in "P0123456789"


def test_extreme_anchor_years_do_not_overflow() -> None:
    ctx = Context(date(1, 1, 1))
    assert timex._offset(ctx.anchor, "year", -5, None) is None
    assert timex.shift_value("9999-12", 1) is None
    assert timex.add_days(date(9999, 12, 31), 1) is None


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\u200b\u202e\ufeff‘’“ “unbalanced «quotes",
        "1 " * 20_000,
        "the the the past past past " * 2_000,
        "in " * 5_000 + "days",
        "Monday " * 5_000,
        "a-" * 10_000 + "year",
        ("January 1, 2016 " * 3_000),
        " " * 500_000,
        "'’-" * 100_000,
    ],
)
def test_hostile_input_is_fast_and_safe(text: str) -> None:
    started = time.perf_counter()
    found = tag(text, "2016-12-14")
    assert time.perf_counter() - started < 5.0
    for t in found:
        assert text[t.start : t.end] == t.text


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300), st.one_of(st.none(), st.text(max_size=30), st.dates().map(str)))
def test_any_text_and_any_published_never_crash(text: str, published: str | None) -> None:
    for t in tag(text, published):
        assert 0 <= t.start < t.end <= len(text)


# ------------------------------------------------------------ the stage, with the model


def test_stage_fills_times_with_offsets_into_the_text(read) -> None:
    text = "The envoy said Tuesday night that the truce, agreed three days ago, would hold until next week."
    report = read(text, published="2016-12-14")
    got = [(t.text, t.value) for t in report.times]
    assert ("Tuesday night", "2016-12-13TNI") in got
    assert ("three days ago", "2016-12-11") in got
    assert ("next week", "2016-W51") in got
    for t in report.times:
        assert text[t.start : t.end] == t.text


def test_stage_reads_tense_for_weekdays(read) -> None:
    report = read("The ministers will meet on Friday. The rebels attacked on Friday.", published="2016-12-14")
    assert [t.value for t in report.times] == ["2016-12-16", "2016-12-09"]


def test_stage_notes_a_missing_or_broken_publication_date(read) -> None:
    report = read("Shelling resumed Wednesday morning after the 2012 accord.")
    assert [(t.value, t.anchored) for t in report.times] == [(None, False), ("2012", True)]
    assert sum("no publication date" in n for n in report.notes) == 1
    broken = read("Shelling resumed Wednesday morning.", published="not a date")
    assert broken.times[0].value is None
    assert any("not a date fogwatch can use" in n for n in broken.notes)


def test_stage_does_not_read_counts_as_years(read) -> None:
    report = read("The army sent 2000 troops and $1990 in aid in 2015.", published="2016-12-14")
    assert [t.text for t in report.times] == ["2015"]


def test_seed_report_gold_times(read, shared) -> None:
    """Every required time in the analyst's reading of the seed report comes out with its value."""
    gold = json.loads((shared / "gold" / "aleppo-ceasefire-2016-12-14.gold.json").read_text(encoding="utf-8"))
    text = (shared / gold["report"]["file"]).read_text(encoding="utf-8")
    report = read(text, published=gold["report"]["published"])
    for item in gold["times"]:
        start = text.find(item["anchor"])
        assert start != -1, item["anchor"]
        end = start + len(item["anchor"])
        hits = [t for t in report.times if t.start < end and start < t.end]
        assert hits, f"no time found in {item['anchor']!r}"
        got = hits[0]
        if "value_from" in item:
            assert (got.value, got.value_to) == (item["value_from"], item["value_to"])
        else:
            assert got.value is not None and got.value.split("T")[0] == item["value"], (item, got)


# ------------------------------------------------------------ the benchmark's reader and scorer


@pytest.fixture(scope="module")
def bench():
    """bench/timex.py loaded as a module (the bench folder is not a package)."""
    path = Path(__file__).resolve().parents[1] / "bench" / "timex.py"
    spec = importlib.util.spec_from_file_location("bench_timex", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_timex"] = module
    spec.loader.exec_module(module)
    return module


def test_bench_strips_timeml_keeping_offsets(bench) -> None:
    body = (
        'Talks <EVENT eid="e1">ended</EVENT> <TIMEX3 tid="t1" value="2016-12-13TNI">Tuesday night</TIMEX3>'
        ' &amp; resume <TIMEX3 tid="t2" value="P3D">in three days</TIMEX3>.'
    )
    gold = bench._strip("doc", body, "2016-12-14")
    assert gold.text == "Talks ended Tuesday night & resume in three days."
    assert [(gold.text[s:e], v) for s, e, v in gold.timexes] == [
        ("Tuesday night", "2016-12-13TNI"),
        ("in three days", "P3D"),
    ]


def test_bench_scores_strict_relaxed_and_values(bench) -> None:
    gold = [(0, 7, "2016-12-13"), (10, 20, "P3D"), (30, 35, "2015")]
    system = [(0, 7, "2016-12-13"), (12, 20, "P4D"), (40, 44, "2012")]
    score, errors = bench.score(gold, system)
    assert (score.gold, score.system, score.strict, score.relaxed, score.value) == (3, 3, 1, 2, 1)
    assert sorted(e[0] for e in errors) == ["missed", "spurious", "value"]
