"""Finding attributions (source, cue, content) with the dependency parse and the quote scan.

A ``RuleAttribution`` is the span-level result, in character offsets, before any
speaker is resolved to an actor: the shape a sequence tagger would also
produce, so tagger spans can later be merged with these rule spans by cue.

The rules are an ordered table, ``RULES`` (at the end of this module), as the
time grammar's ``timex.RULES`` is: each rule a function that reads one
construction over the whole parsed document and records what it finds in a
``RuleContext``, which also holds the cue tokens already used so that no later
rule reads them again. In order:
1. direct quotations (``quotes.find_quotes``) tied to a cue verb after them
   (“…,” he said), before them (X said: “…”), around them (“…,” he said, “…”),
   or continuing an attributed quotation in the next sentence or paragraph;
2. speaker labels (``PENCE: …``, headline ``Cavusoglu: …``);
3. constructions the verb rule would misread: ``held X responsible for``, a
   closing apposition that names a clause a claim (``…, an allegation Moscow
   denies``: the relative clause's subject denies it), traded blame;
4. verbs of saying from the cue lexicon, their subject as source and what they
   say as content, read by the ordered ``VERB_CONTENT_RULES`` (blamed Y for Z,
   called on X to, called it a violation, said that, warned of, denied the
   report, and a cue clause set off by commas);
5. ``according to X``;
6. nouns that introduce a that-clause (``had credible reports that …``).
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources
from itertools import islice, takewhile
from typing import NamedTuple

from spacy.matcher import Matcher
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

from .lang.en import words
from .nlp import doc_text
from .quotes import Quote, is_scare_quote

# How far after a closing quote mark the cue clause (“…,” the minister told
# reporters on Tuesday) may reach, in tokens. Twelve covers a subject with a
# short apposition; longer gaps in the PolNeAR dev texts were new sentences.
TRAILING_TOKENS = 12
# How far before an opening mark the cue clause (X said on Tuesday: “…”) may start.
LEADING_TOKENS = 30
# Tokens between a governing verb and the cue verb in its infinitive (went on to
# discuss, could not resist pointing out) for the pair to be one cue.
RAISING_GAP = 4
# Whitespace skipped when looking for the token after a quotation; longer runs
# are layout, not the space between a quotation and its cue.
WHITESPACE_SKIP = 200
# Longest trailing relay clause (", the state news agency reported.") in tokens.
RELAY_CLAUSE_TOKENS = 10
# Tokens of a content clause searched for blame words and agents. News sentences
# rarely pass 80 tokens; the cap keeps run-on text (nested "X said that Y said
# that ...") linear instead of quadratic.
CONTENT_SCAN_TOKENS = 150
# Longest rest of a cue clause (“…,” said X, who led the party for a decade.)
# after which a cue-less quotation opening the next sentence or paragraph still
# continues X. Appositions in news copy run to about 30 tokens; longer rests
# are usually a new statement about something else.
CONTINUATION_GAP_TOKENS = 40
# Hyphens that join the parts of one word ("al-Assad", "pro‐government").
HYPHENS = frozenset({"-", "‐", "‑"})
# Longest run of words before a quotation that starts mid-sentence (“The country
# “has made changes,” he said”) taken into its content; a longer lead-in is a
# sentence of its own that the parser failed to split.
LEAD_IN_TOKENS = 25
# Longest closing comment on a content clause (", a claim the army's spokesman
# rejected on Tuesday", ", according to the state news agency") in tokens.
TRAILING_COMMENT_TOKENS = 30
# Dependency hops a cue verb may climb to borrow its subject (…, saying …).
SUBJECT_HOPS = 3

_SPAN_EDGE_PUNCT = ",.;:-–—!?"
_DATELINE = re.compile(r"[A-Z][A-Z .,'-]{1,40}(?:\([^()\n]{1,30}\))?\s*[―—–-]{1,2}\s")
_LEAD_WORDS = words("lead_words")
_NAME_EDGE_PUNCT = ",;:-–—”’\"«»"  # a name may end in a period (U.N.); never in a quotation's mark
_NOMINAL = {"PRON", "PROPN", "NOUN"}
# Parts of speech of the words of a plain noun phrase ("Russia's defence ministry", "the two sides").
_NOUN_PHRASE_POS = {"PRON", "PROPN", "NOUN", "DET", "ADJ", "NUM", "PART"}
# Dependencies of a word that only modifies the noun phrase's head ("the [hospital] nurse",
# "a nurse at the [hospital]").
_INSIDE_A_NAME = {"compound", "amod", "poss", "pobj", "nmod", "det"}
# Markers after which the blamed one comes, the deed before ("blamed the attack on Y",
# "attributed the blast to Y").
_CAUSE_MARKERS = frozenset({"on", "to"})
# What a source claims or admits when it owns an act ("claimed responsibility for");
# the events layer reads the act behind them as an event too.
OWNED_NOUNS = frozenset({"responsibility", "credit"})
# What one is held to be for a blame ("held Hamas responsible for").
ANSWERABLE = frozenset({"responsible", "accountable", "liable", "culpable"})
# Verbs that pass on what someone else said: "quoted / cited X as saying".
_QUOTING_VERBS = frozenset({"quote", "cite"})
# How the parser attaches a closing ", a claim X denies" to the clause it names.
_COMMENT_DEPS = {"appos", "npadvmod"}
_CLAUSE_INNER_POS = {
    "PUNCT",
    "PRON",
    "PROPN",
    "NOUN",
    "DET",
    "ADJ",
    "ADV",
    "AUX",
    "PART",
    "NUM",
    "ADP",
    "CCONJ",
    "SPACE",
}
_NP_EXCLUDE = {"appos", "relcl", "acl", "punct", "advcl", "cc", "conj", "parataxis"}
_ACTOR_ENTS = {"PERSON", "ORG", "GPE", "NORP"}
_QUOTE_TEXTS = {"”", '"', "''", "’"}
_TOPIC_PREPS = words("topic_prepositions")
_CLAUSE_RIGHTS = {"dobj", "dative", "prep", "npadvmod", "advmod", "prt"}
_DASHES = {"―", "—", "–"}
_MIND_KINDS = {"opinion", "intention"}
_INHERIT_DEPS = {"advcl", "xcomp", "conj", "pcomp", "acl"}
# Finite verb tags by tense, to tell which verb a conjunct is coordinated with.
_TENSE = {"VBD": "past", "VBP": "present", "VBZ": "present"}

Span2 = tuple[int, int]


def _is_when(token: Token) -> bool:
    """A date or time ("agreed on Thursday") says when, never what was said."""
    return token.ent_type_ in ("DATE", "TIME")


@dataclass(slots=True)
class RuleAttribution:
    """Span-level attribution: who (sources), by which words (cue), says what (content).

    The rules make these, and the claims stage turns the tagger's finds into them too
    (``tagger_merge.py``), so that both are resolved into claims by the same code."""

    cue: Span2
    content: Span2
    sources: list[Span2]
    direct: bool
    kind: str
    source_heads: list[int] = field(default_factory=list)  # token index per source (-1: none)
    targets: list[Span2] = field(default_factory=list)
    relays: list[Span2] = field(default_factory=list)  # hearers that pass it on (told Reuters)
    origin: str = "rule"

    @property
    def start(self) -> int:
        return min([self.cue[0], self.content[0]] + [s[0] for s in self.sources])

    @property
    def end(self) -> int:
        return max([self.cue[1], self.content[1]] + [s[1] for s in self.sources])


@dataclass(frozen=True)
class Lexicon:
    """The cue lexicon (``lang/en/cues.json``) as sets and maps, loaded once per process."""

    verbs: dict[str, str]
    object_verbs: frozenset[str]
    naming_verbs: frozenset[str]
    xcomp_verbs: frozenset[str]
    prep_verbs: dict[str, frozenset[str]]
    clause_nouns: dict[str, str]
    blame_preps: dict[str, frozenset[str]]
    blame_nouns: frozenset[str]
    causal_preps: tuple[tuple[str, ...], ...]
    violence_verbs: frozenset[str]
    actor_nouns: frozenset[str]
    person_nouns: frozenset[str]
    title_nouns: frozenset[str]
    title_abbreviations: dict[str, str]
    group_nouns: dict[str, frozenset[str]]
    media_nouns: frozenset[str]
    document_nouns: frozenset[str]
    document_verbs: frozenset[str]
    aspectual_verbs: frozenset[str]
    continuation_verbs: frozenset[str]
    media_names: frozenset[str]
    collective_sources: dict[str, str]


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    raw = json.loads(resources.files("fogwatch").joinpath("lang/en/cues.json").read_text(encoding="utf-8"))
    sets = {
        k: frozenset(raw[k])
        for k in (
            "object_verbs",
            "naming_verbs",
            "xcomp_verbs",
            "blame_nouns",
            "violence_verbs",
            "actor_nouns",
            "person_nouns",
            "media_nouns",
            "document_nouns",
            "document_verbs",
            "aspectual_verbs",
            "continuation_verbs",
        )
    }
    return Lexicon(
        verbs=dict(raw["verbs"]),
        prep_verbs={k: frozenset(v) for k, v in raw["prep_verbs"].items()},
        clause_nouns=dict(raw["clause_nouns"]),
        blame_preps={k: frozenset(v) for k, v in raw["blame_preps"].items()},
        causal_preps=tuple(tuple(p.split()) for p in raw["causal_preps"]),
        group_nouns={k: frozenset(v) for k, v in raw["group_nouns"].items()},
        media_names=frozenset(n.lower() for n in raw["media_names"]),
        collective_sources=dict(raw["collective_sources"]),
        title_abbreviations=dict(raw["title_abbreviations"]),
        title_nouns=words("titles", "office"),
        **sets,
    )


@dataclass(frozen=True)
class AccusationLexicon:
    """The accusation vocabulary (``data/accusations.json``): hostile acts, breaches, traded blame."""

    hostile_verbs: frozenset[str]
    object_verbs: dict[str, frozenset[str]]
    violation_verbs: frozenset[str]
    violation_nouns: frozenset[str]
    agreement_nouns: frozenset[str]
    hostile_nouns: frozenset[str]
    adversary_nouns: frozenset[str]
    retaliation: frozenset[str]
    mutual_verbs: frozenset[str]
    accusation_nouns: frozenset[str]
    reciprocal_sources: frozenset[str]

    @cached_property
    def act_verbs(self) -> frozenset[str]:
        return self.hostile_verbs | frozenset(self.object_verbs) | self.violation_verbs

    @cached_property
    def act_nouns(self) -> frozenset[str]:
        return self.hostile_nouns | self.violation_nouns


@lru_cache(maxsize=1)
def load_accusations() -> AccusationLexicon:
    data = resources.files("fogwatch").joinpath("data/accusations.json")
    raw = json.loads(data.read_text(encoding="utf-8"))
    return AccusationLexicon(
        object_verbs={k: frozenset(v) for k, v in raw["object_verbs"].items()},
        **{k: frozenset(raw[k]) for k in (
            "hostile_verbs", "violation_verbs", "violation_nouns", "agreement_nouns", "hostile_nouns",
            "adversary_nouns", "retaliation", "mutual_verbs", "accusation_nouns", "reciprocal_sources",
        )},
    )


_MATCHERS: dict[int, Matcher] = {}
# Pronouns that never name the doer of a reported act: the speaker's own side (we), and relatives
# (their antecedent is the phrase the clause hangs on, read by the parse).
_NOT_A_DOER = words("pronouns", "not_a_doer")


def accusation_matcher(vocab: Vocab) -> Matcher:
    """One Matcher per vocabulary over the accusation tables: acts named by a verb or a noun, and
    traded blame. Built once; each document is then matched in one pass."""
    matcher = _MATCHERS.get(id(vocab))
    if matcher is None:
        acc = load_accusations()
        matcher = Matcher(vocab)
        matcher.add("ACT_VERB", [[{"LEMMA": {"IN": sorted(acc.act_verbs)}, "POS": "VERB"}]])
        nouns = {"LEMMA": {"IN": sorted(acc.act_nouns)}, "POS": {"IN": ["NOUN", "PROPN"]}}
        matcher.add("ACT_NOUN", [[nouns]])
        matcher.add("MUTUAL", [[{"LEMMA": {"IN": sorted(acc.mutual_verbs)}, "POS": "VERB"}]])
        _MATCHERS[id(vocab)] = matcher
    return matcher


@dataclass(slots=True)
class Accused:
    """Who a hostile act in a claim is pinned on: ``head`` (token index) heads the accused phrase,
    ``span`` its characters; ``framed`` when the act is a breach of an agreement; ``own`` when the
    act has no subject of its own in the content (it is the speaker's: "denied attacking")."""

    span: Span2
    head: int
    act: int
    framed: bool
    own: bool = False
    named: bool = False  # the act is a noun ("Russian strikes"), not a clause


class Acts:
    """Hostile acts of one document, matched once, then read per claim content by position."""

    def __init__(self, doc: Doc, lex: Lexicon) -> None:
        self.doc = doc
        self.lex = lex
        self.acc = load_accusations()
        matcher = accusation_matcher(doc.vocab)
        names = doc.vocab.strings
        self.found = sorted((start, names[key]) for key, start, _ in matcher(doc))
        self.starts = [doc[i].idx for i, _ in self.found]

    def mutual_verbs(self) -> list[Token]:
        return [self.doc[i] for i, label in self.found if label == "MUTUAL"]

    def in_span(self, span: Span2) -> list[Token]:
        """The act words (verbs and nouns) inside ``span``, in order."""
        lo, hi = bisect.bisect_left(self.starts, span[0]), bisect.bisect_left(self.starts, span[1])
        return [self.doc[i] for i, label in self.found[lo:hi] if label != "MUTUAL"]

    def accused(self, act: Token, span: Span2) -> Accused | None:
        """Who ``act`` pins itself on within the content ``span``; None for no one, a negated,
        hypothetical or retaliatory act, or an act whose doer is not someone."""
        if act.pos_ == "VERB":
            return self._verb(act, span)
        return self._noun(act)

    def _verb(self, verb: Token, span: Span2) -> Accused | None:
        lemma = verb.lemma_.lower()
        objects = self.acc.object_verbs.get(lemma)
        obj = next((c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")), None)
        if objects is not None and (obj is None or obj.lemma_.lower() not in objects):
            return None
        if self._hedged(verb) or self._retaliation(verb):
            return None
        framed = lemma in self.acc.violation_verbs and (
            lemma != "break" or obj is not None and obj.lemma_.lower() in self.acc.agreement_nouns
        ) or self._in_violation(verb)
        passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children)
        if passive:
            agent = next(
                (g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"), None
            )
            return self._someone(agent, verb, framed) if agent is not None else None
        doer = subject_of(verb)
        if doer is None:
            return None
        if not span[0] <= doer.idx < span[1]:
            return Accused(span, -1, verb.i, framed, own=True)
        return self._someone(doer, verb, framed)

    def _noun(self, noun: Token) -> Accused | None:
        if any(c.dep_ == "det" and c.lower_ == "no" for c in noun.children) or self._retaliation(noun):
            return None
        framed = noun.lemma_.lower() in self.acc.violation_nouns
        for child in noun.children:
            named = child.ent_type_ in ("NORP", "GPE", "ORG") or child.pos_ == "PROPN"
            owner = child.dep_ == "poss" or (child.dep_ in ("amod", "compound", "nmod") and named)
            if owner and child.i < noun.i:
                return self._someone(child, noun, framed)
        after = noun.right_edge.i + 1  # "breaches of the truce by X", the parser hanging "by" on the verb
        on_verb = after < len(noun.doc) and noun.doc[after].head.i == noun.head.i
        following = [noun.doc[after]] if on_verb else []
        for prep in _preps_of(noun) + following + [
            p for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"
            for g in c.children if g.dep_ == "pobj" for p in g.children if p.dep_ == "prep"
        ]:
            if prep.lower_ == "by":
                agent = next((g for g in prep.children if g.dep_ == "pobj"), None)
                if agent is not None:
                    return self._someone(agent, noun, framed)
        return None

    def _someone(self, tok: Token, act: Token, framed: bool) -> Accused | None:
        """The doer phrase when it names someone: an actor, a person, a pronoun, or a thing owned by a
        side ("Russian shells", "Azerbaijan's artillery")."""
        lemma = tok.lemma_.lower()
        owned = any(  # "Russian shells", "Azerbaijan's artillery", "regime artillery"
            c.dep_ == "poss" or c.ent_type_ in ("NORP", "GPE")
            or (c.dep_ == "compound" and (c.pos_ == "PROPN" or c.lemma_.lower() in self.lex.actor_nouns))
            for c in tok.children
        )
        if tok.pos_ == "PRON":
            if lemma in _NOT_A_DOER:
                return None
        elif not (owned or tok.ent_type_ in _ACTOR_ENTS or tok.pos_ == "PROPN"):
            if lemma not in self.lex.actor_nouns and lemma not in self.acc.adversary_nouns:
                return None
        named = act.pos_ != "VERB"
        if tok.dep_ in ("amod", "compound", "nmod") or tok.pos_ == "ADJ":
            return Accused(tok_span([tok]), tok.i, act.i, framed, named=named)
        return Accused(np_span(tok, tight=True), tok.i, act.i, framed, named=named)

    def _hedged(self, verb: Token) -> bool:
        """Not said to have happened: negated, modal, conditional or asked ("did not fire", "could
        strike", "if they attack", "whether it violated")."""
        for child in verb.children:
            if child.dep_ == "neg" or child.tag_ == "MD":
                return True
            if child.dep_ == "mark" and child.lower_ in ("if", "unless", "whether"):
                return True
        return False

    def _retaliation(self, act: Token) -> bool:
        """A response accuses no one: "fired back", "struck in retaliation", "in response to"."""
        for child in act.children:
            words = [child] + [g for g in child.children if g.dep_ in ("pobj", "pcomp")]
            if any(w.lemma_.lower() in self.acc.retaliation for w in words):
                return True
        return False

    def _in_violation(self, verb: Token) -> bool:
        """``shelled the town (during the night) in violation of the truce``: the phrase anywhere in the
        verb's own clause, however the parser attached it."""
        for prep in islice(verb.subtree, CONTENT_SCAN_TOKENS):
            if prep.dep_ != "prep" or prep.lower_ != "in":
                continue
            breach = (g.dep_ == "pobj" and g.lemma_.lower() in self.acc.violation_nouns for g in prep.children)
            if not any(breach):
                continue
            clause = next((a for a in prep.ancestors if a.pos_ in ("VERB", "AUX")), None)
            if clause is not None and clause.i == verb.i:
                return True
        return False


# ---------------------------------------------------------------- token helpers


def tok_span(tokens: list[Token]) -> Span2:
    first = min(tokens, key=lambda t: t.i)
    last = max(tokens, key=lambda t: t.i)
    return first.idx, last.idx + len(last)


def subtree_span(tok: Token) -> Span2:
    return tok.left_edge.idx, tok.right_edge.idx + len(tok.right_edge)


def np_span(tok: Token, tight: bool = False, full: bool = False) -> Span2:
    """The noun phrase headed by ``tok`` without appositions, relative clauses or conjuncts.

    ``tight`` also drops prepositional modifiers (a target is "rebels", not
    "rebels for breaking the truce"); ``full`` keeps appositions and relative
    clauses (a source is "Brian Fallon, the campaign's press secretary", as
    PolNeAR marks it). The phrase never crosses a line break.
    """
    exclude = _NP_EXCLUDE | {"prep"} if tight else _NP_EXCLUDE
    if full:
        exclude = {"cc", "conj"}
    kept = {tok.i}
    stack = [c for c in tok.children if c.dep_ not in exclude and not (full and _claim_clause(c))]
    while stack:
        child = stack.pop()
        if child.pos_ == "SPACE" or "\n" in child.text:
            continue
        kept.add(child.i)
        stack.extend(child.children)
    lo = hi = tok.i
    while lo - 1 in kept:
        lo -= 1
    while hi + 1 in kept:
        hi += 1
    doc = tok.doc
    while hi + 2 < len(doc) and _glued_hyphen(doc, hi + 1):
        hi += 2  # "Bashar al-Assad": a word joined by a hyphen is one word, however the parser hung it
    while lo - 2 >= 0 and _glued_hyphen(doc, lo - 1):
        lo -= 2
    return doc[lo].idx, doc[hi].idx + len(doc[hi])


def _glued_hyphen(doc: Doc, i: int) -> bool:
    """Whether token ``i`` is a hyphen written between two words with no space ("al-Assad")."""
    return (doc[i].text in HYPHENS and not doc[i - 1].whitespace_ and not doc[i].whitespace_
            and doc[i - 1].is_alpha and doc[i + 1].is_alpha)


def _claim_clause(tok: Token) -> bool:
    """A clause on a source that is a claim or a setting of its own (who emphasized that …,
    speaking to veterans, released in August): PolNeAR leaves it out of the source."""
    if tok.dep_ == "acl":
        return tok.tag_ in ("VBG", "VBN")
    return tok.dep_ == "relcl" and any(c.dep_ in ("ccomp", "xcomp") for c in tok.children)


def trim(text: str, span: Span2, edge: str = _SPAN_EDGE_PUNCT) -> Span2:
    """Strip whitespace and edge punctuation (PolNeAR content stops before the final period
    but keeps a question's or exclamation's mark)."""
    start, end = span
    while start < end and (text[start].isspace() or text[start] in edge):
        start += 1
    while end > start and (text[end - 1].isspace() or (text[end - 1] in edge and text[end - 1] not in "?!")):
        end -= 1
    return start, end


def clause_span(head: Token, lex: Lexicon) -> Span2:
    """A content clause without a trailing cue verb of the speaker's own (``…, arguing
    that …``, ``… and warned against …``): those are separate claims. Nor does it keep a
    trailing comment on itself (``…, a claim Tehran rejected``): that is another source's."""
    start, end = subtree_span(head)
    comment = _trailing_comment(head, end, lex)
    if comment is not None:
        return start, comment
    for child in head.rights:
        cue_verb = child.lemma_.lower() in lex.verbs
        if cue_verb and (child.dep_ == "conj" or (child.dep_ == "advcl" and child.tag_ == "VBG")):
            cut = child.left_edge
            while cut.i > head.i and cut.nbor(-1).dep_ in ("punct", "cc") and cut.nbor(-1).i > head.i:
                cut = cut.nbor(-1)
            return start, cut.idx
    return start, end


def _trailing_comment(head: Token, end: int, lex: Lexicon) -> int | None:
    """Where a closing apposition that names the clause a claim (``, a claim X rejected``,
    ``, an allegation Y denies``) or a closing ``, according to X`` (X relays the whole) begins:
    the offset of its comma. Only the clause's last ``TRAILING_COMMENT_TOKENS`` are searched (the
    parse is projective, so they all lie in its subtree)."""
    first, last = head.left_edge.i, head.right_edge.i
    for tok in head.doc[max(first + 1, last - TRAILING_COMMENT_TOKENS) : last + 1]:
        reaches_end = tok.right_edge.idx + len(tok.right_edge) >= end
        if tok.lower_ == "according" and tok.nbor(-1).text == ",":
            if reaches_end and tok.i < last and tok.nbor(1).lower_ == "to":
                return tok.nbor(-1).idx
        if tok.dep_ not in _COMMENT_DEPS or tok.lemma_.lower() not in lex.clause_nouns:
            continue
        left = tok.left_edge
        if reaches_end and left.i > first and left.nbor(-1).text == ",":
            return left.nbor(-1).idx
    return None


def _owned_act(verb: Token) -> Token | None:
    """``claimed responsibility for the attack``: the act the claimant pins on itself."""
    owned = next((c for c in verb.children if c.dep_ == "dobj" and c.lemma_.lower() in OWNED_NOUNS), None)
    if owned is None:
        return None
    # "for" hangs from the noun or, in some parses, from the verb
    marker = next((c for c in (*owned.children, *verb.children) if c.lower_ == "for"), None)
    if marker is None:
        return None
    return next((c for c in marker.children if c.dep_ in ("pobj", "pcomp")), None)


def _said_to_the_subject(verb: Token) -> bool:
    """``Asked whether the truce would hold, the commander said …``: a bare passive participle set
    before the clause is what the subject was asked or told, not a claim the subject makes."""
    bare = not any(c.dep_ in ("aux", "auxpass", "nsubj", "nsubjpass") for c in verb.children)
    return verb.tag_ == "VBN" and verb.dep_ == "advcl" and verb.i < verb.head.i and bare


def _in_relative_clause(tok: Token, floor: int) -> bool:
    """``tok`` lies in a relative clause that starts at or after token ``floor``."""
    for node in (tok, *tok.ancestors):
        if node.dep_ == "relcl":
            return node.left_edge.i >= floor
    return False


def conjuncts(tok: Token) -> list[Token]:
    """``tok`` and the heads coordinated with it (residents and the Observatory)."""
    out, stack = [], [tok]
    while stack and len(out) < 8:
        cur = stack.pop()
        out.append(cur)
        stack.extend(c for c in cur.children if c.dep_ == "conj")
    return sorted(out, key=lambda t: t.i)


def _preps_of(head: Token) -> list[Token]:
    """Prepositions on a noun, directly or through a participle (demands coming from X)."""
    out = []
    for child in head.children:
        if child.dep_ in ("prep", "agent"):
            out.append(child)
        elif child.dep_ in ("acl", "relcl"):
            out.extend(c for c in child.children if c.dep_ in ("prep", "agent"))
    return out


def _same_line(a: Token, b: Token) -> bool:
    lo, hi = (a, b) if a.i < b.i else (b, a)
    return not any("\n" in t.text_with_ws for t in lo.doc[lo.i : hi.i])


def _subject_in_line(verb: Token) -> Token | None:
    """The parser sometimes glues a heading onto the next line's subject, or hangs the subject on a
    participle set off by commas ("Clinton, exasperated, responded"): take the words before the verb."""
    for tok in reversed(verb.doc[max(0, verb.i - 8) : verb.i]):
        if not _same_line(tok, verb):
            return None
        if tok.pos_ in _NOMINAL:
            return tok
        aside = tok.text == "," or tok.tag_ in ("VBN", "VBG") and tok.dep_ != "ROOT"
        if tok.pos_ not in ("ADV", "AUX", "PART") and not aside:
            return None
    return None


def subject_of(verb: Token) -> Token | None:
    """The verb's subject, borrowed from the governing verb for participles and conjuncts. A
    passive cue's borrowed "it" is impersonal ("It is to be recalled that ..."): nobody speaks."""
    cur = _coordinated_with_the_cue_above(verb)
    passive = any(c.dep_ == "auxpass" for c in verb.children)
    for _ in range(SUBJECT_HOPS + 1):
        for child in cur.children:
            if child.dep_ in ("nsubj", "csubj"):
                if passive and child.lower_ == "it":
                    return None
                return child if _same_line(child, verb) else _subject_in_line(verb)
        own = _subject_after_coordinator(cur) if cur.dep_ == "conj" else None
        if own is not None:
            return own
        if cur.dep_ == "acl" and cur.head.pos_ in ("NOUN", "PROPN", "PRON"):
            return cur.head  # a post saying that …: the post says it
        head = cur.head
        if cur.dep_ == "pcomp" and head.pos_ == "ADP" and head.head.i != head.i:
            quoted = _quoted_as_saying(head)
            if quoted is not None:
                return quoted
            head = head.head  # responded by saying …: the responder says it
        if cur.dep_ not in _INHERIT_DEPS or head.i == cur.i or head.pos_ not in ("VERB", "AUX"):
            return None
        cur = _reporting_verb(cur, head) or head
    return None


def _reporting_verb(verb: Token, head: Token) -> Token | None:
    """``Lima said that rebel boats fired flares, also accusing Quito of …``: a cue participle
    closing a reported clause continues the one who reports it, not the clause's subject (the parser
    hangs it on the reported verb). Returns that reporting verb."""
    if verb.dep_ != "advcl" or verb.tag_ != "VBG" or verb.i < head.i:
        return None
    verbs = load_lexicon().verbs
    if verb.lemma_.lower() not in verbs:
        return None
    above = head.head
    if head.dep_ == "ccomp" and above.i != head.i and above.lemma_.lower() in verbs and above.i < head.i:
        return above
    return None


def _past_dateline(head: Token) -> Token:
    """``Lagos, Nigeria — Defence Minister Ada Obi ordered …``: a paragraph opening with a
    dateline makes the place the parse's subject and the speaker its apposition after the dash."""
    doc = head.doc
    start = head.left_edge.i
    if start > 0 and "\n" not in doc[start - 1].text_with_ws:
        return head
    dash = next((c for c in head.children if c.dep_ == "punct" and c.text in _DASHES), None)
    if dash is None or head.pos_ != "PROPN" or head.ent_type_ not in ("GPE", "LOC", ""):
        return head
    return next((c for c in head.children if c.dep_ == "appos" and c.i > dash.i), head)


def _subject_after_coordinator(verb: Token) -> Token | None:
    """``Clashes resumed in Kashmir and Delhi accused …``: a noun phrase between the coordinator and a
    coordinated verb is that verb's own subject, however the parser attached it (here as a conjunct of
    Idlib). Without one ("… and accused …") the verb shares the first clause's subject."""
    doc = verb.doc
    i = verb.i - 1
    while i > verb.head.i and doc[i].pos_ in _NOUN_PHRASE_POS and doc[i].dep_ != "cc":
        i -= 1
    first = i + 1
    if first >= verb.i or i <= verb.head.i or not (doc[i].dep_ == "cc" or doc[i].text == ","):
        return None
    phrase = doc[first : verb.i]
    head = phrase.root
    if head.pos_ not in _NOMINAL or head.head.i == verb.i or _is_when(head) or not _same_line(head, verb):
        return None
    return head


def _quoted_as_saying(prep: Token) -> Token | None:
    """``quoted a military source as saying …``: the one quoted says it (the quoting verb relays it)."""
    verb = prep.head
    if prep.lower_ != "as" or verb.lemma_.lower() not in _QUOTING_VERBS:
        return None
    return next((c for c in verb.children if c.dep_ == "dobj" and c.i < prep.i), None)


def _coordinated_with_the_cue_above(verb: Token) -> Token:
    """The verb a conjunct really shares its subject with.

    "Agencies warned that people remain at risk and said the truce must hold":
    the parser joins "said" to "remain", inside what was warned; a conjunct
    whose tense differs from that verb's and matches the governing cue's is
    coordinated with the cue, so the agencies said it.
    """
    clause = verb.head
    if verb.dep_ != "conj" or clause.dep_ != "ccomp" or clause.head.i == clause.i:
        return verb
    tense, above = _TENSE.get(verb.tag_), _TENSE.get(clause.head.tag_)
    if tense and above == tense and _TENSE.get(clause.tag_) not in (None, tense):
        return clause.head
    return verb


def cue_tokens(verb: Token) -> list[Token]:
    """The cue verb with its auxiliaries, negation and adjacent adverbs (has also said) and particles.

    Time and setting adjuncts (said Monday, said in an interview) stay out: PolNeAR's
    annotators include them only now and then, and the bare verb matched more dev cues.
    """
    tokens = [verb]
    left = {c.i: c for c in verb.lefts if c.dep_ in ("aux", "auxpass", "neg", "advmod")}
    i = verb.i - 1
    while i in left:
        tokens.append(left[i])
        i -= 1
    tokens.extend(c for c in verb.rights if c.dep_ == "prt" and c.i == verb.i + 1)
    head = verb.head
    raising = head.pos_ == "VERB" and head.lemma_.lower() not in load_lexicon().verbs
    if verb.dep_ == "xcomp" and raising and head.i < verb.i and verb.i - head.i <= RAISING_GAP:
        # appeared to suggest, went on to discuss: the governing verb is part of the cue
        # (not "plans to call on": planning is a claim of its own, and calling its content)
        tokens.extend(cue_tokens(head))
        tokens.extend(verb.doc[head.i + 1 : verb.i])
    return tokens


# ---------------------------------------------------------------- what the rules share


@dataclass(slots=True)
class RuleContext:
    """One parsed document as the rules read it, and what they have found so far.

    Rules run one after another over the whole document; each records the cue tokens it uses in
    ``used_cues`` so that no later rule reads the same cue again, and the quotation rules record the
    quotations they attributed in ``quoted`` so that the verb rules neither attribute them again nor
    cut them short.
    """

    doc: Doc
    text: str
    lex: Lexicon
    acts: Acts
    quotes: list[Quote]  # every quotation, scare quotes included, in order
    quote_starts: list[int]
    sentences: list[Span] | None  # the report's list where the caller has one (``Report.sentences``)
    sentence_starts: list[int]
    first_line: int  # where the first line's words begin (a headline's speaker label)
    used_cues: set[int] = field(default_factory=set)
    quoted: dict[int, RuleAttribution] = field(default_factory=dict)  # quote index -> its attribution
    found: list[RuleAttribution] = field(default_factory=list)

    @classmethod
    def of(
        cls, doc: Doc, quotes: list[Quote], lex: Lexicon, acts: Acts | None, sentences: list[Span] | None
    ) -> RuleContext:
        text = doc_text(doc)
        starts = [sentence.start for sentence in sentences] if sentences is not None else []
        return cls(
            doc, text, lex, acts or Acts(doc, lex), quotes, [q.start for q in quotes], sentences, starts,
            len(text) - len(text.lstrip()),
        )

    def quote_at(self, pos: int) -> int | None:
        """Index of the quotation holding character ``pos``."""
        k = bisect.bisect_right(self.quote_starts, pos) - 1
        if k >= 0 and self.quotes[k].start <= pos < self.quotes[k].end:
            return k
        return None

    def in_quote(self, tok: Token) -> bool:
        return self.quote_at(tok.idx) is not None

    def sentence_of(self, tok: Token) -> Span:
        """The sentence holding ``tok``, from a list built once: ``Token.sent`` walks the whole
        sentence on every read, which on a long unpunctuated text makes each lookup linear."""
        if self.sentences is None:
            self.sentences = list(self.doc.sents)
            self.sentence_starts = [sentence.start for sentence in self.sentences]
        return self.sentences[bisect.bisect_right(self.sentence_starts, tok.i) - 1]

    def token_at(self, pos: int) -> Token | None:
        """The token at or right after ``pos`` (whitespace belongs to no token)."""
        limit = min(len(self.text), pos + WHITESPACE_SKIP)
        while pos < limit and self.text[pos].isspace():
            pos += 1
        span = self.doc.char_span(pos, min(pos + 1, len(self.text)), alignment_mode="expand")
        return span[0] if span is not None and len(span) else None

    def is_cue_verb(self, tok: Token) -> bool:
        """A verb of saying from the cue lexicon whose tokens no rule has used yet."""
        if tok.pos_ not in ("VERB", "AUX") or tok.i in self.used_cues:
            return False
        lemma = tok.lemma_.lower()
        return lemma in self.lex.verbs or lemma in self.lex.document_verbs and _read_out(tok, self.lex)


def _read_out(verb: Token, lex: Lexicon) -> bool:
    """``“…” the statement read``: a document's own verb of saying, with the document as subject."""
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None:
        subject = _subject_in_line(verb)
    return subject is not None and subject.lemma_.lower() in lex.document_nouns


# ---------------------------------------------------------------- recording what a rule found


def _sources(ctx: RuleContext, head: Token | None) -> tuple[list[Span2], list[int]]:
    """The source phrases a cue's subject names (each coordinated head its own) and their heads."""
    if head is None:
        return [], []
    head = _past_dateline(head)
    heads = [t for t in conjuncts(head) if t.pos_ != "CCONJ"]
    return [trim(ctx.text, np_span(t, full=True), _NAME_EDGE_PUNCT) for t in heads], [t.i for t in heads]


def emit(
    ctx: RuleContext,
    cue: list[Token],
    content: Span2,
    head: Token | None,
    direct: bool,
    kind: str,
    source: Span2 | None = None,
) -> RuleAttribution | None:
    """Record an attribution and claim its cue tokens; None (nothing recorded) when it has no
    source or no content. ``source`` is a speaker label's exact words, used as they are."""
    srcs, heads = _sources(ctx, head)
    if source is not None and head is not None:
        srcs, heads = [source], [head.i]
    cue_at = min(t.idx for t in cue)
    # a source never holds its cue ("statement underscored" parsed as one phrase)
    srcs = [trim(ctx.text, (a, cue_at), _NAME_EDGE_PUNCT) if a < cue_at < b else (a, b) for a, b in srcs]
    if not srcs or content[1] <= content[0] or any(a >= b for a, b in srcs):
        return None
    if not direct:
        content = _clean_lead(ctx, _clip_to_paragraph(ctx.text, content, cue))
        if content[1] <= content[0]:
            return None
    att = RuleAttribution(tok_span(cue), _whole_quotes(ctx, content), srcs, direct, kind, heads)
    att.relays = _relays(ctx, cue[0])
    ctx.used_cues.update(t.i for t in cue)
    ctx.found.append(att)
    return att


def _whole_quotes(ctx: RuleContext, content: Span2) -> Span2:
    """Content that ends inside a quotation it opened runs to its closing mark; content that starts
    just inside an opening mark takes the mark."""
    k = ctx.quote_at(content[1] - 1)
    if k is not None and ctx.quotes[k].start >= content[0]:
        content = (content[0], max(content[1], ctx.quotes[k].end))
    k = ctx.quote_at(content[0])
    if k is not None and ctx.quotes[k].start < content[0] <= ctx.quotes[k].start + 2:
        content = (ctx.quotes[k].start, content[1])
    return content


def _clean_lead(ctx: RuleContext, content: Span2) -> Span2:
    """Drop a dateline (WASHINGTON ―) and a leading conjunction (And, But, However) from paraphrase."""
    start, end = content
    match = _DATELINE.match(ctx.text, start, end)
    if match:
        start = match.end()
    first = ctx.token_at(start)
    if first is not None and first.idx == start and (first.dep_ == "cc" or first.lower_ in _LEAD_WORDS):
        start = first.idx + len(first)
    while start < end and (ctx.text[start].isspace() or ctx.text[start] in ","):
        start += 1
    return start, end


def _clip_to_paragraph(text: str, content: Span2, cue: list[Token]) -> Span2:
    """Paraphrased content never runs into another paragraph (the parser's sentences sometimes do)."""
    anchor = min(t.idx for t in cue)
    lo = text.rfind("\n", 0, anchor) + 1
    hi = text.find("\n", anchor)
    hi = len(text) if hi == -1 else hi
    if content[0] >= lo and content[1] <= hi:
        return content
    if content[0] < anchor:
        return trim(text, (max(content[0], lo), min(content[1], hi)))
    return trim(text, (content[0], min(content[1], hi if content[0] < hi else content[1])))


def _relays(ctx: RuleContext, verb: Token) -> list[Span2]:
    """Hearers who pass a claim on: ``told Reuters``, ``said to state media``."""
    hearers = [c for c in verb.children if c.dep_ in ("dobj", "dative")]
    hearers += [
        p
        for c in verb.children
        if c.dep_ == "prep" and c.lower_ == "to"
        for p in c.children
        if p.dep_ == "pobj"
    ]
    relays = [np_span(h) for h in hearers if _is_media(ctx, h)]
    prep = verb.head if verb.dep_ == "pcomp" else None
    if prep is not None and _quoted_as_saying(prep) is not None:  # SANA quoted X as saying: SANA relays X
        quoting = subject_of(prep.head)
        relays += [np_span(quoting)] if quoting is not None else []
    return relays


def _is_media(ctx: RuleContext, head: Token) -> bool:
    """A news outlet or agency, by its noun ("the agency") or its name ("Reuters")."""
    start, end = np_span(head)
    phrase = ctx.text[start:end].lower()
    if head.lemma_.lower() in ctx.lex.media_nouns:
        return True
    return any(phrase == n or phrase.endswith(" " + n) for n in ctx.lex.media_names)


def actor_nps(lex: Lexicon, tok: Token, depth: int = 0) -> list[Span2]:
    """Noun phrases naming actors in ``tok``'s phrase (demands from Assad's army and militias)."""
    out: list[Span2] = []
    for head in conjuncts(tok):
        if head.ent_type_ in _ACTOR_ENTS or head.pos_ == "PROPN" or head.lemma_.lower() in lex.actor_nouns:
            out.append(np_span(head, tight=True))
        elif depth < 2:
            for prep in _preps_of(head):
                if prep.lower_ in ("from", "by", "of"):
                    for pobj in prep.children:
                        if pobj.dep_ == "pobj":
                            out.extend(actor_nps(lex, pobj, depth + 1))
    return out


def animate(lex: Lexicon, tok: Token) -> bool:
    """Someone who can think or intend: a person, a group or a named actor (not "buses")."""
    lemma = tok.lemma_.lower()
    return (
        tok.pos_ in ("PRON", "PROPN")
        or tok.ent_type_ in _ACTOR_ENTS
        or lemma in lex.actor_nouns
        or lemma in lex.person_nouns
    )


# ---------------------------------------------------------------- rule: quotations and their cues


def quotation_with_cue(ctx: RuleContext) -> None:
    """A direct quotation and its cue: ``“…,” he said``, ``X said: “…”``, ``X said, “…”``, a
    quotation split around its cue (``“…,” he said, “…”``), a vox-pop signature (``“…” ― Jane
    Doe``), and a cue-less quotation continuing the one before it. Scare quotes are no quotations."""
    last: RuleAttribution | None = None
    for k, quote in enumerate(ctx.quotes):
        if is_scare_quote(ctx.text, quote):
            continue
        att = _attach_quote(ctx, quote, last)
        if att is not None:
            last = att
            ctx.quoted[k] = att


def _attach_quote(ctx: RuleContext, quote: Quote, last: RuleAttribution | None) -> RuleAttribution | None:
    """The attribution ``quote`` belongs to: a new one by its own cue, or ``last`` extended over it."""
    verb = _quote_cue(ctx, quote, last)
    if verb is None:
        if last is not None and _adjacent(ctx, last, quote):
            last.content = (last.content[0], quote.end)
            return last
        return None
    if last is not None and verb.i in ctx.used_cues and last.cue[0] <= verb.idx < last.cue[1]:
        last.content = (last.content[0], quote.end)  # “…,” he said, “…”: the second half
        return last
    if verb.i in ctx.used_cues:
        return None
    if verb.pos_ == "PUNCT":
        return _dash_quote(ctx, verb, quote)
    head = _speaker(ctx, verb, quote)
    kind = ctx.lex.verbs.get(verb.lemma_.lower(), "statement")
    start = _lead_in(ctx, quote) if verb.idx > quote.start else _that_before(ctx.text, verb, quote)
    cue = cue_tokens(verb) + _colon_after(ctx, verb, quote)
    return emit(ctx, cue, (start, quote.end), head, True, kind)


def _quote_cue(ctx: RuleContext, quote: Quote, last: RuleAttribution | None) -> Token | None:
    """A quotation's cue, tried in this order: a clause ending in a colon before it (``X said:
    “…”``); a comma cue before it that is the last quotation's own (``“…,” he said, “…”``); a cue
    clause after it (``“…,” he said``); a dash and a name after it; any comma cue before it."""
    leading = _leading_cue(ctx, quote, colon_only=True)
    if leading is not None:
        return leading
    comma = _leading_cue(ctx, quote, colon_only=False)
    if comma is not None and last is not None and last.cue[0] <= comma.idx < last.cue[1]:
        return comma
    return _trailing_cue(ctx, quote) or _dash_cue(ctx, quote) or comma


def _adjacent(ctx: RuleContext, last: RuleAttribution, quote: Quote) -> bool:
    """A quotation with no cue of its own that opens the sentence or paragraph right after an
    attributed one's cue clause, and ends its own sentence, continues that speaker (“…,” said
    X, who led the party. “…”): news copy names a new speaker when the speaker changes."""
    text = ctx.text
    after_cue = max(last.cue[1], last.content[1])
    rest, newline, between = text[after_cue : quote.start].partition("\n")
    rest = rest.rstrip()
    if between.strip() or not _ends_sentence(text, quote):
        return False
    if rest and rest[-1] not in ".,:;!?" or newline and rest and rest[-1] not in ".!?":
        return False
    span = ctx.doc.char_span(after_cue, after_cue + len(rest), alignment_mode="contract")
    tokens = list(span) if span is not None else []
    if len(tokens) > CONTINUATION_GAP_TOKENS:
        return False
    sentence_ends = [k for k, t in enumerate(tokens) if t.text in (".", "!", "?")]
    return all(k >= len(tokens) - 2 for k in sentence_ends) and not any(
        ctx.in_quote(t) or ctx.is_cue_verb(t) for t in tokens
    )


def quotation_paragraph(ctx: RuleContext) -> None:
    """A paragraph that is one quotation and nothing else, with no cue of its own, right after a
    paragraph whose last sentence attributes something to someone, is that speaker's: news copy
    sets a speaker's words apart that way ("Abiy thanked the mediators, saying in a statement
    ... ¶ “Our commitment to peace remains steadfast.”") and names a new speaker when it changes.
    The claim rests on the cue before it."""
    for k, quote in enumerate(ctx.quotes):
        if k in ctx.quoted or is_scare_quote(ctx.text, quote) or not _whole_paragraph(ctx.text, quote):
            continue
        before = ctx.text.rfind("\n", 0, quote.start)
        last_sentence_start = _last_sentence_before(ctx.text, before)
        last = max((a for a in ctx.found if a.content[1] <= before and a.cue[0] >= last_sentence_start
                    and a.sources and "\n" not in ctx.text[a.end:before].strip()), key=lambda a: a.cue[0],
                   default=None)
        if last is None:
            continue
        att = RuleAttribution(last.cue, (quote.start, quote.end), list(last.sources), True, "statement",
                              list(last.source_heads))
        ctx.quoted[k] = att
        ctx.found.append(att)


def _last_sentence_before(text: str, end: int) -> int:
    """Where the last sentence of the paragraph ending at ``end`` starts. Only that paragraph is
    read, so a report of many quotation paragraphs stays linear in its length."""
    k = end
    while k > 0 and text[k - 1].isspace():
        k -= 1
    start = text.rfind("\n", 0, k) + 1
    body = text[start:k].rstrip(".!?\"'”’ ")  # its closing stop cut
    return start + max(body.rfind(c) for c in ".!?") + 1


def _whole_paragraph(text: str, quote: Quote) -> bool:
    """The quotation is its paragraph: only space before it on its line, only a stop after it."""
    line_start = text.rfind("\n", 0, quote.start) + 1
    line_end = text.find("\n", quote.end)
    line_end = len(text) if line_end == -1 else line_end
    return not text[line_start:quote.start].strip() and not text[quote.end:line_end].strip(" .\t\r")


def _ends_sentence(text: str, quote: Quote) -> bool:
    """The quotation closes its sentence: it ends in a stop, or a stop or line break follows it."""
    inner = quote.inner(text).rstrip()
    after = text[quote.end : quote.end + WHITESPACE_SKIP].lstrip(" \t")
    return inner[-1:] in ".!?…" or not after or after[0] in "\n.!?"


def _trailing_cue(ctx: RuleContext, quote: Quote) -> Token | None:
    """``“…,” the minister told reporters``: a cue verb in the short clause right after the
    quotation, on its line, skipping the speaker's relative clause (", who asked not to be named,")."""
    first = ctx.token_at(quote.end)
    if first is None or first.idx < quote.end or "\n" in ctx.text[quote.end : first.idx]:
        return None
    doc = ctx.doc
    counted = 0
    for tok in doc[first.i : min(len(doc), first.i + 4 * TRAILING_TOKENS)]:
        if "\n" in tok.text or ctx.in_quote(tok) or counted == TRAILING_TOKENS:
            return None
        if _in_relative_clause(tok, first.i):
            continue
        counted += 1
        if ctx.is_cue_verb(tok) and not _has_outside_clause(ctx, tok, quote):
            return tok
        if tok.pos_ not in _CLAUSE_INNER_POS or tok.text in ".!?":
            return None
    return None


def _leading_cue(ctx: RuleContext, quote: Quote, colon_only: bool) -> Token | None:
    """``X said: “…”`` (``colon_only``) or ``X said, “…”``: the cue verb of the clause before the
    quotation in its sentence; for a colon, a verb outside the cue lexicon too (``_introducing_verb``)."""
    text = ctx.text
    pos = quote.start
    while pos > 0 and text[pos - 1].isspace():
        pos -= 1
    mark = text[pos - 1] if pos > 0 else ""
    if colon_only != (mark == ":") or ("\n" in text[pos : quote.start] and mark != ":"):
        return None
    last = ctx.token_at(pos - 1)
    if last is None:
        return None
    if not colon_only and not (mark == "," or ctx.is_cue_verb(last)):
        return None
    lo = max(0, last.i - LEADING_TOKENS)
    for tok in reversed(ctx.doc[lo : last.i + 1]):
        if (tok.text in ".!?" and tok.i != last.i) or ctx.in_quote(tok):
            return _introducing_verb(ctx, last) if colon_only else None
        if tok.lemma_.lower() in ctx.lex.verbs and tok.pos_ in ("VERB", "AUX"):
            return None if _has_outside_clause(ctx, tok, quote) else tok
    return _introducing_verb(ctx, last) if colon_only else None


def _introducing_verb(ctx: RuleContext, colon: Token) -> Token | None:
    """``Hannity interjected:`` / ``Trump issued the following statement:`` and a quotation: the
    clause the colon closes introduces it when its verb has someone as subject, in or out of
    the cue lexicon."""
    verb = colon if colon.pos_ == "VERB" else colon.head
    while verb.pos_ != "VERB" and verb.head.i != verb.i:
        verb = verb.head
    if verb.pos_ != "VERB" or verb.i > colon.i or verb.i in ctx.used_cues or ctx.in_quote(verb):
        return None
    if not _same_line(verb, colon) or colon.i - verb.i > LEADING_TOKENS:
        return None
    subject = subject_of(verb) or _subject_in_line(verb)
    named = subject is not None and subject.pos_ in _NOMINAL and subject.is_title  # a name the tagger missed
    return verb if subject is not None and (animate(ctx.lex, subject) or named) else None


def _that_before(text: str, verb: Token, quote: Quote) -> int:
    """``said that, “…”``: the complementiser belongs to the content."""
    gap = text[verb.idx + len(verb) : quote.start]
    word = gap.strip(" ,")
    return verb.idx + len(verb) + gap.index(word) if word.lower() == "that" else quote.start


def _lead_in(ctx: RuleContext, quote: Quote) -> int:
    """``The country “has made changes,” he said``: a quotation that starts in lower case continues
    the words before it in its sentence, and those words belong to what was said."""
    first = next((c for c in ctx.text[quote.start : quote.end] if c.isalpha()), "")
    tok = ctx.token_at(quote.start)
    if not first.islower() or tok is None:
        return quote.start
    lead = [t for t in ctx.doc[ctx.sentence_of(tok).start : tok.i] if not t.is_space]
    if not lead or len(lead) > LEAD_IN_TOKENS or "\n" in ctx.text[lead[0].idx : quote.start]:
        return quote.start
    if any(t.text in ".!?" or ctx.in_quote(t) or ctx.is_cue_verb(t) for t in lead):
        return quote.start
    return lead[0].idx


def _colon_after(ctx: RuleContext, verb: Token, quote: Quote) -> list[Token]:
    """PolNeAR's cue takes the colon that introduces a quotation (said:), and for a verb outside the
    cue lexicon the words up to it too (made the following comment:)."""
    doc = ctx.doc
    nxt = verb.i + 1
    if nxt < len(doc) and doc[nxt].text == ":" and doc[nxt].idx < quote.start:
        return [doc[nxt]]
    if verb.lemma_.lower() in ctx.lex.verbs:
        return []
    words = list(takewhile(lambda t: t.idx < quote.start and not t.is_space, doc[nxt:]))
    if words and words[-1].text == ":" and all(t.i <= verb.right_edge.i or t is words[-1] for t in words):
        return words
    return []


def _dash_cue(ctx: RuleContext, quote: Quote) -> Token | None:
    """A vox-pop signature: “…” ― Jane Doe."""
    first = ctx.token_at(quote.end)
    if first is None or first.text not in _DASHES or "\n" in ctx.text[quote.end : first.idx]:
        return None
    nxt = ctx.token_at(first.idx + len(first))
    return first if nxt is not None and nxt.pos_ == "PROPN" and _same_line(first, nxt) else None


def _dash_quote(ctx: RuleContext, dash: Token, quote: Quote) -> RuleAttribution | None:
    """The signed quotation: the name after the dash, as written on its line, is the source."""
    name = ctx.token_at(dash.idx + len(dash))
    assert name is not None
    last = name
    while last.i + 1 < len(ctx.doc) and ctx.doc[last.i + 1].pos_ == "PROPN" and _same_line(last, last.nbor()):
        last = last.nbor()
    words = (name.idx, last.idx + len(last))
    return emit(ctx, [dash], (quote.start, quote.end), last, True, "statement", source=words)


def _has_outside_clause(ctx: RuleContext, verb: Token, quote: Quote) -> bool:
    """True when the verb already has its own content clause outside the quotation."""
    for child in verb.children:
        if child.dep_ in ("ccomp", "xcomp") and not (quote.start <= child.idx < quote.end):
            # "…," adding that Russia “must leave …”: the clause opens outside any quotation
            return ctx.quote_at(child.idx) is None or ctx.quote_at(child.left_edge.idx) is None
    return False


def _speaker(ctx: RuleContext, verb: Token, quote: Quote) -> Token | None:
    """Who a quotation's cue verb has speak: its subject outside the quotation, else the words
    before the verb on its line, else a name or pronoun right beside it (“…,” said Obi)."""
    subj = subject_of(verb)
    if subj is not None and not (quote.start <= subj.idx < quote.end):
        return subj
    doc = ctx.doc
    before = _subject_in_line(verb) if verb.idx < quote.start else None
    if before is not None:  # Clinton, exasperated, responded: “…”
        return before
    if verb.idx >= quote.end:  # “…,” a nurse at the hospital told the AP: the words before the verb
        between = doc[max(0, verb.i - 4 * TRAILING_TOKENS) : verb.i]
        heads = [
            t for t in between
            if t.idx >= quote.end and t.pos_ in _NOMINAL and t.dep_ not in _INSIDE_A_NAME
            and not _in_relative_clause(t, t.i - 1) and not ctx.in_quote(t)
        ]
        if heads:
            return heads[0]
    near = [doc[i] for i in (verb.i + 1, verb.i + 2, verb.i - 1) if 0 <= i < len(doc)]
    for tok in near:
        if tok.pos_ in ("PRON", "PROPN") and not ctx.in_quote(tok):
            return tok
    return None


# ---------------------------------------------------------------- rule: speaker labels


def speaker_label(ctx: RuleContext) -> None:
    """``NAME: words`` lines: transcripts (``PENCE: …``), and headlines that quote
    (``Cavusoglu: …``; for a plain capitalised label the first line only, where "Poll: ..." is a source)."""
    pos = 0
    for line in ctx.text.split("\n"):
        _label_line(ctx, pos, line)
        pos += len(line) + 1


def _label_line(ctx: RuleContext, pos: int, line: str) -> None:
    """One line's speaker label: up to five words before a colon, shouted, naming an actor, or in
    title case on the first line."""
    colon = line.find(":", 0, 60)
    if colon <= 0 or len(line) - colon < 4 or not line[colon + 1 : colon + 2].isspace():
        return
    lead = len(line) - len(line.lstrip(" \t\"“'"))
    label = ctx.doc.char_span(pos + lead, pos + colon, alignment_mode="contract")
    if label is None or not 1 <= len(label) <= 5 or any(t.pos_ in ("VERB", "AUX", "NUM") for t in label):
        return
    shouting = label.text.isupper() and any(c.isalpha() for c in label.text)
    named = any(t.ent_type_ in _ACTOR_ENTS for t in label)
    title = (
        pos == ctx.first_line
        and all(t.text[:1].isupper() for t in label if t.is_alpha)
        and not any(t.pos_ == "DET" for t in label)  # "The Latest:" is a rubric, not a speaker
    )
    if not (shouting or named or title):
        return
    colon_tok = ctx.token_at(pos + colon)
    if colon_tok is None or colon_tok.i in ctx.used_cues:
        return
    content = trim(ctx.text, (pos + colon + 1, pos + len(line)), "")
    direct = ctx.text[content[0]] in '“"'
    source = (label.start_char, label.end_char)
    emit(ctx, [colon_tok], content, label.root, direct, "statement", source=source)


# ---------------------------------------------------------------- rules: constructions the verb rule misreads


def held_responsible(ctx: RuleContext) -> None:
    """``Israel held Hamas responsible for the deaths``: blame, with the one held as its target."""
    for verb in ctx.doc:
        if verb.lemma_.lower() == "hold" and verb.pos_ == "VERB":
            _held_responsible(ctx, verb)


def _held_responsible(ctx: RuleContext, verb: Token) -> None:
    """One ``hold``: its object, the adjective that makes it a blame, and what the blame is for."""
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    if obj is None or ctx.in_quote(verb):
        return
    judged = next(  # held X responsible, or held X fully responsible (the adjective on the verb)
        (a for w in verb.children for a in (w, *w.children) if a.lemma_.lower() in ANSWERABLE), None
    )
    marker = next((c for c in judged.children if c.lower_ == "for"), None) if judged else None
    what = next((c for c in marker.children if c.dep_ in ("pobj", "pcomp")), None) if marker else None
    subject = subject_of(verb)
    if what is None or subject is None:
        return
    cue = sorted({verb, *(t for t in obj.subtree if t.i < marker.i), judged, marker}, key=lambda t: t.i)
    att = emit(ctx, cue, trim(ctx.text, subtree_span(what)), subject, False, "blame")
    if att is not None:
        held = [t for t in obj.subtree if t.i < judged.i]
        att.targets = [tok_span(held)] if held else []


def comment_apposition(ctx: RuleContext) -> None:
    """``…, a claim Tehran rejected`` / ``…, an allegation Moscow denies``: the source of the
    relative clause denies (or confirms) the clause the apposition names."""
    for noun in ctx.doc:
        if noun.dep_ in _COMMENT_DEPS and noun.lemma_.lower() in ctx.lex.clause_nouns:
            _comment_apposition(ctx, noun)


def _comment_apposition(ctx: RuleContext, noun: Token) -> None:
    """One closing apposition: it needs a cue verb with a subject of its own, and a clause before it."""
    verb = next((c for c in noun.children if c.dep_ == "relcl" and ctx.is_cue_verb(c)), None)
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None) if verb is not None else None
    opening = noun.left_edge.i - 1
    if subject is None or opening < 0 or ctx.doc[opening].text != "," or ctx.in_quote(verb):
        return
    clause = _named_clause(ctx.lex, noun)
    if clause is None or clause.left_edge.idx >= ctx.doc[opening].idx:
        return
    kind = ctx.lex.verbs.get(verb.lemma_.lower(), "statement")
    emit(ctx, cue_tokens(verb), (clause.left_edge.idx, ctx.doc[opening].idx), subject, False, kind)


def _named_clause(lex: Lexicon, noun: Token) -> Token | None:
    """The clause a closing apposition names: its nearest verb above, or what a cue verb there says."""
    head = noun.head
    while head.pos_ not in ("VERB", "AUX") and head.head.i != head.i:
        head = head.head
    if head.pos_ not in ("VERB", "AUX"):
        return None
    if head.lemma_.lower() in lex.verbs:
        return next((c for c in head.children if c.dep_ == "ccomp"), None)
    return head


def traded_blame(ctx: RuleContext) -> None:
    """``the two sides traded accusations over the attack``, ``with both sides trading blame``:
    blame the sides lay on each other (the claims stage makes each side the others' target)."""
    for verb in ctx.acts.mutual_verbs():
        _traded_blame(ctx, verb)


def _traded_blame(ctx: RuleContext, verb: Token) -> None:
    """One trading verb: the accusation it trades, and what about (the content) where it says so."""
    acc = ctx.acts.acc
    obj = next(
        (c for c in verb.children if c.dep_ == "dobj" and c.lemma_.lower() in acc.accusation_nouns), None
    )
    subject = subject_of(verb)
    if obj is None or subject is None or verb.i in ctx.used_cues or ctx.in_quote(verb):
        return
    about = next((c for c in obj.rights if c.dep_ == "prep" and c.i == obj.i + 1), None)
    what = next((c for c in about.children if c.dep_ in ("pobj", "pcomp")), None) if about else None
    cue = [verb, *(t for t in obj.subtree if t.i <= obj.i)] + ([about] if what is not None else [])
    content = subtree_span(what) if what is not None else subtree_span(obj)
    emit(ctx, sorted(set(cue), key=lambda t: t.i), trim(ctx.text, content), subject, False, "blame")


# ---------------------------------------------------------------- rule: verbs of saying


def verb_of_saying(ctx: RuleContext) -> None:
    """``X said (that) Y``, ``X denied Y``, ``X blamed Y for Z``, ``Y happened, X said``: a verb
    from the cue lexicon, its subject the source and what it says (``VERB_CONTENT_RULES``) the
    content; a quotation it says that no quotation rule took is direct."""
    for verb in ctx.doc:
        if not ctx.is_cue_verb(verb) or ctx.in_quote(verb) or _infinitive_content(ctx.lex, verb):
            continue
        if not _said_to_the_subject(verb):
            _verb_claim(ctx, verb)


def _verb_claim(ctx: RuleContext, verb: Token) -> None:
    """One verb of saying: a claim when it says something and has a subject that could say it
    (an opinion or intention only someone can hold); a quotation it says makes it direct."""
    found = _verb_content(ctx, verb)
    if found is None:
        return
    content, extra, kind, targets = found
    k = ctx.quote_at(content[0])
    direct = k is not None and ctx.quotes[k].end >= content[1] and k not in ctx.quoted
    if direct:
        content = (ctx.quotes[k].start, ctx.quotes[k].end)
        kind = ctx.lex.verbs.get(verb.lemma_.lower(), "statement")
    elif k is not None and k in ctx.quoted and ctx.quotes[k].end >= content[1]:
        return  # a quotation the quotation rule attributed
    subj = subject_of(verb)
    if subj is None or (kind in _MIND_KINDS and not animate(ctx.lex, subj)):
        return
    owned = _owned_act(verb)
    if owned is not None:  # claimed responsibility for the attack: the attack is what is claimed
        content = trim(ctx.text, subtree_span(owned))
    att = emit(ctx, cue_tokens(verb) + extra, content, subj, direct, kind)
    if att is None:
        return
    att.targets = list(att.sources) if owned is not None else targets
    if direct:
        ctx.quoted[k] = att
        _continued(ctx, att, k)


def _continued(ctx: RuleContext, att: RuleAttribution, k: int) -> None:
    """Cue-less quotations right after a quotation the verb rule attributed continue it, as they
    do one the quotation rule attributed (``_adjacent``): the cue clause was too long for that."""
    for j in range(k + 1, len(ctx.quotes)):
        quote = ctx.quotes[j]
        if j in ctx.quoted or is_scare_quote(ctx.text, quote) or not _adjacent(ctx, att, quote):
            return
        att.content = (att.content[0], quote.end)
        ctx.quoted[j] = att


def _infinitive_content(lex: Lexicon, verb: Token) -> bool:
    """``plans to call on X``: the infinitive is the content of the governing cue, not a claim."""
    head = verb.head
    return verb.dep_ == "xcomp" and head.i != verb.i and head.lemma_.lower() in lex.xcomp_verbs


class VerbContent(NamedTuple):
    """What a verb of saying says: the content, cue words beyond the verb's own (``blamed Y for``),
    the kind of claim, and the phrases it pins a blame on."""

    content: Span2
    extra_cue: list[Token]
    kind: str
    targets: list[Span2]


def _verb_content(ctx: RuleContext, verb: Token) -> VerbContent | None:
    """The first reading of ``VERB_CONTENT_RULES`` that finds the verb's content; None also for an
    aspectual verb over an act ("forces continue to shell the town": an act goes on, nothing is said)."""
    lex = ctx.lex
    lemma = verb.lemma_.lower()
    if lemma in lex.aspectual_verbs and any(
        c.dep_ == "xcomp" and c.lemma_.lower() not in lex.verbs for c in verb.children
    ):
        return None
    base = lex.verbs.get(lemma, "statement")  # a document verb ("read") states
    kind = "assertion" if base == "statement" else base
    return next((found for read in VERB_CONTENT_RULES if (found := read(ctx, verb, kind)) is not None), None)


def blamed_for(ctx: RuleContext, verb: Token, kind: str) -> VerbContent | None:
    """``X blamed Y for Z``, ``accused Y of Z``, ``blamed the attack on Y``: Y is the target."""
    lemma = verb.lemma_.lower()
    markers = ctx.lex.blame_preps.get(lemma)
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None) if markers else None
    if obj is None:
        return None
    marker = next((c for c in verb.children if c.lower_ in markers and c.i > obj.i), None)
    if marker is None:
        marker = next((c for c in obj.children if c.dep_ == "prep" and c.lower_ in markers), None)
    if marker is None:
        if lemma not in ("blame", "accuse", "condemn", "denounce"):
            return None
        return VerbContent(trim(ctx.text, subtree_span(obj)), [], "blame", actor_nps(ctx.lex, obj))
    what = next((c for c in marker.children if c.dep_ in ("pobj", "pcomp")), None)
    if marker.lower_ in _CAUSE_MARKERS:  # blamed the attack on Y: Y is the target, the attack the content
        end = marker.idx if marker.head.i != verb.i else subtree_span(obj)[1]
        targets = actor_nps(ctx.lex, what) if what is not None else []
        return VerbContent(trim(ctx.text, (subtree_span(obj)[0], end)), [], "blame", targets)
    if what is None:
        return None
    cue = [t for t in obj.subtree if t.i < marker.i] + [marker]
    return VerbContent(trim(ctx.text, subtree_span(what)), cue, "blame", actor_nps(ctx.lex, obj))


def called_on(ctx: RuleContext, verb: Token, kind: str) -> VerbContent | None:
    """``called on X to stop Y``, ``warned against Y``: a preposition or particle of the verb's own
    right after it; the content runs on through an infinitive or clause after it."""
    preps = ctx.lex.prep_verbs.get(verb.lemma_.lower(), frozenset())
    children = list(verb.children)
    for child in children:
        if child.dep_ in ("prep", "prt") and child.lower_ in preps and child.i == verb.i + 1:
            objs = [c for c in child.children if c.dep_ in ("pobj", "pcomp") and not _is_when(c)]
            if objs:
                then = [c for c in children if c.i > child.i and c.dep_ in ("xcomp", "ccomp")]
                end = max(subtree_span(c)[1] for c in [objs[0], *then])
                return VerbContent(trim(ctx.text, (objs[0].left_edge.idx, end)), [child], kind, [])
    return None


def called_it(ctx: RuleContext, verb: Token, kind: str) -> VerbContent | None:
    """``called it a violation of the truce``: a naming verb with the thing named and what it is
    called; blame when that is a culprit or a breach."""
    if verb.lemma_.lower() not in ctx.lex.naming_verbs:
        return None
    named = [c for c in verb.children if c.dep_ in ("dobj", "oprd") and c.i > verb.i]
    named += [g for c in named[:1] for g in c.rights if g.dep_ in ("dobj", "oprd", "attr")]
    if len(named) < 2:
        return None
    kind, targets = _charge(ctx, named[0], named[-1]) or ("assertion", [])
    content = trim(ctx.text, (named[0].left_edge.idx, subtree_span(named[-1])[1]))
    return VerbContent(content, [], kind, targets)


def said_that(ctx: RuleContext, verb: Token, kind: str) -> VerbContent | None:
    """``X said (that) Y``, ``urged supporters to stay``, ``Y happened, X said``: the verb's clausal
    complement (an infinitive for verbs that take one, with its addressee)."""
    lemma = verb.lemma_.lower()
    children = list(verb.children)
    for child in children:
        if child.i < verb.i and not _fronted_clause_ok(ctx.doc, child):
            continue
        if child.dep_ == "ccomp" and child.i > verb.i and _bare_cue_clause(ctx.lex, child):
            continue  # "…, the Observatory said, the AP reported": a relay, not content
        if child.dep_ == "ccomp" or (child.dep_ == "xcomp" and lemma in ctx.lex.xcomp_verbs):
            start, end = clause_span(child, ctx.lex)
            if child.dep_ == "xcomp":  # urged supporters to stay: the addressee is in the content
                obj = next(
                    (c for c in children if c.dep_ in ("dobj", "dative") and verb.i < c.i < child.i), None
                )
                start = obj.left_edge.idx if obj is not None else start
            for relayed in children:  # X happened, the Observatory said, the AP reported
                if (
                    relayed.dep_ == "parataxis"
                    and child.i < relayed.i < verb.i
                    and relayed.lemma_.lower() in ctx.lex.verbs
                ):
                    end = max(end, subtree_span(relayed)[1])
            return VerbContent(trim(ctx.text, (start, end)), [], *_content_kind(ctx, child, kind))
    return None


def warned_of(ctx: RuleContext, verb: Token, kind: str) -> VerbContent | None:
    """``warned on Tuesday of …``: the verb's own preposition anywhere after it, when it has no
    object (not "called a meeting for Monday")."""
    if any(c.dep_ in ("dobj", "dative") for c in verb.children):
        return None
    preps = ctx.lex.prep_verbs.get(verb.lemma_.lower(), frozenset())
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ in preps:
            objs = [c for c in child.children if c.dep_ in ("pobj", "pcomp") and not _is_when(c)]
            if objs:
                return VerbContent(trim(ctx.text, subtree_span(objs[0])), [child], kind, [])
    return None


def denied_it(ctx: RuleContext, verb: Token, kind: str) -> VerbContent | None:
    """``denied the report``, ``cited X as the key blocker``: the direct object of a verb that says
    what its object is."""
    if verb.lemma_.lower() not in ctx.lex.object_verbs:
        return None
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    return _object_content(ctx, verb, obj, kind) if obj is not None else None


def parenthetical(ctx: RuleContext, verb: Token, kind: str) -> VerbContent | None:
    """``Buses remained empty, the Observatory said`` or ``To stop it, he said, they must …``:
    a cue clause set off by commas inside the claim. The content is the governing clause (the
    sentence when the parser made the cue verb its root) and holds the cue clause, as a
    quotation split around its cue does."""
    subj = subject_of(verb)
    if subj is None or subj.head.i != verb.i:
        return None
    lo, hi = _cue_clause(verb, subj)
    doc = ctx.doc
    before = doc[lo - 1].text if lo > 0 else ""
    after = doc[hi + 1].text if hi + 1 < len(doc) else ""
    if before not in (",", "—", "–"):
        return None
    closes = after in (".", "!", "?", "", *_QUOTE_TEXTS)
    if closes or (after == "," and _cue_clause_follows(ctx, hi + 2, verb)):
        return VerbContent(trim(ctx.text, (ctx.sentence_of(verb).start_char, doc[lo - 1].idx)), [], kind, [])
    if after != ",":
        return None
    if (
        verb.head.i != verb.i
        and verb.dep_ in ("parataxis", "advcl", "conj", "ccomp")
        and verb.head.pos_ in ("VERB", "AUX")
    ):
        span = subtree_span(verb.head)
    elif verb.head.i == verb.i or verb.dep_ == "parataxis":
        sentence = ctx.sentence_of(verb)
        span = (sentence.start_char, sentence.end_char)
    else:
        return None
    return VerbContent(trim(ctx.text, span), [], kind, [])


# How a verb of saying says what it says, tried in order; the first that finds content wins.
VERB_CONTENT_RULES: tuple[Callable[[RuleContext, Token, str], VerbContent | None], ...] = (
    blamed_for,
    called_on,
    called_it,
    said_that,
    warned_of,
    denied_it,
    parenthetical,
)


def _cue_clause(verb: Token, subj: Token) -> tuple[int, int]:
    """First and last token of a cue clause: the verb, its subject, and the hearer and setting after
    it (``he told me on Friday``)."""
    clause = cue_tokens(verb) + list(subj.subtree)
    lo, hi = min(t.i for t in clause), max(t.i for t in clause)
    for child in verb.rights:
        if child.left_edge.i != hi + 1 or child.dep_ not in _CLAUSE_RIGHTS:
            break
        hi = child.right_edge.i
    return lo, hi


def _fronted_clause_ok(doc: Doc, clause: Token) -> bool:
    """A clause before its cue verb must end at a comma or quote mark (X happened, he said)."""
    marks = (",", "”", '"', "’", "'", "''")
    nxt = clause.right_edge.i + 1
    return clause.right_edge.text in marks or (nxt < len(doc) and doc[nxt].text in marks)


def _object_content(ctx: RuleContext, verb: Token, obj: Token, kind: str) -> VerbContent:
    """``cited X as the key blocker`` and ``described the strike as a violation`` are blame; any
    other object is the content itself."""
    for tok in obj.subtree:
        if tok.dep_ == "prep" and tok.lower_ == "as":
            pobj = next((c for c in tok.children if c.dep_ == "pobj"), None)
            charge = _charge(ctx, obj, pobj) if pobj is not None else None
            if charge is not None:
                return VerbContent(trim(ctx.text, subtree_span(obj)), [], *charge)
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ == "as" and child.i > obj.i:
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            charge = _charge(ctx, obj, pobj) if pobj is not None else None
            if charge is not None:
                span = (subtree_span(obj)[0], subtree_span(child)[1])
                return VerbContent(trim(ctx.text, span), [], *charge)
    end = subtree_span(obj)[1]
    for child in verb.children:  # cited X as an example of Y: the comparison is part of the claim
        if child.dep_ == "prep" and child.lower_ == "as" and child.i > obj.i:
            end = max(end, subtree_span(child)[1])
    targets = actor_nps(ctx.lex, obj) if kind == "blame" else []
    return VerbContent(trim(ctx.text, (subtree_span(obj)[0], end)), [], kind, targets)


def _charge(ctx: RuleContext, obj: Token, what: Token) -> tuple[str, list[Span2]] | None:
    """Blame when someone or something is called a culprit or a breach: ``cited X as the key
    blocker`` (X is blamed), ``called the Israeli strike a violation`` (the strike's doer is;
    "called it a violation" leaves the doer to the claims stage, from the act before)."""
    lemma = what.lemma_.lower()
    if lemma in ctx.lex.blame_nouns:
        return "blame", actor_nps(ctx.lex, obj)
    acc = ctx.acts.acc
    if lemma not in acc.violation_nouns and lemma not in acc.hostile_nouns:
        return None
    doer = ctx.acts.accused(obj, subtree_span(obj)) if obj.lemma_.lower() in acc.act_nouns else None
    return "blame", [doer.span] if doer is not None and not doer.own else []


def _bare_cue_clause(lex: Lexicon, clause: Token) -> bool:
    """A cue verb with a subject and nothing said: ``the AP reported`` after a comma."""
    if clause.lemma_.lower() not in lex.verbs or clause.left_edge.i == 0:
        return False
    if clause.doc[clause.left_edge.i - 1].text != ",":
        return False
    return all(c.dep_ in ("nsubj", "punct", "aux", "advmod", "neg") for c in clause.children)


def _cue_clause_follows(ctx: RuleContext, start: int, verb: Token) -> bool:
    """``…, the Observatory said, the AP reported.``: another short cue clause ends the sentence."""
    rest = ctx.doc[start : ctx.sentence_of(verb).end]
    if not 1 < len(rest) <= RELAY_CLAUSE_TOKENS:
        return False
    return any(t.lemma_.lower() in ctx.lex.verbs and t.pos_ == "VERB" for t in rest)


def _content_kind(ctx: RuleContext, clause: Token, kind: str) -> tuple[str, list[Span2]]:
    """Blame read off the content (Y were the instigators), and who a reported act is pinned on."""
    lex = ctx.lex
    targets: list[Span2] = []
    for tok in islice(clause.subtree, CONTENT_SCAN_TOKENS):
        lemma = tok.lemma_.lower()
        if tok.dep_ in ("attr", "acomp") and lemma in lex.blame_nouns and tok.head.lemma_ == "be":
            subj = next((c for c in tok.head.children if c.dep_ == "nsubj"), None)
            if subj is not None:
                return "blame", actor_nps(lex, subj)
        if tok.pos_ == "VERB" and lemma in lex.violence_verbs:
            targets.extend(_agents(lex, tok))
        if tok.dep_ == "prep":
            targets.extend(_causal(lex, tok))
    return kind, targets


def _agents(lex: Lexicon, verb: Token) -> list[Span2]:
    """``… were killed by X``: the actors in a passive act's agent phrase."""
    for child in verb.children:
        if child.dep_ == "agent":
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                return actor_nps(lex, pobj)
    return []


def _causal(lex: Lexicon, prep: Token) -> list[Span2]:
    """``because of X``, ``due to X``: X is who the reported act is pinned on."""
    doc = prep.doc
    words, last = [prep.lower_], prep
    while (
        last.i + 1 < len(doc)
        and len(words) < 4
        and doc[last.i + 1].dep_ in ("pcomp", "prep", "pobj")
        and doc[last.i + 1].head.i in (prep.i, last.i)
        and doc[last.i + 1].pos_ == "ADP"
    ):
        last = doc[last.i + 1]
        words.append(last.lower_)
    phrases = [tuple(words)]
    for size in range(2, 5):
        lo = prep.i - size + 1
        if lo >= 0:
            phrases.append(tuple(t.lower_ for t in doc[lo : prep.i + 1]))
    if not any(p in lex.causal_preps for p in phrases):
        return []
    pobj = next((c for t in (prep, last) for c in t.children if c.dep_ == "pobj"), None)
    return actor_nps(lex, pobj) if pobj is not None else []


# ---------------------------------------------------------------- rule: according to


def according_to(ctx: RuleContext) -> None:
    """``according to X``: X the source, the longer side of its sentence the content."""
    doc = ctx.doc
    for tok in doc:
        if tok.lower_ != "according" or tok.i + 1 >= len(doc) or doc[tok.i + 1].lower_ != "to":
            continue
        if tok.i in ctx.used_cues or ctx.in_quote(tok):
            continue
        to = doc[tok.i + 1]
        pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
        if pobj is None:
            continue
        sent = ctx.sentence_of(tok)
        left = trim(ctx.text, (sent.start_char, tok.idx))
        right = trim(ctx.text, (subtree_span(pobj)[1], sent.end_char))
        content = left if left[1] - left[0] >= right[1] - right[0] else right
        emit(ctx, [tok, to], content, pobj, False, "assertion")


# ---------------------------------------------------------------- rule: nouns that introduce a claim


def noun_with_clause(ctx: RuleContext) -> None:
    """``had credible reports that …``, ``the UN's warning that …``, ``his criticism of the plan``: a
    noun from the cue lexicon with a that-clause (its owner or the subject of the verb it is the
    object of the source), or owned and followed by a topic."""
    for noun in ctx.doc:
        kind = ctx.lex.clause_nouns.get(noun.lemma_.lower())
        if kind is None or noun.pos_ != "NOUN" or noun.i in ctx.used_cues or ctx.in_quote(noun):
            continue
        clause = next(
            (
                c
                for c in noun.children
                if c.dep_ in ("acl", "ccomp")
                and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
            ),
            None,
        )
        owner = next((c for c in noun.children if c.dep_ == "poss"), None)
        if clause is not None:
            _noun_clause(ctx, noun, clause, owner, kind)
        elif owner is not None:  # his criticism of the plan, the UN's warning about famine
            _noun_topic(ctx, noun, owner, kind)


def _noun_clause(ctx: RuleContext, noun: Token, clause: Token, owner: Token | None, kind: str) -> None:
    """``the UN's warning that …``, ``had reports that …``: the owner, or else the subject of the verb
    the noun is the object of (that verb then joins the cue), is the source."""
    cue = [noun] + [c for c in noun.lefts if c.dep_ == "amod"]
    if owner is None and noun.dep_ == "dobj" and noun.head.pos_ in ("VERB", "AUX"):
        owner = subject_of(noun.head)
        cue.append(noun.head)
    content = trim(ctx.text, subtree_span(clause))
    kind, targets = _content_kind(ctx, clause, kind)
    att = emit(ctx, cue, content, owner, False, kind)
    if att is not None:
        att.targets = targets


def _noun_topic(ctx: RuleContext, noun: Token, owner: Token, kind: str) -> None:
    """``his criticism of the plan``: an owned noun with a topic right after it (of, about, …)."""
    prep = next((c for c in noun.rights if c.dep_ == "prep" and c.lower_ in _TOPIC_PREPS), None)
    obj = next((c for c in prep.children if c.dep_ in ("pobj", "pcomp")), None) if prep else None
    if prep is None or obj is None or prep.i != noun.i + 1:
        return
    content = trim(ctx.text, subtree_span(obj))
    targets = actor_nps(ctx.lex, obj) if kind == "blame" else []
    att = emit(ctx, [noun, prep], content, owner, False, kind)
    if att is not None:
        att.targets = targets


# ---------------------------------------------------------------- the rules, in order


@dataclass(frozen=True, slots=True)
class AttributionRule:
    """One attribution rule: its name and the function that reads its construction over a document."""

    name: str
    read: Callable[[RuleContext], None]


# The one place to see and reorder the rules. Order matters: each rule claims the cue tokens it
# uses, so a later rule never reads them again. Quotations go first (their cue clause would
# otherwise be read as a plain verb of saying), and the constructions the verb rule misreads
# ("held X responsible", ", a claim Y denies", "traded accusations") before it.
RULES: tuple[AttributionRule, ...] = (
    AttributionRule("quotation_with_cue", quotation_with_cue),
    AttributionRule("speaker_label", speaker_label),
    AttributionRule("held_responsible", held_responsible),
    AttributionRule("comment_apposition", comment_apposition),
    AttributionRule("traded_blame", traded_blame),
    AttributionRule("verb_of_saying", verb_of_saying),
    AttributionRule("according_to", according_to),
    AttributionRule("noun_with_clause", noun_with_clause),
    AttributionRule("quotation_paragraph", quotation_paragraph),
)


def find_attributions(
    doc: Doc,
    quotes: list[Quote],
    lex: Lexicon | None = None,
    acts: Acts | None = None,
    sentences: list[Span] | None = None,
) -> list[RuleAttribution]:
    """All attributions in a parsed document, in text order (``quotes`` from
    ``quotes.find_quotes(doc.text)``; ``acts`` the document's hostile acts and ``sentences`` its
    ``doc.sents`` listed, each built here when the caller has not)."""
    ctx = RuleContext.of(doc, quotes, lex or load_lexicon(), acts, sentences)
    for rule in RULES:
        rule.read(ctx)
    return sorted(ctx.found, key=lambda a: (a.start, a.cue[0]))
