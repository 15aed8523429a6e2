"""Finding triggers in a sentence: which words are events, and which verb realises a noun."""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from ...lang.en.triggers import Trigger, lookup, pos_class
from .lexicon import (
    AGREE_VERBS, AID_ARRIVAL_VERBS, AID_CARRIERS, AID_GOODS, AID_NOUNS, AIMED_PREPS, BLAME_HEADS, CAPTIVE_NOUNS, CASUALTY_VERBS, COLLAPSE_VERBS,
    COMPLEMENT_HEADS, CONTINUE_VERBS, DEMAND_HEADS, DETAIN_COMPLEMENTS, FIRED_THINGS, FORCE_NOUNS,
    HELD_EVENT_NOUNS, IN_FORCE_NOUNS, NONVIOLENT_OBJECTS, OFFICE_NOUNS, PACT_HEAD_NOUNS, PACT_PART_NOUNS,
    PERSON_NOUNS, PHASE_NOUNS, PLACE_NOUNS, PLANNED_HEADS, PRESUPPOSING_PREPS, PREVENT_HEADS,
    REALIZE_VERBS, RELEASED_THINGS, SENTENCE_REACH_TOKENS, STRIKE_TARGET_PREPS, SUBJECT_DEPS, TRUCE_KEEP_VERBS, TRUCE_START_VERBS, TRUCE_WORDS,
    VIOLATE_VERBS,
)
from .syntax import _child, _is_hyphen_compound, _phrase


@dataclass(slots=True)
class Found:
    """A trigger in a sentence, before it becomes an Event."""

    token: Token  # the trigger word
    anchor: Token  # the token whose clause carries status (the verb that realises a noun)
    entry: Trigger
    type: str
    mode: str | None
    extra: list[Token] = field(default_factory=list)  # coordinated triggers merged into it


def _light(token: Token, entry: Trigger, places: frozenset[int] = frozenset()) -> tuple[str, str | None] | None:
    """Type and mode of a light verb from its object ("hold" prisoners vs "hold" talks)."""
    lemma = token.lemma_.lower()
    obj = _child(token, {"dobj"})
    obj_lemma = obj.lemma_.lower() if obj is not None else ""
    passive = _child(token, {"auxpass"}) is not None
    if lemma == "hold":
        subj = _child(token, {"nsubjpass"}) or (_child(token.head, {"nsubj"}) if token.dep_ == "xcomp" else None)
        if subj is None and token.dep_ in {"acl", "relcl"}:
            subj = token.head  # "a meeting to be held in Moscow"
        if subj is not None and subj.lemma_.lower() in HELD_EVENT_NOUNS:
            return None  # "the meeting was held": the meeting is the event
        if passive:
            return "DETAIN", None
        complements = [c for c in token.children if c.dep_ in {"oprd", "xcomp", "dobj", "advmod", "acomp"}]
        if any(c.lemma_.lower() in DETAIN_COMPLEMENTS for c in complements):
            return "DETAIN", None  # "held hostage", "held them captive"
        return None
    if lemma in {"seize", "capture"}:
        target = obj if obj is not None else _child(token, {"nsubjpass"})
        if target is None:
            return None
        if target.lemma_.lower() in PLACE_NOUNS or target.i in places \
                or target.pos_ == "PROPN" and target.ent_type_ in {"GPE", "LOC", "FAC"}:
            return entry.type, entry.mode
        if target.ent_type_ == "PERSON" or target.lemma_.lower() in PERSON_NOUNS:
            return "DETAIN", None
        return None
    if lemma in {"talk", "speak"}:
        if token.tag_ == "NNS" and token.pos_ == "NOUN":
            return entry.type, entry.mode
        partner = [c for c in token.children if c.dep_ == "prep" and c.lower_ in {"to", "with"}]
        if partner and any(p.pos_ in {"PROPN", "NOUN"} and p.dep_ == "pobj" for c in partner for p in c.children):
            return entry.type, entry.mode
        return None
    if lemma == "exchange":
        return (entry.type, entry.mode) if obj_lemma in CAPTIVE_NOUNS or _counts_captives(obj) else None
    if lemma == "dismiss":  # "dismissed the offer" rejects it; "dismissed the minister" fires him
        target = obj if obj is not None else _child(token, {"nsubjpass"})
        participle = token.head if token.dep_ == "conj" else token  # "declared by Moscow but dismissed by Kyiv"
        if target is None and participle.dep_ in {"acl", "relcl"}:
            target = participle.head  # "the order, quickly dismissed by Kyiv"
        person = target is not None and (target.ent_type_ == "PERSON"
                                         or target.lemma_.lower() in PERSON_NOUNS | OFFICE_NOUNS)
        return None if target is None or person else (entry.type, entry.mode)
    if lemma in {"deliver", "grant", "provide", "send"}:
        aid = obj is not None and any(t.lemma_.lower() in AID_NOUNS for t in _phrase(obj))  # "25,000 tons of food aid"
        return (entry.type, entry.mode) if aid else None
    return entry.type, entry.mode


