"""The store's one interface: the web and the ledger send no SQL of their own, every write moves the
change counter, and what the web keeps between requests (cached views, the wire-copy index) follows
the store."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette's notice about its httpx-based test client
    from fastapi.testclient import TestClient

from fogwatch import dedup, views
from fogwatch.extract import Failure
from fogwatch.jobs import ingest_demo
from fogwatch.report import Report
from fogwatch.store import Store
from fogwatch.web import create_app

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "fogwatch"
WEB = PACKAGE / "web"
# SQL sent past the store, and branches on the engine: neither belongs in the web layer or the ledger.
FORBIDDEN = re.compile(r"\.conn\.|execute\(|\bdialect\b")
TOKEN = "test-token-0123456789"
# The tables of migration 6 (the ledger's kept views), dropped to make a store of an older schema.
VIEW_TABLES = ("blame_places", "blame_rows", "blame_claims", "ceasefire_boards", "event_views",
               "views_stale_reports", "views_stale_events")


def _sql_sent(modules: list[Path]) -> list[str]:
    """Each line of these modules that sends SQL past the store or asks which engine it runs on."""
    assert modules
    return [f"{path.name}:{n}: {line.strip()}" for path in modules
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
            if FORBIDDEN.search(line)]


def test_the_web_sends_no_sql_of_its_own() -> None:
    assert _sql_sent(sorted(WEB.rglob("*.py"))) == []


def test_the_ledger_and_its_views_send_no_sql_of_their_own() -> None:
    assert _sql_sent([PACKAGE / "ledger.py", PACKAGE / "views.py"]) == []


def test_every_write_moves_the_change_counter_and_reading_does_not(tmp_path: Path) -> None:
    with Store(tmp_path / "c.db") as store:
        seen = [store.changes()]
        report = Report(text="Shelling resumed in the north on Monday, residents said.", outlet="Wire")
        writes = (
            lambda: store.add(report),
            lambda: store.record_failure(Failure("feed.xml", "unreadable", "E001")),
            lambda: store.save_signature(report.id, b"\x00" * 8),
            lambda: store.conn.execute("UPDATE reports SET title = 'Shelling' WHERE id = ?", (report.id,)),
        )
        for write in writes:
            with store.transaction():
                write()
            seen.append(store.changes())
        store.report_ids(), store.count(), store.search("shelling"), store.load(report.id)
        seen.append(store.changes())
    assert all(a < b for a, b in zip(seen[:-2], seen[1:-1])), seen
    assert seen[-1] == seen[-2]


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("interface") / "demo.db"
    with Store(db) as store:
        ingest_demo(store)
    return db


def test_cached_views_follow_a_write_by_another_process(
    demo_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A ledger answer is computed once per store state: kept while nothing is written, computed
    again after another process changes a linked event (a write that adds no row)."""
    client = TestClient(create_app(demo_db))
    event_id = client.get("/api/events?limit=1").json()["items"][0]["id"]
    computed: list[int] = []
    event_ledger = views.event_ledger
    monkeypatch.setattr(views, "event_ledger",
                        lambda s, i, *rest: computed.append(i) or event_ledger(s, i, *rest))
    assert client.get(f"/api/events/{event_id}").json()["place"] != "Elsewhere"
    client.get(f"/api/events/{event_id}")
    assert computed == [event_id]
    subprocess.run(
        [sys.executable, "-c", "import sqlite3, sys; conn = sqlite3.connect(sys.argv[1]);"
         " conn.execute(\"UPDATE ledger_events SET place = 'Elsewhere' WHERE id = ?\", (int(sys.argv[2]),));"
         " conn.commit()", str(demo_db), str(event_id)],
        check=True,
    )
    assert client.get(f"/api/events/{event_id}").json()["place"] == "Elsewhere"
    assert computed == [event_id, event_id]


def test_an_older_store_gains_the_counter_when_opened_for_writing(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    with Store(db) as store:
        store.add(Report(text="Shelling resumed in the north on Monday, residents said.", outlet="Wire"))
    conn = sqlite3.connect(db)
    with conn:
        for table in ("fogwatch_meta", *VIEW_TABLES):
            conn.execute(f"DROP TABLE {table}")
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
            conn.execute(f"DROP TRIGGER {name}")
        conn.execute("UPDATE fogwatch_schema SET version = 4")
    conn.close()
    with Store(db) as store:
        before = store.changes()
        store.add(Report(text="Talks on a truce opened in the capital, officials said.", outlet="Wire"))
        assert store.changes() > before


@pytest.mark.model
def test_posts_share_one_copy_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every POST /api/reports uses the process's copy index; the store's signatures are read once."""
    reads: list[str] = []
    read_index = dedup._read_index
    monkeypatch.setattr(dedup, "_read_index", lambda s: reads.append(s.location) or read_index(s))
    client = TestClient(create_app(tmp_path / "posts.db", token=TOKEN))
    texts = (
        "Rebel fighters shelled a government checkpoint near the town on Sunday, killing two soldiers, "
        "state media said. The army answered with artillery fire on villages nearby, residents said.",
        "Aid trucks reached the besieged district on Tuesday for the first time in three months, "
        "the UN said. The convoy carried food and medicine for about 40,000 people, an aid official said.",
        "Protesters marched through the capital on Saturday to demand the release of detained journalists, "
        "chanting slogans and carrying portraits of reporters held without charge for months.",
    )
    for text in texts:
        answer = client.post("/api/reports", json={"text": text, "published": "2021-03-07"},
                             headers={"Authorization": f"Bearer {TOKEN}"})
        assert answer.status_code == 201, answer.text
    assert len(reads) == 1
