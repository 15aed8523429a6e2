"""The times layer: every time expression with a TIMEX3 value anchored on the publication date.

The grammar and the resolvers live in ``fogwatch.timex`` (pure, testable
without a model). This stage adds what needs the parse:

* the tense of the clause around each expression, so that "will speak
  Wednesday evening" may point forward while "said Tuesday night" points back;
* a veto on bare years that spaCy's entity recogniser reads as counts or money
  ("2000 troops", "$1990").

spaCy's own DATE/TIME entities are not added: on TimeBank/AQUAINT the ones the
grammar misses ("the day", "months", "the full year") carry no value the
resolvers can give, and adding them without one lowered value F1 (78.2 -> 76.7)
for no gain in recognition (relaxed F1 93.4 -> 93.7, measured when both were
tried). The grammar alone beats them: strict/relaxed F1 86.2/94.1 against
spaCy's 77.1/87.8 (``bench/timex.py`` and its ``--spacy-only`` option).
"""

from __future__ import annotations

from datetime import date

from spacy.tokens import Doc, Span, Token

from .. import timex
from ..errors import Errors
from ..lang.en import words
from ..pipeline import register_stage
from ..report import Report, TimeExpr

# Auxiliaries that put a clause in the future; "would" is the future of reported
# speech ("said the father would travel Thursday"). "could" and "might" are left
# out: on TimeBank they sit as often in reported past clauses ("warnings on
# Thursday that strikes could do harm") as in forward-pointing ones.
FUTURE_AUX = words("future_auxiliaries")
PLANNING_LEMMAS = words("planning_verbs", "future")
# Verbs whose object looks ahead from their own time (times lexicon).
PROSPECTIVE_LEMMAS = frozenset(timex.LEXICON["prospective_verbs"])
# Reporting verbs in the present tense report the past ("says Tuesday").
REPORTING_LEMMAS = words("speech_verbs", "reports_past")

# How far up the dependency tree to look for the verb that governs a time
# expression; four steps reach it through prepositions and noun modifiers in
# every TimeBank sentence shape checked, without wandering into the main clause.
MAX_HEAD_STEPS = 4

# spaCy labels under which a four-digit number is a count, not a year.
NOT_A_YEAR = frozenset({"CARDINAL", "MONEY", "QUANTITY", "PERCENT"})

NOTE_NO_ANCHOR = "times: relative time expressions were left unresolved because no publication date was given"


@register_stage
class TimesStage:
    """Assigns ``report.times``; the grammar is compiled once, at import, and shared by every report."""

    name = "times"
    requires = ("chrome", "doc")  # the expressions are found in the analysis text, chrome blanked
    assigns = ("times",)

    def __call__(self, report: Report) -> None:
        anchor, problem = timex.anchor_date(report.published)
        doc = report.doc
        text = report.analysis_text
        cands = [c for c in timex.find_candidates(text) if not _vetoed(c, doc)]
        tenses = (lambda s, e: clause_tense(doc, text, s, e)) if doc is not None else None
        clues = parse_clues(report) if doc is not None else None
        tagged = list(timex.resolve_all(text, cands, anchor, tenses, clues))
        report.times = [_to_expr(t, report.text) for t in tagged]
        _add_notes(report, anchor, problem, any(not t.resolved.anchored for t in tagged))


def time_zone_spans(report: Report) -> list[tuple[int, int]]:
    """Offsets of the zone phrases inside the report's time expressions ("Kyiv time" in "09:00 Kyiv time").

    Every ``report.times`` span already covers its zone; this names the part a
    place name could be read from, for layers that look for places.
    """
    return [span for t in report.times for span in timex.zone_spans(report.text, t.start, t.end)]


def _to_expr(tagged: timex.Tagged, text: str) -> TimeExpr:
    r = tagged.resolved
    return TimeExpr(tagged.start, tagged.end, text[tagged.start : tagged.end], r.value, r.granularity,
                    r.value_to, r.anchored, r.mod)  # fmt: skip