def _not_violent(token: Token, entry: Trigger) -> bool:
    """Violence verbs in their other senses: "struck a deal", "fired its chief executive",
    "hit by sanctions", "targets growth"."""
    if entry.type != "ASSAULT" or token.pos_ != "VERB":
        return False
    lemma = token.lemma_.lower()
    obj = _child(token, {"dobj"})
    obj_lemma = obj.lemma_.lower() if obj is not None else ""
    if obj_lemma in NONVIOLENT_OBJECTS:
        return True
    if lemma == "fire" and obj is not None:
        aimed = any(c.dep_ == "prep" and c.lower_ in AIMED_PREPS for c in token.children)
        return obj_lemma not in FIRED_THINGS and obj_lemma not in PLACE_NOUNS and not aimed
    if lemma in {"hit", "strike"}:
        agent = _child(token, {"agent"})
        by = _child(agent, {"pobj"}) if agent is not None else None
        subj = by if by is not None else _child(token, {"nsubj"})
        if subj is None or subj.lemma_.lower() in FORCE_NOUNS or subj.pos_ != "NOUN":
            return False  # names, pronouns and misparses keep the violent reading
        entry_of_subject = lookup(subj)
        return entry_of_subject is None or entry_of_subject.type not in {"ASSAULT", "KILL"}
    return False


def _counts_captives(obj: Token | None) -> bool:
    """ "exchanging hundreds of prisoners": the counted noun behind a vague count."""
    if obj is None:
        return False
    return any(t.lemma_.lower() in CAPTIVE_NOUNS for t in obj.subtree)


