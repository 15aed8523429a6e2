"""Site chrome: lines a web page wraps around a story that are not the story.

Staleness banners ("This story is over 5 years old."), share and follow
prompts, bylines, photo credits, newsletter pitches and copyright lines are
recognised by shape, not by outlet, and recorded as ``chrome`` spans. They stay
in ``Report.text`` (offsets keep indexing the original) but the parser sees
blanks in their place, so no claim, event or date is read from them.
"""

from __future__ import annotations

import re

from ..pipeline import register_stage
from ..report import Report, Span

# A chrome line is short; a longer line is story even if it starts like chrome.
# Twenty words covers the longest bylines ("By A, B and C, with reporting by D")
# and credit lines seen in wire copy while staying under a typical lede's length.
MAX_CHROME_WORDS = 20

_CHROME_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        r"^this (story|article|post|page|report) is (over|more than) \w+ (years?|months?) old\.?$",
        r"^(this (story|article) was )?(first )?(published|posted|updated|last updated)\b.{0,60}$",
        r"^(share|tweet|email|print|save|copy link)( (this|on|via) [\w ]{0,30})?[.:!]?$",
        r"^(share|follow|like) (this|us|on)\b.{0,60}$",
        r"^(sign up|subscribe|get our|join our)\b.{0,80}(newsletter|updates|inbox|alerts).{0,40}$",
        r"^(photo|image|picture|video|graphic)( credit)?s?\s*[:©].{0,100}$",
        r"^[(]?(photo|image|picture) (by|courtesy of)\b.{0,100}$",
        r"^(©|\(c\)|copyright)\s.{0,100}$",
        r"^(advertisement|sponsored( content)?|related( stories| articles| coverage)?|read more|more on this story|"
        r"recommended|most read|trending( now)?|watch|listen)[:.]?$",
        r"^(read more|see also|related|watch|listen)\s*:.{0,120}$",
        r"^(click|tap) (here|to)\b.{0,80}$",
        r"^(all rights reserved|reporting by|editing by|additional reporting by|writing by)\b.{0,120}$",
        r"^(follow|contact) [\w .]{1,40} on (twitter|x|facebook|instagram)\b.{0,40}$",
        r"^(cover|header|top) (image|photo)\s*:.{0,120}$",
    )
) + (
    # Bylines are matched case-sensitively: "By the time rebels arrived" is story.
    re.compile(
        r"^(By|BY) [A-Z][\w.'’-]+( [A-Z][\w.'’-]+){0,3}((, | and | & )[A-Z][\w.'’-]+( [A-Z][\w.'’-]+){0,3}){0,3}"
        r"(,? (in|for|from) [A-Z][\w ]{0,30})?$"
    ),
)


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
