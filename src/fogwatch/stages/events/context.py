"""What the events stage computes once per report: token maps, the headline, main places."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from ...actordict import SIDE_KINDS, side_key
from ...lang.en.triggers import lookup as lookup_trigger
from ...nlp import doc_text
from ...report import Claim, Report
from .lexicon import (
    AREA_FEATURES, CLAIM_CANDIDATES, CONFLICT_NOUNS, CONTESTED_QUALIFIERS, CONTESTED_WEIGHT, DATELINE_SCAN_CHARS,
    DEFINITE, EARLIER_EVENT_PREPS, FINE_FEATURES, FORCE_NOUNS, INSTITUTION_NOUNS, MAX_WALK, NO_SCENE_FEATURES,
    PARTY_PREPS, SETTLEMENT_NOUNS, SUPPORT_NOUNS, TERRITORY_NOUNS, UNDATED,
)
from .syntax import _child, _phrase, _token_index, paragraph_breaks


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
    sides: list[str] = field(default_factory=list)  # the two sides the report is about, by their names
    filing_times: set[int] = field(default_factory=set)  # times in a wire dateline: the filing day, no event's


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


def _contested_land(tok: Token) -> bool:
    """Whether a place word names the land the conflict is about: qualified as disputed or
    breakaway (on itself, on the noun it names, or in an apposition: "Nagorno-Karabakh, a
    breakaway region"), or the object of "over" after a word of fighting ("clashes over Idlib")."""
    nouns = [tok, *(c for c in tok.children if c.dep_ == "appos")]
    if tok.dep_ in {"compound", "nmod"}:
        nouns.append(tok.head)  # "the disputed Nagorno-Karabakh region"
    for noun in nouns:
        if any(c.lemma_.lower() in CONTESTED_QUALIFIERS for c in noun.children if c.dep_ in {"amod", "compound"}):
            return True
        if noun.dep_ == "pobj" and noun.head.lower_ == "over" and noun.head.head.lemma_.lower() in CONFLICT_NOUNS:
            return True
    return False


def _main_place(ctx: Context, locative: set[int], coarse: bool = False, contested: frozenset[int] = frozenset()) -> int | None:
    """The place the report is about: most mentioned as a place where things are (not "Russia
    said", "Armenian forces", the dateline), settlements over regions, headline counts double.
    A report that names places only as actors falls back on all its mentions.

    ``coarse``: only regions and countries, for what holds over an area (a truce holds in
    "Lebanon" or "Idlib", not in the village the report mentions most); None when it names none.
    ``locative``: the indices of the places named as places where things are; ``contested``: those
    named as the land the conflict is about, which count for the area (and more) even as subjects."""
    report = ctx.report
    if not report.places:
        return None
    score: Counter[str] = Counter()
    first: dict[str, int] = {}
    for index, place in enumerate(report.places):
        disputed = coarse and index in contested
        if locative and index not in locative and not disputed or place.in_name or place.feature in NO_SCENE_FEATURES:
            continue
        if coarse and place.feature not in AREA_FEATURES:
            continue
        weight = 2 if (place.feature or "") in FINE_FEATURES else 1
        if disputed:
            weight += CONTESTED_WEIGHT
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
    place_spans = {(p.start, p.end) for p in report.places}
    for actor in report.actors:
        for m in actor.mentions:
            if actor.kind == "person" and (m.start, m.end) in place_spans:
                continue  # "shelled Stepanakert": the places stage read the tagger's "person" as the place
            actor_spans.append((m.start, m.end))
            actor_names.append(actor.name)
    actor_tok = _token_index(doc, actor_spans)
    headline = _headline(report)
    time_of = _token_index(doc, [(t.start, t.end) for t in report.times])
    place_of = _token_index(doc, [(p.start, p.end) for p in report.places])
    quantity_of = _token_index(doc, [(q.start, q.end) for q in report.quantities])
    filed = _dateline_spans(report.text)
    filing = {k for k, t in enumerate(report.times) if any(start <= t.start < end for start, end in filed)}
    dated = {k for k, t in enumerate(report.times) if t.value is not None and t.granularity not in UNDATED
             and k not in filing}
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
    ctx.sides = _main_sides(report)
    ctx.filing_times = filing
    locative = {ctx.place_of[i] for i in ctx.place_tokens if _locative(ctx, ctx.doc[i])}
    ctx.main_place = _main_place(ctx, locative)
    contested = frozenset(ctx.place_of[i] for i in ctx.place_tokens if _contested_land(ctx.doc[i]))
    area = _main_place(ctx, locative, coarse=True, contested=contested)
    ctx.theatre_place = area if area is not None else ctx.main_place
    return ctx


def _locative(ctx: Context, tok: Token) -> bool:
    """Whether a place word says where something is, not who acts or who reports:
    "Russia said", "Turkey's minister", "the UK-based observatory", "according to ..."."""
    if tok.dep_ in {"nsubj", "poss", "nsubjpass"} or tok.i in ctx.actor_of and tok.dep_ not in {"pobj", "compound", "amod"}:
        return False
    if tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].text in {"-", "‐"}:
        return False
    if (tok.tag_ == "JJ" or tok.ent_type_ == "NORP" and _adjectival(ctx, tok)) \
            and not (tok.dep_ in {"amod", "compound"} and tok.head.lemma_.lower() in TERRITORY_NOUNS):
        return False  # a demonym ("Saudi soldiers") says who, not where ("Azeri territory" does)
    if _is_dateline(tok):
        return False  # "BEIRUT — A cease-fire in Aleppo ...": where the reporter files from
    index = ctx.place_of.get(tok.i)
    if index is not None and ctx.report.places[index].in_name:
        return False  # "the Aleppo Media Center said": a name, not a scene
    if index is not None and ctx.report.places[index].lat is None and tok.i in ctx.actor_of:
        return False  # "the M23 rebel group": an actor the tagger called a place and no gazetteer knows
    if _party_phrase(tok):
        return False  # "a truce between Armenia and Azerbaijan", "the ceasefire with Lebanon": who, not where
    modifies = tok.head.lemma_.lower()
    if tok.dep_ in {"compound", "nmod", "amod"} and (modifies in INSTITUTION_NOUNS or modifies in FORCE_NOUNS):
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
    text = doc_text(tok.doc)
    line_start = text.rfind("\n", 0, tok.idx) + 1
    before = text[line_start : tok.idx].strip(" \t\"'“(")
    if before and not DATELINE_HEAD.match(before):
        return False
    after = text[tok.idx + len(tok.text) : tok.idx + len(tok.text) + 40]
    return bool(DATELINE_TAIL.match(after))

