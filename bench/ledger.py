"""The ledger over real overlapping coverage: the seed report beside the whole TR-News corpus.

    .venv/bin/python bench/ledger.py [--db PATH] [--keep]

Ingests ../shared/seeds/aleppo-ceasefire-2016-12-14.txt (VICE News,
2016-12-14) and every article of ../shared/eval/geo/TR-News.xml (outlet = its
domain, publication date = its download date, the closest date the corpus
gives) into a fresh database through the real ingest path, then prints what
the ledger found: wire copies, events reported by more than one report, the
ceasefire board, contradictions, and whether the seed and TR-News article
1050002 (NYT/AP on the same cease-fire) meet on one ceasefire.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seeds" / "aleppo-ceasefire-2016-12-14.txt"
TRNEWS = SHARED / "eval" / "geo" / "TR-News.xml"
NYT_AP_DOCID = "1050002"


def trnews_records() -> list[dict[str, str]]:
    records = []
    for article in ET.parse(TRNEWS).getroot().iter("article"):
        text = (article.findtext("text") or "").strip()
        if not text:
            continue
        records.append({
            "text": text + "\n",
            "title": " ".join((article.findtext("title") or "").split()),
            "outlet": (article.findtext("domain") or "").strip(),
            "published": _iso_day(article.findtext("dltime") or ""),
            "url": " ".join((article.findtext("url") or "").split()),
            "docid": article.get("docid", ""),
        })
    return records


def _iso_day(value: str) -> str:
    """TR-News download times come in several formats; the default dateparser settings read them."""
    import dateparser

    parsed = dateparser.parse(value.replace("|", " ").strip()) if value.strip() else None
    return parsed.date().isoformat() if parsed else ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", help="database to build (default: a temporary file)")
    args = parser.parse_args()
    if not SEED.exists() or not TRNEWS.exists():
        print(f"skipped: the seed or TR-News is absent under {SHARED}")
        return 0
    from fogwatch import jobs, views
    from fogwatch.ingest import Metadata
    from fogwatch.terminal import describe_linked_event, show_ceasefire
    from fogwatch.store import Store

    work = Path(tempfile.mkdtemp(prefix="fogwatch-ledger-"))
    corpus = work / "trnews.jsonl"
    records = trnews_records()
    corpus.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    db = Path(args.db) if args.db else work / "ledger.db"
    started = time.perf_counter()
    with Store(db) as store:
        seed = jobs.ingest(store, [SEED], Metadata(published="2016-12-14", outlet="VICE News"))
        corpus_result = jobs.ingest(store, [corpus])
        seconds = time.perf_counter() - started
        counts = store.count()
        print(f"ingested {len(seed.added) + len(corpus_result.added)} reports in {seconds:.0f} s; "
              f"{counts['copies']} wire copies; {counts['ledger_events']} linked events from {counts['events']} mentions")
        for link in corpus_result.copies:
            print(f"  copy: {link.report_id[:10]} repeats {link.original_id[:10]} ({link.similarity:.2f})")

        multi = store.conn.execute(
            "SELECT event_id, count(DISTINCT report_id) AS n FROM event_mentions GROUP BY event_id HAVING n > 1"
            " ORDER BY n DESC"
        ).fetchall()
        print(f"\n{len(multi)} events reported by more than one report:")
        cache = views.ReadingCache(store)
        for event_id, _ in multi[:25]:
            print(describe_linked_event(views.event_ledger(store, event_id, cache)))

        boards = views.ceasefires(store)
        print(f"\nceasefire board: {len(boards)} ceasefires")
        for board in boards:
            print(show_ceasefire(board))
            titles = [cache(r).title or cache(r).origin for r in board["reports"]]
            print(f"    reports: {'; '.join(titles)}")

        aleppo = store.conn.execute("SELECT id, title FROM reports WHERE text LIKE '%Aleppo%' ORDER BY published").fetchall()
        on_board = {r for board in boards for r in board["reports"]}
        print(f"\n{len(aleppo)} reports mention Aleppo; on a ceasefire board: {sum(r[0] in on_board for r in aleppo)}")
        for report_id, title in aleppo:
            events = store.conn.execute(
                "SELECT e.type, e.id FROM event_mentions m JOIN ledger_events e ON e.id = m.event_id"
                " WHERE m.report_id = ?", (report_id,)).fetchall()
            shared = [f"{t}#{i}" for t, i in events
                      if store.conn.execute("SELECT count(DISTINCT report_id) FROM event_mentions WHERE event_id = ?",
                                            (i,)).fetchone()[0] > 1]
            print(f"  {'*' if report_id in on_board else ' '} {title[:70]}  shared events: {', '.join(shared) or 'none'}")

        seed_id = seed.added[0] if seed.added else None
        nyt = store.conn.execute("SELECT id FROM reports WHERE origin LIKE ?", (f"%:{_line_of(records)}",)).fetchone()
        if seed_id and nyt:
            for board in boards:
                reports = {item["report_id"] for item in board["timeline"]}
                if seed_id in reports and nyt[0] in reports:
                    print(f"\nseed and TR-News {NYT_AP_DOCID} meet on ceasefire #{board['id']} "
                          f"(agreed {board['agreed']}, collapsed {board['collapsed']}, brokers {board['brokers']})")
                    break
            else:
                print(f"\nseed and TR-News {NYT_AP_DOCID} do NOT meet on one ceasefire")
        contested = views.contested_claims(store)
        print(f"\n{len(contested)} events with contradictions:")
        for event in contested[:15]:
            print(describe_linked_event(event))
    return 0


def _line_of(records: list[dict[str, str]]) -> int:
    return next(i for i, r in enumerate(records, start=1) if r["docid"] == NYT_AP_DOCID)


if __name__ == "__main__":
    sys.exit(main())
