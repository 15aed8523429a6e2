"""The Jinja2 environment shared by every page: autoescaping on, and the few filters templates need."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi.templating import Jinja2Templates

from ..lang.en import ordered

# Search snippet markers: private-use characters that report text will not hold in practice;
# the template splits on them and escapes every part.
MARK_OPEN, MARK_CLOSE = "\ue000", "\ue001"
SNIPPET_WORDS = 24

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
STATIC_DIR = Path(__file__).resolve().parent / "static"

templates = Jinja2Templates(directory=TEMPLATE_DIR)
# Jinja2Templates autoescapes .html templates already; say so explicitly, as every page shows untrusted text.
templates.env.autoescape = True


def marked_parts(snippet: str | None) -> list[tuple[str, bool]]:
    """A search snippet as (text, is_match) parts; each part is escaped by the template."""
    parts: list[tuple[str, bool]] = []
    for i, chunk in enumerate((snippet or "").split(MARK_OPEN)):
        inside, _, after = chunk.partition(MARK_CLOSE) if i else ("", "", chunk)
        if inside:
            parts.append((inside, True))
        if after:
            parts.append((after, False))
    return parts


def figure_range(low: float | None, high: float | None) -> str:
    """A figure as people write it: ``12``, ``12–15``, ``12+`` or ``?``."""
    if low is None and high is None:
        return "?"
    if high is None:
        return f"{low:g}+"
    if low is None or low == high:
        return f"{high:g}"
    return f"{low:g}–{high:g}"


MONTH_ABBR = tuple(word.title() for word in ordered("calendar", "month_abbreviation"))
# TIMEX3 parts of a day and season codes, as people say them.
DAY_PARTS = {"MO": "morning", "MI": "midday", "AF": "afternoon", "EV": "evening", "NI": "night", "DT": "daytime"}
SEASONS = {"SP": "spring", "SU": "summer", "FA": "autumn", "WI": "winter"}
REFS = {"PRESENT_REF": "now", "PAST_REF": "in the past", "FUTURE_REF": "in the future"}
_TIMEX = re.compile(
    r"^(?P<y>\d{4}|XXXX)(?:-(?P<m>\d{2}|XX)(?:-(?P<d>\d{2}|XX))?)?"
    r"(?:T(?:(?P<part>MO|MI|AF|EV|NI|DT)|(?P<clock>\d{2}:\d{2})(?::\d{2})?))?$"
)
_WEEK = re.compile(r"^(?P<y>\d{4})-W(?P<w>\d{2})(?P<we>-WE)?$")
_SEASON = re.compile(r"^(?P<y>\d{4})-(?P<s>SP|SU|FA|WI|Q[1-4]|H[12])$")


def human_date(value: str | None) -> str:
    """A TIMEX3 value as people write it: ``2016-12-13TNI`` -> ``13 Dec 2016, night``; unknown forms unchanged."""
    if not value:
        return ""
    text = str(value)
    if text in REFS:
        return REFS[text]
    if found := _WEEK.match(text):
        return f"{'weekend of ' if found['we'] else ''}week {int(found['w'])}, {found['y']}"
    if found := _SEASON.match(text):
        code = found["s"]
        return f"{SEASONS.get(code, code)} {found['y']}"
    found = _TIMEX.match(text)
    if found is None:
        return text
    year, month, day = found["y"], found["m"], found["d"]
    if year == "XXXX" or month == "XX" or day == "XX":
        day_text = "day unknown" if found["part"] or found["clock"] else text
    elif day:
        try:
            day_text = f"{date(int(year), int(month), int(day)).day} {MONTH_ABBR[int(month) - 1]} {year}"
        except ValueError:
            return text
    elif month:
        day_text = f"{MONTH_ABBR[int(month) - 1]} {year}" if 1 <= int(month) <= 12 else text
    else:
        day_text = year
    extra = DAY_PARTS.get(found["part"] or "") or found["clock"]
    if extra and day_text == "day unknown":
        return f"{extra}, day unknown"
    return f"{day_text}, {extra}" if extra else day_text


def day_range(first: str | None, last: str | None, dash: str = "–") -> str:
    """Two days as one phrase: ``5–7 May 2019``, ``28 Nov – 3 Dec 2016``, or one day when they agree
    (``dash=" and "`` for "between 5 and 7 May 2019")."""
    if not first or not last or first == last:
        return human_date(first or last)
    a, b = human_date(first).split(" "), human_date(last).split(" ")
    if len(a) == 3 and len(b) == 3:
        if a[1:] == b[1:]:
            return f"{a[0]}{dash}{b[0]} {b[1]} {b[2]}"
        if a[2] == b[2]:
            return f"{a[0]} {a[1]}{' – ' if dash == '–' else dash}{b[0]} {b[1]} {b[2]}"
    return f"{human_date(first)}{' – ' if dash == '–' else dash}{human_date(last)}"


def when_label(day: str | None, window: Any = None, last: str | None = None) -> str:
    """When a ledger event happened, for people: its day(s), else the window the texts allow, else "date unknown"."""
    if day:
        return day_range(day, last) if last else human_date(day)
    low, high = (list(window or []) + [None, None])[:2]
    if low and high:
        return human_date(low) if low == high else f"between {day_range(low, high, ' and ')}"
    if high:
        return f"on or before {human_date(high)}"
    if low:
        return f"on or after {human_date(low)}"
    return "date unknown"


_ISO_DAY = r"\d{4}-\d{2}-\d{2}(?:T(?:MO|MI|AF|EV|NI|DT))?"
_ISO_SPAN = re.compile(rf"({_ISO_DAY})\.\.({_ISO_DAY})")
_ISO_ONE = re.compile(rf"\b{_ISO_DAY}\b")


def dates_in_words(text: str | None) -> str:
    """ISO days and day spans inside a phrase ('time window 2022-03-15..2022-03-16') as people write them."""
    text = _ISO_SPAN.sub(lambda m: day_range(m[1], m[2]), str(text or ""))
    return _ISO_ONE.sub(lambda m: human_date(m[0]), text)


def query_with(params: dict[str, Any], **changes: Any) -> str:
    """The current filters with some changed (pagination links keep the filters)."""
    merged = {k: v for k, v in {**params, **changes}.items() if v not in (None, "")}
    return "?" + urlencode(merged) if merged else "?"


templates.env.filters["marked_parts"] = marked_parts
templates.env.filters["figure_range"] = figure_range
templates.env.filters["path"] = lambda value: quote(str(value), safe="")
templates.env.globals["query_with"] = query_with
templates.env.filters["human_date"] = human_date
templates.env.filters["dates_in_words"] = dates_in_words
templates.env.globals["when_label"] = when_label
