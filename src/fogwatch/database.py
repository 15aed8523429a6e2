"""The two databases a store can live in: SQLite (the zero-set-up default) and PostgreSQL (shared).

The store and the ledger write portable SQL with ``?`` placeholders, upserts
spelled ``ON CONFLICT``, and ``RETURNING``; what genuinely differs between the
two engines lives here: column types, JSON array expansion, full-text search,
the triggers that count writes and mark the ledger's kept views stale, and how a
connection is opened. A PostgreSQL
connection is wrapped so that it answers the same small interface as
``sqlite3.Connection`` (``execute``, ``executemany``, ``executescript``,
``with conn:`` for a transaction, rows readable by position and by column name).
"""

from __future__ import annotations

import os
import re
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .errors import Errors, StoreError

POSTGRES_PREFIXES = ("postgresql://", "postgres://")
# The longest text a filter may be: names, ids and a few words are far shorter, and
# 1,000 characters (at most 4,000 bytes) stay well under SQLite's LIKE pattern limit
# of 50,000 bytes, past which SQLite refuses the query ("pattern too complex").
MAX_FILTER_CHARS = 1000
# Any fixed number names PostgreSQL's advisory lock taken while a store migrates;
# this one spells "fogw" in ASCII.
MIGRATION_LOCK_KEY = 0x666F6777
# Every table whose writes bump the store's change counter (``fogwatch_meta.changes``): all the
# data, so that an answer cached under one count is never served after any write, whichever
# module or process made it.
COUNTED_TABLES = ("reports", "claims", "events", "places", "actors", "failures", "signatures", "copies",
                  "ledger_events", "event_mentions")


def is_postgres(target: str | Path) -> bool:
    return str(target).startswith(POSTGRES_PREFIXES)


def like_escape(value: str) -> str:
    """A value matched literally by ``LIKE ... ESCAPE '\\'`` (its % and _ are not wildcards).

    Every LIKE filter passes through here, so this is where an over-long value is
    refused (E020) before the database engine would fail on it, and a NUL
    character (E021): SQLite ends a LIKE pattern at it, so ``%\x00%`` would
    match every row. A value of spaces alone is refused (E026): matched
    literally, it would find every name of two words, not a name the user gave.
    """
    if len(value) > MAX_FILTER_CHARS:
        raise StoreError(Errors.E020, length=len(value), limit=MAX_FILTER_CHARS)
    if "\x00" in value:
        raise StoreError(Errors.E021)
    if value and not value.strip():
        raise StoreError(Errors.E026, name="text", value=value)
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# At most this many search terms are used: a longer query is cut, never refused.
MAX_QUERY_TERMS = 16
_TERM = re.compile(r"\w+\*?", re.UNICODE)


def fts_query(text: str) -> str:
    """A user's words as a valid FTS5 query: every term quoted, AND-ed; ``word*`` keeps its prefix star.

    Operators, quotes and brackets the user typed are dropped rather than
    interpreted, so no input can make FTS5 raise a syntax error. The store's
    search and the web's search both build their query here.
    """
    terms = []
    for match in _TERM.findall(text)[:MAX_QUERY_TERMS]:
        word, star = (match[:-1], "*") if match.endswith("*") else (match, "")
        terms.append('"' + word.replace('"', '""') + '"' + star)
    return " ".join(terms)


def _sqlite_change_triggers() -> str:
    """One trigger per table and kind of write (SQLite has no statement-level triggers): each row
    written bumps the counter, inside the writer's own transaction, so it commits with the data."""
    return "".join(
        f"CREATE TRIGGER {table}_{op.lower()}_counted AFTER {op} ON {table}"
        " BEGIN UPDATE fogwatch_meta SET value = value + 1 WHERE key = 'changes'; END;"
        for table in COUNTED_TABLES
        for op in ("INSERT", "UPDATE", "DELETE")
    )


def _postgres_change_triggers() -> str:
    """One statement-level trigger per table. BEFORE the statement, so that in a writing
    transaction the counter row is locked before any other row: concurrent writers queue on it
    (the store's writes are short) and never hold each other's rows in a cycle."""
    return (
        "CREATE FUNCTION fogwatch_count_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
        " UPDATE fogwatch_meta SET value = value + 1 WHERE key = 'changes'; RETURN NULL; END $$;"
        + "".join(
            f" CREATE TRIGGER {table}_counted BEFORE INSERT OR UPDATE OR DELETE ON {table}"
            " FOR EACH STATEMENT EXECUTE FUNCTION fogwatch_count_change();"
            for table in COUNTED_TABLES
        )
    )


