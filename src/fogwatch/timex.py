"""Time expressions: a regular grammar that finds them and resolvers that give TIMEX3 values.

Pure functions over plain text, with no spaCy, so every rule is unit-testable
without a model. The stage (``stages/times.py``) adds what needs a parse: the
tense of the clause a time expression sits in, and a veto on four-digit numbers
that the entity recogniser reads as counts.

Relative expressions ("Tuesday night", "last year", "in two to three days")
resolve against the report's publication date, never against today's date.
News conventions decide the direction: a bare weekday is the current day or an
earlier one of the same week, and a bare date the latest such day, unless the
clause or the words before it point ahead ("is due to take effect on Tuesday
night", "from noon Friday"; ``direction_of`` and ``lang/en/times_lexicon.json``);
"a year earlier" and "the quarter" lean on the last date of that kind the text
named. Clock times carry their zone in the span ("09:00 Kyiv time") and take the
day their sentence names, else TIMEX3's unknown date (``XXXX-XX-XXT09:00``).
"""

from __future__ import annotations

import calendar
import json
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from importlib import resources

from .lang.en import modifiers, numbers, ordered, words

# Publication dates outside this window are treated as malformed (the error
# catalogue's E008 names the same window): TimeBank's oldest DCT is 1989 and
# nothing fogwatch reads is dated in the future beyond the next decades.
MIN_YEAR, MAX_YEAR = 1900, 2100

# Offsets of "N units ago" are capped so an absurd "9999 years ago" cannot
# overflow ``date`` arithmetic; anything past this is left unresolved.
MAX_OFFSET_DAYS = 366 * 200

# A month named in a past-tense clause is last year's only when it lies more than
# this many months after the publication month: past-tense reporting clauses
# often announce dates a few weeks ahead ("said the dividend is payable Dec. 7"
# in an October story; on TimeBank a slack of 2 gets these right where 0 and 1
# do not), while "in December" in a February story's past clause is last year's.
MONTH_SLACK = 2
# Without a tense, a month more than this many months away from the publication
# month in the same year is read as the nearer one across the year end.
NEAREST_MONTHS = 6

WEEKDAYS = ordered("calendar", "weekday")
_WEEKDAY_ABBR = {
    "mon": 0,
    "tue": 1,
    "tues": 1,
    "wed": 2,
    "thu": 3,
    "thur": 3,
    "thurs": 3,
    "fri": 4,
    "sat": 5,
    "sun": 6,
}

MONTHS = {
    name: i + 1
    for i, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        )
    )
    for name in names
}

NUMBER_WORDS = numbers("time")
VAGUE_NUMBERS = ordered("vague_numbers")

ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}

PARTS_OF_DAY = {
    "morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "overnight": "NI",
    "dawn": "MO", "daybreak": "MO", "dusk": "EV", "nightfall": "EV",
}  # fmt: skip
SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
_SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}  # northern-hemisphere start months

# Duration letters per unit; hours and smaller take the TIMEX3 "T" marker.
UNITS = {
    "second": "S", "minute": "M", "hour": "H", "day": "D", "week": "W", "fortnight": "W",
    "month": "M", "quarter": "Q", "year": "Y", "decade": "DE", "century": "CE",
}  # fmt: skip
TIME_UNITS = frozenset({"second", "minute", "hour"})
UNIT_GRANULARITY = {"day": "day", "week": "week", "month": "month", "quarter": "month", "year": "year",
                    "decade": "decade", "century": "century"}  # fmt: skip

SETS = {"daily": "P1D", "weekly": "P1W", "monthly": "P1M", "annually": "P1Y", "yearly": "P1Y",
        "quarterly": "P1Q", "nightly": "P1D", "hourly": "PT1H"}  # fmt: skip

# Quantifier words before a duration and the TIMEX3 mod they stand for.
MODS = modifiers("time")
# Words that place a time without naming it ("now", "in the future"), and those that count a span back.
PRESENT_REFERENCES = words("time_references", "present")
FUTURE_REFERENCES = words("time_references", "future")
BACKWARD = words("backward_directions")
EDGE_MODS = {
    "early": "START", "late": "END", "mid": "MID", "the middle of": "MID", "the end of": "END",
    "the beginning of": "START", "the start of": "START", "the first half of": "START",
    "the second half of": "END", "the early hours of": "START", "the late hours of": "END",
}  # fmt: skip


def _alt(words: object) -> str:
    """A regex alternation of literal words, longest first so the longest always wins."""
    return (
        "(?:"
        + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)).replace(r"\ ", r"\s+")
        + ")"
    )


_UNITS_WORDS = tuple(UNITS) + ("centurie",)
_CARDINAL = (
    r"(?:\d{1,3}(?:,\d{3}){0,2}(?:\.\d{1,2})?(?:\s+1/2)?"
    r"|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[-\s](?:one|two|three|four|five|six|seven|eight|nine))?|"
    + _alt(k for k in NUMBER_WORDS if k not in ("a", "an"))[3:-1]
    + ")"
)
_NUM = r"(?:" + _CARDINAL + r"|an?)"
_VAGUE = _alt(VAGUE_NUMBERS)
_UNIT = r"(?:" + _alt(_UNITS_WORDS)[3:-1] + r")(?:s|es)?"
_MONTH = (
    r"(?:"
    + _alt(m for m in MONTHS if len(m) > 3 or m == "may")[3:-1]
    + r"|(?:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.?)"
)
_WEEKDAY = r"(?:" + _alt(WEEKDAYS)[3:-1] + r"|(?:tues|thurs|mon|tue|wed|thu|fri|sat|sun)\.)"
_DAYNUM = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
# A four-digit year is 1800-2099: outside that window "1500" is far more often a
# count than a date in conflict and business news.
_YEAR4 = r"(?:1[89]\d\d|20\d\d)"
_YEAR = r"(?:" + _YEAR4 + r"|'\d\d)"
_POD = _alt(PARTS_OF_DAY)
_SEASON = _alt(SEASONS)
_MOD = _alt(MODS)
_EDGE = (
    r"(?:early|late|mid|the\s+(?:middle|end|beginning|start)\s+of|the\s+(?:early|late)\s+hours\s+of"
    r"|(?:the\s+)?(?:first|second)\s+half\s+of)"
)
_REL = r"(?:(?:the\s+)?(?:last|next|past|coming|previous|following|current)|this)"

# Marker words and zone names are language data: ``lang/en/times_lexicon.json``.
LEXICON: dict = json.loads(
    resources.files("fogwatch").joinpath("lang/en/times_lexicon.json").read_text(encoding="utf-8")
)

# Capitalised words that open a sentence rather than name a zone ("at 4 a.m. The time...").
_NOT_ZONE_WORDS = r"(?:The|This|That|These|Those|Each|Every|Any|Some|No|At|By|For|In|On|It|He|She|They|We)\s"
# A time zone after a clock time: an abbreviation from the lexicon, "local time", or one to
# three capitalised words and "time" ("Moscow time", "Central European Time"). The zone is part
# of the time expression, so that no other layer reads "Kyiv" in "09:00 Kyiv time" as a place.
_ZONE = (
    r"(?:(?-i:" + _alt(LEXICON["zones"])[3:-1] + r")\b|local\s+time\b"
    rf"|(?!{_NOT_ZONE_WORDS})(?-i:[A-Z][a-z’'-]+(?:\s+[A-Z][a-z]+){{0,2}})\s+time\b)"
)
_ZONE_TAIL = rf"(?:,?\s+{_ZONE}|\s*\(\s*{_ZONE}\s*\))"
_HOUR = r"(?:[01]?\d|2[0-3])"
_HHMM = r"(?:[01]\d|2[0-3])[0-5]\d"  # military and wire style: "1945 GMT", "0900 hours"
_CLOCK = (
    rf"(?:{_HOUR}(?:[:.][0-5]\d)?\s*(?:a\.m\.?|p\.m\.?|am\b|pm\b)"
    rf"|(?:{_HOUR}:[0-5]\d|24:00)(?![:.]?\d)"
    rf"|(?:[01]\d|2[0-3])h[0-5]\d\b"
    rf"|{_HHMM}(?=\s*{_ZONE})|0\d[0-5]\d(?=\s+(?:hours|hrs)\b)"
    r"|noon|midday|midnight)"
    rf"{_ZONE_TAIL}?"
)


@dataclass(slots=True)
class Resolved:
    """What a rule made of one expression (value None when it could not be anchored)."""

    value: str | None
    granularity: str
    value_to: str | None = None
    mod: str | None = None
    anchored: bool = True


@dataclass(slots=True)
class Candidate:
    """A span the grammar found, with the rule that found it and its match."""

    start: int
    end: int
    rule: str
    match: re.Match[str] | None = None
    parts: list[Candidate] = field(default_factory=list)  # a date and a clock time merged


@dataclass(slots=True)
class Context:
    """What resolution needs beyond the words: the anchor, the clause tense, the last date named."""

    anchor: date | None
    tense: str | None = None  # past|present|future
    last: str | None = None  # value of the last resolved calendar expression in the text
    # past|future|nearest when the words before the expression decide which way a bare
    # weekday or date points (``direction_of``); None leaves it to the tense.
    direction: str | None = None
    clause: str | None = None  # the tense as the stage gave it (``EMBEDDED_PAST`` kept apart from past)
    clock_day: str | None = None  # the day a lone clock time is on, when its sentence or partner names one
    last_day: str | None = None  # the last day named (for "that day" after "last week" and the like)
    orthodox: bool = False  # an Orthodox holiday was named: a later bare "Christmas" is the same feast


Handler = Callable[[re.Match[str], Context], Resolved | None]
TenseOf = Callable[[int, int], str | None]  # (start, end) -> past|present|future|None


# ---------------------------------------------------------------- small resolvers


def anchor_date(value: str | None) -> tuple[date | None, str | None]:
    """The day relative expressions resolve against, from a report's ``published`` metadata, and why
    not when it is unusable. Reading is lenient (a datetime gives its day, trailing text after an ISO
    day is ignored); ``ingest.parse_published`` is the strict check of user input, with the same
    year bounds, that refuses what it cannot read."""
    if value is None or not str(value).strip():
        return None, None
    text = str(value).strip()
    try:
        parsed = datetime.fromisoformat(text).date()
    except ValueError:
        try:
            parsed = date.fromisoformat(text[:10])
        except ValueError:
            return None, "not an ISO date"
    if not MIN_YEAR <= parsed.year <= MAX_YEAR:
        return None, f"year {parsed.year} is outside {MIN_YEAR}-{MAX_YEAR}"
    return parsed, None


