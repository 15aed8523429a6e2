"""The Jinja2 environment shared by every page: autoescaping on, and the few filters templates need."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi.templating import Jinja2Templates

from .queries import MARK_CLOSE, MARK_OPEN

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"

templates = Jinja2Templates(directory=TEMPLATE_DIR)
# Jinja2Templates autoescapes .html templates already; say so explicitly, as every page shows untrusted text.
templates.env.autoescape = True


def marked_parts(snippet: str | None) -> list[tuple[str, bool]]:
    """An FTS5 snippet as (text, is_match) parts; each part is escaped by the template."""
    parts: list[tuple[str, bool]] = []
    for i, chunk in enumerate((snippet or "").split(MARK_OPEN)):
        inside, _, after = chunk.partition(MARK_CLOSE) if i else ("", "", chunk)
        if inside:
            parts.append((inside, True))
        if after:
            parts.append((after, False))
    return parts


def figure_range(low: float | None, high: float | None) -> str:
    """A figure as people write it: ``12``, ``12–15``, ``12+`` or ``?``."""
    if low is None and high is None:
        return "?"
    if high is None:
        return f"{low:g}+"
    if low is None or low == high:
        return f"{high:g}"
    return f"{low:g}–{high:g}"


def query_with(params: dict[str, Any], **changes: Any) -> str:
    """The current filters with some changed (pagination links keep the filters)."""
    merged = {k: v for k, v in {**params, **changes}.items() if v not in (None, "")}
    return "?" + urlencode(merged) if merged else "?"


templates.env.filters["marked_parts"] = marked_parts
templates.env.filters["figure_range"] = figure_range
templates.env.filters["path"] = lambda value: quote(str(value), safe="")
templates.env.globals["query_with"] = query_with
