"""The cross-report ledger: event mentions from many reports linked into events.

Each event mention (one item of a report's ``events`` layer) is linked to the
stored event it most plausibly describes, or starts a new one. Linking is

* **explainable**: every link records the features that matched (type, day,
  place, actors) and its score;
* **reversible**: ``unlink`` moves a mention to an event of its own and pins
  it there, so later reports never pull it back;
* **incremental**: a new report only touches the events its mentions join.

On top of the links this module answers the questions the ledger exists for:
how many *independent* sources support an event (wire copies and relays of
one ultimate source count once), where sources contradict each other
(figures, blame, occurred vs prevented/denied, dates, places), every
ceasefire with its timeline, and who blames whom.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from . import queries
from .errors import Errors, StoreError
from .gazetteer import compatible, distance_km
from .ontology import FALLBACK_FINE, LOCATED_TYPES, acled_name, ceasefire_phase, event_family
from .report import Event, Report
from .store import Store
from .timewindow import day_of, exact_day, shift, window

# -- linking thresholds ------------------------------------------------------
# Calibrated on the hand-written fixtures in tests/test_ledger.py (several
# outlets on one strike, a republished wire copy, two unrelated events in one
# city on one day), the seed report beside TR-News article 1050002, and the
# shared conflict-news development reports (six cease-fire episodes, five
# outlets each); held-out episodes are scored the same way.

# Two dates the texts give to the day are one happening only on the same day,
# except a cease-fire's agreement and its start, which follow within two days
# ("agreed late on Monday, in force from 00:00 on Tuesday"; "ordered on Thursday,
# to run over the weekend"). Truces agreed a week apart stay apart.
SAME_EVENT_DAYS = 0
CEASEFIRE_PHASE_DAYS = 2
# One event spans at most this many days from its first to its last dated
# mention, so that daily coverage of one place cannot chain into one event.
MAX_EVENT_DAYS = 2
# Two places this close are one scene (a town and its outskirts, a city and a
# neighbourhood resolved separately); farther apart they are different events
# unless one contains the other. 50 km merged strikes on Bakhmut and Kramatorsk
# (35 km apart) on one day; 25 km is the gazetteer's own same-scene reach.
SAME_PLACE_KM = 25.0
# The score a candidate needs: a same-day date (2) with a place match (>= 1.5),
# a shared time window (1) with the same settlement (2), or a date with the
# same country and a shared actor. A same-day mention in the same country alone
# (2.5) is not enough: two strikes in one country on one day are usually two.
LINK_THRESHOLD = 3.0
# Cease-fires are followed at the level of a conflict, not a town: one in the
# same theatre, phase and time window is the same cease-fire (window 1 +
# theatre 1); the place of signing (Moscow, Pretoria) is not where it holds.
CEASEFIRE_LINK_THRESHOLD = 2.0
# A report's theatre: the countries that carry at least this share of the most
# mentioned country's place mentions (at most THEATRE_SIZE of them).
THEATRE_SHARE = 0.25
THEATRE_SIZE = 3
# A town or province says where things happen; a country name is often only an actor's
# ("Turkish", "Russia said"), so sub-national places count double towards the theatre.
SUBNATIONAL_WEIGHT = 2

# Windows bounded only by publication widen to hold each other, up to this span.
MAX_SOFT_WINDOW_DAYS = 4
# Date bases that come from the text itself; a window bounded by publication alone is soft.
HARD_BASES = frozenset({"text", "sentence", "paragraph"})
# The ACLED name of the classifier's fallback fine type: no reading of the text.
GENERIC_ACLED = acled_name(FALLBACK_FINE)

WEIGHTS = {
    "day": 2.0,
    "near_day": 1.0,
    "window": 1.0,
    "same_place": 2.0,
    "near_place": 1.5,
    "inside_place": 1.0,
    "report_focus_place": 1.0,
    "same_country": 0.5,
    "theatre": 1.0,
    "actors": 1.0,
    "different_actors": -1.0,
    "different_acled": -1.0,
}


# Ceasefires are followed for weeks: an agreement, its start, violations and
# its collapse, in one place, belong to one ceasefire within this span.
CEASEFIRE_SPAN_DAYS = 30
# A renewal or implementation accord is a phase of a cease-fire agreed up to
# this long before (truces run for weeks or months: a two-month truce renewed).
CEASEFIRE_RENEWAL_DAYS = 120

# Words near an agreement that make it a phase of an earlier cease-fire, not a new one.
RENEWAL_WORDS = re.compile(r"\b(renew\w*|extend\w*|extension|prolong\w*|implement\w*|follow-up)\b")
RENEWAL_CONTEXT = 80  # characters either side of the mention

CLAIM_KINDS_OF_BLAME = ("blame", "accusation")
# Statuses that say an event happened, and those that say it did not.
ASSERTED = {"occurred", "ongoing", "reported"}
NEGATED = {"prevented", "denied"}


@dataclass
class EventMention:
    """What linking needs to know about one event mention."""

    report_id: str
    idx: int
    type: str
    mode: str | None
    acled: str | None
    status: str
    day: str | None  # YYYY-MM-DD from the text, when the text dates it to a day
    published: str | None
    place: str | None
    lat: float | None
    lon: float | None
    country: str | None
    geonameid: int | None
    feature: str | None
    place_from_focus: bool
    actors: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    family: str = ""
    phase: str | None = None  # for cease-fires: agreed, violated or collapsed
    low: str | None = None  # the window the happening lies in, from the text or the publication date
    high: str | None = None
    theatre: list[str] = field(default_factory=list)  # the report's countries, most mentioned first
    hard: bool = False  # the window comes from the text (a day, week, month), not from publication alone


@lru_cache(maxsize=65536)
def normalise_name(name: str) -> str:
    """A name as the ledger compares names: lower case, no article, no punctuation."""
    name = name.lower().replace("’", "'")
    name = re.sub(r"^(the|a|an)\s+", "", name)
    return " ".join(re.sub(r"[^\w\s]", " ", name).split())


def _days_apart(a: str, b: str) -> int:
    return abs((date.fromisoformat(a) - date.fromisoformat(b)).days)


def focus_place(report: Report) -> int | None:
    """The report's main sub-national place: the most mentioned city or smaller place."""
    counts: dict[str, list[int]] = defaultdict(list)
    for i, place in enumerate(report.places):
        if place.lat is not None and place.feature not in ("country", "continent", "region"):
            counts[place.name].append(i)
    if not counts:
        return None
    best = max(counts.values(), key=len)
    return best[0]


