"""What the ledger's links answer: the views built over linked events.

For one event: how many *independent* sources support it (wire copies and
relays of one ultimate source count once) and where sources contradict each
other (figures, blame, occurred vs prevented/denied, dates). Over the store:
the contested events, every cease-fire with its timeline, and who blames whom.
Linking itself (which mention joins which event) is ``ledger.py``; this module
only reads what it wrote.
"""

from __future__ import annotations

import json
import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

from . import queries
from .errors import Errors, StoreError
from .gazetteer import compatible, distance_km
from .ledger import (
    CEASEFIRE_PHASE_DAYS, SAME_PLACE_KM, focus_place, normalise_name, side_key, stored_phase,
)
from .report import Event, Report
from .store import Store
from .timewindow import day_of, days_apart, exact_day

# Ceasefires are followed for weeks: an agreement, its start, violations and
# its collapse, in one place, belong to one ceasefire within this span.
CEASEFIRE_SPAN_DAYS = 30
# A renewal or implementation accord is a phase of a cease-fire agreed up to
# this long before (truces run for weeks or months: a two-month truce renewed).
CEASEFIRE_RENEWAL_DAYS = 120

# Words near an agreement that make it a phase of an earlier cease-fire, not a new one.
RENEWAL_WORDS = re.compile(r"\b(renew\w*|extend\w*|extension|prolong\w*|implement\w*|follow-up)\b")
RENEWAL_CONTEXT = 80  # characters either side of the mention

CLAIM_KINDS_OF_BLAME = ("blame",)  # the cue lexicon reads "accused", "accusation" as blame
# The sectors of people who speak for their state: government and armed forces.
OFFICIAL_SECTORS = frozenset({"GOV", "MIL"})
# Statuses that say an event happened, and those that say it did not.
ASSERTED = {"occurred", "ongoing", "reported"}
NEGATED = {"prevented", "denied"}

# A side keyed by a state's ISO alpha-3 code (not an organisation's dictionary id).
ISO3_KEY = re.compile(r"^[A-Z]{3}$")


# -- reading the ledger ------------------------------------------------------------


class ReadingCache:
    """Loaded reports, each read once while the cache lives (a query, or a loader's whole run).

    ``limit`` bounds how many are kept, the least recently used going first: a loader keeps one
    across reports, so that recomputing an event of many mentions after each new one does not
    parse every one of their readings again (1,200 readings take about 1.3 s to parse)."""

    def __init__(self, store: Store, limit: int | None = None) -> None:
        self.store = store
        self.limit = limit
        self.reports: OrderedDict[str, Report] = OrderedDict()

    def __call__(self, report_id: str) -> Report:
        if report_id in self.reports:
            self.reports.move_to_end(report_id)
            return self.reports[report_id]
        report = self.reports[report_id] = self.store.load(report_id)
        if self.limit is not None and len(self.reports) > self.limit:
            self.reports.popitem(last=False)
        return report

    def forget(self, report_ids: Iterable[str]) -> None:
        """Drop these reports (their rows changed), so that they are read again."""
        for report_id in report_ids:
            self.reports.pop(report_id, None)


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
    """Who the event ultimately rests on: the claim's source, else the outlet itself, else (a file
    stored with no outlet) the report, named as the CLI and pages name it."""
    claim = report.claim_of(event)
    if claim is not None:
        return claim.source.name
    return report.outlet or f"report {report.id[:10]}"


def claims_about(report: Report, event: Event) -> list[int]:
    """Claims that assert or explain the event: its own claim and claims whose content covers it."""
    own = report.position("claims", event.claim_id)
    found = {own} if own is not None else set()
    for i, claim in enumerate(report.claims):
        if claim.content.start <= event.start and event.end <= claim.content.end:
            found.add(i)
    return sorted(i for i in found if i is not None and 0 <= i < len(report.claims))