def _noun_anchor(token: Token, entry: Trigger, in_headline: bool, timed: set[int]) -> tuple[Token, str, str | None] | None:
    """For a noun trigger: the token that realises it, and its type and mode; None when it is
    only mentioned (a passing "the deal"). A conjunct ("shelling and airstrikes") stands
    where its first conjunct stands."""
    base = token
    while base.dep_ == "conj" and base.head != base:
        base = base.head
    if base.dep_ == "amod" and base.i > base.head.i:
        base = base.head  # "Artillery shelling ... continued" misparsed: the compound stands where its head stands
    if entry.kind == "truce":
        base = _pact_stand_in(base)
    head = base.head
    hl = head.lemma_.lower()
    dep = base.dep_
    prt = {c.lower_ for c in head.children if c.dep_ in {"prt", "advmod"}}
    if entry.kind in {"truce", "pact"} and dep == "pobj" and head.lower_ == "of" \
            and head.head.lemma_.lower() in PHASE_NOUNS:
        phase = head.head  # "the start of the ceasefire", "the signing of the deal"
        if phase.dep_ == "nsubj" and phase.head.lemma_.lower() in TRUCE_START_VERBS:
            phase = phase.head  # "the extension of the truce comes into effect": the verb carries it
        return (phase, "CEASEFIRE", "agreed") if entry.kind == "truce" else (phase, entry.type, entry.mode)
    if entry.kind == "truce" and dep == "dobj" and hl in TRUCE_KEEP_VERBS:
        return head, "CEASEFIRE", "agreed"
    if entry.kind == "truce":
        phrasal_ok = (hl != "fall" or "apart" in prt) and (hl != "break" or "down" in prt or dep == "nsubj")
        if dep in SUBJECT_DEPS and hl in COLLAPSE_VERBS and phrasal_ok:
            return head, "CEASEFIRE", "collapsed"
        if dep in {"dobj", "nsubjpass"} and hl in VIOLATE_VERBS:
            return head, "CEASEFIRE", "violated"
        if dep == "pobj" and head.head.lemma_.lower() in {"violation", "breach"}:
            return head.head, "CEASEFIRE", "violated"
        grand = head.head.lemma_.lower()
        if dep in {"dobj", "nsubjpass", "pobj"} and (hl in AGREE_VERBS or grand in AGREE_VERBS and dep == "pobj"):
            return head if dep != "pobj" else head.head, "CEASEFIRE", "agreed"
        if dep == "pobj" and head.lower_ == "under":
            return token, "CEASEFIRE", "agreed"  # "under this truce, all operations stop": it was agreed
        if dep == "pobj" and head.lower_ in PRESUPPOSING_PREPS:
            return token, "CEASEFIRE", "agreed"  # "a day after a ceasefire ... took effect", "despite the truce"
        if dep == "nsubj" and hl in TRUCE_START_VERBS:
            return head, "CEASEFIRE", "agreed"
        start = _child(head, {"xcomp"}) if hl == "suppose" and dep in SUBJECT_DEPS else None
        if start is not None and start.lemma_.lower() in TRUCE_START_VERBS:
            return start, "CEASEFIRE", "agreed"  # "the truce was supposed to start at noon"
        acl = next((c for c in token.children if c.dep_ == "acl" and c.lemma_.lower() in AGREE_VERBS), None)
        if acl is not None:
            return acl, "CEASEFIRE", "agreed"
        if dep == "dobj" and hl in DEMAND_HEADS | PLANNED_HEADS or dep == "pobj" and grand in DEMAND_HEADS:
            return token, "CEASEFIRE", "agreed"
        return (token, "CEASEFIRE", "agreed") if in_headline and dep in SUBJECT_DEPS else None
    if entry.kind == "pact":
        if dep in {"dobj", "nsubjpass"} and hl in VIOLATE_VERBS | {"violation", "breach"}:
            return head, "CEASEFIRE", "violated"  # "violating the deal": the report's truce (checked later)
        if dep == "pobj" and head.head.lemma_.lower() in {"violation", "breach"}:
            return head.head, "CEASEFIRE", "violated"
        if dep in {"dobj", "nsubjpass"} and hl in AGREE_VERBS:
            return head, entry.type, entry.mode
        if dep == "attr" and _child(head, {"expl"}) is not None:
            return head, entry.type, entry.mode
        acl = next((c for c in token.children if c.dep_ == "acl" and c.lemma_.lower() in AGREE_VERBS), None)
        if acl is not None:
            return acl, entry.type, entry.mode
        if any(c.i in timed and c.dep_ == "poss" for c in token.children):
            # "hailed Wednesday's breakthrough deal": one was made that day ("a 2018 deal" is background)
            return token, entry.type, entry.mode
        return None
    if entry.kind == "state":
        return token, entry.type, entry.mode
    if dep in SUBJECT_DEPS or dep == "attr" and _child(head, {"expl"}) is not None:
        return (head if hl in REALIZE_VERBS | CONTINUE_VERBS else token), entry.type, entry.mode
    if dep == "dobj" and hl in REALIZE_VERBS | PREVENT_HEADS | DEMAND_HEADS | PLANNED_HEADS:
        return token, entry.type, entry.mode
    if dep == "pobj":
        grand = head.head.lemma_.lower()
        blamed = head.head.dep_ == "dobj" and head.head.head.lemma_.lower() in BLAME_HEADS  # blamed X for it
        if head.lower_ in {"for", "of", "to"} and (grand in COMPLEMENT_HEADS or blamed):
            return token, entry.type, entry.mode
        if head.lower_ == "under" and grand in {"come", "be"}:
            return head.head, entry.type, entry.mode  # "the town came under rocket attacks"
        if head.lower_ in {"in", "during", "amid", "by"} and grand in CASUALTY_VERBS:
            return head.head, entry.type, entry.mode  # "wounded in the raid": one event
        if head.lower_ in PRESUPPOSING_PREPS:
            return token, entry.type, entry.mode  # "despite clashes overnight": they took place
        if head.lower_ == "with" and grand == "meet":
            return head.head, entry.type, entry.mode  # "the request met with rejection"
    if any(c.i in timed for t in (token, base) for c in t.children) or in_headline and dep in SUBJECT_DEPS:
        return token, entry.type, entry.mode
    return None