def _sqlite_stale_triggers() -> str:
    """Triggers that mark the ledger's kept views stale (migration 6), in the writer's transaction:
    a linked event whose row or mentions change; the events a report's mentions joined when its row
    or its wire-copy link changes; and the report itself when it is stored or changed.

    A mark already there is skipped by ``NOT EXISTS``, not ``OR IGNORE``: in SQLite an upsert's
    conflict handling overrides that of the statements its triggers run."""
    def mark(events: str) -> str:
        return (f"INSERT INTO views_stale_events SELECT DISTINCT event_id FROM ({events})"
                " WHERE event_id NOT IN (SELECT event_id FROM views_stale_events);")

    def of_report(row: str, column: str) -> str:
        return mark(f"SELECT event_id FROM event_mentions WHERE report_id = {row}.{column}")

    report = ("INSERT INTO views_stale_reports SELECT NEW.id"
              " WHERE NOT EXISTS (SELECT 1 FROM views_stale_reports WHERE report_id = NEW.id);")
    triggers = {
        ("ledger_events", "INSERT"): mark("SELECT NEW.id AS event_id"),
        ("ledger_events", "UPDATE"): mark("SELECT NEW.id AS event_id"),
        ("event_mentions", "INSERT"): mark("SELECT NEW.event_id AS event_id"),
        ("event_mentions", "UPDATE"): mark("SELECT OLD.event_id AS event_id UNION SELECT NEW.event_id"),
        ("event_mentions", "DELETE"): mark("SELECT OLD.event_id AS event_id"),
        ("copies", "INSERT"): of_report("NEW", "report_id"),
        ("copies", "UPDATE"): of_report("OLD", "report_id") + of_report("NEW", "report_id"),
        ("copies", "DELETE"): of_report("OLD", "report_id"),
        ("reports", "INSERT"): report,
        ("reports", "UPDATE"): report + of_report("NEW", "id"),
    }
    return "".join(f"CREATE TRIGGER {table}_{op.lower()}_stale AFTER {op} ON {table} BEGIN {body} END;"
                   for (table, op), body in triggers.items())


def _postgres_stale_triggers() -> str:
    """Row triggers that mark the ledger's kept views stale, as ``_sqlite_stale_triggers`` says."""
    mark = "INSERT INTO views_stale_events"
    done = "ON CONFLICT DO NOTHING;"
    of_report = f"{mark} SELECT event_id FROM event_mentions WHERE report_id = {{}} {done}"
    functions = {
        "ledger_events": f"{mark} VALUES (NEW.id) {done}",
        "event_mentions": f"IF TG_OP <> 'INSERT' THEN {mark} VALUES (OLD.event_id) {done} END IF;"
                          f" IF TG_OP <> 'DELETE' THEN {mark} VALUES (NEW.event_id) {done} END IF;",
        "copies": f"IF TG_OP <> 'INSERT' THEN {of_report.format('OLD.report_id')} END IF;"
                  f" IF TG_OP <> 'DELETE' THEN {of_report.format('NEW.report_id')} END IF;",
        "reports": f"INSERT INTO views_stale_reports VALUES (NEW.id) {done}"
                   f" IF TG_OP = 'UPDATE' THEN {of_report.format('NEW.id')} END IF;",
    }
    operations = {"ledger_events": "INSERT OR UPDATE", "event_mentions": "INSERT OR UPDATE OR DELETE",
                  "copies": "INSERT OR UPDATE OR DELETE", "reports": "INSERT OR UPDATE"}
    return "".join(
        f" CREATE FUNCTION fogwatch_stale_{table}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {body}"
        f" RETURN NULL; END $$; CREATE TRIGGER {table}_stale AFTER {operations[table]} ON {table}"
        f" FOR EACH ROW EXECUTE FUNCTION fogwatch_stale_{table}();"
        for table, body in functions.items()
    )


