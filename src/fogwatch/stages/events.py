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
"""

from __future__ import annotations

import csv
import json
import re
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from ..actordict import lookup as lookup_actor
from ..attribution import OWNED_NOUNS
from ..ontology import FALLBACK_FINE, acled_name
from ..paths import PACKAGE_DATA
from ..lang.en import words
from ..lang.en.triggers import Trigger, load_triggers, lookup, pos_class
from ..pipeline import register_stage
from ..report import Event, Named, Quantity, Report
from ..timewindow import FORWARD_STATUSES, UNDATED_PAST_DAYS, UNDATED_TRUCE_DAYS, day_of, shift, window

FINE_CUES_FILE = PACKAGE_DATA / "events_fine_cues.tsv"
WORDS_FILE = PACKAGE_DATA / "events_words.json"


def _load_words() -> dict[str, frozenset[str]]:
    """The cease-fire and casualty word groups (data/events_words.json), each a set of lemmas."""
    data = json.loads(WORDS_FILE.read_text(encoding="utf-8"))
    return {key: frozenset(words) for key, words in data.items() if key != "about"}


_WORDS = _load_words()

# Heads that set the modality of an event in their complement.
PLANNED_HEADS = words("planning_verbs", "planned")
DEMAND_HEADS = frozenset({
    "seek", "demand", "call", "urge", "ask", "request", "insist", "press", "push", "appeal",
    "want", "need", "require", "order", "plead", "suggest", "propose",
})
PREVENT_HEADS = frozenset({
    "refuse", "decline", "prevent", "block", "stop", "halt", "thwart", "hinder", "obstruct", "delay", "derail",
    "postpone", "suspend", "cancel", "fail", "preclude", "impede", "foil", "avert", "bar", "ban",
})
DENY_HEADS = frozenset({"deny", "refute", "dismiss", "reject"})
PREDICT_HEADS = frozenset({
    "expect", "predict", "forecast", "anticipate", "fear", "warn", "likely", "hope", "believe",
    "estimate", "project", "threaten",
})
SPEECH_HEADS = words("speech_verbs", "governs_report")
SPEECH_NOUNS = frozenset({"report", "claim", "allegation", "account", "rumour", "rumor", "word", "news"})
MODAL_STATUS: dict[str, str] = {
    "will": "planned", "shall": "planned", "'ll": "planned", "wo": "planned",
    "would": "predicted", "could": "predicted", "might": "predicted", "may": "predicted",
    "must": "demanded", "should": "demanded",
}
NEGATIVE_DETERMINERS = frozenset({"no", "neither"})
NEGATIVE_PRONOUNS = frozenset({"nobody", "none", "nothing", "noone"})
CONDITION_MARKS = frozenset({"if", "unless", "whether"})
ONGOING_ADVERBS = frozenset({
    "currently", "still", "now", "continuously", "ongoing", "frequently", "often", "regularly",
    "routinely", "usually", "repeatedly", "daily", "constantly",
})
CONTINUE_VERBS = frozenset({"continue", "persist", "rage", "intensify", "remain", "resume", "keep", "escalate"})
# Verbs that make an event noun happen ("carried out airstrikes", "an agreement was reached").
REALIZE_VERBS = frozenset({
    "carry", "launch", "conduct", "stage", "take", "reach", "sign", "strike", "broker", "announce",
    "conclude", "seal", "begin", "start", "continue", "resume", "hold", "mount", "unleash", "intensify",
    "occur", "happen", "report", "implement", "make", "have", "see", "witness", "order", "kill",
    "hit", "target", "destroy", "cause", "allow", "permit", "complete", "finish", "end", "approve",
    "commit", "register", "record", "document", "confirm",
})
COLLAPSE_VERBS = frozenset({"collapse", "fall", "break", "crumble", "fail", "unravel", "end", "falter", "founder"})
VIOLATE_VERBS = frozenset({"violate", "break", "breach", "flout", "undermine"})
AGREE_VERBS = frozenset({
    "agree", "reach", "sign", "broker", "announce", "declare", "implement", "negotiate", "strike",
    "establish", "seal", "conclude", "accept", "mediate",
})
TRUCE_START_VERBS = frozenset({"hold", "begin", "start", "take", "come", "go", "enter"})
# Who brokers a deal is not a party to it: "brokered by X", "X-mediated", "under the auspices of X".
BROKER_VERBS = _WORDS["broker_verbs"]
BROKER_NOUNS = _WORDS["broker_nouns"]
# Nouns that stand for the pact they belong to: "the terms of the truce", "a ceasefire agreement".
PACT_PART_NOUNS = _WORDS["pact_part_nouns"]
PACT_HEAD_NOUNS = _WORDS["pact_head_nouns"]
# An undated event takes a day from at most this many sentences before it in its paragraph,
# and only a day at most this many days before publication (older days are background).
PARAGRAPH_LOOKBACK_SENTENCES = 3
PARAGRAPH_DAY_REACH = 7
# Nouns for a phase of a truce or pact: "the start of the ceasefire", "the signing of the deal".
PHASE_NOUNS = _WORDS["phase_nouns"]
# Verbs that keep a truce in force: "ordered his troops to observe a ceasefire".
TRUCE_KEEP_VERBS = _WORDS["truce_keep_verbs"]
# How far back (in tokens, from the start of its sentence) "it took effect" looks for its truce.
SENTENCE_REACH_TOKENS = 40
# "took effect", "came into force": a truce (or a phase of one) starting.
IN_FORCE_NOUNS = _WORDS["in_force_nouns"]
# Heads under which a demanded cease-fire is a decision of the one who gives the order.
ORDER_HEADS = _WORDS["order_heads"]
# Prepositions whose object is a side of a deal or fight, not a place it happens in.
PARTY_PREPS = _WORDS["party_preps"]
SUPPORT_NOUNS = _WORDS["support_nouns"]
# A toll that rises or reaches a figure: the date in its clause dates the count, not the deaths.
TOLL_NOUNS = _WORDS["toll_nouns"]
TOLL_UPDATE_VERBS = _WORDS["toll_update_verbs"]
# An agreement to stop fighting is one to cease fire: "agreed to a halt of all offensive
# operations", "agree to end fighting"; so is a peace deal in a conflict's reporting.
STOP_WORDS = _WORDS["stop_words"]
FIGHTING_WORDS = _WORDS["fighting_words"]
# Words that make an agreement one to cease fire.
TRUCE_WORDS = _WORDS["truce_words"]
# Heads whose "for/of/to" complement is a real (if unrealised) event: "called for a truce".
# Verbs whose "for"/"of" object is the act someone is blamed for ("blamed rebels for the attack").
BLAME_HEADS = frozenset({"blame", "accuse", "responsible", "accountable", "condemn", "criticize", "criticise"})
COMPLEMENT_HEADS = (
    DEMAND_HEADS | PLANNED_HEADS | PREVENT_HEADS | SPEECH_NOUNS | OWNED_NOUNS | BLAME_HEADS | {"allow", "permit", "report"}
)
CASUALTY_VERBS = frozenset({"kill", "die", "injure", "wound", "destroy", "damage", "hurt"})
PLACE_NOUNS = frozenset({
    "town", "city", "village", "territory", "area", "base", "district", "neighborhood", "neighbourhood",
    "region", "control", "airport", "hill", "position", "province", "stronghold", "border", "crossing",
    "checkpoint", "road", "highway", "port", "island", "capital", "suburb", "outpost", "garrison",
})
AID_NOUNS = frozenset({
    "aid", "food", "supply", "assistance", "medicine", "relief", "fuel", "water", "asylum", "loan",
    "grant", "credit", "weapon", "arm",
})
HELD_EVENT_NOUNS = words("held_event_nouns")
TALK_NOUNS = frozenset({"talk", "meeting", "discussion", "negotiation", "summit", "consultation", "conversation"})
DETAIN_COMPLEMENTS = frozenset({"captive", "hostage", "prisoner", "incommunicado"})
PERSON_NOUNS = frozenset({
    "soldier", "fighter", "civilian", "people", "person", "man", "woman", "child", "hostage", "journalist",
})
# People by office: "dismissed the defence minister" removes someone, it rejects nothing.
OFFICE_NOUNS = _WORDS["office_nouns"]
# Who a state acts through: "the foreign ministries of Armenia and Azerbaijan said" names a side,
# not a scene, with the offices above.
INSTITUTION_NOUNS = _WORDS["institution_nouns"] | OFFICE_NOUNS
# Objects that turn a violence verb into another sense ("struck a deal", "targets growth").
NONVIOLENT_OBJECTS = frozenset({
    "deal", "agreement", "accord", "bargain", "compromise", "balance", "tone", "note", "chord", "record",
    "pose", "nerve", "jackpot", "growth", "inflation", "revenue", "rate",
})
# "fired at", "opened fire on": aimed at someone or somewhere, so violent whatever the object.
# Prepositions whose object happened: "amid heavy shelling", "despite clashes".
PRESUPPOSING_PREPS = frozenset({"amid", "amidst", "despite"})
AIMED_PREPS = frozenset({"at", "on", "upon", "toward", "towards", "into"})
FIRED_THINGS = frozenset({
    "rocket", "missile", "shell", "mortar", "shot", "bullet", "round", "gas", "teargas", "salvo", "volley",
    "weapon", "gun", "artillery", "projectile", "grenade", "flare", "warning", "cannon", "ammunition",
})
# Who or what strikes in the violent sense: weapons and armed forces.
FORCE_NOUNS = frozenset({
    "airstrike", "strike", "shell", "missile", "rocket", "bomb", "drone", "jet", "warplane", "aircraft",
    "helicopter", "artillery", "mortar", "gunman", "gunmen", "militant", "rebel", "troop", "soldier",
    "force", "army", "militia", "fighter", "insurgent", "attacker", "bullet", "grenade", "explosion",
    "blast", "sniper", "tank", "navy", "police", "bomber", "assailant", "jihadist", "terrorist", "raid",
})
CAPTIVE_NOUNS = frozenset({"prisoner", "detainee", "captive", "hostage", "body", "remains", "soldier", "fighter", "inmate"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"})
CLAUSE_BOUNDARIES = frozenset({"advcl", "relcl", "ROOT", "parataxis", "conj"})
# Event types that happen at a place, so a sentence without a place of its own continues
# the report's main place; diplomatic and verbal events do not (a phone call between
# two presidents does not happen in the besieged city the report is about).
LOCATED_TYPES = frozenset({
    "ASSAULT", "KILL", "EVACUATE", "BESIEGE", "DETAIN", "CEASEFIRE", "PROTEST", "COERCE",
    "MOBILIZE", "RETREAT", "AID",
})
LOCATIVE_PREPS = frozenset({"in", "at", "near", "inside", "outside", "within", "across", "throughout"})
# Places too large to be a scene: "fighting in the Middle East" says little about where.
NO_SCENE_FEATURES = frozenset({"continent"})
ARGUMENT_DEPS = frozenset({"dobj", "nsubj", "nsubjpass"})
RELATIVE_TAGS = frozenset({"WDT", "WP", "WP$"})  # which, who, whose
# Places that are areas a truce can hold over (a village the text names is a scene in one).
AREA_FEATURES = frozenset({"country", "admin1", "region"})
FINE_FEATURES = frozenset({"city", "town", "village", "neighbourhood", "neighborhood", "admin3", "admin2", "locality"})
SETTLEMENT_NOUNS = words("settlement_nouns", "anaphor")
DEFINITE = frozenset({"the", "these", "those"})
# How many sentences back "the villages" may point for its antecedent place.
ANAPHORA_SENTENCES = 2
# Subjects or objects longer than this (tokens) are cut to their head in an event's span,
# so a span stays the words of the event rather than a whole relative clause.
MAX_ARG_TOKENS = 8
MAX_WALK = 8
BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")
# Claims whose content starts at or before a span that are checked for holding it, nearest
# first: contents nest a few deep at most, so the innermost is always among the nearest.
CLAIM_CANDIDATES = 64
# Tokens visited below each clause node when looking for a governing time expression.
MAX_TIME_SEARCH = 300
# How many infinitive clauses up a missing subject is looked for ("set out to try to attack").
CONTROL_DEPTH = 3
# A count belongs to an event when it is at most this many dependency steps below the
# trigger ("killed" -> "civilians" -> "82" is two; four allows "of"-phrases and conjuncts).
MAX_QUANTITY_PATH = 4
# Prepositions that, on a noun, date another happening, not the event: "the first pause since
# the invasion in February 2022", "the worst losses since the attack on Monday" (on the event's
# own verb they bound it: "fighting continued until Tuesday").
RELATIVE_TIME_PREPS = _WORDS["relative_time_preps"]
# Time expressions that do not date an event ("for three days", "now").
UNDATED = frozenset({"duration", "present", "unknown"})
FATE_TO_TYPE: dict[str, str] = {
    "killed": "KILL", "dead": "KILL", "executed": "KILL", "evacuated": "EVACUATE", "held": "DETAIN",
    "detained": "DETAIN", "arrested": "DETAIN", "besieged": "BESIEGE", "abducted": "ASSAULT",
    "injured": "ASSAULT", "wounded": "ASSAULT",
}
STATUS_RANK: dict[str, int] = {"occurred": 0, "ongoing": 1, "reported": 2}


@dataclass(slots=True)
class Found:
    """A trigger in a sentence, before it becomes an Event."""

    token: Token  # the trigger word
    anchor: Token  # the token whose clause carries status (the verb that realises a noun)
    entry: Trigger
    type: str
    mode: str | None
    extra: list[Token] = field(default_factory=list)  # coordinated triggers merged into it


def _child(token: Token, deps: set[str] | frozenset[str]) -> Token | None:
    return next((c for c in token.children if c.dep_ in deps), None)


def _is_hyphen_compound(token: Token) -> bool:
    """ "rebel-held", "Iran-backed": a modifier, not an event."""
    if token.dep_ not in {"amod", "compound", "npadvmod"}:
        return False
    return any(c.text in {"-", "‐"} for c in token.lefts) or token.i > 0 and token.doc[token.i - 1].text in {"-", "‐"}


def _light(token: Token, entry: Trigger) -> tuple[str, str | None] | None:
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
        if target.lemma_.lower() in PLACE_NOUNS or target.pos_ == "PROPN" and target.ent_type_ in {"GPE", "LOC", "FAC"}:
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
        if target is None and token.dep_ in {"acl", "relcl"}:
            target = token.head  # "the order, quickly dismissed by Kyiv"
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
        return (acl, entry.type, entry.mode) if acl is not None else None
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


def _ordered(anchor: Token) -> bool:
    """Whether the first demand above ``anchor`` is an order (not a call, a plea or a request)."""
    for head in list(anchor.ancestors)[:MAX_WALK]:
        lemma = head.lemma_.lower()
        if lemma in DEMAND_HEADS:
            return lemma in ORDER_HEADS
    return False


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


def _find(sent: Span, headline: tuple[int, int], timed: set[int]) -> list[Found]:
    """Triggers in one sentence; a question asserts nothing, so it has none."""
    found: list[Found] = []
    if sent.text.rstrip().endswith("?"):
        return found
    for token in sent:
        if token.is_punct or token.like_num or _is_hyphen_compound(token) and token.lemma_.lower() != "besiege":
            continue
        if _truce_takes_effect(token, sent):
            found.append(Found(token, token, TRUCE_START_TRIGGER, "CEASEFIRE", "agreed"))
            continue
        entry = lookup(token)
        if entry is None:
            continue
        in_headline = headline[0] <= token.idx < headline[1]
        cls = pos_class(token)
        if entry.kind == "light" and cls == "V" or token.lemma_.lower() in {"talk", "speak"}:
            typed = _light(token, entry)
            if typed is None:
                continue
            found.append(Found(token, token, entry, typed[0], typed[1]))
        elif cls == "N" or entry.kind in {"pact", "truce"}:
            realised = _noun_anchor(token, entry, in_headline, timed)
            if realised is not None:
                found.append(Found(token, realised[0], entry, realised[1], realised[2]))
        elif not _not_violent(token, entry):
            found.append(Found(token, token, entry, entry.type, entry.mode))
    return _merge(found)


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


# ---------------------------------------------------------------- status


def _negated(token: Token) -> bool:
    """ "did not attack", "no evacuations", "without firing", "nobody was killed"."""
    if any(c.dep_ == "neg" for c in token.children):
        return True
    if any(c.dep_ == "det" and c.lower_ in NEGATIVE_DETERMINERS for c in token.children):
        return True
    for arg in (c for c in token.children if c.dep_ in {"nsubj", "nsubjpass", "dobj"}):
        if arg.lower_ in NEGATIVE_PRONOUNS or any(c.lower_ in NEGATIVE_DETERMINERS for c in arg.children if c.dep_ == "det"):
            return True
    return token.dep_ == "pcomp" and token.head.lower_ == "without"


def modality(anchor: Token, trigger: Token, breaks: list[int], in_headline: bool = False) -> str | None:
    """Status from the path above ``anchor``; None when the event is negated or hypothetical.
    ``breaks`` are the offsets of the report's blank lines (see ``paragraph_breaks``)."""
    if _negated(trigger) and trigger != anchor:
        return None
    if trigger.dep_ == "amod" and trigger == anchor:
        return "ongoing"  # "besieged districts": a state the sentence presupposes
    if trigger == anchor and _purpose_clause(trigger) and not _negated(trigger):
        return "planned"  # purpose: "travelled to Riyadh to discuss a truce"
    if trigger == anchor and trigger.dep_ in {"acl", "relcl"} and _infinitive(trigger):
        return "planned"  # what a noun is for: "a cease-fire to evacuate civilians"
    if trigger == anchor and any(c.dep_ in {"acl", "relcl"} and _infinitive(c) for c in trigger.children):
        return "planned"  # "a meeting to be held in Moscow", "talks to take place" (not "a truce to ... collapsed")
    cur = anchor
    from_dep = ""
    for step in range(MAX_WALK):
        if _negated(cur):
            return None
        marks = {c.lower_ for c in cur.children if c.dep_ == "mark"}
        if marks & CONDITION_MARKS:
            return None
        governed = _governing_status(cur, from_dep) if step else None
        if governed is not None:
            return governed
        for aux in (c for c in cur.children if c.dep_ in {"aux", "auxpass"}):
            if aux.lower_ in MODAL_STATUS:
                return MODAL_STATUS[aux.lower_]
            if aux.lower_ == "to" and cur.head.lemma_.lower() == "be" and cur.dep_ == "xcomp":
                return "planned"  # "were to be evacuated"
        if "before" in marks and cur.tag_ in {"VBP", "VBZ"}:
            return "planned"  # "before first evacuations take place"
        if any(c.dep_ == "advmod" and c.lower_ == "reportedly" for c in cur.children):
            return "reported"
        if cur.head == cur or cur.dep_ in CLAUSE_BOUNDARIES and cur.dep_ != "conj" or _across_paragraphs(cur, cur.head, breaks):
            break
        if _participle_on_noun(cur):
            break  # "the order, quickly dismissed by Kyiv": the noun does not govern what befell it
        from_dep = cur.dep_
        cur = cur.head
    return _aspect(anchor, trigger, in_headline)


