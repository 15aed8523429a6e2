"""The actor dictionary: who is who in conflict reporting, and how texts name them.

The bundled dictionary (``data/actors_*.json``) lists states, named actors (IGOs,
NGOs, media, armed groups, state organs, key persons) and *description rules*:
actors named by what they are ("Syrian government troops", "Iran-backed
militias", "pro-Assad forces", "rebels"). Rules are general grammar over a
country (name or adjective), a person who commands forces and a role noun, so
one rule covers every country rather than one entry per phrase.

Users extend it with files in the same format: ``load_dictionary(extra_paths)``,
files in ``paths.user_data_dir("actors")`` and the ``FOGWATCH_ACTORS`` paths
(``os.pathsep``-separated) are merged over the bundled files. A dictionary is
built once per set of files and cached for the process.

The helpers other stages call live here: ``lookup(text)``, ``actor_at(report,
start, end)`` and ``add_mention(report, actor_name, start, end)``.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import Errors, ResourceError
from .paths import PACKAGE_DATA, user_data_dir
from .report import Actor, Report, Span

KINDS = frozenset(
    [
        "person",
        "state",
        "government",
        "military",
        "police",
        "rebels",
        "militia",
        "igo",
        "ngo",
        "media",
        "civilians",
        "other",
    ]
)
ENV_VAR = "FOGWATCH_ACTORS"
SECTIONS = frozenset(
    [
        "about",
        "countries",
        "actors",
        "groups",
        "role_nouns",
        "descriptions",
        "backers",
        "titles",
        "non_roles",
        "title_complements",
        "org_heads",
    ]
)
ISO3 = re.compile(r"^[A-Z]{3}$")
GROUP_ID = re.compile(r"^([A-Z]{3})-([a-z][a-z-]*)$")
# One token: a word (with inner dots, "U.N."), a possessive 's, or one other character.
# No nested quantifiers over the same characters, so matching is linear.
TOKEN = re.compile(r"\w+(?:\.\w+)*\.?|['’]s\b|[^\w\s]")
# Aliases whose letters are all capitals and at most this many (UN, U.N., NATO, MONUSCO)
# are acronyms and must appear in capitals; longer all-caps aliases are rare and are
# treated like names. 8 covers every acronym in the bundled dictionary.
ACRONYM_MAX_LETTERS = 8
DETERMINERS = frozenset({"the", "a", "an"})
# lookup() reads names, not documents: longer strings are cut (no actor name is this long).
MAX_LOOKUP_CHARS = 1000
ARMED_KINDS = frozenset({"rebels", "militia", "military"})
MEMBER_GROUPS = frozenset({"military", "militias", "rebels", "opposition"})
# Entries that can own forces or back proxies in a description ("Assad's army", "pro-Kremlin militias").
OWNER_KINDS = frozenset({"state", "person", "government"})
# Words in a person's role that place the person in a PLOVER-style sector, first match wins.
ROLE_SECTORS: tuple[tuple[str, str], ...] = (
    ("UN ", "IGO"),
    ("U.N. ", "IGO"),
    ("NATO", "IGO"),
    ("EU ", "IGO"),
    ("commander", "MIL"),
    ("general", "MIL"),
    ("colonel", "MIL"),
    ("chief of staff", "MIL"),
    ("army", "MIL"),
    ("officer", "MIL"),
    ("journalist", "JRN"),
    ("reporter", "JRN"),
    ("correspondent", "JRN"),
    ("photographer", "JRN"),
    ("activist", "CVL"),
    ("doctor", "HLH"),
    ("nurse", "HLH"),
    ("medic", "HLH"),
    ("lawmaker", "LEG"),
    ("senator", "LEG"),
    ("judge", "JUD"),
    ("cleric", "REL"),
    ("imam", "REL"),
    ("leader of", "REB"),
    ("president", "GOV"),
    ("minister", "GOV"),
    ("secretary", "GOV"),
    ("king", "GOV"),
    ("chancellor", "GOV"),
    ("ambassador", "GOV"),
    ("envoy", "GOV"),
    ("spokes", "GOV"),
    ("governor", "GOV"),
    ("prince", "GOV"),
    ("supreme leader", "GOV"),
    ("official", "GOV"),
    ("mayor", "GOV"),
    ("leader", "GOV"),
    ("emir", "GOV"),
    ("premier", "GOV"),
    ("diplomat", "GOV"),
    ("negotiator", "GOV"),
    ("commissioner", "GOV"),
)
POSSESSIVE = "'s"
COORDINATORS = frozenset({"and", "or", ",", "&"})
# Adjectives chained before one role noun ("US, British and French warplanes"); three is ample.
MAX_COORDINATED = 3
# Lower-case words allowed between a possessive and its role noun ("Assad's allied
# forces", "Russia's own troops"); two covers every construction seen in wire copy.
MAX_POSSESSIVE_MODIFIERS = 2
QUOTES = str.maketrans(
    {
        "’": "'",
        "‘": "'",
        "`": "'",
        "´": "'",
        "ʼ": "'",
        "“": '"',
        "”": '"',
        "–": "-",
        "—": "-",
        "‐": "-",
        "‑": "-",
    }
)

Tok = tuple[str, int, int]  # text, start, end (character offsets)


@lru_cache(maxsize=65536)
def norm(text: str) -> str:
    """Comparison key: no diacritics, plain quotes and dashes, case-folded, single spaces.
    Cached: a report's words recur, and each actor scan keys every token again."""
    decomposed = unicodedata.normalize("NFKD", text.translate(QUOTES))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.casefold().split())