def _add_notes(report: Report, anchor: date | None, problem: str | None, unresolved: bool) -> None:
    """Say why times stayed unresolved: a broken publication date, or none at all (once per report)."""
    notes: list[str] = []
    if problem is not None:
        reason = Errors.E008.message.format(value=report.published, reason=problem)
        notes.append(f"times: {reason}; treated as unknown")
    if anchor is None and unresolved:
        notes.append(NOTE_NO_ANCHOR)
    report.notes.extend(n for n in notes if n not in report.notes)


def _vetoed(cand: timex.Candidate, doc: Doc | None) -> bool:
    """A bare year that the tagger reads as a number of things is not a year."""
    if doc is None or cand.rule != "year":
        return False
    span = doc.char_span(cand.start, cand.end, alignment_mode="expand")
    return span is not None and any(t.ent_type_ in NOT_A_YEAR for t in span)


def parse_clues(report: Report) -> timex.Clues:
    """Sentence starts and past-tense verbs (auxiliaries included), read once per report.

    One pass over the parse serves every expression, where reading ``Token.sent``
    or ``Doc.text`` per expression would rebuild them each time (quadratic on long reports).
    The sentences are the report's own list (``Report.sentences``), shared with the other stages.
    """
    doc = report.doc
    starts = [sent.start_char for sent in report.sentences] if doc.has_annotation("SENT_START") else [0]
    return timex.Clues(starts, [t.idx for t in doc if t.tag_ == "VBD"])


def clause_tense(doc: Doc, text: str, start: int, end: int) -> str | None:
    """past|present|future for the clause that governs the span, from the parse.

    ``text`` is the text the parse was made of (read once by the caller, never
    through ``Doc.text``, which rebuilds it from the tokens on every call). A past
    verb reached only through an infinitive ("ordered them to observe a truce from
    Friday") gives ``timex.PROSPECTIVE_PAST``; one reached through a noun ("the
    truce from Friday was broken"), or a past verb that looks ahead ("suggested
    a truce from Friday", however the parse attaches "from"), ``timex.EMBEDDED_PAST``.
    """
    span: Span | None = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return None
    if text.startswith(("'s", "’s"), end):
        return None  # "Tuesday's ruling": the clause's tense is not the day's
    token: Token = span.root
    between: str | None = None  # what first stands between the span and the tensed verb
    for _ in range(MAX_HEAD_STEPS):
        if token.pos_ in ("VERB", "AUX"):
            tense = _verb_tense(token)
            if tense is not None:
                if tense == "past" and between is None and token.lemma_ in PROSPECTIVE_LEMMAS:
                    between = "noun"  # "suggested a truce from noon Friday": what was suggested may lie ahead
                return _EMBEDDED.get(between, tense) if tense == "past" else tense
            between = between or "verb"  # "ordered them to observe a truce from Friday"
        elif token.pos_ in ("NOUN", "PROPN") and not span.start <= token.i < span.end:
            between = between or "noun"  # "suggested a truce from Friday", "the Oct. 7 attack killed"
        if token.head is token:
            break
        token = token.head
    return None


# A past verb reached through an infinitive looks ahead from its own time; through a
# noun it dates what the noun names, which a boundary word may still put ahead.
_EMBEDDED = {"verb": timex.PROSPECTIVE_PAST, "noun": timex.EMBEDDED_PAST}


def _verb_tense(verb: Token) -> str | None:
    """The tense of one verb, from its auxiliaries and tag; None for an infinitive ("to leave")."""
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    past = verb.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxes)
    if any(a.lower_ in FUTURE_AUX for a in auxes) or (verb.lemma_ in PLANNING_LEMMAS and not past):
        return "future"
    if any(a.lower_ == "to" for a in auxes) and not any(a.tag_ in ("VBD", "VBZ", "VBP") for a in auxes):
        return None
    tags = [verb.tag_] + [a.tag_ for a in auxes]
    if past or (verb.tag_ == "VBN" and not auxes):
        return "past"
    if verb.tag_ in ("VBZ", "VBP") or any(t in ("VBZ", "VBP") for t in tags):
        if verb.lemma_ in REPORTING_LEMMAS or any(a.lemma_ == "have" for a in auxes):
            return "past"
        return "present"
    return None
