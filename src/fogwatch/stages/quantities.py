"""The quantities layer: counts in the text, with their bounds, what is counted and its fate.

Conflict figures are rarely exact ("dozens", "more than 300,000", "up to 50,000"), and
their meaning depends on what is counted (civilians, fighters, buses) and what happened
to them (killed, held, fled). A figure is read as ``low..high`` bounds (None = open),
``unit`` (the counted head noun, plural) and ``status`` (the verb or adjective that
governs the counted noun in the dependency parse).

Bounds of vague forms are documented constants below; dates, times, ages, money,
ordinals and identifiers are not counts and are left out. Percentages are kept with
unit "percent" because casualty shares ("40 percent of the homes") are figures analysts
compare. Whether a figure is asserted by a source is filled in by the events stage
(``claim``), which runs after the claims layer exists.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Token
from spacy.vocab import Vocab

from ..lang.en import modifiers, numbers, words
from ..nlp import doc_text
from ..pipeline import register_stage
from ..report import Quantity, Report

# Bounds of vague counts. "dozens" needs at least two dozen and stays under a hundred;
# "scores" at least two score (40); "hundreds", "thousands"... span one order of
# magnitude; "a handful" is three to six, "a few" two to five, "several" three to nine
# (common dictionary readings; the gold reading of the seed report uses the same
# dozens/scores/hundreds/tens-of-thousands bounds).
VAGUE_BOUNDS: dict[str, tuple[int, int]] = {
    "dozens": (24, 99),
    "scores": (40, 99),
    "hundreds": (100, 999),
    "thousands": (1_000, 9_999),
    "millions": (1_000_000, 9_999_999),
    "billions": (1_000_000_000, 9_999_999_999),
    "handful": (3, 6),
    "few": (2, 5),
    "several": (3, 9),
    "numerous": (10, 99),
}
VAGUE_SCALES = frozenset({"hundreds", "thousands", "millions", "billions"})
# "tens of X", "hundreds of X" as a multiplier of a vague scale word.
VAGUE_MULTIPLIERS: dict[str, tuple[int, int]] = {"tens": (10, 99), "hundreds": (100, 999), "dozens": (24, 99)}
# "about 40" / "some 300": a reported round figure, read as +-10% (journalistic
# rounding is usually to one or two significant digits, which this margin covers).
APPROX_MARGIN = 0.10

UNITS = numbers("count")
SCALES = numbers("scale")

# Prefix modifiers (lower-cased token sequences) -> how they bound the figure.
MODIFIERS = {tuple(phrase.split()): bound for phrase, bound in modifiers("figure").items()}

NON_COUNT_ENTS = frozenset({"DATE", "TIME", "MONEY", "ORDINAL", "QUANTITY"})
TIME_NOUNS = words("time_nouns")
# Measures, not counts: distances, weights, volumes ("a few feet", "500 tonnes"), and the
# idiom "at one point".
MEASURE_NOUNS = words("measure_nouns")
# Things that are "held" as events, not as captives ("several meetings held").
HELD_EVENTS = words("held_event_nouns")
RANGE_CONNECTORS = words("range_connectors")
FIGURE_PREPOSITIONS = words("figure_prepositions")
MONEY_NOUNS = words("currency_nouns")
CURRENCY_SIGNS = frozenset("$€£¥₹")
PERCENT_WORDS = frozenset({"%", "percent", "per", "pct"})
# Nouns that are themselves the fate of people ("12 dead", "40 wounded").
FATE_NOUNS: dict[str, str] = {
    "dead": "dead", "injured": "injured", "wounded": "wounded", "missing": "missing",
    "casualty": "casualties", "fatality": "killed", "death": "killed",
}
IRREGULAR_PLURALS: dict[str, str] = {
    "person": "people", "child": "children", "man": "men", "woman": "women",
    "policeman": "policemen", "gunman": "gunmen", "serviceman": "servicemen", "militiaman": "militiamen",
}

# Verbs that say what happened to what is counted when it is their object / passive subject.
TRANSITIVE_FATES: dict[str, str] = {
    "kill": "killed", "injure": "injured", "wound": "wounded", "evacuate": "evacuated",
    "hold": "held", "detain": "detained", "arrest": "arrested", "displace": "displaced",
    "trap": "trapped", "besiege": "besieged", "capture": "captured", "abduct": "abducted",
    "kidnap": "abducted", "execute": "executed", "rescue": "rescued", "release": "released",
    "free": "released", "massacre": "killed", "slaughter": "killed", "murder": "killed",
    "shoot": "shot", "hurt": "injured", "deport": "deported", "expel": "expelled",
    "imprison": "held", "jail": "held", "strand": "trapped", "starve": "starved", "torture": "tortured",
    "transport": "transported", "bus": "evacuated", "relocate": "displaced", "uproot": "displaced",
    "exchange": "exchanged", "swap": "exchanged", "fly": "transported", "airlift": "evacuated",
    "transfer": "transferred", "repatriate": "repatriated",
}
# Verbs whose subject is what is counted.
INTRANSITIVE_FATES: dict[str, str] = {
    "die": "dead", "flee": "fled", "escape": "fled", "remain": "remaining", "perish": "dead",
    "disappear": "missing", "return": "returned", "leave": "left", "defect": "defected",
    "surrender": "surrendered", "starve": "starved", "drown": "dead",
}
# Nominalisations: "the evacuation of 300 people", "the deaths of 12 children".
NOUN_FATES: dict[str, str] = {
    "evacuation": "evacuated", "death": "dead", "killing": "killed", "execution": "executed",
    "arrest": "arrested", "detention": "detained", "release": "released", "displacement": "displaced",
    "abduction": "abducted", "kidnapping": "abducted", "exodus": "fled", "flight": "fled",
    "massacre": "killed", "rescue": "rescued", "deportation": "deported", "murder": "killed",
}
# Adjectives and participles on the counted noun: "dead bodies", "trapped residents".
ADJ_FATES: dict[str, str] = {
    "dead": "dead", "injured": "injured", "wounded": "wounded", "missing": "missing",
    "displaced": "displaced", "trapped": "trapped", "stranded": "trapped", "remaining": "remaining",
    "detained": "detained", "besieged": "besieged", "homeless": "displaced", "killed": "killed",
    "held": "held", "evacuated": "evacuated", "captured": "captured", "abducted": "abducted",
}
SUBJECT_DEPS = frozenset({"nsubj"})
PATIENT_DEPS = frozenset({"dobj", "nsubjpass", "obj"})
# Fates that only people suffer: a bare figure with one of them counts people.
PEOPLE_FATES = words("people_fates")
# How far above a bare figure "toll" may sit ("toll" <- "rose" <- "to" <- "45" is three).
TOLL_DEPTH = 3
RANGE_TOKEN_RE = re.compile(r"^(\d[\d,]*(?:\.\d+)?)[-–](\d[\d,]*(?:\.\d+)?)$")
YEAR_RE = re.compile(r"^(1[5-9]\d\d|20\d\d)s?$")
NUMBER_RE = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$|^\d+(\.\d+)?$")
# Window (tokens) between a figure and the head noun it counts; noun phrases in
# news copy rarely put more than four modifiers before the head.
MAX_NOUN_GAP = 6


@dataclass(slots=True)
class Figure:
    """A matched figure before its noun is found: token range and bounds."""

    start: int  # token index, modifier included
    end: int  # token index after the figure
    low: float | None
    high: float | None
    vague: bool
    counted_via_of: bool  # "hundreds of X", "tens of thousands of X"


def _word_value(token: Token) -> int | None:
    low = token.lower_
    if low in UNITS:
        return UNITS[low]
    if NUMBER_RE.match(low):
        number = float(low.replace(",", ""))
        return int(number) if number.is_integer() else number  # type: ignore[return-value]
    return None


def _read_number(doc: Doc, i: int) -> tuple[float, int] | None:
    """An exact number at token ``i``: "82", "300,000", "1.5 million", "twenty-five", "a dozen"."""
    if i >= len(doc):
        return None
    first = doc[i]
    if first.lower_ in {"a", "one"} and i + 1 < len(doc) and doc[i + 1].lower_ in SCALES:
        current: float = SCALES[doc[i + 1].lower_]
        j = i + 2
    else:
        value = _word_value(first)
        if value is None or first.lower_ == "dozen":
            return None
        current, j = float(value), i + 1
    total = 0.0
    while j < len(doc):
        low = doc[j].lower_
        joined = low in {"-", "and"} and j + 1 < len(doc) and doc[j + 1].lower_ in UNITS
        if low in SCALES:
            current *= SCALES[low]
            if SCALES[low] >= 1000:
                total, current = total + current, 0.0
            j += 1
        elif joined and (current % 10 == 0 and 20 <= current < 100 or current % 100 == 0 and current):
            current += UNITS[doc[j + 1].lower_]
            j += 2
        elif low in UNITS and low != "dozen" and current % 100 == 0 and current >= 100:
            current += UNITS[low]
            j += 1
        else:
            break
    return total + current, j


def _read_vague(doc: Doc, i: int) -> tuple[float, float, int] | None:
    """A vague count at token ``i``: "dozens", "tens of thousands", "a handful", "several hundred"."""
    low = doc[i].lower_
    nxt = doc[i + 1].lower_ if i + 1 < len(doc) else ""
    after = doc[i + 2].lower_ if i + 2 < len(doc) else ""
    if low in VAGUE_MULTIPLIERS and nxt == "of" and after in VAGUE_SCALES:
        m_low, m_high = VAGUE_MULTIPLIERS[low]
        base = VAGUE_BOUNDS[after][0]
        return m_low * base, (m_high + 1) * base - 1, i + 3
    if low == "a" and nxt in {"handful", "few"}:
        b_low, b_high = VAGUE_BOUNDS[nxt]
        scale = SCALES.get(after)
        if scale:
            return b_low * scale, b_high * scale, i + 3
        return b_low, b_high, i + 2
    if low in {"several", "numerous"} and nxt in SCALES:
        b_low, b_high = VAGUE_BOUNDS[low]
        return b_low * SCALES[nxt], b_high * SCALES[nxt], i + 2
    if low == "several" and nxt == "dozen":
        return 24, 99, i + 2
    if low in VAGUE_BOUNDS and low not in {"handful", "few"}:
        return (*VAGUE_BOUNDS[low], i + 1)
    return None


_MODIFIER_MATCHERS: dict[int, PhraseMatcher] = {}


def _modifier_matcher(vocab: Vocab) -> PhraseMatcher:
    """One lower-case PhraseMatcher over the bounding phrases, labelled by their bound, per vocabulary."""
    matcher = _MODIFIER_MATCHERS.get(id(vocab))
    if matcher is None:
        matcher = PhraseMatcher(vocab, attr="LOWER")
        for words, bound in MODIFIERS.items():
            matcher.add(bound, [Doc(vocab, words=list(words))])
        _MODIFIER_MATCHERS[id(vocab)] = matcher
    return matcher


def modifiers_in(doc: Doc) -> dict[int, tuple[str, int]]:
    """The bounding phrase that starts at each token ("at least", "more than"): its bound and the
    token after it, the longest where two start together ("no more than" over "no")."""
    found: dict[int, tuple[str, int]] = {}
    for label, start, end in _modifier_matcher(doc.vocab)(doc):
        if start not in found or end > found[start][1]:
            found[start] = (doc.vocab.strings[label], end)
    return found


def _bounds(kind: str | None, value: float) -> tuple[float | None, float | None]:
    """Bounds of an exact figure under a modifier; "more than N" means N+1 for whole numbers."""
    step = 1 if float(value).is_integer() else 0
    if kind == "min":
        return value, None
    if kind == "above":
        return value + step, None
    if kind == "max":
        return None, value
    if kind == "below":
        return None, value - step
    if kind == "nearly":
        return math.floor(round(value * (1 - APPROX_MARGIN), 6)), value
    if kind == "approx":
        return math.floor(round(value * (1 - APPROX_MARGIN), 6)), math.ceil(round(value * (1 + APPROX_MARGIN), 6))
    return value, value


def _range_end(doc: Doc, j: int) -> tuple[float, int] | None:
    """The upper figure of "15,000 to 40,000", "15,000-40,000", "two or three"."""
    if j + 1 < len(doc) and doc[j].lower_ in RANGE_CONNECTORS:
        return _read_number(doc, j + 1)
    return None


def _normalise(value: float) -> float:
    return int(value) if float(value).is_integer() else value


# Words a figure can start with; any other token is skipped without trying a match.
FIRST_WORDS = frozenset({k[0] for k in MODIFIERS} | set(UNITS) | set(VAGUE_BOUNDS) | set(VAGUE_MULTIPLIERS) | {"a"})


def match_figure(doc: Doc, i: int, bounding: dict[int, tuple[str, int]]) -> Figure | None:
    """The figure starting at token ``i`` (modifier, number or vague word, optional range);
    ``bounding`` is ``modifiers_in(doc)``."""
    first = doc[i]
    if first.lower_ not in FIRST_WORDS and not first.text[:1].isdigit():
        return None
    kind = None
    core = i
    found = bounding.get(i)
    if found:
        kind, core = found
    if core >= len(doc):
        return None
    between = doc[core - 1].lower_ == "between" if core > 0 else False
    vague = _read_vague(doc, core)
    if vague:
        v_low, v_high, end = vague
        low, high = v_low, v_high
        if kind in {"min", "above"}:
            high = None
        elif kind in {"max", "below"}:
            low = None
        return Figure(i, end, low, high, True, end < len(doc) and doc[end].lower_ == "of")
    joined = RANGE_TOKEN_RE.match(doc[core].text)
    if joined:  # "10-15" as one token
        low_v, high_v = (float(g.replace(",", "")) for g in joined.groups())
        if high_v > low_v:
            return Figure(i, core + 1, _normalise(low_v), _normalise(high_v), kind is not None, False)
    exact = _read_number(doc, core)
    if not exact:
        return None
    value, end = exact
    upper = _range_end(doc, end)
    if upper and (upper[0] > value or between):
        return Figure(i, upper[1], _normalise(value), _normalise(upper[0]), kind is not None, False)
    low, high = _bounds(kind, value)
    low = _normalise(low) if low is not None else None
    high = _normalise(high) if high is not None else None
    via_of = end < len(doc) and doc[end].lower_ == "of" and doc[core].lower_ in SCALES
    return Figure(i, end, low, high, kind in {"nearly", "approx"}, via_of)


def _is_non_count(doc: Doc, fig: Figure, counts_things: bool) -> bool:
    """Dates, times, money, ages, ordinals, years and identifiers are not counts. The
    tagger's DATE/TIME label is trusted only when no counted noun follows: "between
    10-15 people" is sometimes tagged as a date."""
    core = doc[fig.start : fig.end]
    if not counts_things and any(t.ent_type_ in NON_COUNT_ENTS for t in core if t.like_num or t.lower_ in UNITS):
        return True
    if any(t.ent_type_ == "MONEY" for t in core):
        return True
    if fig.start >= 2 and doc[fig.start - 1].text in {"-", "–"} and doc[fig.start - 2].like_num:
        return True  # the second half of a score or code: "3-1"
    before = doc[fig.start - 1] if fig.start > 0 else None
    if before is not None and (before.text in CURRENCY_SIGNS or before.text[-1:] in CURRENCY_SIGNS):
        return True
    after = [t.lower_ for t in doc[fig.end : fig.end + 3]]
    if after[:1] == ["-"] and after[1:2] and after[1] in TIME_NOUNS:
        return True  # "12-year-old", "five-day truce"
    if len(core) == 1 and YEAR_RE.match(core[0].text) and after[:1] != ["%"]:
        return True
    bare_digits = len(core) == 1 and core[0].is_digit
    if before is not None and before.pos_ == "PROPN" and fig.start > before.sent.start and bare_digits:
        return True  # "Resolution 2254", "Route 5"
    return before is not None and before.lower_ in {"aged", "age", "no.", "number"}