def _participle_on_noun(tok: Token) -> bool:
    """A past participle describing a noun ("the order, dismissed by Kyiv"): a clause of its own."""
    return tok.dep_ == "acl" and tok.tag_ == "VBN" and tok.head.pos_ in {"NOUN", "PROPN"}


def _infinitive(verb: Token) -> bool:
    return verb.tag_ in {"VB", "VBN"} and any(c.lower_ == "to" and c.dep_ == "aux" for c in verb.children)


def _purpose_clause(verb: Token) -> bool:
    """An infinitive adverbial clause: "... to discuss a truce"."""
    return verb.tag_ == "VB" and verb.dep_ == "advcl" and any(c.lower_ == "to" and c.dep_ == "aux" for c in verb.children)


def paragraph_breaks(text: str) -> list[int]:
    """Offsets of the blank lines that separate paragraphs, in order."""
    return [m.start() for m in BLANK_LINE.finditer(text)]


def _across_paragraphs(a: Token, b: Token, breaks: list[int]) -> bool:
    """A dependency across a blank line (headline to lede) is a parser error, not grammar."""
    lo, hi = sorted((a.idx, b.idx))
    return bisect_left(breaks, hi) > bisect_left(breaks, lo)


def _governing_status(cur: Token, from_dep: str) -> str | None:
    """The status a head word gives the event in its complement (not its subject, nor a
    coordinated sibling event)."""
    lemma = cur.lemma_.lower()
    xcomp = _child(cur, {"xcomp"})
    if from_dep in SUBJECT_DEPS and lemma == "be" and xcomp is not None and _infinitive(xcomp):
        return "planned"  # "the meeting is to be held"
    if from_dep in SUBJECT_DEPS and xcomp is not None:
        # Raising: "evacuations were set to begin", "the talks failed to start".
        for heads, status in ((PREVENT_HEADS, "prevented"), (PREDICT_HEADS, "predicted"), (PLANNED_HEADS, "planned")):
            if lemma in heads:
                return status
    if from_dep in SUBJECT_DEPS or from_dep == "conj":
        return None
    for heads, status in ((PREVENT_HEADS, "prevented"), (DENY_HEADS, "denied"), (DEMAND_HEADS, "demanded"),
                          (PREDICT_HEADS, "predicted"), (PLANNED_HEADS, "planned")):
        if lemma in heads:
            return status
    if lemma in SPEECH_HEADS or lemma in SPEECH_NOUNS and cur.pos_ == "NOUN":
        return "reported"
    return None


