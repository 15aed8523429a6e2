"""Score fogwatch on the conflict-news development set: 30 real report openings, six cease-fires.

    .venv/bin/python bench/conflict_news.py [-v] [--ledger-only | --reports-only] [--json FILE] [--fogwatch PATH]
                                          [--show-text] [--min-quotes F] [--min-claims F] [--min-events F]

Two measurements, both read ../shared/eval/conflict-news/ at run time (and skip with a message when
it is absent; nothing of the publishers' texts is stored in the project):

1. The cross-report ledger: runs the shared scorer
   `python3 ../shared/eval/conflict-news/score_ledger.py --fogwatch .venv/bin/fogwatch -v`
   and prints its summary line (with -v, its whole report).

2. Per-report reading: runs `fogwatch extract` on reports.jsonl (each report keeps its outlet and
   publication date) and scores it against bench/gold/conflict_news_reports.json, a reading made
   of offsets and span hashes only (see its 'about' field). Required items only count:
   - quotes: a claim whose `quotes` entry overlaps the quote span, and whose source (name or actor)
     matches one of the speaker's aliases;
   - claims: a claim whose source overlaps the gold source span (or whose source name or actor
     matches an alias), whose content overlaps the gold content span, and whose kind is the gold
     kind (or one listed in also_kinds; 'assertion' counts as 'statement'); for blame, whether every
     accused is among its targets is shown beside it;
   - key events: among the events overlapping the gold span, one of the gold type (type or
     also_types); then status, date (day, or within the gold interval) and place (name matches an
     alias; country, where the reading's place carries one, equal) each checked on those, and
     'all' when one event has all of them right. A gold date or place of null is not checked; a
     date must give the day (a month is not a day); 'T24:00' is the next day's start. Beside them,
     actors: one of those events names every gold doer among its `actors` (or every doer of the
     gold's `also_actors`); for a gold `actors` of [] (the text gives no doer), it names no actor
     but of a side the gold lists as `blamed`. 'all five' is one event right in type, status, date,
     place and actors. The headline stays type+status+date+place.
A reading whose claims carry no `quotes` key falls back on each direct claim's content (the contract
defines it as the whole of the quotation); mixed quotations then still need `quotes`.

Names match as in the shared scorer: every word of an alias occurs in the name (case, accents,
punctuation and 'the/of/a/an/s/al/and' ignored) and the name is at most six words longer.
With -v every missed or partly-right item is listed by report id, item id and offsets, with what
fogwatch produced there; --show-text also prints the spans on the terminal (never into files).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import unicodedata
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "eval" / "conflict-news"
REPORTS = SHARED / "reports.jsonl"
SCORER = SHARED / "score_ledger.py"
GOLD = ROOT / "bench" / "gold" / "conflict_news_reports.json"
STOP = {"the", "of", "a", "an", "s", "al", "and"}


# ---------------------------------------------------------------- names, spans

def norm(s: Any) -> str:
    s = unicodedata.normalize("NFKD", str(s or ""))
    s = "".join(c for c in s if not unicodedata.combining(c)).replace("\u2019", "'").lower()
    return " ".join("".join(c if c.isalnum() else " " for c in s).split())


def toks(s: Any) -> set[str]:
    return set(norm(s).split()) - STOP


def alias_hit(aliases: list[str], *names: Any) -> bool:
    for name in names:
        n = toks(name)
        if n and any(t and t <= n and len(n) <= len(t) + 6 for t in (toks(a) for a in aliases)):
            return True
    return False


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def span(d: dict) -> tuple[int, int]:
    return d["start"], d["end"]


def span_sha1(text: str, start: int, end: int) -> str:
    return hashlib.sha1(text[start:end].encode("utf-8")).hexdigest()[:12]


def load_reports() -> dict[str, dict]:
    with open(REPORTS, encoding="utf-8") as f:
        return {r["id"]: r for r in map(json.loads, filter(str.strip, f))}


def check_gold(gold: dict, reports: dict[str, dict]) -> list[str]:
    """Every stored span must still hash to what the gold says (the shared texts did not drift)."""
    bad = []
    for rid, g in gold["reports"].items():
        text = reports.get(rid, {}).get("text")
        if text is None:
            bad.append(f"{rid}: not in reports.jsonl")
            continue
        if span_sha1(text, 0, len(text)) != g["sha1"]:
            bad.append(f"{rid}: text hash differs from the gold's")
        for item, d in iter_spans(g):
            if span_sha1(text, d["start"], d["end"]) != d["sha1"]:
                bad.append(f"{rid} {item} {d['start']}-{d['end']}: span hash differs")
    return bad


def iter_spans(g: dict):
    for q in g["quotes"]:
        yield q["id"], q
    for c in g["claims"]:
        for part in ("source", "cue", "content"):
            yield f"{c['id']}.{part}", c[part]
    for e in g["events"]:
        yield e["id"], e


# ---------------------------------------------------------------- running fogwatch

FOGWATCH: list[str] = []


def fogwatch() -> list[str]:
    if FOGWATCH:
        return FOGWATCH
    local = ROOT / ".venv" / "bin" / "fogwatch"
    return [str(local)] if local.exists() else [sys.executable, "-m", "fogwatch"]


def run_ledger(verbose: bool) -> dict[str, Any]:
    cmd = [sys.executable, str(SCORER), "--fogwatch", fogwatch()[0], "-v"]
    p = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    lines = [ln for ln in p.stdout.splitlines() if ln.strip()]
    summary = lines[-1] if lines else f"(no output; exit {p.returncode}: {p.stderr.strip()[-300:]})"
    if verbose:
        print(p.stdout.rstrip())
    else:
        print(summary)
    return {"summary": summary, "exit": p.returncode}


def run_extract(reports: dict[str, dict]) -> dict[str, dict]:
    out = subprocess.run(fogwatch() + ["extract", str(REPORTS)], capture_output=True, text=True, check=True).stdout
    by_url = {r["url"]: rid for rid, r in reports.items()}
    order = list(reports)
    readings = {}
    for n, line in enumerate(ln for ln in out.splitlines() if ln.startswith("{")):
        r = json.loads(line)
        meta = r.get("report", {})
        origin = str(meta.get("origin") or "")
        rid = by_url.get(meta.get("url"))
        if rid is None and origin.rsplit(":", 1)[-1].isdigit():
            rid = order[int(origin.rsplit(":", 1)[-1]) - 1]
        readings[rid or order[n]] = r
    return readings


# ---------------------------------------------------------------- scoring

def source_ok(claim: dict, gold_source: dict) -> bool:
    src = claim.get("source") or {}
    if "start" in src and src.get("start") is not None and overlaps(span(src), span(gold_source)):
        return True
    return alias_hit(gold_source["aliases"], src.get("name"), src.get("actor"))


def kind_ok(kind: str | None, g: dict) -> bool:
    kinds = {g["kind"], *g.get("also_kinds", [])}
    if "statement" in kinds:
        kinds.add("assertion")
    return kind in kinds


def quote_spans(claim: dict) -> list[dict]:
    """The claim's `quotes`; a reading without the key falls back on a direct claim's content, which the
    contract defines as the whole of its quotation (an empty list is taken at its word)."""
    quotes = claim.get("quotes")
    if quotes is None and claim.get("direct"):
        return [claim["content"]]
    return quotes or []


def score_quotes(g: dict, reading: dict) -> list[dict]:
    rows = []
    for q in g["quotes"]:
        marked = [c for c in reading["claims"] if any(overlaps(span(x), span(q)) for x in quote_spans(c))]
        speaker = [c for c in marked if alias_hit(q["aliases"], c["source"].get("name"), c["source"].get("actor"))]
        # the contract's own field, without the fallback on direct claims: what a reading that emits
        # `quotes` is held to
        field = [c for c in speaker if any(overlaps(span(x), span(q)) for x in c.get("quotes") or [])]
        rows.append({"id": q["id"], "at": span(q), "required": q["required"], "ok": bool(speaker),
                     "checks": {"marked": bool(marked), "speaker": bool(speaker), "via-quotes-field": bool(field)},
                     "got": [c["source"].get("name") for c in marked]})
    return rows


def score_claims(g: dict, reading: dict) -> list[dict]:
    rows = []
    for c in g["claims"]:
        content = [x for x in reading["claims"] if overlaps(span(x["content"]), span(c["content"]))]
        sourced = [x for x in content if source_ok(x, c["source"])]
        kinded = [x for x in sourced if kind_ok(x.get("kind"), c)]
        checks = {"content": bool(content), "source": bool(sourced), "kind": bool(kinded)}
        if c.get("accused"):
            checks["accused"] = any(all(alias_hit(a["aliases"], *(t.get("name") for t in x.get("targets") or []))
                                        for a in c["accused"]) for x in kinded)
        rows.append({"id": c["id"], "at": span(c["content"]), "required": c["required"], "ok": bool(kinded),
                     "checks": checks,
                     "got": [f"{x['source'].get('name')}/{x.get('kind')}" for x in content]})
    return rows


def date_ok(value: str | None, gold: Any) -> bool:
    day = (value or "")[:10]
    try:
        start = date.fromisoformat(day)  # a month, a year or an unresolved 'XXXX-XX-XX' is not a day
    except ValueError:
        return False
    if (value or "")[10:16] == "T24:00":  # midnight at the end of a day is the start of the next
        day = (start + timedelta(days=1)).isoformat()
    if isinstance(gold, dict):
        return gold["from"] <= day <= gold["to"]
    return day == gold


def place_ok(event: dict, gold_places: list[dict], places: list[dict]) -> bool:
    names = [event.get("place")]
    country = None
    i = event.get("place_index")
    if isinstance(i, int) and 0 <= i < len(places):
        names += [places[i].get("name"), places[i].get("text")]
        country = places[i].get("country")
    return any(alias_hit(p["aliases"], *names) and (not country or country == p["country"]) for p in gold_places)


def score_events(g: dict, reading: dict) -> list[dict]:
    rows = []
    places = reading.get("places") or []
    for e in g["events"]:
        near = [x for x in reading["events"] if overlaps(span(x), span(e))]
        typed = [x for x in near if x["type"] in e["type"] or set(x.get("also_types") or []) & set(e["type"])]
        statuses = e["status"] if isinstance(e["status"], list) else [e["status"]]

        def fits(x: dict, part: str) -> bool:
            if part == "status":
                return x.get("status") in statuses
            if part == "date":
                return e["date"] is None or date_ok(x.get("date"), e["date"])
            return e["place"] is None or place_ok(x, e["place"], places)

        checks = {"type": bool(typed), "status": any(fits(x, "status") for x in typed),
                  "date": any(fits(x, "date") for x in typed) if e["date"] is not None else None,
                  "place": any(fits(x, "place") for x in typed) if e["place"] is not None else None}
        ok = any(all(fits(x, p) for p in ("status", "date", "place")) for x in typed)
        if "actors" in e:
            checks["actors"] = any(actors_ok(x, e) for x in typed)
            checks["all five"] = any(all(fits(x, p) for p in ("status", "date", "place")) and actors_ok(x, e)
                                     for x in typed)
        rows.append({"id": e["id"], "at": span(e), "required": e["required"], "ok": ok, "checks": checks,
                     "got": [f"{x['type']}/{x.get('status')}/{x.get('date')}/{x.get('place')}"
                             f"/{'+'.join(actor_names(x)) or '-'}" for x in near]})
    return rows


def actor_names(event: dict) -> list[str]:
    names = (a if isinstance(a, str) else a.get("name") or a.get("text") for a in event.get("actors") or [])
    return [str(n) for n in names if n]


def actors_ok(event: dict, gold: dict) -> bool:
    """Every gold doer is named among the event's actors (or every doer of `also_actors`); for a gold
    of [] (no doer in the text), the event names no actor outside the sides the gold lists as `blamed`."""
    names = actor_names(event)
    if not gold["actors"]:
        return all(any(alias_hit(b["aliases"], n) for b in gold.get("blamed") or []) for n in names)
    return any(doers and all(any(alias_hit(a["aliases"], n) for n in names) for a in doers)
               for doers in (gold["actors"], gold.get("also_actors")))


SCORERS = {"quotes": score_quotes, "claims": score_claims, "events": score_events}


def share(n: int, d: int) -> str:
    return f"{n}/{d} ({n / d:.0%})" if d else "0/0"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-v", "--verbose", action="store_true", help="list every missed or partly-right item")
    ap.add_argument("--ledger-only", action="store_true", help="only run the shared ledger scorer")
    ap.add_argument("--reports-only", action="store_true", help="only score the per-report reading")
    ap.add_argument("--json", metavar="FILE", help="write the figures (and per-item rows) to FILE as JSON")
    ap.add_argument("--show-text", action="store_true", help="with -v, print the gold spans (terminal only)")
    ap.add_argument("--fogwatch", metavar="PATH", help="the fogwatch executable to score (default .venv/bin/fogwatch)")
    ap.add_argument("--min-quotes", type=float)
    ap.add_argument("--min-claims", type=float)
    ap.add_argument("--min-events", type=float)
    a = ap.parse_args()
    if a.fogwatch:
        FOGWATCH[:] = [a.fogwatch]
    if not REPORTS.exists():
        print(f"skipped: the conflict-news set is absent (looked for {os.path.relpath(REPORTS, ROOT)})")
        return 0
    record: dict[str, Any] = {}
    if not a.reports_only:
        print("== cross-report ledger (shared scorer)")
        record["ledger"] = run_ledger(a.verbose)
    if a.ledger_only:
        return _write(a, record)

    print("== per-report reading (bench/gold/conflict_news_reports.json)")
    reports = load_reports()
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    bad = check_gold(gold, reports)
    for b in bad:
        print("  gold drift:", b)
    if bad:
        print("the gold no longer matches the shared texts: fix the gold before trusting any figure")
        return 2
    readings = run_extract(reports)
    rows: dict[str, list[dict]] = {k: [] for k in SCORERS}
    for rid, g in gold["reports"].items():
        reading = readings.get(rid) or {"claims": [], "events": [], "places": []}
        for name, scorer in SCORERS.items():
            for row in scorer(g, reading):
                rows[name].append({"report": rid, **row})
    figures: dict[str, Any] = {}
    for name, rs in rows.items():
        req = [r for r in rs if r["required"]]
        parts = {}
        for r in req:
            for k, v in r["checks"].items():
                if v is not None:
                    hit, tot = parts.get(k, (0, 0))
                    parts[k] = (hit + bool(v), tot + 1)
        figures[name] = {"ok": sum(r["ok"] for r in req), "required": len(req),
                         "parts": {k: list(v) for k, v in parts.items()},
                         "optional_ok": f"{sum(r['ok'] for r in rs if not r['required'])}/{sum(not r['required'] for r in rs)}"}
        label = {"quotes": "quoted, right speaker", "claims": "found, right kind", "events": "type+status+date+place"}[name]
        print(f"  {name:<7} {label}: {share(figures[name]['ok'], len(req))}   "
              + "  ".join(f"{k} {share(*v)}" for k, v in parts.items())
              + f"   optional {figures[name]['optional_ok']}")
        if a.verbose:
            for r in rs:
                if r["required"] and (not r["ok"] or not all(v for v in r["checks"].values() if v is not None)):
                    failed = [k for k, v in r["checks"].items() if v is False]
                    extra = ""
                    if a.show_text:
                        s, e = r["at"]
                        extra = f"  {reports[r['report']]['text'][s:e][:80]!r}"
                    print(f"    {'MISSED ' if not r['ok'] else 'partial'} {r['report']} {r['id']} {r['at'][0]}-{r['at'][1]}"
                          f"  wrong: {','.join(failed) or '-'}  got: {'; '.join(map(str, r['got'][:4])) or 'nothing'}{extra}")
    record["reports"] = figures
    f = {k: v["ok"] / v["required"] if v["required"] else 0.0 for k, v in figures.items()}
    ev = figures["events"]["parts"]
    print("conflict-news reports: " + " ".join(f"{k} {f[k]:.2f}" for k in f)
          + " (events: " + " ".join(f"{k} {v[0] / v[1]:.2f}" for k, v in ev.items() if v[1]) + ")"
          + f" [{figures['quotes']['required']} quotes, {figures['claims']['required']} claims,"
          f" {figures['events']['required']} key events required]")
    if a.json:
        record["rows"] = rows
    status = _write(a, record)
    fails = [(k, need, f[k[4:]]) for k, need in (("min_quotes", a.min_quotes), ("min_claims", a.min_claims),
                                                  ("min_events", a.min_events)) if need is not None and f[k[4:]] < need]
    for name, need, got in fails:
        print(f"  below threshold: {name[4:]} {got:.2f} < {need}")
    return 1 if fails else status


def _write(a: argparse.Namespace, record: dict) -> int:
    if a.json:
        Path(a.json).write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
