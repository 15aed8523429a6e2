"""Dating events the text does not date: from their sentence, their paragraph or the publication."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict

from ...ontology import ceasefire_phase
from ...report import Event, Report
from ...timewindow import FORWARD_STATUSES, UNDATED_PAST_DAYS, UNDATED_TRUCE_DAYS, day_of, shift, window
from .context import Context, _in_earlier_event, _in_relative_clause
from .lexicon import PARAGRAPH_DAY_REACH, PARAGRAPH_LOOKBACK_SENTENCES, UNDATED


def _inherit_context_dates(ctx: Context, events: list[Event], sentence_of: dict[int, int]) -> None:
    """An undated past event takes its date from its context, nearest first, and says so:

    * "sentence": the date the text gives another event of its sentence, when that sentence
      gives only one ("agreed on Saturday to a truce that took effect at noon"), else the day
      of a time expression in the sentence outside the event's clause ("the ministry said on
      Sunday that enemy forces shelled the town": on or just before Sunday, dated Sunday);
    * "report": for a mention of a cease-fire agreement ("the ministers signed the truce in
      Moscow"), the one day the report gives that agreement or its start elsewhere;
    * "paragraph": the last day a sentence just before it in its paragraph gives, when that
      day is within a week of publication ("Strikes hit the town on Friday. Artillery also
      shelled the market.").
    Dates inside a relative clause ("the truce, which took effect on 27 November") or a phrase
    naming an earlier event ("crimes despite the signing of a deal on 2 November") belong to
    that clause or event and are never handed on. A planned or predicted event takes only a day of its
    sentence that is not before publication ("comes into effect when the truce expires, today
    2 June at 19:00"), else keeps its window."""
    donors = [e for e in events if e.date and e.date_source == "text" and day_of(e.date)
              and not _in_relative_clause(ctx, e.start, e.end) and not _in_earlier_event(ctx, e.start, e.end)]
    event_days: dict[int, set[str]] = defaultdict(set)
    for event in donors:
        event_days[sentence_of[event.start]].add(day_of(event.date))
    days = [(start, day) for start, day in _dated_times(ctx) if not _in_relative_clause(ctx, start, start + 1)
            and not _in_earlier_event(ctx, start, start + 1)]
    ahead = [(start, day) for start, day in _dated_times(ctx, ahead=True)
             if not _in_relative_clause(ctx, start, start + 1)]
    truce_day = _the_reports_truce_day(ctx.report, events)
    for event in events:
        if event.date is not None:
            continue
        if event.status in FORWARD_STATUSES:
            found = _sentence_day(ctx, ahead, event.start, sentence_of[event.start])
            if found is not None:
                event.date, event.date_source = found
            continue
        sentence = sentence_of[event.start]
        known = event_days.get(sentence, set())
        found = (next(iter(known)), "sentence") if len(known) == 1 else _sentence_day(ctx, days, event.start, sentence)
        if found is None and truce_day is not None and ceasefire_phase(event) == "agreed":
            found = truce_day, "report"
        if found is None:
            found = _paragraph_day(ctx, days, event, sentence_of)
        if found is None:
            continue
        day, basis = found
        if _pluperfect(ctx, event):  # "said on Thursday that militants had kidnapped": on or before it
            event.date_low, event.date_high, event.date_source = shift(day, -UNDATED_PAST_DAYS), day, basis
            event.date = day  # the likeliest day; the window says it is no more than that
        else:
            event.date, event.date_source = day, basis


def _the_reports_truce_day(report: Report, events: list[Event]) -> str | None:
    """The day the report gives its cease-fire's agreement or start, in their own clauses
    ("announced early on Saturday ... took effect at noon on Saturday"), when it gives only one
    (a truce and its renewal give two) and it is not after publication."""
    past = {"occurred", "reported"}
    days = {day_of(e.date) for e in events
            if ceasefire_phase(e) == "agreed" and e.status in past and e.date_source == "text"
            and e.date_low in (None, e.date_high)}
    days.discard(None)
    published = day_of(report.published)
    if len(days) != 1 or published is not None and min(days) > published:
        return None
    return days.pop()


def _pluperfect(ctx: Context, event: Event) -> bool:
    span = ctx.doc.char_span(event.start, event.end, alignment_mode="expand")
    if span is None:
        return False
    verb = span.root if span.root.pos_ in {"VERB", "AUX"} else span.root.head
    return any(c.dep_ == "aux" and c.lower_ in {"had", "'d"} for c in verb.children)


def _dated_times(ctx: Context, ahead: bool = False) -> list[tuple[int, str]]:
    """(offset, day) of every time expression that names a day no later than publication (with
    ``ahead``: no earlier than publication), in text order."""
    published = day_of(ctx.report.published)
    out = []
    for time in ctx.report.times:
        day = day_of(time.value) if time.granularity not in UNDATED else None
        if day and (published is None or (day >= published if ahead else day <= published)):
            out.append((time.start, day))
    return sorted(out)


def _days_between(days: list[tuple[int, str]], start: int, end: int) -> list[tuple[int, str]]:
    """The dated times in ``[start, end)``, found by bisection (``days`` is in text order), so that
    dating every event of a long report stays linear."""
    return days[bisect_left(days, (start, "")):bisect_left(days, (end, ""))]


def _sentence_day(ctx: Context, days: list[tuple[int, str]], at: int, sentence: int) -> tuple[str, str] | None:
    starts = ctx.sent_starts
    index = bisect_right(starts, sentence)
    sentence_end = starts[index] if index < len(starts) else len(ctx.report.text)
    in_sentence = sorted((abs(start - at), day) for start, day in _days_between(days, sentence, sentence_end))
    if in_sentence and len({day for _, day in in_sentence}) == 1:
        return in_sentence[0][1], "sentence"
    return None


def _paragraph_day(ctx: Context, days: list[tuple[int, str]], event: Event,
                   sentence_of: dict[int, int]) -> tuple[str, str] | None:
    starts = ctx.sent_starts
    sentence = sentence_of[event.start]
    index = bisect_right(starts, sentence)
    breaks_before = bisect_right(ctx.breaks, sentence)
    paragraph_start = ctx.breaks[breaks_before - 1] if breaks_before else 0
    first = max(paragraph_start, starts[max(0, index - 1 - PARAGRAPH_LOOKBACK_SENTENCES)] if starts else 0)
    earlier = [day for _, day in _days_between(days, first, sentence)]
    published = day_of(ctx.report.published)
    if earlier and published:
        day = earlier[-1]
        if day and shift(published, -PARAGRAPH_DAY_REACH) <= day <= published:
            return day, "paragraph"
    return None


def _bound_in_time(report: Report, events: list[Event]) -> None:
    """Every event gets the window it lies in and the basis of it: never silently undated
    where the report bounds it. A past event the text does not date is dated by the
    publication day, the likeliest day of its window (on the development reports, 17 of
    25 such events happened on it), with "published" as its basis so that no reader,
    and not the ledger, takes it for a date the text gives. A planned one keeps only its
    window ("after" publication): there is no likeliest day to give."""
    for event in events:
        if event.date_low is not None:  # bounded by its context already
            continue
        _, low, high = window(event.date, event.date_source, event.status, report.published)
        event.date_low, event.date_high = low, high
        if event.date is not None or low is None:
            continue
        if event.status in FORWARD_STATUSES:
            event.date_source = "bounded"
        elif ceasefire_phase(event) == "agreed":
            # a truce named in passing was agreed any time in the last weeks: no likeliest day
            event.date_low, event.date_source = shift(high, -UNDATED_TRUCE_DAYS), "bounded"
        else:
            event.date, event.date_source = high, "published"