def event_ledger(store: Store, event_id: int, cache: ReadingCache | None = None) -> dict[str, Any]:
    """Everything the ledger knows about one event: mentions, claims by source, sources, contradictions
    (as kept in the store; computed from the readings when what is kept is stale)."""
    return ledgers(store, [event_id], cache)[event_id]


def ledgers(
    store: Store, event_ids: list[int], cache: ReadingCache | None = None
) -> dict[int, dict[str, Any]]:
    """The ledgers of these events: read where kept and current, computed where not."""
    kept = queries.event_views(store, event_ids)
    cache = cache or ReadingCache(store)
    return {i: json.loads(kept[i]) if i in kept else build_event_ledger(store, i, cache) for i in event_ids}


def build_event_ledger(store: Store, event_id: int, cache: ReadingCache | None = None) -> dict[str, Any]:
    """One event's ledger computed from its row, its mentions and their readings (E019: no such event)."""
    cache = cache or ReadingCache(store)
    row = queries.event_row(store, event_id)
    if row is None:
        raise StoreError(Errors.E019, key=event_id)
    mentions, claims_by_source, figures, sources = [], defaultdict(list), [], set()
    seen_claims: set[tuple[str, int]] = set()
    seen_figures: set[tuple[str, str]] = set()
    for m in queries.mention_rows(store, event_id):
        report = cache(m["report_id"])
        event = report.events[m["idx"]]
        source = source_lineage(ultimate_source(report, event))
        original = _original(store, report.id)
        sources.add(source if event.claim_id is not None else f"outlet:{original}")
        mentions.append({**m, "matched_on": json.loads(m["matched_on"]), "status": event.status,
                         "date": event.date, "date_source": event.date_source, "date_low": event.date_low,
                         "date_high": event.date_high, "start": event.start, "end": event.end, "text": event.text,
                         "source": ultimate_source(report, event), "copy_of": store.original_of(report.id)})
        for ci in claims_about(report, event):
            if (report.id, ci) in seen_claims:
                continue  # two mentions of one report under one claim: the claim once
            seen_claims.add((report.id, ci))
            claim = report.claims[ci]
            claims_by_source[claim.source.name].append({
                "report_id": report.id, "idx": ci, "kind": claim.kind, "direct": claim.direct,
                "text": report.snippet(claim.content.start, claim.content.end), "start": claim.start,
                "end": claim.end, "outlet": report.outlet, "targets": [t.name for t in claim.targets],
                "via": [v.name for v in claim.via],
            })
        for q in report.quantities_of(event):
            if (report.id, q.id) not in seen_figures:
                seen_figures.add((report.id, q.id))  # an attack and its toll cite one figure: once
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
    result["contradictions"] = _distinct(contradictions(_without_copies(result)))
    return result


def _without_copies(ledger: dict[str, Any]) -> dict[str, Any]:
    """The ledger as its independent reports tell it: a wire copy whose original is among the
    mentions repeats it word for word, so it adds no disagreement of its own (200 copies of one
    denial are one denial)."""
    present = {m["report_id"] for m in ledger["mentions"]}
    copies = {m["report_id"] for m in ledger["mentions"] if m["copy_of"] in present}
    if not copies:
        return ledger
    return {**ledger, "mentions": [m for m in ledger["mentions"] if m["report_id"] not in copies],
            "figures": [f for f in ledger["figures"] if f["report_id"] not in copies],
            "claims": [{"source": g["source"], "claims": [c for c in g["claims"] if c["report_id"] not in copies]}
                       for g in ledger["claims"]]}


