"""Readings as a person wants to read them: plain text for the terminal.

``show_report`` prints one report: each claim with its source and the sentence
it came from, each event with status, date and place, then places, dates and
figures. ``summarise`` prints a whole store in a few screens.
"""

from __future__ import annotations

import textwrap
from collections import Counter

from .report import Claim, Event, Report
from .store import Store
from .timewindow import FORWARD_STATUSES

WIDTH = 100
# Sentences longer than this are cut in listings; ``show`` of one report prints
# every claim's sentence in full.
SUMMARY_SNIPPET_CHARS = 160


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _wrap(text: str, indent: str, rest: str | None = None) -> str:
    """Fill to WIDTH; continuation lines take ``rest`` (by default blanks as wide as ``indent``)."""
    rest = " " * len(indent) if rest is None else rest
    return textwrap.fill(" ".join(text.split()), WIDTH, initial_indent=indent, subsequent_indent=rest)


QUOTE_MARKS = "\"'“”‘’«»„"


def _unquote(text: str) -> str:
    """Words of a quotation without its own quote marks and trailing comma, for display in new ones."""
    return text.strip().strip(QUOTE_MARKS).rstrip(",").strip().strip(QUOTE_MARKS)


def describe_claim(report: Report, claim: Claim) -> str:
    kind = "quote" if claim.direct else claim.kind
    via = f" (via {', '.join(v.name for v in claim.via)})" if claim.via else ""
    targets = f" → blames {', '.join(t.name for t in claim.targets)}" if claim.targets else ""
    content = report.snippet(claim.content.start, claim.content.end)
    return f"[{kind}] {claim.source.name}{via} — {claim.cue.text}: “{_clip(_unquote(content), 200)}”{targets}"


def _window_words(low: str | None, high: str | None, ahead: bool = False, basis: str | None = None) -> str:
    """An undated event's window as a monitor would write it, saying when only the publication
    date bounds it (a month or week the text gives is no guess)."""
    if low is None or high is None:
        return "date unknown"
    if low == high:
        return low
    guess = " (on or before publication)" if basis == "bounded" and not ahead else ""
    return f"after {low}, by {high}" if ahead else f"between {low} and {high}{guess}"


def describe_event(report: Report, event: Event) -> str:
    parts = [event.type + (f"/{event.mode}" if event.mode else ""), event.status]
    if event.acled:
        parts.append(f"ACLED: {event.acled}")
    when = event.date or _window_words(event.date_low, event.date_high, event.status in FORWARD_STATUSES,
                                       event.date_source)
    if event.date and event.date_source == "published":
        when += " (publication date)"
    elif event.date and event.date_low and event.date_low != event.date_high:
        when += f" (between {event.date_low} and {event.date_high})"
    where = event.place or "place unknown"
    who = ", ".join(a.name for a in event.actors)
    whom = ", ".join(t.name for t in event.targets)
    line = f"{' · '.join(parts)} — {when} — {where}"
    if who:
        line += f" — by {who}"
    if whom:
        line += f" — against {whom}"
    return line + f": “{_clip(event.text or report.snippet(event.start, event.end), 120)}”"


def show_report(report: Report) -> str:
    """The full reading of one report."""
    lines = [
        f"{report.title or '(untitled)'}",
        f"  {report.outlet or 'outlet unknown'} · published {report.published or 'unknown'} · id {report.id}",
    ]
    if report.origin:
        lines.append(f"  read from {report.origin}")
    for note in report.notes:
        lines.append(f"  note: {note}")
    lines.append("")
    lines.append(f"CLAIMS ({len(report.claims)})")
    for i, claim in enumerate(report.claims, 1):
        lines.append(_wrap(describe_claim(report, claim), f"  {i}. "))
        start, end = report.sentence_around(claim.start, claim.end)
        lines.append(_wrap(report.snippet(start, end), "       │ ", "       │ "))
    lines.append("")
    lines.append(f"EVENTS ({len(report.events)})")
    for i, event in enumerate(report.events, 1):
        line = describe_event(report, event)
        claim = report.claim_of(event)
        if claim is not None:
            line += f" [per {claim.source.name}, claim {report.position('claims', claim.id) + 1}]"
        lines.append(_wrap(line, f"  {i}. "))
    lines.append("")
    lines.append("PLACES  " + _join_unique(
        f"{p.name} ({p.country or '?'}{', ' + p.feature if p.feature else ''})" for p in report.places
    ))
    lines.append("DATES   " + _join_unique(
        f"{t.text} = {t.value or 'unresolved'}{'..' + t.value_to if t.value_to else ''}" for t in report.times
    ))
    lines.append("FIGURES " + _join_unique(_figure(q) for q in report.quantities))
    lines.append("ACTORS  " + _join_unique(f"{a.name} ({a.kind})" for a in report.actors))
    return "\n".join(lines)


def _figure(q) -> str:  # noqa: ANN001 - a Quantity
    bounds = f"{_num(q.low)}" if q.low == q.high else f"{_num(q.low)}..{_num(q.high)}"
    what = " ".join(x for x in (q.unit, q.status) if x)
    return f"{q.text} [{bounds}{' ' + what if what else ''}]"


def _num(value: float | None) -> str:
    if value is None:
        return "?"
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,}"


def _join_unique(items) -> str:  # noqa: ANN001 - any iterable of strings
    seen = list(dict.fromkeys(items))
    return "; ".join(seen) if seen else "—"


