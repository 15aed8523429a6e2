"""The claims layer: who says what, in which words, blaming whom, relayed by whom.

Spans come from ``attribution.find_attributions`` (quote scan + dependency
rules); this stage turns them into ``Claim`` records: it resolves each speaker
to the actor it names (pronouns and definite descriptions to the nearest
compatible preceding mention, an office such as "the minister" to the nearest
person known by it, short names to the full name used earlier), names the
blamed targets (sides that blame each other become each other's targets), and
records chains of transmission in ``via``.

``via`` order: nearest relay first, outermost last. In "Reuters reported that a
Turkish official said X" the inner claim (source: a Turkish official) has
``via=[Reuters]``; in "a monitoring group told Reuters" the claim has
``via=[Reuters]`` too (a media hearer relays it).

A claim whose source is a coordination ("according to residents and the
Observatory") is emitted once per conjunct, sharing cue and content.

Kinds: ``statement`` (a direct quotation with a plain verb of saying),
``assertion`` (a paraphrased claim of fact: said that, reported, according to),
``blame`` (blamed, accused, criticised, "Y were the instigators", "cited Y as the
key blocker", "called it a violation", traded blame; and a statement or assertion
that someone attacked or breached, see ``_accusations``; ``targets`` name the
blamed), ``denial`` (its ``targets`` name the one the denied act is pinned on:
"denied attacking the city", the speaker), ``prediction``,
``warning``, ``demand`` (urged, called for), and two PolNeAR-style extensions:
``opinion`` (thinks, believes, fears, supports) and ``intention`` (plans, vows,
refuses). Paraphrased assertions also carry ``targets`` when their content pins
an act on someone ("killed by pro-government forces", "because of objections
from Iran").

``content`` is one span. For a quotation split around its cue, or continued
after it ("“…,” he said. “…”"), and for a cue clause set off inside its claim
("X, he said, Y"), the span runs over the source and cue words; the quotation
marks (``quotes.find_quotes``) or the source and cue spans give the pieces.
``quotes`` lists those pieces' words, and the quoted fragments of a paraphrase
("called it “a flagrant breach”"), each held by the innermost claim.
"""

from __future__ import annotations

import bisect
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import takewhile

from spacy.tokens import Doc, Token

from ..actordict import ARMED_GROUP_KINDS, STATE_KINDS, country_in, default_dictionary, state_name
from ..actordict import lookup as actor_lookup
from ..attribution import (
    Accused,
    Acts,
    Lexicon,
    RuleAttribution,
    find_attributions,
    load_accusations,
    load_lexicon,
    np_span,
    trim,
)
from ..lang.en import ordered, words
from ..lang.en.triggers import lookup as event_trigger
from ..nlp import ParsedPiece
from ..pipeline import register_stage
from ..quotes import CLOSERS, OPENERS, STRAIGHT, Quote, find_quotes
from ..report import Actor, Claim, Cue, Named, Report, SourceRef, Span
from ..tagger_merge import EarlyTagging, merge, tagged_attributions
from ..tagger import TaggedAttribution, load_tagger

# How many preceding mentions a pronoun or description may skip to find a
# compatible antecedent. Wire copy names a speaker within a few sentences of
# the pronoun; a wider window mostly picks up unrelated actors.
ANTECEDENT_WINDOW = 25
# How far (in characters) after the last speaker's cue a continuing source ("They added", "The
# statement says") still continues that speaker: a paragraph or two with a caption between.
SAME_SPEAKER_CHARS = 600

# Claims searched backwards for one whose content holds a claim (its relay).
# Nesting deeper than a few levels or a relay ten sentences wide does not occur
# in news copy; the window keeps very long reports linear.
CHAIN_WINDOW = 50

_PERSON_PRONOUNS = words("pronouns", "person")
_PLURAL_PRONOUNS = frozenset({"they", "them", "their", "we"})
_PLURAL_TAGS = frozenset({"NNS", "NNPS"})
_GROUP_PRONOUNS = words("pronouns", "group")
_PRONOUNS = _PERSON_PRONOUNS | _GROUP_PRONOUNS
_GROUP_POSSESSIVES = frozenset({"its", "their"})
_RELATIVE = frozenset({"who", "which", "that"})
# "Each side blamed the other": sources that stand for the parties the sentence goes on to name.
_RECIPROCAL = re.compile(
    r"(?i)^(?:each|both|either)(?: (?:side|party|parties|sides))?$|^the two (?:sides|parties)$"
)
# Words that make a claim by several sources a claim against each other ("accused each other of",
# "traded blame", "each side blamed the other").
_MUTUAL = re.compile(r"(?i)\b(?:each other|one another|the other|traded?|trading)\b")
# What a source asks for when it asks for anonymity ("who asked not to be named").
_ANONYMITY = re.compile(r"(?i)(?:not )?to (?:not )?be (?:named|identified|quoted by name)\b")
# Cues whose noun-phrase object is a pact agreed, not a statement made.
_PACT_CUES = frozenset({"agree"})
# A subject that names no one ("No group has claimed the attack"); "No. 10 said" names an office.
_NO_ONE = re.compile(r"(?i)\s*(?:%s)\b(?![.\d])" % "|".join(sorted(words("nobody_words"))))
# Dependencies that keep a token inside the noun phrase it hangs from ("ally [of [Chile]]").
_INSIDE_NOUN_PHRASE = frozenset({"pobj", "prep", "compound", "amod", "nmod", "poss"})
# A source's closing relative clause or age is what it is, not its name ("a nurse, who asked not to be
# named"; "Schiff, 56,"); "many of whom" keeps its pronoun.
_RELATIVE_TAIL = re.compile(r"(?:,|(?<!\bof))\s+(?:who|whom|whose|which)\b.*\Z", re.DOTALL)
_AGE_TAIL = re.compile(r",\s*\d{1,3},?\s*\Z")
_DEFINITE = words("definite_determiners")
# Entity types of a modifier that says whose a description is ("the Azerbaijani ministry").
_OWNER_ENTS = frozenset({"NORP", "GPE", "ORG"})
_LEADING_DETS = tuple(f"{form} " for article in ordered("articles") for form in (article, article.title()))
_ENT_KINDS = {"PERSON": "person", "ORG": "group", "GPE": "group", "NORP": "group"}
# What joins two sides named together ("Armenia and Azerbaijan", "Israel, Hezbollah").
_COORDINATORS = words("side_coordinators")
# Verbs that call something what it is, beside the naming verbs ("described the attack as a breach").
_DESCRIBING = words("describing_verbs")
# Kinds of claim whose content may pin a hostile act on someone (see ``_accusations``).
_ACCUSING_KINDS = frozenset({"statement", "assertion", "blame", "denial"})
# Actor kinds that report fighting without taking part: their accounts of attacks accuse no one.
_BYSTANDER_KINDS = frozenset({"media", "igo", "ngo", "civilians"})
# Actor kinds on a state's side (armed groups, ARMED_GROUP_KINDS, are sides of their own).
_STATE_KINDS = STATE_KINDS - {"person"}
# Marks stripped from the edges of a quoted piece (a doubled apostrophe is two of them).
QUOTE_MARKS = OPENERS + CLOSERS + STRAIGHT + "'‘’"