def theatre(report: Report) -> list[str]:
    """The countries a report is about, most mentioned first: where its cease-fire holds."""
    counts: Counter[str] = Counter()
    for place in report.places:
        if place.country and not place.text.isupper():  # "BEIRUT, Lebanon —" is where the desk sits
            counts[place.country] += SUBNATIONAL_WEIGHT if place.feature not in ("country", None) else 1
    if not counts:
        return []
    top = max(counts.values())
    ranked = sorted(counts, key=lambda c: (-counts[c], c))
    return [c for c in ranked if counts[c] >= THEATRE_SHARE * top][:THEATRE_SIZE]


def _unique_names(names: Iterable[str]) -> list[str]:
    """Names in order, one per normalised form (display spelling of the first kept)."""
    kept: dict[str, str] = {}
    for name in names:
        kept.setdefault(normalise_name(name), name)
    return list(kept.values())


def mentions_of(report: Report) -> list[EventMention]:
    focus = focus_place(report)
    countries = theatre(report)
    return [_mention(report, idx, event, focus, countries) for idx, event in enumerate(report.events)]


def _mention(report: Report, idx: int, event: Event, focus: int | None, countries: list[str]) -> EventMention:
    place_index = event.place_index
    from_focus = event.place_source == "report"
    if place_index is None or not 0 <= place_index < len(report.places):
        # A rejection or a call happens nowhere in particular: only what happens at a place
        # stands at the report's main place; the rest link by side, theatre and time.
        located = event.type in LOCATED_TYPES
        place_index, from_focus = (focus, focus is not None) if located else (None, False)
    place = report.places[place_index] if place_index is not None else None
    day, low, high = window(event.date, event.date_source, event.status, report.published)
    if event.date_low is not None:  # the window the events stage wrote (readings stored before it had none)
        low, high = event.date_low, event.date_high
        day = exact_day(event.date, event.date_source, low, high)
    return EventMention(
        report_id=report.id, idx=idx, type=event.type, mode=event.mode, acled=event.acled, status=event.status,
        day=day, published=day_of(report.published),
        place=place.name if place else None, lat=place.lat if place else None, lon=place.lon if place else None,
        country=place.country if place else None, geonameid=place.geonameid if place else None,
        feature=place.feature if place else None, place_from_focus=from_focus,
        actors=_unique_names(a.name for a in event.actors), targets=_unique_names(t.name for t in event.targets),
        family=event_family(event), phase=ceasefire_phase(event), low=low, high=high, theatre=countries,
        hard=event.date_source in HARD_BASES and low is not None,
    )


# -- scoring -------------------------------------------------------------------


