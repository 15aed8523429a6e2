"""Sentences never run across a paragraph break, a finished line or a heading line.

The small English model's parser runs a headline, a photo caption or a subheading into
the next paragraph's first sentence; ``nlp.line_breaks`` sets those boundaries before it.
Wrapped prose (lines that stop mid-sentence) is left to the parser."""

from __future__ import annotations

import pytest

from fogwatch.nlp import load_model


@pytest.fixture(scope="module")
def nlp():
    return load_model()


def sentences(nlp, text: str) -> list[str]:
    return [s.text.strip() for s in nlp(text).sents if s.text.strip()]


@pytest.mark.parametrize(("text", "expected"), [
    ("Russia, Turkey agree ceasefire in Idlib\nPutin and Erdogan spoke after talks in Moscow.",
     ["Russia, Turkey agree ceasefire in Idlib", "Putin and Erdogan spoke after talks in Moscow."]),
    ("Hezbollah said it had fired a warning shot.\nLatest violations on Monday\nIn the latest violations warplanes struck.",
     ["Hezbollah said it had fired a warning shot.", "Latest violations on Monday", "In the latest violations warplanes struck."]),
    ("A house burns after shelling. Credit: AP\n\nAzerbaijan has accused Armenia.",
     ["A house burns after shelling.", "Credit: AP", "Azerbaijan has accused Armenia."]),
])
def test_a_line_break_after_a_heading_or_a_finished_line_starts_a_sentence(nlp, text, expected) -> None:
    assert sentences(nlp, text) == expected


def test_wrapped_prose_stays_one_sentence(nlp) -> None:
    text = ("The army said on Monday that its troops had entered the\n"
            "town after heavy fighting that lasted for two whole days and\n"
            "left the market in ruins.")
    assert len(sentences(nlp, text)) == 1


def test_a_new_sentence_does_not_end_after_its_first_word(nlp) -> None:
    assert sentences(nlp, "ADDIS ABABA – The Red Cross said a convoy arrived.") == [
        "ADDIS ABABA – The Red Cross said a convoy arrived."]
