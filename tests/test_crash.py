"""A writer killed with SIGKILL at random moments, then restarted, stores every report exactly once.

Each report, its wire-copy signature and its ledger links are written in one
transaction; whatever moment the process dies, a report is there whole or not
at all, and the restarted run completes the rest.
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from fogwatch.store import Store

WRITER = Path(__file__).with_name("crash_writer.py")
REPORTS = 3000
KILLS = 12


def run_writer(db: Path, kill_after: float | None) -> int:
    process = subprocess.Popen([sys.executable, str(WRITER), str(db), str(REPORTS)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if kill_after is None:
        return process.wait(timeout=300)
    time.sleep(kill_after)
    process.send_signal(signal.SIGKILL)
    return process.wait(timeout=60)


def check_whole(store: Store) -> None:
    reports = store.report_ids()
    assert len(reports) == len(set(reports))
    signed = {r[0] for r in store.conn.execute("SELECT report_id FROM signatures")}
    assert signed == set(reports)
    mentions = dict(store.conn.execute("SELECT report_id, count(*) FROM event_mentions GROUP BY report_id").fetchall())
    events = dict(store.conn.execute("SELECT report_id, count(*) FROM events GROUP BY report_id").fetchall())
    for report_id in reports:
        assert events.get(report_id) == 2 and mentions.get(report_id) == 2, report_id


def test_sigkill_at_random_moments_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    db = tmp_path / "crash.db"
    rng = random.Random(20161214)
    killed_mid_run = 0
    for _ in range(KILLS):
        code = run_writer(db, rng.uniform(0.3, 2.0))
        killed_mid_run += code == -signal.SIGKILL
        with Store(db) as store:
            check_whole(store)
    assert killed_mid_run >= KILLS // 2, "the writer finished before most kills: the test proved little"
    assert run_writer(db, None) == 0
    with Store(db) as store:
        check_whole(store)
        assert store.count()["reports"] == REPORTS