def tokenize(text: str) -> list[Tok]:
    """A small tokenizer for ``lookup`` that splits like spaCy does on the cases that matter."""
    return [(m.group(), m.start(), m.end()) for m in TOKEN.finditer(text)]


def role_sector(role: str | None) -> str | None:
    """The sector a person's role places them in ("Foreign Minister" -> GOV), or None."""
    if not role:
        return None
    padded = role + " "
    lowered = padded.casefold()
    for word, sector in ROLE_SECTORS:
        if word in (padded if word[:1].isupper() else lowered):
            return sector
    return None


def case_ok(alias: str, surface: str) -> bool:
    """Case-aware matching: acronyms must be capitals, capitalised names must start with one."""
    letters = [c for c in alias if c.isalpha()]
    if (
        letters
        and len(letters) <= ACRONYM_MAX_LETTERS
        and all(c.isupper() for c in letters)
        and len(letters) > 1
    ):
        return all(c.isupper() for c in surface if c.isalpha())
    if alias[:1].isupper():
        return surface[:1].isupper()
    return True


@dataclass(frozen=True, slots=True)
class RolePeriod:
    role: str
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True, slots=True)
class ActorEntry:
    """One dictionary actor (or one actor a description rule stands for)."""

    id: str
    name: str
    kind: str
    country: str | None = None
    sector: str | None = None
    aliases: tuple[str, ...] = ()
    affiliation: str | None = None  # id of the entry it belongs to
    patrons: tuple[str, ...] = ()  # ISO alpha-3 codes of its backers
    roles: tuple[RolePeriod, ...] = ()
    forces: str | None = None  # id of the forces "X's forces" means, for persons

    def role_in(self, year: int | None) -> str | None:
        """The role held in ``year`` (none outside every period; the latest when the year is unknown)."""
        if not self.roles:
            return None
        if year is None:
            return self.roles[-1].role
        for period in reversed(self.roles):
            if (period.start or 0) <= year <= (period.end or 9999):
                return period.role
        return None


@dataclass(frozen=True, slots=True)
class Country:
    iso3: str
    name: str
    aliases: tuple[str, ...] = ()
    adjectives: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    capitals: tuple[str, ...] = ()

    @property
    def adjective(self) -> str:
        return self.adjectives[0] if self.adjectives else self.name


@dataclass(slots=True)
class Hit:
    """A dictionary or rule match over tokens ``[i, j)``, resolved to an entry later."""

    i: int
    j: int
    entry_id: str | None = None
    group: str | None = None
    country: str | None = None
    context: bool = False
    owner: Hit | None = None
    rule: str = "alias"


def _first_token_forms(key: str) -> set[str]:
    """Every way a phrase's first token can read: the key cut before a space or where letters
    meet digits or punctuation ("al-qaeda" -> "al", "al-", "al-qaeda"), since a token never
    splits a run of letters. A token that is none of these starts no phrase, which spares the
    phrase walk at nine positions in ten (measured on news: 4% of positions pass, 27% passed a
    three-letter prefix test)."""
    forms = {key}
    for k in range(1, len(key)):
        before, after = key[k - 1], key[k]
        if after == " " or before.isalpha() != after.isalpha() or before.isdigit() != after.isdigit():
            forms.add(key[:k])
    return forms


class _Index:
    """Normalised phrase -> [(surface form, target)], matched longest-first over tokens."""

    def __init__(self) -> None:
        self.keys: dict[str, list[tuple[str, str]]] = {}
        self.first_tokens: set[str] = set()
        self.max_tokens = 1

    def add(self, phrase: str, target: str) -> None:
        key = norm(phrase)
        if not key:
            return
        self.keys.setdefault(key, []).append((phrase, target))
        self.max_tokens = max(self.max_tokens, len(tokenize(phrase)))
        self.first_tokens.update(_first_token_forms(key))

    def longest(self, toks: Sequence[Tok], keys: Sequence[str], i: int) -> tuple[int, str] | None:
        """The longest phrase starting at token ``i``: (end token, target)."""
        if keys[i] not in self.first_tokens:
            return None
        parts: list[str] = []
        candidates: list[tuple[int, str]] = []
        for j in range(i, min(len(toks), i + self.max_tokens)):
            if j > i and toks[j][1] > toks[j - 1][2]:
                parts.append(" ")
            parts.append(keys[j])
            for surface, target in self.keys.get("".join(parts), ()):
                if case_ok(surface, toks[i][0]) or case_ok(surface, "".join(t[0] for t in toks[i : j + 1])):
                    candidates.append((j + 1, target))
                    break
        return max(candidates, key=lambda c: c[0]) if candidates else None


