"""Read-only serving: every write is refused with 403, and the store underneath refuses writes too.

``fogwatch serve --read-only`` (or FOGWATCH_READ_ONLY=1) is for a public
mirror: the API's guard answers 403 before anything is read, and the store is
opened so that the database engine itself refuses a write, so that a bug in a
read path cannot change the ledger either.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the web dependencies are not installed")
with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette's notice about its httpx-based test client
    from fastapi.testclient import TestClient
from click.testing import CliRunner

from fogwatch import cli as cli_module
from fogwatch import database
from fogwatch.errors import StoreError
from fogwatch.jobs import ingest_demo
from fogwatch.store import Store
from fogwatch.web import create_app

TOKEN = "read-only-token-0123456789"
POSTGRES = os.environ.get("FOGWATCH_TEST_POSTGRES")
REPORT = {"text": "Shelling hit Kharkiv on Monday, officials said.", "outlet": "Mirror Test"}


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("ro") / "demo.db"
    with Store(db) as store:
        ingest_demo(store)
    return db


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_writes_are_403_even_with_the_token_and_nothing_changes(demo_db: Path) -> None:
    before = digest(demo_db)
    client = TestClient(create_app(demo_db, token=TOKEN, read_only=True))
    response = client.post("/api/reports", json=REPORT, headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 403
    error = response.json()["error"]
    assert set(error) == {"code", "message", "fix"} and error["code"] == "W403"
    assert "read-only" in error["message"] and "--read-only" in error["fix"]
    assert client.get("/api/reports").json()["total"] == 5
    assert digest(demo_db) == before


def test_the_dashboard_says_it_is_read_only(demo_db: Path) -> None:
    assert "read-only server" in TestClient(create_app(demo_db, read_only=True)).get("/").text
    assert "read-only server" not in TestClient(create_app(demo_db, token=TOKEN)).get("/").text


def test_every_write_route_is_refused(demo_db: Path) -> None:
    """Enumerated from the schema, so a write route added later is checked too."""
    client = TestClient(create_app(demo_db, token=TOKEN, read_only=True))
    writes = [
        (method, path)
        for path, operations in client.get("/openapi.json").json()["paths"].items()
        for method in operations
        if method in ("post", "put", "patch", "delete")
    ]
    assert writes
    for method, path in writes:
        response = client.request(method, path, json=REPORT, headers={"Authorization": f"Bearer {TOKEN}"})
        assert response.status_code == 403 and response.json()["error"]["code"] == "W403", (method, path)


def test_sqlite_opened_read_only_refuses_writes_itself(demo_db: Path, tmp_path: Path) -> None:
    with Store(demo_db, read_only=True) as store:
        assert store.count()["reports"] == 5
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            store.conn.execute("DELETE FROM reports")
    with pytest.raises(StoreError) as missing:
        Store(tmp_path / "absent.db", read_only=True)
    assert missing.value.code == "E015" and not (tmp_path / "absent.db").exists()


def test_a_store_behind_the_schema_is_refused_read_only(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    with Store(db) as store:
        store.conn.execute("UPDATE fogwatch_schema SET version = 1")
        store.conn.commit()
    with pytest.raises(StoreError, match="read-only"):
        Store(db, read_only=True)


@pytest.mark.skipif(not POSTGRES, reason="set FOGWATCH_TEST_POSTGRES to a PostgreSQL database the tests may wipe")
def test_postgres_opened_read_only_refuses_writes_itself() -> None:
    import psycopg

    Store(POSTGRES).close()  # migrated (or already up to date)
    with Store(POSTGRES, read_only=True) as store:
        before = store.count()
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
            store.conn.execute("DELETE FROM failures")
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction), store.transaction():
            store.conn.execute("INSERT INTO failures VALUES ('a', 'b', 'c', 'd')")
        assert store.count() == before


@pytest.mark.parametrize("args,env", [(["--read-only"], {}), ([], {"FOGWATCH_READ_ONLY": "1"})])
def test_serve_passes_read_only_on(demo_db: Path, monkeypatch: pytest.MonkeyPatch, args: list[str],
                                   env: dict[str, str]) -> None:
    """The flag and the environment variable both reach the app; the server is not started."""
    import uvicorn

    seen = {}
    monkeypatch.setattr(uvicorn.Server, "run", lambda server, sockets: seen.update(app=server.config.app))
    monkeypatch.delenv("FOGWATCH_READ_ONLY", raising=False)
    result = CliRunner(env=env).invoke(cli_module.cli, ["serve", "--db", str(demo_db), "--port", "0", *args])
    assert result.exit_code == 0, result.output
    assert "read-only (--read-only" in result.output
    assert seen["app"].state.settings.read_only is True


# -- a store on a read-only filesystem (a public mirror's usual case) --------------------------

# Run in a private user and mount namespace: the folder is bound onto itself read-only, which stops
# root too (chmod 0555 would not), and the mount vanishes with the process.
READ_ONLY_MOUNT = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"'
SERVE_FROM_IT = """
import sys, warnings
warnings.simplefilter("ignore")
from pathlib import Path
from fastapi.testclient import TestClient
from fogwatch.store import Store
from fogwatch.web import create_app
db = Path(sys.argv[1])
try:
    (db.parent / "probe").touch()
    print("WRITABLE")
