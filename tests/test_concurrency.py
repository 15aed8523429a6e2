"""Two writers and a reader on one SQLite store at once: no lost writes, no 'database is locked'."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from fogwatch import views
from fogwatch.store import Store

WRITER = Path(__file__).with_name("crash_writer.py")
REPORTS = 1000


def test_concurrent_writers_and_reader(tmp_path: Path) -> None:
    db = tmp_path / "shared.db"
    Store(db).close()  # migrate once before the race
    writers = [subprocess.Popen([sys.executable, str(WRITER), str(db), str(REPORTS)], stderr=subprocess.PIPE, text=True)
               for _ in range(2)]
    reads = 0
    seen = 0
    with Store(db) as reader:
        while any(w.poll() is None for w in writers):
            count = reader.count()["reports"]
            assert count >= seen  # reads are consistent: what was committed stays visible
            seen = count
            views.query_events(reader, limit=5)
            reads += 1
            time.sleep(0.05)
    errors = [w.stderr.read() for w in writers]
    assert [w.returncode for w in writers] == [0, 0], errors
    assert not any("locked" in e for e in errors)
    assert reads > 3
    with Store(db) as store:
        assert store.count()["reports"] == REPORTS
        mentions = store.conn.execute("SELECT count(*) FROM event_mentions").fetchone()[0]
        assert mentions == 2 * REPORTS