def _truce_takes_effect(verb: Token, sent: Span) -> bool:
    """"It came into effect", "which took effect": a truce starting whose subject is a pronoun
    standing for a truce named just before (a truce word or a phase of one as the subject is
    found from the noun)."""
    if verb.pos_ not in {"VERB", "AUX"} or verb.lemma_.lower() not in TRUCE_START_VERBS:
        return False
    took = any(c.dep_ == "dobj" and c.lemma_.lower() in IN_FORCE_NOUNS for c in verb.children)
    into = any(c.dep_ == "prep" and c.lower_ == "into" and any(g.lemma_.lower() in IN_FORCE_NOUNS for g in c.children)
               for c in verb.children)
    subject = _child(verb, {"nsubj", "nsubjpass"})
    if subject is None and verb.dep_ == "conj":
        # "The ceasefire was announced on Saturday and took effect at noon": the shared subject
        subject = _child(verb.head, {"nsubj", "nsubjpass"})
        if subject is not None and (took or into) and subject.lemma_.lower() in TRUCE_WORDS:
            return True
    if not (took or into) or subject is None:
        return False
    if subject.pos_ != "PRON" and subject.tag_ not in {"WDT", "WP"}:
        return False
    before = verb.doc[max(0, sent.start - SENTENCE_REACH_TOKENS):verb.i]
    return any(t.lemma_.lower() in TRUCE_WORDS for t in before)


def _pact_stand_in(noun: Token) -> Token:
    """The noun that stands where a truce word does: "a ceasefire agreement" (the agreement),
    "the terms of the truce" (the terms)."""
    if noun.dep_ == "compound" and noun.head.lemma_.lower() in PACT_HEAD_NOUNS:
        noun = noun.head
    prep = noun.head
    if noun.dep_ == "pobj" and prep.lower_ == "of" and prep.head.lemma_.lower() in PACT_PART_NOUNS:
        noun = prep.head
    return noun


def _find(sent: Span, headline: tuple[int, int], timed: set[int], places: frozenset[int] = frozenset()) -> list[Found]:
    """Triggers in one sentence; a question asserts nothing, so it has none. ``places``: the tokens
    the places stage read as places ("seized Goma" is a capture even where the tagger says person)."""
    found: list[Found] = []
    if sent.text.rstrip().endswith("?"):
        return found
    for token in sent:
        if token.is_punct or token.like_num or _is_hyphen_compound(token) and token.lemma_.lower() != "besiege":
            continue
        if _truce_takes_effect(token, sent):
            found.append(Found(token, token, TRUCE_START_TRIGGER, "CEASEFIRE", "agreed"))
            continue
        if _damage_by_weapons(token):
            found.append(Found(token, token, DAMAGE_TRIGGER, "ASSAULT", None))
            continue
        if _deadly_strike(token):
            found.append(Found(token, token.head.head, STRIKE_TRIGGER, "ASSAULT", None))
            continue
        if _strike_on_a_target(token, places):
            realised = _noun_anchor(token, STRIKE_TRIGGER, headline[0] <= token.idx < headline[1], timed)
            found.append(Found(token, realised[0] if realised else token, STRIKE_TRIGGER, "ASSAULT", None))
            continue
        if _aid_arrival(token):
            found.append(Found(token, token, AID_ARRIVAL_TRIGGER, "AID", None))
            continue
        entry = lookup(token)
        if entry is None:
            continue
        in_headline = headline[0] <= token.idx < headline[1]
        cls = pos_class(token)
        if entry.kind == "light" and cls == "V" or token.lemma_.lower() in {"talk", "speak"}:
            typed = _light(token, entry, places)
            if typed is None:
                continue
            found.append(Found(token, token, entry, typed[0], typed[1]))
        elif cls == "N" or entry.kind in {"pact", "truce"}:
            realised = _noun_anchor(token, entry, in_headline, timed)
            if realised is not None:
                found.append(Found(token, realised[0], entry, realised[1], realised[2]))
        elif not _not_violent(token, entry) and not _met_with_a_response(token) and not _released_thing(token):
            found.append(Found(token, token, entry, entry.type, entry.mode))
    return _merge(found)


def _damage_by_weapons(noun: Token) -> bool:
    """ "The damage caused by Russian rockets in Kramatorsk": harm that weapons did is an attack."""
    if noun.pos_ != "NOUN" or noun.lemma_.lower() not in {"damage", "destruction"}:
        return False
    for acl in (c for c in noun.children if c.dep_ == "acl" and c.lemma_.lower() == "cause"):
        for agent in (c for c in acl.children if c.dep_ == "agent"):
            doer = _child(agent, {"pobj"})
            if doer is not None and doer.lemma_.lower() in FIRED_THINGS | FORCE_NOUNS:
                return True
    return False


