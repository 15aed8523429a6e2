"""Merging the tagger's attributions with the rules': rules kept, tagger fills what they miss."""

from __future__ import annotations

import pytest

from fogwatch.attribution import RuleAttribution, load_lexicon
from fogwatch.nlp import load_model
from fogwatch.tagger_merge import merge, paragraphs_to_tag
from fogwatch.tagger import TaggedAttribution as Tagged
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
    rule = RuleAttribution(cue=(said, said + 4), content=(said + 5, TEXT.index(".")),
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


APPOSITION = "Rana Haddad, a spokeswoman for the agency, said the crossing would reopen on Monday after repairs."
QUOTED = "\u201cThe crossing stays shut,\u201d the spokeswoman said."


def test_tagger_bounds_replace_a_rule_source_and_paraphrase() -> None:
    doc = load_model()(APPOSITION)
    said = APPOSITION.index("said")
    rule = RuleAttribution(cue=(said, said + 4), content=(said + 5, APPOSITION.index(" on Monday")),
                           sources=[(0, 11)], direct=False, kind="assertion", source_heads=[1])
    source_end = APPOSITION.index(" said")
    content = (said + 5, len(APPOSITION) - 1)
    tagged = [Tagged(TaggedSpan("cue", said, said + 4, 0.9), TaggedSpan("source", 0, source_end, 0.9),
                     (TaggedSpan("content", *content, 0.9),))]
    merged = merge([rule], tagged, doc, load_lexicon())
    assert merged[0].sources == [(0, source_end)] and merged[0].content == content
    assert doc[merged[0].source_heads[0]].text == "Haddad"


def test_quotation_content_and_possessor_sources_stay_with_the_rules() -> None:
    doc = load_model()(QUOTED)
    said = QUOTED.index("said")
    source = (QUOTED.index("the"), said - 1)
    rule = RuleAttribution(cue=(said, said + 4), content=(0, QUOTED.index(" the")), sources=[source], direct=True,
                           kind="statement", source_heads=[doc.char_span(*source).root.i])
    tagged = [Tagged(TaggedSpan("cue", said, said + 4, 0.9), TaggedSpan("source", *source, 0.9),
                     (TaggedSpan("content", 1, 23, 0.9),))]
    assert merge([rule], tagged, doc, load_lexicon())[0] is rule

    text = "The minister repeated his criticism of the blockade."
    doc = load_model()(text)
    cue = text.index("criticism")
    his = text.index("his")
    rule = RuleAttribution(cue=(cue, cue + 9), content=(text.index("the blockade"), len(text) - 1),
                           sources=[(his, his + 3)], direct=False, kind="blame", source_heads=[3])
    tagged = [Tagged(TaggedSpan("cue", cue, cue + 9, 0.9), TaggedSpan("source", 0, 12, 0.9), ())]
    assert merge([rule], tagged, doc, load_lexicon())[0].sources == [(his, his + 3)]


def test_a_stance_the_tagger_does_not_confirm_is_dropped() -> None:
    text = "The council plans to rebuild the bridge. The mayor said the bridge would reopen."
    doc = load_model()(text)
    plans, said = text.index("plans"), text.index("said")
    stance = RuleAttribution(cue=(plans, plans + 5), content=(plans + 6, text.index(".")), sources=[(0, 11)],
                             direct=False, kind="intention", source_heads=[1])
    statement = RuleAttribution(cue=(said, said + 4), content=(said + 5, len(text) - 1),
                                sources=[(text.index("The mayor"), said - 1)], direct=False, kind="assertion",
                                source_heads=[doc.char_span(text.index("mayor"), said - 1).root.i])
    assert merge([stance, statement], [], doc, load_lexicon()) == [statement]
    confirmed = [Tagged(TaggedSpan("cue", plans, plans + 5, 0.9), None, ())]
    assert merge([stance, statement], confirmed, doc, load_lexicon()) == [stance, statement]


def test_tagger_content_bounds_a_rule_paraphrase_even_where_it_found_no_source() -> None:
    text = "The agency reported on Friday that two bridges had collapsed near the border."
    doc = load_model()(text)
    cue = text.index("reported")
    rule = RuleAttribution(cue=(cue, cue + 8), content=(cue + 9, len(text) - 1), sources=[(0, 10)], direct=False,
                           kind="assertion", source_heads=[1])
    content = (text.index("that two"), len(text) - 1)
    tagged = [Tagged(TaggedSpan("cue", cue, cue + 8, 0.9), None, (TaggedSpan("content", *content, 0.9),))]
    merged = merge([rule], tagged, doc, load_lexicon())
    assert merged[0].content == content and merged[0].sources == [(0, 10)]


def test_a_partitive_source_the_rules_missed_is_added() -> None:
    text = "Many of the drivers fear the road will close again."
    doc = load_model()(text)
    cue = text.index("fear")
    tagged = [Tagged(TaggedSpan("cue", cue, cue + 4, 0.9), TaggedSpan("source", 0, cue - 1, 0.9),
                     (TaggedSpan("content", cue + 5, len(text) - 1, 0.9),))]
    added = merge([], tagged, doc, load_lexicon())
    assert len(added) == 1 and added[0].sources == [(0, cue - 1)]
    assert doc[added[0].source_heads[0]].text == "Many"


def test_a_content_of_function_words_runs_to_the_end_of_its_phrase() -> None:
    text = "The relief agency would like to reopen the northern crossing. Troops shelled it, a claim the army denies."
    doc = load_model()(text)
    like, claim = text.index("would like"), text.index("claim")
    to = text.index("to reopen")
    tagged = [
        Tagged(TaggedSpan("cue", like, like + 10, 0.9), TaggedSpan("source", 0, like - 1, 0.9),
               (TaggedSpan("content", to, to + 2, 0.9),)),
        Tagged(TaggedSpan("cue", claim, claim + 5, 0.9), TaggedSpan("source", text.index("the army"), text.index(" denies"), 0.9),
               (TaggedSpan("content", claim - 2, claim - 1, 0.9),)),
    ]
    added = merge([], tagged, doc, load_lexicon())
    assert [text[a.content[0]:a.content[1]] for a in added] == ["to reopen the northern crossing"]


def test_a_coordinated_tagger_source_is_one_source_per_conjunct() -> None:
    text = "The army and the Rapid Support Forces traded blame for the collapse of the truce."
    doc = load_model()(text)
    cue, end = text.index("traded"), text.index(" traded")
    tagged = [Tagged(TaggedSpan("cue", cue, cue + 16, 0.9), TaggedSpan("source", 0, end, 0.9),
                     (TaggedSpan("content", text.index("the collapse"), len(text) - 1, 0.9),))]
    added = merge([], tagged, doc, load_lexicon())
    assert [text[a:b] for a, b in added[0].sources] == ["The army", "the Rapid Support Forces"]