def _aspect(anchor: Token, trigger: Token, in_headline: bool) -> str:
    """Ongoing for progressive, continuing, habitual or present-tense events (a headline's
    present tense reports the past), else occurred."""
    verb = anchor if anchor.pos_ in {"VERB", "AUX"} else trigger.head
    if verb.tag_ in {"VBP", "VBZ"} and not in_headline and verb == anchor and not _child(verb, {"aux", "auxpass"}):
        return "ongoing"
    auxes = {c.lower_ for c in verb.children if c.dep_ in {"aux", "auxpass"}}
    if verb.tag_ == "VBG" and auxes & {"is", "are", "am", "was", "were", "been", "be", "'re", "'s"}:
        return "ongoing"
    if "being" in auxes or verb.lemma_.lower() in CONTINUE_VERBS:
        return "ongoing"
    for tok in (verb, trigger):
        if any(c.lower_ in ONGOING_ADVERBS for c in tok.children if c.dep_ == "advmod"):
            return "ongoing"
        if any(c.dep_ == "prep" and c.lower_ == "since" for c in tok.children):
            return "ongoing"
    return "occurred"


# ---------------------------------------------------------------- arguments


def _token_index(doc: Doc, spans: list[tuple[int, int]]) -> dict[int, int]:
    """Token index -> index of the span (layer item) that covers it."""
    out: dict[int, int] = {}
    for index, (start, end) in enumerate(spans):
        span = doc.char_span(start, max(end, start + 1), alignment_mode="expand")
        if span is None:
            continue
        for tok in span:
            out.setdefault(tok.i, index)
    return out