except OSError:
    pass
with Store(db, read_only=True) as store:
    print("reports", store.count()["reports"])
print("api", TestClient(create_app(db, read_only=True)).get("/api/reports").json()["total"])
print("left", sorted(p.name for p in db.parent.iterdir()))
"""


def run_on_a_read_only_mirror(demo_db: Path, tmp_path: Path, script: str, timeout: int
                              ) -> subprocess.CompletedProcess[str]:
    """Run a Python ``script`` (given the mirrored database's path) in a private mount namespace where
    a copy of the demo store sits on a read-only filesystem; skip where no such mount can be made."""
    if not shutil.which("unshare"):
        pytest.skip("unshare is not installed: the read-only mount cannot be made")
    folder = tmp_path / "mirror"
    folder.mkdir()
    shutil.copy(demo_db, folder / "demo.db")
    probe = subprocess.run(["unshare", "-rm", "sh", "-c", READ_ONLY_MOUNT, "sh", str(folder), "true"],
                           capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.skip(f"no private read-only mount in this sandbox ({probe.stderr.strip()[:120]})")
    return subprocess.run(
        ["unshare", "-rm", "sh", "-c", READ_ONLY_MOUNT, "sh", str(folder),
         sys.executable, "-c", script, str(folder / "demo.db")],
        capture_output=True, text=True, timeout=timeout,
    )


def test_read_only_serving_works_from_a_read_only_filesystem(demo_db: Path, tmp_path: Path) -> None:
    """Opening a WAL database with mode=ro alone needs its -shm and -wal files, which cannot be created here
    (where no read-only mount can be made, the simulated test below covers the open path)."""
    result = run_on_a_read_only_mirror(demo_db, tmp_path, SERVE_FROM_IT, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.splitlines()
    assert "WRITABLE" not in lines, "the mount was not read-only"
    assert "reports 5" in lines and "api 5" in lines
    assert "left ['demo.db']" in lines


def test_an_unwritable_folder_opens_the_store_immutable(demo_db: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The same open path, simulated where no read-only mount can be made: the folder reported unwritable."""
    copy = tmp_path / "demo.db"
    shutil.copy(demo_db, copy)
    assert "immutable" not in database.read_only_uri(copy)
    monkeypatch.setattr(database, "writable", lambda folder: False)
    assert database.read_only_uri(copy).endswith("?mode=ro&immutable=1")
    with Store(copy, read_only=True) as store:
        assert store.count()["reports"] == 5
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.db"]


def test_changes_left_in_a_wal_file_are_not_hidden_by_immutable_mode(demo_db: Path, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    copy = tmp_path / "demo.db"
    shutil.copy(demo_db, copy)
    Path(f"{copy}-wal").write_bytes(b"\0" * 4096)
    monkeypatch.setattr(database, "writable", lambda folder: False)
    with pytest.raises(StoreError) as refused:
        Store(copy, read_only=True)
    assert refused.value.code == "E015" and "demo.db-wal" in refused.value.reason


# -- the reading commands on a mirror --------------------------------------------------------------

MIRROR_COMMANDS = {
    "reports": [], "events": [], "claims": [], "ceasefires": [], "blame": [], "export": [],
    "show": ["Kharkiv"], "event": ["1"], "unlink": ["Kharkiv", "0"], "refresh": [],
}
RUN_EACH = """
import subprocess, sys
db = sys.argv[1]
for command, args in %r.items():
    done = subprocess.run([sys.executable, "-m", "fogwatch", command, *args, "--db", db], capture_output=True,
                          text=True)
    print(command, done.returncode, bool(done.stdout.strip()), done.stderr.strip().splitlines()[-1:] or "")
print("left", sorted(p.name for p in __import__("pathlib").Path(db).parent.iterdir()))
""" % MIRROR_COMMANDS


def test_reading_commands_read_a_store_on_a_read_only_filesystem(demo_db: Path, tmp_path: Path) -> None:
    """On a mirror's read-only filesystem 'fogwatch reports' said 'unable to open database file' (E015): a
    command that only reads opens such a store read-only, as serve --read-only does, and writes nothing;
    one that writes (unlink, refresh) says the store cannot be written."""
    result = run_on_a_read_only_mirror(demo_db, tmp_path, RUN_EACH, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    seen = {line.split()[0]: line for line in result.stdout.splitlines()}
    for command in ("reports", "events", "claims", "ceasefires", "blame", "export", "show", "event"):
        assert seen[command].startswith(f"{command} 0 True"), seen[command]
    for command in ("unlink", "refresh"):
        assert seen[command].startswith(f"{command} 3 False") and "E015" in seen[command], seen[command]
        assert "cannot be written" in seen[command], seen[command]
    assert seen["left"] == "left ['demo.db']"