class SQLiteDialect:
    name = "sqlite"
    types = {"serial_pk": "INTEGER PRIMARY KEY", "blob": "BLOB", "float": "REAL"}
    # Extra statements per migration number that only this engine runs.
    extras = {
        1: "CREATE VIRTUAL TABLE reports_fts USING fts5(title, text, content='reports', content_rowid='rowid');",
        5: _sqlite_change_triggers(),
        6: _sqlite_stale_triggers(),
    }

    def connect(self, target: str | Path, read_only: bool = False) -> sqlite3.Connection:
        """A connection; ``read_only`` opens the file with ``mode=ro``, so SQLite itself refuses every write."""
        path = Path(target)
        if read_only:
            conn = sqlite3.connect(read_only_uri(path), uri=True, timeout=BUSY_TIMEOUT_S)
        else:
            if str(target) != ":memory:":
                path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S)
            _set_wal(conn)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA foreign_keys = ON")
        return conn

    @contextmanager
    def exclusive(self, conn: sqlite3.Connection) -> Iterator[None]:
        """One transaction that holds the write lock from its first statement.

        ``BEGIN IMMEDIATE`` makes a second process (or thread) that opens the
        same new store wait here instead of running the same migration at the
        same moment and failing on "table already exists".
        """
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            conn.rollback()
            raise
        conn.commit()

    def has_table(self, conn: sqlite3.Connection, name: str) -> bool:
        found = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone()
        return found is not None

    def run_script(self, conn: sqlite3.Connection, script: str) -> None:
        """Run statements one by one inside the open transaction (``executescript`` would commit it first)."""
        for statement in split_statements(script):
            conn.execute(statement)

    def json_values(self, column: str) -> str:
        """A table expression with one row per element of a JSON array column, in a column ``value``."""
        return f"json_each({column})"

    def index_text(self, conn: Any, report_id: str) -> None:
        conn.execute(
            "INSERT INTO reports_fts (rowid, title, text) SELECT rowid, title, text FROM reports WHERE id = ?",
            (report_id,),
        )

    def search(self, conn: Any, text: str, limit: int, offset: int, marks: tuple[str, str],
               words: int) -> tuple[int, list[Any]]:
        query = fts_query(text)
        if not query:
            return 0, []
        total = conn.execute("SELECT count(*) FROM reports_fts WHERE reports_fts MATCH ?", (query,)).fetchone()[0]
        rows = conn.execute(
            "SELECT r.id, r.title, r.outlet, r.published, snippet(reports_fts, 1, ?, ?, '…', ?) AS snippet"
            " FROM reports_fts JOIN reports r ON r.rowid = reports_fts.rowid WHERE reports_fts MATCH ?"
            " ORDER BY bm25(reports_fts), r.id LIMIT ? OFFSET ?",
            (*marks, words, query, limit, offset),
        ).fetchall()
        return total, rows


# Seconds a connection waits for another's lock before giving up.
BUSY_TIMEOUT_S = 30
# Pause between tries to switch a new store to WAL while another opener holds it (doubling each time).
WAL_RETRY_PAUSE_S = 0.02


def _set_wal(conn: sqlite3.Connection) -> None:
    """Switch to write-ahead logging. SQLite may refuse that at once ("database is locked") while
    another connection is creating or migrating the same new file, without waiting as other
    statements do, so the switch is retried for as long as any statement would wait (several
    threads opening one new store at once: the API's first requests)."""
    pause, waited = WAL_RETRY_PAUSE_S, 0.0
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as err:
            if "locked" not in str(err) or waited >= BUSY_TIMEOUT_S:
                raise
        time.sleep(pause)
        waited += pause
        pause = min(pause * 2, 1.0)


def split_statements(script: str) -> list[str]:
    """The complete SQL statements of ``script``, split where SQLite itself says one ends."""
    statements, pending = [], ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \t\n;"):
                statements.append(pending.strip())
            pending = ""
    return statements


def writable(folder: Path) -> bool:
    """Whether files can be created in ``folder`` (False on a read-only mount, even for root)."""
    return os.access(folder, os.W_OK)


def read_only_uri(path: Path) -> str:
    """The SQLite URI that opens ``path`` read-only, also where its folder cannot be written.

    A WAL database opened with ``mode=ro`` still needs its ``-shm`` and ``-wal``
    files, which SQLite cannot create on a read-only filesystem (a public
    mirror's usual place). There the file is opened ``immutable``: no locks, no
    WAL, which is right because nothing can write it. A non-empty ``-wal`` left
    beside it without its ``-shm`` holds changes that immutable mode would not
    see, so that database is refused rather than shown without them.
    """
    path = path.resolve()
    uri = f"file:{quote(str(path))}?mode=ro"
    if writable(path.parent):
        return uri
    wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
    if wal.exists() and shm.exists():
        return uri  # SQLite reads an existing WAL through its existing index, read-only
    if wal.exists() and wal.stat().st_size > 0:
        raise ValueError(f"its folder is read-only and {wal.name} holds changes not yet in the database; "
                         "open it once for writing where it can be written, then copy it again")
    return uri + "&immutable=1"