@dataclass
class Context:
    """What the events stage needs to know about a report, computed once per report."""

    report: Report
    doc: Doc
    actor_of: dict[int, str]
    time_of: dict[int, int]
    place_of: dict[int, int]
    quantity_of: dict[int, int]
    headline: tuple[int, int]
    main_place: int | None
    theatre_place: int | None = None  # where the report's cease-fire holds: its most-named region or country
    timed: set[int] = field(default_factory=set)  # tokens of usable time expressions
    sent_starts: list[int] = field(default_factory=list)  # start offsets of the sentences, in order
    place_tokens: list[int] = field(default_factory=list)  # sorted token indices covered by places
    quantity_tokens: list[int] = field(default_factory=list)
    settlement_tokens: list[int] = field(default_factory=list)  # "the villages", "the town"
    sentence_fine: dict[int, str | None] = field(default_factory=dict)  # weapon context per sentence
    claims: ClaimIndex | None = None
    breaks: list[int] = field(default_factory=list)  # blank-line offsets


def _headline(report: Report) -> tuple[int, int]:
    """The headline: a first line without final punctuation, before the first sentence."""
    text = report.analysis_text
    pos = 0
    paragraphs = 0
    while pos < len(text) and paragraphs < 3:
        end = text.find("\n", pos)
        end = len(text) if end == -1 else end
        line = text[pos:end].strip()
        if line:
            if paragraphs == 0 and line[-1:] not in ".!?\"”’":
                return pos, end
            if line[-1:] in ".!?\"”’":
                break
            paragraphs += 1
        pos = end + 1
    return 0, 0


def _main_place(ctx: Context, coarse: bool = False) -> int | None:
    """The place the report is about: most mentioned as a place where things are (not "Russia
    said", "Armenian forces", the dateline), settlements over regions, headline counts double.
    A report that names places only as actors falls back on all its mentions.

    ``coarse``: only regions and countries, for what holds over an area (a truce holds in
    "Lebanon" or "Idlib", not in the village the report mentions most); None when it names none."""
    report = ctx.report
    if not report.places:
        return None
    locative = {ctx.place_of[i] for i in ctx.place_tokens if _locative(ctx, ctx.doc[i])}
    score: Counter[str] = Counter()
    first: dict[str, int] = {}
    for index, place in enumerate(report.places):
        if locative and index not in locative or place.in_name or place.feature in NO_SCENE_FEATURES:
            continue
        if coarse and place.feature not in AREA_FEATURES:
            continue
        weight = 2 if (place.feature or "") in FINE_FEATURES else 1
        if ctx.headline[0] <= place.start < ctx.headline[1]:
            weight *= 2
        score[place.name] += weight
        first.setdefault(place.name, index)
    if not score:
        return None
    best = max(score, key=lambda name: (score[name], -first[name]))
    return first[best]


def _context(report: Report) -> Context:
    doc = report.doc
    actor_spans: list[tuple[int, int]] = []
    actor_names: list[str] = []
    for actor in report.actors:
        for m in actor.mentions:
            actor_spans.append((m.start, m.end))
            actor_names.append(actor.name)
    actor_tok = _token_index(doc, actor_spans)
    headline = _headline(report)
    time_of = _token_index(doc, [(t.start, t.end) for t in report.times])
    place_of = _token_index(doc, [(p.start, p.end) for p in report.places])
    quantity_of = _token_index(doc, [(q.start, q.end) for q in report.quantities])
    dated = {k for k, t in enumerate(report.times) if t.value is not None and t.granularity not in UNDATED}
    usable = {i for i, k in time_of.items() if k in dated}
    ctx = Context(
        report=report,
        doc=doc,
        actor_of={i: actor_names[k] for i, k in actor_tok.items()},
        time_of=time_of,
        place_of=place_of,
        quantity_of=quantity_of,
        headline=headline,
        main_place=None,
        timed=usable,
        sent_starts=[s.start_char for s in doc.sents],
        place_tokens=sorted(place_of),
        quantity_tokens=sorted(quantity_of),
        settlement_tokens=[t.i for t in doc if t.lemma_.lower() in SETTLEMENT_NOUNS
                           and any(c.lower_ in DEFINITE for c in t.children)],
        claims=ClaimIndex(report),
        breaks=paragraph_breaks(report.text),
    )
    ctx.main_place = _main_place(ctx)
    area = _main_place(ctx, coarse=True)
    ctx.theatre_place = area if area is not None else ctx.main_place
    return ctx


def _actor_of_phrase(ctx: Context, token: Token) -> list[str]:
    """Actors named by the noun phrase headed by ``token`` and its conjuncts."""
    names: list[str] = []
    for head in [token, *(c for c in token.children if c.dep_ == "conj")]:
        appos = [c.i for c in head.children if c.dep_ == "appos"]  # "his counterpart Vladimir Putin"
        candidates = [head.i, *(t.i for t in head.lefts), *appos]
        name = next((ctx.actor_of[i] for i in candidates if i in ctx.actor_of), None)
        if name and name not in names:
            names.append(name)
    return names


