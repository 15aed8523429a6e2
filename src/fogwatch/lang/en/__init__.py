"""English language data: the words fogwatch's stages read English text with, each list once.

What lives where:

- ``words.tsv``: the word lists, one word per row: ``list``, ``word`` and ``kinds`` (space-separated
  tags). A list that two modules once kept in two versions is one list here, and the kinds say
  which words each use takes: ``speech_verbs`` holds the verbs whose present tense reports the past
  (kind ``reports_past``, the times stage) and those that make an event reported (``governs_report``,
  the events stage). Read with ``words(list, kind)`` (a set) or ``ordered(list, kind)`` (file order).
- ``numbers.tsv``: number words and their values (``word``, ``value``, ``kinds``): the time grammar
  and the quantities stage read the same rows (``numbers(kind)``).
- ``modifiers.tsv``: the words before a number that bound it ("more than", "about"), with what each
  means to a duration (a TIMEX3 mod) and to a count (``modifiers(column)``).
- ``chrome.tsv``: the shapes of English site-chrome lines (bylines, share prompts, staleness
  banners) as regular expressions, read by the chrome stage (``chrome_patterns()``).
- ``cues.json``: the claims lexicon (verbs and nouns of saying and their kinds of claim, speaker
  and title nouns): read by ``attribution.load_lexicon``.
- ``times_lexicon.json``: the words of the time-expression grammar (``timex.LEXICON``).
- ``places_rules.json``: the phrase lists of the places stage (organisation and event-name heads,
  time zones...), matched with a spaCy PhraseMatcher.
- ``triggers.py``: the event trigger lookup the events and claims stages share; its table, like the
  events stage's other tables (``events_fine_cues.tsv``, ``events_words.json``) and the accusation
  vocabulary (``accusations.json``), is still in ``fogwatch/data`` while the events stage reads it
  from there.

``bench/inline_lists.py`` counts the word lists still written in code outside this package.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORDS_FILE = HERE / "words.tsv"
NUMBERS_FILE = HERE / "numbers.tsv"
MODIFIERS_FILE = HERE / "modifiers.tsv"
CHROME_FILE = HERE / "chrome.tsv"
NONE = "-"  # a cell that does not apply


def _rows(file: Path) -> list[list[str]]:
    """The tab-separated rows of a table, comments and blank lines left out."""
    with file.open(encoding="utf-8") as handle:
        return [line.rstrip("\n").split("\t") for line in handle if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=1)
def _lists() -> dict[str, list[tuple[str, frozenset[str]]]]:
    """Every list of words.tsv, its rows in file order."""
    lists: dict[str, list[tuple[str, frozenset[str]]]] = {}
    for name, word, *rest in _rows(WORDS_FILE):
        lists.setdefault(name, []).append((word, frozenset(rest[0].split()) if rest else frozenset()))
    return lists


def ordered(name: str, kind: str | None = None) -> tuple[str, ...]:
    """The words of list ``name`` (those tagged ``kind``, when given) in file order."""
    rows = _lists().get(name)
    if rows is None:
        raise KeyError(f"lang/en/words.tsv has no list {name!r}")
    chosen = tuple(word for word, kinds in rows if kind is None or kind in kinds)
    if not chosen:
        raise KeyError(f"lang/en/words.tsv list {name!r} has no word of kind {kind!r}")
    return chosen


def words(name: str, kind: str | None = None) -> frozenset[str]:
    """The words of list ``name`` (those tagged ``kind``, when given), for membership tests."""
    return frozenset(ordered(name, kind))


@lru_cache(maxsize=None)
def numbers(kind: str) -> dict[str, float]:
    """Number words of one kind (time, count, scale) and their values, in file order."""
    found = {word: _number(value) for word, value, kinds in _rows(NUMBERS_FILE) if kind in kinds.split()}
    if not found:
        raise KeyError(f"lang/en/numbers.tsv has no number word of kind {kind!r}")
    return found


def _number(text: str) -> float:
    """A value as the code wrote it: whole numbers stay ints, so figures print as 12, not 12.0."""
    value = float(text)
    return int(value) if value.is_integer() else value


@lru_cache(maxsize=None)
def modifiers(column: str) -> dict[str, str]:
    """Bounding phrases and what they mean in ``column``: ``time`` (a TIMEX3 mod) or ``figure`` (how
    they bound a count), for the phrases where it applies, in file order."""
    index = {"time": 1, "figure": 2}[column]
    return {row[0]: row[index] for row in _rows(MODIFIERS_FILE) if row[index] != NONE}


def chrome_patterns() -> tuple[re.Pattern[str], ...]:
    """The site-chrome line patterns, compiled: ``any`` ones ignore case, ``exact`` ones do not."""
    return tuple(re.compile(pattern, 0 if case == "exact" else re.IGNORECASE) for case, pattern in _rows(CHROME_FILE))


def path(name: str) -> Path:
    """A language table of this package by file name (``cues.json``...)."""
    return HERE / name