class ActorDictionary:
    """The merged dictionary with its lookup indexes (built once)."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.countries = {c.iso3: c for c in data["countries"]}
        self.entries: dict[str, ActorEntry] = {e.id: e for e in data["actors"]}
        self.groups: dict[str, dict[str, str]] = data["groups"]
        self.titles = frozenset(norm(t) for t in data["titles"])
        self.non_roles = frozenset(norm(t) for t in data["non_roles"])
        self.complements = frozenset(norm(t) for t in data["title_complements"])
        self.backers = frozenset(norm(t) for t in data["backers"])
        self.org_heads = {norm(w): kind for kind, words in data["org_heads"].items() for w in words}
        self.descriptions: dict[str, dict[str, Any]] = {}
        self._build_indexes(data)

    def _build_indexes(self, data: dict[str, Any]) -> None:
        self.names, self.adjectives, self.capitals = _Index(), _Index(), _Index()
        self.roles, self.phrases = _Index(), _Index()
        for country in self.countries.values():
            for alias in (country.name, *country.aliases):
                self.names.add(alias, country.iso3)
            for adjective in country.adjectives:
                self.adjectives.add(adjective, country.iso3)
            for demonym in country.demonyms:
                self.adjectives.add(demonym, "people:" + country.iso3)
            for capital in country.capitals:
                self.capitals.add(capital, country.iso3)
        for entry in self.entries.values():
            for alias in (entry.name, *entry.aliases):
                self.names.add(alias, entry.id)
        for group, nouns in data["role_nouns"].items():
            for noun in nouns:
                self.roles.add(noun, group)
        for desc in data["descriptions"]:
            key = desc.get("id") or "group:" + desc["group"]
            self.descriptions[key] = desc
            for phrase in desc["phrases"]:
                self.phrases.add(phrase, key)

    def filtered(self, keep: Callable[[ActorEntry], bool]) -> ActorDictionary:
        """A copy holding only the named entries ``keep`` accepts (for ablations and narrow uses)."""
        return ActorDictionary({**self.data, "actors": [e for e in self.data["actors"] if keep(e)]})

    # -- entries -----------------------------------------------------------------

    def entry(self, entry_id: str) -> ActorEntry | None:
        """A named entry, a state (by ISO code) or a country group ("SYR-military")."""
        if entry_id in self.entries:
            return self.entries[entry_id]
        if entry_id in self.countries:
            country = self.countries[entry_id]
            return ActorEntry(entry_id, country.name, "state", entry_id, "GOV", (*country.aliases,))
        found = GROUP_ID.match(entry_id)
        if found and found.group(1) in self.countries and found.group(2) in self.groups:
            return self.group_entry(found.group(1), found.group(2))
        return None

    def group_entry(self, iso3: str | None, group: str) -> ActorEntry:
        """The actor a description of ``group`` for a country stands for."""
        spec = self.groups[group]
        if iso3 is None or iso3 not in self.countries:
            name = re.sub(r"\{(adj|name)\}[- ]?", "", spec["name"]).strip()
            return ActorEntry("any-" + group, name, spec["kind"], None, spec.get("sector"))
        named = self.entries.get(f"{iso3}-{group}")
        if named is not None:
            return named
        country = self.countries[iso3]
        name = spec["name"].format(adj=country.adjective, name=country.name)
        patrons = (iso3,) if group.startswith("backed") or group == "coalition" else ()
        return ActorEntry(f"{iso3}-{group}", name, spec["kind"], iso3, spec.get("sector"), patrons=patrons)

    def resolve(self, hit: Hit, context: str | None = None) -> ActorEntry | None:
        """The entry a hit stands for, taking the country from ``context`` where the text leaves it open."""
        if hit.group is not None:
            iso3 = hit.country or (context if hit.context else None)
            group = hit.group
            if group == "militias" and hit.rule in ("adj", "coordinated") and context and iso3 != context:
                group = "backed-militias"  # "an Iranian militia" in a report about Syria
            return self.group_entry(iso3, group)
        if hit.entry_id in self.descriptions:
            return self._description_entry(self.descriptions[hit.entry_id], context)
        return self.entry(hit.entry_id or "")

    def _description_entry(self, desc: dict[str, Any], context: str | None) -> ActorEntry:
        if "group" in desc:
            return self.group_entry(context, desc["group"])
        country = context if desc.get("context") else None
        entry_id = f"{country}-{desc['id']}" if country else desc["id"]
        return ActorEntry(entry_id, desc["name"], desc["kind"], country, desc.get("sector"))

    # -- matching ----------------------------------------------------------------

    def scan(self, toks: Sequence[Tok]) -> list[Hit]:
        """All dictionary, description and rule matches, left to right, longest first."""
        keys = [norm(t[0]) for t in toks]
        hits: list[Hit] = []
        i = 0
        while i < len(toks):
            hit = self._best_at(toks, keys, i)
            if hit is None or _is_compound_modifier(toks, hit.j):
                i += 1
                continue
            hits.append(hit)
            i = hit.j
        return hits

    def _best_at(self, toks: Sequence[Tok], keys: Sequence[str], i: int) -> Hit | None:
        candidates: list[Hit] = []
        found = self.names.longest(toks, keys, i)
        if found:
            candidates.append(Hit(i, self._members_after(toks, keys, found[0], found[1]), entry_id=found[1]))
        for rule in (self._pro_rule, self._backed_rule, self._possessive_rule, self._adjective_rule, self._of_rule):
            hit = rule(toks, keys, i)
            if hit is not None:
                candidates.append(hit)
        found = self.phrases.longest(toks, keys, i)
        if found:
            candidates.append(Hit(i, found[0], entry_id=found[1], rule="description"))
        found = self.capitals.longest(toks, keys, i)
        if found:
            candidates.append(Hit(i, found[0], entry_id=found[1], rule="capital"))
        if not candidates:
            return None
        # Longest wins; max keeps the first of equals, so aliases win ties, except that a
        # coordinated adjective ("US, British and French warplanes") beats the bare state.
        return max(candidates, key=lambda h: (h.j, h.rule == "coordinated"))

    def _members_after(self, toks: Sequence[Tok], keys: Sequence[str], end: int, entry_id: str) -> int:
        """ "Hezbollah fighters", "Taliban militants": an armed group's name and a role noun for its
        members are one mention of the group."""
        entry = self.entry(entry_id)
        if entry is None or entry.kind not in ARMED_KINDS:
            return end
        role = self._role_at(toks, keys, end)
        return role[0] if role is not None and role[1] in MEMBER_GROUPS else end

    def _owner_at(self, toks: Sequence[Tok], keys: Sequence[str], i: int) -> Hit | None:
        """A state (by name or adjective) or a person who commands forces, starting at ``i``."""
        found = self.names.longest(toks, keys, i)
        if found:
            target = self.entry(found[1])
            if target is not None and target.country and target.kind in OWNER_KINDS:
                return Hit(i, found[0], entry_id=found[1], country=target.country, rule="owner")
        found = self.adjectives.longest(toks, keys, i)
        if found and not found[1].startswith("people:"):
            return Hit(i, found[0], country=found[1], rule="adjective")
        found = self.capitals.longest(toks, keys, i)
        if found:
            return Hit(i, found[0], country=found[1], rule="capital")
        return None

    def _role_at(self, toks: Sequence[Tok], keys: Sequence[str], i: int) -> tuple[int, str] | None:
        if i >= len(toks):
            return None
        return self.roles.longest(toks, keys, i)

    def _pro_rule(self, toks: Sequence[Tok], keys: Sequence[str], i: int) -> Hit | None:
        """ "pro-government forces", "pro-Assad forces", "pro-Russian separatists"."""
        if keys[i] != "pro" or i + 2 >= len(toks) or keys[i + 1] != "-":
            return None
        if keys[i + 2] in ("government", "regime"):
            owner, after = None, i + 3
        else:
            owner = self._owner_at(toks, keys, i + 2)
            if owner is None:
                return None
            after = owner.j
        role = self._role_at(toks, keys, after)
        if role is None:
            return None
        end, group = role
        if owner is None:
            if group in ("rebels", "opposition"):
                group = "militias"  # "pro-government fighters" fight for the government, not against it
            return Hit(i, end, group=group, context=True, rule="pro")
        return self._owned(i, end, group, owner, foreign_backed=True)

    def _backed_rule(self, toks: Sequence[Tok], keys: Sequence[str], i: int) -> Hit | None:
        """ "Iran-backed militias", "Turkish-backed rebels", "US-led coalition"."""
        owner = self._owner_at(toks, keys, i)
        if owner is None or owner.country is None or owner.j + 2 >= len(toks) or keys[owner.j] != "-":
            return None
        verb = keys[owner.j + 1]
        if verb not in self.backers and verb != "led":
            return None
        role = self._role_at(toks, keys, owner.j + 2)
        if role is None:
            return None
        end, group = role
        if verb == "led":
            group = "coalition" if group in ("coalition", "military") else group
        elif group in ("military", "militias"):
            group = "backed-militias"
        elif group in ("rebels", "opposition"):
            group = "backed-rebels"
        owner_hit = owner if owner.entry_id else None
        return Hit(i, end, group=group, country=owner.country, owner=owner_hit, rule="backed")

    def _possessive_rule(self, toks: Sequence[Tok], keys: Sequence[str], i: int) -> Hit | None:
        """ "Assad's army", "Russia's forces", "Moscow's forces", "Assad's allied forces", "Assad regime"."""
        owner = self._owner_at(toks, keys, i)
        if owner is None or owner.entry_id is None and owner.rule != "capital" or owner.j >= len(toks):
            return None
        k = owner.j
        if keys[k] == POSSESSIVE:
            k, modifiers = k + 1, MAX_POSSESSIVE_MODIFIERS
        elif owner.entry_id and self.entry(owner.entry_id).kind == "person":  # type: ignore[union-attr]
            modifiers = 0  # "Assad regime", never "Assad accused the government"
        else:
            return None
        for _ in range(modifiers + 1):
            role = self._role_at(toks, keys, k)
            if role is not None:
                return self._owned(i, role[0], role[1], owner, foreign_backed=False)
            if k >= len(toks) or not toks[k][0].isalpha() or not toks[k][0].islower():
                return None
            k += 1
        return None

    def _of_rule(self, toks: Sequence[Tok], keys: Sequence[str], i: int) -> Hit | None:
        """ "the government of the Democratic Republic of Congo", "the army of Sudan": a state's organ
        named after it; "officials in Kyiv", "the authorities in Moscow": its government named by
        where it sits (the capital; a state's own name after "in" is where, not whose)."""
        role = self._role_at(toks, keys, i)
        if role is None or role[0] >= len(toks) or keys[role[0]] not in ("of", "in"):
            return None
        seat = keys[role[0]] == "in"
        if seat and role[1] != "government":
            return None  # "troops in Ukraine" are not Ukraine's
        k = role[0] + 1
        if k < len(toks) and keys[k] == "the":
            k += 1
        owner = self._owner_at(toks, keys, k)
        if seat:
            return self._owned(i, owner.j, role[1], owner, foreign_backed=False) \
                if owner is not None and owner.rule == "capital" else None
        state = self.entry(owner.entry_id) if owner is not None and owner.entry_id else None
        if owner is None or state is None or state.kind != "state":
            return None
        return self._owned(i, owner.j, role[1], owner, foreign_backed=False)

    def _owned(self, i: int, end: int, group: str, owner: Hit, foreign_backed: bool) -> Hit:
        person = self.entry(owner.entry_id) if owner.entry_id else None
        if person is not None and person.kind == "person":
            if group == "military" and person.forces:
                return Hit(i, end, entry_id=person.forces, owner=owner, rule="owned")
            return Hit(i, end, group=group, country=person.country, owner=owner, rule="owned")
        if foreign_backed and group in ("rebels", "militias", "opposition"):
            group = "backed-rebels" if group != "militias" else "backed-militias"
        owner_hit = owner if owner.entry_id else None
        return Hit(i, end, group=group, country=owner.country, owner=owner_hit, rule="owned")

    def _adjective_rule(self, toks: Sequence[Tok], keys: Sequence[str], i: int) -> Hit | None:
        """ "Syrian government troops", "Turkish state media", "an Iranian militia", "Syrians"."""
        found = self.adjectives.longest(toks, keys, i) or self.capitals.longest(toks, keys, i)
        if not found:
            return None  # "Syrian ..." or, as a modifier, a capital: "the Khartoum government"
        end, target = found
        if target.startswith("people:"):
            iso3 = target.split(":", 1)[1]
            if i > 0 and keys[i - 1] == "the":  # "the Russians said": the state, not its people
                return Hit(i, end, entry_id=iso3, rule="demonym")
            return Hit(i, end, group="civilians", country=iso3, rule="demonym")
        role = self._role_at(toks, keys, end)
        if role is not None:
            return Hit(i, role[0], group=role[1], country=target, rule="adj")
        group = self._coordinated_role(toks, keys, end)
        return Hit(i, end, group=group, country=target, rule="coordinated") if group else None

    def _coordinated_role(self, toks: Sequence[Tok], keys: Sequence[str], k: int) -> str | None:
        """ "Russian and Syrian forces": the role noun after a chain of coordinated adjectives."""
        for _ in range(MAX_COORDINATED):
            if k + 1 >= len(toks) or keys[k] not in COORDINATORS:
                return None
            found = self.adjectives.longest(toks, keys, k + 1)
            if not found or found[1].startswith("people:"):
                return None
            role = self._role_at(toks, keys, found[0])
            if role is not None:
                return role[1]
            k = found[0]
        return None

    def country_ending_at(self, toks: Sequence[Tok], k: int) -> tuple[int, str] | None:
        """(first token, ISO code) of a country name or adjective ending at token ``k`` (inclusive)."""
        for start in range(max(0, k - 3), k + 1):
            sub = toks[start : k + 1]
            sub_keys = [norm(t[0]) for t in sub]
            for index in (self.adjectives, self.names):
                found = index.longest(sub, sub_keys, 0)
                if found and found[0] == len(sub):
                    target = found[1].removeprefix("people:")
                    if target in self.countries:
                        return start, target
        return None


def _is_compound_modifier(toks: Sequence[Tok], j: int) -> bool:
    """ "UK-based", "government-held": a match glued by a hyphen to the next word only modifies it."""
    return (
        j + 1 < len(toks)
        and toks[j][0] == "-"
        and toks[j][1] == toks[j - 1][2]
        and toks[j + 1][1] == toks[j][2]
        and toks[j + 1][0][:1].isalpha()
    )


# -- loading ----------------------------------------------------------------------


def _fail(path: Path | str, reason: str) -> ResourceError:
    return ResourceError(Errors.E016, path=str(path), reason=reason)


def _strings(value: Any, path: Path, what: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _fail(path, f"{what} must be a list of non-empty strings")
    return tuple(value)


def _check_country_code(value: Any, path: Path, what: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not ISO3.match(value):
        raise _fail(path, f"{what}: country must be an ISO 3166-1 alpha-3 code or null, not {value!r}")
    return value


def _read_file(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise _fail(path, "the file does not exist") from None
    except (OSError, UnicodeDecodeError) as err:
        raise _fail(path, f"it cannot be read ({err})") from None
    except json.JSONDecodeError as err:
        raise _fail(path, f"it is not valid JSON (line {err.lineno}: {err.msg})") from None
    if not isinstance(data, dict):
        raise _fail(path, "the top level must be a JSON object")
    unknown = sorted(set(data) - SECTIONS)
    if unknown:
        raise _fail(path, f"unknown section(s) {', '.join(unknown)}; known: {', '.join(sorted(SECTIONS))}")
    return data


def _merge_country(into: dict[str, dict[str, Any]], item: Any, path: Path) -> None:
    if not isinstance(item, dict) or not isinstance(item.get("iso3"), str) or not ISO3.match(item["iso3"]):
        raise _fail(path, f"each country needs an 'iso3' code of three capitals: {item!r:.80}")
    old = into.setdefault(item["iso3"], {"iso3": item["iso3"], "_path": path})
    for key in ("aliases", "adjectives", "demonyms", "capitals"):
        extra = _strings(item.get(key), path, f"{item['iso3']}.{key}")
        old[key] = tuple(dict.fromkeys((*old.get(key, ()), *extra)))
    if "name" in item:
        if not isinstance(item["name"], str) or not item["name"].strip():
            raise _fail(path, f"{item['iso3']}: name must be a non-empty string")
        old["name"] = item["name"]


def _merge_actor(into: dict[str, dict[str, Any]], item: Any, path: Path) -> None:
    if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not item["id"].strip():
        raise _fail(path, f"each actor needs a non-empty string 'id': {item!r:.80}")
    key = item["id"]
    old = into.setdefault(key, {"id": key, "_path": path})
    aliases = _strings(item.get("aliases"), path, f"{key}.aliases")
    old["aliases"] = tuple(dict.fromkeys((*old.get("aliases", ()), *aliases)))
    for name in ("name", "sector", "affiliation", "forces"):
        if name in item:
            if item[name] is not None and not isinstance(item[name], str):
                raise _fail(path, f"{key}.{name} must be a string")
            old[name] = item[name]
    if "kind" in item:
        if item["kind"] not in KINDS:
            raise _fail(path, f"{key}.kind {item['kind']!r} is not one of {', '.join(sorted(KINDS))}")
        old["kind"] = item["kind"]
    if "country" in item:
        old["country"] = _check_country_code(item["country"], path, key)
    if "patrons" in item:
        old["patrons"] = _strings(item["patrons"], path, f"{key}.patrons")
    if "roles" in item:
        old["roles"] = _roles(item["roles"], path, key)


def _roles(value: Any, path: Path, key: str) -> tuple[RolePeriod, ...]:
    if not isinstance(value, list):
        raise _fail(path, f"{key}.roles must be a list")
    periods = []
    for role in value:
        if not isinstance(role, dict) or not isinstance(role.get("role"), str):
            raise _fail(path, f"{key}.roles: each role needs a 'role' string")
        bounds = (role.get("from"), role.get("to"))
        if not all(b is None or isinstance(b, int) for b in bounds):
            raise _fail(path, f"{key}.roles: 'from' and 'to' must be years or null")
        periods.append(RolePeriod(role["role"], *bounds))
    return tuple(periods)


def _merge_rules(merged: dict[str, Any], data: dict[str, Any], path: Path) -> None:
    for section in ("groups", "org_heads", "role_nouns"):
        value = data.get(section, {})
        if not isinstance(value, dict):
            raise _fail(path, f"'{section}' must be an object")
        for key, item in value.items():
            if section == "groups":
                if (
                    not isinstance(item, dict)
                    or item.get("kind") not in KINDS
                    or not isinstance(item.get("name"), str)
                ):
                    raise _fail(path, f"group {key!r} needs a 'name' template and a valid 'kind'")
                merged[section][key] = item
            else:
                words = _strings(item, path, f"{section}.{key}")
                merged[section][key] = tuple(dict.fromkeys((*merged[section].get(key, ()), *words)))
    for section in ("backers", "titles", "non_roles", "title_complements"):
        merged[section].extend(_strings(data.get(section), path, section))
    descriptions = data.get("descriptions", [])
    if not isinstance(descriptions, list):
        raise _fail(path, "'descriptions' must be a list")
    for desc in descriptions:
        _check_description(desc, path)
        merged["descriptions"].append(desc)


def _check_description(desc: Any, path: Path) -> None:
    if not isinstance(desc, dict):
        raise _fail(path, "each description must be an object")
    _strings(desc.get("phrases"), path, "description phrases")
    if not desc.get("phrases"):
        raise _fail(path, "each description needs 'phrases'")
    if "group" not in desc and not (
        isinstance(desc.get("id"), str) and desc.get("kind") in KINDS and "name" in desc
    ):
        raise _fail(path, "a description needs either a 'group' or an 'id', a 'name' and a valid 'kind'")


def _merge_files(paths: Sequence[Path]) -> ActorDictionary:
    """One dictionary from the bundled and the user's files, later files adding to or overriding
    earlier ones entry by entry, so a user file need only hold what it changes."""
    countries: dict[str, dict[str, Any]] = {}
    actors: dict[str, dict[str, Any]] = {}
    rules: dict[str, Any] = {
        "groups": {},
        "org_heads": {},
        "role_nouns": {},
        "descriptions": [],
        "backers": [],
        "titles": [],
        "non_roles": [],
        "title_complements": [],
    }
    for path in paths:
        data = _read_file(path)
        for section, merge, into in (
            ("countries", _merge_country, countries),
            ("actors", _merge_actor, actors),
        ):
            items = data.get(section, [])
            if not isinstance(items, list):
                raise _fail(path, f"'{section}' must be a list")
            for item in items:
                merge(into, item, path)
        _merge_rules(rules, data, path)
    rules["org_heads"] = {kind: list(words) for kind, words in rules["org_heads"].items()}
    for description in rules["descriptions"]:
        if "group" in description and description["group"] not in rules["groups"]:
            raise _fail(paths[-1], f"description group {description['group']!r} is not defined in 'groups'")
    rules["countries"] = [_country(c) for c in countries.values()]
    rules["actors"] = [_entry(a) for a in actors.values()]
    return ActorDictionary(rules)


def _country(raw: dict[str, Any]) -> Country:
    if not raw.get("name"):
        raise _fail(raw["_path"], f"country {raw['iso3']} has no name")
    return Country(
        raw["iso3"], raw["name"], *(raw.get(k, ()) for k in ("aliases", "adjectives", "demonyms", "capitals"))
    )


def _entry(raw: dict[str, Any]) -> ActorEntry:
    if not raw.get("name") or not raw.get("kind"):
        raise _fail(raw["_path"], f"actor {raw['id']!r} needs a 'name' and a 'kind'")
    return ActorEntry(
        id=raw["id"],
        name=raw["name"],
        kind=raw["kind"],
        country=raw.get("country"),
        sector=raw.get("sector"),
        aliases=raw.get("aliases", ()),
        affiliation=raw.get("affiliation"),
        patrons=raw.get("patrons", ()),
        roles=raw.get("roles", ()),
        forces=raw.get("forces"),
    )


@lru_cache(maxsize=8)
def _load(paths: tuple[str, ...]) -> ActorDictionary:
    return _merge_files([Path(p) for p in paths])


def bundled_files() -> list[Path]:
    return sorted(PACKAGE_DATA.glob("actors*.json"))


def user_files() -> list[Path]:
    """Files users added: ``*.json`` in the user actors folder, then ``$FOGWATCH_ACTORS``."""
    found = sorted(user_data_dir("actors").glob("*.json"))
    found += [Path(p) for p in os.environ.get(ENV_VAR, "").split(os.pathsep) if p.strip()]
    return found


def load_dictionary(extra_paths: Iterable[str | Path] = ()) -> ActorDictionary:
    """The bundled dictionary with user files merged over it (cached per set of files).

    Raises ``ResourceError`` (E016) naming the file when one is missing or invalid.
    """
    paths = [*bundled_files(), *user_files(), *(Path(p) for p in extra_paths)]
    return _load(tuple(str(p) for p in paths))


@lru_cache(maxsize=1)
def default_dictionary() -> ActorDictionary:
    """The dictionary with the user files present when first asked for, once per process."""
    return load_dictionary()


# -- helpers for other stages -------------------------------------------------------


def lookup(text: str, dictionary: ActorDictionary | None = None) -> ActorEntry | None:
    """The dictionary actor a surface string names ("U.N.", "Assad's army", "rebels"), or None.

    Description rules apply; a country left open by the text ("rebels") stays None.
    """
    dictionary = dictionary or default_dictionary()
    toks = tokenize(text[:MAX_LOOKUP_CHARS])
    lead = 0
    while lead < len(toks) - 1 and norm(toks[lead][0]) in DETERMINERS:
        lead += 1
    hits = dictionary.scan(toks)
    if len(hits) == 1 and hits[0].i <= lead and hits[0].j == len(toks):
        return dictionary.resolve(hits[0])
    if lead and len(hits) > 1:
        rest = dictionary.scan(toks[lead:])
        if len(rest) == 1 and rest[0].i == 0 and rest[0].j == len(toks) - lead:
            return dictionary.resolve(rest[0])
    return None


def entry_actor(entry: ActorEntry, dictionary: ActorDictionary, year: int | None = None) -> Actor:
    """A fresh layer ``Actor`` for a dictionary entry (no mentions yet)."""
    affiliation = dictionary.entry(entry.affiliation) if entry.affiliation else None
    role = entry.role_in(year)
    sector = entry.sector or (role_sector(role) if entry.kind == "person" else None)
    return Actor(
        name=entry.name,
        kind=entry.kind,
        country=entry.country,
        role=role,
        affiliation=affiliation.name if affiliation else entry.affiliation,
        actor_id=entry.id,
        sector=sector,
    )


def actor_at(report: Report, start: int, end: int) -> Actor | None:
    """The actor with a mention overlapping ``[start, end)``, preferring the tightest fit.

    Fit is the number of characters by which the mention and the span differ at
    their two ends, so an exact mention wins, then the closest containing or
    contained one; ties go to the shorter (more specific) mention.
    """
    best: tuple[tuple[int, int], Actor] | None = None
    for actor in report.actors:
        for m in actor.mentions:
            if m.start < end and start < m.end:
                rank = (abs(m.start - start) + abs(m.end - end), m.end - m.start)
                if best is None or rank < best[0]:
                    best = (rank, actor)
    return best[1] if best else None


def add_mention(report: Report, actor_name: str, start: int, end: int) -> Actor:
    """Record ``[start, end)`` as a mention of the actor called ``actor_name`` (by name or id).

    An actor not yet in the layer is added, from the dictionary when it knows the name.
    """
    actor = next((a for a in report.actors if actor_name in (a.name, a.actor_id)), None)
    if actor is None:
        dictionary = default_dictionary()
        entry = lookup(actor_name, dictionary)
        actor = (
            entry_actor(entry, dictionary, publication_year(report))
            if entry
            else Actor(name=actor_name, kind="other")
        )
        existing = next((a for a in report.actors if entry and a.actor_id == entry.id), None)
        if existing is not None:
            actor = existing
        else:
            report.actors.append(actor)
    if not any(m.start == start and m.end == end for m in actor.mentions):
        actor.mentions.append(Span(start, end))
        actor.mentions.sort(key=lambda m: (m.start, m.end))
    return actor


def publication_year(report: Report) -> int | None:
    published = report.published or ""
    return int(published[:4]) if published[:4].isdigit() else None


__all__ = [
    "ActorDictionary",
    "ActorEntry",
    "Country",
    "Hit",
    "actor_at",
    "add_mention",
    "default_dictionary",
    "entry_actor",
    "load_dictionary",
    "lookup",
    "norm",
    "publication_year",
    "tokenize",
]


# Kinds of dictionary actor that speak for their state: a minister, an army, a ministry.
STATE_KINDS = frozenset({"person", "state", "government", "military", "police"})
# Armed groups that are not a state's forces.
ARMED_GROUP_KINDS = frozenset({"rebels", "militia"})
# Kinds of actor that are sides of a conflict (not brokers, monitors, the press or civilians).
SIDE_KINDS = (STATE_KINDS - {"person"}) | ARMED_GROUP_KINDS


@lru_cache(maxsize=4096)
def side_key(name: str) -> str | None:
    """The side a named actor stands for: its state (ISO alpha-3) for officials, forces and
    governments; its own organisation for an armed group or party; None when unknown.

    "Russia", "Russian forces", "the Kremlin" and Lavrov are one side; so are an
    organisation and its spokesman."""
    entry = lookup(name)
    if entry is None:
        return None
    if entry.affiliation:
        return entry.affiliation
    if entry.kind in STATE_KINDS and entry.country:
        return entry.country
    return entry.id


# Characters of a phrase searched for a country name (a source with a long apposition).
COUNTRY_SCAN_CHARS = 300


@lru_cache(maxsize=4096)
def country_in(words: str) -> str | None:
    """The country (ISO alpha-3) that a phrase names, by the actor dictionary: a named actor's, else the
    first country name or adjective in it ("the deputy head of Ukraine's administration")."""
    dictionary = default_dictionary()
    entry = lookup(words, dictionary)
    if entry is not None and entry.country:
        return entry.country
    toks = tokenize(words[:COUNTRY_SCAN_CHARS])
    for k in range(len(toks)):
        found = dictionary.country_ending_at(toks, k)
        if found is not None:
            return found[1]
    return None


def state_name(iso3: str) -> str:
    """The dictionary's name of a state ("RUS" -> "Russia"), or the code when it has none."""
    country = default_dictionary().countries.get(iso3)
    return country.name if country is not None else iso3

