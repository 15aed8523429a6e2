"""The report text cut into segments for highlighting, with overlapping spans layered, never corrupted.

Every span boundary splits the text; each piece between two boundaries knows
which spans cover it. The template nests one ``<mark>`` per covering span in a
fixed layer order (claims outermost, then events, then places, dates and
figures), so overlaps that do not nest in the text still nest in the HTML, and
the concatenated pieces are exactly the original text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise

from ..report import Report

# Outer to inner: the order marks nest in within one piece.
LAYER_ORDER: tuple[str, ...] = ("claim", "quote", "event", "place", "time", "figure", "source")


@dataclass(frozen=True)
class Mark:
    """One highlighted item: its layer (colour), its reference ``layer-index`` and its span."""

    layer: str
    ref: str
    start: int
    end: int


@dataclass
class Piece:
    """A run of text covered by the same marks; ``first`` holds the marks whose span starts here."""

    text: str
    marks: list[Mark] = field(default_factory=list)
    first: set[Mark] = field(default_factory=set)


def marks_of(report: Report) -> list[Mark]:
    """Every highlightable span of a reading; spans outside the text or empty are left out."""
    found: list[Mark] = []
    for i, claim in enumerate(report.claims):
        found.append(Mark("quote" if claim.direct else "claim", f"claim-{i}", claim.start, claim.end))
        if claim.source.start is not None and claim.source.end is not None:
            found.append(Mark("source", f"claim-{i}", claim.source.start, claim.source.end))
    found += [Mark("event", f"event-{i}", e.start, e.end) for i, e in enumerate(report.events)]
    found += [Mark("place", f"place-{i}", p.start, p.end) for i, p in enumerate(report.places)]
    found += [Mark("time", f"time-{i}", t.start, t.end) for i, t in enumerate(report.times)]
    found += [Mark("figure", f"figure-{i}", q.start, q.end) for i, q in enumerate(report.quantities)]
    size = len(report.text)
    return [m for m in found if 0 <= m.start < m.end <= size]


def pieces(text: str, marks: list[Mark]) -> list[Piece]:
    """Split ``text`` at every mark boundary; O(n log n + pieces × depth)."""
    cuts = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks)})
    rank = {layer: i for i, layer in enumerate(LAYER_ORDER)}
    ordered = sorted(marks, key=lambda m: (m.start, rank[m.layer], -m.end))
    out: list[Piece] = []
    active: list[Mark] = []
    nxt = 0
    for left, right in pairwise(cuts):
        active = [m for m in active if m.end > left]
        piece = Piece(text[left:right])
        while nxt < len(ordered) and ordered[nxt].start == left:
            active.append(ordered[nxt])
            piece.first.add(ordered[nxt])
            nxt += 1
        piece.marks = sorted(active, key=lambda m: (rank[m.layer], m.start, -m.end))
        out.append(piece)
    return out
