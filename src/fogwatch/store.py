"""The store: one write path, idempotent by content hash, in SQLite (default) or PostgreSQL.

A report's full reading is kept as JSON (the contract) beside its text; the
layers that people query (claims, events, places, actors) are also written to
their own tables so that filters are plain indexed SQL. The schema evolves
through numbered migrations, applied in order and recorded in the table
``fogwatch_schema``. Every write to a data table, by any module or process,
bumps one change counter (``fogwatch_meta``, kept by triggers), so that readers
can tell cheaply whether anything changed since they last looked; other triggers
mark which of the ledger's kept views a write made stale (migration 6). The SQL that
the views and the ledger read lives here and in ``queries.py``; nothing outside
them sends SQL of its own to the store. The same code serves both engines
(see ``database.py`` for the few places where they differ);
``Store("postgresql://...")`` opens a shared PostgreSQL database, anything else
is a SQLite file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .database import dialect_for, is_postgres, like_escape
from .errors import Errors, StoreError
from .extract import Failure
from .report import Place, Report

MIGRATIONS: tuple[str, ...] = (
    # 1: reports, their readings, queryable layers, and the record of skipped inputs.
    """
    CREATE TABLE reports (
        id TEXT PRIMARY KEY,
        title TEXT, outlet TEXT, published TEXT, language TEXT, url TEXT, origin TEXT,
        text TEXT NOT NULL,
        reading TEXT NOT NULL,
        ingested_at TEXT NOT NULL
    );
    CREATE INDEX reports_published ON reports(published);
    CREATE TABLE claims (
        report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        kind TEXT, direct INTEGER, source TEXT, source_actor TEXT, cue TEXT,
        start INTEGER, "end" INTEGER, content_start INTEGER, content_end INTEGER,
        targets TEXT, via TEXT,
        PRIMARY KEY (report_id, idx)
    );
    CREATE INDEX claims_source ON claims(source);
    CREATE TABLE events (
        report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        type TEXT, mode TEXT, acled TEXT, status TEXT, date TEXT, place TEXT,
        lat {float}, lon {float}, country TEXT, actors TEXT, targets TEXT,
        start INTEGER, "end" INTEGER,
        PRIMARY KEY (report_id, idx)
    );
    CREATE INDEX events_type_date ON events(type, date);
    CREATE TABLE places (
        report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        name TEXT, geonameid INTEGER, lat {float}, lon {float}, country TEXT, feature TEXT,
        start INTEGER, "end" INTEGER,
        PRIMARY KEY (report_id, idx)
    );
    CREATE INDEX places_name ON places(name);
    CREATE TABLE actors (
        report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        name TEXT, kind TEXT, country TEXT, role TEXT, mentions INTEGER,
        PRIMARY KEY (report_id, idx)
    );
    CREATE INDEX actors_name ON actors(name);
    CREATE TABLE failures (
        origin TEXT NOT NULL, code TEXT, reason TEXT NOT NULL, at TEXT NOT NULL,
        PRIMARY KEY (origin, reason)
    );
    """,
    # 2: wire-copy detection: each report's MinHash, and each copy's link to its group's original.
    """
    CREATE TABLE signatures (
        report_id TEXT PRIMARY KEY REFERENCES reports(id) ON DELETE CASCADE,
        minhash {blob} NOT NULL
    );
    CREATE TABLE copies (
        report_id TEXT PRIMARY KEY REFERENCES reports(id) ON DELETE CASCADE,
        original_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
        similarity {float} NOT NULL
    );
    CREATE INDEX copies_original ON copies(original_id);
    """,
    # 3: the ledger: events linked across reports, and which mention joined which event and why.
    """
    CREATE TABLE ledger_events (
        id {serial_pk},
        type TEXT NOT NULL, mode TEXT, acled TEXT,
        day_first TEXT, day_last TEXT, published TEXT,
        place TEXT, lat {float}, lon {float}, country TEXT, geonameid INTEGER, feature TEXT,
        actors TEXT NOT NULL DEFAULT '[]',
        pinned INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX ledger_events_type_day ON ledger_events(type, day_first);
    CREATE INDEX ledger_events_type_published ON ledger_events(type, published);
    CREATE TABLE event_mentions (
        report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        event_id INTEGER NOT NULL REFERENCES ledger_events(id),
        matched_on TEXT NOT NULL,
        score {float},
        PRIMARY KEY (report_id, idx)
    );
    CREATE INDEX event_mentions_event ON event_mentions(event_id);
    """,
    # 4: linking by family and time window: an agreement to cease fire is a cease-fire; an event
    # the texts do not date lies in a window bounded by publication; cease-fires hold in a theatre
    # (the countries of their reports); the targets of an attack tell it from the reply; a window
    # the text gives is hard, one bounded by publication soft. Events
    # linked before this migration keep working: their family and window are read from type and days.
    """
    ALTER TABLE ledger_events ADD COLUMN family TEXT;
    ALTER TABLE ledger_events ADD COLUMN day_lo TEXT;
    ALTER TABLE ledger_events ADD COLUMN day_hi TEXT;
    ALTER TABLE ledger_events ADD COLUMN theatre TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE ledger_events ADD COLUMN targets TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE ledger_events ADD COLUMN window_hard INTEGER;
    CREATE INDEX ledger_events_family_window ON ledger_events(family, day_lo);
    """,
    # 5: a counter of writes, bumped by triggers (see database.py) on every table that holds data, so
    # that a cached view (the dashboard's) or index (wire copies) can tell that the store changed under
    # it, whichever process wrote.
    """
    CREATE TABLE fogwatch_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
    INSERT INTO fogwatch_meta VALUES ('changes', 0);
    """,
    # 6: the ledger's views kept current (views.py): each linked event's ledger, the cease-fire board,
    # and one row per blame claim, per accusation in it and per place it is about, so that a view is a
    # table read. Triggers (see database.py) mark what a write makes stale: an event whose row, mentions,
    # mentions' reports or wire-copy links changed, and a report stored or changed; ``views.refresh``
    # recomputes those alone. Everything already stored starts stale: the first refresh fills the tables.
    """
    CREATE TABLE views_stale_events (event_id INTEGER PRIMARY KEY);
    CREATE TABLE views_stale_reports (report_id TEXT PRIMARY KEY);
    CREATE TABLE event_views (
        event_id INTEGER PRIMARY KEY,
        contested INTEGER NOT NULL,
        body TEXT NOT NULL
    );
    CREATE INDEX event_views_contested ON event_views(contested);
    CREATE TABLE ceasefire_boards (id INTEGER PRIMARY KEY, body TEXT NOT NULL);
    CREATE TABLE blame_claims (
        report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        published TEXT, day TEXT, outlet TEXT,
        source TEXT NOT NULL, source_key TEXT NOT NULL, text TEXT NOT NULL,
        PRIMARY KEY (report_id, idx)
    );
    CREATE INDEX blame_claims_day ON blame_claims(day);
    CREATE TABLE blame_rows (
        report_id TEXT NOT NULL, idx INTEGER NOT NULL, pos INTEGER NOT NULL,
        target TEXT NOT NULL, target_key TEXT NOT NULL,
        PRIMARY KEY (report_id, idx, pos),
        FOREIGN KEY (report_id, idx) REFERENCES blame_claims(report_id, idx) ON DELETE CASCADE
    );
    CREATE TABLE blame_places (
        report_id TEXT NOT NULL, idx INTEGER NOT NULL, place TEXT NOT NULL,
        PRIMARY KEY (report_id, idx, place),
        FOREIGN KEY (report_id, idx) REFERENCES blame_claims(report_id, idx) ON DELETE CASCADE
    );
    CREATE INDEX blame_places_place ON blame_places(place);
    INSERT INTO views_stale_events SELECT id FROM ledger_events;
    INSERT INTO views_stale_reports SELECT id FROM reports;
    """,
)


# The columns of a linked event as the ledger starts one, in the order they are written.
LEDGER_EVENT_COLUMNS: tuple[str, ...] = (
    "type", "mode", "acled", "day_first", "day_last", "published", "place", "lat", "lon", "country",
    "geonameid", "feature", "actors", "pinned", "family", "day_lo", "day_hi", "theatre", "targets",
    "window_hard",
)


@dataclass
class AddResult:
    added: int = 0
    unchanged: int = 0
    failed: int = 0


class Store:
    """A fogwatch database. Use as a context manager or call ``close``."""

    def __init__(self, target: str | Path, read_only: bool = False) -> None:
        """Open (and migrate) the store; ``read_only`` opens it so that the engine refuses every write
        (nothing is migrated: a store behind the current schema is refused)."""
        self.path = None if is_postgres(target) else Path(target)
        self.location = str(target) if self.path is None or str(target) == ":memory:" else str(self.path.resolve())
        self.dialect = dialect_for(target)
        self._depth = 0
        try:
            self.conn = self.dialect.connect(target, read_only)
            self._check_schema() if read_only else self._migrate()
        except Exception as err:  # noqa: BLE001 - each engine raises its own kinds; all mean "unusable"
            raise StoreError(Errors.E015, path=_redact(self.location), reason=str(err).strip()) from None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One transaction for everything inside; nested uses join the outermost.

        Storing a report, its wire-copy links and its ledger links happens in
        one transaction, so a process killed at any moment leaves each report
        either wholly stored or not at all.
        """
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self._depth = 1
        try:
            with self.conn:
                yield
        finally:
            self._depth = 0

    def _migrate(self) -> None:
        """Bring the schema up to date, all steps in one transaction under the write lock.

        A store that is already current is only read, so opening it never waits
        for a writer; one that is not is migrated by whichever opener takes the
        lock first, and the others find it done.
        """
        if self._version_or_zero() == len(MIGRATIONS):
            return
        with self.dialect.exclusive(self.conn):
            self.conn.execute("CREATE TABLE IF NOT EXISTS fogwatch_schema (version INTEGER NOT NULL)")
            version = self.schema_version
            for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                stamp = f"; DELETE FROM fogwatch_schema; INSERT INTO fogwatch_schema VALUES ({number});"
                self.dialect.run_script(
                    self.conn, script.format(**self.dialect.types) + self.dialect.extras.get(number, "") + stamp)

    def _version_or_zero(self) -> int:
        return self.schema_version if self.dialect.has_table(self.conn, "fogwatch_schema") else 0

    def _check_schema(self) -> None:
        if self.schema_version != len(MIGRATIONS):
            raise ValueError(f"opened read-only, its schema is at version {self.schema_version} of "
                             f"{len(MIGRATIONS)}; open it once for writing to bring it up to date")

    @property
    def schema_version(self) -> int:
        row = self.conn.execute("SELECT max(version) FROM fogwatch_schema").fetchone()
        return int(row[0] or 0)

    # -- the one write path -------------------------------------------------

    def add(self, report: Report) -> bool:
        """Store one report and its reading in one transaction; False when it was already there."""
        reading = report.to_dict()
        with self.transaction():
            cursor = self.conn.execute(
                "INSERT INTO reports (id, title, outlet, published, language, url, origin, text,"
                " reading, ingested_at) VALUES (?,?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING",
                (
                    report.id, report.title, report.outlet, report.published, report.language, report.url,
                    report.origin, report.text, json.dumps(reading, ensure_ascii=False), _now(),
                ),
            )
            if cursor.rowcount == 0:
                return False
            self._index_layers(report)
        return True

    def record_failure(self, failure: Failure) -> None:
        with self.transaction():
            self.conn.execute(
                "INSERT INTO failures (origin, code, reason, at) VALUES (?,?,?,?)"
                " ON CONFLICT (origin, reason) DO UPDATE SET code = excluded.code, at = excluded.at",
                (failure.origin, failure.code, failure.reason, _now()),
            )

    def _index_layers(self, report: Report) -> None:
        rid = report.id
        self.dialect.index_text(self.conn, rid)
        self.conn.executemany(
            "INSERT INTO claims VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [
                (
                    rid, i, c.kind, int(c.direct), c.source.name, c.source.actor, c.cue.text, c.start, c.end,
                    c.content.start, c.content.end, _names(c.targets), _names(c.via),
                )
                for i, c in enumerate(report.claims)
            ],
        )
        self.conn.executemany(
            "INSERT INTO events VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [
                (
                    rid, i, e.type, e.mode, e.acled, e.status, e.date, e.place, *_event_place(report.place_of(e)),
                    _names(e.actors), _names(e.targets), e.start, e.end,
                )
                for i, e in enumerate(report.events)
            ],
        )
        self.conn.executemany(
            "INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?)",
            [
                (rid, i, p.name, p.geonameid, p.lat, p.lon, p.country, p.feature, p.start, p.end)
                for i, p in enumerate(report.places)
            ],
        )
        self.conn.executemany(
            "INSERT INTO actors VALUES (?,?,?,?,?,?,?)",
            [(rid, i, a.name, a.kind, a.country, a.role, len(a.mentions)) for i, a in enumerate(report.actors)],
        )

    def save_signature(self, report_id: str, minhash: bytes) -> None:
        with self.transaction():
            self.conn.execute("INSERT INTO signatures VALUES (?, ?) ON CONFLICT DO NOTHING", (report_id, minhash))

    def set_original(self, original_id: str, copies: dict[str, float]) -> None:
        """Link every copy of a group to its original (the original itself is not a copy)."""
        with self.transaction():
            self.conn.execute("DELETE FROM copies WHERE report_id = ?", (original_id,))
            self.conn.executemany(
                "INSERT INTO copies VALUES (?, ?, ?) ON CONFLICT (report_id) DO UPDATE"
                " SET original_id = excluded.original_id, similarity = excluded.similarity",
                [(rid, original_id, sim) for rid, sim in copies.items() if rid != original_id],
            )

    # -- the ledger's links -------------------------------------------------
    # Values go in as the columns hold them (lists as JSON text), so that the ledger compares a
    # row it reads back (``queries.event_row``) with what it wrote, like with like. The ledger
    # decides what to write; these only write it, inside the ledger's transaction.

    def insert_event(self, event: dict[str, Any]) -> int:
        """Start a linked event from its ``LEDGER_EVENT_COLUMNS`` values; returns its id."""
        columns = ", ".join(LEDGER_EVENT_COLUMNS)
        marks = ",".join("?" * len(LEDGER_EVENT_COLUMNS))
        cursor = self.conn.execute(
            f"INSERT INTO ledger_events ({columns}) VALUES ({marks}) RETURNING id",
            tuple(event[column] for column in LEDGER_EVENT_COLUMNS),
        )
        return int(cursor.fetchone()[0])

    def widen_event(
        self, event_id: int, *, day_first: str | None, day_last: str | None, actors: str, targets: str,
        mode: str | None, acled: str | None, published: str | None, day_lo: str | None, day_hi: str | None,
        window_hard: int,
    ) -> None:
        """Set what a joining mention changed: its days, actors, targets, publication and window; a mode
        and an ACLED type only fill a gap, so the first mention that gave one keeps it."""
        self.conn.execute(
            "UPDATE ledger_events SET day_first = ?, day_last = ?, actors = ?, targets = ?,"
            " mode = coalesce(mode, ?), acled = coalesce(acled, ?), published = ?, day_lo = ?, day_hi = ?,"
            " window_hard = ? WHERE id = ?",
            (day_first, day_last, actors, targets, mode, acled, published, day_lo, day_hi, window_hard,
             event_id),
        )

    def move_event(
        self, event_id: int, *, place: str | None, lat: float | None, lon: float | None, country: str | None,
        geonameid: int | None, feature: str | None,
    ) -> None:
        """Give a linked event a better place: all of the place's columns at once, so that its name,
        point and country never come from two different places."""
        self.conn.execute(
            "UPDATE ledger_events SET place = ?, lat = ?, lon = ?, country = ?, geonameid = ?, feature = ?"
            " WHERE id = ?",
            (place, lat, lon, country, geonameid, feature, event_id),
        )

    def record_mention(
        self, report_id: str, idx: int, event_id: int, matched_on: str, score: float | None
    ) -> None:
        """Record that a report's event mention joined a linked event, and why (the JSON list of
        features that matched, and the score; no score for a link not made by scoring)."""
        self.conn.execute(
            "INSERT INTO event_mentions VALUES (?,?,?,?,?)", (report_id, idx, event_id, matched_on, score)
        )

    def relink_mention(self, report_id: str, idx: int, event_id: int, matched_on: str) -> None:
        """Move a linked mention to another event by hand: it was not scored there, so it has no score."""
        self.conn.execute(
            "UPDATE event_mentions SET event_id = ?, matched_on = ?, score = NULL"
            " WHERE report_id = ? AND idx = ?",
            (event_id, matched_on, report_id, idx),
        )

    # -- the ledger's kept views ---------------------------------------------
    # ``views.refresh`` decides what to write; these only write it, inside its transaction.

    def take_stale_views(self) -> tuple[list[str], list[int]]:
        """The reports and linked events whose kept views are stale, unmarked as they are taken.

        The first statement is a write to the counter's row, which every writer locks first (see
        database.py): the refresh waits for writers in flight and holds them off until it commits,
        so no mark made meanwhile is taken before the data it marks can be read."""
        self.conn.execute("UPDATE fogwatch_meta SET value = value WHERE key = 'changes'")
        reports = [r[0] for r in self.conn.execute("DELETE FROM views_stale_reports RETURNING report_id")]
        events = [r[0] for r in self.conn.execute("DELETE FROM views_stale_events RETURNING event_id")]
        return sorted(reports), sorted(events)

    def mark_views_stale(self) -> None:
        """Mark every report and linked event stale, so that the next refresh recomputes every view
        (after a change to how views are computed, such as a new actor dictionary)."""
        with self.transaction():
            self.conn.execute("DELETE FROM views_stale_reports")
            self.conn.execute("DELETE FROM views_stale_events")
            self.conn.execute("INSERT INTO views_stale_reports SELECT id FROM reports")
            self.conn.execute("INSERT INTO views_stale_events SELECT id FROM ledger_events")

    def save_event_views(self, views: list[tuple[int, bool, str]]) -> None:
        """Keep linked events' ledgers: (event id, whether its sources contradict each other, JSON)."""
        self.conn.executemany(
            "INSERT INTO event_views VALUES (?, ?, ?) ON CONFLICT (event_id) DO UPDATE"
            " SET contested = excluded.contested, body = excluded.body",
            [(event_id, int(contested), body) for event_id, contested, body in views],
        )

    def save_ceasefire_boards(self, boards: list[str]) -> None:
        """Keep the cease-fire board (each entry's JSON, in order) in place of the one kept before."""
        self.conn.execute("DELETE FROM ceasefire_boards")
        self.conn.executemany("INSERT INTO ceasefire_boards VALUES (?, ?)", list(enumerate(boards, start=1)))

    def save_blame(self, report_id: str, claims: list[dict[str, Any]]) -> None:
        """Keep a report's blame claims (``views.blame_claims_of``) in place of any kept before: the
        claim, each accusation in it (a target and its side) and each place it is about."""
        self.conn.execute("DELETE FROM blame_claims WHERE report_id = ?", (report_id,))
        self.conn.executemany(
            "INSERT INTO blame_claims VALUES (?,?,?,?,?,?,?,?)",
            [(c["report_id"], c["idx"], c["published"], c["day"], c["outlet"], c["source"], c["source_key"],
              c["text"]) for c in claims],
        )
        self.conn.executemany(
            "INSERT INTO blame_rows VALUES (?,?,?,?,?)",
            [(c["report_id"], c["idx"], pos, name, key) for c in claims
             for pos, (name, key) in enumerate(c["targets"])],
        )
        self.conn.executemany(
            "INSERT INTO blame_places VALUES (?,?,?)",
            [(c["report_id"], c["idx"], place) for c in claims for place in c["places"]],
        )

    # -- reading ------------------------------------------------------------

    def changes(self) -> int:
        """How many writes the store has seen (rows written in SQLite, statements in PostgreSQL).

        Any write by any process moves it, in the writer's transaction, so an answer cached under
        one value is current exactly while the store still reports that value.
        """
        return int(self.conn.execute("SELECT value FROM fogwatch_meta WHERE key = 'changes'").fetchone()[0])

    def signature_count(self) -> int:
        """How many reports have a wire-copy signature: signatures are only ever added, so a copy
        index holding as many is holding all of them."""
        return int(self.conn.execute("SELECT count(*) FROM signatures").fetchone()[0])

    def signatures(self) -> Iterator[tuple[str, bytes, str | None]]:
        rows = self.conn.execute(
            "SELECT s.report_id, s.minhash, r.published FROM signatures s JOIN reports r ON r.id = s.report_id"
        )
        for report_id, minhash, published in rows:
            yield report_id, bytes(minhash), published

    def signature(self, report_id: str) -> tuple[bytes, str | None] | None:
        """One report's MinHash and publication date (None when it has none)."""
        row = self.conn.execute(
            "SELECT s.minhash, r.published FROM signatures s JOIN reports r ON r.id = s.report_id"
            " WHERE s.report_id = ?",
            (report_id,),
        ).fetchone()
        return (bytes(row[0]), row[1]) if row else None

    def original_of(self, report_id: str) -> str | None:
        row = self.conn.execute("SELECT original_id FROM copies WHERE report_id = ?", (report_id,)).fetchone()
        return row[0] if row else None

    def copies_of(self, original_id: str) -> dict[str, float]:
        rows = self.conn.execute("SELECT report_id, similarity FROM copies WHERE original_id = ?", (original_id,))
        return {r[0]: r[1] for r in rows}

    def count(self) -> dict[str, int]:
        tables = ("reports", "claims", "events", "places", "actors", "failures", "copies", "ledger_events")
        return {t: self.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}

    def linked_report_count(self) -> int:
        """How many reports have at least one event mention in the ledger."""
        return int(self.conn.execute("SELECT count(DISTINCT report_id) FROM event_mentions").fetchone()[0])

    def report_ids(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT id FROM reports ORDER BY coalesce(published, ''), id")]

    def resolve(self, key: str) -> str:
        """A report id from an id, an id prefix, the file it was read from, or words of its file name or title.

        The most specific kind of match wins; several matches of that kind are an error (E014).
        """
        escaped = like_escape(key)
        lookups = (
            ("SELECT id FROM reports WHERE id = ?", (key,)),
            ("SELECT id FROM reports WHERE id LIKE ? ESCAPE '\\' OR origin = ? OR origin LIKE ? ESCAPE '\\'",
             (escaped + "%", key, "%/" + escaped)),
            ("SELECT id FROM reports WHERE origin LIKE ? ESCAPE '\\' OR title LIKE ? ESCAPE '\\'",
             ("%" + escaped + "%", "%" + escaped + "%")),
        )
        for sql, params in lookups:
            ids = sorted({r[0] for r in self.conn.execute(sql, params)})
            if len(ids) == 1:
                return ids[0]
            if len(ids) > 1:
                raise StoreError(Errors.E014, key=key, count=len(ids))
        raise StoreError(Errors.E013, key=key)

    def has(self, report_id: str) -> bool:
        """Whether a report with this id is stored: asked before reading one, so that a report
        ingested again costs a hash and a lookup, not a parse."""
        return self.conn.execute("SELECT 1 FROM reports WHERE id = ?", (report_id,)).fetchone() is not None

    def load(self, report_id: str) -> Report:
        row = self.conn.execute("SELECT text, reading FROM reports WHERE id = ?", (report_id,)).fetchone()
        if row is None:
            raise StoreError(Errors.E013, key=report_id)
        return Report.from_dict(json.loads(row["reading"]), row["text"])

    def reports(self) -> Iterator[Report]:
        for report_id in self.report_ids():
            yield self.load(report_id)

    def search(self, text: str, limit: int = 20, offset: int = 0, marks: tuple[str, str] = ("[", "]"),
               words: int = 16) -> tuple[int, list[dict[str, Any]]]:
        """Reports matching the words of ``text`` (full-text), best first: (total, rows with a snippet
        of about ``words`` words whose matches sit between ``marks``)."""
        total, rows = self.dialect.search(self.conn, text, limit, offset, marks, words)
        return total, [dict(row) for row in rows]

    def failures(self) -> list[Any]:
        return self.conn.execute("SELECT origin, code, reason, at FROM failures ORDER BY at, origin").fetchall()

    def rows(self, table: str) -> list[Any]:
        if table not in {"claims", "events", "places", "actors"}:
            raise ValueError(f"no such layer table: {table}")
        return self.conn.execute(f"SELECT * FROM {table} ORDER BY report_id, idx").fetchall()


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _names(items: list[Any]) -> str:
    return json.dumps([item.name for item in items], ensure_ascii=False)


def _event_place(place: Place | None) -> tuple[float | None, float | None, str | None]:
    return (None, None, None) if place is None else (place.lat, place.lon, place.country)


def _redact(location: str) -> str:
    """A database address without its password, for messages."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", location)
