"""An event's arguments: who, against whom, when (its clause's time) and where."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from spacy.tokens import Token

from ...actordict import SIDE_KINDS, country_in, side_key, state_name
from ...ontology import LOCATED_TYPES, MUTUAL_TYPES
from ...report import Claim, Report
from ...timewindow import shift
from .context import Context, _another_event_given, _is_dateline, _locative
from .modality import presupposed
from .lexicon import (
    ADVERSARY_NOUNS, AGREE_VERBS, ANAPHORA_SENTENCES, ARGUMENT_DEPS, CONTROL_DEPTH, DEMAND_HEADS, FINE_FEATURES, INTERVAL_PREPS,
    INSTITUTION_NOUNS, LOCATIVE_PREPS, MAX_ARG_TOKENS, MAX_TIME_SEARCH, MAX_WALK, OBSERVING_VERBS, OFFICE_NOUNS,
    OFFICIAL_WORDS, PARTY_NOUNS, PLANNED_HEADS,
    RELATIVE_TAGS, RELATIVE_TIME_PREPS, RESULT_NOUNS,
    SETTLEMENT_NOUNS, SPEECH_HEADS, SPEECH_NOUNS, STATUS_RANK, TRUCE_START_VERBS, UNDATED,
)
from .syntax import _child, _in_clause, _in_range, _participle_on_noun, _phrase
from .triggers import Found

DAY_VALUE = re.compile(r"\d{4}-\d{2}-\d{2}")
DURATION_DAYS = re.compile(r"P(\d{1,3})([DW])")
# "a day after X" puts X a day before the day found; "a week before X", a week after it.
OFFSET_PREPS = {"after": -1, "before": 1}


def _actor_of_phrase(ctx: Context, token: Token) -> list[str]:
    """Actors named by the noun phrase headed by ``token`` and its conjuncts; for officials or bodies
    "of" someone, those they belong to ("the foreign ministers of Armenia and Azerbaijan")."""
    names: list[str] = []
    for head in [token, *(c for c in token.children if c.dep_ == "conj")]:
        appos = [c.i for c in head.children if c.dep_ == "appos"]  # "his counterpart Vladimir Putin"
        # "Yemen's warring parties", "both sides": unnamed parties, not the state that qualifies them
        lefts = [] if head.lemma_.lower() in PARTY_NOUNS else [t.i for t in head.lefts]
        candidates = [head.i, *lefts, *appos]
        name = next((ctx.actor_of[i] for i in candidates if i in ctx.actor_of), None)
        owners = _owners_of(ctx, head)  # "the foreign ministers of Armenia and Azerbaijan": both, not the first's
        found = owners if len(owners) > 1 or not name else [name]
        names += [n for n in found if n not in names]
    return names


def _owners_of(ctx: Context, head: Token) -> list[str]:
    """ "The foreign ministers of Armenia and Azerbaijan", "the governments of Russia and Turkey":
    the actors an office or body belongs to, each conjunct."""
    if head.lemma_.lower() not in OFFICE_NOUNS | INSTITUTION_NOUNS:
        return []
    owners: list[str] = []
    for prep in (c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"):
        obj = _child(prep, {"pobj"})
        for tok in ([obj, *(c for c in obj.children if c.dep_ == "conj")] if obj is not None else []):
            name = ctx.actor_of.get(tok.i)
            if name and name not in owners:
                owners.append(name)
    return owners


def _the_enemy(ctx: Context, item: Found) -> str | None:
    """ "Azerbaijan said enemy forces were shelling Azeri territory": the doer a side calls the
    enemy is the report's other side (of its two main ones), when the speaker is one of them."""
    subject = _child(item.anchor, {"nsubj"}) if item.anchor.pos_ in {"VERB", "AUX"} else None
    doer = subject if subject is not None else item.token
    words = {doer.lemma_.lower(), *(c.lemma_.lower() for c in doer.children if c.dep_ in {"amod", "compound"})}
    if not words & ADVERSARY_NOUNS or len(ctx.sides) != 2 or ctx.claims is None:
        return None
    claim = ctx.claims.innermost(item.token.idx, item.token.idx + 1)
    if claim is None:
        return None
    source = claim.source
    speaker = side_key(source.actor or source.name) or (source.actor or source.name)
    sides = [side_key(name) or name for name in ctx.sides]
    if speaker not in sides:
        return None
    return ctx.sides[1 - sides.index(speaker)]


