"""SQL, LIKE, FTS and markup injection through every filter of the API, the dashboard and the CLI.

Filters are enumerated from the app itself (the OpenAPI schema for the API,
the route table for the pages, the click commands for the CLI), so a filter
added later is attacked without editing this file. Every payload must give a
normal answer or the API's one error shape (4xx, never 500); the tables must
be intact afterwards; ``%`` and ``_`` must match literally; and markup must come
back escaped. Runs on SQLite, and on PostgreSQL when FOGWATCH_TEST_POSTGRES is set.
"""

from __future__ import annotations

import html
import os
import re
import warnings
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import click
import pytest

pytest.importorskip("fastapi", reason="the web dependencies are not installed")
with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette's notice about its httpx-based test client
    from fastapi.routing import APIRoute
    from fastapi.testclient import TestClient
from click.testing import CliRunner

from fogwatch.cli import EXIT_FATAL, EXIT_OK, EXIT_USAGE, cli
from fogwatch.extract import read_text
from fogwatch.jobs import Loader, ingest_demo
from fogwatch.store import Store
from fogwatch.web import create_app

POSTGRES = os.environ.get("FOGWATCH_TEST_POSTGRES")
TOKEN = "injection-token-0123456789"
# A report whose outlet holds both LIKE wildcards, so that literal matching can be told from wildcard matching.
WILDCARD_OUTLET = "100%_Wire"
# Longer than SQLite's LIKE pattern limit (50,000 bytes) and far longer than any real filter.
LONG = "A" * 60_000

SQL_PAYLOADS = (
    "'", '"', "''", "' OR 1=1 --", "' OR '1'='1", "1 OR 1=1", "'; DROP TABLE reports; --",
    '"; DROP TABLE claims; --', "x' UNION SELECT id, text, reading FROM reports --",
    "1 UNION ALL SELECT NULL,NULL,NULL--", "/* comment */", "-- ", "#", ";", "\\", "\\'", "%", "_", "%_%",
    "\\%", "[%]", "*", "NEAR(Kharkiv shelling)", 'NEAR("a" "b", 2)', '"unbalanced', "a*", "^start",
    "AND", "OR", "NOT", "Kharkiv AND NOT Aleppo", "title:Kharkiv", "{title text}:x", "(", ")",
    "\x00", "Kharkiv\x00'; DROP TABLE reports; --", "\u202eevil", "😀" * 50, LONG,
)
XSS_PAYLOADS = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "</title><script>alert(1)</script>",
    '<a href="javascript:alert(1)">x</a>',
    "<iframe srcdoc='<script>alert(1)</script>'>",
    "{{7*7}}<b>bold</b>",
)
# Raw query values that are not valid UTF-8 once percent-decoded (overlong, lone continuation, half a pair).
RAW_ENCODINGS = ("%ff%fe", "%c0%af", "%80", "%ed%a0%80", "%e2%82", "%00")
# SQLite's and PostgreSQL's own answer to "did the tables survive?".
TABLES_SQL = {
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
    "postgresql": "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
}


