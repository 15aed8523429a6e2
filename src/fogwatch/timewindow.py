"""When a happening lies in time: the day a text gives it, or the window its report bounds.

Reports rarely date every event. An attack the text does not date still happened on or
shortly before the report that tells of it; a truce "to take effect" lies after it. Both
the events stage (which writes the window into each event, with its basis) and the
ledger (which links events whose windows meet) read windows from here, so that they
agree.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

# A report that dates an event only by being published bounds it: a past event happened
# on or before the publication day, within this many days (news is about the last day
# or two; calibrated on the conflict-news development reports, where 95% of undated
# past events fall within two days of publication); a planned one lies after it, within
# a week.
UNDATED_PAST_DAYS = 2
UNDATED_FUTURE_DAYS = 7
# A cease-fire a report names without dating it ("since the truce was signed") is one already in
# force: agreed up to this many days before (the ledger follows a cease-fire as long).
UNDATED_TRUCE_DAYS = 30
# Statuses that look ahead of the publication date.
FORWARD_STATUSES = frozenset({"planned", "predicted", "demanded"})

_DAY = re.compile(r"^(\d{4}-\d{2}-\d{2})")
_MONTH = re.compile(r"^(\d{4})-(\d{2})(?!\d)")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})")
_YEAR = re.compile(r"^(\d{4})(?![\d-])")


def day_of(value: str | None) -> str | None:
    """The calendar day of a TIMEX3 value or ISO date-time, if it names one. Midnight written
    as the end of a day ("2020-03-05T24:00", a truce in force from then) falls on the next."""
    match = _DAY.match(value or "")
    if not match:
        return None
    if (value or "")[10:16] == "T24:00":
        return shift(match[1], 1)
    return match[1]


def days_apart(a: str, b: str) -> int:
    """Days between two ISO days, either order."""
    return abs((date.fromisoformat(a) - date.fromisoformat(b)).days)


def shift(day: str, days: int) -> str:
    return (date.fromisoformat(day) + timedelta(days=days)).isoformat()


def span_of_value(value: str | None) -> tuple[str, str] | None:
    """The first and last day a TIMEX3 value covers: a day, an ISO week, a month or a year."""
    if not value:
        return None
    day = day_of(value)
    if day:
        return day, day
    week = _WEEK.match(value)
    if week and 1 <= int(week[2]) <= 53:
        try:
            monday = date.fromisocalendar(int(week[1]), int(week[2]), 1)
        except ValueError:
            return None
        first = monday + timedelta(days=5) if value[len(week[0]):].startswith("-WE") else monday  # a weekend
        return first.isoformat(), (monday + timedelta(days=6)).isoformat()
    month = _MONTH.match(value)
    if month and 1 <= int(month[2]) <= 12:
        first = date(int(month[1]), int(month[2]), 1)
        last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        return first.isoformat(), last.isoformat()
    year = _YEAR.match(value)
    if year:
        return f"{year[1]}-01-01", f"{year[1]}-12-31"
    return None


def window(value: str | None, basis: str | None, status: str, published: str | None) -> tuple[str | None, str | None, str | None]:
    """(day, low, high): the day the text gives, and the window the happening lies in.

    A value the text gives (``basis`` other than "published") bounds it exactly; with
    none, the publication date bounds it: on or before it for what has happened, after
    it for what is planned. Neither: unbounded (None, None, None)."""
    if value and basis != "published":
        covered = span_of_value(value)
        if covered is not None:
            low, high = covered
            return (low if low == high else None), low, high
    pub = day_of(published)
    if pub is None:
        return None, None, None
    if status in FORWARD_STATUSES:
        return None, pub, shift(pub, UNDATED_FUTURE_DAYS)
    return None, shift(pub, -UNDATED_PAST_DAYS), pub


def exact_day(value: str | None, basis: str | None, low: str | None, high: str | None) -> str | None:
    """The day an event is dated to when the text pins it to that day: not the publication
    day standing in for an undated event, and not the likeliest day of a wider window
    ("said on Sunday that nine had been killed": Sunday or a day or two before)."""
    day = day_of(value)
    if day is None or basis == "published":
        return None
    if low is not None and (low, high) != (day, day):
        return None
    return day