def _nation_of_weapon(item: Found) -> list[str]:
    """ "Russian shells hit Kramatorsk", "killed in an Israeli strike", "Saudi coalition warplanes":
    an attack whose weapon or strike a national adjective qualifies is that state's."""
    nouns = [item.token, item.anchor]
    subject = _child(item.anchor, {"nsubj"})
    if subject is not None:
        nouns.append(subject)
    # "four people were martyred and one injured, in an Israeli strike": the strike is both clauses'
    heads = [item.token, item.anchor, *(c for c in item.token.conjuncts if c.pos_ == "VERB")]
    nouns += [_cause_of(p) for n in heads for p in n.children if p.dep_ in {"prep", "agent"}]
    for noun in (n for n in nouns if n is not None):
        for mod in (c for c in noun.children if c.dep_ in {"amod", "compound"}):
            iso3 = country_in(mod.text) if mod.tag_ == "JJ" or mod.ent_type_ == "NORP" else None
            if iso3 is not None:
                return [state_name(iso3)]
    return []


def _cause_of(prep: Token) -> Token | None:
    """The noun a causal phrase names: "in an Israeli strike", "by Russian shells", "as a result of
    an Israeli strike" (the strike, not the result)."""
    pobj = _child(prep, {"pobj"})
    if pobj is None:
        return None
    if prep.lower_ in {"in", "by"}:
        return pobj
    if prep.lower_ == "as" and pobj.lemma_.lower() in RESULT_NOUNS:
        of = next((c for c in pobj.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        return _child(of, {"pobj"}) if of is not None else None
    return None


def _subject_of(verb: Token) -> Token | None:
    """A verb's active subject, or its controller's: "forces entered homes to carry out
    executions" -> forces."""
    for _ in range(CONTROL_DEPTH):
        # a dateline the parser took for a subject ("GOMA, Feb 10 - The M23 group ... declared") is not one
        subj = next((c for c in verb.children if c.dep_ == "nsubj" and not _is_dateline(c)), None)
        if subj is not None or verb.head == verb:
            return subj
        if verb.dep_ == "conj" and verb.head.pos_ in {"VERB", "AUX"} and not _has_passive_subject(verb):
            verb = verb.head  # "the army claimed ... and announced a curfew": coordinated verbs share a subject
            continue
        if verb.dep_ not in {"xcomp", "advcl"}:
            return subj
        verb = verb.head
    return None


def _has_passive_subject(verb: Token) -> bool:
    return any(c.dep_ == "nsubjpass" for c in verb.children)


def _arguments(ctx: Context, item: Found) -> tuple[list[str], list[str]]:
    """Agents and targets of an event from the parse around its trigger and anchor."""
    agents: list[str] = []
    targets: list[str] = []
    for node in {item.token, item.anchor}:
        for child in node.children:
            subject = child.dep_ == "nsubj" and node.pos_ in {"VERB", "AUX"} and node == item.token
            if subject or child.dep_ == "poss" and node.pos_ == "NOUN":
                agents += _actor_of_phrase(ctx, child)
            elif child.dep_ in {"agent", "acl"}:
                by = child if child.dep_ == "agent" else _child(child, {"agent"})
                pobj = _child(by, {"pobj"}) if by is not None else None
                if pobj is not None:
                    agents += _actor_of_phrase(ctx, pobj)
            elif child.dep_ == "prep" and node.pos_ == "NOUN" and (
                    child.lower_ == "by" or child.lower_ == "from" and item.type not in LOCATED_TYPES):
                # "the offensive by the army"; "rejection from Kyiv" (an attack "from Gaza" names where from)
                pobj = _child(child, {"pobj"})
                agents += _actor_of_phrase(ctx, pobj) if pobj is not None else []
            elif child.dep_ in {"dobj", "nsubjpass"} and node == item.token:
                targets += _actor_of_phrase(ctx, child)
            elif child.dep_ == "prep" and child.lower_ in {"on", "against", "to", "with", "at"}:
                pobj = _child(child, {"pobj"})
                targets += _actor_of_phrase(ctx, pobj) if pobj is not None else []
            elif child.dep_ in {"amod", "compound"} and child.i in ctx.actor_of and node.pos_ == "NOUN":
                agents.append(ctx.actor_of[child.i])
            elif child.dep_ == "amod" and child.lemma_.lower() in AGREE_VERBS:
                agents += [ctx.actor_of[g.i] for g in child.children if g.i in ctx.actor_of]  # "UN-brokered truce"
            elif child.dep_ == "prep" and child.lower_ == "between" and item.type in MUTUAL_TYPES:
                pobj = _child(child, {"pobj"})  # "a truce between Armenia and Azerbaijan": both are parties
                agents += _actor_of_phrase(ctx, pobj) if pobj is not None else []
    realised_by_head = item.token.head == item.anchor or item.anchor == item.token
    if item.token.dep_ in {"nsubjpass", "dobj"} and item.token.pos_ == "NOUN" and realised_by_head \
            or not agents and item.token.pos_ == "VERB":
        # the subject of the verb that realises a noun ("Russia and Turkey reached an agreement"),
        # not of one that only speaks of it ("Kinshasa dismissed a ceasefire declared by M23")
        verb = item.token.head if item.token.pos_ == "NOUN" else item.token
        subj = _subject_of(verb) if verb is item.token or verb.lemma_.lower() not in OBSERVING_VERBS else None
        agents += _actor_of_phrase(ctx, subj) if subj is not None else []
    elif not agents and item.anchor != item.token and item.anchor.pos_ == "VERB" and item.token.dep_ == "pobj":
        subj = _subject_of(item.anchor)  # "the army and the RSF have committed to a cessation of hostilities"
        agents += _actor_of_phrase(ctx, subj) if subj is not None else []
    if not agents and _child(item.token, {"auxpass"}) is not None:
        agents += _stranded_agent(ctx, item.token)
    if not agents and item.type in {"ASSAULT", "KILL"}:
        agents += _nation_of_weapon(item)
    enemy = _the_enemy(ctx, item)
    if enemy is not None:
        agents = [enemy, *(a for a in agents if a.lower() not in ADVERSARY_NOUNS)]
    agents = list(dict.fromkeys(agents))  # first-seen order, no repeats
    return agents, [t for t in dict.fromkeys(targets) if t not in agents]


def _stranded_agent(ctx: Context, verb: Token) -> list[str]:
    """The "by" phrase of a passive that the parser hung lower down: in "rejected as a trick by
    Ukraine" it sits under "trick", but a trick has no doer; it is the rejecting's."""
    for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ == "as"):
        for tok in prep.subtree:
            if tok.dep_ == "prep" and tok.lower_ == "by":
                pobj = _child(tok, {"pobj"})
                return _actor_of_phrase(ctx, pobj) if pobj is not None else []
    return []


def _date(ctx: Context, item: Found) -> tuple[str | None, str | None]:
    """The time expression nearest the trigger in its clause (never across a speech verb:
    "said Tuesday" dates the saying). Context and publication date the rest later."""
    searched: set[int] = set()
    first = [item.token, *item.extra]
    if item.anchor != item.token and item.anchor.lemma_.lower() in TRUCE_START_VERBS:
        # "the truce announced on Thursday was to start on Friday": the start's day
        first.insert(0, item.anchor)
    for node in [*first, *_clause_path(item.anchor)]:
        index = _time_below(ctx, node, searched)
        if index is not None:
            return _measured_from(ctx, item.token, index), "text"
    index = _period_on_the_asking(ctx, item.anchor, searched)
    if index is not None:
        return ctx.report.times[index].value, "text"
    return None, None


def _measured_from(ctx: Context, trigger: Token, index: int) -> str | None:
    """The day of the time expression found, moved by a measured "after" or "before" phrase that
    holds the trigger while the day lies outside it: in "clashes broke out on Wednesday, a day
    after a ceasefire took effect" the ceasefire took effect on Tuesday."""
    time = ctx.report.times[index]
    if not time.value or not DAY_VALUE.fullmatch(time.value):
        return time.value
    tok = trigger
    for _ in range(MAX_WALK):
        # "a day after the ceasefire" (a preposition above the trigger) or "two days after the truce
        # took effect" (a clause the trigger heads, opened by the word)
        mark = next((c for c in tok.children if c.dep_ == "mark" and c.lower_ in OFFSET_PREPS), None)
        if mark is not None or tok.lower_ in OFFSET_PREPS and tok.dep_ == "prep":
            word, phrase = (mark, tok) if mark is not None else (tok, tok)
            if phrase.left_edge.idx <= time.start < phrase.right_edge.idx + len(phrase.right_edge):
                return time.value  # "a day after the truce took effect on Tuesday": Tuesday is the truce's
            days = _measure_days(ctx, [word.head, *word.children, *phrase.children])
            return shift(time.value, OFFSET_PREPS[word.lower_] * days) if days else time.value
        if tok.head == tok:
            break
        tok = tok.head
    return time.value


def _measure_days(ctx: Context, candidates: list[Token]) -> int | None:
    """The days a duration measures ("a day", "two weeks") among these tokens, or None."""
    for tok in candidates:
        index = ctx.time_of.get(tok.i)
        value = ctx.report.times[index].value if index is not None else None
        found = DURATION_DAYS.fullmatch(value or "")
        if found:
            return int(found.group(1)) * (7 if found.group(2) == "W" else 1)
    return None


def _period_on_the_asking(ctx: Context, anchor: Token, searched: set[int]) -> int | None:
    """ "Kirill suggested a truce from noon Friday through midnight Saturday": the period hangs on
    the verb that asks for (or plans) the event, but it is the event's, not the asking's."""
    head = anchor.head
    if anchor.dep_ not in {"dobj", "xcomp"} or head.lemma_.lower() not in DEMAND_HEADS | PLANNED_HEADS:
        return None
    for prep in (c for c in head.children if c.dep_ == "prep" and c.lower_ in INTERVAL_PREPS):
        index = _time_below(ctx, prep, searched)
        if index is not None:
            return index
    return None


def _clause_path(anchor: Token) -> list[Token]:
    """The anchor and the heads above it up to a speech verb or the root."""
    path = [anchor]
    cur = anchor
    for _ in range(MAX_WALK):
        if cur.head == cur or cur.dep_ == "relcl" or _participle_on_noun(cur):
            break
        cur = cur.head
        if cur.lemma_.lower() in SPEECH_HEADS or cur.lemma_.lower() in SPEECH_NOUNS and cur.pos_ == "NOUN":
            break
        path.append(cur)
    return path


def _time_below(ctx: Context, node: Token, searched: set[int]) -> int | None:
    """The usable time expression closest below ``node``, not inside another clause."""
    frontier = [node]
    visited = 0
    while frontier and visited < MAX_TIME_SEARCH:
        nxt: list[Token] = []
        for tok in frontier:
            if tok.i in searched:
                continue
            visited += 1
            searched.add(tok.i)
            index = ctx.time_of.get(tok.i)
            if index is not None and _usable_time(ctx, index):
                return index
            nxt += [c for c in tok.children if c.dep_ not in {"ccomp", "advcl", "relcl", "conj", "parataxis", "csubj"}
                    and not (c.dep_ == "prep" and c.lower_ in RELATIVE_TIME_PREPS and tok.pos_ == "NOUN")
                    and not _free_relative(c) and not _another_event_given(c)]
        frontier = nxt
    return None


def _free_relative(tok: Token) -> bool:
    """ "in what would be the first pause since ...": a clause led by "what" describes, it
    does not date the event it hangs on."""
    return tok.dep_ == "pcomp" and any(c.tag_ in {"WP", "WDT"} for c in tok.children)


def _usable_time(ctx: Context, index: int) -> bool:
    time = ctx.report.times[index]
    return time.value is not None and time.granularity not in UNDATED and index not in ctx.filing_times


def _place(ctx: Context, item: Found, event_type: str) -> tuple[int | None, str | None]:
    """A place in the trigger's clause or sentence, else the report's main place for located
    events. Verbal events (talks, accusations) take only a place in their own clause."""
    located = event_type in LOCATED_TYPES
    best: tuple[tuple[int, int, int], int] | None = None
    sent = item.token.sent
    clause_heads = {item.anchor.i, item.token.i}
    for node in (item.token, item.anchor):
        if node.dep_ in ARGUMENT_DEPS and node.head.pos_ in {"VERB", "AUX"}:
            # "conducting atrocities in Tigray", "breaches of the truce were registered in Hudaydah":
            # the verb's place is the event's
            clause_heads.add(node.head.i)
    for i in _in_range(ctx.place_tokens, sent.start, sent.end):
        tok, index = ctx.doc[i], ctx.place_of[i]
        if not _locative(ctx, tok) or _describes_another(tok, item.token):
            continue
        in_clause = _in_clause(tok, clause_heads)
        if not located and not (in_clause and _in_locative_phrase(tok)):
            continue  # a meeting "in Moscow" happens there; one "about Syria" does not
        fine = 0 if (ctx.report.places[index].feature or "") in FINE_FEATURES else 1
        rank = (0 if in_clause else 1, fine, abs(tok.i - item.token.i))
        if best is None or rank < best[0]:
            best = (rank, index)
    anaphor = _settlement_anaphor(ctx, item) if located else None
    if anaphor is not None and (best is None or best[0][1] == 1):
        return anaphor, "anaphor"
    truce = event_type == "CEASEFIRE"
    if best is not None and not (truce and best[0][0] == 1):
        return best[1], "text"  # a truce takes no place from elsewhere in its sentence: it holds over an area
    fallback = ctx.theatre_place if truce else ctx.main_place
    if located and fallback is not None:
        return fallback, "report"
    return None, None


def _in_locative_phrase(tok: Token) -> bool:
    """ "in Moscow", "in the Chinese city of Kunming": a place named where something is."""
    if tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.lemma_.lower() in SETTLEMENT_NOUNS:
        tok = tok.head.head  # "the city of Kunming" stands where "the city" stands
    return tok.dep_ == "pobj" and tok.head.lower_ in LOCATIVE_PREPS


def _describes_another(tok: Token, trigger: Token) -> bool:
    """Whether a place word sits in a relative clause that does not hold the trigger: in
    "clashes killed jihadists, whose members belong to a minority in China", China describes
    the jihadists, not where the killing was. A clause on the trigger itself ("the plan signed
    in Nairobi") says where it happened."""
    for _ in range(MAX_WALK):
        opened_by_pronoun = tok.pos_ in {"VERB", "AUX"} and tok.left_edge.tag_ in RELATIVE_TAGS
        relative = tok.dep_ in {"relcl", "acl"} or opened_by_pronoun
        if relative:  # the parser labels some "whose" clauses ccomp: the pronoun opening it tells
            # (hung on the trigger verb, such a clause is still a misparsed relative on a noun)
            on_trigger = tok.head.i == trigger.i and not (opened_by_pronoun and trigger.pos_ in {"VERB", "AUX"})
            return not (tok.left_edge.i <= trigger.i <= tok.right_edge.i) and not on_trigger
        if tok.head == tok:
            return False
        tok = tok.head
    return False


def _settlement_anaphor(ctx: Context, item: Found) -> int | None:
    """ "The villages ... besieged since last year": the settlement named in the sentences before."""
    sent = item.token.sent
    near = {item.token.head.i, item.anchor.i, *(c.i for c in item.token.children)}
    if not any(i in near for i in _in_range(ctx.settlement_tokens, sent.start, sent.end)):
        return None
    here = bisect_right(ctx.sent_starts, sent.start_char) - 1
    places = ctx.report.places
    index = next((k for k in range(len(places) - 1, -1, -1) if places[k].start < sent.start_char
                  and (places[k].feature or "") in FINE_FEATURES), None)
    if index is None:
        return None
    there = bisect_right(ctx.sent_starts, places[index].start) - 1
    if here - there > ANAPHORA_SENTENCES:
        return None
    first = index  # the first of the settlements named together ("Foua and Kefraya")
    while first > 0 and places[first - 1].start >= ctx.sent_starts[there] and (places[first - 1].feature or "") in FINE_FEATURES:
        first -= 1
    return first


def _span(item: Found, breaks: list[int]) -> tuple[int, int]:
    """The event's words: trigger, auxiliaries, and short core arguments."""
    tokens = [item.token, item.anchor, *item.extra]
    for node in (item.token, item.anchor):
        for child in node.children:
            if child.dep_ in {"aux", "auxpass", "neg", "prt"} or child.dep_ == "advmod" and child.lower_ == "apart":
                tokens.append(child)
            elif child.dep_ in {"nsubjpass", "nsubj", "dobj"} and node.pos_ in {"VERB", "AUX"}:
                sub = _phrase(child)
                tokens += sub if len(sub) <= MAX_ARG_TOKENS else [child]
            elif child.dep_ in {"amod", "compound"} and node.pos_ == "NOUN":
                tokens.append(child)
    sent = item.token.sent
    k = bisect_left(breaks, item.token.idx)
    para_start = breaks[k - 1] if k else 0
    para_end = breaks[k] if k < len(breaks) else item.token.doc[-1].idx + len(item.token.doc[-1].text) + 1
    tokens = [t for t in tokens if sent.start <= t.i < sent.end and not t.is_space and para_start <= t.idx < para_end]
    start = min(t.idx for t in tokens)
    end = max(t.idx + len(t.text) for t in tokens)
    return start, end


def _claim_status(report: Report, found: Claim | None, status: str, trigger: Token, anchor: Token,
                  public_act: bool = False) -> str:
    """A claim around an event makes it reported, unless the claim is journalistic sourcing
    ("..., according to residents") of a fact the report states in its own voice, the sentence
    takes a public act as given ("accused each other within minutes of the truce taking effect"),
    or the event already has a sharper modality."""
    if found is None or public_act and status == "occurred" and presupposed(anchor):
        return status
    if found.cue.start <= trigger.idx < found.cue.end:
        return status  # the accusation or denial is itself the event
    if found.kind == "denial" and status in {"occurred", "ongoing"}:
        return "denied"
    if found.cue.text.lower().startswith("according") and not _party_source(report, found):
        return status  # "..., according to residents and a monitor": the report's own sourcing
    if STATUS_RANK.get(status, 9) > STATUS_RANK["reported"]:
        return status
    return "reported"


def _party_source(report: Report, claim: Claim) -> bool:
    """Whether a source is an organ of a state or an armed side ("according to Azerbaijan's
    Prosecutor General's office", "according to a Lebanese military source"): what it reports is
    that side's claim, where "according to residents" or a monitor is the report's sourcing."""
    name = claim.source.actor or claim.source.name
    actor = next((a for a in report.actors if a.name == name), None)
    if actor is not None:
        return actor.kind in SIDE_KINDS
    return country_in(claim.source.name) is not None and bool(
        set(claim.source.name.lower().replace("’", "'").replace("'s", " ").split()) & OFFICIAL_WORDS)
