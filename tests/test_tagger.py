"""The attribution tagger: decoding, window stitching, offsets, and the shipped model."""

from __future__ import annotations

import numpy as np
import pytest

from fogwatch.tagger import (
    KINDS,
    LABELS,
    WINDOW,
    TaggedSpan,
    Tagger,
    bio_labels,
    close_quotation,
    decode,
    group,
    load_tagger,
    snap_to_words,
    tagger_threads,
    trim_trailing,
    windows,
)

TEXT = "The council said the new bridge opens in May."
WORDS = [(m.start(), m.end()) for m in __import__("re").finditer(r"\S+", TEXT)]


def test_decode_builds_character_spans():
    # The council | said | the new bridge opens in May.
    labels = [1, 2, 3, 5, 6, 6, 6, 6, 6]
    spans = decode(labels, [0.9] * 9, WORDS)
    assert [(s.kind, TEXT[s.start : s.end]) for s in spans] == [
        ("source", "The council"),
        ("cue", "said"),
        ("content", "the new bridge opens in May."),
    ]
    assert all(s.score == pytest.approx(0.9) for s in spans)


def test_decode_opens_a_span_on_a_stray_inside_label():
    spans = decode([0, 2, 2, 0, 4], [1.0] * 5, WORDS[:5])
    assert [(s.kind, s.start, s.end) for s in spans] == [("source", 4, 16), ("cue", 21, 24)]


def test_decode_splits_adjacent_spans_of_one_kind():
    spans = decode([5, 6, 5], [1.0] * 3, WORDS[:3])
    assert [(s.start, s.end) for s in spans] == [(0, 11), (12, 16)]


def test_bio_labels_round_trip_through_decode():
    gold = [("source", 0, 11), ("cue", 12, 16), ("content", 17, 45)]
    labels = bio_labels(WORDS, gold)
    assert [LABELS[i] for i in labels][:4] == ["B-SOURCE", "I-SOURCE", "B-CUE", "B-CONTENT"]
    assert [(s.kind, s.start, s.end) for s in decode(labels, [1.0] * len(labels), WORDS)] == gold


@pytest.mark.parametrize("n", [0, 1, WINDOW, WINDOW + 1, 3 * WINDOW + 17])
def test_windows_own_every_token_once(n):
    spans = windows(n)
    owned = [t for _, _, a, b in spans for t in range(a, b)]
    assert owned == list(range(n))
    assert all(e - s <= WINDOW and s <= a <= b <= e for s, e, a, b in spans)


class _EchoSession:
    """Stands in for onnxruntime: the 'best label' of each token is its id modulo 7."""

    def get_inputs(self):
        return [type("I", (), {"name": n})() for n in ("input_ids", "attention_mask")]

    def run(self, _names, feed):
        ids = feed["input_ids"]
        logits = np.zeros((*ids.shape, len(LABELS)), dtype=np.float32)
        np.put_along_axis(logits, (ids % len(LABELS))[..., None], 5.0, axis=-1)
        return [logits]


def test_windows_are_stitched_back_in_token_order():
    ids = np.arange(1000, 1000 + 3 * WINDOW + 5, dtype=np.int64)
    labels, probs = Tagger(_EchoSession(), tokenizer=None).label(ids)
    assert labels == (ids % len(LABELS)).tolist()
    assert min(probs) > 0.9


def test_snap_to_words_widens_a_span_cut_inside_a_word():
    text = "Officials reportedly declined."
    span = snap_to_words(text, TaggedSpan("cue", 12, 20, 1.0))
    assert text[span.start : span.end] == "reportedly"


def test_close_quotation_takes_in_the_closing_mark():
    text = 'She said: "We will stay." Then she left.'
    span = close_quotation(text, TaggedSpan("content", 10, 23, 1.0))
    assert text[span.start : span.end] == '"We will stay."'
    plain = TaggedSpan("content", 11, 23, 1.0)
    assert close_quotation(text, plain) == plain


def test_group_gives_each_cue_its_nearest_source_and_content():
    spans = [
        TaggedSpan("content", 0, 10, 1.0),
        TaggedSpan("source", 12, 14, 1.0),
        TaggedSpan("cue", 15, 19, 1.0),
        TaggedSpan("content", 21, 30, 1.0),
        TaggedSpan("source", 100, 110, 1.0),
        TaggedSpan("cue", 111, 117, 1.0),
        TaggedSpan("content", 118, 140, 1.0),
    ]
    first, second = group(spans)
    assert (first.source.start, [c.start for c in first.content]) == (12, [0, 21])
    assert (second.source.start, [c.start for c in second.content]) == (100, [118])
    assert group([TaggedSpan("source", 0, 3, 1.0)]) == []


@pytest.fixture(scope="module")
def tagger():
    loaded = load_tagger()
    if loaded is None:
        pytest.skip("tagger model files absent from src/fogwatch/data/models (see MODEL.md)")
    return loaded


def test_model_tags_a_plain_report_sentence(tagger):
    text = "The regional governor said on Friday that the convoy had reached the town."
    spans = tagger.spans(text)
    found = {s.kind: text[s.start : s.end] for s in spans}
    assert found.get("cue") == "said"
    assert "governor" in found.get("source", "")
    assert "convoy" in found.get("content", "")
    (attribution,) = tagger.attributions(text)
    assert text[attribution.source.start : attribution.source.end] == found["source"]


def test_model_offsets_point_into_the_original_text(tagger):
    text = "\u00a0\u200b  Caf\u00e9 owners told reporters \u201cthe water is back\u201d, police said.\n"
    for span in tagger.spans(text):
        assert span.kind in KINDS and 0 <= span.start < span.end <= len(text)
        piece = text[span.start : span.end]
        assert piece == piece.strip() and piece


@pytest.mark.parametrize("text", ["", "   ", '"' * 3000, "\u201c\u201d" * 500, "x" * 200_000, "\ud800 odd \x00 bytes"])
def test_model_survives_hostile_input(tagger, text):
    for span in tagger.spans(text):
        assert 0 <= span.start < span.end <= len(text)


def test_trailing_comma_leaves_content_but_not_source():
    text = "All of this, the mayor, a lawyer, said."
    content = trim_trailing(text, TaggedSpan("content", 0, 12, 1.0))
    source = trim_trailing(text, TaggedSpan("source", 13, 33, 1.0))
    assert text[content.start : content.end] == "All of this"
    assert text[source.start : source.end] == "the mayor, a lawyer,"


def test_load_tagger_without_model_files_says_why(tmp_path, caplog):
    assert load_tagger(tmp_path) is None
    assert "missing" in caplog.text


def test_tagger_threads_come_from_the_environment(monkeypatch, caplog):
    monkeypatch.setenv("FOGWATCH_TAGGER_THREADS", "3")
    assert tagger_threads() == 3
    monkeypatch.setenv("FOGWATCH_TAGGER_THREADS", "0")
    assert tagger_threads() == 1
    monkeypatch.setenv("FOGWATCH_TAGGER_THREADS", "many")
    assert tagger_threads() == 1 and "not a whole number" in caplog.text
    monkeypatch.delenv("FOGWATCH_TAGGER_THREADS")
    assert 1 <= tagger_threads() <= 2


def test_texts_tagged_on_threads_come_back_in_order_and_unchanged(tagger):
    texts = [
        "The regional governor said on Friday that the convoy had reached the town.",
        "Nothing was said.",
        "Rebels denied shelling the market, a spokesman told reporters.",
        "",
    ] * 3
    threaded = load_tagger(threads=2)
    assert threaded.pool is not None
    assert threaded.attributions_of(texts) == [tagger.attributions(text) for text in texts]
