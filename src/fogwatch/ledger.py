"""The cross-report ledger: event mentions from many reports linked into events.

Each event mention (one item of a report's ``events`` layer) is linked to the
stored event it most plausibly describes, or starts a new one. Linking is

* **explainable**: every link records the features that matched (type, day,
  place, actors) and its score;
* **reversible**: ``unlink`` moves a mention to an event of its own and pins
  it there, so later reports never pull it back;
* **incremental**: a new report only touches the events its mentions join.

What the links answer (sources, contradictions, the cease-fire board, who blames
whom) is built in ``views.py``.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from . import queries
from .actordict import side_key
from .gazetteer import compatible, distance_km
from .ontology import FALLBACK_FINE, LOCATED_TYPES, acled_name, ceasefire_phase, event_family
from .report import Event, Report
from .store import Store
from .timewindow import day_of, days_apart, exact_day, shift, window

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
HARD_BASES = frozenset({"text", "sentence", "paragraph", "report"})
# A report's mentions of these at one named place, days not differing, are one happening retold
# (the toll in the lede, again in the body). Deaths only: a report's strikes on one city are often
# several. Checked on the dev ledger (no new wrong merge) and the seed's three Aleppo tolls.
RETOLD_TYPES = frozenset({"KILL"})
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
    "same_report": 1.0,
    "retold_toll": 2.0,
}


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
    place = report.place_of(event)
    from_focus = event.place_source == "report"
    if place is None:
        # A rejection or a call happens nowhere in particular: only what happens at a place
        # stands at the report's main place; the rest link by side, theatre and time.
        located = event.type in LOCATED_TYPES
        place = report.places[focus] if located and focus is not None else None
        from_focus = place is not None
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


def stored_phase(row: dict[str, Any]) -> str:
    """A stored cease-fire event's phase (its row or its ledger: both carry the mode)."""
    return row["mode"] if row["mode"] in ("violated", "collapsed") else "agreed"


def score_link(m: EventMention, e: dict[str, Any]) -> tuple[float, list[str]] | None:
    """Score a mention against a stored event; None when something rules the link out."""
    if m.family != _stored_family(e):
        return None
    ceasefire = m.family == "CEASEFIRE"
    if ceasefire and m.phase != stored_phase(e):
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
            days_apart(m.day, e["day_first"]), days_apart(m.day, e["day_last"]))
        span = days_apart(min(m.day, e["day_first"]), max(m.day, e["day_last"]))
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
            # a town's event inside a country-wide one ("fighting continued across Ukraine") is
            # compatible, but the country says nothing for the link
            return 0.0 if m.place and e["place"] and not m.place_from_focus else WEIGHTS["same_country"], \
                [f"country {m.country or e['country']}"]
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
    own: set[int] = set()  # the events this report's mentions have joined so far
    with store.transaction():
        for mention in mentions_of(report):
            if queries.mention_linked(store, mention.report_id, mention.idx):
                continue
            if mention.idx in counterpart:
                decisions.append(_record(store, mention, counterpart[mention.idx], [f"wire copy of {original_id}"], None))
                continue
            decision = _link_one(store, mention, create=original_id is None, own=own)
            if decision is not None:
                decisions.append(decision)
                own.add(decision["event_id"])
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


def _link_one(store: Store, m: EventMention, create: bool = True, own: frozenset[int] | set[int] = frozenset()
              ) -> dict[str, Any] | None:
    threshold = CEASEFIRE_LINK_THRESHOLD if m.family == "CEASEFIRE" else LINK_THRESHOLD
    best: tuple[tuple[float, bool], list[str], dict[str, Any]] | None = None
    for candidate in _candidates(store, m):
        scored = score_link(m, candidate)
        bonus = _retelling(m, candidate) if scored and candidate["id"] in own else 0.0
        if scored and bonus:
            scored = (scored[0] + bonus, [*scored[1], "the same report's event"])
        if not scored or scored[0] < threshold:
            continue
        # on a tie, the event at the mention's own place (Kherson, not "Ukraine")
        rank = (scored[0], bool(m.geonameid) and m.geonameid == candidate["geonameid"])
        if best is None or rank > best[0]:
            best = (rank, scored[1], candidate)
    if best is None:
        if not create:
            return None
        return _record(store, m, _new_event(store, m), ["new event"], None)
    (score, _), matched, candidate = best
    _widen(store, candidate, m)
    return _record(store, m, candidate["id"], matched, score)


def _retelling(m: EventMention, own_event: dict[str, Any]) -> float:
    """How much it counts that a mention may retell an event its own report already gave.

    A report tells its story more than once (lede, then body): a mention it places only by
    its main place joins the event it already gave there, where nothing else tells them
    apart. A report's deaths at one named place ('82 civilians had been killed' ... 'scores
    of civilians') are one toll told again, not a second killing, unless their days or
    their killers differ."""
    if m.type in RETOLD_TYPES and m.geonameid and m.geonameid == own_event["geonameid"]:
        killers_differ = _score_actors(m, own_event, penalise=True)[0] < 0
        return 0.0 if killers_differ else WEIGHTS["retold_toll"]
    return WEIGHTS["same_report"] if m.place_from_focus else 0.0


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
    if days_apart(low_hull, high_hull) > MAX_SOFT_WINDOW_DAYS:
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


def relink_all(store: Store) -> int:
    """Link every stored report that has unlinked mentions (e.g. after upgrading an existing database)."""
    count = 0
    for report in store.reports():
        count += len(link_report(store, report))
    return count