def contradictions(ledger: dict[str, Any]) -> list[dict[str, Any]]:
    """Disagreements between different sources about one event, each once.

    Items that agree in all a disagreement is read from (source and figure; source, status and
    day) are compared once as a group, not pair by pair: an event of thousands of mentions from a
    few sources has far fewer groups than pairs, and it is recomputed whenever a report joins it.
    The answer is what comparing every pair gives: each disagreement placed where its first pair
    of items shows it, and quoting the last such pair."""
    figures = ledger["figures"]
    found = _by_groups(figures, [(normalise_name(f["source"]), f["source"], f["low"], f["high"], f["unit"],
                                  f["status"]) for f in figures], _figure_contradictions)
    mentions = ledger["mentions"]
    # An agreement and its start within CEASEFIRE_PHASE_DAYS are two phases, not two dates.
    phases = ledger["type"] == "CEASEFIRE" and ledger["mode"] in (None, "agreed")
    # A date that is only the publication day, or the likeliest day of a wider window, is
    # no claim about the day it happened.
    keys = [(normalise_name(m["source"]), m["source"], m["status"],
             exact_day(m["date"], m.get("date_source"), m.get("date_low"), m.get("date_high")))
            for m in mentions]
    found += _by_groups(mentions, keys, lambda a, b: _mention_contradictions(a, b, phases))
    found.extend(_opposite_blame(ledger["claims"]))
    return found


Compare = Callable[[tuple[Any, ...], tuple[Any, ...]], list[dict[str, Any]]]


def _by_groups(
    items: list[dict[str, Any]], keys: list[tuple[Any, ...]], compare: Compare
) -> list[dict[str, Any]]:
    """What ``compare`` finds between items i < j of different keys (a key holds all it reads, its
    first element the normalised source), each finding once (its kind and the two keys, in either
    order): placed by the first pair that shows it, with the last such pair's items as ``a`` and ``b``."""
    groups: dict[tuple[Any, ...], list[int]] = {}
    for i, key in enumerate(keys):
        groups.setdefault(key, []).append(i)
    first: dict[tuple[str, frozenset[Any]], tuple[int, int, int]] = {}
    last: dict[tuple[str, frozenset[Any]], tuple[int, int]] = {}
    shown: dict[tuple[str, frozenset[Any]], dict[str, Any]] = {}
    for key_a, group_a in groups.items():
        for key_b, group_b in groups.items():
            at = bisect_right(group_b, group_a[0])
            if key_a == key_b or at == len(group_b):
                continue  # no item of b's group after the first of a's
            pair_first = (group_a[0], group_b[at])
            pair_last = (group_a[bisect_left(group_a, group_b[-1]) - 1], group_b[-1])
            for n, finding in enumerate(compare(key_a, key_b)):
                name = (finding["kind"], frozenset((key_a, key_b)))  # a vs b and b vs a are one finding
                first[name] = min(first.get(name, (*pair_first, n)), (*pair_first, n))
                last[name] = max(last.get(name, pair_last), pair_last)
                shown[name] = finding
    return [{**shown[name], "a": items[last[name][0]], "b": items[last[name][1]]}
            for name in sorted(first, key=first.__getitem__)]


def _figure_contradictions(a: tuple[Any, ...], b: tuple[Any, ...]) -> list[dict[str, Any]]:
    """Two tolls of one kind from different sources that cannot both be true, or that differ."""
    if a[0] == b[0] or (a[5] or "") != (b[5] or ""):  # one source, or tolls of different kinds
        return []
    name_a, name_b = a[1], b[1]
    fa, fb = (dict(zip(("low", "high", "unit", "status"), key[2:])) for key in (a, b))
    if _disjoint(fa, fb):
        return [{"kind": "figures", "severity": "contradiction",
                 "detail": f"{_fmt(fa)} per {name_a} vs {_fmt(fb)} per {name_b}"}]
    if (fa["low"], fa["high"]) != (fb["low"], fb["high"]):
        # "at least 12" and "21" can both be true, but a monitor weighs differing tolls.
        return [{"kind": "figures", "severity": "difference",
                 "detail": f"{_fmt(fa)} per {name_a}, {_fmt(fb)} per {name_b}"}]
    return []