def number_value(text: str) -> float | None:
    """The number a cardinal phrase stands for ("twenty-four", "5 1/2", "a"); None when vague."""
    words = " ".join(text.lower().replace("-", " ").split())
    if not words:
        return None
    if words in NUMBER_WORDS:
        return float(NUMBER_WORDS[words])
    half = 0.5 if words.endswith(" 1/2") else 0.0
    words = words.removesuffix(" 1/2")
    try:
        return float(words) + half
    except ValueError:
        pass
    parts = words.split()
    if len(parts) == 2 and parts[0] in NUMBER_WORDS and parts[1] in NUMBER_WORDS:
        return float(NUMBER_WORDS[parts[0]] + NUMBER_WORDS[parts[1]])
    return None


def unit_of(text: str) -> str:
    """The singular unit name of a unit word ("years" -> "year", "centuries" -> "century")."""
    word = text.lower()
    if word.startswith("centur"):
        return "century"
    for unit in UNITS:
        if word.startswith(unit):
            return unit
    return "day"


def duration(amount: float | None, unit: str) -> str:
    """A TIMEX3 duration: ``P3D``, ``PT24H``, ``P10Y`` for a decade, ``PXY`` when vague."""
    if unit == "decade" and amount is not None:
        amount, unit = amount * 10, "year"
    if unit == "century" and amount is not None:
        amount, unit = amount * 100, "year"
    if unit == "fortnight" and amount is not None:
        amount = amount * 2
    if unit == "quarter":  # TIMEX3 writes quarters of a year as months
        amount, unit = (amount * 3 if amount is not None else None), "month"
    letter = UNITS[unit]
    prefix = "PT" if unit in TIME_UNITS else "P"
    if amount is None:
        return f"{prefix}X{letter}"
    if amount != int(amount):
        return _fractional(amount, unit, prefix, letter)
    return f"{prefix}{int(amount)}{letter}"


def _fractional(amount: float, unit: str, prefix: str, letter: str) -> str:
    """Fractions go down one unit where TIMEX3 has one ("5 1/2 hours" -> PT5H30M)."""
    whole = int(amount)
    lower = {"hour": ("M", 60), "year": ("M", 12), "day": ("H", 24), "minute": ("S", 60)}.get(unit)
    if lower is None:
        return f"{prefix}{amount:g}{letter}"
    sub_letter, per = lower
    sub = round((amount - whole) * per)
    if unit == "day":
        return f"P{whole}DT{sub}H" if whole else f"PT{sub}H"
    return f"{prefix}{whole}{letter}{sub}{sub_letter}" if whole else f"{prefix}{sub}{sub_letter}"


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def shift_months(day: date, months: int) -> tuple[int, int]:
    """Year and month ``months`` after (or before) ``day``'s month."""
    total = day.year * 12 + day.month - 1 + months
    return total // 12, total % 12 + 1


def safe_date(year: int, month: int, day: int) -> date | None:
    """A date, or None for February 30th, year 0 and the like."""
    try:
        return date(year, month, day)
    except ValueError:
        return None


def add_days(day: date, days: float) -> date | None:
    if abs(days) > MAX_OFFSET_DAYS:
        return None
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return None


# "last"/"next" and a weekday name a day at least this far from the anchor.
RELATIVE_WEEKDAY_MIN_DAYS = 2


def weekday_date(anchor: date, weekday: int, direction: str | None, strict: bool = False) -> date:
    """The date of ``weekday`` seen from ``anchor``.

    News uses a bare weekday for the current week: the same day or one of the
    six before it, or (in future-tense clauses) one of the six after. ``strict``
    ("last Monday", "next Monday") skips the anchor day and the day next to it.
    """
    ahead = (weekday - anchor.weekday()) % 7 or (7 if strict else 0)
    back = (anchor.weekday() - weekday) % 7 or (7 if strict else 0)
    if strict:  # "last Saturday" on a Sunday is not yesterday: news would say "yesterday" or "on Saturday"
        ahead += 7 if ahead < RELATIVE_WEEKDAY_MIN_DAYS else 0
        back += 7 if back < RELATIVE_WEEKDAY_MIN_DAYS else 0
    if direction == "nearest":  # a plan reported in the past: whichever side is closer
        return anchor + timedelta(days=ahead) if ahead < back else anchor - timedelta(days=back)
    if direction == "future":
        return anchor + timedelta(days=ahead)
    return anchor - timedelta(days=back)


def month_day_date(anchor: date, month: int, day: int, direction: str | None) -> date | None:
    """The date of a month and day named without a year.

    A bare date is the latest such day up to the anchor ("Oct. 7" in a November
    report is last month's) unless the words point forward: then it is the next
    one from the anchor on, and for a plan reported in the past or a period's edge
    ("until Nov. 9") the nearer of the two.
    """
    past = _first_date(((y, month, day) for y in (anchor.year, anchor.year - 1)), lambda d: d <= anchor)
    ahead = _first_date(((y, month, day) for y in (anchor.year, anchor.year + 1)), lambda d: d >= anchor)
    if direction == "future" or past is None:
        return ahead
    if direction in ("nearest", "bounded") and ahead is not None and ahead - anchor < anchor - past:
        return ahead
    return past


def _first_date(triples: Iterator[tuple[int, int, int]], keep: Callable[[date], bool]) -> date | None:
    """The first valid date among (year, month, day) triples that ``keep`` accepts."""
    for triple in triples:
        day = safe_date(*triple)
        if day is not None and keep(day):
            return day
    return None


def month_year(anchor: date, month: int, tense: str | None) -> int:
    """The year of a month named without one.

    A past-tense clause looks back and a future one forward (with a month's
    slack, see ``MONTH_SLACK``); without a tense the nearest such month wins, so
    "January" in a November story is next January and "December" in a January
    story is last December.
    """
    if tense == "past":
        return anchor.year - 1 if month > anchor.month + MONTH_SLACK else anchor.year
    if tense == "future":
        return anchor.year + 1 if month < anchor.month - MONTH_SLACK else anchor.year
    delta = month - anchor.month
    if delta > NEAREST_MONTHS:
        return anchor.year - 1
    if delta < -NEAREST_MONTHS:
        return anchor.year + 1
    return anchor.year


def quarter_of(day: date) -> int:
    return (day.month - 1) // 3 + 1


def value_granularity(value: str) -> str:
    """The granularity a TIMEX3 date value is written at ("2016-W50" -> week)."""
    shapes = (
        (r"\d{4}-\d\d-\d\dT\d\d", "time"),
        (r"\d{4}-\d\d-\d\dT[A-Z]{2}", "part_of_day"),
        (r"\d{4}-\d\d-\d\d", "day"),
        (r"\d{4}-W\d\d", "week"),
        (r"\d{4}-(\d\d|Q\d|H\d|SP|SU|FA|WI)", "month"),
        (r"\d{4}", "year"),
        (r"\d{3}", "decade"),
        (r"\d{2}", "century"),
        (r"P", "duration"),
    )
    for shape, name in shapes:
        if re.match(shape, value):
            return name
    return "present" if value == "PRESENT_REF" else "unknown"


def shift_value(value: str, years: int) -> str | None:
    """A calendar value moved by whole years ("1989-Q3" -> "1988-Q3"), for "a year earlier"."""
    match = re.match(r"(\d{4})([^T]*)", value)
    if not match:
        return None
    year = int(match.group(1)) + years
    rest = match.group(2)  # a part of day or clock time does not carry over a year
    if rest.startswith("-02-29") and not calendar.isleap(year):
        rest = "-02-28" + rest[6:]
    return f"{year:04d}{rest}" if 0 < year < 10000 else None


# ---------------------------------------------------------------- rule handlers


def _unanchored(granularity: str, mod: str | None = None) -> Resolved:
    return Resolved(None, granularity, mod=mod, anchored=False)


def _g(m: re.Match[str], name: str) -> str:
    """A group's text, lower-cased; "name2" stands in for "name" in a rule's second alternative."""
    groups = m.groupdict()
    return (groups.get(name) or groups.get(name + "2") or "").lower()


def _edge_mod(m: re.Match[str]) -> str | None:
    edge = " ".join(_g(m, "edge").split())
    if not edge:
        return None
    for key, mod in EDGE_MODS.items():
        if edge.startswith(key):
            return mod
    return None


