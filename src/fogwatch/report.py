"""The central record: one report and the span-anchored layers stages add to it.

A ``Report`` holds the text exactly as it was read (decoded UTF-8, before any
cleaning) and every layer item points into that text with ``start``/``end``
character offsets. Stages never rewrite ``text``; site chrome is recorded as
``chrome`` spans and blanked only in the copy that the parser sees, so offsets
stay valid in the original.

The dataclasses below are the JSON contract of DESIGN.md: ``Report.to_dict``
emits it and ``Report.from_dict`` reads it back (the store round-trips it).
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from dataclasses import asdict, dataclass, field, fields
from collections.abc import Iterable
from typing import Any, ClassVar

LAYERS: tuple[str, ...] = ("actors", "places", "times", "quantities", "claims", "events")


@dataclass(slots=True)
class Span:
    """A half-open character range ``[start, end)`` into ``Report.text``."""

    start: int
    end: int

    def text_in(self, text: str) -> str:
        return text[self.start : self.end]


@dataclass(slots=True)
class Actor:
    """Someone who acts, speaks or suffers: one entry per distinct actor in a report."""

    name: str
    kind: str  # person|state|government|military|police|rebels|militia|igo|ngo|media|civilians|other
    country: str | None = None  # ISO 3166-1 alpha-3
    role: str | None = None
    affiliation: str | None = None  # the actor a person or unit belongs to, by name
    actor_id: str | None = None  # key in the actor dictionary, when it is known there
    sector: str | None = None  # PLOVER-style sector (GOV, MIL, REB, IGO, NGO, MED, CVL...)
    mentions: list[Span] = field(default_factory=list)

    @property
    def id(self) -> str:
        """Stable within and across reports: the dictionary key, else the name (one entry per actor)."""
        return f"actor:{self.actor_id}" if self.actor_id else f"actor:name:{self.name}"


@dataclass(slots=True)
class Place:
    start: int
    end: int
    text: str
    name: str
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None
    country: str | None = None  # ISO 3166-1 alpha-2
    feature: str | None = None  # country|admin1|admin2|city|town|village|neighbourhood|region|...
    qualifier: str | None = None  # "eastern", "northern"... as written
    resolved: bool = True
    # The GeoNames first-level division (code and name) the place lies in, so that a city and its
    # province are one area when linking; the name of an organisation or operation the place word
    # belongs to ("Aleppo Media Center"), where it is named but nothing is said to happen there.
    admin1: str | None = None
    admin1_name: str | None = None
    in_name: str | None = None

    @property
    def id(self) -> str:
        return span_id("place", self.start, self.end)


@dataclass(slots=True)
class TimeExpr:
    start: int
    end: int
    text: str
    value: str | None  # TIMEX3-style; None when it cannot be anchored
    granularity: str  # day|part_of_day|week|month|year|decade|duration|present|range|unknown
    value_to: str | None = None  # upper end of a range ("in two to three days")
    anchored: bool = True  # False when no publication date was known to resolve against
    mod: str | None = None  # TIMEX3 mod: START, END, BEFORE, AFTER, APPROX, SINCE...

    @property
    def id(self) -> str:
        return span_id("time", self.start, self.end)


@dataclass(slots=True)
class Quantity:
    start: int
    end: int
    text: str
    low: float | None
    high: float | None
    unit: str | None = None  # what is counted: civilians, fighters, buses...
    status: str | None = None  # killed, injured, evacuated, held, fled, trapped...
    vague: bool = False  # "dozens", "scores", "tens of thousands"
    claim_id: str | None = None  # the claim that asserts it (its ``id``), when a source does

    @property
    def id(self) -> str:
        return span_id("quantity", self.start, self.end)


@dataclass(slots=True)
class SourceRef:
    name: str
    start: int | None = None
    end: int | None = None
    actor: str | None = None  # name of the resolved actor in the actors layer


@dataclass(slots=True)
class Cue:
    start: int
    end: int
    text: str


@dataclass(slots=True)
class Named:
    name: str
    ref: str | None = None  # the ``id`` of the actor of the actors layer it names, when there is one


@dataclass(slots=True)
class Claim:
    start: int
    end: int
    direct: bool
    source: SourceRef
    cue: Cue
    content: Span
    # What attribution produces: statement (a neutral cue such as "said" with a direct quotation),
    # assertion (a neutral cue with reported speech, or "claimed", "alleged"), and the other kinds of the
    # cue lexicon (lang/en/cues.json): blame, denial, demand, warning, prediction, intention, opinion.
    # A statement or assertion that someone attacked or breached a truce becomes blame with that
    # someone as target (claims stage, ``_accusations``): the ledger's blame matrix counts it.
    kind: str = "statement"
    targets: list[Named] = field(default_factory=list)
    via: list[Named] = field(default_factory=list)
    # The speaker's verbatim words inside the claim: the whole of a direct quotation, or the quoted
    # fragments of a paraphrase (called it "a flagrant breach"), without their quote marks.
    quotes: list[Span] = field(default_factory=list)

    @property
    def id(self) -> str:
        """Its span, its cue's start and its source: two sources' claims over one sentence
        ("Russia and Turkey said...", read as a claim each) stay apart."""
        return span_id("claim", self.start, self.end) + f"@{self.cue.start}/{self.source.start}/{self.source.name}"


@dataclass(slots=True)
class Event:
    start: int
    end: int
    type: str  # PLOVER type or extension (CEASEFIRE, EVACUATE, BESIEGE, DETAIN, KILL)
    status: str  # occurred|ongoing|planned|demanded|prevented|denied|reported|predicted
    text: str = ""
    mode: str | None = None
    acled: str | None = None
    date: str | None = None
    # Where the date comes from: "text" (a governing time expression), "sentence" / "paragraph" (a day
    # its context gives), "report" (a cease-fire agreement the report dates elsewhere), "published" (a past event the text does not date: the publication day, the
    # likeliest day of its window), "bounded" (a planned event: no date, the window below lies after
    # publication). A date whose window below is wider than that day is its likeliest day, no more.
    date_source: str | None = None
    place: str | None = None
    place_id: str | None = None  # the place of the places layer it happened at (its ``id``)
    actors: list[Named] = field(default_factory=list)
    targets: list[Named] = field(default_factory=list)
    claim_id: str | None = None  # the claim that asserts it, when it is only a source's word
    quantity_ids: list[str] = field(default_factory=list)  # the figures it is counted by
    also_types: list[str] = field(default_factory=list)
    place_source: str | None = None  # "text" (its clause or sentence), "anaphor" or "report" (main place)
    brokers: list[Named] = field(default_factory=list)  # who brokered or mediated an agreement (not its parties)
    # The first and last day the happening can lie in (ISO dates): the day, week, month or year the
    # text gives, else on or before publication (past) or after it (planned). None: unbounded.
    date_low: str | None = None
    date_high: str | None = None

    @property
    def id(self) -> str:
        return span_id("event", self.start, self.end) + f"/{self.type}"


def span_id(layer: str, start: int, end: int) -> str:
    """A layer item's id: its layer and its span. Items point at each other by these ids, so a
    reference holds whatever order a stage lists its layer in; the JSON contract's list
    positions (``claim``, ``place_index``, ``quantities``) are written from them at the boundary."""
    return f"{layer}:{start}-{end}"


LAYER_TYPES: dict[str, type] = {
    "actors": Actor,
    "places": Place,
    "times": TimeExpr,
    "quantities": Quantity,
    "claims": Claim,
    "events": Event,
}


def content_id(text: str, outlet: str | None = None, url: str | None = None) -> str:
    """A report's identity: the same text from the same outlet and address is the same report."""
    digest = hashlib.sha256()
    for part in (text, outlet or "", url or ""):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\x00")
    return digest.hexdigest()[:20]


