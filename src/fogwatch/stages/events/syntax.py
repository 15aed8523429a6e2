"""Small helpers over spaCy's parse that every part of the events stage uses."""

from __future__ import annotations

from bisect import bisect_left

from spacy.tokens import Doc, Token

from .lexicon import BLANK_LINE, CLAUSE_BOUNDARIES, MAX_WALK, NEGATIVE_DETERMINERS, NEGATIVE_PRONOUNS


def _child(token: Token, deps: set[str] | frozenset[str]) -> Token | None:
    return next((c for c in token.children if c.dep_ in deps), None)


def _is_hyphen_compound(token: Token) -> bool:
    """ "rebel-held", "Iran-backed": a modifier, not an event."""
    if token.dep_ not in {"amod", "compound", "npadvmod"}:
        return False
    return any(c.text in {"-", "‐"} for c in token.lefts) or token.i > 0 and token.doc[token.i - 1].text in {"-", "‐"}


def _negated(token: Token) -> bool:
    """ "did not attack", "no evacuations", "without firing", "nobody was killed"."""
    if any(c.dep_ == "neg" for c in token.children):
        return True
    if any(c.dep_ == "det" and c.lower_ in NEGATIVE_DETERMINERS for c in token.children):
        return True
    for arg in (c for c in token.children if c.dep_ in {"nsubj", "nsubjpass", "dobj"}):
        if arg.lower_ in NEGATIVE_PRONOUNS or any(c.lower_ in NEGATIVE_DETERMINERS for c in arg.children if c.dep_ == "det"):
            return True
    return token.dep_ == "pcomp" and token.head.lower_ == "without"


def _participle_on_noun(tok: Token) -> bool:
    """A past participle describing a noun ("the order, dismissed by Kyiv"): a clause of its own."""
    return tok.dep_ == "acl" and tok.tag_ == "VBN" and tok.head.pos_ in {"NOUN", "PROPN"}


def _infinitive(verb: Token) -> bool:
    return verb.tag_ in {"VB", "VBN"} and any(c.lower_ == "to" and c.dep_ == "aux" for c in verb.children)


def paragraph_breaks(text: str) -> list[int]:
    """Offsets of the blank lines that separate paragraphs, in order."""
    return [m.start() for m in BLANK_LINE.finditer(text)]


def _across_paragraphs(a: Token, b: Token, breaks: list[int]) -> bool:
    """A dependency across a blank line (headline to lede) is a parser error, not grammar."""
    lo, hi = sorted((a.idx, b.idx))
    return bisect_left(breaks, hi) > bisect_left(breaks, lo)


def _token_index(doc: Doc, spans: list[tuple[int, int]]) -> dict[int, int]:
    """Token index -> index of the span (layer item) that covers it."""
    out: dict[int, int] = {}
    for index, (start, end) in enumerate(spans):
        span = doc.char_span(start, max(end, start + 1), alignment_mode="expand")
        if span is None:
            continue
        for tok in span:
            out.setdefault(tok.i, index)
    return out


def _in_clause(tok: Token, heads: set[int]) -> bool:
    """Whether ``tok`` hangs below one of ``heads`` without crossing into another clause."""
    for _ in range(MAX_WALK):
        if tok.i in heads:
            return True
        if tok.dep_ in CLAUSE_BOUNDARIES or tok.dep_ == "ccomp" or tok.head == tok:
            return False
        tok = tok.head
    return False


def _in_range(indices: list[int], start: int, end: int) -> list[int]:
    """The sorted token indices that fall in ``[start, end)``."""
    return indices[bisect_left(indices, start) : bisect_left(indices, end)]



NP_CORE_DEPS = frozenset({"det", "amod", "compound", "nummod", "poss", "quantmod", "case", "advmod"})


def _phrase(head: Token) -> list[Token]:
    """A noun phrase without its relative clauses and appositions ("the attackers", not
    "the attackers, who arrived on motorcycles,")."""
    out = [head]
    for child in head.children:
        if child.dep_ in NP_CORE_DEPS or child.dep_ == "prep" and child.lower_ == "of":
            out += list(child.subtree)
    return out
