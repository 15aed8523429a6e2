"""The event ontology: PLOVER event types and modes, fogwatch's conflict extensions,
ACLED sub-event types, and the mappings between them.

Why one module: the events stage, the benchmarks (CASE-2021, PLOVER GSR) and any
later export (ACLED-style CSV, PLOVER JSON) must agree on the same names. PLOVER
(codebook draft 0.8, 2021) is the primary vocabulary because it is open and
recipient-aware; ACLED sub-event types are carried alongside because conflict
analysts compare against ACLED, and the CASE-2021 shared task labels use them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .report import Event

# PLOVER event types and their modes (PLOVER manual, Table 2.2 and chapter 3).
PLOVER_MODES: dict[str, tuple[str, ...]] = {
    "AGREE": (),
    "CONSULT": ("visit", "third-party", "multilateral", "phone"),
    "SUPPORT": (),
    "CONCEDE": (),
    "COOPERATE": (),
    "AID": (),
    "RETREAT": ("withdraw", "release", "disarm", "ceasefire", "access", "resign"),
    "REQUEST": ("assist", "change", "yield", "meet"),
    "ACCUSE": ("disapprove", "investigate", "allege"),
    "REJECT": ("assist", "change", "yield", "meet"),
    "THREATEN": ("restrict", "arrest", "relations", "expel", "territory", "violence"),
    "PROTEST": ("demo", "riot", "strike", "hunger", "boycott", "obstruct"),
    "SANCTION": ("convict", "expel", "withdraw", "discontinue"),
    "MOBILIZE": ("troops", "weapons", "police", "militia"),
    "COERCE": ("seize", "restrict", "censor", "curfew", "martial-law", "arrest", "deport", "withhold",
               "misinformation", "cyber"),
    "ASSAULT": ("abduct", "beat", "torture", "sexual", "targeted", "destroy", "primitive", "firearms",
                "explosives", "suicide-attack", "aerial", "drone", "heavy-weapons", "crowd-control",
                "unconventional"),
}

# Extensions that conflict reporting needs beyond PLOVER (DESIGN.md). Each names the
# PLOVER type it refines, so a PLOVER-only consumer can fall back to it.
EXTENSION_MODES: dict[str, tuple[str, ...]] = {
    "CEASEFIRE": ("agreed", "violated", "collapsed"),
    "EVACUATE": (),
    "BESIEGE": (),
    "DETAIN": (),
    "KILL": (),
}
EXTENSION_PARENT: dict[str, str] = {
    "CEASEFIRE": "RETREAT",
    "EVACUATE": "AID",
    "BESIEGE": "COERCE",
    "DETAIN": "COERCE",
    "KILL": "ASSAULT",
}

EVENT_TYPES: tuple[str, ...] = (*PLOVER_MODES, *EXTENSION_MODES)

STATUSES: tuple[str, ...] = (
    "occurred", "ongoing", "planned", "demanded", "prevented", "denied", "reported", "predicted",
)

# Older PLOVER (0.5, 2016) labels used by the PLOVER GSR file, with the CAMEO root code
# each came from; CAMEO2PLOVER-2021 maps the root code to the current type.
OLD_PLOVER_CAMEO_ROOT: dict[str, str] = {
    "DEMAND": "10",
    "DISAPPROVE": "11",
    "INVESTIGATE": "09",
    "FIGHT": "19",
}

# ACLED sub-event types (ACLED codebook), keyed by a short code: (sub-event type, the event type
# it falls under). The whole ACLED taxonomy lives here; the ACLED export reads it too.
ACLED_TAXONOMY: dict[str, tuple[str, str]] = {
    "GOV_REGAINS_TERIT": ("Government regains territory", "Battles"),
    "NON_STATE_ACTOR_OVERTAKES_TER": ("Non-state actor overtakes territory", "Battles"),
    "ARMED_CLASH": ("Armed clash", "Battles"),
    "FORCE_AGAINST_PROTEST": ("Excessive force against protesters", "Protests"),
    "PROTEST_WITH_INTER": ("Protest with intervention", "Protests"),
    "PEACE_PROTEST": ("Peaceful protest", "Protests"),
    "VIOL_DEMONSTR": ("Violent demonstration", "Riots"),
    "MOB_VIOL": ("Mob violence", "Riots"),
    "CHEM_WEAP": ("Chemical weapon", "Explosions/Remote violence"),
    "AIR_STRIKE": ("Air/drone strike", "Explosions/Remote violence"),
    "SUIC_BOMB": ("Suicide bomb", "Explosions/Remote violence"),
    "ART_MISS_ATTACK": ("Shelling/artillery/missile attack", "Explosions/Remote violence"),
    "REM_EXPLOS": ("Remote explosive/landmine/IED", "Explosions/Remote violence"),
    "GRENADE": ("Grenade", "Explosions/Remote violence"),
    "SEX_VIOL": ("Sexual violence", "Violence against civilians"),
    "ATTACK": ("Attack", "Violence against civilians"),
    "ABDUCT_DISSAP": ("Abduction/forced disappearance", "Violence against civilians"),
    "AGREEMENT": ("Agreement", "Strategic developments"),
    "ARREST": ("Arrests", "Strategic developments"),
    "CHANGE_TO_GROUP_ACT": ("Change to group/activity", "Strategic developments"),
    "DISR_WEAP": ("Disrupted weapons use", "Strategic developments"),
    "HQ_ESTABLISHED": ("Headquarters or base established", "Strategic developments"),
    "PROPERTY_DISTRUCT": ("Looting/property destruction", "Strategic developments"),
    "NON_VIOL_TERRIT_TRANSFER": ("Non-violent transfer of territory", "Strategic developments"),
    "OTHER": ("Other", "Strategic developments"),
}
# Code -> sub-event type name, and sub-event type name -> ACLED event type.
ACLED_SUBTYPES: dict[str, str] = {code: sub for code, (sub, _) in ACLED_TAXONOMY.items()}
ACLED_EVENT_TYPES: dict[str, str] = dict(ACLED_TAXONOMY.values())

# fogwatch types with no ACLED sub-event type read in the text -> the sub-event type an ACLED
# coder files them under; every other type (ACCUSE, THREATEN, CONSULT, EVACUATE, BESIEGE...) is a
# "Strategic developments / Other". An assault's mode sharpens "Attack" (aerial -> Air/drone strike);
# a cease-fire violated or collapsed is "Other" (a breach is no agreement).
TYPE_TO_ACLED: dict[str, str] = {
    "ASSAULT": "Attack",
    "KILL": "Attack",
    "CEASEFIRE": "Agreement",
    "AGREE": "Agreement",
    "DETAIN": "Arrests",
    "MOBILIZE": "Change to group/activity",
    "PROTEST": "Peaceful protest",
}

# The five CASE-2021 task-2 types outside ACLED (organised crime, disasters, diplomacy,
# attribution of responsibility); fogwatch uses the same codes for them.
NON_ACLED_TYPES: dict[str, str] = {
    "ORG_CRIME": "Organized crime",
    "NATURAL_DISASTER": "Natural disaster",
    "MAN_MADE_DISASTER": "Man-made disaster",
    "DIPLO": "Diplomatic event",
    "ATTRIB": "Attribution of responsibility",
}

FINE_TYPES: dict[str, str] = {**ACLED_SUBTYPES, **NON_ACLED_TYPES}

# Fine (ACLED / CASE) code -> (PLOVER or extension type, mode). The PLOVER side is
# what an event of that ACLED sub-type is coded as when it is the only thing known.
FINE_TO_PLOVER: dict[str, tuple[str, str | None]] = {
    "GOV_REGAINS_TERIT": ("ASSAULT", None),
    "NON_STATE_ACTOR_OVERTAKES_TER": ("ASSAULT", None),
    "ARMED_CLASH": ("ASSAULT", "firearms"),
    "FORCE_AGAINST_PROTEST": ("ASSAULT", "crowd-control"),
    "PROTEST_WITH_INTER": ("PROTEST", "demo"),
    "PEACE_PROTEST": ("PROTEST", "demo"),
    "VIOL_DEMONSTR": ("PROTEST", "riot"),
    "MOB_VIOL": ("ASSAULT", "primitive"),
    "CHEM_WEAP": ("ASSAULT", "unconventional"),
    "AIR_STRIKE": ("ASSAULT", "aerial"),
    "SUIC_BOMB": ("ASSAULT", "suicide-attack"),
    "ART_MISS_ATTACK": ("ASSAULT", "heavy-weapons"),
    "REM_EXPLOS": ("ASSAULT", "explosives"),
    "GRENADE": ("ASSAULT", "explosives"),
    "SEX_VIOL": ("ASSAULT", "sexual"),
    "ATTACK": ("ASSAULT", None),
    "ABDUCT_DISSAP": ("ASSAULT", "abduct"),
    "AGREEMENT": ("AGREE", None),
    "ARREST": ("DETAIN", None),
    "CHANGE_TO_GROUP_ACT": ("MOBILIZE", None),
    "DISR_WEAP": ("COERCE", "seize"),
    "HQ_ESTABLISHED": ("MOBILIZE", "troops"),
    "PROPERTY_DISTRUCT": ("ASSAULT", "destroy"),
    "NON_VIOL_TERRIT_TRANSFER": ("RETREAT", "withdraw"),
    "OTHER": ("COERCE", None),
    "ORG_CRIME": ("ASSAULT", None),
    "NATURAL_DISASTER": ("AID", None),
    "MAN_MADE_DISASTER": ("ASSAULT", "unconventional"),
    "DIPLO": ("CONSULT", None),
    "ATTRIB": ("ACCUSE", "allege"),
}

# PLOVER ASSAULT mode -> the ACLED sub-type it implies when no sharper cue is present.
MODE_TO_FINE: dict[str, str] = {
    "aerial": "AIR_STRIKE",
    "drone": "AIR_STRIKE",
    "heavy-weapons": "ART_MISS_ATTACK",
    "firearms": "ARMED_CLASH",
    "explosives": "REM_EXPLOS",
    "suicide-attack": "SUIC_BOMB",
    "abduct": "ABDUCT_DISSAP",
    "sexual": "SEX_VIOL",
    "destroy": "PROPERTY_DISTRUCT",
    "crowd-control": "FORCE_AGAINST_PROTEST",
    "unconventional": "CHEM_WEAP",
    "targeted": "ATTACK",
    "beat": "ATTACK",
    "torture": "ATTACK",
    "primitive": "MOB_VIOL",
}


# The fine type the classifier falls back to when nothing in the text says more.
FALLBACK_FINE = "ATTACK"

# Event types that happen at a place, so a sentence without a place of its own continues
# the report's main place; diplomatic and verbal events do not (a phone call between
# two presidents does not happen in the besieged city the report is about).
LOCATED_TYPES = frozenset({
    "ASSAULT", "KILL", "EVACUATE", "BESIEGE", "DETAIN", "CEASEFIRE", "PROTEST", "COERCE",
    "MOBILIZE", "RETREAT", "AID",
})


# Acts done in public by governments and envoys (a truce taking effect, a deal, talks): one the
# sentence takes as given is the report's own fact even inside a source's words; an attack "after"
# which someone says people died stays that source's claim (dev reading of conflict-news).
PUBLIC_ACT_TYPES = frozenset({"CEASEFIRE", "AGREE", "CONSULT"})

# Acts a source's blame can pin on someone (a truce taking effect, inside an accusation, is nobody's act).
HOSTILE_TYPES = frozenset({"ASSAULT", "KILL", "BESIEGE", "DETAIN", "COERCE"})

# Acts done together, whose "between X and Y" names the parties (a truce, a deal, talks).
MUTUAL_TYPES = frozenset({"CEASEFIRE", "AGREE", "CONSULT"})


def acled_name(code: str | None) -> str | None:
    """The ACLED sub-event type's name for a fine code (None outside ACLED)."""
    return ACLED_SUBTYPES.get(code) if code else None


def plover_type(event_type: str) -> str:
    """The PLOVER type an event type falls back to (itself for PLOVER types)."""
    return EXTENSION_PARENT.get(event_type, event_type)


def is_known(event_type: str, mode: str | None = None) -> bool:
    """Whether a type (and mode, when given) belongs to the ontology."""
    modes = PLOVER_MODES.get(event_type, EXTENSION_MODES.get(event_type))
    if modes is None:
        return False
    return mode is None or not modes or all(part in modes for part in mode.split("/"))


def event_family(event: Event) -> str:
    """The family an event links within: an agreement to cease fire is a cease-fire."""
    if event.type == "CEASEFIRE" or "CEASEFIRE" in event.also_types:
        return "CEASEFIRE"
    return event.type


def ceasefire_phase(event: Event) -> str | None:
    """A cease-fire's phase: its agreement or start, a violation, or its collapse (None outside the family)."""
    if event_family(event) != "CEASEFIRE":
        return None
    return event.mode if event.type == "CEASEFIRE" and event.mode in ("violated", "collapsed") else "agreed"
