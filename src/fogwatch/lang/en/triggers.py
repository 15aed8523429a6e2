"""The event trigger lexicon and its lookup: which words name an event, of what type.

Two stages read it: the events stage finds events with it, and the claims stage asks whether a
noun names an event (an accusation's act). It lives here, outside both, so that no stage imports
another.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Token

from ...paths import PACKAGE_DATA

TRIGGERS_FILE = PACKAGE_DATA / "events_triggers.tsv"

NOMINAL_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "conj"})  # a gerund used as a noun


@dataclass(frozen=True, slots=True)
class Trigger:
    """A lexicon entry."""

    type: str
    mode: str | None
    fine: str | None
    kind: str


@lru_cache(maxsize=1)
def load_triggers() -> dict[tuple[str, str], Trigger]:
    """The trigger lexicon, keyed by (lemma or two-word key, pos: V/N/A/*)."""
    table: dict[tuple[str, str], Trigger] = {}
    with TRIGGERS_FILE.open(encoding="utf-8") as handle:
        rows = csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t")
        for row in rows:
            mode = None if row["mode"] == "-" else row["mode"]
            fine = None if row["acled"] == "-" else row["acled"]
            table[(row["trigger"], row["pos"])] = Trigger(row["type"], mode, fine, row["kind"])
    return table


def pos_class(token: Token) -> str:
    """The class a token is looked up under in the trigger table: V, N, A (a modifier), or "" for none."""
    if token.pos_ == "VERB" and token.dep_ not in {"nsubj", "nsubjpass", "dobj", "pobj", "amod", "compound"}:
        return "V"
    if token.pos_ in {"NOUN", "PROPN"} or token.tag_ == "VBG" and token.dep_ in NOMINAL_DEPS:
        return "N"
    if token.tag_ == "VBG" and token.dep_ == "amod" and token.i > token.head.i:
        return "N"  # "Artillery shelling continued", parsed as a modifier after its noun: a noun compound
    if token.pos_ in {"ADJ", "VERB"} and token.dep_ in {"amod", "acl"}:
        return "A"
    if token.pos_ == "ADJ" and token.dep_ in {"dobj", "nsubj", "nsubjpass"}:
        return "N"  # "launched a new offensive": an argument is a noun whatever its tag
    return ""


def _keys(token: Token) -> list[str]:
    """Lookup keys for a token: two-word compounds first, then the lemma."""
    lemma = token.lemma_.lower()
    keys: list[str] = []
    doc = token.doc
    if token.i >= 2 and doc[token.i - 1].text in {"-", "‐"}:
        keys.append(f"{doc[token.i - 2].lower_} {lemma}")
    for child in token.lefts:
        if child.dep_ in {"compound", "amod", "nmod"}:
            keys.append(f"{child.lower_} {lemma}")
    for child in token.rights:
        if child.dep_ in {"prep", "prt"} and child.lower_ in {"for", "apart", "down", "out", "over", "on"}:
            keys.append(f"{lemma} {child.lower_}")
        elif child.dep_ == "dobj":
            keys.append(f"{lemma} {child.lemma_.lower()}")  # "set fire", "open fire", "lay siege"
    keys.append(lemma)
    keys.append(token.lower_)
    return keys


def lookup(token: Token) -> Trigger | None:
    """The lexicon entry that fits this token in its use, if any."""
    cls = pos_class(token)
    if not cls:
        return None
    table = load_triggers()
    for key in _keys(token):
        for pos in (cls, "*"):
            entry = table.get((key, pos))
            if entry is not None and (cls != "A" or entry.kind == "state"):
                return entry
    return None
