"""Site chrome: lines a web page wraps around a story that are not the story.

Staleness banners ("This story is over 5 years old."), share and follow
prompts, bylines, photo credits, newsletter pitches and copyright lines are
recognised by shape, not by outlet, and recorded as ``chrome`` spans. They stay
in ``Report.text`` (offsets keep indexing the original) but the parser sees
blanks in their place, so no claim, event or date is read from them.
"""

from __future__ import annotations

import re

from ..lang.en import chrome_patterns
from ..pipeline import register_stage
from ..report import Report, Span

# A chrome line is short; a longer line is story even if it starts like chrome.
# Twenty words covers the longest bylines ("By A, B and C, with reporting by D")
# and credit lines seen in wire copy while staying under a typical lede's length.
MAX_CHROME_WORDS = 20

_CHROME_PATTERNS: tuple[re.Pattern[str], ...] = chrome_patterns()


def is_chrome(line: str) -> bool:
    """Whether one stripped line is site chrome rather than story text."""
    stripped = line.strip()
    if not stripped or len(stripped.split()) > MAX_CHROME_WORDS:
        return False
    return any(p.match(stripped) for p in _CHROME_PATTERNS)


def find_chrome(text: str) -> list[Span]:
    """Spans of every chrome line in ``text`` (without their line breaks)."""
    spans: list[Span] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        if is_chrome(body):
            lead = len(body) - len(body.lstrip())
            spans.append(Span(offset + lead, offset + len(body.rstrip())))
        offset += len(line)
    return spans


@register_stage
class ChromeStage:
    name = "chrome"
    requires: tuple[str, ...] = ("text",)
    assigns = ("chrome",)

    def __call__(self, report: Report) -> None:
        report.chrome = find_chrome(report.text)