class PostgresDialect:
    """PostgreSQL: search uses the 'simple' text configuration (lower-cased words, no stemming and
    no stop words), which finds what SQLite's FTS5 default tokenizer finds."""

    name = "postgresql"
    types = {"serial_pk": "BIGSERIAL PRIMARY KEY", "blob": "BYTEA", "float": "DOUBLE PRECISION"}
    extras = {
        1: "ALTER TABLE reports ADD COLUMN search tsvector GENERATED ALWAYS AS "
           "(to_tsvector('simple', coalesce(title, '') || ' ' || text)) STORED;"
           " CREATE INDEX reports_search ON reports USING GIN (search);",
        5: _postgres_change_triggers(),
        6: _postgres_stale_triggers(),
    }

    def connect(self, target: str | Path, read_only: bool = False) -> PostgresConnection:
        return PostgresConnection(str(target), read_only)

    @contextmanager
    def exclusive(self, conn: PostgresConnection) -> Iterator[None]:
        """One transaction holding an advisory lock, so concurrent first opens migrate one at a time."""
        with conn:
            conn.execute("SELECT pg_advisory_xact_lock(%d)" % MIGRATION_LOCK_KEY)
            yield

    def has_table(self, conn: PostgresConnection, name: str) -> bool:
        return conn.execute("SELECT to_regclass(?) IS NOT NULL AS found", (name,)).fetchone()[0]

    def run_script(self, conn: PostgresConnection, script: str) -> None:
        conn.executescript(script)

    def json_values(self, column: str) -> str:
        return f"json_array_elements_text({column}::json) AS j(value)"

    def index_text(self, conn: Any, report_id: str) -> None:
        """Nothing to do: the search column is generated from the row."""

    def search(self, conn: Any, text: str, limit: int, offset: int, marks: tuple[str, str],
               words: int) -> tuple[int, list[Any]]:
        terms = " ".join(re.findall(r"\w+", text, flags=re.UNICODE))
        if not terms:
            return 0, []
        where = "search @@ plainto_tsquery('simple', ?)"
        total = conn.execute(f"SELECT count(*) FROM reports WHERE {where}", (terms,)).fetchone()[0]
        options = f"StartSel={marks[0]}, StopSel={marks[1]}, MaxWords={words}, MinWords={min(8, words - 1)}"
        rows = conn.execute(
            "SELECT id, title, outlet, published,"
            " ts_headline('simple', text, plainto_tsquery('simple', ?), ?) AS snippet"
            f" FROM reports WHERE {where}"
            " ORDER BY ts_rank(search, plainto_tsquery('simple', ?)) DESC, id LIMIT ? OFFSET ?",
            (terms, options, terms, terms, limit, offset),
        ).fetchall()
        return total, rows


class Row(tuple):
    """A result row readable by position and by column name, like ``sqlite3.Row``."""

    _index: dict[str, int]

    def __new__(cls, values: Sequence[Any], index: dict[str, int]) -> Row:
        row = super().__new__(cls, values)
        row._index = index
        return row

    def __getitem__(self, key: Any) -> Any:  # type: ignore[override]
        if isinstance(key, str):
            key = self._index[key]
        return super().__getitem__(key)

    def keys(self) -> list[str]:
        return list(self._index)


def _row_factory(cursor: Any) -> Any:
    names = [column.name for column in cursor.description or ()]
    index = {name: i for i, name in enumerate(names)}
    return lambda values: Row(values, index)


def _to_pyformat(sql: str) -> str:
    """SQLite's ``?`` placeholders as psycopg's ``%s`` (literal ``%`` doubled)."""
    return sql.replace("%", "%%").replace("?", "%s")


def _refuse_nul(params: Sequence[Any]) -> None:
    """A catalogued error (E021) instead of psycopg's DataError for text PostgreSQL cannot hold."""
    if any(isinstance(value, str) and "\x00" in value for value in params):
        raise StoreError(Errors.E021)


class PostgresConnection:
    """psycopg behind the slice of the sqlite3 interface the store uses."""

    def __init__(self, url: str, read_only: bool = False) -> None:
        """``read_only``: every transaction of this session is read-only, so the server refuses writes."""
        import psycopg

        self.raw = psycopg.connect(url, autocommit=True, row_factory=_row_factory)
        if read_only:
            self.raw.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
        self._transactions: list[Any] = []

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        _refuse_nul(params)
        return self.raw.execute(_to_pyformat(sql), tuple(params))

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        rows = list(rows)
        for row in rows:
            _refuse_nul(row)
        if rows:
            with self.raw.cursor() as cursor:
                cursor.executemany(_to_pyformat(sql), rows)

    def executescript(self, script: str) -> None:
        self.raw.execute(script)

    def __enter__(self) -> PostgresConnection:
        transaction = self.raw.transaction()
        transaction.__enter__()
        self._transactions.append(transaction)
        return self

    def __exit__(self, *exc: Any) -> None:
        self._transactions.pop().__exit__(*exc)

    def close(self) -> None:
        self.raw.close()


def dialect_for(target: str | Path) -> SQLiteDialect | PostgresDialect:
    return PostgresDialect() if is_postgres(target) else SQLiteDialect()
