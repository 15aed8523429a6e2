"""The events stage's word groups and thresholds, each with a comment on its use."""

from __future__ import annotations

import json
import re

from ...attribution import OWNED_NOUNS, load_accusations
from ...lang.en import words
from ...paths import PACKAGE_DATA


FINE_CUES_FILE = PACKAGE_DATA / "events_fine_cues.tsv"

WORDS_FILE = PACKAGE_DATA / "events_words.json"


def _load_words() -> dict[str, frozenset[str]]:
    """The cease-fire and casualty word groups (data/events_words.json), each a set of lemmas."""
    data = json.loads(WORDS_FILE.read_text(encoding="utf-8"))
    return {key: frozenset(words) for key, words in data.items() if key != "about"}

_WORDS = _load_words()

# Heads that set the modality of an event in their complement.
PLANNED_HEADS = words("planning_verbs", "planned")

DEMAND_HEADS = words("status_heads", "demand")

PREVENT_HEADS = words("status_heads", "prevent")

DENY_HEADS = frozenset({"deny", "refute", "dismiss", "reject"})
# Of those, the ones that turn down an offer rather than deny a fact: a truce "dismissed" was declared.
OFFER_REFUSALS = frozenset({"dismiss", "reject"})

PREDICT_HEADS = words("status_heads", "predict")

SPEECH_HEADS = words("speech_verbs", "governs_report")

# What takes an event as given even inside reported speech: "after talks in Moscow", "despite the
# signing of a deal", "once the truce took effect" (see modality.presupposed).
PRESUPPOSING_PREPS = words("presupposing_prepositions", "preposition")
PRESUPPOSING_MARKS = words("presupposing_prepositions", "mark")
EARLIER_EVENT_PREPS = words("presupposing_prepositions", "earlier")

# Words that make a source named with a country an organ of its state: what it reports "according
# to" it is that side's claim.
OFFICIAL_WORDS = words("official_words")

# What is released without being freed: "a statement released on Sunday" is no release of captives.
RELEASED_THINGS = words("released_things")

# How far into a report a wire dateline is looked for (it opens the story, after a headline).
DATELINE_SCAN_CHARS = 600

# What a side calls the other: "enemy forces shelled our positions" (the other side).
ADVERSARY_NOUNS = load_accusations().adversary_nouns

# Nouns for unnamed sides of a conflict: "Yemen's warring parties" names no party (not Yemen).
PARTY_NOUNS = frozenset({"party", "side", "faction", "belligerent"})

SPEECH_NOUNS = frozenset({"report", "claim", "allegation", "account", "rumour", "rumor", "word", "news"})

MODAL_STATUS: dict[str, str] = {
    "will": "planned", "shall": "planned", "'ll": "planned", "wo": "planned",
    "would": "predicted", "could": "predicted", "might": "predicted", "may": "predicted",
    "must": "demanded", "should": "demanded",
}

NEGATIVE_DETERMINERS = frozenset({"no", "neither"})

NEGATIVE_PRONOUNS = frozenset({"nobody", "none", "nothing", "noone"})

CONDITION_MARKS = frozenset({"if", "unless", "whether"})

ONGOING_ADVERBS = words("aspect_words", "ongoing")

CONTINUE_VERBS = words("aspect_words", "continue")

# Verbs that make an event noun happen ("carried out airstrikes", "an agreement was reached").
REALIZE_VERBS = frozenset({
    "carry", "launch", "conduct", "stage", "take", "reach", "sign", "strike", "broker", "announce",
    "conclude", "seal", "begin", "start", "continue", "resume", "hold", "mount", "unleash", "intensify",
    "occur", "happen", "report", "implement", "make", "have", "see", "witness", "order", "kill",
    "hit", "target", "destroy", "cause", "allow", "permit", "complete", "finish", "end", "approve",
    "commit", "register", "record", "document", "confirm",
})

# Among those, verbs whose subject only observes the event ("the agency reported strikes", "monitors
# recorded violations"): it is no doer.
OBSERVING_VERBS = words("observing_verbs")

COLLAPSE_VERBS = frozenset({"collapse", "fall", "break", "crumble", "fail", "unravel", "end", "falter", "founder"})

VIOLATE_VERBS = frozenset({"violate", "break", "breach", "flout", "undermine"})

AGREE_VERBS = frozenset({
    "agree", "reach", "sign", "broker", "announce", "declare", "implement", "negotiate", "strike",
    "establish", "seal", "conclude", "accept", "mediate", "commit",
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
    "height", "site",
})

# A strike "on" or "against" a place is an attack ("strikes on the Helta heights").
STRIKE_TARGET_PREPS = frozenset({"on", "against"})

AID_NOUNS = words("aid_goods")

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

LOCATIVE_PREPS = words("locative_prepositions", "scene")

# Aid reaching people: "fuel ships arrived in Hodeidah" (carrier, goods, verb; see triggers._aid_arrival).
AID_CARRIERS = words("aid_arrivals", "carrier")
AID_GOODS = words("aid_goods", "humanitarian")
AID_ARRIVAL_VERBS = words("aid_arrivals", "verb")

# What an attack is made with, as its subject ("tanks struck"): the attack's mode (build._instrument_mode).
ATTACK_INSTRUMENTS: dict[str, str] = {
    word: mode for mode in ("heavy-weapons", "aerial", "drone", "firearms")
    for word in words("attack_instruments", mode)
}

# Ending a state: "the siege has not been lifted" says it goes on (modality).
ENDING_VERBS = words("ending_verbs")

# The land a conflict is about: "the disputed Nagorno-Karabakh region", "fighting over Idlib"
# (context._contested_land): counted towards where a truce holds.
CONTESTED_QUALIFIERS = words("contested_land", "qualifier")
CONFLICT_NOUNS = words("contested_land", "conflict")
# How much more such a place counts towards the truce's area than a plain mention.
CONTESTED_WEIGHT = 3

# The period of a thing asked for or planned: "suggested a truce from noon Friday" (arguments._date).
INTERVAL_PREPS = words("interval_prepositions")

# A country's ground: "shelling Azeri territory" happens in Azerbaijan.
TERRITORY_NOUNS = words("territory_nouns")

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

# How many infinitive or coordinated clauses up a missing subject is looked for ("set out to try
# to attack", "claimed to have targeted a facility and announced a curfew").
CONTROL_DEPTH = 3
RESULT_NOUNS = words("result_nouns")

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