@dataclass(slots=True)
class ActorMention:
    """Words a source or target may refer to: an actors-layer mention, a named entity the actors
    layer missed, or a speaker remembered as the antecedent of later pronouns. ``actor`` is the
    actors layer's name where it knows one."""

    start: int
    end: int
    name: str
    kind: str  # person | group
    actor: str | None = None
    actor_kind: str | None = None
    named: bool = True  # False for a remembered common-noun speaker ("officials")


class NameResolver:
    """Speaker and target names: actors-layer mentions first, named entities as a fallback."""

    def __init__(self, report: Report, doc: Doc, lex: Lexicon) -> None:
        self.doc = doc
        self.text = report.text
        self.lex = lex
        self.by_name = {a.name.lower(): a.name for a in report.actors}
        self.actors = {a.name: a for a in report.actors}
        self.affiliation = {a.name: a.affiliation for a in report.actors if a.affiliation}
        self.surnames = {a.name.split()[-1] for a in report.actors if a.kind == "person" and a.name.split()}
        self.role_words = {a.name: self._office(a.role) for a in report.actors if a.role}
        mentions = [
            ActorMention(m.start, m.end, a.name, "person" if a.kind == "person" else "group", a.name, a.kind)
            for a in report.actors
            for m in a.mentions
        ]
        mentions = _people_named_after_states(doc, mentions)
        taken = sorted((m.start, m.end) for m in mentions)
        places = sorted((p.start, p.end) for p in report.places)
        for ent in doc.ents:
            kind = _ENT_KINDS.get(ent.label_)
            if kind and not _overlaps(taken, ent.start_char, ent.end_char):
                name = _strip_det(ent.text)
                # A place the actors layer does not know (a town) is no antecedent for "the council".
                is_place = ent.label_ == "GPE" or _overlaps(places, ent.start_char, ent.end_char)
                place = "place" if is_place else None
                actor = self.by_name.get(name.lower())
                mentions.append(ActorMention(ent.start_char, ent.end_char, name, kind, actor, place))
        self.mentions = sorted(mentions, key=lambda m: (m.start, -m.end))
        self.starts = [m.start for m in self.mentions]

    def resolve(self, span: tuple[int, int], head: Token | None, depth: int = 0) -> tuple[str, str | None]:
        """The (name, actor name or None) that the source words refer to."""
        inside = self._inside(span, head)
        if inside is not None:
            found = self._office_holder(span[0], inside, head) or self._full(inside)
            return self._of_whom(span, head, found)
        if head is not None and depth < 2:
            issuer = _issuer(head, self.lex)
            if issuer is not None:  # "Macron's decree", "a statement by the ministry": who issued it
                return self.resolve(np_span(issuer), issuer, depth + 1)
            lower = head.lower_
            if lower in _PRONOUNS:
                kind = "person" if lower in _PERSON_PRONOUNS else "group"
                return self._antecedent(span[0], kind, None) or (head.text, None)
            if lower in _RELATIVE and head.head.head.i != head.head.i:
                noun = _relative_antecedent(head.head.head, head)
                return self.resolve(np_span(noun), noun, depth + 1)
            found = self._description(span, head)
            if found is not None:
                return found
        proper = _name_after(head, span) if head is not None else None
        words = proper or _AGE_TAIL.sub("", _RELATIVE_TAIL.sub("", self.text[span[0] : span[1]]))
        name = _strip_det(words)
        return name, self.by_name.get(name.lower())

    def remember(self, start: int, end: int, name: str, actor: str | None, head: Token | None) -> None:
        """A speaker is a salient antecedent for later pronouns ("Officials denied it. They said …")."""
        if head is None or head.pos_ == "PRON" or head.lower_ in _RELATIVE:
            return
        person = head.ent_type_ == "PERSON" or (
            head.lemma_.lower() in self.lex.person_nouns and head.tag_ != "NNS"
        )
        k = bisect.bisect_left(self.starts, start)
        if k < len(self.mentions) and self.mentions[k].start == start:
            return
        self.starts.insert(k, start)
        named = actor is not None or head.pos_ == "PROPN"
        self.mentions.insert(
            k, ActorMention(start, end, name, "person" if person else "group", actor, None, named)
        )

    def target_name(self, span: tuple[int, int]) -> tuple[str, str | None]:
        """A target is named by the longest actor mention that ends its phrase (the head), else by the phrase.

        "Syrian President Bashar Assad's army" is the army the actors layer
        names, not the president inside it. A mention without a proper name in
        it ("the insurgents") keeps the source's own words: the actors layer's
        reading of a bare description is a guess the claim should not harden.
        """
        end = span[0] + len(_strip_possessive(self.text[span[0] : span[1]]).rstrip())
        k = bisect.bisect_left(self.starts, span[0])
        ending = [m for m in self.mentions[k : bisect.bisect_left(self.starts, end)] if m.end == end and self._named(m)]
        if ending:
            return self._full(min(ending, key=lambda m: m.start))
        name = _strip_det(self.text[span[0] : span[1]])
        if " " not in name and actor_lookup(name) is None and country_in(name):
            return state_name(country_in(name) or ""), None  # "Israeli" (violations): the state
        owner, _, rest = name.partition(" ")
        if owner.lower() in _GROUP_POSSESSIVES and rest:
            found = self._antecedent(span[0], "group", None, named_only=True)
            if found is not None:
                return f"{found[0]}'s {rest}", None  # "Syria and its allies": Syria's allies
        return name, self.by_name.get(name.lower())

    def accused_name(self, accused: Accused) -> tuple[str, str | None] | None:
        """The one a hostile act is pinned on, by the actors layer where it knows the phrase.

        A pronoun resolves to its antecedent; a nationality adjective ("Israeli
        violations") names its state; a thing owned by a side ("Russian jets")
        is the side's force where the actors layer says so, else keeps its words.
        """
        head = self.doc[accused.head]
        if head.pos_ == "PRON":
            kind = "person" if head.lower_ in _PERSON_PRONOUNS else "group"
            return self._antecedent(accused.span[0], kind, None)
        k = bisect.bisect_left(self.starts, accused.span[0])
        end = accused.span[0] + len(_strip_possessive(self.text[accused.span[0] : accused.span[1]]).rstrip())
        known = [m for m in self.mentions[k : bisect.bisect_left(self.starts, end)] if m.end == end and m.actor]
        if known:
            return self._full(min(known, key=lambda m: m.start))
        if head.pos_ == "ADJ" or head.dep_ == "amod":
            country = country_in(head.text)
            return (state_name(country), None) if country else None
        if head.pos_ == "NOUN" and head.lemma_.lower() not in self.lex.actor_nouns and head.idx > accused.span[0]:
            owner = self.text[accused.span[0] : head.idx].strip()  # "Sudanese army artillery": the army's
            entry = actor_lookup(owner)
            if entry is not None:
                return entry.name, None
            country = country_in(owner)
            if country:
                return state_name(country), None
        name, actor = self.target_name(accused.span)
        entry = actor_lookup(name) if actor is None else None
        return (entry.name, None) if entry is not None else (name, actor)

    def coordinated_pair(self, region: tuple[int, int]) -> list[tuple[str, str | None]]:
        """The first two actors the region coordinates ("Armenia and Azerbaijan", "Israel and the
        militia"), when they are different sides: (name, actor) each."""
        lo, hi = bisect.bisect_left(self.starts, region[0]), bisect.bisect_left(self.starts, region[1])
        inside = [m for m in self.mentions[lo:hi] if m.actor and m.end <= region[1]]
        for first, second in zip(inside, inside[1:]):
            joint = self.text[first.end : second.start].strip().lower()
            if joint not in _COORDINATORS:
                continue
            a, b = self._full(first), self._full(second)
            countries = {self.country_of(x[1] or x[0]) for x in (a, b)}
            if (a[1] or a[0]) != (b[1] or b[0]) and (None in countries or len(countries) == 2):
                return [a, b]
        return []

    def country_of(self, name: str, words: str = "") -> str | None:
        """The country an actor belongs to: the actors layer's, the dictionary's, else one its words name."""
        actor = self.actors.get(name)
        if actor is not None and actor.country:
            return actor.country
        affiliated = self.actors.get(actor.affiliation or "") if actor is not None else None
        if affiliated is not None and affiliated.country:
            return affiliated.country
        return country_in(name) or (country_in(words) if words else None)

    def side(self, name: str, words: str = "") -> str | None:
        """The side of the fighting an actor is on: an armed group is its own side; a state, its
        government, forces and officials are their country's ("state" when the country is unknown:
        "the army" is not "the rebels"); a person is their organisation's; None when unknown."""
        actor = self.actors.get(name)
        entry = actor_lookup(name) if actor is None else None
        kind = actor.kind if actor is not None else entry.kind if entry is not None else None
        if actor is not None and kind == "person" and actor.affiliation in self.actors:
            return self.side(actor.affiliation or "")
        if kind in ARMED_GROUP_KINDS:
            return (actor.actor_id if actor is not None else entry.id if entry is not None else None) or name
        country = self.country_of(name, words)
        return country or ("state" if kind in _STATE_KINDS else None)

    def is_person(self, actor: str | None, head: Token) -> bool:
        known = self.actors.get(actor or "")
        if known is not None:
            return known.kind == "person"
        return head.ent_type_ == "PERSON" or (head.lemma_.lower() in self.lex.person_nouns and head.tag_ == "NN")

    def bystander(self, name: str) -> bool:
        """Media, international and non-governmental bodies report fighting; they are no side in it."""
        actor = self.actors.get(name)
        return actor is not None and actor.kind in _BYSTANDER_KINDS

    def _named(self, m: ActorMention) -> bool:
        span = self.doc.char_span(m.start, m.end, alignment_mode="expand")
        return span is not None and any(t.pos_ == "PROPN" for t in span)

    def _inside(self, span: tuple[int, int], head: Token | None) -> ActorMention | None:
        k = bisect.bisect_right(self.starts, span[1]) - 1
        best: ActorMention | None = None
        named_head = False
        while k >= 0 and self.mentions[k].end > span[0] - 200:
            m = self.mentions[k]
            if m.start >= span[0] and m.end <= span[1]:
                # The mention holds the head, or names it in apposition ("the governor, Petro Koval,").
                # ... or follows it directly ("the state news agency SANA", "the rebel group Jaish al-Islam").
                # One that holds the head itself wins over an apposition naming it ("Dube, a former
                # Zambian president,": Dube, not the presidency).
                own = head is not None and m.start <= head.idx < m.end
                holds_head = own or head is not None and (any(
                    c.dep_ == "appos" and m.start <= c.idx < m.end for c in head.children)
                    or _names_right_after(head, m))
                # A proper-noun head outside every entity ("Medics at X Hospital") is a capitalised noun.
                if head is not None and not holds_head and (head.pos_ != "PROPN" or not head.ent_type_):
                    k -= 1
                    continue
                if own or best is None or (holds_head and not named_head) or (
                    not named_head and m.actor and not best.actor
                ):
                    best = m
                named_head = named_head or holds_head
                if own:
                    break
            k -= 1
        return best

    def _of_whom(self, span: tuple[int, int], head: Token | None, found: tuple[str, str | None]) -> tuple[str, str | None]:
        """An actor known only by a common noun ("government") keeps the name the source words give it
        ("the government of Somaliland"): the bare noun would merge it with every other government."""
        if head is None or " " in found[0] or not found[0].islower():
            return found
        of = next((c for c in head.rights if c.dep_ == "prep" and c.lower_ == "of"), None)
        named = of is not None and any(t.pos_ == "PROPN" for t in of.subtree)
        if not named or of.right_edge.idx >= span[1]:
            return found
        return _strip_det(self.text[head.left_edge.idx : of.right_edge.idx + len(of.right_edge)]), found[1]

    def _office_holder(self, pos: int, m: ActorMention, head: Token | None) -> tuple[str, str | None] | None:
        """"the Russian president" is the person the report knows in that office for that country
        (the actors layer reads the words as the government)."""
        if head is None or head.pos_ != "NOUN" or head.tag_ != "NN" or m.kind == "person":
            return None
        title = head.lemma_.lower()
        if title not in self.lex.title_nouns or not m.start <= head.idx < m.end:
            return None
        country = self.country_of(m.actor or m.name)
        return self._antecedent(
            pos, "person", None, named_only=True,
            accept=lambda p: title in self._roles(p) and self.country_of(self._full(p)[1] or p.name) == country,
        )

    def _full(self, m: ActorMention) -> tuple[str, str | None]:
        """A short name ("Al Hussein") stands for the longest earlier name that ends with it."""
        if m.kind == "person" and m.actor is None:
            k = bisect.bisect_left(self.starts, m.start) - 1
            for prev in reversed(self.mentions[max(0, k - 4 * ANTECEDENT_WINDOW) : k + 1]):
                if (
                    prev.kind == "person"
                    and len(prev.name) > len(m.name)
                    and prev.name.endswith(" " + m.name)
                ):
                    return prev.name, prev.actor
        return m.name, m.actor or self.by_name.get(m.name.lower())

    def _antecedent(
        self,
        pos: int,
        kind: str,
        allowed: frozenset[str] | None,
        named_only: bool = False,
        accept: Callable[[ActorMention], bool] | None = None,
    ) -> tuple[str, str | None] | None:
        """The nearest compatible mention before ``pos``; a possessor ("Assad's forces") yields to
        an earlier mention that is not one, as subjects are likelier antecedents than possessors."""
        found = self.antecedent_mention(pos, kind, allowed, named_only, accept)
        return self._full(found) if found is not None else None

    def antecedent_mention(
        self,
        pos: int,
        kind: str,
        allowed: frozenset[str] | None = None,
        named_only: bool = False,
        accept: Callable[[ActorMention], bool] | None = None,
    ) -> ActorMention | None:
        """The mention ``_antecedent`` names (see there)."""
        k = bisect.bisect_left(self.starts, pos) - 1
        fallback: ActorMention | None = None
        for m in reversed(self.mentions[max(0, k - ANTECEDENT_WINDOW + 1) : k + 1]):
            if m.kind != kind or m.end > pos or (named_only and not m.named):
                continue
            if kind == "person" and m.actor_kind == "place":
                continue  # a town the tagger read as a person's name is no "he"
            if accept is not None and not accept(m):
                continue
            if allowed is not None and m.actor_kind is not None and m.actor_kind not in allowed:
                continue
            if not self._possessor(m):
                return m
            fallback = fallback or m
        return fallback

    def _possessor(self, m: ActorMention) -> bool:
        return self.text[m.end : m.end + 2] in ("’s", "'s") or self.text[m.end - 2 : m.end] in ("’s", "'s")

    def _description(self, span: tuple[int, int], head: Token) -> tuple[str, str | None] | None:
        """``the minister`` -> the nearest person; ``the monitoring group`` -> the nearest organisation;
        ``his agency`` -> the organisation the nearest person belongs to (from the actors layer)."""
        lemma = head.lemma_.lower()
        owner = next((c for c in head.children if c.dep_ == "poss" and c.lower_ in ("his", "her")), None)
        if owner is not None and lemma in self.lex.group_nouns:
            person = self._antecedent(span[0], "person", None, named_only=True)
            org = self.affiliation.get(person[1]) if person and person[1] else None
            return (org, self.by_name.get(org.lower())) if org else None
        if not any(c.dep_ == "det" and c.lower_ in _DEFINITE for c in head.children):
            return None
        if head.tag_ == "NNS" and (lemma in self.lex.person_nouns or lemma in self.lex.title_nouns):
            return None  # "the ministers" are not the one minister named last
        personal = lemma in self.lex.title_nouns or lemma in self.lex.person_nouns
        owner = [c for c in head.children if c.dep_ in ("compound", "amod") and (
            c.pos_ == "PROPN" or c.ent_type_ in _OWNER_ENTS)]
        if owner and not personal and head.tag_ != "NN":
            return None  # "the Indian and Pakistani armies" are no one group named before
        if owner and not personal:
            # "the Palestinian militant movement" is the nearest group of that country; "the Zembian
            # defence ministry" (no country the dictionary knows) names itself
            country = country_in(" ".join(c.text for c in owner))
            allowed = self.lex.group_nouns.get(lemma)
            if country is None or allowed is None:
                return None
            return self._antecedent(
                span[0], "group", allowed, named_only=True, accept=lambda m: self.country_of(m.actor or m.name) == country
            )
        if lemma not in self.lex.person_nouns and any(
            c.dep_ == "compound" and (c.ent_type_ == "PERSON" or c.text in self.surnames) for c in head.children
        ):
            return None  # "the Trump campaign" names itself: it is not the nearest organisation
        if lemma in self.lex.title_nouns:
            return self._titled(span[0], lemma)
        if lemma in self.lex.person_nouns:
            return self._antecedent(span[0], "person", None, named_only=True)
        allowed = self.lex.group_nouns.get(lemma)
        return self._antecedent(span[0], "group", allowed, named_only=True) if allowed is not None else None


    def _titled(self, pos: int, title: str) -> tuple[str, str | None] | None:
        """``the minister``: the nearest person the report knows by that office, else the nearest whose
        office it does not know. "President X" is not "the minister", however near."""
        holds = self._antecedent(pos, "person", None, named_only=True, accept=lambda m: title in self._roles(m))
        if holds is not None:
            return holds
        return self._antecedent(pos, "person", None, named_only=True, accept=lambda m: not self._roles(m))

    def _office(self, role: str) -> set[str]:
        """The words of a role, abbreviated titles spelled out ("Sen." is a senator)."""
        return {office for w in role.lower().split() for office in self.lex.title_abbreviations.get(w, w).split()}

    def _roles(self, m: ActorMention) -> set[str]:
        return self.role_words.get(self._full(m)[1] or "", set())