def _year(text: str, anchor: date | None) -> int | None:
    text = text.strip().lower()
    if text.startswith("'"):
        century = (anchor.year // 100 * 100) if anchor else 1900
        year = century + int(text[1:])
        return year - 100 if anchor and year > anchor.year + 10 else year
    return int(text)


def _month(text: str) -> int:
    return MONTHS[text.lower().rstrip(".")]


def _day_number(text: str) -> int:
    return int(re.match(r"\d+", text).group(0))


def h_full_date(m: re.Match[str], ctx: Context) -> Resolved | None:
    year = _year(_g(m, "year"), ctx.anchor)
    day = safe_date(year, _month(_g(m, "month")), _day_number(_g(m, "day")))
    if day is None:
        return None
    return Resolved(day.isoformat(), "day", mod=_edge_mod(m))


def h_numeric_date(m: re.Match[str], ctx: Context) -> Resolved | None:
    """ISO "2016-12-14", or slashes: month first as in US wire copy, day first when it cannot be a month."""
    if m.group("iy"):
        day = safe_date(int(m.group("iy")), int(m.group("im")), int(m.group("id")))
    else:
        first, second, year = int(m.group("na")), int(m.group("nb")), int(m.group("ny"))
        year = year + (1900 if year >= 50 else 2000) if year < 100 else year
        month, number = (second, first) if first > 12 else (first, second)
        day = safe_date(year, month, number)
    return Resolved(day.isoformat(), "day") if day else None


def h_month_day(m: re.Match[str], ctx: Context) -> Resolved | None:
    month = _month(_g(m, "month"))
    number = _day_number(_g(m, "day"))
    if ctx.anchor is None:
        return _unanchored("day")
    direction = ctx.direction or _DATE_DIRECTION.get(ctx.tense or "")
    return _on_day(month_day_date(ctx.anchor, month, number, direction), m)


def _on_day(day: date | None, m: re.Match[str]) -> Resolved | None:
    """A day, at the part of day the match names if any ("the night of Dec. 13")."""
    if day is None:
        return None
    pod = _g(m, "pod")
    if pod in PARTS_OF_DAY:
        return Resolved(f"{day.isoformat()}T{PARTS_OF_DAY[pod]}", "part_of_day", mod=_edge_mod(m))
    return Resolved(day.isoformat(), "day", mod=_edge_mod(m))


# Which way a bare date points by the clause's tense alone: forward in the future;
# a present clause is as often a headline about the past ("Israel strikes Lebanon on
# Nov. 30" in December) as a schedule ("the truce expires on June 2"), so the nearer.
_DATE_DIRECTION = {"future": "future", "present": "nearest"}


def h_part_of_day(m: re.Match[str], ctx: Context) -> Resolved | None:
    """ "the night of Dec. 13", "the early hours of Wednesday", "late on Tuesday", "at dawn on Monday"."""
    if _g(m, "weekday"):
        return h_weekday(m, ctx)
    if _g(m, "year"):
        return _on_day(safe_date(int(_g(m, "year")), _month(_g(m, "month")), _day_number(_g(m, "day"))), m)
    return h_month_day(m, ctx)


def h_month_year(m: re.Match[str], ctx: Context) -> Resolved | None:
    year = _year(_g(m, "year"), ctx.anchor)
    return Resolved(f"{year:04d}-{_month(_g(m, 'month')):02d}", "month", mod=_edge_mod(m))


def h_month(m: re.Match[str], ctx: Context) -> Resolved | None:
    month = _month(_g(m, "month"))
    rel = _g(m, "rel")
    before = m.string[max(0, m.start() - 16) : m.start()]
    if month in (3, 5) and not rel and not _g(m, "edge") and not _PREPOSITION.search(before):
        return None  # "May" the modal, "March" the verb: a month only after a preposition or "last"
    if ctx.anchor is None:
        return _unanchored("month", _edge_mod(m))
    if rel == "last":
        year = ctx.anchor.year - (1 if month >= ctx.anchor.month else 0)
    elif rel == "next":
        year = ctx.anchor.year + (1 if month <= ctx.anchor.month else 0)
    elif rel == "this":
        year = ctx.anchor.year
    elif _g(m, "yrel"):  # "July last year"
        year = ctx.anchor.year + {"last": -1, "next": 1}.get(_g(m, "yrel"), 0)
    else:
        year = month_year(ctx.anchor, month, ctx.tense)
    return Resolved(f"{year:04d}-{month:02d}", "month", mod=_edge_mod(m))


# A bare "May" or "March" is a month only after one of these words.
_PREPOSITION = re.compile(
    r"\b(?:in|of|by|on|since|until|till|from|to|through|during|before|after|early|late|mid|and|or"
    r"|between)\s+$",
    re.IGNORECASE,
)


def h_year(m: re.Match[str], ctx: Context) -> Resolved | None:
    year = _year(_g(m, "year"), ctx.anchor)
    if year is None or year < 1:
        return None
    return Resolved(f"{year:04d}", "year", mod=_edge_mod(m))


def h_decade(m: re.Match[str], ctx: Context) -> Resolved | None:
    text = _g(m, "decade")
    words = {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6, "seventies": 7,
             "eighties": 8,
             "nineties": 9}  # fmt: skip
    if text in words:
        century = "19"
        value = f"{century}{words[text]}"
    else:
        digits = re.sub(r"\D", "", text)
        if len(digits) == 2:
            value = f"19{digits[0]}"
        else:
            value = digits[:3]
    return Resolved(value, "decade", mod=_edge_mod(m))


def h_century(m: re.Match[str], ctx: Context) -> Resolved | None:
    number = _day_number(_g(m, "nth"))
    if not 1 <= number <= 99:
        return None
    return Resolved(f"{number - 1:02d}", "century", mod=_edge_mod(m))


def h_quarter(m: re.Match[str], ctx: Context) -> Resolved | None:
    nth = ORDINALS.get(_g(m, "nth"), 0)
    half = "half" in _g(m, "kind")
    if half and nth > 2:
        return None
    letter = "H" if half else "Q"
    year_text = _g(m, "year")
    if year_text:
        year = _year(year_text, ctx.anchor)
    elif ctx.anchor is None:
        return _unanchored("month")
    else:
        rel = _g(m, "rel")
        year = ctx.anchor.year + (-1 if rel.startswith("last") else 1 if rel.startswith("next") else 0)
        if not _g(m, "rel") and not half and nth > quarter_of(ctx.anchor) and ctx.tense == "past":
            year -= 1
    return Resolved(f"{year:04d}-{letter}{nth}", "month")


def h_the_quarter(m: re.Match[str], ctx: Context) -> Resolved | None:
    """ "the quarter", "the latest quarter": the quarter last named, else the last one completed.

    "the current quarter" is the publication date's own.
    """
    if ctx.anchor is not None and "current" in m.group(0).lower():
        return Resolved(f"{ctx.anchor.year:04d}-Q{quarter_of(ctx.anchor)}", "month")
    if ctx.last and re.fullmatch(r"\d{4}-Q\d", ctx.last):
        return Resolved(ctx.last, "month")
    if ctx.anchor is None:
        return _unanchored("month")
    year, month = shift_months(ctx.anchor, -3)
    return Resolved(f"{year:04d}-Q{(month - 1) // 3 + 1}", "month")


def h_season(m: re.Match[str], ctx: Context) -> Resolved | None:
    season = SEASONS[_g(m, "season")]
    year_text = _g(m, "year")
    if year_text:
        return Resolved(f"{_year(year_text, ctx.anchor):04d}-{season}", "month", mod=_edge_mod(m))
    if ctx.anchor is None:
        return _unanchored("month", _edge_mod(m))
    rel = " ".join(_g(m, "rel").split())
    year = ctx.anchor.year + {"last": -1, "next": 1}.get(rel, 0)
    if rel.endswith("past"):  # "this past spring": the latest one already over
        year = ctx.anchor.year - (1 if _SEASON_START[season] + 3 > ctx.anchor.month else 0)
    if rel == "last" and season == "WI" and ctx.anchor.month <= 3:
        year = ctx.anchor.year
    return Resolved(f"{year:04d}-{season}", "month", mod=_edge_mod(m))


def h_relative_unit(m: re.Match[str], ctx: Context) -> Resolved | None:
    """last/this/next week|month|year|weekend|decade, with "earlier this month" and friends."""
    rel = " ".join(_g(m, "rel").split()).removeprefix("the ")
    unit = unit_of(_g(m, "unit")) if _g(m, "unit") else "weekend"
    mod = _edge_mod(m)
    if rel in ("past", "coming") and unit != "weekend" and not _g(m, "year_s"):
        return Resolved(duration(1, unit), "duration", mod=mod)
    step = {"last": -1, "previous": -1, "next": 1, "following": 1}.get(rel, 0)
    if rel in ("following", "previous") and ctx.last:  # "the following year": after the year last named
        base = _truncate(ctx.last, "day") or (
            ctx.last[:4] + "-07-01" if re.match(r"\d{4}$", ctx.last) else None
        )
        if base and unit in ("year", "month", "week", "quarter"):
            return _calendar_unit(date.fromisoformat(base), unit, step, mod)
    if ctx.anchor is None:
        return _unanchored(UNIT_GRANULARITY.get(unit, "week"), mod)
    if unit == "weekend" and step == 0:
        week = iso_week(ctx.anchor + timedelta(weeks=_weekend_step(ctx, rel)))
        return Resolved(week + "-WE", "week", mod=mod)
    return _calendar_unit(ctx.anchor, unit, step, mod)


# Up to this weekday (Tuesday), "this weekend" in a past clause is the one just over.
THIS_WEEKEND_PAST_UNTIL = 1


def _weekend_step(ctx: Context, rel: str) -> int:
    """ "this weekend", "the weekend": the anchor week's own (ISO weeks end on Sunday) or the one before.

    On a Saturday or Sunday, or in a future clause, it is the anchor week's; "this
    weekend" is too unless a past clause reads it early in the week; "the weekend"
    in any other clause on a weekday is the one just over ("said over the weekend").
    """
    if ctx.anchor.weekday() >= 5 or (ctx.direction or ctx.tense) == "future":
        return 0
    if rel == "this" and not (ctx.tense == "past" and ctx.anchor.weekday() <= THIS_WEEKEND_PAST_UNTIL):
        return 0
    return -1


def _calendar_unit(anchor: date, unit: str, step: int, mod: str | None) -> Resolved | None:
    """The calendar week, month, quarter, year... ``step`` units away from the anchor's."""
    if unit == "day":
        day = add_days(anchor, step)
        return Resolved(day.isoformat(), "day", mod=mod) if day else None
    if unit in ("week", "fortnight"):
        return Resolved(iso_week(anchor + timedelta(weeks=step)), "week", mod=mod)
    if unit == "weekend":  # "last weekend", "next weekend" ("this weekend": ``_weekend_step``)
        return Resolved(iso_week(anchor + timedelta(weeks=step)) + "-WE", "week", mod=mod)
    if unit == "month":
        year, month = shift_months(anchor, step)
        return Resolved(f"{year:04d}-{month:02d}", "month", mod=mod)
    if unit == "quarter":
        year, month = shift_months(anchor, 3 * step)
        return Resolved(f"{year:04d}-Q{(month - 1) // 3 + 1}", "month", mod=mod)
    if unit == "year":
        return Resolved(f"{anchor.year + step:04d}", "year", mod=mod)
    if unit == "decade":
        return Resolved(f"{anchor.year // 10 + step:03d}", "decade", mod=mod)
    if unit == "century":
        return Resolved(f"{anchor.year // 100 + step:02d}", "century", mod=mod)
    return None


def _truncate(value: str, unit: str) -> str | None:
    """A reference value cut down to ``unit`` ("2016-12-14TMO" -> "2016-12" for "that month")."""
    day = (
        safe_date(int(value[:4]), int(value[5:7]), int(value[8:10]))
        if re.match(r"\d{4}-\d\d-\d\d", value)
        else None
    )
    if unit == "day":
        return day.isoformat() if day else None
    if unit == "week":
        return iso_week(day) if day else (value[:8] if re.match(r"\d{4}-W\d\d", value) else None)
    if unit == "month":
        return value[:7] if re.match(r"\d{4}-\d\d(?!\d)", value) else None
    if unit == "quarter":
        if re.match(r"\d{4}-Q\d", value):
            return value[:7]
        return f"{value[:4]}-Q{(int(value[5:7]) - 1) // 3 + 1}" if re.match(r"\d{4}-\d\d", value) else None
    return value[:4] if re.match(r"\d{4}", value) else None


def h_anaphor(m: re.Match[str], ctx: Context) -> Resolved | None:
    """ "that day", "the same week", "later that year": the last date the text named, at that unit."""
    unit = unit_of(_g(m, "unit"))
    value = _truncate(ctx.last, unit) if ctx.last else None
    if value is None and unit == "day":
        value = ctx.last_day  # "last week ... later in the day": the last day named, not the week
    if value is None:
        return None
    return Resolved(value, UNIT_GRANULARITY.get(unit, "day"))


def h_next_day(m: re.Match[str], ctx: Context) -> Resolved | None:
    """ "the next day", "the following morning", "the night before": a day from the last day named."""
    step = -1 if _g(m, "step") == "previous" or _g(m, "pod2") else 1
    pod = _g(m, "pod") or _g(m, "pod2")
    base = _truncate(ctx.last, "day") if ctx.last else None
    if base is None:
        return None
    day = add_days(date.fromisoformat(base), step)
    if day is None:
        return None
    if pod in PARTS_OF_DAY:
        return Resolved(f"{day.isoformat()}T{PARTS_OF_DAY[pod]}", "part_of_day")
    return Resolved(day.isoformat(), "day")


def h_unit_edge(m: re.Match[str], ctx: Context) -> Resolved | None:
    """ "the end of the month", "year-end": the current month or year, with its edge as the mod."""
    unit = _g(m, "unit")
    mod = _edge_mod(m) or "END"
    if ctx.anchor is None:
        return _unanchored(UNIT_GRANULARITY[unit], mod)
    return _calendar_unit(ctx.anchor, unit, 0, mod)


def h_day_word(m: re.Match[str], ctx: Context) -> Resolved | None:
    """today, yesterday, tomorrow, tonight, last night, this morning, yesterday afternoon..."""
    word = _g(m, "dayword")
    pod = _g(m, "pod")
    offset = {"yesterday": -1, "tomorrow": 1, "last": -1}.get(word, 0)
    if word in ("tonight", "last"):
        pod = pod or "night"
    if ctx.anchor is None:
        return _unanchored("part_of_day" if pod else "day", _edge_mod(m))
    day = ctx.anchor + timedelta(days=offset)
    if pod == "overnight" and not word:  # the night before the day in view ("said on Sunday ... overnight")
        base = _truncate(ctx.last, "day") if ctx.last else None
        day = (date.fromisoformat(base) if base else ctx.anchor) - timedelta(days=1)
    if pod:
        return Resolved(f"{day.isoformat()}T{PARTS_OF_DAY[pod]}", "part_of_day", mod=_edge_mod(m))
    return Resolved(day.isoformat(), "day", mod=_edge_mod(m))


def h_weekday(m: re.Match[str], ctx: Context) -> Resolved | None:
    weekday = _weekday_number(_g(m, "weekday"))
    pod = _g(m, "pod")
    rel = _g(m, "rel")
    mod = _edge_mod(m)
    granularity = "part_of_day" if pod else "day"
    if ctx.anchor is None:
        return _unanchored(granularity, mod)
    tense = "future" if ctx.tense == "present" else ctx.tense  # "the ministers meet Monday"
    direction = {"last": "past", "past": "past", "next": "future", "coming": "future"}.get(
        rel, ctx.direction or tense
    )
    if direction == "bounded":  # "fighting raged from Friday" stays past; "ordered a truce from Friday" not
        direction = "past" if ctx.clause == "past" else "nearest"
    day = weekday_date(ctx.anchor, weekday, direction, strict=rel in ("last", "next"))
    suffix = f"T{PARTS_OF_DAY[pod]}" if pod else ""
    return Resolved(day.isoformat() + suffix, granularity, mod=mod)


def h_weekday_date(m: re.Match[str], ctx: Context) -> Resolved | None:
    """ "Monday, Oct. 26": the written date wins over the weekday, which picks its year when none is written.

    Of the years around the anchor, the one where that date falls on that weekday
    ("Monday, Oct. 26" in an October 1998 report is 1998's, whatever the tense).
    """
    if _g(m, "year"):
        return h_full_date(m, ctx)
    if ctx.anchor is not None:
        weekday = _weekday_number(_g(m, "weekday"))
        month, number = _month(_g(m, "month")), _day_number(_g(m, "day"))
        years = (ctx.anchor.year, ctx.anchor.year - 1, ctx.anchor.year + 1)
        day = _first_date(((y, month, number) for y in years), lambda d: d.weekday() == weekday)
        if day is not None:
            return Resolved(day.isoformat(), "day", mod=_edge_mod(m))
    return h_month_day(m, ctx)


def _weekday_number(text: str) -> int:
    text = text.lower().rstrip(".")
    return WEEKDAYS.index(text) if text in WEEKDAYS else _WEEKDAY_ABBR[text]


def h_ago(m: re.Match[str], ctx: Context) -> Resolved | None:
    """ "three days ago", "a year earlier", "two weeks later" (earlier/later lean on the last date named)."""
    unit = unit_of(_g(m, "unit"))
    amount = number_value(_g(m, "num"))
    word = _g(m, "dir")
    sign = -1 if word in BACKWARD else 1
    mod = MODS.get(" ".join(_g(m, "mod").split()))
    if mod is not None:
        mod = "APPROX"
    if amount is None:
        return Resolved("PAST_REF" if sign < 0 else "FUTURE_REF", "unknown", mod=mod)
    if unit == "year" and amount == int(amount) and (word in ("earlier", "later") or _is_quarter(ctx.last)):
        back = _year_back(ctx, sign * int(amount), mod)
        if back is not None:
            return back
    base = _truncate(ctx.last, "day") if ctx.last and word in ("earlier", "later") else None
    if base is not None and unit in ("day", "week"):  # "three days later": after the day last named
        return _offset(date.fromisoformat(base), unit, sign * amount, mod)
    if ctx.anchor is None:
        return _unanchored(UNIT_GRANULARITY.get(unit, "day"), mod)
    return _offset(ctx.anchor, unit, sign * amount, mod)


def _is_quarter(value: str | None) -> bool:
    return bool(value and re.fullmatch(r"\d{4}-Q\d", value))


def _year_back(ctx: Context, years: int | None, mod: str | None = None) -> Resolved | None:
    """ "a year earlier", "the year-ago quarter": the last date named, moved by whole years.

    Business and casualty reports compare like with like: after "the third
    quarter", "a year ago" is the third quarter of the year before.
    """
    if years is None:  # the "year-ago" adjective: always one year back, quarters kept
        if _is_quarter(ctx.last):
            return Resolved(shift_value(ctx.last, -1), "month")
        return Resolved(f"{ctx.anchor.year - 1:04d}", "year") if ctx.anchor else _unanchored("year")
    if ctx.last:
        shifted = shift_value(ctx.last, years)
        if shifted:
            return Resolved(shifted, value_granularity(shifted), mod=mod)
    return None


def _offset(anchor: date, unit: str, amount: float, mod: str | None) -> Resolved | None:
    """The calendar unit ``amount`` units away from the anchor, at that unit's granularity."""
    if unit in TIME_UNITS:
        seconds = {"second": 1, "minute": 60, "hour": 3600}[unit] * amount
        day = add_days(anchor, seconds / 86400)
        return Resolved(day.isoformat(), "day", mod=mod) if day else None
    whole = int(amount)
    if whole != amount:
        return None
    if unit == "day":
        day = add_days(anchor, whole)
        return Resolved(day.isoformat(), "day", mod=mod) if day else None
    if unit in ("week", "fortnight"):
        day = add_days(anchor, whole * 7 * (2 if unit == "fortnight" else 1))
        return Resolved(iso_week(day), "week", mod=mod) if day else None
    if abs(whole) > MAX_OFFSET_DAYS // 365:
        return None
    if unit == "month":
        year, month = shift_months(anchor, whole)
        return Resolved(f"{year:04d}-{month:02d}", "month", mod=mod) if year > 0 else None
    if unit == "quarter":
        year, month = shift_months(anchor, 3 * whole)
        return Resolved(f"{year:04d}-Q{(month - 1) // 3 + 1}", "month", mod=mod) if year > 0 else None
    years = whole * {"year": 1, "decade": 10, "century": 100}[unit]
    year = anchor.year + years
    return Resolved(f"{year:04d}", "year", mod=mod) if 0 < year < 10000 else None


def h_in_units(m: re.Match[str], ctx: Context) -> Resolved | None:
    """ "in three days", "in two to three days": a future date, or a range of them."""
    unit = unit_of(_g(m, "unit"))
    low = number_value(_g(m, "num"))
    high = number_value(_g(m, "num2")) if _g(m, "num2") else None
    if low is None or (high is None and _g(m, "num2")):
        return Resolved("FUTURE_REF", "unknown")
    if ctx.tense == "past" and high is None:
        return Resolved(duration(low, unit), "duration")  # "the first time in ten years"
    if ctx.anchor is None:
        return _unanchored("range" if high is not None else UNIT_GRANULARITY.get(unit, "day"))
    first = _offset(ctx.anchor, unit, low, None)
    if first is None:
        return None
    if high is None:
        return first
    last = _offset(ctx.anchor, unit, high, None)
    if last is None:
        return None
    return Resolved(first.value, "range", value_to=last.value)


def h_duration(m: re.Match[str], ctx: Context) -> Resolved | None:
    """ "five years", "the past 20 years", "less than 24 hours", "a four-year war", "5 1/2 hours"."""
    unit = unit_of(_g(m, "unit"))
    num = _g(m, "num")
    amount = None if re.fullmatch(_VAGUE, num or "x") or not num else number_value(num)
    if num and amount is None and not re.fullmatch(_VAGUE, num):
        return None
    if unit == "quarter" and re.match(r"\s+of\b", m.string[m.end() : m.end() + 4]):
        return None  # "three-quarters of the town": a fraction
    if unit == "second" and num in ("a", "an") and _A_NOUN.match(m.string, m.end()):
        return None  # "a second battery", "a second time": an ordinal
    if _g(m, "num2"):
        return Resolved(duration(None, unit), "duration")
    if _g(m, "half"):
        amount = (amount or 0) + 0.5
    mod = MODS.get(" ".join(_g(m, "mod").split()))
    return Resolved(duration(amount, unit), "duration", mod=mod)


def h_bare_plural(m: re.Match[str], ctx: Context) -> Resolved | None:
    """ "for years", "recent months", "the coming days": durations of unknown length."""
    return Resolved(duration(None, unit_of(_g(m, "unit") or _g(m, "unit2"))), "duration")


_A_NOUN = re.compile(r"[ \t]+[^\W\d]")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\n][\"'”’)]*)\s*$")