def _deadly_strike(noun: Token) -> bool:
    """ "Killed in the Russian strike": a strike people died in is an attack. The noun alone is
    no trigger (a labour strike, "struck a deal"), but in this slot it has no other sense."""
    if noun.pos_ != "NOUN" or noun.lemma_.lower() != "strike" or noun.dep_ != "pobj":
        return False
    prep = noun.head
    return prep.lower_ in {"in", "during", "by"} and prep.head.lemma_.lower() in CASUALTY_VERBS


def _strike_on_a_target(noun: Token, places: frozenset[int]) -> bool:
    """ "Reported strikes on the Helta heights", "strikes against Hezbollah positions": a strike
    aimed at a place or a position is an attack (a labour strike is on a day or over pay)."""
    if noun.pos_ != "NOUN" or noun.lemma_.lower() != "strike":
        return False
    for prep in (c for c in noun.children if c.dep_ == "prep" and c.lower_ in STRIKE_TARGET_PREPS):
        aim = _child(prep, {"pobj"})
        if aim is not None and (aim.i in places or aim.lemma_.lower() in PLACE_NOUNS
                                or aim.ent_type_ in {"GPE", "LOC", "FAC"}
                                or any(c.i in places for c in aim.children if c.dep_ == "compound")):
            return True
    return False


def _aid_arrival(verb: Token) -> bool:
    """ "Fuel ships arrived in the port", "a convoy of trucks carrying medicine reached Mekele":
    a carrier of aid arriving, where the goods are named (a "military convoy" is not aid)."""
    if verb.pos_ != "VERB" or verb.lemma_.lower() not in AID_ARRIVAL_VERBS:
        return False
    subject = _child(verb, {"nsubj"})
    if subject is None or subject.lemma_.lower() not in AID_CARRIERS:
        return False
    return any(t.lemma_.lower() in AID_GOODS for t in subject.subtree)


def _released_thing(verb: Token) -> bool:
    """ "A statement released on Sunday", "the army released footage": a thing made public, not
    captives freed."""
    if verb.lemma_.lower() != "release":
        return False
    patient = _child(verb, {"dobj", "nsubjpass"}) or (verb.head if verb.dep_ in {"acl", "relcl", "amod"} else None)
    return patient is not None and patient.lemma_.lower() in RELEASED_THINGS


def _met_with_a_response(verb: Token) -> bool:
    """ "The request met with rejection", "was met with protests": a response, not a meeting
    (the response noun is the event)."""
    if verb.lemma_.lower() != "meet":
        return False
    for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ == "with"):
        obj = _child(prep, {"pobj"})
        entry = lookup(obj) if obj is not None else None
        if entry is not None and entry.type != "CONSULT":
            return True
    return False


def _merge(found: list[Found]) -> list[Found]:
    """Coordinated triggers of one type ("shelling and airstrikes") are one event, and so
    are a noun and the verb that realises it ("airstrikes hit")."""
    kept: list[Found] = []
    by_anchor: dict[tuple[str, int], Found] = {}
    by_token: dict[tuple[str, int], Found] = {}
    for item in found:
        kind = item.type
        conj_head = by_token.get((kind, item.token.head.i)) if item.token.dep_ == "conj" else None
        partner = (conj_head or by_anchor.get((kind, item.anchor.i)) or by_anchor.get((kind, item.token.i))
                   or by_token.get((kind, item.anchor.i)))
        if partner is None:
            kept.append(item)
            by_anchor.setdefault((kind, item.anchor.i), item)
            by_token.setdefault((kind, item.token.i), item)
            continue
        partner.extra.append(item.token)
        if item.mode and item.mode != partner.mode:
            partner.mode = f"{partner.mode}/{item.mode}" if partner.mode else item.mode
    return kept

CASUALTY_TRIGGER = Trigger("KILL", None, "ATTACK", "event")

TRUCE_START_TRIGGER = Trigger("CEASEFIRE", "agreed", "AGREEMENT", "truce")

AID_ARRIVAL_TRIGGER = Trigger("AID", None, "AID", "event")

STRIKE_TRIGGER = Trigger("ASSAULT", None, "ATTACK", "event")

DAMAGE_TRIGGER = Trigger("ASSAULT", None, "ART_MISS_ATTACK", "event")