def _subject_of(verb: Token) -> Token | None:
    """A verb's active subject, or its controller's: "forces entered homes to carry out
    executions" -> forces."""
    for _ in range(CONTROL_DEPTH):
        subj = _child(verb, {"nsubj"})
        if subj is not None or verb.dep_ not in {"xcomp", "advcl"} or verb.head == verb:
            return subj
        verb = verb.head
    return None


def _arguments(ctx: Context, item: Found) -> tuple[list[str], list[str]]:
    """Agents and targets of an event from the parse around its trigger and anchor."""
    agents: list[str] = []
    targets: list[str] = []
    for node in {item.token, item.anchor}:
        for child in node.children:
            subject = child.dep_ == "nsubj" and node.pos_ in {"VERB", "AUX"} and node == item.token
            if subject or child.dep_ == "poss" and node.pos_ == "NOUN":
                agents += _actor_of_phrase(ctx, child)
            elif child.dep_ in {"agent", "acl"}:
                by = child if child.dep_ == "agent" else _child(child, {"agent"})
                pobj = _child(by, {"pobj"}) if by is not None else None
                if pobj is not None:
                    agents += _actor_of_phrase(ctx, pobj)
            elif child.dep_ == "prep" and child.lower_ == "by" and node.pos_ == "NOUN":
                pobj = _child(child, {"pobj"})
                agents += _actor_of_phrase(ctx, pobj) if pobj is not None else []
            elif child.dep_ in {"dobj", "nsubjpass"} and node == item.token:
                targets += _actor_of_phrase(ctx, child)
            elif child.dep_ == "prep" and child.lower_ in {"on", "against", "to", "with", "at"}:
                pobj = _child(child, {"pobj"})
                targets += _actor_of_phrase(ctx, pobj) if pobj is not None else []
            elif child.dep_ in {"amod", "compound"} and child.i in ctx.actor_of and node.pos_ == "NOUN":
                agents.append(ctx.actor_of[child.i])
            elif child.dep_ == "amod" and child.lemma_.lower() in AGREE_VERBS:
                agents += [ctx.actor_of[g.i] for g in child.children if g.i in ctx.actor_of]  # "UN-brokered truce"
    if item.token.dep_ in {"nsubjpass", "dobj"} and item.token.pos_ == "NOUN" or not agents and item.token.pos_ == "VERB":
        verb = item.token.head if item.token.pos_ == "NOUN" else item.token
        subj = _subject_of(verb)
        agents += _actor_of_phrase(ctx, subj) if subj is not None else []
    agents = list(dict.fromkeys(agents))  # first-seen order, no repeats
    return agents, [t for t in dict.fromkeys(targets) if t not in agents]


def _date(ctx: Context, item: Found) -> tuple[str | None, str | None]:
    """The time expression nearest the trigger in its clause (never across a speech verb:
    "said Tuesday" dates the saying). Context and publication date the rest later."""
    searched: set[int] = set()
    first = [item.token, *item.extra]
    if item.anchor != item.token and item.anchor.lemma_.lower() in TRUCE_START_VERBS:
        first.insert(0, item.anchor)  # "the truce announced on Thursday was to start on Friday": the start's day
    for node in [*first, *_clause_path(item.anchor)]:
        index = _time_below(ctx, node, searched)
        if index is not None:
            return ctx.report.times[index].value, "text"
    return None, None


def _clause_path(anchor: Token) -> list[Token]:
    """The anchor and the heads above it up to a speech verb or the root."""
    path = [anchor]
    cur = anchor
    for _ in range(MAX_WALK):
        if cur.head == cur or cur.dep_ == "relcl" or _participle_on_noun(cur):
            break
        cur = cur.head
        if cur.lemma_.lower() in SPEECH_HEADS or cur.lemma_.lower() in SPEECH_NOUNS and cur.pos_ == "NOUN":
            break
        path.append(cur)
    return path


def _time_below(ctx: Context, node: Token, searched: set[int]) -> int | None:
    """The usable time expression closest below ``node``, not inside another clause."""
    frontier = [node]
    visited = 0
    while frontier and visited < MAX_TIME_SEARCH:
        nxt: list[Token] = []
        for tok in frontier:
            if tok.i in searched:
                continue
            visited += 1
            searched.add(tok.i)
            index = ctx.time_of.get(tok.i)
            if index is not None and _usable_time(ctx, index):
                return index
            nxt += [c for c in tok.children if c.dep_ not in {"ccomp", "advcl", "relcl", "conj", "parataxis", "csubj"}
                    and not (c.dep_ == "prep" and c.lower_ in RELATIVE_TIME_PREPS and tok.pos_ == "NOUN")
                    and not _free_relative(c)]
        frontier = nxt
    return None


def _free_relative(tok: Token) -> bool:
    """ "in what would be the first pause since ...": a clause led by "what" describes, it
    does not date the event it hangs on."""
    return tok.dep_ == "pcomp" and any(c.tag_ in {"WP", "WDT"} for c in tok.children)


def _usable_time(ctx: Context, index: int) -> bool:
    time = ctx.report.times[index]
    return time.value is not None and time.granularity not in UNDATED


def _place(ctx: Context, item: Found, event_type: str) -> tuple[int | None, str | None]:
    """A place in the trigger's clause or sentence, else the report's main place for located
    events. Verbal events (talks, accusations) take only a place in their own clause."""
    located = event_type in LOCATED_TYPES
    best: tuple[tuple[int, int, int], int] | None = None
    sent = item.token.sent
    clause_heads = {item.anchor.i, item.token.i}
    if item.token.dep_ in ARGUMENT_DEPS and item.token.head.pos_ in {"VERB", "AUX"}:
        clause_heads.add(item.token.head.i)  # "conducting atrocities in Tigray": the verb's place is the event's
    for i in _in_range(ctx.place_tokens, sent.start, sent.end):
        tok, index = ctx.doc[i], ctx.place_of[i]
        if not _locative(ctx, tok) or _describes_another(tok, item.token):
            continue
        in_clause = _in_clause(tok, clause_heads)
        if not located and not (in_clause and tok.dep_ == "pobj" and tok.head.lower_ in LOCATIVE_PREPS):
            continue  # a meeting "in Moscow" happens there; one "about Syria" does not
        fine = 0 if (ctx.report.places[index].feature or "") in FINE_FEATURES else 1
        rank = (0 if in_clause else 1, fine, abs(tok.i - item.token.i))
        if best is None or rank < best[0]:
            best = (rank, index)
    anaphor = _settlement_anaphor(ctx, item) if located else None
    if anaphor is not None and (best is None or best[0][1] == 1):
        return anaphor, "anaphor"
    truce = event_type == "CEASEFIRE"
    if best is not None and not (truce and best[0][0] == 1):
        return best[1], "text"  # a truce takes no place from elsewhere in its sentence: it holds over an area
    fallback = ctx.theatre_place if truce else ctx.main_place
    if located and fallback is not None:
        return fallback, "report"
    return None, None


def _describes_another(tok: Token, trigger: Token) -> bool:
    """Whether a place word sits in a relative clause that does not hold the trigger: in
    "clashes killed jihadists, whose members belong to a minority in China", China describes
    the jihadists, not where the killing was."""
    for _ in range(MAX_WALK):
        relative = tok.dep_ in {"relcl", "acl"} or tok.pos_ in {"VERB", "AUX"} and tok.left_edge.tag_ in RELATIVE_TAGS
        if relative:  # the parser labels some "whose" clauses ccomp: the pronoun opening it tells
            return not (tok.left_edge.i <= trigger.i <= tok.right_edge.i)
        if tok.head == tok:
            return False
        tok = tok.head
    return False


