"""Page and API load times of the dashboard over a store of 10,000 reports.

    .venv/bin/python bench/web.py [--reports 10000] [--repeat 5] [--link N] [--ingest N] [--db PATH]

Builds the store without running the NLP 10,000 times: the bundled demo
reports are read once, then their readings are stored again and again
through ``Store.add`` with distinct ids (the outlet gets a number) and, so
that the ledger holds many distinct events rather than a few with thousands
of mentions, each copy's publication date and the dates in its reading are
shifted by a week per round (a day would let each round's events chain onto
the last round's, as the ledger links mentions a day apart). The first
``--link`` reports are linked by the ledger like ingested ones (all by
default; linking cost grows with the number of stored events, so a partial
ledger keeps the build within minutes); the ledger's kept views are refreshed after each, as
the loader does. A store given with ``--db`` that predates the kept views gets them when opened
(the time is printed). Then every page and API route is requested through the
ASGI app in-process (no network), ``--repeat`` times, and the median and
worst times are printed in a table. The target is under 300 ms per page.
Last, ``--ingest`` more reports go through the loader (store, wire-copy check,
linking, views) and the time per report is printed: they are added to the store.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
import warnings
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from fogwatch import ledger, views
from fogwatch.jobs import BULK_REFRESH_EVERY, Loader, ingest_demo
from fogwatch.report import Report
from fogwatch.store import Store

TARGET_MS = 300.0
SHIFT_DAYS = 7
# A served app loads the gazetteer in the background at start-up; give it the time it takes here.
WARM_UP_S = 3.0
_DAY = re.compile(r"^(\d{4}-\d{2}-\d{2})")
ROUND = re.compile(r" (\d+)$")  # the round a copy's outlet names ("Wire 12")


def shift(value: str | None, days: int) -> str | None:
    """An ISO date (or a TIMEX3 value that starts with one) moved by ``days``; other values unchanged."""
    if not value:
        return value
    match = _DAY.match(value)
    if not match:
        return value
    moved = date.fromisoformat(match.group(1)) + timedelta(days=days)
    return moved.isoformat() + value[10:]


def variant(report: Report, round_no: int) -> Report:
    copy = Report.from_dict(report.to_dict(), report.text)
    copy.outlet = f"{report.outlet or 'Outlet'} {round_no}"
    days = round_no * SHIFT_DAYS
    copy.published = shift(report.published, days)
    for event in copy.events:
        event.date = shift(event.date, days)
    for expr in copy.times:
        expr.value = shift(expr.value, days)
    return copy


def build(db: Path, total: int, link: int) -> float:
    started = time.perf_counter()
    with Store(db) as store:
        ingest_demo(store)
        seeds = list(store.reports())
        count = len(seeds)
        round_no = 1
        while count < total:
            for seed in seeds[: total - count]:
                copy = variant(seed, round_no)
                if store.add(copy):
                    if count < link:
                        ledger.link_report(store, copy)
                        views.refresh(store)
                    count += 1
            round_no += 1
    return time.perf_counter() - started


def refresh(db: Path) -> float:
    """Bring the kept views up to date (all of them, for a store from before they were kept)."""
    started = time.perf_counter()
    with Store(db) as store:
        views.refresh(store)
    return time.perf_counter() - started


def ingest_cost(db: Path, count: int, refresh_every: int = 1) -> float:
    """Milliseconds per report for ``count`` new reports through the loader (readings already made),
    its views refreshed after every ``refresh_every`` reports and at the end."""
    with Store(db) as store:
        reports = list(store.reports())
        rounds = [int(m.group(1)) for r in reports if (m := ROUND.search(r.outlet or ""))]
        seeds = [r for r in reports if not ROUND.search(r.outlet or "")]
        first = max(rounds, default=0) + 1
        copies = [variant(seeds[i % len(seeds)], first + i // len(seeds)) for i in range(count)]
        load = Loader(store, refresh_every)  # reads the copy index: not part of a report's cost
        started = time.perf_counter()
        for copy in copies:
            load(copy)
        load.finish()
        return (time.perf_counter() - started) * 1000 / max(count, 1)


def routes(client: Any) -> list[str]:
    first = client.get("/api/reports?limit=1").json()["items"][0]["id"]
    event = client.get("/api/events?limit=1").json()["items"][0]["id"]
    actor = client.get("/api/actors?limit=1").json()["items"][0]["name"]
    place = client.get("/api/places?limit=1").json()["items"][0]["name"]
    return [
        "/",
        "/reports",
        "/reports?offset=5000",
        "/reports?source=Wire&date_from=2020-01-01",
        f"/reports/{first}",
        "/claims",
        "/claims?kind=blame",
        "/search?q=shelling",
        "/search?q=killed+civilians",
        f"/actors/{actor}",
        f"/places/{place}",
        "/events",
        "/events?type=ASSAULT&date_from=2020-01-01",
        f"/events/{event}",
        "/map",
        "/map?type=CEASEFIRE",
        "/ceasefires",
        "/blame",
        "/contested",
        "/api/reports",
        "/api/claims",
        "/api/events",
        "/api/events?format=geojson&limit=400",
        "/api/actors",
        "/api/places",
        "/api/search?q=Kharkiv",
        "/api/blame",
        "/api/ceasefires",
    ]


def measure(client: Any, path: str, repeat: int) -> tuple[float, float, float, int]:
    times = []
    status = 0
    for _ in range(repeat + 1):
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        status = response.status_code
    first, rest = times[0], times[1:]
    return first, statistics.median(rest), max(rest), status


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--link", type=int, default=None, help="link only the first N reports (default: all)")
    parser.add_argument("--ingest", type=int, default=0, help="then time N more reports through the loader")
    parser.add_argument("--db", help="reuse or build this database (default: a temporary file)")
    args = parser.parse_args()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    from fogwatch.web import create_app

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(args.db) if args.db else Path(tmp) / "bench.db"
        if not db.exists():
            print(f"building {args.reports} reports ...", file=sys.stderr)
            link = args.reports if args.link is None else args.link
            print(f"built in {build(db, args.reports, link):.0f} s", file=sys.stderr)
        print(f"views refreshed in {refresh(db):.1f} s", file=sys.stderr)
        with Store(db) as store:
            counts = store.count()
            linked = store.linked_report_count()
        print(
            f"store: {counts['reports']} reports, {counts['claims']} claims, "
            f"{counts['events']} event mentions, "
            f"{counts.get('ledger_events', '?')} linked events from {linked} linked reports"
        )
        print(f"{'route':48} {'first ms':>9} {'median ms':>10} {'worst ms':>9}  status")
        slow = 0
        with TestClient(
            create_app(db)
        ) as client:  # runs the app's start-up (gazetteer warm-up) like a server
            time.sleep(WARM_UP_S)
            for path in routes(client):
                first, median, worst, status = measure(client, path, args.repeat)
                flag = "" if median <= TARGET_MS else "  SLOW"
                slow += bool(flag)
                print(f"{path[:48]:48} {first:9.1f} {median:10.1f} {worst:9.1f}  {status}{flag}")
        print(
            f"{slow} route(s) over {TARGET_MS:.0f} ms (median of {args.repeat}, after a first request "
            f"that also fills the per-process caches)"
        )
        for every in (1, BULK_REFRESH_EVERY) if args.ingest else ():
            print(f"ingest: {ingest_cost(db, args.ingest, every):.1f} ms per report over {args.ingest} reports "
                  f"through the loader (store, wire-copy check, linking, views refreshed every {every})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