def h_set(m: re.Match[str], ctx: Context) -> Resolved | None:
    word = _g(m, "set")
    text = m.group(0)
    if text[:1].isupper() and not _SENTENCE_START.search(m.string, max(0, m.start() - 4), m.start()):
        return None  # capitalised inside a sentence: a name ("The Daily Monitor")
    if word in SETS:
        return Resolved(SETS[word], "duration")
    unit = unit_of(_g(m, "unit"))
    return Resolved(duration(1, unit), "duration")


def h_ref(m: re.Match[str], ctx: Context) -> Resolved | None:
    word = " ".join(_g(m, "ref").split())
    if word in PRESENT_REFERENCES:
        return Resolved("PRESENT_REF", "present")
    if word in FUTURE_REFERENCES:
        return Resolved("FUTURE_REF", "unknown")
    return Resolved("PAST_REF", "unknown")


def h_clock(m: re.Match[str], ctx: Context) -> Resolved | None:
    """A clock time without a day of its own is on the day ``resolve_all`` found (``Context.clock_day``).

    (A clock time next to a day word is merged with it first: "9 a.m. Tuesday".)
    When no day is known the value is a time of day on an unknown date, TIMEX3's
    ``XXXX-XX-XXT16:00``: the publication date is not that day ("the truce took
    effect at midnight" in a morning report is the midnight before), except in
    the report's opening line, where a dateline gives its own time.
    """
    hour = _g(m, "hh")
    clock = f"{int(hour):02d}:{_g(m, 'mm')}" if hour else clock_value(_g(m, "clock"))
    if clock is None:
        return None
    if ctx.clock_day is None:  # the granularity says what a reader can place: no day
        return Resolved(f"{UNKNOWN_DATE}T{clock}", "unknown")
    return Resolved(f"{ctx.clock_day}T{clock}", "time")