# What follows the place in a dateline: "BEIRUT —", "ALEPPO, Syria —", "KYIV (Reuters) -".
DATELINE_TAIL = re.compile(r"^(/[A-Z][\w ]{0,25})*(,\s*[A-Z][\w .]{0,25})?\s*(\([^)]{1,25}\))?\.?\s*[—–-]{1,2}\s")

DATELINE_HEAD = re.compile(r"^([A-Z][\w ]{0,25}/)+$")  # the places before this one in "Beirut/Jerusalem"


class ClaimIndex:
    """Claims by where their content starts, for finding the innermost claim around a span
    without scanning every claim for every event."""

    def __init__(self, report: Report) -> None:
        self.claims = report.claims
        self.spans = sorted((c.content.start, c.content.end, i) for i, c in enumerate(report.claims))
        self.starts = [s for s, _, _ in self.spans]

    def innermost(self, start: int, end: int) -> Claim | None:
        best: tuple[int, int] | None = None
        right = bisect_right(self.starts, start)
        for c_start, c_end, index in reversed(self.spans[max(0, right - CLAIM_CANDIDATES) : right]):
            if end <= c_end and (best is None or c_end - c_start < best[0]):
                best = (c_end - c_start, index)
        return self.claims[best[1]] if best else None


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


def _another_event_given(prep: Token) -> bool:
    """ "despite the signing of a peace deal on November 2", "after talks on Friday": a phrase
    naming an event that came before, whose time is its own, not that of the event it hangs on
    (unlike "within minutes of the truce taking effect")."""
    if prep.dep_ != "prep" or prep.lower_ not in EARLIER_EVENT_PREPS:
        return False
    obj = _child(prep, {"pobj", "pcomp"})
    return obj is not None and any(lookup_trigger(t) is not None for t in _phrase(obj))


def _in_earlier_event(ctx: Context, start: int, end: int) -> bool:
    """Whether the words at [start, end) lie in a phrase naming an earlier event (see
    ``_another_event_given``), within their clause."""
    span = ctx.doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return False
    for tok in list(span.root.ancestors)[:MAX_WALK]:
        if _another_event_given(tok):
            return True
        if tok.dep_ in {"ccomp", "advcl", "relcl", "parataxis"}:
            return False
    return False


def _main_sides(report: Report) -> list[str]:
    """The two sides the report is about: the states and armed groups it names most (their
    officials and forces counting for them), each by its most-named actor's name; fewer than two
    when it names fewer."""
    counts: Counter[str] = Counter()
    names: dict[str, Counter[str]] = {}
    for actor in report.actors:
        if actor.kind not in SIDE_KINDS:
            continue
        side = side_key(actor.name) or actor.name
        counts[side] += len(actor.mentions)
        names.setdefault(side, Counter())[actor.name] += len(actor.mentions)
    return [names[side].most_common(1)[0][0] for side, _ in counts.most_common(2)]


# A wire dateline with its filing date: "YANGON, March 18 (Wire One) -", "KYIV, Jan 6 (Reuters) —".
DATELINE_WITH_DATE = re.compile(
    r"^[ \t]*[A-Z][\w.'’/ -]{1,40},\s*(?:[A-Z][a-z]{2,9}\.?\s+\d{1,2}|\d{1,2}\s+[A-Z][a-z]{2,9}\.?)"
    r"(?:,?\s*\d{4})?\s*(?:\([^)\n]{1,30}\))?\s*[—–-]{1,2}\s", re.MULTILINE)


def _dateline_spans(text: str) -> list[tuple[int, int]]:
    """Where the report's datelines are: the day a story was filed dates no event in it (the
    strike "on Sunday" in a story filed "March 18" happened on Sunday)."""
    return [(m.start(), m.end()) for m in DATELINE_WITH_DATE.finditer(text[:DATELINE_SCAN_CHARS])]

