"""The events layer: what happened (or was planned, demanded, prevented...), typed in
PLOVER plus fogwatch's conflict extensions, with its arguments and its modality.

How it reads:
1. Triggers come from a lexicon (``data/events_triggers.tsv``) of verb and noun lemmas,
   looked up by lemma and by two-word keys ("air strike", "cease fire", "call for").
   Nouns only become events when the sentence realises them (a subject, the object of a
   realising verb, dated, under a modality cue, or in the headline): "the deal" as a
   passing reference is not a new agreement.
2. Status comes from the dependency path above the trigger: negation and if-clauses
   drop the event (PLOVER excludes negated events; an unasserted condition is not an
   event), modal auxiliaries and governing verbs give planned / demanded / prevented /
   denied / predicted, a governing speech verb or a claim around the trigger gives
   reported, progressive aspect or "since" gives ongoing, else occurred.
3. Arguments: agents and targets from the actors layer through the parse, the date
   from the time expression governing the trigger's clause, the place from the clause
   or sentence, else the report's main place for events that happen somewhere
   (violence, evacuations, sieges...), and counts from the quantities layer.
   ``place_source`` says which: "text" (the clause or sentence names it), "anaphor"
   ("the villages" pointing back to the villages named just before) or "report" (the
   report's main place: the most mentioned place, settlements and headline counting
   double, continued by a sentence that names none).

The package, by job: ``lexicon`` (word groups and thresholds), ``syntax`` (parse helpers),
``triggers``, ``modality``, ``context`` (what is computed once per report), ``arguments``,
``dating``, ``fine`` (ACLED/CASE fine types), ``casualties``, ``ceasefires``, and ``build``
(one trigger into one Event); this module runs them over a report.
"""

from __future__ import annotations

from bisect import bisect_right

from ...lang.en.triggers import load_triggers
from ...pipeline import register_stage
from ...report import Event, Report
from .build import _build_event, _casualty_events
from .casualties import _annotate_quantities, _date_tolls_by_their_attack
from .ceasefires import _join_ceasefire_family, _link_agreements, _truce_or_pact
from .context import Context, _context
from .dating import _bound_in_time, _inherit_context_dates
from .fine import classify_fine, fine_scores, load_fine_cues
from .triggers import _find

__all__ = ["EventsStage", "classify_fine", "find_events", "fine_scores"]


def find_events(report: Report) -> list[Event]:
    """Every event in a parsed report whose other layers are assigned (they may be empty)."""
    if report.doc is None or not report.text.strip():
        return []
    ctx = _context(report)
    events: list[Event] = []
    places = frozenset(ctx.place_tokens)
    for sent in ctx.doc.sents:
        for item in _find(sent, ctx.headline, ctx.timed, places):
            if item.type == "AGREE" and item.entry.kind == "pact" and any(e.type == "CEASEFIRE" for e in events):
                item.type, item.mode = "CEASEFIRE", "agreed"  # the cease-fire the report is about
            event = _build_event(ctx, item)
            if event is not None:
                events.append(event)
    events += _casualty_events(ctx, events)
    events.sort(key=lambda e: (e.start, e.end))
    sentence_of = _sentence_index(ctx, events)
    _truce_or_pact(events)
    _join_ceasefire_family(ctx, events, sentence_of)
    _date_tolls_by_their_attack(ctx, events, sentence_of)
    _inherit_context_dates(ctx, events, sentence_of)
    _link_agreements(events)
    _bound_in_time(report, events)
    _annotate_quantities(report, events, ctx.claims)
    return events


def _sentence_index(ctx: Context, events: list[Event]) -> dict[int, int]:
    """The sentence (by its start offset) of each event's start offset."""
    starts = ctx.sent_starts
    return {e.start: starts[max(0, bisect_right(starts, e.start) - 1)] if starts else 0 for e in events}


@register_stage
class EventsStage:
    name = "events"
    requires = ("chrome", "doc", "actors", "times", "places", "quantities", "claims")
    assigns = ("events", "quantities")  # it fills in each figure's claim and status

    def __init__(self) -> None:
        load_triggers()
        load_fine_cues()

    def __call__(self, report: Report) -> None:
        report.events = find_events(report)
        report.refer_to_actors(n for e in report.events for n in (*e.actors, *e.targets, *e.brokers))
