"""An event's status from the dependency path above its trigger: planned, demanded, denied..."""

from __future__ import annotations

from spacy.tokens import Token

from .lexicon import (
    CLAUSE_BOUNDARIES, CONDITION_MARKS, CONTINUE_VERBS, DEMAND_HEADS, DENY_HEADS, ENDING_VERBS, MAX_WALK,
    OFFER_REFUSALS,
    MODAL_STATUS,
    ONGOING_ADVERBS, ORDER_HEADS, PACT_HEAD_NOUNS, PLANNED_HEADS, PREDICT_HEADS, PRESUPPOSING_MARKS,
    PRESUPPOSING_PREPS, PREVENT_HEADS, SPEECH_HEADS, SPEECH_NOUNS, SUBJECT_DEPS, TRUCE_WORDS,
)
from .syntax import _across_paragraphs, _child, _infinitive, _negated, _participle_on_noun


def _ordered(anchor: Token) -> bool:
    """Whether the first demand above ``anchor`` is an order (not a call, a plea or a request)."""
    for head in list(anchor.ancestors)[:MAX_WALK]:
        lemma = head.lemma_.lower()
        if lemma in DEMAND_HEADS:
            return lemma in ORDER_HEADS
    return False


def modality(anchor: Token, trigger: Token, breaks: list[int], in_headline: bool = False,
             public_act: bool = False) -> str | None:
    """Status from the path above ``anchor``; None when the event is negated or hypothetical.
    ``breaks`` are the offsets of the report's blank lines (see ``paragraph_breaks``). With
    ``public_act`` (a truce, a deal, talks): one the sentence takes as given ("announced after
    talks") is not made reported by the speech verb above it, and one that is rejected or
    dismissed was still made (the rejection is an event of its own, not a denial that it was)."""
    if _negated(trigger) and trigger != anchor:
        return None
    if trigger.dep_ == "amod" and trigger == anchor:
        return "ongoing"  # "besieged districts": a state the sentence presupposes
    if trigger == anchor and _purpose_clause(trigger) and not _negated(trigger):
        return "planned"  # purpose: "travelled to Riyadh to discuss a truce"
    if trigger == anchor and trigger.dep_ in {"acl", "relcl"} and _infinitive(trigger):
        return "planned"  # what a noun is for: "a cease-fire to evacuate civilians"
    if trigger == anchor and any(c.dep_ in {"acl", "relcl"} and _infinitive(c) for c in trigger.children):
        return "planned"  # "a meeting to be held in Moscow", "talks to take place" (not "a truce to ... collapsed")
    cur = anchor
    from_dep = ""
    previous = anchor
    given = False
    for step in range(MAX_WALK):
        if _negated(cur):
            if step and cur.lemma_.lower() in ENDING_VERBS and from_dep in SUBJECT_DEPS | {"dobj"}:
                return "ongoing"  # "the siege has not been lifted": it goes on
            return None
        marks = {c.lower_ for c in cur.children if c.dep_ == "mark"}
        if marks & CONDITION_MARKS:
            return None
        governed = _governing_status(cur, from_dep, previous) if step else None
        if public_act and governed == "denied" and cur.lemma_.lower() in OFFER_REFUSALS:
            governed = None  # "Kinshasa dismissed a ceasefire declared by M23": the truce was declared
        if governed is not None and not (governed == "reported" and given and public_act):
            return governed
        for aux in (c for c in cur.children if c.dep_ in {"aux", "auxpass"}):
            if aux.lower_ in MODAL_STATUS:
                return MODAL_STATUS[aux.lower_]
            if aux.lower_ == "to" and cur.head.lemma_.lower() == "be" and cur.dep_ == "xcomp":
                return "planned"  # "were to be evacuated"
        if "before" in marks and cur.tag_ in {"VBP", "VBZ"}:
            return "planned"  # "before first evacuations take place"
        if any(c.dep_ == "advmod" and c.lower_ == "reportedly" for c in cur.children):
            return "reported"
        if cur.head == cur or cur.dep_ in CLAUSE_BOUNDARIES and cur.dep_ != "conj" or _across_paragraphs(cur, cur.head, breaks):
            break
        if _participle_on_noun(cur):
            break  # "the order, quickly dismissed by Kyiv": the noun does not govern what befell it
        given = given or _presupposing_link(cur)
        from_dep = cur.dep_
        previous = cur
        cur = cur.head
    return _aspect(anchor, trigger, in_headline)