def _mention_contradictions(a: tuple[Any, ...], b: tuple[Any, ...], phases: bool) -> list[dict[str, Any]]:
    """Two mentions from different sources: one says it happened, the other that it did not; or
    they give it different days (an agreement and its start, ``phases``, may be days apart)."""
    (source_a, name_a, status_a, day_a), (source_b, name_b, status_b, day_b) = a, b
    if source_a == source_b:
        return []
    found = []
    if {status_a, status_b} & ASSERTED and {status_a, status_b} & NEGATED:
        found.append({"kind": "status", "detail": f"{status_a} per {name_a} vs {status_b} per {name_b}"})
    phase_apart = phases and day_a and day_b and days_apart(day_a, day_b) <= CEASEFIRE_PHASE_DAYS
    if day_a and day_b and day_a != day_b and not phase_apart:
        found.append({"kind": "date", "detail": f"{day_a} per {name_a} vs {day_b} per {name_b}"})
    return found


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
    found = ledgers(store, ids, cache)
    events = [found[event_id] for event_id in ids]
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
    for event_id, kept in queries.contested_event_views(store, set(board_blame)):
        ledger = json.loads(kept) if kept is not None else build_event_ledger(store, event_id, cache)
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

    The claims are read from the store, where they are kept per report
    (``blame_claims_of``); those of reports stored since the last refresh are read
    from their readings.
    """
    wanted = place_key(place) if place is not None else None
    claims = _current_blame_claims(store, wanted, date_from, date_to)
    return {**_matrix(claims), "filters": {"place": place, "date_from": date_from, "date_to": date_to}}


ADMIN_WORDS = re.compile(r"\s+(governorate|province|oblast|region|district|state|county)$")


def place_key(name: str) -> str:
    """A place as the blame filter matches it: normalised, without its administrative word."""
    return ADMIN_WORDS.sub("", normalise_name(name))


def blame_side(name: str) -> str:
    """The side a blamed or blaming name counts for in the matrix: its ``side_key``, or its own
    name for one the dictionary does not know ("the army" of no named state is not every army)."""
    key = side_key(name)
    return "name:" + normalise_name(name) if not key or key.startswith("any-") else key


def _officials(report: Report) -> dict[str, str]:
    """The state each official the dictionary does not know speaks for, from the report's own
    words ("Ukraine's deputy prime minister Olena Marchenko" counts under Ukraine, as Lavrov
    counts under Russia)."""
    return {a.name: a.country for a in report.actors
            if a.kind == "person" and a.country and a.sector in OFFICIAL_SECTORS and not side_key(a.name)}


def blame_claims_of(report: Report) -> list[dict[str, Any]]:
    """A report's blame claims as the matrix reads them (and the store keeps them): source and
    targets with their sides, the words, the publication day, and the places each claim is about
    (the report's main place and the places the claim names, with their provinces)."""
    focus = focus_place(report)
    officials = _officials(report)
    found = []
    for idx, claim in enumerate(report.claims):
        if claim.kind not in CLAIM_KINDS_OF_BLAME:
            continue
        places = [p for i, p in enumerate(report.places) if i == focus or claim.start <= p.start < claim.end]
        found.append({
            "report_id": report.id, "idx": idx, "published": report.published,
            "day": day_of(report.published), "outlet": report.outlet, "source": claim.source.name,
            "source_key": officials.get(claim.source.actor or claim.source.name) or blame_side(claim.source.name),
            "text": report.snippet(claim.start, claim.end),
            "targets": [(t.name, officials.get(t.name) or blame_side(t.name)) for t in claim.targets],
            "places": sorted({place_key(n) for p in places for n in (p.name, p.text, p.admin1_name) if n}),
        })
    return found


def _current_blame_claims(store: Store, place: str | None, date_from: str | None,
                          date_to: str | None) -> list[dict[str, Any]]:
    """The kept blame claims that pass the filters, with those of stale reports computed and merged
    in report order (the order the matrix names its sides in)."""
    claims = queries.blame_claims(store, place, date_from, date_to)
    stale = queries.stale_report_ids(store)
    if not stale:
        return claims
    fresh = [c for rid in sorted(stale) if store.has(rid) for c in blame_claims_of(store.load(rid))
             if (place is None or place in c["places"]) and _published_in(c["day"], date_from, date_to)]
    order = {rid: i for i, rid in enumerate(store.report_ids())}
    return sorted(claims + fresh, key=lambda c: (order[c["report_id"]], c["idx"]))


def _published_in(day: str | None, date_from: str | None, date_to: str | None) -> bool:
    """The date filter of ``queries.blame_claims``, for claims not kept yet."""
    if not day:
        return not (date_from or date_to)
    return (not date_from or day >= date_from) and (not date_to or day[:len(date_to)] <= date_to)


def _matrix(claims: list[dict[str, Any]]) -> dict[str, Any]:
    """The matrix's sides and cells over blame claims, in the order given."""
    from .actordict import default_dictionary

    sides: dict[str, dict[str, Any]] = {}

    def side(name: str, key: str) -> str:
        sides.setdefault(key, {"key": key, "members": Counter()})["members"][name] += 1
        return key

    cells: dict[tuple[str, str], dict[str, Any]] = {}
    for claim in claims:
        source = side(claim["source"], claim["source_key"])
        for target, target_key in claim["targets"]:
            cell = cells.setdefault((source, side(target, target_key)), {"claims": {}, "members": Counter()})
            cell["members"][(claim["source"], target)] += 1
            cell["claims"].setdefault((claim["report_id"], claim["idx"]), {
                **{k: claim[k] for k in ("report_id", "idx", "text", "outlet", "published", "source")},
                "targets": []})["targets"].append(target)
    _label_sides(sides, default_dictionary())
    rows = [{"source": sides[s]["name"], "target": sides[t]["name"], "source_key": s, "target_key": t,
             "count": len(cell["claims"]), "claims": list(cell["claims"].values()),
             "members": [{"source": a, "target": b, "count": n} for (a, b), n in sorted(cell["members"].items())]}
            for (s, t), cell in cells.items()]
    return {
        "actors": sorted({s["name"] for s in sides.values()}),
        "sides": sorted(({**s, "members": sorted(s["members"])} for s in sides.values()), key=lambda s: s["name"]),
        "cells": sorted(rows, key=lambda c: (c["source"], c["target"])),
    }


def _label_sides(sides: dict[str, dict[str, Any]], dictionary: Any) -> None:
    """A state's side is named as its reports most often name it ("Syrian government forces",
    not the bare country); an organisation by its dictionary name; others as written."""
    taken: set[str] = set()
    for key, found in sides.items():
        entry = dictionary.entry(key) if not key.startswith("name:") and not ISO3_KEY.match(key) else None
        label = entry.name if entry is not None else found["members"].most_common(1)[0][0]
        found["name"] = f"{label} ({key})" if label in taken else label
        taken.add(found["name"])


def ceasefires(store: Store, cache: ReadingCache | None = None) -> list[dict[str, Any]]:
    """Every cease-fire found, one entry each, with its brokers, parties, terms and timeline.

    A cease-fire is keyed by its theatre (the countries its reports are about)
    and its agreement: agreements the texts date apart are different
    cease-fires unless one renews or implements the other; violations and a
    collapse belong to the latest cease-fire agreed before them in the same
    theatre. The place of one mention (the city where it was signed) is not
    the key. The board is read as kept in the store unless a cease-fire event
    changed since it was computed."""
    event_ids = queries.ceasefire_event_ids(store)
    kept = queries.ceasefire_boards(store)
    if (kept or not event_ids) and not set(event_ids) & queries.stale_event_ids(store):
        return [json.loads(board) for board in kept]
    return build_ceasefires(store, event_ids, cache)


def build_ceasefires(
    store: Store, event_ids: list[int], cache: ReadingCache | None = None
) -> list[dict[str, Any]]:
    """The cease-fire board computed from these cease-fire events' ledgers and their readings."""
    cache = cache or ReadingCache(store)
    boards: list[dict[str, Any]] = []
    for ledger in sorted(ledgers(store, event_ids, cache).values(), key=_board_order):
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


def _board_order(ledger: dict[str, Any]) -> tuple[int, int, str]:
    """Agreements the texts date come first (they found the entries), then undated ones, then the rest."""
    phase_rank = 0 if stored_phase(ledger) == "agreed" else 1
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
    found = _agreement_board(same_theatre, ledger, day, cache) if stored_phase(ledger) == "agreed" \
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
    when the texts do not date it, or one it renews or implements. One that nothing dates (no
    day in the text, no publication date) joins only an entry nothing dates either: a report
    stored without a date is no evidence for a truce of any particular year."""
    for board in sorted(boards, key=lambda b: b["first_day"] or "", reverse=True):
        first = board["first_day"]
        if not first or not day:
            if not first and not day:
                return board
            continue
        apart = days_apart(day, first)
        if apart <= CEASEFIRE_PHASE_DAYS or not ledger["date"] and first <= day and apart <= CEASEFIRE_SPAN_DAYS:
            return board
        if day >= first and apart <= CEASEFIRE_RENEWAL_DAYS and _renews(ledger, cache):
            return board
    return None


def _violation_board(boards: list[dict[str, Any]], day: str | None) -> dict[str, Any] | None:
    """The entry a violation or collapse belongs to: the latest cease-fire agreed before it (one
    that nothing dates, only an entry nothing dates either, as for agreements)."""
    if not day:
        return next((b for b in boards if not b["first_day"]), None)

    def before(board: dict[str, Any]) -> bool:
        first = board["first_day"]
        return not first or first <= day and days_apart(day, first) <= CEASEFIRE_RENEWAL_DAYS
    earlier = [b for b in boards if before(b)]
    if earlier:
        return max(earlier, key=lambda b: b["first_day"] or "")
    if boards and day:
        return min(boards, key=lambda b: days_apart(day, b["first_day"]) if b["first_day"] else 0)
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


# -- keeping the views current -----------------------------------------------------


def refresh(store: Store, cache: ReadingCache | None = None) -> None:
    """Recompute the kept views that writes made stale, and only those: a stored report's blame
    claims, the ledgers of the events its mentions joined (or an unlink moved, or whose wire-copy
    links changed), and the cease-fire board when a cease-fire event is among them.

    The loader calls this in the transaction that stores and links each report, so the views are
    current when that commits (with its ``cache`` of readings, kept across reports); a store opened
    for writing calls it too, which fills the tables of a store that predates them. A view still
    stale (written by a process that did not refresh) is computed from the readings when read, so
    what is read is current either way."""
    if not queries.views_stale(store):
        return
    with store.transaction():
        report_ids, event_ids = store.take_stale_views()
        cache = cache or ReadingCache(store)
        cache.forget(report_ids)
        for report_id in report_ids:
            if store.has(report_id):
                store.save_blame(report_id, blame_claims_of(cache(report_id)))
        views = [build_event_ledger(store, event_id, cache) for event_id in event_ids]
        store.save_event_views([(v["id"], bool(v["contradictions"]), json.dumps(v, ensure_ascii=False))
                                for v in views])
        ceasefire_ids = queries.ceasefire_event_ids(store)
        if set(event_ids) & set(ceasefire_ids):
            boards = build_ceasefires(store, ceasefire_ids, cache)
            store.save_ceasefire_boards([json.dumps(board, ensure_ascii=False) for board in boards])


def rebuild(store: Store) -> None:
    """Recompute every kept view from the readings (after a change to how views are computed)."""
    with store.transaction():
        store.mark_views_stale()
        refresh(store)
