"""The same corpus in SQLite and PostgreSQL gives the same answers to every query.

Runs when FOGWATCH_TEST_POSTGRES names a PostgreSQL database that the tests may
wipe (``.ci/run`` starts a server and sets it); skips with a message otherwise.
"""

from __future__ import annotations

import io
import os

import pytest

from fogwatch import exports, jobs, views
from fogwatch.extract import read_many
from fogwatch.ingest import read_paths
from fogwatch.report import Report
from fogwatch.store import Store

URL = os.environ.get("FOGWATCH_TEST_POSTGRES")
pytestmark = [
    pytest.mark.model,
    pytest.mark.skipif(not URL, reason="set FOGWATCH_TEST_POSTGRES to a PostgreSQL database the tests may wipe"),
]


def wipe(url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")


@pytest.fixture(scope="module")
def readings() -> list[Report]:
    items = list(read_many(read_paths([jobs.DEMO_DIR])))
    reports = [i for i in items if isinstance(i, Report)]
    # A republished copy, so that wire-copy links are compared too.
    copy = Report(text=reports[0].text.replace("on Thursday", "on Thursday, officials said"), outlet="Reprint",
                  published=reports[0].published, title=reports[0].title)
    copy.__dict__.update({layer: getattr(reports[0], layer) for layer in ("places", "times", "actors", "claims",
                                                                       "events", "quantities")})
    return [*reports, copy]


@pytest.fixture(scope="module")
def stores(readings: list[Report], tmp_path_factory: pytest.TempPathFactory):
    wipe(URL)
    sqlite = Store(tmp_path_factory.mktemp("pg") / "same.db")
    postgres = Store(URL)
    for store in (sqlite, postgres):
        load = jobs.Loader(store)
        for report in readings:
            load(report)
    yield sqlite, postgres
    sqlite.close()
    postgres.close()


def test_schema_and_counts(stores) -> None:
    sqlite, postgres = stores
    assert postgres.schema_version == sqlite.schema_version
    assert postgres.count() == sqlite.count()
    assert postgres.count()["copies"] == 1


def test_readings_round_trip_identically(stores) -> None:
    sqlite, postgres = stores
    assert postgres.report_ids() == sqlite.report_ids()
    for report_id in sqlite.report_ids():
        assert postgres.load(report_id).to_dict() == sqlite.load(report_id).to_dict()


def test_ledger_queries_agree(stores) -> None:
    sqlite, postgres = stores
    assert views.query_events(postgres, limit=-1) == views.query_events(sqlite, limit=-1)
    for filters in ({"country": "SY"}, {"type": "ASSAULT"}, {"actor": "russia"}, {"date_from": "2019-01-01"},
                    {"place": "Kharkiv"}, {"source": "Demo Wire"}):
        assert views.query_events(postgres, **filters) == views.query_events(sqlite, **filters), filters
    assert views.ceasefires(postgres) == views.ceasefires(sqlite)
    assert views.blame_matrix(postgres) == views.blame_matrix(sqlite)
    assert views.contested_claims(postgres) == views.contested_claims(sqlite)


@pytest.mark.parametrize("fmt", exports.FORMATS)
def test_exports_agree(stores, fmt: str) -> None:
    sqlite, postgres = stores
    outputs = []
    for store in (sqlite, postgres):
        out = io.StringIO()
        exports.export(store, fmt, out)
        outputs.append(out.getvalue())
    assert outputs[0] == outputs[1]


def test_search_finds_the_same_reports(stores) -> None:
    sqlite, postgres = stores
    for query in ("Hodeidah", "market airstrikes", "corridor", 'AND ( "'):
        found = [{row["id"] for row in store.search(query, limit=50)[1]} for store in (sqlite, postgres)]
        assert found[0] == found[1], query


def test_adding_again_changes_nothing(stores, readings: list[Report]) -> None:
    _, postgres = stores
    before = postgres.count()
    assert not any(postgres.add(report) for report in readings)
    assert postgres.count() == before


def test_a_wrong_address_is_a_clear_error() -> None:
    from fogwatch.errors import StoreError

    with pytest.raises(StoreError) as caught:
        Store("postgresql://nobody:secret@127.0.0.1:1/none")
    assert caught.value.code == "E015" and "secret" not in str(caught.value)


def test_concurrent_first_opens_migrate_once(stores) -> None:
    """Runs last: wipes the database, then opens it from several threads at once."""
    import threading

    wipe(URL)
    errors: list[str] = []

    def open_it() -> None:
        try:
            Store(URL).close()
        except Exception as err:  # noqa: BLE001 - any failure is the finding
            errors.append(str(err))

    threads = [threading.Thread(target=open_it) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