def _plural(token: Token) -> str:
    if token.tag_ in {"NNS", "NNPS"} or token.lower_ == "people":
        return token.lower_
    lemma = token.lemma_.lower()
    if lemma in IRREGULAR_PLURALS:
        return IRREGULAR_PLURALS[lemma]
    if lemma.endswith(("s", "x", "ch", "sh")):
        return lemma + "es"
    if lemma.endswith("y") and lemma[-2:-1] not in set("aeiou"):
        return lemma[:-1] + "ies"
    return lemma + "s"


def _counted_noun(doc: Doc, fig: Figure) -> Token | None:
    """The head noun of what is counted, from the parse, with a short linear fallback."""
    last = doc[fig.end - 1]
    if fig.counted_via_of and fig.end + 1 < len(doc):
        of = doc[fig.end]
        objs = [c for c in of.children if c.dep_ == "pobj"]
        if objs and objs[0].pos_ in {"NOUN", "PROPN", "ADJ"}:
            return objs[0]
    head = last.head
    if head.i >= fig.end and head.i - fig.end < MAX_NOUN_GAP and head.pos_ in {"NOUN", "ADJ"}:
        return head
    for tok in doc[fig.end : min(len(doc), fig.end + MAX_NOUN_GAP)]:
        if tok.is_punct or tok.pos_ in {"VERB", "AUX", "ADP", "CCONJ", "PRON", "NUM"} and tok.lower_ != "of":
            break
        if tok.pos_ == "NOUN" and tok.dep_ != "compound" or tok.lower_ in FATE_NOUNS:
            return tok  # "nine of the dead"
    return None


