"""Attributions the trained tagger finds and the rules miss, turned into rule-shaped attributions.

The rules (``attribution.py``) are precise but miss loose paraphrases ("is
doubling down on", noun cues without a possessor); the tagger (``tagger.py``)
catches many of those but has no parse behind it. With the tagger on, the
claims stage keeps every rule attribution except those of a kind the rules are
unsure of (``UNSURE_KINDS``: intention, opinion), which it keeps only where the
tagger found an overlapping cue too; where the tagger found a kept rule's cue,
its source and paraphrase bounds may replace the rules' (``_tagger_spans``). It
adds a tagger attribution only where its cue overlaps no kept cue (nor that of
a tagger attribution already added), it has a source and a content, and its
source is a noun phrase the parse can head. (With the tagger off, every rule
attribution is kept.) Speakers, targets and chains are then resolved by the
same code as rule attributions, so both kinds of claim look alike downstream;
``origin`` says which found it.
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_left, bisect_right
from concurrent.futures import Future
from dataclasses import replace

from spacy.tokens import Doc

from .attribution import Lexicon, RuleAttribution, conjuncts, np_span, trim
from .tagger import TaggedAttribution as Tagged
from .tagger import TaggedSpan, Tagger

QUOTE_OPENERS = "\"“‘'«„"
# Marks that close what a clause ends (a quotation, a sentence).
_CLOSING = "”’\"'».!?"
# Characters that join the parts of one word ("rebel-held").
_JOINERS = "-‐‑"
# Rule attributions of these kinds need the tagger to find their cue too: verbs of
# wanting, planning and believing ("plans to", "supports") report a stance as often as
# a statement. On PolNeAR dev 83 of the 96 such rule claims the tagger did not
# confirm were not attributions.
UNSURE_KINDS = frozenset({"intention", "opinion"})
# Longest cue span in characters ("has been harshly criticized by ... for"): bounds the
# search for cues that overlap one another. PolNeAR dev's longest cue is under 60.
LONGEST_CUE = 200
# Farthest a tagger content for a rule's cue may start after that cue, in tokens;
# within it the two must share a sentence.
NEAR_TOKENS = 150
# Parts of speech that cannot carry what was said on their own.
_FUNCTION_POS = frozenset({"DET", "ADP", "CCONJ", "SCONJ", "PART", "PUNCT", "SPACE", "AUX"})
# Paragraphs are tagged only when they hold a quote mark or a word whose lemma can
# start a cue (a verb or noun of the cue lexicon, or "according"): the rest cannot
# carry an attribution, and skipping them saves the tagger's cost on background
# paragraphs.


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _kind(doc: Doc, cue: tuple[int, int], direct: bool, lex: Lexicon) -> str:
    span = doc.char_span(*cue, alignment_mode="expand")
    for token in span or ():
        kind = lex.verbs.get(token.lemma_.lower())
        if kind:
            return kind
    return "statement" if direct else "assertion"


def _head(doc: Doc, start: int, end: int) -> int:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return -1
    root = span.root
    partitive = root.pos_ in ("NUM", "ADJ") and any(c.lower_ == "of" for c in root.children)  # one of his advisers
    return root.i if root.pos_ in ("PROPN", "NOUN", "PRON") or partitive else -1


def convert(tagged: Tagged, doc: Doc, lex: Lexicon, text: str | None = None) -> RuleAttribution | None:
    """A rule-shaped attribution from a tagged one; None when it lacks a source or content.

    ``text`` is ``doc.text`` read once by the caller: spaCy rebuilds it on every read, which made
    converting every attribution of a long report quadratic."""
    if tagged.source is None or not tagged.content:
        return None
    text = doc.text if text is None else text
    cue = _bounds(tagged.cue)
    source = _source_words(text, _bounds(tagged.source), cue)
    head = _head(doc, *source) if source[0] < source[1] else -1
    if head < 0:
        return None
    sources, heads = _coordinated(doc, source, head)
    content = _phrase_of(doc, _joined(tagged.content), cue)
    if content is None:
        return None
    content = _in_cue_clause(doc, text, content, cue)
    direct = text[content[0] : content[0] + 1] in QUOTE_OPENERS
    return RuleAttribution(cue=cue, content=content, sources=sources, direct=direct,
                           kind=_kind(doc, cue, direct, lex), source_heads=heads, origin="tagger")


def _source_words(text: str, source: tuple[int, int], cue: tuple[int, int]) -> tuple[int, int]:
    """The tagger's source as whole words on the cue's side of any line break: a source never runs
    across lines ("[Source: X]" closing a caption, then a headline's "Y says")."""
    start, end = _whole_words(text, source)
    if "\n" in text[start:end]:
        if end <= cue[0]:
            start = text.rindex("\n", start, end) + 1
        else:
            end = text.index("\n", start, end)
        start, end = trim(text, (start, end), "")
    return start, end


def _whole_words(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """A tagger span cut inside a hyphenated word ("[-run] Radio Dawn" of "rebel-run Radio Dawn")
    widened to the whole word: names are never cut mid-word."""
    start, end = span
    while start > 0 and not text[start - 1].isspace() and (
        text[start - 1].isalnum() or text[start - 1] in _JOINERS or text[start] in _JOINERS
    ):
        start -= 1
    while end < len(text) and text[end].isalnum() and text[end - 1].isalnum():
        end += 1
    return start, end


def _coordinated(doc: Doc, source: tuple[int, int], head: int) -> tuple[list[tuple[int, int]], list[int]]:
    """"The army and the Rapid Support Forces": one source per conjunct, as the rules give them."""
    heads = [t for t in conjuncts(doc[head]) if t.pos_ != "CCONJ" and source[0] <= t.idx < source[1]]
    if len(heads) < 2:
        return [source], [head]
    spans = [(max(a, source[0]), min(b, source[1])) for a, b in (np_span(t) for t in heads)]
    spans[0], spans[-1] = (source[0], spans[0][1]), (spans[-1][0], source[1])  # the tagger's outer bounds
    return spans, [t.i for t in heads]


def _in_cue_clause(doc: Doc, text: str, content: tuple[int, int], cue: tuple[int, int]) -> tuple[int, int]:
    """A content after a verb cue ends with the verb's clause: the tagger runs on past an embedded
    cue into the main clause ("called the notice [announcing a pause] "a trick"")."""
    if content[0] < cue[1]:
        return content
    span = doc.char_span(*cue, alignment_mode="expand")
    verb = next((t for t in span if t.pos_ == "VERB"), None) if span is not None else None
    if verb is None:
        return content
    end = verb.right_edge.idx + len(verb.right_edge)  # projective parse: the clause's last token
    while end < content[1] and text[end] in _CLOSING:  # the quotation or sentence the clause closes
        end += 1
    return (content[0], end) if content[0] < end < content[1] else content


def _phrase_of(doc: Doc, content: tuple[int, int], cue: tuple[int, int]) -> tuple[int, int] | None:
    """A content of function words alone ("to", "a") is where the tagger stopped too early: it runs on
    to the end of the phrase those words open ("to [rebuild the bridge]"). Where that phrase takes in
    the cue ("a [claim] the army denies") the tagger read a cue noun's own article as its content."""
    span = doc.char_span(*content, alignment_mode="expand")
    if span is None or not len(span):
        return None
    if any(t.pos_ not in _FUNCTION_POS for t in span):
        return content
    head = span[-1].head
    end = head.right_edge.idx + len(head.right_edge)  # the parse is projective: its subtree's end
    if end <= content[1] or head.i < span[-1].i:
        return content
    phrase = (content[0], end)
    return None if _overlaps(phrase, cue) else phrase


class RangeFinder:
    """The character ranges of ``text`` to tag: its paragraphs that could hold an attribution (a word
    whose lemma can start a cue, or a quote mark), neighbours merged (quotes run across paragraphs).

    The parse may come piece by piece (``add``, in text order), and each range is handed out as soon
    as no later piece can change it; ``rest`` gives the others once the whole parse is in. Together
    they are the ranges the whole parse gives at once, in order (``paragraphs_to_tag``).
    """

    def __init__(self, text: str, lex: Lexicon) -> None:
        self.text = text
        self.triggers = set(lex.verbs) | set(lex.clause_nouns) | {"according"}
        self.bounds: list[tuple[int, int]] = []
        start = 0
        for block in re.split(r"(\n\s*\n)", text):
            self.bounds.append((start, start + len(block)))
            start += len(block)
        self.starts = [b[0] for b in self.bounds]
        self.ends = [b[1] for b in self.bounds]
        self.wanted: set[int] = set()
        self.seen = 0  # paragraphs (blocks) whose parse is whole and which are merged in
        self.merged: list[tuple[int, int]] = []
        self.given = 0  # ranges of ``merged`` handed out

    def add(self, doc: Doc, start: int, end: int) -> list[tuple[int, int]]:
        """Take the parse of ``text[start:end]``; the ranges no later piece can change, not given before."""
        for token in doc:
            if token.lemma_.lower() in self.triggers or token.text in QUOTE_OPENERS or token.text in "”’»":
                self.wanted.add(bisect_right(self.starts, start + token.idx) - 1)
        done = bisect_right(self.ends, end)  # the parse of these blocks is whole: no later token is theirs
        self._merge_up_to(done)
        settled = len(self.merged)
        if settled and not self.text[self.merged[-1][1] : self.ends[done - 1]].strip():
            settled -= 1  # a paragraph still to come could join it
        return self._hand_out(settled)

    def rest(self) -> list[tuple[int, int]]:
        """The ranges not given yet, the whole parse being in."""
        self._merge_up_to(len(self.bounds))
        return self._hand_out(len(self.merged))

    def _merge_up_to(self, done: int) -> None:
        """Merge in the wanted non-blank blocks before ``done``; neighbours with only space between
        them become one range."""
        text, merged = self.text, self.merged
        for i in range(self.seen, done):
            start, end = self.bounds[i]
            if i not in self.wanted or not text[start:end].strip():
                continue
            if merged and not text[merged[-1][1] : start].strip():
                merged[-1] = (merged[-1][0], end)
            else:
                merged.append((start, end))
        self.seen = max(self.seen, done)

    def _hand_out(self, settled: int) -> list[tuple[int, int]]:
        new = self.merged[self.given : settled]
        self.given = max(self.given, settled)
        return new


def paragraphs_to_tag(doc: Doc, lex: Lexicon, text: str | None = None) -> list[tuple[int, int]]:
    """Character ranges of the paragraphs that could hold an attribution (by the parse's lemmas);
    ``text`` is ``doc.text`` where the caller has it (spaCy rebuilds it on every read)."""
    finder = RangeFinder(doc.text if text is None else text, lex)
    return finder.add(doc, 0, len(finder.text)) + finder.rest()


def tagged_attributions(tagger: Tagger, doc: Doc, lex: Lexicon, text: str | None = None) -> list[Tagged]:
    """The tagger's attributions in the paragraphs that could hold one (tagged at once on the tagger's
    threads); ``text`` as for ``paragraphs_to_tag``."""
    text = doc.text if text is None else text
    ranges = paragraphs_to_tag(doc, lex, text)
    found = tagger.attributions_of([text[start:end] for start, end in ranges])
    return [_shift(att, start) for (start, _), atts in zip(ranges, found) for att in atts]


class EarlyTagging:
    """The tagger's work on one report, started while the rest of the report (or the next reports)
    is parsed: each range ``RangeFinder`` hands out goes at once to the tagger's threads, which
    onnxruntime lets run beside the parser on another core (issue 17). ``result`` is what
    ``tagged_attributions`` gives for the whole parse."""

    def __init__(self, tagger: Tagger, text: str, lex: Lexicon) -> None:
        self.tagger = tagger
        self.finder = RangeFinder(text, lex)
        self.stop = threading.Event()
        self.started: list[tuple[int, int, Future[list[Tagged]]]] = []
        self.closed = False

    @property
    def text(self) -> str:
        return self.finder.text

    def add(self, doc: Doc, start: int, end: int) -> None:
        """Start tagging what the parse of ``text[start:end]`` settles."""
        self._start(self.finder.add(doc, start, end))

    def close(self) -> None:
        """The whole parse is in: start tagging the ranges left."""
        if not self.closed:
            self._start(self.finder.rest())
            self.closed = True

    def result(self) -> list[Tagged]:
        """The attributions found, in text order: ranges no tagger thread has begun are tagged here."""
        self.close()
        found = []
        for start, end, job in self.started:
            found.extend(_shift(att, start) for att in self.tagger.collect(self.text[start:end], job))
        return found

    def cancel(self) -> None:
        """Stop: ranges not begun are dropped, the one being tagged ends at its next window."""
        self.stop.set()
        for _, _, job in self.started:
            job.cancel()

    def _start(self, ranges: list[tuple[int, int]]) -> None:
        for start, end in ranges:
            self.started.append((start, end, self.tagger.submit(self.text[start:end], self.stop)))


def _shift(att: Tagged, by: int) -> Tagged:
    def move(span: TaggedSpan) -> TaggedSpan:
        return type(span)(span.kind, span.start + by, span.end + by, span.score)

    return Tagged(move(att.cue), move(att.source) if att.source else None, tuple(move(p) for p in att.content))


def merge(
    rules: list[RuleAttribution], tagged: list[Tagged], doc: Doc, lex: Lexicon, text: str | None = None
) -> list[RuleAttribution]:
    """Rule attributions (source and paraphrase bounds from the tagger where it found the cue too; those of an
    unsure kind only there), plus tagger attributions whose cue no kept cue overlaps. ``text`` is
    ``doc.text`` where the caller has it: spaCy rebuilds it from every token on each read."""
    by_cue = sorted(tagged, key=lambda t: t.cue.start)
    starts = [t.cue.start for t in by_cue]
    kept = []
    text = doc.text if text is None else text
    for att in rules:
        same_cue = [by_cue[k] for k in _near_starts(starts, att.cue) if _overlaps(att.cue, _bounds(by_cue[k].cue))]
        if same_cue or att.kind not in UNSURE_KINDS:
            kept.append(_tagger_spans(att, same_cue, doc, text))
    taken = sorted(a.cue for a in kept)
    taken_starts = [c[0] for c in taken]
    added = []
    for att in tagged:
        cue = _bounds(att.cue)
        if any(_overlaps(cue, taken[k]) for k in _near_starts(taken_starts, cue)):
            continue
        converted = convert(att, doc, lex, text)
        if converted is not None:
            added.append(converted)
            k = bisect_left(taken, cue)
            taken.insert(k, cue)
            taken_starts.insert(k, cue[0])
    return sorted(kept + added, key=lambda a: (a.start, a.end))


def _near_starts(starts: list[int], span: tuple[int, int]) -> range:
    """Indices of the sorted cue starts that could overlap ``span``: cues are short, so those starting
    up to ``LONGEST_CUE`` characters before it and before its end."""
    return range(bisect_left(starts, span[0] - LONGEST_CUE), bisect_left(starts, span[1]))


def _near(doc: Doc, content: tuple[int, int], att: RuleAttribution) -> bool:
    """The tagger's content for a rule's cue overlaps the rule's, comes before the cue, or starts in
    the cue's sentence: the tagger also reads across sentences, where a cue it found has its
    content in the next."""
    if _overlaps(content, att.content) or content[0] < att.cue[1]:
        return True
    between = doc.char_span(att.cue[1], content[0], alignment_mode="contract")
    return between is None or (len(between) <= NEAR_TOKENS and not any(t.is_sent_start for t in between))


def _cut_from_the_front(content: tuple[int, int], att: RuleAttribution) -> bool:
    """The tagger's content is the tail of a clause the rules read before a trailing cue ("X hit the
    village, in a fresh breach of the pact, aid workers said"): it starts inside the rules' content,
    having lost the clause's subject and verb. (On PolNeAR dev keeping the rules' clause here left
    content F1 unchanged; on conflict copy it keeps the act and its doer.)"""
    return att.content[0] < content[0] and content[1] <= att.content[1] <= att.cue[0]


def _across_sentences(doc: Doc, source: tuple[int, int], cue: tuple[int, int]) -> bool:
    """A sentence starts between the source and the cue (at most ``NEAR_TOKENS`` tokens are read)."""
    lo, hi = (source[1], cue[0]) if source[1] <= cue[0] else (cue[1], source[0])
    between = doc.char_span(lo, hi, alignment_mode="contract")
    if between is None:
        return False
    return len(between) > NEAR_TOKENS or any(t.is_sent_start for t in between[1:] if not t.is_space)


def _bounds(span: TaggedSpan) -> tuple[int, int]:
    return span.start, span.end


def _joined(pieces: tuple[TaggedSpan, ...]) -> tuple[int, int]:
    """One span from the first piece's start to the last piece's end (content split around a cue)."""
    return min(p.start for p in pieces), max(p.end for p in pieces)


def _tagger_spans(att: RuleAttribution, same_cue: list[Tagged], doc: Doc, text: str) -> RuleAttribution:
    """The rule attribution with the tagger's source and paraphrase content, where the tagger found its cue
    too (``same_cue``: its attributions whose cue overlaps the rule's).

    The rules pick a source by the parse, which goes wrong on long appositions,
    headlines run into the sentence and participle cues ("..., calling for");
    the tagger learnt PolNeAR's extents. On PolNeAR dev, where both found one
    cue and their single sources differed, the tagger's was the right one 43
    times and the rules' 20 times; taking its content for paraphrases (not for
    quotations, which the quote scanner bounds better) raised content exact F1
    by 2 points, taking it for quotations too lowered it by 0.5. Its content is
    taken where it found no source for the cue too (+0.3). A coordinated
    source (several claims) stays with the rules, and so does a possessor ("his
    criticism": the parse is sure of it), a tagger span the parse cannot head
    or one that would swallow the cue.
    """
    said = next((t for t in same_cue if t.content), None)
    if said is not None and not att.direct:
        content = _phrase_of(doc, _joined(said.content), att.cue)
        if (
            content
            and content != att.content
            and not _overlaps(content, att.cue)
            and _near(doc, content, att)
            and not _cut_from_the_front(content, att)
        ):
            att = replace(att, content=content)
    if len(att.sources) != 1:
        return att
    other = next((t for t in same_cue if t.source is not None), None)
    if other is None:
        return att
    source = _source_words(text, _bounds(other.source), att.cue)
    head = _head(doc, *source) if source[0] < source[1] else -1
    possessor = att.source_heads[0] >= 0 and doc[att.source_heads[0]].dep_ == "poss"
    if source == att.sources[0] or head < 0 or possessor or _overlaps(source, att.content):
        return att
    if _across_sentences(doc, source, att.cue):
        return att  # the subject of the cue verb's own clause, never a name in another sentence
    return replace(att, sources=[source], source_heads=[head])