def _issuer(head: Token, lex: Lexicon) -> Token | None:
    """The issuer of a document that speaks: its possessor ("Macron's decree", "its statement") or its
    author after by/from ("a statement by the ministry", "a message from the commander")."""
    if head.pos_ != "NOUN" or head.lemma_.lower() not in lex.document_nouns:
        return None
    owner = next((c for c in head.children if c.dep_ == "poss"), None)
    if owner is not None:
        return owner
    for prep in (*head.children, *(g for c in head.children if c.dep_ == "acl" for g in c.children)):
        if prep.dep_ in ("prep", "agent") and prep.lower_ in ("by", "from"):
            return next((g for g in prep.children if g.dep_ == "pobj"), None)
    return None


def _people_named_after_states(doc: Doc, mentions: list[ActorMention]) -> list[ActorMention]:
    """A person's name stays a person: where the actors layer read a state or group inside a longer
    personal name ("Israel" in "Israel Katz", "Jordan" in "Jordan Bardella"), the name is a mention of
    that person, so that later pronouns and speaker names find the person, never the state."""
    people = [
        ent for ent in doc.ents
        if ent.label_ == "PERSON" and len(ent) > 1 and any(t.pos_ == "PROPN" for t in ent)
    ]
    if not people:
        return mentions
    spans = sorted((ent.start_char, ent.end_char) for ent in people)
    starts = [s for s, _ in spans]
    kept: list[ActorMention] = []
    for m in mentions:
        k = bisect.bisect_right(starts, m.start) - 1
        inside = k >= 0 and spans[k][0] <= m.start and m.end <= spans[k][1] and spans[k] != (m.start, m.end)
        if not (inside and m.kind == "group"):
            kept.append(m)
    return kept


