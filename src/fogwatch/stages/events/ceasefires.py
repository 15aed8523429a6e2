"""Cease-fire specifics: brokers, agreements that make truces, and their places."""

from __future__ import annotations

from collections import defaultdict

from spacy.tokens import Token

from ...actordict import lookup as lookup_actor
from ...actordict import side_key
from ...lang.en import words
from ...report import Event, Named
from .arguments import _actor_of_phrase
from .context import Context
from .lexicon import BROKER_NOUNS, BROKER_VERBS, FIGHTING_WORDS, STOP_WORDS, TRUCE_WORDS
from .syntax import _child
from .triggers import Found


def _brokers(ctx: Context, item: Found) -> list[str]:
    """Who brokered or mediated the agreement in the trigger's sentence: "brokered by X",
    "X-brokered", "X, which brokered the deal", "X brokered", "under the mediation of X"."""
    names: list[str] = []
    for tok in item.token.sent:
        lemma = tok.lemma_.lower()
        if lemma in BROKER_VERBS and tok.pos_ in {"VERB", "ADJ"}:
            names += _broker_of_verb(ctx, tok)
        elif lemma in BROKER_NOUNS and tok.pos_ == "NOUN":
            of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ in {"of", "by"}), None)
            pobj = _child(of, {"pobj"}) if of is not None else None
            names += _actor_of_phrase(ctx, pobj) if pobj is not None else []
            names += [ctx.actor_of[c.i] for c in tok.children if c.dep_ in {"poss", "compound"} and c.i in ctx.actor_of]
    return list(dict.fromkeys(names))


def _broker_of_verb(ctx: Context, verb: Token) -> list[str]:
    agent = _child(verb, {"agent"})
    pobj = _child(agent, {"pobj"}) if agent is not None else None
    if pobj is not None:
        return _actor_of_phrase(ctx, pobj)
    hyphened = [c for c in verb.children if c.dep_ in {"npadvmod", "compound", "amod", "nmod"} and c.i < verb.i]
    if verb.i >= 2 and verb.doc[verb.i - 1].text == "-":
        hyphened.append(verb.doc[verb.i - 2])
    named = [_name_of(ctx, c) for c in hyphened]  # "UN-brokered", "U.S.-mediated"
    if any(named):
        return list(dict.fromkeys(n for n in named if n))
    subject = _child(verb, {"nsubj"})
    if subject is not None and subject.lower_ in {"which", "who", "that"} and verb.dep_ == "relcl":
        subject = verb.head  # "Qatar and Egypt, which brokered the deal"
    return _actor_of_phrase(ctx, subject) if subject is not None else []


def _name_of(ctx: Context, token: Token) -> str | None:
    """The actor a token names: from the actors layer, else the dictionary (the actors layer
    leaves out the first half of a hyphenated word such as "UN-brokered")."""
    if token.i in ctx.actor_of:
        return ctx.actor_of[token.i]
    if token.pos_ != "PROPN":
        return None
    entry = lookup_actor(token.text)
    return entry.name if entry is not None else None


def _join_ceasefire_family(ctx: Context, events: list[Event], sentence_of: dict[int, int]) -> None:
    """An agreement in a sentence about a cease-fire is that cease-fire's agreement; its brokers
    and parties are the cease-fire's."""
    by_sentence: dict[int, list[Event]] = defaultdict(list)
    for event in events:
        by_sentence[sentence_of[event.start]].append(event)
    for event in events:
        if event.type != "AGREE" or "CEASEFIRE" in event.also_types:
            continue
        sentence = ctx.doc.char_span(sentence_of[event.start], event.end, alignment_mode="expand")
        sent = sentence.sent if sentence is not None else None
        words = {t.lemma_.lower() for t in sent} if sent is not None else set()
        same = [e for e in by_sentence[sentence_of[event.start]] if e.type == "CEASEFIRE" and e.mode == "agreed"]
        if words & TRUCE_WORDS or words & STOP_WORDS and words & FIGHTING_WORDS or same:
            event.also_types.append("CEASEFIRE")
            for other in same:
                other.brokers = other.brokers or [Named(b.name) for b in event.brokers]
            _place_as_ceasefire(ctx, event, same)


def _place_as_ceasefire(ctx: Context, event: Event, same: list[Event]) -> None:
    """An agreement to cease fire holds where its cease-fire does: the place of the cease-fire
    in its sentence, else the report's main place (unless the text says where it was signed)."""
    if event.place_id is not None:
        return
    placed = next((e for e in same if e.place_id is not None), None)
    if placed is not None:
        event.place_id, event.place, event.place_source = placed.place_id, placed.place, placed.place_source
    elif ctx.theatre_place is not None:
        place = ctx.report.places[ctx.theatre_place]
        event.place_id, event.place, event.place_source = place.id, place.name, "report"


def _link_agreements(events: list[Event]) -> None:
    """Every mention of the report's truce that names fewer of its parties ("the truce taking
    effect from midday", "Armenia accepted the truce") takes the parties of the mention that
    names the most of them ("a truce between Armenia and Azerbaijan"): a report's truce binds
    the same sides throughout. Only the truce's making counts, on both ends: a violation is
    done by one side, and a truce that someone demands is the asker's act, not the parties'."""
    making = [e for e in events if _makes_the_truce(e)]
    if not making:
        return
    fullest = max(making, key=lambda e: len(_sides(e)))  # max keeps the first of equals
    parties = _sides(fullest)
    if not parties:
        return
    for event in making:
        sides = _sides(event)
        if sides < parties:
            named = {side_key(a.name) or a.name for a in event.actors}
            event.actors += [Named(a.name) for a in fullest.actors if (side_key(a.name) or a.name) not in named]


def _makes_the_truce(event: Event) -> bool:
    truce = event.type == "CEASEFIRE" or event.type == "AGREE" and "CEASEFIRE" in event.also_types
    return truce and event.mode in ("agreed", None) and event.status not in ("demanded", "denied")


def _sides(event: Event) -> frozenset[str]:
    """The sides an event's actors stand for (a state for its leaders and forces)."""
    return frozenset(side_key(a.name) or a.name for a in event.actors)


def _truce_or_pact(events: list[Event]) -> None:
    """A violated "deal" is the report's cease-fire only when the report has one; otherwise it
    is a broken agreement of another kind, and not an event of its own."""
    if any(e.type == "CEASEFIRE" and e.mode != "violated" for e in events):
        return
    events[:] = [e for e in events if not (e.type == "CEASEFIRE" and e.mode == "violated"
                                            and not TRUCE_WORDS & set(e.text.lower().replace("-", " ").split()))]