# TIMEX3's date of a time of day whose day is not known.
UNKNOWN_DATE = "XXXX-XX-XX"
_CLOCK_VALUE = re.compile(r"(\d{1,2})(?:[:.h]?(\d\d))?\s*([ap])?")


def clock_value(text: str) -> str | None:
    """ "10:35 a.m." -> "10:35", "4.00pm" -> "16:00", "1945 GMT" -> "19:45", "00h00" -> "00:00", "noon"."""
    text = text.lower()
    if text.startswith(("noon", "midday")):
        return "12:00"
    if text.startswith("midnight"):
        return "24:00"
    match = _CLOCK_VALUE.match(text)
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if match.group(3) == "p" and hour < 12:
        hour += 12
    elif match.group(3) == "a" and hour == 12:
        hour = 0
    if hour > 24 or minute > 59 or (hour == 24 and minute):
        return None
    return f"{hour:02d}:{minute:02d}"


def h_holiday(m: re.Match[str], ctx: Context) -> Resolved | None:
    """A holiday: in the year written, else the one "last"/"next" names, else the one the clause points to.

    Without either, the occurrence nearest the publication date ("Christmas" in a
    5 January report is the one twelve days before; "Orthodox Christmas" then is two days on).
    Once the text has named an Orthodox Christmas, a bare "Christmas" or "Christmas Eve" is that feast.
    """
    name = " ".join(_g(m, "holiday").split()).replace("’", "'")
    orthodox = bool(_g(m, "orthodox")) or (ctx.orthodox and name in ORTHODOX_CHRISTMAS)
    year_text = _g(m, "year")
    if year_text:
        day = holiday_date(name, _year(year_text, ctx.anchor), orthodox)
    elif ctx.anchor is None:
        return _unanchored("day")
    elif _g(m, "rel"):
        day = holiday_date(name, ctx.anchor.year + {"last": -1, "next": 1}.get(_g(m, "rel"), 0), orthodox)
    else:
        day = _nearest_holiday(name, orthodox, ctx)
    return Resolved(day.isoformat(), "day") if day else None


def _nearest_holiday(name: str, orthodox: bool, ctx: Context) -> date | None:
    """The occurrence the clause points to: the latest past one, the next future one, else the nearest."""
    anchor = ctx.anchor
    years = (anchor.year - 1, anchor.year, anchor.year + 1)
    days = [d for y in years if (d := holiday_date(name, y, orthodox))]
    if not days:
        return None
    # only a past verb that governs the holiday itself looks back ("fought on Christmas Day");
    # "ordered a Christmas truce" names the feast, which may still be ahead
    direction = ctx.direction or (
        "future" if ctx.tense == "future" else "past" if ctx.clause == "past" else None
    )
    if direction == "past":
        days = [d for d in days if d <= anchor] or days
        return days[-1]
    if direction == "future":
        days = [d for d in days if d >= anchor] or days
        return days[0]
    return min(days, key=lambda d: abs((d - anchor).days))


# Julian-calendar churches keep Christmas on 25 December Julian: 7 January (Gregorian) from 1901 to 2099.
ORTHODOX_CHRISTMAS = {"christmas": (1, 7), "christmas day": (1, 7), "christmas eve": (1, 6)}
JULIAN_OFFSET_DAYS = 13  # Julian to Gregorian, 1900-2099


def holiday_date(name: str, year: int, orthodox: bool = False) -> date | None:
    """Fixed and computed holidays that news dates events by (Orthodox Christmas and Easter included)."""
    if orthodox and name in ORTHODOX_CHRISTMAS:
        return safe_date(year, *ORTHODOX_CHRISTMAS[name])
    fixed = {"christmas": (12, 25), "christmas day": (12, 25), "christmas eve": (12, 24),
             "new year's day": (1, 1),
             "new year's eve": (12, 31), "new year's": (1, 1), "valentine's day": (2, 14),
             "halloween": (10, 31)}  # fmt: skip
    if name in fixed:
        return safe_date(year, *fixed[name])
    if name.startswith("thanksgiving") and MIN_YEAR <= year <= MAX_YEAR:
        first = date(year, 11, 1)
        return first + timedelta(days=(3 - first.weekday()) % 7 + 21)
    if name.startswith("easter") and orthodox and MIN_YEAR <= year <= MAX_YEAR:
        return orthodox_easter(year)
    if name.startswith("easter") and 1583 <= year <= 4099:
        return easter(year)
    return None


def orthodox_easter(year: int) -> date:
    """Orthodox Easter Sunday: the Julian computus (Meeus), moved to the Gregorian calendar."""
    a, b, c = year % 4, year % 7, year % 19
    d = (19 * c + 15) % 30
    e = (2 * a + 4 * b - d + 34) % 7
    month, day = divmod(d + e + 114, 31)
    return date(year, month, day + 1) + timedelta(days=JULIAN_OFFSET_DAYS)