def wipe_postgres(url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def target(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A store holding the demo reports and one report whose outlet holds LIKE wildcards."""
    if request.param == "postgresql":
        if not POSTGRES:
            pytest.skip("set FOGWATCH_TEST_POSTGRES to a PostgreSQL database the tests may wipe")
        wipe_postgres(POSTGRES)
        db = POSTGRES
    else:
        db = str(tmp_path_factory.mktemp("inject") / "inject.db")
    with Store(db) as store:
        ingest_demo(store)
        Loader(store)(read_text("Shelling hit Kharkiv on Monday, officials said.", outlet=WILDCARD_OUTLET))
    yield db


@pytest.fixture(scope="module")
def client(target: str) -> TestClient:
    return TestClient(create_app(target, token=TOKEN), raise_server_exceptions=False)


def snapshot(db: str) -> tuple[list[str], dict[str, int]]:
    with Store(db) as store:
        tables = [r[0] for r in store.conn.execute(TABLES_SQL[store.dialect.name])]
        return tables, store.count()


def api_filters(client: TestClient) -> list[tuple[str, str, str]]:
    """Every (path template, location, parameter name) of every GET in the OpenAPI schema."""
    spec = client.get("/openapi.json").json()
    return [
        (path, param["in"], param["name"])
        for path, operations in spec["paths"].items()
        for method, operation in operations.items()
        if method == "get"
        for param in operation.get("parameters", [])
    ]


def routes_of(routes: list[Any]) -> Iterator[Any]:
    """Every route, including those of included routers (FastAPI nests them as wrappers)."""
    for route in routes:
        inner = getattr(route, "original_router", None)
        yield from routes_of(inner.routes) if inner is not None else [route]


def page_paths(client: TestClient) -> list[str]:
    """The dashboard's GET routes (the ones kept out of the OpenAPI schema)."""
    pages = [
        route.path
        for route in routes_of(client.app.routes)
        if isinstance(route, APIRoute) and not route.include_in_schema and "GET" in route.methods
    ]
    assert len(pages) >= 10, f"only {pages} found: the route walk missed the dashboard"
    return pages


def fill(path: str, value: str) -> str:
    """A path template with every placeholder replaced by ``value``, percent-encoded."""
    return re.sub(r"\{[^}]+\}", quote(value, safe=""), path)


def problems_of(response: Any, what: str) -> list[str]:
    """What is wrong with one answer: a 5xx, or a 4xx outside the one error shape."""
    status = response.status_code
    if status >= 500:
        return [f"{what}: {status} {response.text[:200]}"]
    if status >= 400 and response.headers["content-type"].startswith("application/json"):
        error = response.json().get("error", {})
        if set(error) != {"code", "message", "fix"}:
            return [f"{what}: {status} outside the error shape: {response.text[:200]}"]
    return []


def request_filter(client: TestClient, path: str, where: str, name: str, value: str) -> Any:
    if where == "path":
        return client.get(fill(path, value))
    return client.get(fill(path, "x"), params={name: value})


def test_every_api_filter_survives_every_payload(client: TestClient, target: str) -> None:
    before = snapshot(target)
    filters = api_filters(client)
    assert len(filters) >= 40, "the schema lists fewer filters than the API has"
    failures = []
    for path, where, name in filters:
        for payload in (*SQL_PAYLOADS, *XSS_PAYLOADS):
            response = request_filter(client, path, where, name, payload)
            failures += problems_of(response, f"{path} {name}={payload[:40]!r}")
        for raw in RAW_ENCODINGS:
            query = fill(path, raw) if where == "path" else f"{fill(path, 'x')}?{name}={raw}"
            failures += problems_of(client.get(query), f"{path} {name}={raw}")
    assert not failures, "\n".join(failures[:20])
    assert snapshot(target) == before


def test_every_page_filter_survives_and_escapes_every_payload(client: TestClient, target: str) -> None:
    before = snapshot(target)
    names = sorted({name for _, where, name in api_filters(client) if where == "query"} | {"q"})
    failures = []
    for path in page_paths(client):
        for payload in (*SQL_PAYLOADS[:-1], *XSS_PAYLOADS):
            for response in (client.get(fill(path, payload)), client.get(fill(path, "x"),
                                                                          params=dict.fromkeys(names, payload))):
                failures += problems_of(response, f"{path} {payload[:40]!r}")
                if "<" in payload and payload in response.text:
                    failures.append(f"{path}: {payload!r} came back as live markup")
    assert not failures, "\n".join(failures[:20])
    assert snapshot(target) == before


@pytest.mark.parametrize("path,field", [("/reports", "source"), ("/claims", "source"), ("/events", "actor"),
                                        ("/search", "q")])
def test_echoed_filters_come_back_escaped(client: TestClient, path: str, field: str) -> None:
    for payload in XSS_PAYLOADS:
        page = client.get(path, params={field: payload})
        assert page.status_code == 200
        assert payload not in page.text
        assert html.escape(payload, quote=True) in page.text.replace("&#34;", "&quot;").replace("&#39;", "&#x27;")


def like_total(client: TestClient, path: str, name: str, value: str) -> int:
    return client.get(path, params={name: value, "limit": 1000}).json()["total"]


@pytest.mark.parametrize("path,name,column", [
    ("/api/reports", "source", "outlet FROM reports"),
    ("/api/actors", "q", "DISTINCT name FROM actors"),
    ("/api/places", "q", "DISTINCT name FROM places"),
])
def test_like_wildcards_match_literally(client: TestClient, target: str, path: str, name: str,
                                        column: str) -> None:
    with Store(target) as store:
        values = [r[0] or "" for r in store.conn.execute(f"SELECT {column}")]
    assert like_total(client, path, name, "a") > 0, "the store holds nothing to tell wildcards from letters"
    for wildcard in ("%", "_", "%_%", "\\"):
        expected = sum(wildcard in value for value in values)
        assert like_total(client, path, name, wildcard) == expected, wildcard


def test_event_actor_wildcards_match_literally(client: TestClient) -> None:
    everything = client.get("/api/events", params={"limit": 1000}).json()["items"]
    assert everything
    for wildcard in ("%", "_"):
        found = client.get("/api/events", params={"actor": wildcard, "limit": 1000}).json()["items"]
        assert [e["id"] for e in found] == [e["id"] for e in everything if any(wildcard in a for a in e["actors"])]


def free_text_filters(client: TestClient) -> list[tuple[str, str]]:
    """(path, name) of every query parameter of the API that takes free text (no pattern, no enum)."""
    spec = client.get("/openapi.json").json()
    found = []
    for path, operations in spec["paths"].items():
        for param in operations.get("get", {}).get("parameters", []):
            kinds = param["schema"].get("anyOf", [param["schema"]])
            if param["in"] == "query" and any(k.get("type") == "string" and "pattern" not in k and "enum" not in k
                                              for k in kinds):
                found.append((path, param["name"]))
    return found


def matched(response: Any) -> int:
    body = response.json()
    return len(body["cells"]) if "cells" in body else body["total"]


@pytest.mark.parametrize("value", [" ", "\t \n", "!!!", "\U0001f642"])
def test_no_api_filter_matches_by_what_normalises_to_nothing(client: TestClient, value: str) -> None:
    """Every free-text filter of every endpoint: a value of spaces, punctuation or symbols only (or one
    with a NUL, which SQLite's LIKE would cut short) is refused or matches nothing, never names by
    their spaces (source=' ' listed every outlet of two words)."""
    filters = free_text_filters(client)
    assert {("/api/events", "source"), ("/api/actors", "q"), ("/api/blame", "place"),
            ("/api/search", "q")} <= set(filters)
    failures = []
    for path, name in filters:
        response = client.get(path, params={name: value})
        if response.status_code == 422:
            assert response.json()["error"]["code"] in ("W422", "E020", "E021", "E026"), response.text
        elif response.status_code != 200 or matched(response):
            failures.append(f"{path}?{name}={value!r}: {response.status_code}, {response.text[:120]}")
    assert not failures, "\n".join(failures)


def test_a_nul_in_an_event_source_filter_is_refused(client: TestClient) -> None:
    """The ledger normalises names, which dropped the NUL and matched 'Russia' (E021, as every LIKE filter)."""
    response = client.get("/api/events", params={"source": "Demo\x00"})
    assert response.status_code == 422 and response.json()["error"]["code"] == "E021", response.text


def test_submitted_payloads_are_stored_verbatim_and_shown_escaped(client: TestClient, target: str) -> None:
    before_tables, before_counts = snapshot(target)
    headers = {"Authorization": f"Bearer {TOKEN}"}
    failures, added = [], 0
    for i, payload in enumerate((*SQL_PAYLOADS[:8], "\x00", *XSS_PAYLOADS)):
        body = {"text": f"Shelling hit Kharkiv on Monday ({i}), officials said. {payload}",
                "title": payload, "outlet": payload, "url": payload, "published": payload}
        failures += problems_of(client.post("/api/reports", json=body, headers=headers), f"published={payload!r}")
        del body["published"]
        response = client.post("/api/reports", json=body, headers=headers)
        failures += problems_of(response, f"submit {payload!r}")
        if response.status_code == 201:
            added += 1
            stored = client.get(f"/api/reports/{response.json()['id']}").json()["report"]
            assert stored["outlet"] in (payload.strip(), None), (stored["outlet"], payload)
            page = client.get(f"/reports/{response.json()['id']}")
            if "<" in payload:
                assert payload not in page.text
    assert not failures, "\n".join(failures)
    tables, counts = snapshot(target)
    assert tables == before_tables and counts["reports"] == before_counts["reports"] + added
    assert added >= len(XSS_PAYLOADS)


# -- the CLI ----------------------------------------------------------------------------

CLI_COMMANDS = ("events", "claims", "reports", "export", "show", "event", "blame", "ceasefires")


def cli_filters() -> list[tuple[str, str | None]]:
    """(command, option) for every filter option and argument of the query commands (None: the argument).

    Flags and file options (--db, --out) name no filter and are left out.
    """
    found = []
    for name in CLI_COMMANDS:
        for param in cli.commands[name].params:
            if getattr(param, "is_flag", False) or isinstance(param.type, (click.Path, click.File)):
                continue
            option = param.opts[0] if isinstance(param, click.Option) else None
            found.append((name, option))
    return found


def test_every_cli_filter_survives_every_payload(target: str) -> None:
    before = snapshot(target)
    runner = CliRunner()
    failures = []
    filters = cli_filters()
    assert ("events", "--actor") in filters and ("show", None) in filters
    for command, option in filters:
        for payload in (*SQL_PAYLOADS, *XSS_PAYLOADS):
            args = [command, "--db", target, *([option, payload] if option else [payload])]
            if command == "export" and option != "--format":
                args += ["--format", "csv"]
            result = runner.invoke(cli, args)
            if result.exit_code not in (EXIT_OK, EXIT_USAGE, EXIT_FATAL) or (
                result.exception and not isinstance(result.exception, SystemExit)
            ):
                failures.append(f"{command} {option} {payload[:40]!r}: {result.exit_code} {result.exception!r}")
            elif result.exit_code == EXIT_FATAL and "[E0" not in result.stderr:
                failures.append(f"{command} {option} {payload[:40]!r}: no catalogue error: {result.stderr[:200]}")
    assert not failures, "\n".join(failures[:20])
    assert snapshot(target) == before