def _phrase_head(fig_tokens: list[Token], noun: Token | None) -> Token:
    """The top token of the quantity's noun phrase (what the clause governs)."""
    members = {t.i for t in fig_tokens}
    if noun is not None:
        members.add(noun.i)
        members.update(t.i for t in noun.ancestors if t.i >= fig_tokens[0].i and t.i <= noun.i)
    for tok in [*([noun] if noun is not None else []), *fig_tokens]:
        if tok.head.i not in members or tok.head.i == tok.i:
            return tok
    return fig_tokens[-1]


def _fate_of_governor(head: Token) -> str | None:
    """What the clause says happened to the phrase headed by ``head``."""
    while head.dep_ == "conj" and head.head.i != head.i:
        head = head.head  # "40 children and scores of civilians were wounded"
    gov = head.head
    if head.dep_ == "pobj" and gov.dep_ == "prep":
        if gov.lower_ == "of" and gov.head.lemma_.lower() in NOUN_FATES:
            return NOUN_FATES[gov.head.lemma_.lower()]
        if _opens_the_figure(gov, head):
            return _fate_in_clause(_role_before_or_after(gov), gov.head)
        return None
    if gov.i == head.i:
        return None
    return _fate_in_clause(head.dep_, gov)


def _opens_the_figure(prep: Token, noun: Token) -> bool:
    """ "Between 10-15 people were hurt", parsed as a preposition governing 'people': the
    preposition opens the figure (a number follows it directly) and hangs on the verb."""
    return (prep.lower_ in FIGURE_PREPOSITIONS and prep.i + 1 < noun.i and prep.nbor().like_num
            and prep.head.i != prep.i and prep.head.pos_ in ("VERB", "AUX"))