def easter(year: int) -> date:
    """Gregorian Easter Sunday (the anonymous algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month = (h + el - 7 * m + 114) // 31
    return date(year, month, (h + el - 7 * m + 114) % 31 + 1)


# ---------------------------------------------------------------- the grammar


def h_spelled_year(m: re.Match[str], ctx: Context) -> Resolved | None:
    """ "nineteen ninety-six" (broadcast transcripts spell years out)."""
    low = number_value(_g(m, "low"))
    if low is None:
        return None
    return Resolved(f"{(19 if _g(m, 'high') == 'nineteen' else 20) * 100 + int(low):04d}", "year")


def h_one_unit(m: re.Match[str], ctx: Context) -> Resolved | None:
    """ "the past hour": one unit of time up to now."""
    return Resolved(duration(1, unit_of(_g(m, "unit"))), "duration")


def h_half_duration(m: re.Match[str], ctx: Context) -> Resolved | None:
    return Resolved(duration(0.5, unit_of(_g(m, "unit"))), "duration")


def h_year_ago_adjective(m: re.Match[str], ctx: Context) -> Resolved | None:
    return _year_back(ctx, None)


@dataclass(frozen=True, slots=True)
class Rule:
    """One grammar rule: a name, a bounded pattern and the handler that resolves its matches."""

    name: str
    pattern: str
    handler: Handler
    flags: int = re.IGNORECASE


_E = rf"(?:(?P<edge>{_EDGE})[-\s]+)?"  # an optional "early", "late", "mid", "the end of"...
_PLURAL_UNITS = r"minutes|hours|days|weeks|months|quarters|years|decades|centuries"
_NOT_AN_OFFSET = r"(?!\s+(?:of|ago|earlier|later|old)\b)"

# Patterns are bounded: every repeat is of whitespace or of a closed word list,
# never a repeat of a repeat, so no input can make them backtrack for long.
# A group called "x" narrows the span to itself (the words around it are
# context); a group "name2" stands in for "name" in a second alternative.
RULES: tuple[Rule, ...] = (
    Rule(
        "weekday_date",
        rf"{_E}(?P<weekday>{_WEEKDAY}),?\s+(?P<month>{_MONTH})\s+(?P<day>{_DAYNUM})\b"
        rf"(?:,?\s+(?P<year>{_YEAR4})\b)?",
        h_weekday_date,
    ),
    Rule(
        "full_date",
        rf"{_E}(?:(?P<month>{_MONTH})\s+(?P<day>{_DAYNUM}),?\s+(?P<year>{_YEAR4})"
        rf"|(?P<day2>{_DAYNUM})\s+(?P<month2>{_MONTH}),?\s+(?P<year2>{_YEAR4}))\b",
        h_full_date,
    ),
    Rule(
        "numeric_date",
        r"(?:(?P<iy>1[89]\d\d|20\d\d)-(?P<im>[01]\d)-(?P<id>[0-3]\d)"
        r"|(?P<na>\d{1,2})/(?P<nb>\d{1,2})/(?P<ny>\d{4}|\d\d))\b",
        h_numeric_date,
        0,
    ),
    Rule(
        "month_day",
        rf"{_E}(?:(?P<month>{_MONTH})\s+(?P<day>{_DAYNUM})|(?P<day2>{_DAYNUM})\s+(?:of\s+)?"
        rf"(?P<month2>{_MONTH}))"
        # not the start of a longer date ("Oct. 10, 1989"); a clock time may follow ("October 10, 12:00")
        r"\b(?!\s*(?:,\s*)?\d(?!\d?\s*(?:[:h.][0-5]\d|[ap]\.?m\b)))",
        h_month_day,
    ),
    Rule("month_year", rf"{_E}(?P<month>{_MONTH}),?\s+(?:of\s+)?(?P<year>{_YEAR})\b", h_month_year),
    Rule(
        "holiday",
        r"(?:(?P<rel>last|this|next)\s+)?(?:the\s+)?(?P<orthodox>orthodox\s+)?"
        r"(?P<holiday>christmas(?:\s+(?:day|eve))?|new\s+year['’]?s(?:\s+"
        r"(?:day|eve))?"
        r"|thanksgiving(?:\s+day)?|easter(?:\s+sunday)?|valentine['’]s\s+day|halloween)"
        rf"(?:,?\s+(?P<year>{_YEAR4}))?\b",
        h_holiday,
    ),
    Rule(
        "quarter",
        r"(?:(?P<rel>this\s+year['’]s|last\s+year['’]s|next\s+year['’]s|the)\s+)?"
        rf"(?:(?P<year2>{_YEAR4})\s+)?(?P<nth>first|second|third|fourth|1st|2nd|3rd|4th)[-\s]"
        rf"(?P<kind>quarter|half)"
        rf"(?:\s+of\s+(?:fiscal\s+)?(?P<year>{_YEAR4}))?\b",
        h_quarter,
    ),
    Rule(
        "the_quarter",
        r"the\s+(?:latest\s+|last\s+|most\s+recent\s+|current\s+|same\s+)?(?:fiscal\s+)?quarter\b"
        r"(?!\s+(?:of|century))",
        h_the_quarter,
    ),
    Rule(
        "season",
        rf"(?:{_E}(?:(?P<rel>last|this\s+past|this|next|the\s+past|the)\s+)|(?<=\bin\s)|(?<=\bduring\s)|"
        rf"(?<=\bby\s))"
        rf"(?P<season>{_SEASON[3:-1]})\b(?:\s+(?:of\s+)?(?P<year>{_YEAR4})\b)?"
        rf"|(?P<season2>{_SEASON[3:-1]})\s+(?:of\s+)?(?P<year2>{_YEAR4})\b",
        h_season,
    ),
    Rule(
        "decade",
        rf"(?:the\s+)?{_E}(?P<decade>(?:1[5-9]|20)\d0['’]?s|['’]\d0s|(?:twen|thir|for|fif|six|seven|eigh"
        rf"|nine)ties)\b",
        h_decade,
    ),
    Rule("century", rf"(?:the\s+)?{_E}(?P<nth>\d{{1,2}}(?:st|nd|rd|th))\s+century\b", h_century),
    Rule(
        "ago",
        rf"(?:(?P<mod>{_MOD})\s+)?(?P<num>{_NUM}|{_VAGUE})[-\s]+(?P<unit>{_UNIT})(?:\s+and\s+a\s+half)?"
        r"\s+(?P<dir>ago|earlier|later|previously|back|from\s+now|hence)\b",
        h_ago,
    ),
    Rule(
        "in_units",
        rf"in\s+(?P<num>{_NUM}|{_VAGUE})(?:\s*(?:to|-|–|or)\s*(?P<num2>{_NUM}))?\s+(?P<unit>(?:day|week"
        rf"|month|year)s?)"
        r"(?:['’]\s+time)?\b(?!\s+(?:of|ago)\b|-)",
        h_in_units,
    ),
    Rule(
        "relative_unit",
        rf"(?:(?:earlier|later)\s+(?=(?:this|last|next)\s))?(?P<x>{_E}(?P<rel>{_REL})\s+(?:fiscal\s+)?"
        r"(?:(?P<unit>week|month|year|decade|century|quarter)|weekend)\b)(?P<year_s>(?=['’]s))?",
        h_relative_unit,
    ),
    Rule(
        "the_year",
        r"the\s+(?:fiscal\s+|calendar\s+)?(?P<unit>year)\b(?!\s+(?:of|before|after|earlier|ago|in)\b|['’-])",
        h_set,
    ),
    Rule(
        "pod",
        r"(?:(?:early|late|mid)[-\s]?|the\s+)(?P<pod>morning|afternoon|evening)(?:\s+(?P<dayword>today"
        r"|yesterday|tomorrow))?"
        r"\b|(?P<pod2>overnight)\b",
        h_day_word,
    ),
    Rule(
        "spelled_year",
        r"(?P<high>nineteen|twenty)[-\s]+(?P<low>(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
        r"(?:[-\s](?:one|two|three|four|five|six|seven|eight|nine))?"
        r"|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)\b",
        h_spelled_year,
    ),
    Rule(
        "year_ago_adj",
        r"(?:(?:the|a)\s+)?year[-\s](?:ago|earlier)(?:\s+(?:quarter|period|levels?|results|figures?))?\b",
        h_year_ago_adjective,
    ),
    Rule(
        "anaphor",
        r"(?:(?:earlier|later)\s+(?:in\s+)?)?(?:that|the\s+same)\s+(?P<unit>day|week|month|year|quarter)\b",
        h_anaphor,
    ),
    # "earlier in the day", "during the day": the day last named; a bare "the day" is too often a noun.
    Rule("the_day", r"(?:(?:earlier|later)\s+in|during)\s+(?P<x>the\s+(?P<unit>day))\b", h_anaphor),
    Rule(
        "past_hour",
        r"the\s+(?:(?:past|previous)\s+(?P<unit>hour|minute)|last\s+(?P<unit2>hour))\b(?!\s+of\b|['’]s)",
        h_one_unit,
    ),
    Rule(
        "next_day",
        rf"(?:the\s+)?(?P<step>next|following|previous)\s+(?P<pod>day|{_POD[3:-1]})\b"
        r"|the\s+(?P<pod2>day|night)\s+before\b(?!\s+(?:yesterday|last|the|a|an|\w+day)\b)",
        h_next_day,
    ),
    Rule(
        "unit_edge",
        r"(?P<edge>the\s+(?:end|middle|beginning|start)\s+of)\s+the\s+(?P<unit>week|month|year|quarter)\b"
        r"|(?P<unit2>year|month)(?:['’]s)?[-\s]end\b",
        h_unit_edge,
    ),
    Rule("the_weekend", r"(?P<rel>the)\s+weekend\b", h_relative_unit),
    Rule(
        "day_word",
        rf"{_E}(?:(?P<dayword>today|yesterday|tomorrow|tonight)(?:\s+(?P<pod>{_POD}))?"
        r"|(?P<dayword2>last|this)\s+(?P<pod2>morning|afternoon|evening|night))\b",
        h_day_word,
    ),
    Rule(
        "weekday",
        rf"{_E}(?:(?P<rel>last|this|next|past|coming)\s+)?(?P<weekday>{_WEEKDAY})\b(?:\s+"
        rf"(?P<pod>{_POD[3:-1]})\b)?",
        h_weekday,
    ),
    Rule(
        "part_of_day",
        r"(?:(?:early|late)\s+)?(?P<edge>the\s+(?:early|late)\s+hours\s+of|(?:early|late)\s+on"
        r"|(?:early|late|the)\s+(?P<pod>morning|afternoon|evening|night)\s+of|(?P<pod2>dawn|dusk)\s+on)"
        rf"\s+(?:(?P<weekday>{_WEEKDAY})|(?P<month>{_MONTH})\s+(?P<day>{_DAYNUM})"
        rf"(?:,?\s+(?P<year>{_YEAR4}))?)\b",
        h_part_of_day,
    ),
    # Case-sensitive: a month on its own must be capitalised ("may" is a verb).
    Rule(
        "month",
        rf"{_E}(?:(?P<rel>[Ll]ast|[Tt]his|[Nn]ext)\s+)?(?P<month>January|February|March|April|May|June|July"
        rf"|August"
        r"|September|October|November|December|Jan\.|Feb\.|Aug\.|Sept\.|Oct\.|Nov\.|Dec\.)(?![-\w])"
        r"(?:\s+(?P<yrel>last|this|next)\s+year\b)?",
        h_month,
        0,
    ),
    Rule(
        "year",
        rf"(?<![$£€#\d.,])(?:fiscal\s+|{_E})?(?P<year>{_YEAR4})\b"
        r"(?![-,.]?\d|\s*%|\s+(?:people|percent|troops|men|women|soldiers|civilians|residents)\b)",
        h_year,
    ),
    Rule(
        "duration",
        rf"(?:(?:the|a|an|his|her|its|their|this|that)\s+)?(?:(?P<mod>{_MOD})\s+(?!the\b))?"
        r"(?:(?:the\s+)?(?:past|last|next|coming|previous|first|final|following|latest|additional|further"
        r"|another|more)\s+)?"
        rf"(?P<num>{_NUM}|{_VAGUE})(?:\s*(?:to|-|–|or)\s*(?P<num2>{_NUM}))?"
        rf"(?:\s+(?:more|additional|straight|consecutive|full|long))?[-\s]+(?P<unit>{_UNIT})"
        r"(?P<half>\s+and\s+a\s+half)?(?:-long)?\b(?![-\s]+(?:ago|earlier|later|old)\b)",
        h_duration,
    ),
    Rule(
        "half_duration",
        r"(?P<num>half)\s+an?\s+(?P<unit>hour|day|year|month|century|decade)\b",
        h_half_duration,
    ),
    Rule(
        "bare_plural",
        rf"(?:for|in|within|over)\s+(?P<x>(?:(?:few|several)\s+)?"
        rf"(?P<unit>{_PLURAL_UNITS})\b){_NOT_AN_OFFSET}",
        h_bare_plural,
    ),
    Rule(
        "vague_span",
        r"(?:recent|(?:the\s+)?(?:past|coming|next|last|following|early|recent))\s+(?:(?:few|several)\s+)?"
        rf"(?P<unit>{_PLURAL_UNITS})\b{_NOT_AN_OFFSET}(?:\s+ahead\b)?"
        rf"|(?P<unit2>{_PLURAL_UNITS})(?=\s+(?:after|before|later|earlier)\b|-long\b)",
        h_bare_plural,
    ),
    Rule(
        "set",
        r"(?:(?P<set>daily|weekly|monthly|nightly|hourly)|(?:every|each|per)\s+(?P<unit>day|week|month|year"
        r"|quarter|hour))"
        r"\b(?!\s+(?:ago|earlier|later|before|after|or)\b)",
        h_set,
    ),
    Rule(
        "ref",
        r"(?P<ref>now|currently|current|the\s+(?:near|short)\s+term|at\s+present|the\s+present|nowadays"
        r"|presently"
        r"|these\s+days|recently|the\s+past|lately|the\s+(?:near\s+|distant\s+)?future)\b(?!\s*-)",
        h_ref,
    ),
    Rule("clock", rf"(?P<clock>{_CLOCK})", h_clock),
    # "at 1200", "from 0600 hours": four digits after a preposition, when they cannot be a
    # year (or "hours" says so) and no noun follows ("at 1200 metres").
    Rule(
        "clock_at",
        r"(?:at|from|until|till|before|after|since)\s+(?P<x>"
        rf"(?P<clock>{_HHMM})\s+(?:hours|hrs)\b(?!\s+of\b)"
        rf"|(?!(?:1[89]|20)\d\d)(?P<clock2>(?:[01]\d|2[0-3])[0-5]\d){_ZONE_TAIL}?)"
        r"(?![-.,]?\d|\s*%|\s+(?-i:[a-z]))",
        h_clock,
    ),
    # "from 12 hours 00 minutes on October 10": statements translated word for word.
    Rule(
        "clock_words",
        r"(?:from|at|until|till|as\s+of)\s+[\"“]?(?P<x>(?P<hh>[01]?\d|2[0-3])\s+hours?\s+(?P<mm>[0-5]\d)"
        rf"\s+minutes?\b{_ZONE_TAIL}?)",
        h_clock,
    ),
)

# Every rule starts at a word start: the engine then rejects the positions
# inside words at once instead of trying each optional prefix there.
COMPILED: tuple[tuple[str, re.Pattern[str], Handler], ...] = tuple(
    (rule.name, re.compile(r"(?<!\w)(?:" + rule.pattern + ")", rule.flags), rule.handler) for rule in RULES
)
HANDLERS: dict[str, Handler] = {name: handler for name, _, handler in COMPILED}

# Rule order breaks ties between equally long matches: earlier rules are more specific.
_PRIORITY = {name: i for i, (name, _, _) in enumerate(COMPILED)}

# Separators that join a clock time and a day into one expression ("9 a.m. Tuesday", "Friday at 5 p.m.").
_JOINER = re.compile(r"\s*(?:,\s*|\s+on\s+|\s+at\s+|\s+)", re.IGNORECASE)
_DAY_RULES = frozenset({"weekday", "day_word", "month_day", "full_date", "weekday_date", "numeric_date"})
_CLOCK_RULES = frozenset({"clock", "clock_at", "clock_words"})
# A zone written after the day a clock time was joined with ("11am Sunday AEDT").
_ZONE_AFTER = re.compile(_ZONE_TAIL, re.IGNORECASE)
# A clock time and its equivalent in another zone in brackets: "midnight (2000 GMT, Saturday)".
_PARTNER_GAP = re.compile(r"\s*\(\s*")


# Every rule's match holds a digit or one of these word starts. One pass for
# them marks the windows worth the full grammar, so stretches of prose without
# any (and hostile input: a megabyte of spaces) cost one scan, not one per rule.
_TRIGGER = re.compile(
    r"\d|(?<!\w)(?:second|minute|hour|day|week|fortnight|month|quarter|year|decade|centur"
    r"|mon|tue|wed|thu|fri|sat|sun|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
    r"|today|tonight|yesterday|tomorrow|morning|afternoon|evening|night|overnight|dawn|dusk|noon"
    r"|mid(?:day|night)"
    r"|spring|summer|fall|autumn|winter|christmas|new\s+year|thanksgiving|easter|valentine|halloween"
    r"|now|current|present|recent|past|lately|future|term|daily|nineteen|twenty"
    r"|(?:twen|thir|for|fif|six|seven|eigh|nine)ties)",
    re.IGNORECASE,
)
# How far a match may reach before and after the trigger word in it (the longest
# prefix, "no more than the past several ", is under 40 characters; lookaheads
# read at most 15 past a match), with room to spare.
TRIGGER_REACH = 80


def _windows(text: str) -> list[tuple[int, int]]:
    """Merged text windows around every trigger."""
    windows: list[tuple[int, int]] = []
    for match in _TRIGGER.finditer(text):
        start, end = max(0, match.start() - TRIGGER_REACH), min(len(text), match.end() + TRIGGER_REACH)
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], end)
        else:
            windows.append((start, end))
    return windows


def find_candidates(text: str) -> list[Candidate]:
    """Every time expression the grammar finds, longest match first, without overlaps, in text order."""
    found: list[Candidate] = []
    for window_start, window_end in _windows(text):
        for name, pattern, _ in COMPILED:
            for match in pattern.finditer(text, window_start, window_end):
                start, end = _span(match, name)
                if end > start:
                    found.append(Candidate(start, end, name, match))
    found.sort(key=lambda c: (-(c.end - c.start), _PRIORITY[c.rule], c.start))
    taken: list[Candidate] = []
    used = bytearray(len(text) + 1)
    for cand in found:
        if any(used[cand.start : cand.end]):
            continue
        used[cand.start : cand.end] = b"\x01" * (cand.end - cand.start)
        taken.append(cand)
    taken.sort(key=lambda c: c.start)
    return merge_clock_times(taken, text)


def _span(match: re.Match[str], rule: str) -> tuple[int, int]:
    """The expression's span: the whole match, minus whitespace the bounded patterns let in."""
    start, end = match.span("x") if "x" in match.re.groupindex and match.group("x") else match.span()
    segment = match.string[start:end]
    start, end = start + len(segment) - len(segment.lstrip()), end - (len(segment) - len(segment.rstrip()))
    if rule == "duration" and match.group("unit") and not match.group("unit").lower().endswith("s"):
        lead = _DETERMINER.match(match.string, start, end)
        if lead and (match.group("num") or "").lower() not in ("a", "an"):
            start = lead.end()  # "the five-year war", "a 16-hour day": the article belongs to the noun
    if (
        rule == "quarter"
        and "-" in match.group(0)
        and match.group("rel")
        and match.group("rel").lower() == "the"
    ):
        start = match.start("nth")  # "the third-quarter results"
    return start, end