def _proper_after(head: Token) -> list[Token]:
    """The proper name right after a common-noun head, in close apposition ("the rebel group Jaish
    al-Islam", "the state news agency SANA"); empty when there is none."""
    if head.pos_ != "NOUN":
        return []
    name = list(takewhile(lambda t: t.pos_ == "PROPN" or t.text == "-", head.doc[head.i + 1 :]))
    while name and name[-1].text == "-":
        name.pop()
    return name


def _name_after(head: Token, span: tuple[int, int]) -> str | None:
    """The close-apposition name of a speaker's head where no actor or entity covers it."""
    name = _proper_after(head)
    if not name or head.idx + len(head) != span[1] and name[-1].idx + len(name[-1]) > span[1]:
        return None  # the name must lie in the words, or follow them straight on (the parse cut it off)
    after = name[-1].i + 1
    if after < len(head.doc) and head.doc[after].dep_ == "relcl":
        return None  # "a speech Mrs. Clinton delivered": the name opens a relative clause
    return head.doc[name[0].i : name[-1].i + 1].text


def _names_right_after(head: Token, m: ActorMention) -> bool:
    """The mention is the proper name right after the head (close apposition)."""
    name = _proper_after(head)
    return bool(name) and name[0].idx == m.start


def _relative_antecedent(noun: Token, pronoun: Token) -> Token:
    """The noun a relative pronoun stands for, out of an apposition its commas close.

    In "objections from Norway, an ally of Chile, which is seeking ..." the
    parser hangs the relative clause on the nearest noun (Chile); the comma
    that closes the apposition before "which" makes it modify the noun the
    apposition describes (Norway).
    """
    doc = noun.doc
    if pronoun.i == 0 or doc[pronoun.i - 1].text != ",":
        return noun
    appositive = noun
    while appositive.dep_ in _INSIDE_NOUN_PHRASE and appositive.head.i != appositive.i:
        appositive = appositive.head
    opens = appositive.left_edge.i - 1
    if appositive.dep_ == "appos" and opens >= 0 and doc[opens].text == ",":
        return appositive.head
    return noun


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    k = bisect.bisect_right(spans, (end, end))
    return any(s < end and e > start for s, e in spans[max(0, k - 8) : k])