def _in_clause(tok: Token, heads: set[int]) -> bool:
    """Whether ``tok`` hangs below one of ``heads`` without crossing into another clause."""
    for _ in range(MAX_WALK):
        if tok.i in heads:
            return True
        if tok.dep_ in CLAUSE_BOUNDARIES or tok.dep_ == "ccomp" or tok.head == tok:
            return False
        tok = tok.head
    return False


def _in_range(indices: list[int], start: int, end: int) -> list[int]:
    """The sorted token indices that fall in ``[start, end)``."""
    return indices[bisect_left(indices, start) : bisect_left(indices, end)]


def _locative(ctx: Context, tok: Token) -> bool:
    """Whether a place word says where something is, not who acts or who reports:
    "Russia said", "Turkey's minister", "the UK-based observatory", "according to ..."."""
    if tok.dep_ in {"nsubj", "poss", "nsubjpass"} or tok.i in ctx.actor_of and tok.dep_ not in {"pobj", "compound", "amod"}:
        return False
    if tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].text in {"-", "‐"}:
        return False
    if tok.tag_ == "JJ" or tok.ent_type_ == "NORP" and _adjectival(ctx, tok):
        return False  # a demonym ("Saudi soldiers") says who, not where
    if _is_dateline(tok):
        return False  # "BEIRUT — A cease-fire in Aleppo ...": where the reporter files from
    index = ctx.place_of.get(tok.i)
    if index is not None and ctx.report.places[index].in_name:
        return False  # "the Aleppo Media Center said": a name, not a scene
    if _party_phrase(tok):
        return False  # "a truce between Armenia and Azerbaijan", "the ceasefire with Lebanon": who, not where
    if tok.dep_ in {"compound", "nmod", "amod"} and tok.head.lemma_.lower() in INSTITUTION_NOUNS | FORCE_NOUNS:
        return False  # "U.S. diplomats say", "Syria army": whose, not where
    return not any(a.lower_ == "according" or a.dep_ == "agent" for a in tok.ancestors)


def _party_phrase(tok: Token) -> bool:
    """Whether a place word names a side: the object (or a conjunct of it) of "between" or
    "with", of "from" after a word of support ("support from Damascus"), or of "of" after
    an office or institution ("the foreign ministries of Armenia and Azerbaijan")."""
    while tok.dep_ == "conj" and tok.head != tok:
        tok = tok.head
    if tok.dep_ != "pobj":
        return False
    prep = tok.head
    holder = prep.head.lemma_.lower()
    return (prep.lower_ in PARTY_PREPS or prep.lower_ == "from" and holder in SUPPORT_NOUNS
            or prep.lower_ == "of" and holder in INSTITUTION_NOUNS)


def _adjectival(ctx: Context, tok: Token) -> bool:
    """Whether a place word is an adjective or demonym ("Syrian" for Syria) rather than the name
    itself; the small model tags some city names NORP too, so the word is checked against the name."""
    index = ctx.place_of.get(tok.i)
    return index is None or tok.lower_ not in ctx.report.places[index].name.lower()


def _is_dateline(tok: Token) -> bool:
    """A place opening its line and followed by a dash (or a comma and then a dash): a wire
    dateline, also one of several places filed from ("Beirut/Jerusalem, Nov 27 (EFE).-")."""
    text = _doc_text(tok.doc)
    line_start = text.rfind("\n", 0, tok.idx) + 1
    before = text[line_start : tok.idx].strip(" \t\"'“(")
    if before and not DATELINE_HEAD.match(before):
        return False
    after = text[tok.idx + len(tok.text) : tok.idx + len(tok.text) + 40]
    return bool(DATELINE_TAIL.match(after))


def _doc_text(doc: Doc) -> str:
    """``doc.text``, built once per parse: spaCy rebuilds it from every token on each read, so
    reading it per place word made the stage quadratic in the report's length (issue 17).
    Kept in ``user_data``; the text of a Doc never changes, even when it is retokenised."""
    text = doc.user_data.get(_DOC_TEXT_KEY)
    if text is None:
        text = doc.user_data[_DOC_TEXT_KEY] = doc.text
    return text


_DOC_TEXT_KEY = "fogwatch.doc_text"


# What follows the place in a dateline: "BEIRUT —", "ALEPPO, Syria —", "KYIV (Reuters) -".
DATELINE_TAIL = re.compile(r"^(/[A-Z][\w ]{0,25})*(,\s*[A-Z][\w .]{0,25})?\s*(\([^)]{1,25}\))?\.?\s*[—–-]{1,2}\s")
DATELINE_HEAD = re.compile(r"^([A-Z][\w ]{0,25}/)+$")  # the places before this one in "Beirut/Jerusalem"


def _settlement_anaphor(ctx: Context, item: Found) -> int | None:
    """ "The villages ... besieged since last year": the settlement named in the sentences before."""
    sent = item.token.sent
    near = {item.token.head.i, item.anchor.i, *(c.i for c in item.token.children)}
    if not any(i in near for i in _in_range(ctx.settlement_tokens, sent.start, sent.end)):
        return None
    here = bisect_right(ctx.sent_starts, sent.start_char) - 1
    places = ctx.report.places
    index = next((k for k in range(len(places) - 1, -1, -1) if places[k].start < sent.start_char
                  and (places[k].feature or "") in FINE_FEATURES), None)
    if index is None:
        return None
    there = bisect_right(ctx.sent_starts, places[index].start) - 1
    if here - there > ANAPHORA_SENTENCES:
        return None
    first = index  # the first of the settlements named together ("Foua and Kefraya")
    while first > 0 and places[first - 1].start >= ctx.sent_starts[there] and (places[first - 1].feature or "") in FINE_FEATURES:
        first -= 1
    return first


NP_CORE_DEPS = frozenset({"det", "amod", "compound", "nummod", "poss", "quantmod", "case", "advmod"})


def _phrase(head: Token) -> list[Token]:
    """A noun phrase without its relative clauses and appositions ("the attackers", not
    "the attackers, who arrived on motorcycles,")."""
    out = [head]
    for child in head.children:
        if child.dep_ in NP_CORE_DEPS or child.dep_ == "prep" and child.lower_ == "of":
            out += list(child.subtree)
    return out


def _span(item: Found, breaks: list[int]) -> tuple[int, int]:
    """The event's words: trigger, auxiliaries, and short core arguments."""
    tokens = [item.token, item.anchor, *item.extra]
    for node in (item.token, item.anchor):
        for child in node.children:
            if child.dep_ in {"aux", "auxpass", "neg", "prt"} or child.dep_ == "advmod" and child.lower_ == "apart":
                tokens.append(child)
            elif child.dep_ in {"nsubjpass", "nsubj", "dobj"} and node.pos_ in {"VERB", "AUX"}:
                sub = _phrase(child)
                tokens += sub if len(sub) <= MAX_ARG_TOKENS else [child]
            elif child.dep_ in {"amod", "compound"} and node.pos_ == "NOUN":
                tokens.append(child)
    sent = item.token.sent
    k = bisect_left(breaks, item.token.idx)
    para_start = breaks[k - 1] if k else 0
    para_end = breaks[k] if k < len(breaks) else item.token.doc[-1].idx + len(item.token.doc[-1].text) + 1
    tokens = [t for t in tokens if sent.start <= t.i < sent.end and not t.is_space and para_start <= t.idx < para_end]
    start = min(t.idx for t in tokens)
    end = max(t.idx + len(t.text) for t in tokens)
    return start, end


