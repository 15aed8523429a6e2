"""ACLED/CASE fine event types from cue words and the shipped hashed-feature model."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Span, Token

from ...lang.en import words
from ...ontology import FALLBACK_FINE
from .context import Context
from .lexicon import FINE_CUES_FILE
from .triggers import Found


def _below(tok: Token, heads: set[int], steps: int) -> bool:
    """Whether one of ``heads`` is at most ``steps`` dependency steps above ``tok``."""
    for _ in range(steps + 1):
        if tok.i in heads:
            return True
        if tok.head == tok:
            return False
        tok = tok.head
    return False


def _fine(ctx: Context, item: Found, event_type: str) -> str | None:
    """ACLED sub-type: the trigger's own, refined by the weapon words of its sentence."""
    fine = item.entry.fine
    if event_type in {"ASSAULT", "KILL"}:
        sent = item.token.sent
        if sent.start not in ctx.sentence_fine:
            ctx.sentence_fine[sent.start] = fine_from_context(sent)
        refined = ctx.sentence_fine[sent.start]
        if refined is not None and (fine in {None, "ATTACK", "ARMED_CLASH"}):
            fine = refined
    if event_type == "CEASEFIRE":
        fine = "AGREEMENT" if item.mode == "agreed" else None
    return fine


@dataclass(frozen=True, slots=True)
class FineCue:
    """A cue word or phrase for a fine (ACLED / CASE) event type."""

    words: tuple[str, ...]
    code: str
    weight: int
    group: str | None


@lru_cache(maxsize=1)
def load_fine_cues() -> dict[str, list[FineCue]]:
    """The fine-type cue lexicon, keyed by the cue's first word."""
    table: dict[str, list[FineCue]] = {}
    with FINE_CUES_FILE.open(encoding="utf-8") as handle:
        rows = csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t")
        for row in rows:
            words = tuple(row["cue"].split())
            group = None if row["group"] == "-" else row["group"]
            table.setdefault(words[0], []).append(FineCue(words, row["code"], int(row["weight"]), group))
    return table


def fine_scores(tokens: Iterable[Token]) -> tuple[Counter[str], set[str]]:
    """Cue weight per fine type over some tokens (each cue counted once), and the cue groups seen."""
    forms = [(t.lower_, t.lemma_.lower()) for t in tokens if not t.is_space]
    cues = load_fine_cues()
    matched: set[FineCue] = set()
    scores: Counter[str] = Counter()
    groups: set[str] = set()
    for i, pair in enumerate(forms):
        for cue in {c for key in set(pair) for c in cues.get(key, [])} - matched:
            tail = forms[i + 1 : i + len(cue.words)]
            if len(tail) == len(cue.words) - 1 and all(w in f for w, f in zip(cue.words[1:], tail)):
                matched.add(cue)
                scores[cue.code] += cue.weight
                if cue.group:
                    groups.add(cue.group)
    return scores, groups

# Protest sub-types from what accompanies a protest: lethal force outranks a riot, which
# outranks police intervention (ACLED codes the most severe element of the event).
PROTEST_ORDER: tuple[tuple[str, str], ...] = (
    ("force", "FORCE_AGAINST_PROTEST"),
    ("riot", "VIOL_DEMONSTR"),
    ("intervention", "PROTEST_WITH_INTER"),
)

# When cue weights tie, the more specific type wins (weapon-specific before generic).
FINE_PRIORITY: tuple[str, ...] = (
    "SUIC_BOMB", "CHEM_WEAP", "GRENADE", "SEX_VIOL", "REM_EXPLOS", "AIR_STRIKE", "ART_MISS_ATTACK",
    "NATURAL_DISASTER", "MAN_MADE_DISASTER", "ATTRIB", "ORG_CRIME", "ABDUCT_DISSAP", "DISR_WEAP",
    "GOV_REGAINS_TERIT", "NON_STATE_ACTOR_OVERTAKES_TER", "NON_VIOL_TERRIT_TRANSFER", "HQ_ESTABLISHED",
    "MOB_VIOL", "VIOL_DEMONSTR", "FORCE_AGAINST_PROTEST", "PROTEST_WITH_INTER", "PEACE_PROTEST",
    "PROPERTY_DISTRUCT", "ARREST", "AGREEMENT", "CHANGE_TO_GROUP_ACT", "DIPLO", "ARMED_CLASH", "ATTACK", "OTHER",
)


def classify_fine(tokens: Iterable[Token], allowed: frozenset[str] | None = None) -> str | None:
    """The fine (ACLED / CASE) type that the cue words of a text point at; None without cues
    when ``allowed`` restricts the choice, else the fallback type."""
    scores, groups = fine_scores(tokens)
    if allowed is not None:
        scores = Counter({k: v for k, v in scores.items() if k in allowed})
    if "protest" in groups and (allowed is None or "PEACE_PROTEST" in allowed):
        return next((code for group, code in PROTEST_ORDER if group in groups), "PEACE_PROTEST")
    if not scores:
        return None if allowed is not None else FALLBACK_FINE
    return max(scores, key=lambda code: (scores[code], -FINE_PRIORITY.index(code)))

VIOLENT_FINE = frozenset({
    "AIR_STRIKE", "ART_MISS_ATTACK", "REM_EXPLOS", "GRENADE", "SUIC_BOMB", "CHEM_WEAP", "SEX_VIOL",
    "ABDUCT_DISSAP", "MOB_VIOL", "ARMED_CLASH", "ATTACK", "PROPERTY_DISTRUCT",
})


def fine_from_context(sent: Span) -> str | None:
    """The violent ACLED sub-type that a sentence's weapon words point at (None without one)."""
    return classify_fine(sent, VIOLENT_FINE - {"ATTACK", "ARMED_CLASH"})