_DETERMINER = re.compile(
    r"(?:the|an?|his|her|its|their|this|that)\s+(?!(?:past|last|next|coming|previous|first|final"
    r"|following)\b)",
    re.IGNORECASE,
)


def merge_clock_times(cands: list[Candidate], text: str) -> list[Candidate]:
    """Join a clock time with the day next to it into one expression ("10 p.m. Tuesday").

    A zone written after the day joins too ("11am Sunday AEDT"), and a lone clock
    time followed by its equivalent in brackets keeps that one as its partner.
    """
    out: list[Candidate] = []
    for cand in cands:
        prev = out[-1] if out else None
        rules = {prev.rule, cand.rule} if prev is not None else set()
        if rules & _CLOCK_RULES and rules & _DAY_RULES:
            gap = text[prev.end : cand.start]
            if len(gap) <= 5 and _JOINER.fullmatch(gap):
                zone = _ZONE_AFTER.match(text, cand.end) if cand.rule in _DAY_RULES else None
                end = zone.end() if zone else cand.end
                out[-1] = Candidate(prev.start, end, "clock_day", None, [prev, cand])
                continue
        out.append(cand)
    for first, second in zip(out, out[1:]):
        if first.rule in _CLOCK_RULES and second.rule == "clock_day":
            if _PARTNER_GAP.fullmatch(text, first.end, second.start):
                first.parts = [second]
    return out


def resolve(cand: Candidate, ctx: Context) -> Resolved | None:
    """The TIMEX3 value of one candidate in its context (None when the words do not make a date)."""
    try:
        if cand.rule == "clock_day":
            return _resolve_clock_day(cand, ctx)
        return HANDLERS[cand.rule](cand.match, ctx)
    except (ValueError, KeyError, OverflowError, AttributeError, IndexError, TypeError):
        return None


def _resolve_clock_day(cand: Candidate, ctx: Context) -> Resolved | None:
    clock_part = next(p for p in cand.parts if p.rule in _CLOCK_RULES)
    day_part = next(p for p in cand.parts if p.rule not in _CLOCK_RULES)
    day = resolve(day_part, ctx)
    clock = resolve(clock_part, Context(None))
    if day is None or clock is None or clock.value is None:
        return day
    if day.value is None:
        return _unanchored("time")
    return Resolved(f"{day.value[:10]}{clock.value[len(UNKNOWN_DATE):]}", "time", mod=day.mod)


def _partner_day(cand: Candidate, ctx: Context) -> str | None:
    """The day of a clock time's bracketed partner ("midnight (2000 GMT, Saturday)"), if it has one."""
    if cand.rule not in _CLOCK_RULES or not cand.parts:
        return None
    partner = resolve(cand.parts[0], ctx)
    return _truncate(partner.value, "day") if partner and partner.value else None


def _clock_day(cand: Candidate, ctx: Context, clues: Clues, last_at: int) -> str | None:
    """The day a lone clock time is on: one named earlier in its sentence, its bracketed partner's,
    the last day the text named, or the publication day in the opening line (a dateline's time)."""
    if cand.rule not in _CLOCK_RULES:
        return None
    last = _truncate(ctx.last, "day") if ctx.last else None
    if last and last_at >= clues.sentence_start(cand.start):
        return last
    partner = _partner_day(cand, ctx)
    day = partner or last
    if day is None and ctx.anchor is not None and clues.sentence_start(cand.start) == 0:
        day = ctx.anchor.isoformat()
    if partner is None and day is not None and _past_midnight_of_publication(cand, ctx, day):
        # "the truce took effect at midnight" in a report of that day: the midnight it began with
        day = (date.fromisoformat(day) - timedelta(days=1)).isoformat()
    return day


