"""Casualty events from counts of the dead and wounded, and the figures each event carries."""

from __future__ import annotations

from ...report import Event, Report
from .context import ClaimIndex, Context
from .fine import _below
from .lexicon import FATE_TO_TYPE, MAX_QUANTITY_PATH, TOLL_NOUNS, TOLL_UPDATE_VERBS
from .syntax import _in_range
from .triggers import Found


def _quantities_for(ctx: Context, item: Found, event_type: str) -> list[int]:
    """Counts the trigger governs whose fate fits the event type."""
    nodes = {item.token.i, item.anchor.i, *(t.i for t in item.extra)}
    sent = item.token.sent
    found: list[int] = []
    for i in _in_range(ctx.quantity_tokens, sent.start, sent.end):
        index = ctx.quantity_of[i]
        if index in found or not _fate_fits(ctx.report.quantities[index].status, event_type):
            continue
        if _below(ctx.doc[i], nodes, MAX_QUANTITY_PATH):
            found.append(index)
    return found


def _fate_fits(fate: str | None, event_type: str) -> bool:
    """A count without a fate, or one whose fate is this event's kind (killed -> KILL...)."""
    kind = FATE_TO_TYPE.get(fate or "")
    violent = {"ASSAULT", "KILL"}
    return fate is None or kind == event_type or event_type in violent and kind in violent


def _date_tolls_by_their_attack(ctx: Context, events: list[Event], sentence_of: dict[int, int]) -> None:
    """"The death toll from Monday's airstrikes rose to 21 on Wednesday": Wednesday dates the
    count, Monday the deaths. A toll that rises, climbs or reaches a figure takes the date of
    the attack its sentence names."""
    attack_of: dict[int, Event] = {}
    for event in events:
        if event.type == "ASSAULT" and event.date and event.date_source == "text":
            attack_of.setdefault(sentence_of[event.start], event)
    for event in events:
        if event.type != "KILL":
            continue
        span = ctx.doc.char_span(event.start, event.end, alignment_mode="expand")
        if span is None or not any(t.lemma_.lower() in TOLL_UPDATE_VERBS for t in span.sent) \
                or not any(t.lemma_.lower() in TOLL_NOUNS for t in span.sent):
            continue
        attack = attack_of.get(sentence_of[event.start])
        event.date, event.date_source = (attack.date, "text") if attack else (None, None)


def _annotate_quantities(report: Report, events: list[Event], claims: ClaimIndex) -> None:
    """Each count learns its claim, and a planned event's count its future fate ("to be evacuated")."""
    for quantity in report.quantities:
        claim = claims.innermost(quantity.start, quantity.end)
        quantity.claim_id = claim.id if claim is not None else None
    for event in events:
        for quantity in report.quantities_of(event):
            if event.status == "planned" and quantity.status and not quantity.status.startswith("to be"):
                quantity.status = f"to be {quantity.status}"