def _role_before_or_after(prep: Token) -> str:
    """The role the figure's phrase plays for the verb the preposition hangs on: its subject
    before the verb (passive where the verb has a passive auxiliary), its object after it."""
    verb = prep.head
    if prep.i > verb.i:
        return "dobj"
    return "nsubjpass" if any(c.dep_ == "auxpass" for c in verb.children) else "nsubj"


def _fate_in_clause(dep: str, gov: Token) -> str | None:
    """The fate a clause's verb ``gov`` gives the phrase that fills role ``dep``."""
    lemma = gov.lemma_.lower()
    if dep in PATIENT_DEPS and lemma in TRANSITIVE_FATES:
        return TRANSITIVE_FATES[lemma]
    if dep in PATIENT_DEPS:
        # "the blast left 12 people dead": the object's predicate says its fate
        predicate = next((c for c in gov.children if c.dep_ == "oprd" and c.lower_ in ADJ_FATES), None)
        if predicate is not None:
            return ADJ_FATES[predicate.lower_]
    if dep in SUBJECT_DEPS and gov.tag_ == "VBN" and gov.dep_ == "ccomp" and lemma in TRANSITIVE_FATES \
            and not any(c.dep_ in {"aux", "auxpass"} for c in gov.children):
        return TRANSITIVE_FATES[lemma]  # "left 20 people injured", parsed as a clause of its own
    if dep in SUBJECT_DEPS:
        for child in gov.children:
            if child.dep_ in {"acomp", "oprd"} and child.lower_ in ADJ_FATES:
                return ADJ_FATES[child.lower_]
            if child.dep_ == "xcomp" and child.lemma_.lower() in INTRANSITIVE_FATES:
                return INTRANSITIVE_FATES[child.lemma_.lower()]
        if lemma in INTRANSITIVE_FATES:
            return INTRANSITIVE_FATES[lemma]
    return None


