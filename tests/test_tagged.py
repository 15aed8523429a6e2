"""Merging the tagger's attributions with the rules': rules kept, tagger fills what they miss."""

from __future__ import annotations

import pytest

from fogwatch.attribution import Attribution, load_lexicon
from fogwatch.nlp import load_model
from fogwatch.tagged import merge, paragraphs_to_tag
from fogwatch.tagger import Attribution as Tagged
from fogwatch.tagger import TaggedSpan

pytestmark = pytest.mark.model

TEXT = "The governor said the road was closed. The ministry is doubling down on its claim that no convoy was hit."


def span(kind: str, words: str, score: float = 0.9) -> TaggedSpan:
    start = TEXT.index(words)
    return TaggedSpan(kind, start, start + len(words), score)


def test_rules_kept_and_missing_attributions_added() -> None:
    doc = load_model()(TEXT)
    lex = load_lexicon()
    said = TEXT.index("said")
    rule = Attribution(cue=(said, said + 4), content=(said + 5, TEXT.index(".")),
                       sources=[(0, 12)], direct=False, kind="assertion", source_heads=[1])
    tagged = [
        Tagged(span("cue", "said"), span("source", "The governor"), (span("content", "the road was closed"),)),
        Tagged(span("cue", "is doubling down on"), span("source", "The ministry"),
               (span("content", "its claim that no convoy was hit"),)),
        Tagged(span("cue", "claim"), None, (span("content", "that no convoy was hit"),)),
    ]
    merged = merge([rule], tagged, doc, lex)
    assert merged[0] is rule
    assert len(merged) == 2
    added = merged[1]
    assert added.origin == "tagger"
    assert TEXT[added.cue[0]:added.cue[1]] == "is doubling down on"
    assert TEXT[added.sources[0][0]:added.sources[0][1]] == "The ministry"


def test_only_paragraphs_that_can_hold_an_attribution_are_tagged() -> None:
    text = "Smoke rose over the port.\n\nOfficials said three ships burned.\n\nThe sea was calm.\n\n\u201cWe ran,\u201d one sailor recalled."
    chosen = [text[a:b].strip() for a, b in paragraphs_to_tag(load_model()(text), load_lexicon())]
    assert any("Officials said" in c for c in chosen)
    assert any("We ran" in c for c in chosen)
    assert not any(c.startswith("Smoke") for c in chosen)
