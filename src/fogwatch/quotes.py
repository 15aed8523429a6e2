"""Finding direct quotations in raw text with one linear scan over the quote marks.

Quotations are found on the text, not the parse, because the parser splits and
mis-attaches quote marks; the claims stage then asks the parse who said them.
The scan visits each quote mark and each line break once, so 10,000 quote
marks, no closing mark at all or a quote mark inside a URL cost linear time and
never raise.

Conventions (they follow wire style):
- curly and straight double marks, and guillemets, open and close quotations;
  single marks are left to apostrophes and quotes within quotes;
- a paragraph that ends inside a quotation with no closing mark continues at
  the next paragraph when that one opens with a quote mark of the same kind
  (straight or curly: the multi-paragraph convention); otherwise the quotation
  ends, unclosed, at the end of its line;
- quote marks inside URLs and straight marks glued between letters or digits
  (inches, ``5'10"``) are not quotation marks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

OPENERS = "“„«‟"
CLOSERS = "”»"
STRAIGHT = '"'
# Two apostrophes, straight or curly ("''", "‘’", "’’"): a double mark in older wire and archive
# copy and on sites that type two single marks; read as a straight mark, whose side says which it is.
DOUBLED = ("''", "‘’", "’’", "‘‘")
_MARKS = re.compile(r"''|‘’|’’|‘‘|[“”„«»‟\"\n]")
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)

# A quotation of at most this many words, embedded in a sentence and not ending
# in its own punctuation, is a scare quote ("so-called 'moderate' rebels"), not a
# claim. Three covers the multi-word scare quotes seen in the PolNeAR dev texts
# ("in their heads") while one-sentence utterances of four words carry a verb.
MAX_SCARE_WORDS = 3
_UTTERANCE_END = ",.!?…—–:;"


@dataclass(slots=True)
class Quote:
    """A quotation: ``start`` is its opening mark, ``end`` is just past its closing mark.

    ``parts`` are the pieces of a multi-paragraph quotation (each with its own
    opening mark); ``closed`` is False when the text never closed it.
    """

    start: int
    end: int
    parts: list[tuple[int, int]] = field(default_factory=list)
    closed: bool = True

    def inner(self, text: str) -> str:
        return text[self.start : self.end].strip(OPENERS + CLOSERS + STRAIGHT + "'‘’")


def find_quotes(text: str) -> list[Quote]:
    """All quotations in ``text``, in order, never overlapping."""
    urls = [(m.start(), m.end()) for m in _URL.finditer(text)]
    scanner = _Scanner(text)
    url_index = 0
    for match in _MARKS.finditer(text):
        pos = match.start()
        while url_index < len(urls) and urls[url_index][1] <= pos:
            url_index += 1
        if url_index < len(urls) and urls[url_index][0] <= pos:
            continue
        mark = match.group()
        scanner.feed(pos, STRAIGHT if mark in DOUBLED else mark, len(mark))
    scanner.finish()
    return scanner.quotes


class _Scanner:
    """The state of the scan: where the open quotation (if any) and its current part began."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.quotes: list[Quote] = []
        self.open_at: int | None = None
        self.part_at: int | None = None
        self.parts: list[tuple[int, int]] = []
        self.continue_at: int | None = None  # the opening mark that continues a quotation

    def feed(self, pos: int, mark: str, width: int = 1) -> None:
        if mark == "\n":
            self._line_break(pos)
        elif pos == self.continue_at:
            self.part_at, self.continue_at = pos, None
        elif self.open_at is None:
            if mark in OPENERS or (mark == STRAIGHT and self._straight_opens(pos, width)):
                self.open_at = self.part_at = pos
        elif mark in CLOSERS or mark == STRAIGHT:
            if mark == STRAIGHT and self._glued(pos, width):
                return
            self._close(pos + width, closed=True)
        elif mark in OPENERS:
            # A new opening mark inside an open quotation: the old one was never closed.
            self._close(self._trim_end(pos), closed=False)
            self.open_at = self.part_at = pos

    def _straight_opens(self, pos: int, width: int) -> bool:
        before = self.text[pos - 1] if pos > 0 else " "
        after = self.text[pos + width] if pos + width < len(self.text) else " "
        return not after.isspace() and not before.isalnum()

    def _glued(self, pos: int, width: int) -> bool:
        before = self.text[pos - 1] if pos > 0 else " "
        after = self.text[pos + width] if pos + width < len(self.text) else " "
        return before.isdigit() or (before.isalnum() and after.isalnum())

    def _line_break(self, pos: int) -> None:
        if self.open_at is None:
            return
        nxt = pos
        length = len(self.text)
        while nxt < length and self.text[nxt].isspace():
            nxt += 1
        opens = nxt < length and _family(self.text[nxt]) == _family(self.text[self.open_at])
        if opens and self.part_at is not None:
            self.parts.append((self.part_at, self._trim_end(pos)))
            self.part_at, self.continue_at = None, nxt
        elif self.continue_at is None:
            self._close(self._trim_end(pos), closed=False)

    def _trim_end(self, pos: int) -> int:
        while pos > 0 and self.text[pos - 1].isspace():
            pos -= 1
        return pos

    def _close(self, end: int, closed: bool) -> None:
        assert self.open_at is not None
        if self.part_at is not None:
            self.parts.append((self.part_at, end))
        if end > self.open_at + 1:
            self.quotes.append(Quote(self.open_at, end, self.parts, closed))
        self.open_at = self.part_at = self.continue_at = None
        self.parts = []

    def finish(self) -> None:
        if self.open_at is not None:
            self._close(self._trim_end(len(self.text)), closed=False)


def _family(mark: str) -> str:
    """Straight marks continue straight quotations, curly ones curly (a stray mark of the other kind does not)."""
    if mark in (STRAIGHT, "'"):
        return "straight"
    return "curly" if mark in OPENERS + CLOSERS else ""


def is_scare_quote(text: str, quote: Quote) -> bool:
    """True for a short quoted phrase inside a sentence: words mentioned, not a claim."""
    inner = quote.inner(text).strip()
    if len(inner.split()) > MAX_SCARE_WORDS:
        return False
    if inner and inner[-1] in _UTTERANCE_END:
        return False
    before = text[max(0, quote.start - 3) : quote.start].rstrip()
    return not before.endswith(":")
