"""One trigger into one Event: type, status, arguments, fine type and figures."""

from __future__ import annotations

from spacy.tokens import Token

from ...ontology import HOSTILE_TYPES, PUBLIC_ACT_TYPES, acled_name
from ...report import Event, Named
from .arguments import _arguments, _claim_status, _date, _place, _span
from .casualties import _quantities_for
from .ceasefires import _brokers
from .context import Context
from .fine import _fine
from .lexicon import (
    ATTACK_INSTRUMENTS, CASUALTY_VERBS, SUBJECT_DEPS, TRUCE_START_VERBS,
)
from .modality import _ordered, modality
from .triggers import CASUALTY_TRIGGER, Found


def _build_event(ctx: Context, item: Found) -> Event | None:
    status = modality(item.anchor, item.token, ctx.breaks, ctx.headline[0] <= item.token.idx < ctx.headline[1],
                      public_act=item.type in PUBLIC_ACT_TYPES)
    if status is None:
        return None
    event_type = item.type
    participle = item.token.tag_ in {"VBN", "JJ"} and item.token.dep_ in {"amod", "acl"}
    if event_type == "BESIEGE" and status == "occurred" and participle:
        status = "ongoing"  # "besieged villages": a siege still in place
    if event_type == "CEASEFIRE" and status == "demanded" and _ordered(item.anchor):
        status = "planned"  # "Putin ordered his troops to observe a ceasefire": decided, not asked for
    if event_type == "CEASEFIRE" and item.mode == "agreed" and status == "predicted":
        status = "planned"  # "the truce will take effect at midnight": scheduled by the deal, not forecast
    start, end = _span(item, ctx.breaks)
    claim = ctx.claims.innermost(start, end)
    status = _claim_status(ctx.report, claim, status, item.token, item.anchor, item.type in PUBLIC_ACT_TYPES)
    if event_type == "CEASEFIRE" and item.mode == "agreed" and status in {"ongoing", "reported"} \
            and _scheduled_start(item.anchor):
        status = "planned"  # "the extension comes into effect when the truce expires": the deal's timetable
    agents, targets = _arguments(ctx, item)
    brokers = _brokers(ctx, item) if event_type in {"CEASEFIRE", "AGREE"} else []
    agents = [a for a in agents if a not in brokers]
    hostile = event_type in HOSTILE_TYPES or event_type == "CEASEFIRE" and item.mode in {"violated", "collapsed"}
    if not agents and hostile and claim is not None and claim.kind in {"blame", "assertion", "denial"}:
        agents = [t.name for t in claim.targets]  # the one the claim pins the act on
    date, date_source = _date(ctx, item)
    place_index, place_source = _place(ctx, item, event_type)
    fine = _fine(ctx, item, event_type)
    also: list[str] = []
    if event_type == "KILL":
        also.append("ASSAULT")
    if fine == "AGREEMENT" and event_type == "CEASEFIRE":
        also.append("AGREE")
    return Event(
        start=start,
        end=end,
        type=event_type,
        status=status,
        text=ctx.report.text[start:end],
        mode=_instrument_mode(item) if event_type == "ASSAULT" else item.mode,
        acled=acled_name(fine),
        date=date,
        date_source=date_source,
        place=ctx.report.places[place_index].name if place_index is not None else None,
        place_id=ctx.report.places[place_index].id if place_index is not None else None,
        actors=[Named(a) for a in agents],
        targets=[Named(t) for t in targets],
        claim_id=claim.id if claim is not None else None,
        quantity_ids=[ctx.report.quantities[i].id for i in _quantities_for(ctx, item, event_type)],
        also_types=also,
        place_source=place_source,
        brokers=[Named(b) for b in brokers],
    )


def _casualty_events(ctx: Context, events: list[Event]) -> list[Event]:
    """KILL events for counts of the killed or dead that no killing already carries (an attack
    or a wounding that carries one, "left several people dead or wounded", does not say it)."""
    linked = {q for e in events if e.type == "KILL" for q in e.quantity_ids}
    out: list[Event] = []
    for index, quantity in enumerate(ctx.report.quantities):
        if quantity.id in linked or quantity.status not in {"killed", "dead"}:
            continue
        span = ctx.doc.char_span(quantity.start, quantity.end, alignment_mode="expand")
        if span is None:
            continue
        head = span.root
        anchor = head.head if head.dep_ in SUBJECT_DEPS | {"dobj"} else head
        found = Found(head, anchor, CASUALTY_TRIGGER, "KILL", None)
        event = _build_event(ctx, found)
        if event is None:
            continue
        if found.anchor.lemma_.lower() not in CASUALTY_VERBS:
            event.start, event.end = quantity.start, quantity.end  # "Dozens of dead bodies"
        event.start, event.end = min(event.start, quantity.start), max(event.end, quantity.end)
        event.text = ctx.report.text[event.start : event.end]
        event.quantity_ids = [quantity.id]
        out.append(event)
    return out


def _scheduled_start(anchor: Token) -> bool:
    """A truce's start in the simple present ("comes into effect at 19:00", "begins at midnight"):
    the timetable of a deal, not a report of the past ("holds" is a state, not a start)."""
    lemma = anchor.lemma_.lower()
    if lemma not in TRUCE_START_VERBS or lemma == "hold" or anchor.tag_ not in {"VBZ", "VBP"}:
        return False
    return not any(c.dep_ in {"aux", "auxpass"} for c in anchor.children)


def _instrument_mode(item: Found) -> str | None:
    """An attack's mode from the weapon that is its subject ("Israeli tanks struck six areas":
    heavy weapons), where the trigger says no more than an attack or gunfire ("struck", "fired")."""
    if item.mode not in {None, "firearms"} or item.anchor.pos_ not in {"VERB", "AUX"}:
        return item.mode
    subject = next((c for c in item.anchor.children if c.dep_ == "nsubj"), None)
    if subject is None:
        return item.mode
    for tok in (subject, *(c for c in subject.children if c.dep_ == "compound")):
        mode = ATTACK_INSTRUMENTS.get(tok.lemma_.lower())
        if mode is not None:
            return mode
    return item.mode

