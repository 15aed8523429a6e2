"""The stand-ins of fastpipes.py give the spaCy model's own annotations, token by token."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fogwatch.fastpipes import CachedLemmatizer, FastAttributeRuler
from fogwatch.nlp import load_model, model_package

# Written for fogwatch: the ruler's multi-token patterns ("gon na", "ai n't", "let 's", "y' all",
# "c'm on", "there is"), DEP-bound pronoun cases, spaces, and ordinary conflict copy.
TEXTS = (
    "They're gonna say it ain't so, but y'all know the truce held. Let's see: c'm on, there is more.\n\n"
    "I told you it was over. You saw me; it saw them.  Rebels got the town back and gets paid.",
    "The ministry said on Tuesday that 14 people were killed when shells hit the market in Idris.\n"
    "\"We will not accept this,\" the governor told reporters, adding that talks would resume.",
    "   \n\t ",
    "GENEVA (Fogwatch) - Both sides accused each other of breaking the cease-fire, which began at noon.",
)


@pytest.fixture(scope="module")
def model():
    """The model as its package ships it (no stand-ins), and the one fogwatch loads."""
    return model_package().load(), load_model()


def _annotations(doc) -> list[tuple[str, ...]]:
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_) for t in doc]


def _compare(model, texts) -> None:
    plain, ours = model
    assert type(ours.get_pipe("attribute_ruler")) is FastAttributeRuler
    assert type(ours.get_pipe("lemmatizer")) is CachedLemmatizer
    assert ours.get_pipe("attribute_ruler").fast, "a pattern form beyond the fast path: the Matcher runs instead"
    for text in texts:
        # fogwatch's own line-break component sits before the parser; run the plain model's rule
        # components on a copy of fogwatch's parse so that only the stand-ins differ
        doc = ours(text, disable=["attribute_ruler", "lemmatizer", "ner"])
        expected = plain.get_pipe("lemmatizer")(plain.get_pipe("attribute_ruler")(doc.copy()))
        got = ours.get_pipe("lemmatizer")(ours.get_pipe("attribute_ruler")(doc))
        assert _annotations(got) == _annotations(expected), text[:80]


def test_same_annotations_on_written_copy(model) -> None:
    _compare(model, TEXTS)


def test_multi_token_patterns_fire(model) -> None:
    _, ours = model
    doc = ours("They're gonna say it ain't so.")
    assert [t.lemma_ for t in doc if t.text in ("gon", "na", "ai")] == ["go", "to", "be"]


def test_same_annotations_on_news(model, shared: Path) -> None:
    texts = [f.read_text(encoding="utf-8") for f in sorted((shared / "eval" / "polnear" / "dev" / "text").glob("*.txt"))[:40]]
    reports = shared / "eval" / "conflict-news" / "reports.jsonl"
    if reports.is_file():
        texts += [json.loads(line)["text"] for line in reports.read_text(encoding="utf-8").splitlines() if line.strip()]
    if not texts:
        pytest.skip(f"no PolNeAR dev or conflict-news texts under {shared / 'eval'}")
    _compare(model, texts)


def test_a_pattern_beyond_the_fast_path_leaves_the_matcher_in_charge(model) -> None:
    plain, _ = model
    ruler = plain.get_pipe("attribute_ruler")
    extra = type(ruler)(plain.vocab)
    extra.add_patterns(ruler.patterns)
    extra.add([[{"LOWER": "shells", "OP": "+"}]], {"LEMMA": "shell"})
    fast = FastAttributeRuler(extra)
    assert not fast.fast
    doc = plain("The shells shells fell.", disable=["attribute_ruler", "lemmatizer", "ner"])
    assert [t.lemma for t in fast(doc)][1:3] == [plain.vocab.strings["shell"]] * 2
