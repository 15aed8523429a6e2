"""Site chrome is recognised by shape and kept out of analysis, never out of the text."""

from __future__ import annotations

import pytest

from fogwatch.stages.chrome import find_chrome, is_chrome


@pytest.mark.parametrize(
    "line",
    [
        "This story is over 5 years old.",
        "This article is more than 2 years old",
        "Share this article",
        "Share on Facebook",
        "By Layla Haddad",
        "By Amira Nour and Tom Hale, in Beirut",
        "Photo: Rescuers search the rubble (Demo Wire)",
        "© 2019 Example Media. All rights reserved.",
        "Sign up for our daily newsletter",
        "Advertisement",
        "Reporting by Sam Ode; Editing by Ann Lee",
        "Last updated 14:05 GMT",
        "Beta V.1.0 - Powered by automated translation",
        "Powered by Example Translate",
        "Credit: Sam Ode/AP",
        "AFP / Sam Ode",
        "EPA/Ann Lee",
    ],
)
def test_chrome_lines(line: str) -> None:
    assert is_chrome(line)


@pytest.mark.parametrize(
    "line",
    [
        "By the time rebels arrived, the village was empty.",
        "Shelling resumed on Monday, residents said.",
        "Share prices fell sharply in Moscow after the strike on the refinery, traders said on Tuesday.",
        "Published reports said the convoy had been hit twice near the border crossing before it reached the town.",
        "Credit for the deal went to the mediators, diplomats said.",
        "UN / Red Cross teams reached the town.",
        "",
    ],
)
def test_story_lines(line: str) -> None:
    assert not is_chrome(line)


def test_spans_index_the_original_text() -> None:
    text = "Headline\n\n  By Jo Smith  \nRockets hit the city.\r\nShare this\r\n"
    spans = find_chrome(text)
    assert [text[s.start : s.end] for s in spans] == ["By Jo Smith", "Share this"]


def test_long_lines_are_never_chrome() -> None:
    assert not is_chrome("Share " + "word " * 40)