@dataclass
class Report:
    """One report: its text, its metadata, and the layers that stages assign."""

    text: str
    title: str | None = None
    outlet: str | None = None
    published: str | None = None  # ISO date or datetime
    language: str = "en"
    url: str | None = None
    origin: str | None = None  # the file (and line) it was read from
    chrome: list[Span] = field(default_factory=list)  # site chrome set aside from analysis
    notes: list[str] = field(default_factory=list)  # what the reader should know about the reading
    actors: list[Actor] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    times: list[TimeExpr] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    # Working state that stages share; never serialised.
    doc: Any = field(default=None, repr=False, compare=False)
    assigned: set[str] = field(default_factory=set, repr=False, compare=False)
    _sentences: list[Any] | None = field(default=None, repr=False, compare=False)
    _sentence_starts: list[int] | None = field(default=None, repr=False, compare=False)
    # (text, outlet, url, id) when ``id`` was last computed: the pipeline, loader and store read
    # ``id`` about 14 times per report, each a full hash of the text (issue 17); a changed text,
    # outlet or url recomputes it.
    _id_cache: tuple[str, str | None, str | None, str] | None = field(default=None, repr=False, compare=False)
    # layer name -> (the list it was built from, its length, id -> position): rebuilt when the list changes
    _positions: dict[str, tuple[list[Any], int, dict[str, int]]] = field(
        default_factory=dict, repr=False, compare=False)

    METADATA: ClassVar[tuple[str, ...]] = ("title", "outlet", "published", "language", "url", "origin")

    @property
    def id(self) -> str:
        """``content_id`` of the text, outlet and url, computed once while they stay the same.

        Strings are immutable, so the cache holds while the same objects are in place (checked by
        identity, which costs nothing); assigning any of the three makes the next read hash again.
        """
        cached = self._id_cache
        if cached is not None and cached[0] is self.text and cached[1] is self.outlet and cached[2] is self.url:
            return cached[3]
        value = content_id(self.text, self.outlet, self.url)
        self._id_cache = (self.text, self.outlet, self.url, value)
        return value

    @property
    def analysis_text(self) -> str:
        """The text the parser reads: chrome blanked with spaces, so every offset stays valid."""
        if not self.chrome:
            return self.text
        chars = list(self.text)
        for span in self.chrome:
            for i in range(span.start, span.end):
                if chars[i] not in "\r\n":
                    chars[i] = " "
        return "".join(chars)

    def snippet(self, start: int, end: int) -> str:
        return self.text[start:end]

    # -- references between layers, by id ---------------------------------------

    def position(self, layer: str, item_id: str | None) -> int | None:
        """Where the item of this id stands in ``layer`` (the JSON contract's index), or None."""
        if item_id is None:
            return None
        items = getattr(self, layer)
        built = self._positions.get(layer)
        at = built[2].get(item_id) if built is not None and built[0] is items and built[1] == len(items) else None
        if at is not None and items[at].id == item_id:
            return at
        # first use, or the layer changed since (a list replaced, items added, a span moved)
        built = (items, len(items), {item.id: i for i, item in reversed(list(enumerate(items)))})
        self._positions[layer] = built
        return built[2].get(item_id)

    def item(self, layer: str, item_id: str | None) -> Any | None:
        """The item of this id in ``layer`` (``place``, ``claim``...), or None when there is none."""
        at = self.position(layer, item_id)
        return getattr(self, layer)[at] if at is not None else None

    def refer_to_actors(self, names: Iterable[Named]) -> None:
        """Point each name at the actor of the actors layer it names (``Named.ref``), by that
        actor's ``id``; a name no actor carries (a description, "the army") keeps no reference."""
        ids = {actor.name: actor.id for actor in self.actors}
        for named in names:
            named.ref = ids.get(named.name)

    def actor_of(self, named: Named) -> Actor | None:
        return self.item("actors", named.ref)

    def place_of(self, event: Event) -> Place | None:
        return self.item("places", event.place_id)

    def claim_of(self, item: Event | Quantity) -> Claim | None:
        return self.item("claims", item.claim_id)

    def quantities_of(self, event: Event) -> list[Quantity]:
        found = (self.item("quantities", q) for q in event.quantity_ids)
        return [q for q in found if q is not None]

    @property
    def sentences(self) -> list[Any]:
        """The parse's sentences (spaCy spans), listed once per report.

        ``doc.sents`` walks every token each time it is read; stages that ask
        for the sentence of many items must use this list instead.
        """
        if self._sentences is None:
            self._sentences = list(self.doc.sents) if self.doc is not None else []
            self._sentence_starts = [sent.start_char for sent in self._sentences]
        return self._sentences

    def sentence_at(self, char: int) -> Any | None:
        """The parsed sentence containing character offset ``char`` (None without a parse)."""
        sentences = self.sentences
        if not sentences:
            return None
        index = max(bisect_right(self._sentence_starts or [], char) - 1, 0)
        return sentences[index]

    def sentence_around(self, start: int, end: int) -> tuple[int, int]:
        """The sentence(s) holding a span, from the parse when there is one, else by punctuation."""
        first, last = self.sentence_at(start), self.sentence_at(max(end - 1, start))
        if first is not None and last is not None:
            return first.start_char, last.end_char
        left = max(self.text.rfind(c, 0, start) for c in ".!?\n") + 1
        ends = [i for i in (self.text.find(c, end) for c in ".!?\n") if i != -1]
        right = min(ends) + 1 if ends else len(self.text)
        return left, right

    def to_dict(self, with_text: bool = False) -> dict[str, Any]:
        """The JSON contract of DESIGN.md (plus extra keys that keep their meaning), and the text if asked."""
        meta = {
            "id": self.id,
            "title": self.title,
            "outlet": self.outlet,
            "published": self.published,
            "language": self.language,
            "url": self.url,
            "origin": self.origin,
            "chrome": [asdict(s) for s in self.chrome],
            "notes": list(self.notes),
            "length": len(self.text),
        }
        out: dict[str, Any] = {"report": meta}
        for layer in LAYERS:
            out[layer] = [asdict(item) for item in getattr(self, layer)]
        for item, data in zip(self.quantities, out["quantities"]):
            data["claim"] = self.position("claims", item.claim_id)
        for item, data in zip(self.events, out["events"]):
            data["claim"] = self.position("claims", item.claim_id)
            data["place_index"] = self.position("places", item.place_id)
            data["quantities"] = [i for i in (self.position("quantities", q) for q in item.quantity_ids)
                                  if i is not None]
        if with_text:
            out["text"] = self.text
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any], text: str) -> Report:
        """Rebuild a report from ``to_dict`` output and its text (the store keeps them apart)."""
        meta = data.get("report", {})
        report = cls(text=text, **{k: meta.get(k) for k in cls.METADATA if k in meta})
        report.chrome = [Span(**s) for s in meta.get("chrome", [])]
        report.notes = list(meta.get("notes", []))
        for layer, kind in LAYER_TYPES.items():
            setattr(report, layer, [_layer_item(kind, item) for item in data.get(layer, [])])
        _references_from_positions(report, data)
        return report