def _past_midnight_of_publication(cand: Candidate, ctx: Context, day: str) -> bool:
    """Whether a lone "midnight" in a past clause is on the publication day only by default:
    what has already happened at midnight on that day happened at its start (TIMEX3 writes the
    instant as the day before at 24:00)."""
    return (ctx.tense == "past" and ctx.anchor is not None and day == ctx.anchor.isoformat()
            and clock_value(cand.match.group(0).strip()) == "24:00")


@dataclass(slots=True)
class Tagged:
    """A found and resolved time expression (the stage turns it into a ``TimeExpr``)."""

    start: int
    end: int
    text: str
    resolved: Resolved


def tag(text: str, published: str | date | None = None, tenses: TenseOf | None = None) -> list[Tagged]:
    """Find and resolve every time expression in ``text``.

    ``tenses(start, end)`` gives the tense of the clause around a span (the
    stage derives it from the parse). Expressions that resolve to nothing
    (February 30th) are dropped.
    """
    anchor = published if isinstance(published, date) else anchor_date(published)[0]
    return list(resolve_all(text, find_candidates(text), anchor, tenses))


# ---------------------------------------------------------------- which way a bare day points

# Tenses the stage gives beyond past|present|future, past for every rule: a past verb
# that governs the expression only through a noun ("suggested a truce from Friday", where
# the period a boundary word opens may lie ahead) or through an infinitive ("invited them
# to meet on March 12", "ordered troops to withdraw on Friday": the nearer such day).
EMBEDDED_PAST = "embedded_past"
PROSPECTIVE_PAST = "prospective_past"
_PASTS = frozenset({"past", EMBEDDED_PAST, PROSPECTIVE_PAST})
# How far before an expression a marker may stand ("is set to come into force along the
# entire front line at midnight on Friday" puts about 60 characters between them).
MARKER_REACH = 80
# How far before an expression a boundary word may stand ("starting from", "in the run-up to").
BOUNDARY_REACH = 30


def _phrases(words: list[str]) -> str:
    """Whole-word alternation of lexicon phrases; a clitic ("'ll") may follow a word directly."""
    lead = [w for w in words if w[:1].isalpha()]
    clitics = [w for w in words if not w[:1].isalpha()]
    parts = [r"(?<!\w)" + _alt(lead)] + ([_alt(clitics)] if clitics else [])
    return "(?:" + "|".join(parts) + r")(?!\w)"


_MARKER = re.compile(
    rf"(?P<plan>{_phrases(LEXICON['plan'])})"
    rf"|(?P<future>{_phrases(LEXICON['future'])}|(?<!\w)due\s+to\s+{_phrases(LEXICON['due_to_verbs'])})",
    re.IGNORECASE,
)
# A marker in the perfect looks back ("was supposed to have begun", "was due to have taken
# effect", "would have"), but not the future perfect ("will have withdrawn by Friday").
_PERFECT = re.compile(r"(?:\s+to)?\s+have\b", re.IGNORECASE)
_WILL = re.compile(r"will|['’]ll|shall", re.IGNORECASE)
# What ends a marker's clause before the expression.
_CLAUSE_BREAK = re.compile(
    r"[,;:—–(]|\s-\s"
    r"|(?<!\w)(?:where|when|which|who|whose|whom|while|because|although|though|whereas)(?!\w)",
    re.IGNORECASE,
)
_BOUNDARY = re.compile(
    _phrases(LEXICON["boundary"]) + r"\s+(?:on\s+|at\s+)?$", re.IGNORECASE  # not "from the Oct. 7 raid"
)
# Without a parse: sentence breaks, and the past forms that end a marker's reach.
_SENTENCE_BREAK = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z])|\n\s*")
_PAST_WORD = re.compile(r"(?<!\w)(?:was|were|had|did|said)(?!\w)", re.IGNORECASE)


@dataclass(slots=True)
class Clues:
    """Sentence starts and past-verb offsets, found once per text so no expression rescans it."""

    sentence_starts: list[int]
    past_verbs: list[int]

    @classmethod
    def from_text(cls, text: str) -> Clues:
        """Clues from the words alone (the stage gives better ones from the parse)."""
        starts = [0] + [m.end() for m in _SENTENCE_BREAK.finditer(text)]
        return cls(starts, [m.start() for m in _PAST_WORD.finditer(text)])

    def sentence_start(self, pos: int) -> int:
        index = bisect_right(self.sentence_starts, pos) - 1
        return self.sentence_starts[index] if index >= 0 else 0

    def past_between(self, start: int, end: int) -> bool:
        return bisect_left(self.past_verbs, start) < bisect_left(self.past_verbs, end)


def direction_of(text: str, start: int, end: int, clues: Clues, tense: str | None) -> str | None:
    """past|future|nearest|bounded when the words before ``start`` in its clause say which way a day points.

    The last marker in reach wins unless a past verb, a comma or dash, or a
    relative or subordinating word stands between it and the expression ("will ...
    said on Tuesday", "would appeal the decision, announced Wednesday", "would bring
    aid where the Aug. 7 blasts killed"): a schedule ("is due to", "will")
    points forward, a plan reported in the past ("was due to") to the nearer side
    and one in the perfect ("was supposed to have") back. A boundary word right
    before the day ("from", "until", "effective") points forward in a present or
    future clause and is "bounded" otherwise: a weekday stays in the past under
    a past verb that governs it ("fighting raged from Friday"), anything else goes
    to the nearer side ("ordered a truce from Friday", "extended the offer until
    Nov. 9"). None: the tense decides.
    """
    if text.startswith(("'s", "’s"), end):
        return None  # "Wednesday's ruling": a day that names a thing, not when the clause happens
    floor = max(clues.sentence_start(start), start - MARKER_REACH, 0)
    marker = None
    for marker in _MARKER.finditer(text, floor, start):
        pass
    if marker is not None and not _CLAUSE_BREAK.search(text, marker.end(), start) and not clues.past_between(
        marker.end(), start
    ):
        if _PERFECT.match(text, marker.end()) and not _WILL.fullmatch(marker.group(0)):
            return "past"
        return "nearest" if marker.group("plan") else "future"
    if _SINCE.search(text, max(floor, start - 8), start):
        return "past"
    if _BOUNDARY.search(text, max(floor, start - BOUNDARY_REACH), start):
        return "future" if tense in ("future", "present") else "bounded"
    return None


# What "a year earlier" and "the quarter" may lean on; comparisons themselves
# ("a year ago" after "the third quarter") never become the reference, so a
# chain of them does not drift a year further back each time.
_REFERENCE_GRANULARITIES = frozenset({"day", "part_of_day", "time", "month", "year", "week"})
_COMPARISONS = frozenset({"ago", "year_ago_adj"})
_SINCE = re.compile(r"\bsince\s+$", re.IGNORECASE)
_SOON_AS = re.compile(r"\bas\s+(?:soon|early)\s+as\s+$", re.IGNORECASE)


def resolve_all(
    text: str,
    cands: list[Candidate],
    anchor: date | None,
    tenses: TenseOf | None,
    clues: Clues | None = None,
) -> Iterator[Tagged]:
    """Resolve candidates in text order, each with its clause's tense and the last date named before it.

    ``clues`` (sentence starts, past verbs) are read from the words when the
    caller has no parse to give them.
    """
    ctx = Context(anchor)
    clues = clues if clues is not None else Clues.from_text(text)
    shared: dict[int, tuple[str | None, ...]] = {}  # a bracketed partner reads as its clock time
    last_at, prev = -1, None
    for cand in cands:
        if cand.start in shared:
            ctx.tense, ctx.clause, ctx.direction = shared.pop(cand.start)
        elif not (prev is not None and _RANGE_GAP.fullmatch(text, prev.end, cand.start)):
            _set_reading(ctx, text, cand, tenses, clues)  # the end of a range reads as its start
        prev = cand
        ctx.clock_day = _clock_day(cand, ctx, clues, last_at)
        if cand.parts and cand.rule in _CLOCK_RULES:
            shared[cand.parts[0].start] = (ctx.tense, ctx.clause, ctx.direction)
        resolved = resolve(cand, ctx)
        if resolved is None:
            continue
        if resolved.mod is None and _SINCE.search(text, max(0, cand.start - 8), cand.start):
            resolved.mod = "SINCE"
        if (
            resolved.value
            and resolved.value[:1].isdigit()
            and resolved.granularity in _REFERENCE_GRANULARITIES
            and cand.rule not in _COMPARISONS
        ):
            ctx.last, last_at = resolved.value, cand.start
            ctx.last_day = _truncate(resolved.value, "day") or ctx.last_day
        ctx.orthodox = ctx.orthodox or (cand.rule == "holiday" and bool(_g(cand.match, "orthodox")))
        yield Tagged(cand.start, cand.end, text[cand.start : cand.end], resolved)


_ZONE_IN = re.compile(_ZONE, re.IGNORECASE)


def zone_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The time-zone phrases inside the time expression at ``start:end`` ("Kyiv time" in "09:00 Kyiv time").

    The places layer skips them: a city named for its clock is not a place the report is about.
    """
    return [m.span() for m in _ZONE_IN.finditer(text, start, end)]


# Between the two ends of a range ("from noon Friday through midnight Saturday").
_RANGE_GAP = re.compile(r"\s*(?:-|–|to|until|till|through|and)\s*", re.IGNORECASE)


def _set_reading(ctx: Context, text: str, cand: Candidate, tenses: TenseOf | None, clues: Clues) -> None:
    """The clause's tense and the direction the words before the candidate give it."""
    raw = tenses(cand.start, cand.end) if tenses else None
    ctx.clause = raw
    ctx.tense = "past" if raw in _PASTS else raw
    ctx.direction = direction_of(text, cand.start, cand.end, clues, raw)
    if ctx.direction is None and raw == PROSPECTIVE_PAST:
        ctx.direction = "nearest"
    if ctx.direction == "future" or _SOON_AS.search(text, max(0, cand.start - 16), cand.start):
        ctx.tense = "future"