def _strip_possessive(name: str) -> str:
    for suffix in ("’s", "'s", "’", "'"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def _strip_det(phrase: str) -> str:
    for det in _LEADING_DETS:
        if phrase.startswith(det):
            return _strip_possessive(phrase[len(det) :])
    return _strip_possessive(phrase)


def build_claims(
    report: Report,
    attributions: list[RuleAttribution],
    lex: Lexicon,
    quotes: list[Quote] | None = None,
    acts: Acts | None = None,
) -> list[Claim]:
    """Claims from span-level attributions: resolved speakers, named targets, relay chains and the
    verbatim words each holds (``quotes``: the scan of ``quotes.find_quotes``, read again if absent)."""
    doc = report.doc
    resolver = NameResolver(report, doc, lex)
    claims: list[Claim] = []
    last: Speaker | None = None
    for att in attributions:
        targets = _names(resolver, att.targets)
        relays = _names(resolver, att.relays)
        cue = Cue(att.cue[0], att.cue[1], report.text[att.cue[0] : att.cue[1]])
        owns_up = bool(att.targets) and att.targets == att.sources  # claimed responsibility for ...
        for (start, end), head_i in zip(att.sources, att.source_heads):
            head = doc[head_i] if head_i >= 0 else None
            name, actor = _same_speaker(resolver, last, head, att) or resolver.resolve((start, end), head)
            if actor is None and head is not None:
                actor = _collective_actor(report, lex, head, name, (start, end))
            resolver.remember(start, end, name, actor, head)
            if head is not None:
                person, plural = resolver.is_person(actor, head), head.tag_ in _PLURAL_TAGS
                last = Speaker(name, actor, person, plural, att.cue[1], att.content)
            claims.append(
                Claim(
                    start=att.start,
                    end=att.end,
                    direct=att.direct,
                    source=SourceRef(name, start, end, actor),
                    cue=cue,
                    content=Span(*att.content),
                    kind=att.kind,
                    targets=[Named(name)] if owns_up else [Named(n) for n in targets],
                    via=[Named(n) for n in relays],
                )
            )
    claims = _split_reciprocal(report, claims)
    _accusations(report, resolver, claims, acts or Acts(doc, lex))
    claims = _mutual_blame(report, resolver, claims)
    _chain(claims)
    _mark_quoted(report.text, claims, find_quotes(report.text) if quotes is None else quotes)
    return claims


@dataclass(slots=True)
class Speaker:
    """The source of the claim read last, for the words that continue it."""

    name: str
    actor: str | None
    person: bool
    plural: bool
    cue_end: int
    content: tuple[int, int]


def _same_speaker(
    resolver: NameResolver, last: Speaker | None, head: Token | None, att: RuleAttribution
) -> tuple[str, str | None] | None:
    """The speaker just quoted, where the source only continues them: a pronoun subject of a
    continuing cue ("They added", "he added": news copy adds to the last speaker's words, whatever
    a photo caption named in between), "he" when the nearest name is one the last speaker only
    talked about ("X said the road to Y reopened. 'We were happy,' he said"), and a document named
    again ("The statement says")."""
    if head is None or last is None or att.cue[0] - last.cue_end > SAME_SPEAKER_CHARS:
        return None
    lower, lex = head.lower_, resolver.lex
    if lower in _PRONOUNS:
        if (lower in _PERSON_PRONOUNS) != last.person and not (lower in _PLURAL_PRONOUNS and last.plural):
            return None
        cue = resolver.doc.char_span(att.cue[0], att.cue[1], alignment_mode="expand")
        if cue is not None and any(t.lemma_.lower() in lex.continuation_verbs for t in cue):
            return last.name, last.actor
        nearest = resolver.antecedent_mention(head.idx, "person") if lower in _PERSON_PRONOUNS else None
        if nearest is not None and last.content[0] <= nearest.start < last.content[1]:
            return last.name, last.actor
        return None
    dets = [c.lower_ for c in head.children if c.dep_ == "det"]
    definite = all(d in _DEFINITE for d in dets)  # "the statement", or headline style "statement read"
    if definite and head.lemma_.lower() in lex.document_nouns and _issuer(head, lex) is None:
        return last.name, last.actor
    return None


def _split_reciprocal(report: Report, claims: list[Claim]) -> list[Claim]:
    """A claim by "each side" becomes one claim per side, where the same sentence names the sides.

    "Each side blamed the other - Turkey cited X, while Russia said Y": the
    sides are the actors of the sentence's other claims. Where they are not
    named there, the claim keeps its words as its source.
    """
    out: list[Claim] = []
    for claim in claims:
        sides = _sides(report, claim, claims) if _RECIPROCAL.match(claim.source.name) else []
        out.extend([replace(claim, source=replace(claim.source, name=side, actor=side)) for side in sides] or [claim])
    return out


def _mutual_blame(report: Report, resolver: NameResolver, claims: list[Claim]) -> list[Claim]:
    """Sides that blame each other ("Armenia and Azerbaijan accused each other of ...", "traded blame",
    "each side blamed the other") each blame the others: one cue, several sources, each the others' target.

    Where the blame has one source standing for the sides ("both sides accused each other", "the
    interior ministries of Serbia and Croatia traded accusations"), the sides are the two actors
    coordinated in its words, else in its sentence, else in the sentence before ("Ethiopia and
    Eritrea signed a pact. By nightfall the two sides accused each other ..."); one claim each.
    """
    by_cue: dict[int, list[Claim]] = {}
    for claim in claims:
        if claim.kind == "blame":
            by_cue.setdefault(claim.cue.start, []).append(claim)
    split: dict[int, list[Claim]] = {}
    for group in by_cue.values():
        if not _is_mutual(report, group[0]):
            continue
        sides = list(dict.fromkeys(c.source.actor or c.source.name for c in group))
        if len(sides) < 2:
            pair = _coordinated_sides(report, resolver, group[0])
            if not pair:
                continue
            one = group[0]
            group = [replace(one, source=replace(one.source, name=name, actor=actor), targets=[]) for name, actor in pair]
            split[id(one)] = group
            sides = [actor or name for name, actor in pair]
        for claim in group:
            own = claim.source.actor or claim.source.name
            claim.targets = [Named(side) for side in sides if side != own]
    return [c for claim in claims for c in split.get(id(claim), [claim])] if split else claims


def _is_mutual(report: Report, claim: Claim) -> bool:
    """Blame laid both ways: "accused each other", "each side blamed the other", "traded accusations"."""
    said = report.text[claim.content.start : claim.content.end].strip()
    if _MUTUAL.search(claim.cue.text) or _MUTUAL.fullmatch(said):
        return True
    cue = report.doc.char_span(claim.cue.start, claim.cue.end, alignment_mode="expand") if report.doc else None
    acc = load_accusations()
    lemmas = {t.lemma_.lower() for t in cue or ()}
    return bool(lemmas & acc.mutual_verbs) and bool(lemmas & acc.accusation_nouns)


def _coordinated_sides(report: Report, resolver: NameResolver, claim: Claim) -> list[tuple[str, str | None]]:
    """Two actors coordinated ("Armenia and Azerbaijan", "between Israel and Hezbollah") in the source's
    words, else the cue's sentence, else the sentence before it; empty when there are none."""
    regions: list[tuple[int, int]] = []
    if claim.source.start is None or claim.source.end is None:
        return []
    regions.append((claim.source.start, claim.source.end))
    words = report.text[claim.source.start : claim.source.end].lower()
    sentence = report.sentence_at(claim.cue.start)
    if sentence is not None and words in load_accusations().reciprocal_sources:
        regions.append((sentence.start_char, sentence.end_char))
        before = report.sentence_at(sentence.start_char - 1) if sentence.start_char > 0 else None
        if before is not None and before.start_char < sentence.start_char:
            regions.append((before.start_char, before.end_char))
    for region in regions:
        pair = resolver.coordinated_pair(region)
        if pair:
            return pair
    return []


def _accusations(report: Report, resolver: NameResolver, claims: list[Claim], acts: Acts) -> None:
    """A claim that someone attacked, shelled, struck or breached accuses them.

    Each hostile act in a claim's content (the innermost claim's, where claims
    nest) is pinned on its doer. A claim of fact (statement, assertion) becomes
    blame with the doer as target when it frames the act as a breach ("violated
    the truce", "Israeli violations", "in violation of") or when its source is a
    side of the fighting and the doer another side (``NameResolver.side``: "Cambodia's
    defence ministry said Thai forces shelled two temples"; "the enemy
    fired" always names another side); media, international bodies, monitors
    and civilians only reporting an attack accuse no one, and an attack named by a
    noun accuses only when it is a breach ("Israeli violations"), as "the right
    to respond to attacks by X" charges no act. Blame that names no one
    takes the doer as target; a denial keeps its kind and names the one it
    clears ("denied attacking the city": the speaker itself).
    """
    text = report.text
    found = acts.in_span((0, len(text)))
    words = [(t.idx, t.idx + len(t)) for t in found]
    for act, holders in zip(found, _innermost(claims, words)):
        for claim in holders:
            if claim.kind in _ACCUSING_KINDS:
                _accuse(text, resolver, claim, acts.accused(act, (claim.content.start, claim.content.end)))
    for claim in claims:  # "called it a violation": the act charged is the one just reported
        if claim.kind == "blame" and not claim.targets and _names_a_charge(acts.doc, claim, resolver.lex):
            _accuse(report.text, resolver, claim, _act_before(report, acts, claim))
    for claim in claims:  # "denied attacking": the act is in the cue, or between it and what is denied
        if claim.kind == "denial" and not claim.targets and claim.cue.start < claim.content.start:
            for act in acts.in_span((claim.cue.start, claim.content.start)):
                _accuse(text, resolver, claim, acts.accused(act, (claim.content.start, claim.content.end)))


def _names_a_charge(doc: Doc, claim: Claim, lex: Lexicon) -> bool:
    """Blame by calling something a breach ("called it a violation", "described the attack as ...")."""
    cue = doc.char_span(claim.cue.start, claim.cue.end, alignment_mode="expand")
    if cue is None:
        return False
    lemmas = {t.lemma_.lower() for t in cue}
    return not lemmas.isdisjoint(lex.naming_verbs) or not lemmas.isdisjoint(_DESCRIBING)


def _act_before(report: Report, acts: Acts, claim: Claim) -> Accused | None:
    """The doer of the last hostile act reported before the claim, in its sentence or the one before:
    what "it" or "the attack" refers to when a speaker calls it a breach."""
    sentence = report.sentence_at(claim.cue.start)
    if sentence is None:
        return None
    before = report.sentence_at(sentence.start_char - 1) if sentence.start_char > 0 else None
    lo = before.start_char if before is not None else sentence.start_char
    for act in reversed(acts.in_span((lo, claim.start))):
        if act.pos_ != "VERB":
            continue
        around = report.sentence_at(act.idx)
        found = acts.accused(act, (around.start_char, around.end_char)) if around is not None else None
        if found is not None and not found.own:
            return found
    return None


def _accuse(text: str, resolver: NameResolver, claim: Claim, accused: Accused | None) -> None:
    """Pin one act on its doer within one claim (see ``_accusations``)."""
    if accused is None:
        return
    own = claim.source.actor or claim.source.name
    found = resolver.accused_name(accused) if not accused.own else (own, own)
    if found is None:
        return
    name = found[1] or found[0]
    if own in found or name.startswith(own + "'s "):  # the speaker's own act ("its forces")
        if claim.kind == "denial" and not claim.targets:
            claim.targets = [Named(own)]
        return
    if any(t.name == name for t in claim.targets):
        return
    if claim.kind in ("statement", "assertion"):
        if accused.named and not accused.framed:
            return  # "respond to attacks by X" names acts in general; a breach is always a charge
        source_words = text[claim.source.start : claim.source.end] if claim.source.start is not None else ""
        side = None if resolver.bystander(own) else resolver.side(own, source_words)
        doer = resolver.side(name, text[accused.span[0] : accused.span[1]])
        if side is None and not resolver.bystander(own):
            side = "speaker"
        if resolver.doc[accused.head].lemma_.lower() in load_accusations().adversary_nouns:
            doer = "adversary"  # "the enemy fired": another side than the speaker's, whoever speaks
        elif side == "speaker":
            side = None
        if not accused.framed and (side is None or doer is None or side == doer):
            return
        claim.kind = "blame"
    elif claim.kind == "blame" and claim.targets:
        return  # the blame names its target already (accused X of Y)
    claim.targets.append(Named(name))


def _sides(report: Report, claim: Claim, claims: list[Claim]) -> list[str]:
    sentence = report.sentence_at(claim.cue.start)
    if sentence is None:
        return []
    sides: list[str] = []
    for other in claims:
        actor = other.source.actor
        inside = sentence.start_char <= other.cue.start < sentence.end_char
        if inside and other is not claim and actor and actor not in sides:
            sides.append(actor)
    return sides if len(sides) >= 2 else []


def _collective_actor(
    report: Report, lex: Lexicon, head: Token, name: str, span: tuple[int, int]
) -> str | None:
    """A collective source the actors layer left out (residents, activists, state media) becomes an
    actor of its own, so claims from it can be counted; a known one gains this mention."""
    kind = lex.collective_sources.get(head.lemma_.lower())
    if kind is None or head.pos_ != "NOUN":
        return None
    key = name.lower()
    actor = next((a for a in report.actors if a.name.lower() == key), None)
    if actor is None:
        actor = Actor(name=name, kind=kind)
        report.actors.append(actor)
    if not any(m.start == span[0] and m.end == span[1] for m in actor.mentions):
        actor.mentions.append(Span(*span))
    return actor.name


def _names(resolver: NameResolver, spans: list[tuple[int, int]]) -> list[str]:
    names: list[str] = []
    for span in spans:
        name = resolver.target_name(span)[0]
        if name and name not in names:
            names.append(name)
    return names


def _chain(claims: list[Claim]) -> None:
    """A claim inside another claim's content was relayed by that claim's source.

    A container starts no later than the claim it holds, so only the preceding
    ``CHAIN_WINDOW`` claims (in start order) are searched, outermost first, so
    that each container's own chain is known before it is passed on.
    """
    order = sorted(range(len(claims)), key=lambda i: (claims[i].start, -claims[i].end))
    for rank, i in enumerate(order):
        claim = claims[i]
        best: Claim | None = None
        for j in order[max(0, rank - CHAIN_WINDOW) : rank]:
            other = claims[j]
            holds = (
                other.cue.start != claim.cue.start
                and other.content.start <= claim.start <= claim.end <= other.content.end
            )
            if holds and (best is None or _width(other) < _width(best)):
                best = other
        if best is not None:
            chain = [n.name for n in claim.via] + [best.source.name] + [n.name for n in best.via]
            claim.via = [Named(n) for n in dict.fromkeys(chain) if n != claim.source.name]


def _width(claim: Claim) -> int:
    return claim.content.end - claim.content.start


def _mark_quoted(text: str, claims: list[Claim], quotes: list[Quote]) -> None:
    """Each quoted piece is the verbatim words of the innermost claim whose content holds it.

    A direct quotation's content is its quotation (split around its cue, or
    continued over paragraphs: one piece each); a paraphrase keeps the quoted
    fragments it repeats (called it "a flagrant breach"). In "Reuters reported
    that X said '...'" the words are X's, so only the narrowest content holding
    a piece gets it (every claim sharing that content: coordinated sources).
    """
    pieces = [w for w in (_inside_marks(text, p) for q in quotes for p in (q.parts or [(q.start, q.end)])) if w]
    for words, holders in zip(pieces, _innermost(claims, pieces)):
        for claim in holders:
            claim.quotes.append(Span(*words))


def _innermost(claims: list[Claim], spans: list[tuple[int, int]]) -> list[list[Claim]]:
    """For each span (in start order), the claims with the narrowest content that holds it: words in
    a claim nested in another's content are the nested claim's. Only the ``CHAIN_WINDOW`` contents
    starting last before a span are searched, as in ``_chain``."""
    order = sorted(claims, key=lambda c: (c.content.start, -c.content.end))
    starts = [c.content.start for c in order]
    out: list[list[Claim]] = []
    for start, end in spans:
        k = bisect.bisect_right(starts, start)
        holders = [c for c in order[max(0, k - CHAIN_WINDOW) : k] if c.content.end >= end]
        narrowest = min((_width(c) for c in holders), default=0)
        out.append([c for c in holders if _width(c) == narrowest])
    return out


def _inside_marks(text: str, piece: tuple[int, int]) -> tuple[int, int] | None:
    """The words of a quoted piece without its marks and edge spaces; None when nothing is left."""
    start, end = trim(text, piece, QUOTE_MARKS)
    return (start, end) if end > start else None


@register_stage
class ClaimsStage:
    name = "claims"
    # Places tell a town from an organisation when a source is named; collective sources the actors
    # layer left out ("residents", "state media") are added to it as actors.
    requires = ("doc", "actors", "places")
    assigns = ("claims", "actors")
    # The tagger needs the parse alone, so the pipeline starts it (``prefetch``) as each parsed chunk
    # comes: it then runs on a second core while spaCy parses the rest (issue 17).
    prefetch_requires = ("doc",)

    def __init__(self) -> None:
        self.lex = load_lexicon()
        # The tagger raises claim recall a lot and costs most of the pipeline's time;
        # FOGWATCH_TAGGER=0 turns it off where speed matters more (see bench/RESULTS.md).
        self.tagger = load_tagger() if os.environ.get("FOGWATCH_TAGGER", "1") != "0" else None
        # Tagging started early, by report (its id; the report is kept so that the id stays its own).
        self.early: dict[int, tuple[Report, EarlyTagging]] = {}

    def prefetch(self, report: Report, part: ParsedPiece | None) -> None:
        """Start tagging a parsed chunk (``part``), or once the parse is whole (None) what is left of
        it, on the tagger's own threads; without them (FOGWATCH_TAGGER_THREADS=1) the tagger runs in
        ``__call__`` as before."""
        if self.tagger is None or not self.tagger.background:
            return
        held = self.early.get(id(report))
        if part is not None:
            if held is None:
                held = self.early[id(report)] = (report, EarlyTagging(self.tagger, part.text, self.lex))
            held[1].add(part.doc, part.start, part.end)
            return
        if held is None:
            doc = report.doc
            if doc is None:
                return
            held = self.early[id(report)] = (report, EarlyTagging(self.tagger, doc.text, self.lex))
            held[1].add(doc, 0, len(held[1].text))
        held[1].close()

    def abandon(self, report: Report) -> None:
        """Stop the tagging started for a report that will not reach this stage (or has passed it)."""
        held = self.early.pop(id(report), None)
        if held is not None:
            held[1].cancel()

    def __call__(self, report: Report) -> None:
        held = self.early.pop(id(report), None)
        early = held[1] if held is not None else None
        doc = report.doc
        if doc is None or not report.text.strip():
            if early is not None:
                early.cancel()
            report.claims = []
            return
        text = doc.text
        quotes = find_quotes(text)
        acts = Acts(doc, self.lex)
        attributions = find_attributions(doc, quotes, self.lex, acts, report.sentences)
        if self.tagger is not None:
            attributions = merge(attributions, self._tagged(doc, text, early), doc, self.lex, text)
        attributions = [a for a in attributions if _says_something(a, doc, text)]
        report.claims = build_claims(report, attributions, self.lex, quotes, acts)
        report.refer_to_actors(n for claim in report.claims for n in (*claim.targets, *claim.via))

    def _tagged(self, doc: Doc, text: str, early: EarlyTagging | None) -> list[TaggedAttribution]:
        """The tagger's attributions: those started early (``prefetch``), else found now."""
        if early is not None and early.text == text:
            return early.result()
        if early is not None:  # started on another text than the parse's: cannot happen, but never used
            early.cancel()
        return tagged_attributions(self.tagger, doc, self.lex, text)


def _says_something(att: RuleAttribution, doc: Doc, text: str) -> bool:
    """False for agreeing to an event ("the sides agreed a cease-fire"): that is a pact the events
    layer records, not a claim; for a source's request for anonymity ("who asked not to be
    named"): that is how the source is described, not something it claims; and for a subject
    that names no one ("No group has claimed the attack"): nobody says anything.

    Agreeing that something is so, agreeing to do something, or agreeing with
    a view ("agreed with the assessment") keeps its claim.
    """
    if _ANONYMITY.match(text, att.content[0], att.content[1]):
        return False
    if att.sources and all(_NO_ONE.match(text, start, end) for start, end in att.sources):
        return False
    cue = doc.char_span(*att.cue, alignment_mode="expand")
    if cue is None or not any(t.lemma_.lower() in _PACT_CUES for t in cue):
        return True
    content = doc.char_span(*att.content, alignment_mode="expand")
    if content is None or any(t.pos_ in {"VERB", "AUX"} for t in content):
        return True
    return not any(t.pos_ == "NOUN" and event_trigger(t) is not None for t in content)
