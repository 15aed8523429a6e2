"""English language data: the words fogwatch's stages read English text with, each list once.

What lives where:

- ``words.tsv``: the word lists, one word per row: ``list``, ``word`` and ``kinds`` (space-separated
  tags). A list that two modules once kept in two versions is one list here, and the kinds say
  which words each use takes: ``speech_verbs`` holds the verbs whose present tense reports the past
  (kind ``reports_past``, the times stage) and those that make an event reported (``governs_report``,
  the events stage). Read with ``words(list, kind)`` (a set) or ``ordered(list, kind)`` (file order).
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

from functools import lru_cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORDS_FILE = HERE / "words.tsv"


@lru_cache(maxsize=1)
def _lists() -> dict[str, list[tuple[str, frozenset[str]]]]:
    """Every list of words.tsv, its rows in file order."""
    lists: dict[str, list[tuple[str, frozenset[str]]]] = {}
    with WORDS_FILE.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip() or line.startswith("#"):
                continue
            name, word, *rest = line.rstrip("\n").split("\t")
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


def path(name: str) -> Path:
    """A language table of this package by file name (``cues.json``...)."""
    return HERE / name