def _fate_of_noun(noun: Token) -> str | None:
    for child in noun.children:
        if child.dep_ in {"amod", "acl"} and child.lower_ in ADJ_FATES:
            return ADJ_FATES[child.lower_]
        if child.dep_ == "acl" and child.lemma_.lower() in TRANSITIVE_FATES and child.tag_ == "VBN":
            return TRANSITIVE_FATES[child.lemma_.lower()]
    return None


def _unit_and_status(doc: Doc, fig: Figure, is_percent: bool) -> tuple[Token | None, str | None, str | None]:
    noun = None if is_percent else _counted_noun(doc, fig)
    unit = "percent" if is_percent else None
    status = None
    if noun is not None:
        fate = FATE_NOUNS.get(noun.lower_) or FATE_NOUNS.get(noun.lemma_.lower())
        if fate and noun.lemma_.lower() not in {"death", "fatality", "casualty"}:
            unit, status = "people", fate
        else:
            unit = _plural(noun)
            if noun.lemma_.lower() in {"death", "fatality"}:
                status = "killed"
        status = status or _fate_of_noun(noun)
    head = _phrase_head(list(doc[fig.start : fig.end]), noun)
    status = status or _fate_of_governor(head)
    if status == "held" and noun is not None and noun.lemma_.lower() in HELD_EVENTS:
        status = None
    if noun is None and not is_percent:
        if status is None and _is_toll(head):
            status = "killed"
        if status in PEOPLE_FATES:
            unit = "people"  # "at least 30 were killed", "the toll rose to 45"
    return noun, unit, status