def presupposed(anchor: Token) -> bool:
    """Whether the sentence takes the event as given ("after ten hours of talks", "within minutes
    of the truce taking effect", "the agreement that took effect at dawn"): a presupposition
    holds outside the reported speech around it, so a source's claim does not make it reported."""
    cur = anchor
    for _ in range(MAX_WALK):
        if _presupposing_link(cur):
            return True
        if cur.head == cur or cur.dep_ in CLAUSE_BOUNDARIES and cur.dep_ != "conj":
            return False
        cur = cur.head
    return False


def _presupposing_link(tok: Token) -> bool:
    """``tok`` hangs from its head by a link that presupposes it: the object of "after",
    "despite" or "within", a past clause opened by "after" or "once", or a past relative clause
    on an agreement ("the deal that was signed")."""
    if tok.dep_ in {"pobj", "pcomp"}:
        return tok.head.lower_ in PRESUPPOSING_PREPS
    past = tok.tag_ in {"VBD", "VBN"} and not any(c.lower_ in MODAL_STATUS for c in tok.children if c.dep_ == "aux")
    if tok.dep_ == "advcl":
        return past and any(c.dep_ == "mark" and c.lower_ in PRESUPPOSING_MARKS for c in tok.children)
    if tok.dep_ == "relcl":
        return past and tok.head.lemma_.lower() in PACT_HEAD_NOUNS | TRUCE_WORDS
    return False


def _purpose_clause(verb: Token) -> bool:
    """An infinitive adverbial clause: "... to discuss a truce"."""
    return verb.tag_ == "VB" and verb.dep_ == "advcl" and any(c.lower_ == "to" and c.dep_ == "aux" for c in verb.children)


def _governing_status(cur: Token, from_dep: str, complement: Token) -> str | None:
    """The status a head word gives the event in its complement (not its subject, nor a
    coordinated sibling event). A warning about what happened ("warned that fighting continued
    on Monday") reports it; only one about what may come predicts."""
    if from_dep == "prep" and complement.lower_ in PRESUPPOSING_PREPS:
        return None  # "agreed a truce after talks in Kunming": the talks are no complement of "agreed"
    lemma = cur.lemma_.lower()
    xcomp = _child(cur, {"xcomp"})
    if from_dep in SUBJECT_DEPS and lemma == "be" and xcomp is not None and _infinitive(xcomp):
        return "planned"  # "the meeting is to be held"
    if from_dep in SUBJECT_DEPS and xcomp is not None:
        # Raising: "evacuations were set to begin", "the talks failed to start".
        for heads, status in ((PREVENT_HEADS, "prevented"), (PREDICT_HEADS, "predicted"), (PLANNED_HEADS, "planned")):
            if lemma in heads:
                return status
    if from_dep in SUBJECT_DEPS or from_dep == "conj":
        return None
    if lemma in PREDICT_HEADS and from_dep == "ccomp" and _past(complement):
        return "reported"
    for heads, status in ((PREVENT_HEADS, "prevented"), (DENY_HEADS, "denied"), (DEMAND_HEADS, "demanded"),
                          (PREDICT_HEADS, "predicted"), (PLANNED_HEADS, "planned")):
        if lemma in heads:
            return status
    if lemma in SPEECH_HEADS or lemma in SPEECH_NOUNS and cur.pos_ == "NOUN":
        return "reported"
    return None


def _aspect(anchor: Token, trigger: Token, in_headline: bool) -> str:
    """Ongoing for progressive, continuing, habitual or present-tense events (a headline's
    present tense reports the past), else occurred."""
    verb = anchor if anchor.pos_ in {"VERB", "AUX"} else trigger.head
    if verb.tag_ in {"VBP", "VBZ"} and not in_headline and verb == anchor and not _child(verb, {"aux", "auxpass"}):
        return "ongoing"
    auxes = {c.lower_ for c in verb.children if c.dep_ in {"aux", "auxpass"}}
    if verb.tag_ == "VBG" and auxes & {"is", "are", "am", "was", "were", "been", "be", "'re", "'s"}:
        return "ongoing"
    if "being" in auxes or verb.lemma_.lower() in CONTINUE_VERBS:
        return "ongoing"
    for tok in (verb, trigger):
        if any(c.lower_ in ONGOING_ADVERBS for c in tok.children if c.dep_ == "advmod"):
            return "ongoing"
        if any(c.dep_ == "prep" and c.lower_ == "since" for c in tok.children):
            return "ongoing"
    return "occurred"


def _past(verb: Token) -> bool:
    """A finite past clause with no modal ("fighting continued", "had been shelled")."""
    auxes = [c for c in verb.children if c.dep_ in {"aux", "auxpass"}]
    if any(a.tag_ == "MD" for a in auxes):
        return False
    return verb.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxes)