def _references_from_positions(report: Report, data: dict[str, Any]) -> None:
    """Readings written before layers pointed at each other by id give list positions only."""
    def at(layer: str, index: Any) -> str | None:
        items = getattr(report, layer)
        return items[index].id if isinstance(index, int) and 0 <= index < len(items) else None

    for item, raw in zip(report.quantities, data.get("quantities", [])):
        if "claim_id" not in raw:
            item.claim_id = at("claims", raw.get("claim"))
    for item, raw in zip(report.events, data.get("events", [])):
        if "claim_id" not in raw:
            item.claim_id = at("claims", raw.get("claim"))
        if "place_id" not in raw:
            item.place_id = at("places", raw.get("place_index"))
        if "quantity_ids" not in raw:
            item.quantity_ids = [q for q in (at("quantities", i) for i in raw.get("quantities") or []) if q]


_NESTED: dict[tuple[type, str], type] = {
    (Actor, "mentions"): Span,
    (Claim, "source"): SourceRef,
    (Claim, "cue"): Cue,
    (Claim, "content"): Span,
    (Claim, "targets"): Named,
    (Claim, "via"): Named,
    (Claim, "quotes"): Span,
    (Event, "actors"): Named,
    (Event, "targets"): Named,
    (Event, "brokers"): Named,
}


def _layer_item(kind: type, data: dict[str, Any]) -> Any:
    """Inverse of ``asdict`` for the layer dataclasses (unknown keys are ignored)."""
    values: dict[str, Any] = {}
    for f in fields(kind):
        if f.name not in data:
            continue
        value = data[f.name]
        nested = _NESTED.get((kind, f.name))
        if nested is not None and value is not None:
            value = [nested(**v) for v in value] if isinstance(value, list) else nested(**value)
        values[f.name] = value
    return kind(**values)