# ---------------------------------------------------------------- claims and quantities


class ClaimIndex:
    """Claims by where their content starts, for finding the innermost claim around a span
    without scanning every claim for every event."""

    def __init__(self, report: Report) -> None:
        self.spans = sorted((c.content.start, c.content.end, i) for i, c in enumerate(report.claims))
        self.starts = [s for s, _, _ in self.spans]

    def innermost(self, start: int, end: int) -> int | None:
        best: tuple[int, int] | None = None
        right = bisect_right(self.starts, start)
        for c_start, c_end, index in reversed(self.spans[max(0, right - CLAIM_CANDIDATES) : right]):
            if end <= c_end and (best is None or c_end - c_start < best[0]):
                best = (c_end - c_start, index)
        return best[1] if best else None


def _claim_status(report: Report, claim: int | None, status: str, trigger: Token) -> str:
    """A claim around an event makes it reported, unless the claim is journalistic sourcing
    ("..., according to residents") of a fact the report states in its own voice, or the
    event already has a sharper modality."""
    if claim is None:
        return status
    found = report.claims[claim]
    if found.cue.start <= trigger.idx < found.cue.end:
        return status  # the accusation or denial is itself the event
    if found.kind == "denial" and status in {"occurred", "ongoing"}:
        return "denied"
    if found.cue.text.lower().startswith("according") or STATUS_RANK.get(status, 9) > STATUS_RANK["reported"]:
        return status
    return "reported"


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


def _below(tok: Token, heads: set[int], steps: int) -> bool:
    """Whether one of ``heads`` is at most ``steps`` dependency steps above ``tok``."""
    for _ in range(steps + 1):
        if tok.i in heads:
            return True
        if tok.head == tok:
            return False
        tok = tok.head
    return False


def _fine(ctx: Context, item: Found, event_type: str) -> str | None:
    """ACLED sub-type: the trigger's own, refined by the weapon words of its sentence."""
    fine = item.entry.fine
    if event_type in {"ASSAULT", "KILL"}:
        sent = item.token.sent
        if sent.start not in ctx.sentence_fine:
            ctx.sentence_fine[sent.start] = fine_from_context(sent)
        refined = ctx.sentence_fine[sent.start]
        if refined is not None and (fine in {None, "ATTACK", "ARMED_CLASH"}):
            fine = refined
    if event_type == "CEASEFIRE":
        fine = "AGREEMENT" if item.mode == "agreed" else None
    return fine


@dataclass(frozen=True, slots=True)
class FineCue:
    """A cue word or phrase for a fine (ACLED / CASE) event type."""

    words: tuple[str, ...]
    code: str
    weight: int
    group: str | None


@lru_cache(maxsize=1)
def load_fine_cues() -> dict[str, list[FineCue]]:
    """The fine-type cue lexicon, keyed by the cue's first word."""
    table: dict[str, list[FineCue]] = {}
    with FINE_CUES_FILE.open(encoding="utf-8") as handle:
        rows = csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t")
        for row in rows:
            words = tuple(row["cue"].split())
            group = None if row["group"] == "-" else row["group"]
            table.setdefault(words[0], []).append(FineCue(words, row["code"], int(row["weight"]), group))
    return table


def fine_scores(tokens: Iterable[Token]) -> tuple[Counter[str], set[str]]:
    """Cue weight per fine type over some tokens (each cue counted once), and the cue groups seen."""
    forms = [(t.lower_, t.lemma_.lower()) for t in tokens if not t.is_space]
    cues = load_fine_cues()
    matched: set[FineCue] = set()
    scores: Counter[str] = Counter()
    groups: set[str] = set()
    for i, pair in enumerate(forms):
        for cue in {c for key in set(pair) for c in cues.get(key, [])} - matched:
            tail = forms[i + 1 : i + len(cue.words)]
            if len(tail) == len(cue.words) - 1 and all(w in f for w, f in zip(cue.words[1:], tail)):
                matched.add(cue)
                scores[cue.code] += cue.weight
                if cue.group:
                    groups.add(cue.group)
    return scores, groups


# Protest sub-types from what accompanies a protest: lethal force outranks a riot, which
# outranks police intervention (ACLED codes the most severe element of the event).
PROTEST_ORDER: tuple[tuple[str, str], ...] = (
    ("force", "FORCE_AGAINST_PROTEST"),
    ("riot", "VIOL_DEMONSTR"),
    ("intervention", "PROTEST_WITH_INTER"),
)
# When cue weights tie, the more specific type wins (weapon-specific before generic).
FINE_PRIORITY: tuple[str, ...] = (
    "SUIC_BOMB", "CHEM_WEAP", "GRENADE", "SEX_VIOL", "REM_EXPLOS", "AIR_STRIKE", "ART_MISS_ATTACK",
    "NATURAL_DISASTER", "MAN_MADE_DISASTER", "ATTRIB", "ORG_CRIME", "ABDUCT_DISSAP", "DISR_WEAP",
    "GOV_REGAINS_TERIT", "NON_STATE_ACTOR_OVERTAKES_TER", "NON_VIOL_TERRIT_TRANSFER", "HQ_ESTABLISHED",
    "MOB_VIOL", "VIOL_DEMONSTR", "FORCE_AGAINST_PROTEST", "PROTEST_WITH_INTER", "PEACE_PROTEST",
    "PROPERTY_DISTRUCT", "ARREST", "AGREEMENT", "CHANGE_TO_GROUP_ACT", "DIPLO", "ARMED_CLASH", "ATTACK", "OTHER",
)
def classify_fine(tokens: Iterable[Token], allowed: frozenset[str] | None = None) -> str | None:
    """The fine (ACLED / CASE) type that the cue words of a text point at; None without cues
    when ``allowed`` restricts the choice, else the fallback type."""
    scores, groups = fine_scores(tokens)
    if allowed is not None:
        scores = Counter({k: v for k, v in scores.items() if k in allowed})
    if "protest" in groups and (allowed is None or "PEACE_PROTEST" in allowed):
        return next((code for group, code in PROTEST_ORDER if group in groups), "PEACE_PROTEST")
    if not scores:
        return None if allowed is not None else FALLBACK_FINE
    return max(scores, key=lambda code: (scores[code], -FINE_PRIORITY.index(code)))


VIOLENT_FINE = frozenset({
    "AIR_STRIKE", "ART_MISS_ATTACK", "REM_EXPLOS", "GRENADE", "SUIC_BOMB", "CHEM_WEAP", "SEX_VIOL",
    "ABDUCT_DISSAP", "MOB_VIOL", "ARMED_CLASH", "ATTACK", "PROPERTY_DISTRUCT",
})