def summarise(store: Store, per_report: int = 4) -> str:
    """A few screens about everything stored: reports, claims with sources, events, places, dates."""
    counts = store.count()
    lines = [
        f"{counts['reports']} reports · {counts['claims']} claims · {counts['events']} events · "
        f"{counts['places']} place mentions · {counts['actors']} actors"
    ]
    event_types: Counter[str] = Counter()
    for report in store.reports():
        lines.append("")
        lines.append(f"■ {report.title or '(untitled)'} — {report.outlet or 'outlet unknown'}, "
                     f"{report.published or 'date unknown'}  [{report.id[:10]}]")
        for claim in report.claims[:per_report]:
            lines.append(_wrap(_clip(describe_claim(report, claim), SUMMARY_SNIPPET_CHARS), "    claim  "))
        if len(report.claims) > per_report:
            lines.append(f"    … {len(report.claims) - per_report} more claims")
        for event in report.events[:per_report]:
            lines.append(_wrap(_clip(describe_event(report, event), SUMMARY_SNIPPET_CHARS), "    event  "))
            event_types[event.type] += 1
        if len(report.events) > per_report:
            lines.append(f"    … {len(report.events) - per_report} more events")
        places = _join_unique(p.name for p in report.places)
        dates = _join_unique(f"{t.text}={t.value}" for t in report.times if t.value)
        lines.append(_wrap(f"places {places}", "    "))
        lines.append(_wrap(f"dates  {dates}", "    "))
    failures = store.failures()
    if failures:
        lines.append("")
        lines.append(f"{len(failures)} inputs were skipped:")
        lines.extend(f"    {f['origin']}: {f['reason']}" for f in failures)
    return "\n".join(lines)


def _sources_line(event: dict) -> str:
    outlets = sorted({m["outlet"] or "?" for m in event["mentions"]})
    return f"{event['sources']} independent source(s); reported by {', '.join(outlets)}"


def describe_linked_event(event: dict) -> str:
    head = " · ".join(x for x in (
        f"#{event['id']}", event["type"] + (f"/{event['mode']}" if event["mode"] else ""),
        event["date"] or _window_words(*event.get("window", (None, None))), event["place"] or "place unknown",
    ) if x)
    lines = [head, f"    {_sources_line(event)}"]
    if event["actors"]:
        lines.append(f"    actors: {', '.join(event['actors'])}")
    for c in event["contradictions"]:
        lines.append(f"    ⚠ {c['kind']}: {c['detail']}")
    return "\n".join(lines)


def show_linked_event(event: dict) -> str:
    """One event's ledger: every mention, claims side by side by source, figures, contradictions."""
    lines = [describe_linked_event(event), "", "MENTIONS"]
    for m in event["mentions"]:
        copy = f" (wire copy of {m['copy_of'][:10]})" if m["copy_of"] else ""
        lines.append(f"  {m['published'] or '?'} {m['outlet'] or '?'}{copy} [{m['report_id'][:10]}] "
                     f"{m['status']} per {m['source']}: “{_clip(m['text'], 80)}”")
        lines.append(f"      linked on: {'; '.join(m['matched_on'])}")
    lines.append("")
    lines.append("CLAIMS BY SOURCE")
    for group in event["claims"]:
        lines.append(f"  {group['source']}")
        for c in group["claims"]:
            lines.append(_wrap(f"[{c['kind']}] “{_clip(c['text'], 160)}” ({c['outlet'] or '?'})", "      "))
    if event["figures"]:
        lines.append("")
        lines.append("FIGURES")
        for f in event["figures"]:
            bounds = _num(f["low"]) if f["low"] == f["high"] else f"{_num(f['low'])}..{_num(f['high'])}"
            lines.append(f"  {bounds} {f['unit'] or ''} {f['status'] or ''} — per {f['source']}")
    return "\n".join(lines)


def show_ceasefire(board: dict) -> str:
    lines = [
        f"Ceasefire #{board['id']} — {board['place'] or 'place unknown'}",
        f"    agreed {board['agreed'] or '?'} · collapsed {board['collapsed'] or '—'}",
        f"    brokered by {', '.join(board['brokers']) or '?'} · parties {', '.join(board['parties']) or '?'}",
    ]
    for c in board.get("contradictions", []):
        lines.append(f"    ⚠ {c['kind']}: {c['detail']}")
    for term in board["terms"]:
        lines.append(f"    term: {term['type']} ({term['status']}) “{_clip(term['text'], 80)}”")
    for item in board["timeline"]:
        target = f" → {', '.join(item['targets'])}" if item.get("targets") else ""
        lines.append(_wrap(f"{item['date'] or '?'} {item['kind']:<9} {item['source']}{target}: "
                           f"“{_clip(item['text'], 110)}” ({item['outlet'] or '?'})", "      "))
    return "\n".join(lines)


def show_blame(matrix: dict) -> str:
    if not matrix["cells"]:
        return "No blame found."
    lines = []
    for cell in sorted(matrix["cells"], key=lambda c: -c["count"]):
        lines.append(f"{cell['source']} → {cell['target']}: {cell['count']}")
        names = [m for m in cell.get("members", []) if (m["source"], m["target"]) != (cell["source"], cell["target"])]
        if names:  # the names a side stands for: the drill-down behind the number
            lines.append(_wrap("as: " + "; ".join(f"{m['source']} → {m['target']} ({m['count']})" for m in names),
                               "      "))
        for claim in cell["claims"][:3]:
            lines.append(_wrap(f"“{_clip(claim['text'], 140)}” ({claim['outlet'] or '?'}, {claim['published'] or '?'})",
                               "      "))
    return "\n".join(lines)