def _modes_compatible(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return True
    return bool(set(a.split("/")) & set(b.split("/")))


def _stored_family(e: dict[str, Any]) -> str:
    return e.get("family") or e["type"]


def score_link(m: EventMention, e: dict[str, Any]) -> tuple[float, list[str]] | None:
    """Score a mention against a stored event; None when something rules the link out."""
    if m.family != _stored_family(e):
        return None
    ceasefire = m.family == "CEASEFIRE"
    if ceasefire and m.phase != _phase(e):
        return None
    if not ceasefire and (m.type == e["type"] and not _modes_compatible(m.mode, e["mode"])):
        return None
    matched = [f"family {m.family}" + (f"/{m.phase}" if m.phase else "")]
    generic = GENERIC_ACLED in (m.acled, e["acled"])  # "Attack" is the classifier's fallback, not a reading
    if not ceasefire and m.acled and e["acled"] and m.acled != e["acled"] and m.type == e["type"] and not generic:
        # Outlets describe one strike as shelling, another as an air strike: a fine type that
        # differs counts against a link but does not forbid it.
        parts_penalty = [(WEIGHTS["different_acled"], [f"different ACLED types {m.acled} / {e['acled']}"])]
    else:
        parts_penalty = []
    placeless = m.place is None and e["place"] is None  # talks, rejections, appeals: known by who and when
    parts = [_score_days(m, e), _score_theatre(m, e) if ceasefire or placeless else _score_place(m, e),
             _score_actors(m, e, penalise=not ceasefire), *parts_penalty]
    if ceasefire and not m.place_from_focus and m.geonameid and m.geonameid == e["geonameid"]:
        # The Pretoria deal, not the Nairobi one: where an accord was signed tells them apart.
        parts.append((WEIGHTS["same_place"], [f"agreed in {m.place}"]))
    if any(part is None for part in parts):
        return None
    score = sum(part[0] for part in parts)
    for part in parts:
        matched += part[1]
    return score, matched


def _stored_window(e: dict[str, Any]) -> tuple[str | None, str | None]:
    low = e.get("day_lo") or e["day_first"] or e["published"]
    high = e.get("day_hi") or e["day_last"] or e["published"]
    return low, high


def _score_days(m: EventMention, e: dict[str, Any]) -> tuple[float, list[str]] | None:
    """Dates given to the day must agree (two explicit dates are two happenings); windows must overlap."""
    tolerance = CEASEFIRE_PHASE_DAYS if m.family == "CEASEFIRE" and m.phase == "agreed" else SAME_EVENT_DAYS
    if m.day and e["day_first"]:
        gap = 0 if e["day_first"] <= m.day <= e["day_last"] else min(
            _days_apart(m.day, e["day_first"]), _days_apart(m.day, e["day_last"]))
        span = _days_apart(min(m.day, e["day_first"]), max(m.day, e["day_last"]))
        if gap == 0:
            return WEIGHTS["day"], [f"day {m.day}"]
        if gap <= tolerance and span <= MAX_EVENT_DAYS:
            return WEIGHTS["near_day"], [f"day within {tolerance} of {e['day_first']}"]
        return None
    low, high = _stored_window(e)
    if m.low is None or low is None:
        return (0.0, []) if m.low is None and low is None else None
    if shift(m.low, -tolerance) <= high and low <= shift(m.high, tolerance):
        return WEIGHTS["window"], [f"time window {max(m.low, low)}..{min(m.high, high)}"]
    return None


def _score_theatre(m: EventMention, e: dict[str, Any]) -> tuple[float, list[str]] | None:
    """A cease-fire holds in a conflict's countries: each side's main country in the other's theatre."""
    stored = json.loads(e.get("theatre") or "[]") or ([e["country"]] if e["country"] else [])
    if not m.theatre or not stored:
        return 0.0, []
    if m.theatre[0] in stored or stored[0] in m.theatre:
        return WEIGHTS["theatre"], ["theatre " + "/".join(sorted(set(m.theatre) & set(stored)))]
    return None


def _score_place(m: EventMention, e: dict[str, Any]) -> tuple[float, list[str]] | None:
    """One place, places within a town's reach, or one inside the other (a town in its province,
    a province in its country: the GeoNames hierarchy); two places that are none of these are
    two scenes, unless the mention's place is only its report's main place."""
    if m.country and e["country"] and m.country != e["country"]:
        return None
    focus = " (report's main place)" if m.place_from_focus else ""
    if m.geonameid and m.geonameid == e["geonameid"]:
        weight = WEIGHTS["report_focus_place"] if m.place_from_focus else WEIGHTS["same_place"]
        return weight, [f"place {m.place}{focus}"]
    distance = distance_km(m.lat, m.lon, e["lat"], e["lon"]) if m.lat is not None and e["lat"] is not None else None
    if distance is not None and distance <= SAME_PLACE_KM:
        weight = WEIGHTS["report_focus_place"] if m.place_from_focus else WEIGHTS["near_place"]
        return weight, [f"place {m.place} {distance:.0f} km from {e['place']}{focus}"]
    if m.place and e["place"]:
        mine = {"name": m.place, "lat": m.lat, "lon": m.lon, "geonameid": m.geonameid, "country": m.country,
                "feature": m.feature}
        if not compatible(mine, e):
            return (0.0, []) if m.place_from_focus else None
        if "country" in (m.feature, e["feature"]):
            return WEIGHTS["same_country"], [f"country {m.country or e['country']}"]
        return WEIGHTS["inside_place"], [f"place {m.place} and {e['place']}: one inside the other"]
    if m.country and m.country == e["country"]:
        return WEIGHTS["same_country"], [f"country {m.country}"]
    return 0.0, []


def _same_sides(names: list[str], stored: list[str]) -> set[str]:
    """The sides both lists name ("Zelensky" and "Ukraine" are one side), as side keys."""
    return {side_key(n) for n in names} & {side_key(n) for n in stored} - {None}


def _score_actors(m: EventMention, e: dict[str, Any], penalise: bool = True) -> tuple[float, list[str]] | None:
    """Shared actors support a link; one side's attack and the other's reply are two happenings.

    A cease-fire's parties are named many ways ("Armenia", "the foreign ministers"), so
    different names there are no evidence against a link (``penalise`` off)."""
    stored_actors = {normalise_name(a) for a in json.loads(e["actors"])}
    stored_targets = {normalise_name(t) for t in json.loads(e.get("targets") or "[]")}
    actors, targets = {normalise_name(a) for a in m.actors}, {normalise_name(t) for t in m.targets}
    shared = stored_actors & actors or _same_sides(m.actors, json.loads(e["actors"]))
    if penalise and not shared and (actors & stored_targets or targets & stored_actors):
        return None
    if shared:
        return WEIGHTS["actors"], ["actors " + ", ".join(sorted(shared))]
    if actors and stored_actors and penalise:
        return WEIGHTS["different_actors"], ["different actors"]
    return 0.0, []


# -- writing links ---------------------------------------------------------------


def link_report(store: Store, report: Report) -> list[dict[str, Any]]:
    """Link every event mention of a stored report; returns one decision per mention.

    A wire copy adds no events: each of its mentions joins the event of the
    original's matching mention (or, failing one, an event it matches), never
    a new one."""
    decisions = []
    original_id = store.original_of(report.id)
    counterpart = _counterparts(store, report, original_id) if original_id else {}
    with store.transaction():
        for mention in mentions_of(report):
            if queries.mention_linked(store, mention.report_id, mention.idx):
                continue
            if mention.idx in counterpart:
                decisions.append(_record(store, mention, counterpart[mention.idx], [f"wire copy of {original_id}"], None))
                continue
            decision = _link_one(store, mention, create=original_id is None)
            if decision is not None:
                decisions.append(decision)
    return decisions


def _counterparts(store: Store, copy: Report, original_id: str) -> dict[int, int]:
    """For each event of a wire copy, the ledger event of the same words in its original."""
    linked = queries.event_ids_of(store, original_id)
    if not linked:
        return {}
    original = store.load(original_id)
    found: dict[int, int] = {}
    for idx, event in enumerate(copy.events):
        same = [i for i, o in enumerate(original.events) if i in linked and o.type == event.type
                and normalise_name(o.text) == normalise_name(event.text)]
        if same:
            position = event.start / max(len(copy.text), 1)
            best = min(same, key=lambda i: abs(original.events[i].start / max(len(original.text), 1) - position))
            found[idx] = linked[best]
    return found


def _candidates(store: Store, m: EventMention) -> list[dict[str, Any]]:
    """Stored events of the mention's family whose time windows could meet: an indexed query.

    Only these are scored, so linking cost grows with the events near a date,
    not with everything ever stored."""
    if m.low is None:
        return queries.candidate_events(store, m.family, m.type, None)
    reach = max(CEASEFIRE_PHASE_DAYS, MAX_EVENT_DAYS)
    return queries.candidate_events(store, m.family, m.type, (shift(m.low, -reach), shift(m.high, reach)))


def _link_one(store: Store, m: EventMention, create: bool = True) -> dict[str, Any] | None:
    threshold = CEASEFIRE_LINK_THRESHOLD if m.family == "CEASEFIRE" else LINK_THRESHOLD
    best: tuple[float, list[str], dict[str, Any]] | None = None
    for candidate in _candidates(store, m):
        scored = score_link(m, candidate)
        if scored and scored[0] >= threshold and (best is None or scored[0] > best[0]):
            best = (scored[0], scored[1], candidate)
    if best is None:
        if not create:
            return None
        return _record(store, m, _new_event(store, m), ["new event"], None)
    score, matched, candidate = best
    _widen(store, candidate, m)
    return _record(store, m, candidate["id"], matched, score)


def _record(store: Store, m: EventMention, event_id: int, matched: list[str], score: float | None) -> dict[str, Any]:
    store.record_mention(m.report_id, m.idx, event_id, json.dumps(matched), score)
    return {"report_id": m.report_id, "idx": m.idx, "event_id": event_id, "matched_on": matched, "score": score}


def _new_event(store: Store, m: EventMention, pinned: bool = False) -> int:
    event_type = "CEASEFIRE" if m.family == "CEASEFIRE" else m.type
    mode = m.phase if m.family == "CEASEFIRE" else m.mode
    return store.insert_event({
        "type": event_type, "mode": mode, "acled": m.acled, "day_first": m.day, "day_last": m.day,
        "published": m.published, "place": m.place, "lat": m.lat, "lon": m.lon, "country": m.country,
        "geonameid": m.geonameid, "feature": m.feature, "actors": json.dumps(m.actors), "pinned": int(pinned),
        "family": m.family, "day_lo": m.low, "day_hi": m.high, "theatre": json.dumps(m.theatre),
        "targets": json.dumps(m.targets), "window_hard": int(m.hard),
    })


def _narrowed(e: dict[str, Any], m: EventMention) -> tuple[str | None, str | None, bool]:
    """The stored window after a mention joins, and whether the text gave it: the days the
    texts give; else the overlap of the windows the texts give (a week and a month: the days
    in both); a window bounded only by publication is a guess, so it never narrows a window
    the text gives, and guesses widen to hold each other."""
    days = [d for d in (e["day_first"], e["day_last"], m.day) if d]
    if days:
        return min(days), max(days), True
    low, high = _stored_window(e)
    hard = bool(e.get("window_hard"))
    if low is None or m.low is None:
        return (low, high, hard) if low is not None else (m.low, m.high, m.hard)
    if hard and m.hard:
        if max(low, m.low) <= min(high, m.high):
            return max(low, m.low), min(high, m.high), True
        return low, high, True
    if hard or m.hard:
        return (low, high, True) if hard else (m.low, m.high, True)
    low_hull, high_hull = min(low, m.low), max(high, m.high)
    if _days_apart(low_hull, high_hull) > MAX_SOFT_WINDOW_DAYS:
        return low, high, False  # guesses must not chain a week of coverage into one event
    return low_hull, high_hull, False


def _widen(store: Store, e: dict[str, Any], m: EventMention) -> None:
    """Let the stored event absorb what the new mention adds (a date, a place, actors)."""
    days = [d for d in (e["day_first"], e["day_last"], m.day) if d]
    actors = _unique_names([*json.loads(e["actors"]), *m.actors])
    targets = _unique_names([*json.loads(e.get("targets") or "[]"), *m.targets])
    low, high, hard = _narrowed(e, m)
    better_place = e["lat"] is None or (not m.place_from_focus and m.lat is not None and e["place"] != m.place
                                        and e["country"] is None)
    store.widen_event(
        e["id"], day_first=min(days) if days else None, day_last=max(days) if days else None,
        actors=json.dumps(actors), targets=json.dumps(targets), mode=m.mode, acled=m.acled,
        published=(min(p for p in (e["published"], m.published) if p)
                   if (e["published"] or m.published) else None),
        day_lo=low, day_hi=high, window_hard=int(hard),
    )
    if better_place and m.lat is not None:
        store.move_event(e["id"], place=m.place, lat=m.lat, lon=m.lon, country=m.country,
                         geonameid=m.geonameid, feature=m.feature)


def unlink(store: Store, report_id: str, idx: int) -> int:
    """Undo a merge: move one mention to a new event of its own, pinned so it is not merged again."""
    report = store.load(report_id)
    mention = _mention(report, idx, report.events[idx], focus_place(report), theatre(report))
    with store.transaction():
        event_id = _new_event(store, mention, pinned=True)
        store.relink_mention(report_id, idx, event_id, json.dumps(["unlinked by hand"]))
    return event_id


# -- reading the ledger ------------------------------------------------------------


class ReadingCache:
    """Loaded reports, each read once per query."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.reports: dict[str, Report] = {}

    def __call__(self, report_id: str) -> Report:
        if report_id not in self.reports:
            self.reports[report_id] = self.store.load(report_id)
        return self.reports[report_id]


def _original(store: Store, report_id: str) -> str:
    return store.original_of(report_id) or report_id


@lru_cache(maxsize=4096)
def source_lineage(name: str) -> str:
    """Whom a source speaks for, so that one voice counts once: a spokesman, a statement or a
    ministry of an organisation is that organisation ("a Hezbollah spokesman" and "Hezbollah"
    are one source); a person or organisation the dictionary does not know is itself."""
    from .actordict import default_dictionary, tokenize

    dictionary = default_dictionary()
    entries = [dictionary.resolve(hit) for hit in dictionary.scan(tokenize(name[:200]))]
    entries = [e for e in entries if e is not None]
    organisations = [e for e in entries if e.kind != "person"]
    chosen = organisations[0] if organisations else entries[0] if len(entries) == 1 else None
    if chosen is None:
        return normalise_name(name)
    return chosen.affiliation or chosen.id


def ultimate_source(report: Report, event: Event) -> str:
    """Who the event ultimately rests on: the claim's source, else the outlet itself."""
    if event.claim is not None and 0 <= event.claim < len(report.claims):
        return report.claims[event.claim].source.name
    return report.outlet or report.id


def claims_about(report: Report, event: Event) -> list[int]:
    """Claims that assert or explain the event: its own claim and claims whose content covers it."""
    found = {event.claim} if event.claim is not None else set()
    for i, claim in enumerate(report.claims):
        if claim.content.start <= event.start and event.end <= claim.content.end:
            found.add(i)
    return sorted(i for i in found if i is not None and 0 <= i < len(report.claims))


def event_ledger(store: Store, event_id: int, cache: ReadingCache | None = None) -> dict[str, Any]:
    """Everything the ledger knows about one event: mentions, claims by source, sources, contradictions."""
    cache = cache or ReadingCache(store)
    row = queries.event_row(store, event_id)
    if row is None:
        raise StoreError(Errors.E019, key=event_id)
    mentions, claims_by_source, figures, sources = [], defaultdict(list), [], set()
    for m in queries.mention_rows(store, event_id):
        report = cache(m["report_id"])
        event = report.events[m["idx"]]
        source = source_lineage(ultimate_source(report, event))
        original = _original(store, report.id)
        sources.add(source if event.claim is not None else f"outlet:{original}")
        mentions.append({**m, "matched_on": json.loads(m["matched_on"]), "status": event.status,
                         "date": event.date, "date_source": event.date_source, "date_low": event.date_low,
                         "date_high": event.date_high, "start": event.start, "end": event.end, "text": event.text,
                         "source": ultimate_source(report, event), "copy_of": store.original_of(report.id)})
        for ci in claims_about(report, event):
            claim = report.claims[ci]
            claims_by_source[claim.source.name].append({
                "report_id": report.id, "idx": ci, "kind": claim.kind, "direct": claim.direct,
                "text": report.snippet(claim.content.start, claim.content.end), "start": claim.start,
                "end": claim.end, "outlet": report.outlet, "targets": [t.name for t in claim.targets],
                "via": [v.name for v in claim.via],
            })
        for qi in event.quantities:
            if 0 <= qi < len(report.quantities):
                q = report.quantities[qi]
                figures.append({"source": ultimate_source(report, event), "low": q.low, "high": q.high,
                                "unit": q.unit, "status": q.status, "report_id": report.id, "text": q.text})
    result = {
        **{k: row[k] for k in ("id", "type", "mode", "acled", "place", "lat", "lon", "country", "feature")},
        "date": row["day_first"], "date_last": row["day_last"], "actors": json.loads(row["actors"]),
        "window": [row["day_lo"], row["day_hi"]],
        "theatre": json.loads(row["theatre"] or "[]") or ([row["country"]] if row["country"] else []),
        "mentions": mentions, "sources": len(sources),
        "claims": [{"source": s, "claims": c} for s, c in claims_by_source.items()],
        "figures": figures,
    }
    result["contradictions"] = _distinct(contradictions(result))
    return result


def contradictions(ledger: dict[str, Any]) -> list[dict[str, Any]]:
    """Disagreements between different sources about one event."""
    found = []
    figures = ledger["figures"]
    figure_sources = [normalise_name(f["source"]) for f in figures]
    for i, a in enumerate(figures):
        for j in range(i + 1, len(figures)):
            b = figures[j]
            if figure_sources[i] == figure_sources[j] or not _same_count(a, b):
                continue
            if _disjoint(a, b):
                found.append({"kind": "figures", "severity": "contradiction",
                              "detail": f"{_fmt(a)} per {a['source']} vs {_fmt(b)} per {b['source']}", "a": a, "b": b})
            elif (a["low"], a["high"]) != (b["low"], b["high"]):
                # "at least 12" and "21" can both be true, but a monitor weighs differing tolls.
                found.append({"kind": "figures", "severity": "difference",
                              "detail": f"{_fmt(a)} per {a['source']}, {_fmt(b)} per {b['source']}", "a": a, "b": b})
    mentions = ledger["mentions"]
    # An agreement and its start within CEASEFIRE_PHASE_DAYS are two phases, not two dates.
    phases = ledger["type"] == "CEASEFIRE" and ledger["mode"] in (None, "agreed")
    mention_sources = [normalise_name(m["source"]) for m in mentions]
    for i, a in enumerate(mentions):
        for j in range(i + 1, len(mentions)):
            b = mentions[j]
            if mention_sources[i] == mention_sources[j]:
                continue
            pair = {a["status"], b["status"]}
            if pair & ASSERTED and pair & NEGATED:
                found.append({"kind": "status", "detail": f"{a['status']} per {a['source']} vs {b['status']} per {b['source']}",
                              "a": a, "b": b})
            # A date that is only the publication day, or the likeliest day of a wider window, is
            # no claim about the day it happened.
            day_a, day_b = (exact_day(x["date"], x.get("date_source"), x.get("date_low"), x.get("date_high"))
                            for x in (a, b))
            if day_a and day_b and day_a != day_b and not (phases and _days_apart(day_a, day_b) <= CEASEFIRE_PHASE_DAYS):
                found.append({"kind": "date", "detail": f"{day_a} per {a['source']} vs {day_b} per {b['source']}",
                              "a": a, "b": b})
    found.extend(_opposite_blame(ledger["claims"]))
    return found


def _same_count(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return (a["status"] or "") == (b["status"] or "")


def _disjoint(a: dict[str, Any], b: dict[str, Any]) -> bool:
    a_low, a_high = a["low"] or 0, a["high"] if a["high"] is not None else math.inf
    b_low, b_high = b["low"] or 0, b["high"] if b["high"] is not None else math.inf
    return a_high < b_low or b_high < a_low


def _fmt(figure: dict[str, Any]) -> str:
    low, high = figure["low"], figure["high"]
    bounds = f"{low:g}" if low == high else f"{low or 0:g}–{high:g}" if high is not None else f"{low:g}+"
    return f"{bounds} {figure['unit'] or ''} {figure['status'] or ''}".strip()


_OPPOSITION_WORDS = re.compile(r"\b(rebels?|opposition|insurgents?|militants?|jihadists?|armed groups?)\b", re.I)
_GOVERNMENT_WORDS = re.compile(r"\b(regime|government|army|troops|military|president|pro-government)\b", re.I)
_GOVERNMENT_KINDS = ("state", "government", "military", "police")


def side_of(name: str) -> str | None:
    """Which side of a civil conflict a blamed actor is on: "opposition", "government" or unknown."""
    from .actordict import lookup

    if _OPPOSITION_WORDS.search(name):
        return "opposition"
    entry = lookup(name)
    if entry is not None and entry.kind == "rebels":
        return "opposition"
    if (entry is not None and entry.kind in _GOVERNMENT_KINDS) or _GOVERNMENT_WORDS.search(name):
        return "government"
    return None


# A side keyed by a state's ISO alpha-3 code (not an organisation's dictionary id).
ISO3_KEY = re.compile(r"^[A-Z]{3}$")
# Kinds of dictionary actor that speak for their state: a minister, an army, a ministry.
STATE_KINDS = frozenset({"person", "state", "government", "military", "police"})


@lru_cache(maxsize=4096)
def side_key(name: str) -> str | None:
    """The side a named actor stands for: its state (ISO alpha-3) for officials, forces and
    governments; its own organisation for an armed group or party; None when unknown.

    "Russia", "Russian forces", "the Kremlin" and Lavrov are one side; so are an
    organisation and its spokesman."""
    from .actordict import lookup

    entry = lookup(name)
    if entry is None:
        return None
    if entry.affiliation:
        return entry.affiliation
    if entry.kind in STATE_KINDS and entry.country:
        return entry.country
    return entry.id


def _opposite_blame(claim_groups: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Pairs of sources that blame each other's side (Armenia blames Azerbaijan, Azerbaijan
    blames Armenia), or one the government side and the other the opposition."""
    blames = []
    for group in claim_groups:
        for claim in group["claims"]:
            if claim["kind"] not in CLAIM_KINDS_OF_BLAME:
                continue
            targets = {side_key(t) for t in claim["targets"]} - {None}
            civil = {side_of(t) for t in claim["targets"]} - {None}
            blames.append((group["source"], side_key(group["source"]), targets, civil, claim))
    found, seen = [], set()
    for i, (source_a, key_a, targets_a, civil_a, a) in enumerate(blames):
        for source_b, key_b, targets_b, civil_b, b in blames[i + 1 :]:
            if normalise_name(source_a) == normalise_name(source_b) or key_a is not None and key_a == key_b:
                continue
            mutual = key_a is not None and key_b is not None and key_a in targets_b and key_b in targets_a
            opposed = len(civil_a) == 1 and len(civil_b) == 1 and civil_a != civil_b
            pair = frozenset({(key_a or normalise_name(source_a), frozenset(targets_a or civil_a)),
                              (key_b or normalise_name(source_b), frozenset(targets_b or civil_b))})
            if (mutual or opposed) and pair not in seen:
                seen.add(pair)
                found.append({"kind": "blame",
                              "detail": f"{source_a} blames {', '.join(a['targets'])}; "
                                        f"{source_b} blames {', '.join(b['targets'])}",
                              "a": a, "b": b})
    return found


def query_events(
    store: Store, *, place: str | None = None, country: str | None = None, date_from: str | None = None,
    date_to: str | None = None, type: str | None = None, actor: str | None = None, source: str | None = None,
    limit: int = 100, offset: int = 0, cache: ReadingCache | None = None,
) -> list[dict[str, Any]]:
    """Linked events, filtered, newest first, each with its mentions, source count and contradictions."""
    flt = queries.LedgerFilter(place=place, country=country, date_from=date_from, date_to=date_to, type=type,
                               actor=actor)
    # Paged in SQL unless a source is asked for (matched on the answers, then paged below) or limit < 0 (all).
    ids = (queries.event_ids(store, flt, limit, offset) if source is None and limit >= 0
           else queries.event_ids(store, flt))
    cache = cache or ReadingCache(store)
    events = [event_ledger(store, event_id, cache) for event_id in ids]
    if source:
        wanted = normalise_name(source)
        events = [e for e in events if any(wanted in normalise_name(m["source"]) or wanted in normalise_name(m["outlet"] or "")
                                           for m in e["mentions"])]
        events = events[offset:]
        events = events[:limit] if limit >= 0 else events
    return events


def contested_claims(store: Store) -> list[dict[str, Any]]:
    """Events whose sources disagree, with the disagreement and the claims behind it."""
    cache = ReadingCache(store)
    # Mutual blame over a cease-fire is a contradiction about that cease-fire: shown on its first event.
    board_blame = {board["events"][0]: board["contradictions"] for board in ceasefires(store, cache)
                   if board["contradictions"] and board["events"]}
    out = []
    for event_id in queries.event_ids_by_day(store):
        ledger = event_ledger(store, event_id, cache)
        ledger["contradictions"] = _distinct(ledger["contradictions"] + board_blame.get(event_id, []))
        if ledger["contradictions"]:
            out.append(ledger)
    return out


def _distinct(contradictions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each disagreement once, however many mentions repeat it."""
    return list({(c["kind"], c["detail"]): c for c in contradictions}.values())


def blame_matrix(store: Store, *, place: str | None = None, date_from: str | None = None,
                 date_to: str | None = None) -> dict[str, Any]:
    """Who blames whom, how often, and the claims behind each cell.

    Rows and columns are sides, not spellings: officials, forces and governments
    roll up to their state and a spokesman to his organisation (``side_key``), so
    "Russia", "Russian forces" and the foreign minister are one row; a name the
    dictionary does not know is its own side. Each side keeps the names behind it
    (``sides[].members``), each cell the name pairs it holds (``members``) and each
    claim its own source and targets, for drill-down; a claim counts once per cell.

    ``place`` keeps the claims of reports about that place (the report's main place
    is it or lies in it: "Idlib" holds Maarat al-Numan in Idlib Governorate) and
    claims that name it themselves (case-blind); a report that only mentions it in
    passing is not about it. ``date_from`` and ``date_to`` keep reports published
    in the span (inclusive; YYYY, YYYY-MM or YYYY-MM-DD).
    """
    from .actordict import default_dictionary

    dictionary = default_dictionary()
    admin_words = re.compile(r"\s+(governorate|province|oblast|region|district|state|county)$")
    wanted = admin_words.sub("", normalise_name(place)) if place is not None else None

    def at_place(report: Report, focus: int | None, start: int, end: int) -> bool:
        """The report is about the place (its main place, or that place's province), or the claim names it."""
        places = [p for i, p in enumerate(report.places) if i == focus or start <= p.start < end]
        return wanted in {admin_words.sub("", normalise_name(n)) for p in places for n in (p.name, p.text, p.admin1_name) if n}

    def published_in(report: Report) -> bool:
        day = day_of(report.published)
        if not day:
            return not (date_from or date_to)
        return (not date_from or day >= date_from) and (not date_to or day[:len(date_to)] <= date_to)

    sides: dict[str, dict[str, Any]] = {}

    def side(name: str) -> str:
        key = side_key(name)
        if not key or key.startswith("any-"):  # "the army" of no named state: its own name, not every army
            key = "name:" + normalise_name(name)
        sides.setdefault(key, {"key": key, "members": Counter()})["members"][name] += 1
        return key

    def label_sides() -> None:
        """A state's side is named as its reports most often name it ("Syrian government forces",
        not the bare country); an organisation by its dictionary name; others as written."""
        taken: set[str] = set()
        for key, found in sides.items():
            entry = dictionary.entry(key) if not key.startswith("name:") and not ISO3_KEY.match(key) else None
            label = entry.name if entry is not None else found["members"].most_common(1)[0][0]
            found["name"] = f"{label} ({key})" if label in taken else label
            taken.add(found["name"])

    cells: dict[tuple[str, str], dict[str, Any]] = {}
    for report in store.reports():
        if not published_in(report):
            continue
        focus = focus_place(report) if wanted is not None else None
        for idx, claim in enumerate(report.claims):
            if claim.kind not in CLAIM_KINDS_OF_BLAME:
                continue
            if wanted is not None and not at_place(report, focus, claim.start, claim.end):
                continue
            source = side(claim.source.name)
            for target in claim.targets:
                cell = cells.setdefault((source, side(target.name)), {"claims": {}, "members": Counter()})
                cell["members"][(claim.source.name, target.name)] += 1
                cell["claims"].setdefault((report.id, idx), {
                    "report_id": report.id, "idx": idx, "text": report.snippet(claim.start, claim.end),
                    "outlet": report.outlet, "published": report.published, "source": claim.source.name,
                    "targets": []})["targets"].append(target.name)
    label_sides()
    rows = [{"source": sides[s]["name"], "target": sides[t]["name"], "source_key": s, "target_key": t,
             "count": len(cell["claims"]), "claims": list(cell["claims"].values()),
             "members": [{"source": a, "target": b, "count": n} for (a, b), n in sorted(cell["members"].items())]}
            for (s, t), cell in cells.items()]
    return {
        "actors": sorted({s["name"] for s in sides.values()}),
        "sides": sorted(({**s, "members": sorted(s["members"])} for s in sides.values()), key=lambda s: s["name"]),
        "cells": sorted(rows, key=lambda c: (c["source"], c["target"])),
        "filters": {"place": place, "date_from": date_from, "date_to": date_to},
    }


def ceasefires(store: Store, cache: ReadingCache | None = None) -> list[dict[str, Any]]:
    """Every cease-fire found, one entry each, with its brokers, parties, terms and timeline.

    A cease-fire is keyed by its theatre (the countries its reports are about)
    and its agreement: agreements the texts date apart are different
    cease-fires unless one renews or implements the other; violations and a
    collapse belong to the latest cease-fire agreed before them in the same
    theatre. The place of one mention (the city where it was signed) is not
    the key."""
    cache = cache or ReadingCache(store)
    ledgers = [event_ledger(store, event_id, cache) for event_id in queries.ceasefire_event_ids(store)]
    boards: list[dict[str, Any]] = []
    for ledger in sorted(ledgers, key=_board_order):
        board = _board_for(boards, ledger, cache)
        board["events"].append(ledger["id"])
        _absorb(board, ledger, cache)
    boards.sort(key=lambda b: (b["first_day"] or "9999", b["events"][0]))
    for number, board in enumerate(boards, start=1):
        board["id"] = number
        blame = _blame_in(board, cache)
        board["timeline"].extend(blame)
        # Those blamed for breaking a truce are bound by it: its parties (brokers excepted in _settle).
        board["parties"].update(target for b in blame for target in b["targets"])
        board["contradictions"] = _opposite_blame([{"source": b["source"], "claims": [b]} for b in blame])
        _settle(board)
    return boards


def _phase(row: dict[str, Any]) -> str:
    """A stored cease-fire event's phase (its row or its ledger: both carry the mode)."""
    return row["mode"] if row["mode"] in ("violated", "collapsed") else "agreed"


def _board_order(ledger: dict[str, Any]) -> tuple[int, int, str]:
    """Agreements the texts date come first (they found the entries), then undated ones, then the rest."""
    phase_rank = 0 if _phase(ledger) == "agreed" else 1
    return phase_rank, 0 if ledger["date"] else 1, ledger["date"] or ledger["window"][0] or "9999"


def _renews(ledger: dict[str, Any], cache: ReadingCache) -> bool:
    """Whether a mention of this agreement says it renews, extends or implements an earlier one."""
    for m in ledger["mentions"]:
        report = cache(m["report_id"])
        around = report.text[max(0, m["start"] - RENEWAL_CONTEXT):m["end"] + RENEWAL_CONTEXT].lower()
        if RENEWAL_WORDS.search(around):
            return True
    return False


def _theatres_meet(a: list[str], b: list[str]) -> bool:
    """One report's main country is among the other's: the same conflict seen from either side."""
    return bool(a and b and (a[0] in b or b[0] in a))


def _ledger_day(ledger: dict[str, Any], cache: ReadingCache) -> str | None:
    """The event's day from its text, else the earliest publication date of its reports."""
    if ledger["date"]:
        return ledger["date"]
    days = [day_of(cache(m["report_id"]).published) for m in ledger["mentions"]]
    return min((d for d in days if d), default=None)


def _places_compatible(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """One place, two places within reach, or one inside the other (a town in its province or country)."""
    if not a["place"] or not b["place"] or a["place"] == b["place"]:
        return True
    if a["lat"] is not None and b["lat"] is not None and distance_km(a["lat"], a["lon"], b["lat"], b["lon"]) <= SAME_PLACE_KM:
        return True
    return compatible(a, b)


def _board_for(boards: list[dict[str, Any]], ledger: dict[str, Any], cache: ReadingCache) -> dict[str, Any]:
    day = ledger["date"] or ledger["window"][1] or _ledger_day(ledger, cache)
    same_theatre = [b for b in boards if _theatres_meet(b["theatre"], ledger["theatre"])
                    or not (b["theatre"] and ledger["theatre"]) and _places_compatible(b, ledger)]
    found = _agreement_board(same_theatre, ledger, day, cache) if _phase(ledger) == "agreed" \
        else _violation_board(same_theatre, day)
    if found is not None:
        return found
    board = {"id": len(boards) + 1, "place": ledger["place"], "lat": ledger["lat"], "lon": ledger["lon"],
             "country": ledger["country"], "feature": ledger.get("feature"), "theatre": list(ledger["theatre"]),
             "brokers": set(), "parties": set(), "agreed": None, "collapsed": None, "first_day": day, "terms": [],
             "timeline": [], "events": [], "reports": set()}
    boards.append(board)
    return board


def _agreement_board(boards: list[dict[str, Any]], ledger: dict[str, Any], day: str | None,
                     cache: ReadingCache) -> dict[str, Any] | None:
    """The entry an agreement belongs to: one agreed within a day of it, the latest one before it
    when the texts do not date it, or one it renews or implements."""
    for board in sorted(boards, key=lambda b: b["first_day"] or "", reverse=True):
        first = board["first_day"]
        if not first or not day:
            return board
        apart = _days_apart(day, first)
        if apart <= CEASEFIRE_PHASE_DAYS or not ledger["date"] and first <= day and apart <= CEASEFIRE_SPAN_DAYS:
            return board
        if day >= first and apart <= CEASEFIRE_RENEWAL_DAYS and _renews(ledger, cache):
            return board
    return None


def _violation_board(boards: list[dict[str, Any]], day: str | None) -> dict[str, Any] | None:
    """The entry a violation or collapse belongs to: the latest cease-fire agreed before it."""
    def before(board: dict[str, Any]) -> bool:
        first = board["first_day"]
        return not day or not first or first <= day and _days_apart(day, first) <= CEASEFIRE_RENEWAL_DAYS
    earlier = [b for b in boards if before(b)]
    if earlier:
        return max(earlier, key=lambda b: b["first_day"] or "")
    if boards and day:
        return min(boards, key=lambda b: _days_apart(day, b["first_day"]) if b["first_day"] else 0)
    return boards[0] if boards else None


def _absorb(board: dict[str, Any], ledger: dict[str, Any], cache: ReadingCache) -> None:
    if board["feature"] in (None, "country") and ledger["lat"] is not None and ledger.get("feature") != "country":
        for key in ("place", "lat", "lon", "country", "feature"):
            board[key] = ledger.get(key)
    mode = ledger["mode"] or "mentioned"
    for m in ledger["mentions"]:
        report = cache(m["report_id"])
        event = report.events[m["idx"]]
        board["brokers"].update(b.name for b in event.brokers)
        if mode == "agreed":
            board["parties"].update(a.name for a in event.actors)
        board["parties"].update(t.name for t in event.targets)
        from_text = day_of(event.date) if event.date_source != "published" else None
        board["timeline"].append({"date": from_text or day_of(report.published),
                                  "dated_by": "text" if from_text else "publication",
                                  "kind": mode, "status": event.status, "text": event.text,
                                  "report_id": report.id, "outlet": report.outlet, "start": event.start,
                                  "end": event.end, "source": m["source"], "event_idx": m["idx"]})
        if mode == "agreed":
            board["terms"].extend(_terms(report))
        board["reports"].add(report.id)


def _blame_in(board: dict[str, Any], cache: ReadingCache) -> list[dict[str, Any]]:
    """Blame claims made in the board's reports: in a report about a ceasefire, blame is about it."""
    items = []
    for report_id in sorted(board["reports"]):
        report = cache(report_id)
        for idx, claim in enumerate(report.claims):
            if claim.kind in CLAIM_KINDS_OF_BLAME and claim.targets:
                items.append({"date": day_of(report.published), "dated_by": "publication", "kind": "blame",
                              "status": "reported", "text": report.snippet(claim.start, claim.end),
                              "report_id": report_id, "idx": idx, "outlet": report.outlet, "start": claim.start,
                              "end": claim.end, "source": claim.source.name,
                              "targets": [t.name for t in claim.targets]})
    return items


def _settle(board: dict[str, Any]) -> None:
    """Order the timeline, drop repeated terms, and read the key dates off the timeline.

    A term is one measure however often the reports restate it: terms of one type
    whose spans overlap in a report, or whose main word has one stem ("first
    evacuations take", "evacuation", "to be evacuated"), are one; the shortest
    wording is kept and the others are listed under ``also``."""
    board["timeline"].sort(key=lambda item: (item["date"] or "9999", item["kind"] != "agreed"))

    def head(term: dict[str, Any]) -> str:
        word = max(re.findall(r"[a-z]+", term["text"].lower()), key=len, default="")
        return re.sub(r"(ions?|ing|ed|es|s|e)$", "", word)

    def same(a: dict[str, Any], b: dict[str, Any]) -> bool:
        overlap = a["report_id"] == b["report_id"] and a["start"] < b["end"] and b["start"] < a["end"]
        return a["type"] == b["type"] and (overlap or head(a) == head(b))

    kept: list[dict[str, Any]] = []
    for term in sorted(board["terms"], key=lambda t: (len(t["text"]), t["report_id"], t["start"])):
        match = next((k for k in kept if same(k, term)), None)
        if match is None:
            kept.append({**term, "also": []})
        elif term["text"] != match["text"] and term["text"] not in match["also"]:
            match["also"].append(term["text"])
    board["terms"] = sorted(kept, key=lambda t: (t["report_id"], t["start"]))
    board["reports"] = sorted(board["reports"])
    board["brokers"] = sorted(board["brokers"])
    board["parties"] = sorted(board["parties"] - set(board["brokers"]))
    for key, kind in (("agreed", "agreed"), ("collapsed", "collapsed")):
        days = [i["date"] for i in board["timeline"] if i["kind"] == kind and i["date"]
                and i["status"] in ("occurred", "reported")]
        board[key] = min(days) if days else None
    planned = [i["date"] for i in board["timeline"] if i["status"] == "planned" and i["kind"] != "blame" and i["date"]]
    board["starts"] = min(planned) if planned else None


def _terms(report: Report) -> list[dict[str, Any]]:
    """Planned measures stated in a report of the agreement: evacuations, withdrawals, corridors."""
    return [{"type": e.type, "text": e.text, "status": e.status, "report_id": report.id, "start": e.start,
             "end": e.end, "event_idx": idx} for idx, e in enumerate(report.events)
            if e.status == "planned" and e.type in ("EVACUATE", "RETREAT", "AID")]


def relink_all(store: Store) -> int:
    """Link every stored report that has unlinked mentions (e.g. after upgrading an existing database)."""
    count = 0
    for report in store.reports():
        count += len(link_report(store, report))
    return count