def _is_toll(head: Token) -> bool:
    """ "the death toll rose to 45", "a toll of 45": a bare figure that counts the dead."""
    for anc in [head, *list(head.ancestors)[:TOLL_DEPTH]]:
        if anc.lemma_.lower() == "toll" or any(c.lemma_.lower() == "toll" for c in anc.children if c.dep_ == "nsubj"):
            return True
    return False


def find_quantities(doc: Doc) -> list[Quantity]:
    """Every count in a parsed text, left to right, non-overlapping."""
    out: list[Quantity] = []
    i = 0
    text = doc_text(doc)
    bounding = modifiers_in(doc)
    while i < len(doc):
        fig = match_figure(doc, i, bounding)
        if fig is None or fig.end <= i:
            i += 1
            continue
        after = doc[fig.end].lower_ if fig.end < len(doc) else ""
        is_percent = after in PERCENT_WORDS
        noun, unit, status = _unit_and_status(doc, fig, is_percent)
        noun_lemma = noun.lemma_.lower() if noun is not None else ""
        if noun_lemma in TIME_NOUNS or noun_lemma in MONEY_NOUNS or noun_lemma in MEASURE_NOUNS:
            i = fig.end
            continue
        if _is_non_count(doc, fig, noun is not None and noun.i >= fig.end):
            i += 1
            continue
        end_tok = doc[fig.end] if is_percent else (noun if noun is not None and noun.i >= fig.end else doc[fig.end - 1])
        start_char = doc[fig.start].idx
        end_char = end_tok.idx + len(end_tok.text)
        out.append(Quantity(start_char, end_char, text[start_char:end_char], fig.low, fig.high, unit, status, fig.vague))
        i = max(fig.end, (noun.i + 1) if noun is not None and noun.i >= fig.end else fig.end)
    return out


@register_stage
class QuantitiesStage:
    name = "quantities"
    requires = ("doc",)
    assigns = ("quantities",)

    def __call__(self, report: Report) -> None:
        report.quantities = find_quantities(report.doc) if report.doc is not None else []