def fine_from_context(sent: Span) -> str | None:
    """The violent ACLED sub-type that a sentence's weapon words point at (None without one)."""
    return classify_fine(sent, VIOLENT_FINE - {"ATTACK", "ARMED_CLASH"})


# ---------------------------------------------------------------- the stage


def _build_event(ctx: Context, item: Found) -> Event | None:
    status = modality(item.anchor, item.token, ctx.breaks, ctx.headline[0] <= item.token.idx < ctx.headline[1])
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
    status = _claim_status(ctx.report, claim, status, item.token)
    agents, targets = _arguments(ctx, item)
    brokers = _brokers(ctx, item) if event_type in {"CEASEFIRE", "AGREE"} else []
    agents = [a for a in agents if a not in brokers]
    if not agents and claim is not None and ctx.report.claims[claim].kind in {"blame", "assertion", "denial"}:
        agents = [t.name for t in ctx.report.claims[claim].targets]  # the one the claim pins the act on
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
        mode=item.mode,
        acled=acled_name(fine),
        date=date,
        date_source=date_source,
        place=ctx.report.places[place_index].name if place_index is not None else None,
        place_index=place_index,
        actors=[Named(a) for a in agents],
        targets=[Named(t) for t in targets],
        claim=claim,
        quantities=_quantities_for(ctx, item, event_type),
        also_types=also,
        place_source=place_source,
        brokers=[Named(b) for b in brokers],
    )


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
    if event.place_index is not None:
        return
    placed = next((e for e in same if e.place_index is not None), None)
    index, source = (placed.place_index, placed.place_source) if placed else (ctx.theatre_place, "report")
    if index is not None:
        event.place_index, event.place, event.place_source = index, ctx.report.places[index].name, source


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


def _inherit_context_dates(ctx: Context, events: list[Event], sentence_of: dict[int, int]) -> None:
    """An undated past event takes its date from its context, nearest first, and says so:

    * "sentence": the date the text gives another event of its sentence, when that sentence
      gives only one ("agreed on Saturday to a truce that took effect at noon"), else the day
      of a time expression in the sentence outside the event's clause ("the ministry said on
      Sunday that enemy forces shelled the town": on or just before Sunday, dated Sunday);
    * "paragraph": the last day a sentence just before it in its paragraph gives, when that
      day is within a week of publication ("Strikes hit the town on Friday. Artillery also
      shelled the market.").
    Dates inside a relative clause ("the truce, which took effect on 27 November") belong to
    that clause and are never handed on. Planned and predicted events keep their window."""
    donors = [e for e in events if e.date and e.date_source == "text" and day_of(e.date)
              and not _in_relative_clause(ctx, e.start, e.end)]
    event_days: dict[int, set[str]] = defaultdict(set)
    for event in donors:
        event_days[sentence_of[event.start]].add(day_of(event.date))
    days = [(start, day) for start, day in _dated_times(ctx) if not _in_relative_clause(ctx, start, start + 1)]
    for event in events:
        if event.date is not None or event.status in FORWARD_STATUSES:
            continue
        sentence = sentence_of[event.start]
        known = event_days.get(sentence, set())
        found = (next(iter(known)), "sentence") if len(known) == 1 else _sentence_day(ctx, days, event.start, sentence)
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


def _in_relative_clause(ctx: Context, start: int, end: int) -> bool:
    span = ctx.doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return False
    tok = span.root
    for _ in range(MAX_WALK):
        if tok.dep_ in {"relcl", "acl"}:
            return True
        if tok.head == tok:
            return False
        tok = tok.head
    return False


def _pluperfect(ctx: Context, event: Event) -> bool:
    span = ctx.doc.char_span(event.start, event.end, alignment_mode="expand")
    if span is None:
        return False
    verb = span.root if span.root.pos_ in {"VERB", "AUX"} else span.root.head
    return any(c.dep_ == "aux" and c.lower_ in {"had", "'d"} for c in verb.children)


def _dated_times(ctx: Context) -> list[tuple[int, str]]:
    """(offset, day) of every time expression that names a day no later than publication, in text order."""
    published = day_of(ctx.report.published)
    out = []
    for time in ctx.report.times:
        day = day_of(time.value) if time.granularity not in UNDATED else None
        if day and (published is None or day <= published):
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
        elif _agreed_truce(event):  # named in passing, agreed any time in the last weeks: no likeliest day
            event.date_low, event.date_source = shift(high, -UNDATED_TRUCE_DAYS), "bounded"
        else:
            event.date, event.date_source = high, "published"


def _agreed_truce(event: Event) -> bool:
    return (event.type == "CEASEFIRE" or "CEASEFIRE" in event.also_types) and event.mode in (None, "agreed")


def _link_agreements(events: list[Event]) -> None:
    """A later mention of the same cease-fire agreement ("An agreement was reached") that
    names no parties takes the parties of the earlier one ("brokered by Russia and Turkey")."""
    earlier: Event | None = None
    for event in events:
        if event.type != "CEASEFIRE":
            continue
        if event.mode == "agreed" and not event.actors and earlier is not None:
            event.actors = [Named(a.name) for a in earlier.actors]
        elif event.actors:
            earlier = event


CASUALTY_TRIGGER = Trigger("KILL", None, "ATTACK", "event")
TRUCE_START_TRIGGER = Trigger("CEASEFIRE", "agreed", "AGREEMENT", "truce")


def _casualty_events(ctx: Context, events: list[Event]) -> list[Event]:
    """KILL events for counts of the killed or dead that no trigger already carries."""
    linked = {q for e in events for q in e.quantities}
    out: list[Event] = []
    for index, quantity in enumerate(ctx.report.quantities):
        if index in linked or quantity.status not in {"killed", "dead"}:
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
        event.quantities = [index]
        out.append(event)
    return out


def _annotate_quantities(report: Report, events: list[Event], claims: ClaimIndex) -> None:
    """Each count learns its claim, and a planned event's count its future fate ("to be evacuated")."""
    for quantity in report.quantities:
        quantity.claim = claims.innermost(quantity.start, quantity.end)
    for event in events:
        for index in event.quantities:
            quantity: Quantity = report.quantities[index]
            if event.status == "planned" and quantity.status and not quantity.status.startswith("to be"):
                quantity.status = f"to be {quantity.status}"


def find_events(report: Report) -> list[Event]:
    """Every event in a parsed report whose other layers are assigned (they may be empty)."""
    if report.doc is None or not report.text.strip():
        return []
    ctx = _context(report)
    events: list[Event] = []
    for sent in ctx.doc.sents:
        for item in _find(sent, ctx.headline, ctx.timed):
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


def _truce_or_pact(events: list[Event]) -> None:
    """A violated "deal" is the report's cease-fire only when the report has one; otherwise it
    is a broken agreement of another kind, and not an event of its own."""
    if any(e.type == "CEASEFIRE" and e.mode != "violated" for e in events):
        return
    events[:] = [e for e in events if not (e.type == "CEASEFIRE" and e.mode == "violated"
                                            and not TRUCE_WORDS & set(e.text.lower().replace("-", " ").split()))]


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
