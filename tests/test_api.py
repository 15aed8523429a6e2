"""The HTTP API over a demo store: every endpoint, the error shape, pagination, filters, the write's guards.

The store is filled once per session with ``fogwatch.jobs.ingest_demo``; the
write tests use their own store so that what they add never changes the counts
the read tests check.
"""

from __future__ import annotations

import json
import re
import warnings

import pytest

for _module in ("fastapi", "jinja2", "uvicorn", "httpx"):
    pytest.importorskip(_module, reason=f"the web dependencies are not installed ({_module} is missing)")
with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette's notice about its httpx-based test client
    from fastapi.testclient import TestClient

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fogwatch.database import fts_query
from fogwatch.extract import read_text
from fogwatch.jobs import Loader, ingest_demo
from fogwatch.store import Store
from fogwatch.web import create_app
from fogwatch.web.api import csv_cell
from fogwatch.web.highlight import Mark, pieces

TOKEN = "test-token-0123456789"


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("api") / "demo.db"
    with Store(db) as store:
        ingest_demo(store)
    return db


@pytest.fixture(scope="session")
def client(demo_db):
    return TestClient(create_app(demo_db, token=TOKEN))


# Two reports of one strike that disagree on its toll, read from files on a server's disk.
DISPUTED = (
    ("Airstrike kills 12 in Aleppo market\n\nAn airstrike hit a market in Aleppo on Tuesday, killing 12 people, "
     "the Syrian Observatory for Human Rights said.", "Wire A", "/srv/mirror/inbox/aleppo-a.txt"),
    ("Dozens killed in Aleppo market strike\n\nAn airstrike hit a market in Aleppo on Tuesday, killing 30 people, "
     "the civil defence said.", "Wire B", "/srv/mirror/inbox/aleppo-b.txt"),
)


@pytest.fixture(scope="session")
def disputed(tmp_path_factory):
    """A client over a store whose two reports contradict each other, stored with absolute origins."""
    db = tmp_path_factory.mktemp("api-disputed") / "disputed.db"
    with Store(db) as store:
        load = Loader(store)
        for text, outlet, origin in DISPUTED:
            load(read_text(text, outlet=outlet, published="2016-12-14", origin=origin))
        assert not load.result.failures
    return TestClient(create_app(db))


@pytest.fixture(scope="session")
def writer(tmp_path_factory):
    """A client over an empty store of its own, with a small body limit."""
    db = tmp_path_factory.mktemp("api-write") / "write.db"
    return TestClient(create_app(db, token=TOKEN, max_body=20_000))


def assert_error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert set(error) == {"code", "message", "fix"}
    assert error["message"] and error["fix"]
    if code:
        assert error["code"] == code
    return error


# -- the spec and the error shape ------------------------------------------------------


def test_openapi_lists_every_endpoint(client):
    spec = client.get("/openapi.json").json()
    for path in (
        "/api/reports",
        "/api/reports/{report_id}",
        "/api/claims",
        "/api/claims/contested",
        "/api/actors",
        "/api/places",
        "/api/search",
        "/api/events",
        "/api/events/{event_id}",
        "/api/ceasefires",
        "/api/blame",
    ):
        assert path in spec["paths"], path
    assert "requestBody" in spec["paths"]["/api/reports"]["post"]


def test_unknown_route_is_404_in_the_error_shape(client):
    assert_error(client.get("/api/no-such-thing"), 404, "W404")


def test_unknown_report_reuses_the_catalogue_code(client):
    assert_error(client.get("/api/reports/ffffffffffff"), 404, "E013")


def test_invalid_parameters_are_422_in_the_error_shape(client):
    error = assert_error(client.get("/api/reports?limit=0"), 422, "W422")
    assert "limit" in error["message"]
    assert_error(client.get("/api/claims?date_from=yesterday"), 422, "W422")
    assert_error(client.get("/api/events/not-a-number"), 422, "W422")
    assert_error(client.get("/api/places?format=kml"), 422, "W422")


def test_wrong_method_is_405_in_the_error_shape(client):
    assert_error(client.delete("/api/reports"), 405, "W405")


def test_internal_errors_are_500_in_the_error_shape(tmp_path):
    db = tmp_path / "broken.db"
    app = create_app(db)
    with Store(db) as store:
        store.conn.execute("DROP TABLE claims")
    assert_error(TestClient(app, raise_server_exceptions=False).get("/api/claims"), 500, "W500")


def test_every_response_carries_a_strict_csp(client):
    for path in ("/", "/api/reports", "/api/nothing", "/reports/nothing"):
        csp = client.get(path).headers["content-security-policy"]
        assert "default-src 'self'" in csp and "unsafe-inline" not in csp


# -- reports ------------------------------------------------------------------------------


def test_reports_paginate_with_totals(client):
    first = client.get("/api/reports?limit=2").json()
    assert first["total"] == 5 and len(first["items"]) == 2 and first["has_more"]
    rest = client.get("/api/reports?limit=2&offset=4").json()
    assert len(rest["items"]) == 1 and not rest["has_more"]
    everything = {r["id"] for r in client.get("/api/reports?limit=10").json()["items"]}
    pages = {
        r["id"] for off in (0, 2, 4) for r in client.get(f"/api/reports?limit=2&offset={off}").json()["items"]
    }
    assert pages == everything


def test_reports_filter(client):
    by_date = client.get("/api/reports?date_from=2019-01-01&date_to=2019-12-31").json()
    assert by_date["total"] >= 1
    assert all(r["published"].startswith("2019") for r in by_date["items"])
    one = by_date["items"][0]
    by_outlet = client.get("/api/reports", params={"source": one["outlet"][:5]}).json()
    assert one["id"] in {r["id"] for r in by_outlet["items"]}
    assert client.get("/api/reports?country=ZZ").json()["total"] == 0
    place = client.get("/api/places?limit=1").json()["items"][0]
    for report in client.get("/api/reports", params={"place": place["name"]}).json()["items"]:
        names = {p["name"] for p in client.get(f"/api/reports/{report['id']}").json()["places"]}
        assert place["name"] in names


def test_reports_as_csv(client):
    response = client.get("/api/reports?format=csv")
    assert response.headers["content-type"].startswith("text/csv")
    lines = response.text.strip().splitlines()
    assert lines[0].startswith("id,title,outlet,published") and len(lines) == 6


def test_origins_show_no_server_paths(client, disputed, demo_db):
    """The demo is read from the package's folder on this machine: it is shown as demo/..., and a file
    stored by its absolute path by its name alone, in JSON, CSV and the JSON Lines export."""
    import csv
    import io

    from fogwatch import exports

    origins = [r["origin"] for r in client.get("/api/reports").json()["items"]]
    assert len(origins) == 5 and all(o.startswith("demo/") for o in origins), origins
    assert "demo/reports.jsonl:1" in origins
    rows = list(csv.DictReader(io.StringIO(client.get("/api/reports?format=csv").text)))
    assert sorted(r["origin"] for r in rows) == sorted(origins)
    one = client.get("/api/reports", params={"limit": 1}).json()["items"][0]
    assert client.get(f"/api/reports/{one['id']}").json()["report"]["origin"] == one["origin"]
    shown = {r["origin"] for r in disputed.get("/api/reports").json()["items"]}
    assert shown == {"aleppo-a.txt", "aleppo-b.txt"}
    assert "/srv/" not in disputed.get("/api/reports?format=csv").text
    rid = disputed.get("/api/reports?limit=1").json()["items"][0]["id"]
    assert disputed.get(f"/api/reports/{rid}").json()["report"]["origin"] in shown
    out = io.StringIO()
    with Store(demo_db) as store:
        exports.export(store, "jsonl", out)
    assert sorted(json.loads(line)["report"]["origin"] for line in out.getvalue().splitlines()) == sorted(origins)


@pytest.mark.parametrize("path,name,value,code", [
    ("/api/events", "source", "\U0001f642", "E026"), ("/api/events", "source", "!!!", "E026"),
    ("/api/events", "source", "\x00", "E026"), ("/api/events", "source", "the ", "E026"),
    ("/api/events", "actor", "\x00", "E021"), ("/api/reports", "source", "\x00", "E021"),
    ("/api/actors", "q", "\x00", "E021"), ("/api/places", "q", "\x00", "E021"),
])
def test_filters_that_would_match_everything_are_refused(client, path, name, value, code):
    """Each of these once matched every row (nothing left after normalising, or a LIKE pattern cut at NUL)."""
    assert client.get(path, params={"limit": 1000}).json()["items"], "nothing stored to tell 'all' from 'none'"
    assert_error(client.get(path, params={name: value, "limit": 1000}), 422, code)


def test_one_report_by_id_or_prefix(client):
    rid = client.get("/api/reports?limit=1").json()["items"][0]["id"]
    full = client.get(f"/api/reports/{rid[:8]}").json()
    assert full["report"]["id"] == rid
    assert full["text"] and set(full) >= {"claims", "events", "places", "times", "quantities", "actors"}
    for claim in full["claims"]:
        assert 0 <= claim["start"] < claim["end"] <= len(full["text"])


# -- claims, actors, places, search ----------------------------------------------------------


def test_claims_filter_by_source_and_kind(client):
    claims = client.get("/api/claims?limit=100").json()
    assert claims["total"] == len(claims["items"]) > 0
    sample = claims["items"][0]
    assert sample["text"]
    by_source = client.get("/api/claims", params={"source": sample["source"]}).json()["items"]
    assert by_source and all(sample["source"] in (c["source"], c["source_actor"]) for c in by_source)
    by_kind = client.get("/api/claims", params={"kind": sample["kind"]}).json()["items"]
    assert by_kind and all(c["kind"] == sample["kind"] for c in by_kind)
    blamed = [c for c in claims["items"] if c["targets"]]
    if blamed:
        target = blamed[0]["targets"][0]
        found = client.get("/api/claims", params={"target": target}).json()["items"]
        assert found and all(target in c["targets"] for c in found)


def test_claims_as_csv(client):
    response = client.get("/api/claims?format=csv&limit=3")
    assert response.text.splitlines()[0].startswith("report_id,idx,kind")


def test_actors_and_places(client):
    actors = client.get("/api/actors?limit=5").json()
    assert actors["total"] >= len(actors["items"]) > 0
    assert all(a["reports"] >= 1 for a in actors["items"])
    places = client.get("/api/places").json()
    assert places["total"] > 0
    country = next(p["country"] for p in places["items"] if p["country"])
    assert all(p["country"] == country for p in client.get(f"/api/places?country={country}").json()["items"])
    geo = client.get("/api/places?format=geojson").json()
    assert geo["type"] == "FeatureCollection" and geo["features"]
    lon, lat = geo["features"][0]["geometry"]["coordinates"]
    assert -180 <= lon <= 180 and -90 <= lat <= 90


def test_search_finds_words(client):
    title = client.get("/api/reports?limit=1").json()["items"][0]["title"]
    word = max(title.split(), key=len)
    found = client.get("/api/search", params={"q": word}).json()
    assert found["total"] >= 1 and found["items"][0]["snippet"]


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "AND (",
        "NOT",
        "a OR",
        "title:x",
        "*",
        "(((",
        '"unbalanced',
        "\u202e\u0000",
        "NEAR(a b",
        "x" * 400,
        "-",
        "^start",
    ],
)
def test_search_never_breaks_on_fts_syntax(client, query):
    response = client.get("/api/search", params={"q": query})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["total"] == len(body["items"])  # the demo is smaller than one page: every match is listed
    assert client.get("/search", params={"q": query}).status_code == 200


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=60))
def test_any_text_is_a_valid_fts_query(demo_db, text):
    with Store(demo_db) as store:
        total, rows = store.search(text, 5)
    assert len(rows) == min(total, 5)
    if not fts_query(text):
        assert total == 0


def test_csv_cells_never_run_as_formulas():
    assert csv_cell('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert csv_cell("-2+3") == "'-2+3" and csv_cell("@SUM(A1)") == "'@SUM(A1)"
    assert csv_cell("Aleppo") == "Aleppo" and csv_cell(3) == 3 and csv_cell(["a"]) == '["a"]'


def test_fts_query_quotes_every_term():
    assert fts_query('shell* "AND (') == '"shell"* "AND"'
    assert fts_query('"') == ""
    assert fts_query("O'Brien") == '"O" "Brien"'


# -- the ledger ----------------------------------------------------------------------------


def test_events_paginate_and_filter(client):
    events = client.get("/api/events?limit=100").json()
    assert events["total"] == len(events["items"]) > 0 and not events["has_more"]
    first = client.get("/api/events?limit=3").json()
    assert len(first["items"]) == 3 and first["has_more"]
    kind = events["items"][0]["type"]
    typed = client.get("/api/events", params={"type": kind}).json()["items"]
    assert typed and all(e["type"] == kind for e in typed)
    dated = [e for e in events["items"] if e["date"]]
    if dated:
        day = dated[0]["date"]
        in_range = client.get("/api/events", params={"date_from": day, "date_to": day}).json()["items"]
        assert dated[0]["id"] in {e["id"] for e in in_range}


def test_events_as_geojson_and_csv(client):
    geo = client.get("/api/events?format=geojson&limit=100")
    assert geo.headers["content-type"].startswith("application/geo+json")
    features = geo.json()["features"]
    assert features and all(f["properties"]["url"].startswith("/events/") for f in features)
    rows = client.get("/api/events?format=csv").text.splitlines()
    assert rows[0].startswith("id,type,mode,date")


def test_a_file_export_holds_every_row_or_says_what_is_left(client):
    """A CSV or GeoJSON link with no limit is an export of every matching row, not the first page."""
    import csv
    import io

    every = client.get("/api/events?limit=1000").json()["items"]
    assert len(every) > 3, "the demo holds too few events to page"
    export = client.get("/api/events?format=csv")
    assert len(list(csv.DictReader(io.StringIO(export.text)))) == len(every)
    assert export.headers["x-total-count"] == str(len(every)) and "link" not in export.headers
    geo = client.get("/api/events?format=geojson")
    assert len(geo.json()["features"]) == sum(1 for e in every if e.get("lat") is not None)
    paged = client.get("/api/events?format=csv&limit=3")
    assert len(paged.text.strip().splitlines()) == 4
    assert paged.headers["link"].startswith("</api/events?") and "offset=3" in paged.headers["link"]
    assert 'rel="next"' in paged.headers["link"]
    claims = client.get("/api/claims?format=csv")
    total = client.get("/api/claims").json()["total"]
    assert total > 50 or claims.headers["x-total-count"] == str(total)
    assert len(list(csv.DictReader(io.StringIO(claims.text)))) == total


def test_reports_and_claims_pages_link_their_csv(client):
    assert '/api/reports?format=csv' in client.get("/reports").text
    assert 'href="/api/claims?kind=blame&amp;format=csv"' in client.get("/claims?kind=blame").text


def test_events_page_export_links_say_what_they_hold(client):
    """The timeline's CSV holds every matching event; its GeoJSON only those with a point: the links say so."""
    page = client.get("/events").text
    assert re.search(r'<a href="/api/events\?format=csv">CSV of every matching event</a>', page)
    every = client.get("/api/events", params={"limit": 1000}).json()["items"]
    assert any(e.get("lat") is None for e in every), "every demo event has a point: nothing to say"
    assert re.search(r'<a href="/api/events\?format=geojson">GeoJSON of those with a map point</a>', page)


def test_one_event_and_a_missing_one(client):
    event_id = client.get("/api/events?limit=1").json()["items"][0]["id"]
    event = client.get(f"/api/events/{event_id}").json()
    assert event["id"] == event_id and event["mentions"] and "contradictions" in event
    assert_error(client.get("/api/events/999999"), 404, "W404")


def test_ceasefires_blame_and_contested(client):
    ceasefires = client.get("/api/ceasefires").json()
    assert ceasefires["total"] == len(ceasefires["items"]) >= 1
    assert {"place", "brokers", "parties", "timeline"} <= set(ceasefires["items"][0])
    blame = client.get("/api/blame").json()
    assert set(blame) >= {"actors", "cells"} and blame["cells"], "the demo's blame claims are gone"
    for cell in blame["cells"]:
        assert cell["count"] == len(cell["claims"]) >= 1
    assert client.get("/api/blame?format=csv").text.startswith("source,target,count")
    assert client.get("/api/claims/contested").status_code == 200


def test_contested_lists_the_events_whose_sources_disagree(disputed):
    contested = disputed.get("/api/claims/contested").json()
    assert contested["total"] == len(contested["items"]) >= 1
    assert all(e["contradictions"] for e in contested["items"])
    details = [c["detail"] for e in contested["items"] for c in e["contradictions"]]
    assert any("12 people killed" in d and "30 people killed" in d for d in details), details


# -- the one write ----------------------------------------------------------------------------

REPORT = (
    "Rockets hit a fuel depot in the town of Testville on Sunday, the regional governor said, "
    "blaming the rebels for the attack.\n"
)


def post(client, body, token: str | None = TOKEN, **kwargs):
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return client.post("/api/reports", json=body, headers=headers, **kwargs)


def test_write_needs_a_token(writer):
    assert_error(post(writer, {"text": REPORT}, token=None), 401, "W401")
    assert_error(post(writer, {"text": REPORT}, token="wrong-token"), 401, "W401")
    assert_error(
        writer.post("/api/reports", json={"text": REPORT}, headers={"Authorization": TOKEN}), 401, "W401"
    )
    assert writer.get("/api/reports").json()["total"] == 0


def test_write_refused_when_no_token_is_configured(demo_db):
    readonly = TestClient(create_app(demo_db, token=None))
    assert_error(post(readonly, {"text": REPORT}), 403, "W403")
    assert_error(post(readonly, {"text": REPORT}, token=""), 403, "W403")


def test_write_size_limit(writer):
    assert_error(post(writer, {"text": "word " * 5000}), 413, "W413")
    chunked = writer.post(
        "/api/reports",
        content=iter([b'{"text": "', b"x" * 30_000, b'"}']),
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
    )
    assert_error(chunked, 413, "W413")


def test_write_validates_the_body(writer):
    assert_error(post(writer, {"title": "no text"}), 422, "W422")
    assert_error(post(writer, {"text": REPORT, "html": "<p>x</p>"}), 422, "W422")
    assert_error(post(writer, {"text": REPORT, "published": "last week"}), 422, "E008")
    assert_error(post(writer, {"text": "   \n"}), 422)
    broken = writer.post("/api/reports", content=b"{not json",
                         headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"})
    assert_error(broken, 422, "W422")


@pytest.mark.model
def test_write_stores_and_reads_a_report(writer):
    created = post(
        writer, {"text": REPORT, "title": "Depot hit", "outlet": "Test Wire", "published": "2021-03-07"}
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["added"] and body["url"] == f"/reports/{body['id']}"
    stored = writer.get(f"/api/reports/{body['id']}").json()
    assert stored["report"]["outlet"] == "Test Wire" and stored["text"] == REPORT
    again = post(
        writer, {"text": REPORT, "title": "Depot hit", "outlet": "Test Wire", "published": "2021-03-07"}
    )
    assert again.status_code == 200 and not again.json()["added"]
    page = writer.get(body["url"])
    assert page.status_code == 200 and "Depot hit" in page.text


@pytest.mark.model
def test_write_accepts_html(writer):
    html = (
        "<html><head><title>Bridge closed</title></head><body><nav>Home | World</nav><article>"
        "<h1>Bridge closed</h1><p>"
        + REPORT.replace("fuel depot", "bridge") * 3
        + "</p></article></body></html>"
    )
    created = post(writer, {"html": html, "outlet": "Test Wire"})
    assert created.status_code == 201, created.text
    stored = writer.get(created.json()["url"].replace("/reports/", "/api/reports/")).json()
    assert "Home | World" not in stored["text"]


# -- pages -------------------------------------------------------------------------------------


def test_pages_render(client):
    rid = client.get("/api/reports?limit=1").json()["items"][0]["id"]
    actor = client.get("/api/actors?limit=1").json()["items"][0]["name"]
    place = client.get("/api/places?limit=1").json()["items"][0]["name"]
    for path in (
        "/",
        "/reports",
        "/claims",
        f"/reports/{rid}",
        "/search?q=killed",
        f"/actors/{actor}",
        f"/places/{place}",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["content-type"].startswith("text/html")


def test_ledger_pages_render(client):
    event_id = client.get("/api/events?limit=1").json()["items"][0]["id"]
    for path in ("/events", f"/events/{event_id}", "/map", "/ceasefires", "/blame", "/contested"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["content-type"].startswith("text/html")


def test_page_errors_are_pages(client):
    response = client.get("/reports/ffffffffffff")
    assert (
        response.status_code == 404
        and "E013" in response.text
        and "text/html" in response.headers["content-type"]
    )


def test_report_page_anchors_every_claim(client):
    rid = client.get("/api/reports?limit=1").json()["items"][0]["id"]
    claims = client.get(f"/api/reports/{rid}").json()["claims"]
    html = client.get(f"/reports/{rid}").text
    for i in range(len(claims)):
        assert f'id="claim-{i}"' in html


def test_blame_cells_open_their_claims(client):
    cells = client.get("/api/blame").json()["cells"]
    if not cells:
        pytest.skip("the demo reports yield no blame claim with a target")
    cell = cells[0]
    page = client.get("/blame/cell", params={"source": cell["source"], "target": cell["target"]})
    assert page.status_code == 200
    assert f"#claim-{cell['claims'][0]['idx']}" in page.text


# -- highlighting ------------------------------------------------------------------------------


def test_overlapping_spans_keep_the_text_intact():
    text = "Rebels shelled Testville on Monday, killing five."
    marks = [
        Mark("claim", "claim-0", 0, 35),
        Mark("place", "place-0", 15, 24),
        Mark("event", "event-0", 7, 24),
        Mark("time", "time-0", 28, 34),
        Mark("figure", "figure-0", 36, 48),
        Mark("event", "event-1", 30, 48),
    ]
    cut = pieces(text, marks)
    assert "".join(p.text for p in cut) == text
    start = 0
    for piece in cut:
        assert all(m.start <= start < m.end for m in piece.marks)
        assert not any(m.start <= start < m.end for m in set(marks) - set(piece.marks))
        start += len(piece.text)
    assert sum(len(p.first) for p in cut) == len(marks)


def test_hostile_text_is_escaped_on_the_page(writer, demo_db):
    from fogwatch.report import Report

    hostile = Report(text='<script>alert(1)</script> "</mark><img src=x onerror=alert(2)>', title="<b>t</b>")
    with Store(demo_db.parent / "hostile.db") as store:
        store.add(hostile)
    html = TestClient(create_app(demo_db.parent / "hostile.db")).get(f"/reports/{hostile.id}").text
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>t</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_json_is_valid_for_unicode(client):
    rid = client.get("/api/reports?limit=1").json()["items"][0]["id"]
    assert json.loads(client.get(f"/api/reports/{rid}").content)


# -- fogwatch serve ------------------------------------------------------------------------------


def test_serve_prints_its_address_and_uses_the_token_file(demo_db, tmp_path):
    import re
    import subprocess
    import sys
    import urllib.error
    import urllib.request

    token_file = tmp_path / "token"
    token_file.write_text("file-token-0123456789\n", encoding="utf-8")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "fogwatch",
            "serve",
            "--db",
            str(demo_db),
            "--port",
            "0",
            "--token-file",
            str(token_file),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        address = None
        for _ in range(5):
            line = proc.stdout.readline()
            match = re.search(r"http://127\.0\.0\.1:\d+/", line)
            if match:
                address = match.group(0)
                break
        assert address, "serve printed no address"
        with urllib.request.urlopen(address + "api/reports?limit=1", timeout=10) as answer:
            assert json.loads(answer.read())["total"] == 5
        request = urllib.request.Request(
            address + "api/reports", data=b"{}", method="POST", headers={"Authorization": "Bearer wrong"}
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=10)
        assert refused.value.code == 401
    finally:
        proc.terminate()
        proc.wait(timeout=10)


# A serve whose front page takes a minute to compute, so that a request is in flight when SIGTERM comes.
SLOW_SERVE = """
import sys, time
from fogwatch import queries
queries.overview = lambda store: time.sleep(60)
from fogwatch.cli import main
sys.argv = ["fogwatch", "serve", "--db", sys.argv[1], "--port", "0"]
main()
"""


def test_serve_stops_soon_on_sigterm_even_with_a_request_in_flight(demo_db):
    import re
    import signal
    import subprocess
    import sys
    import threading
    import time
    import urllib.request

    proc = subprocess.Popen([sys.executable, "-c", SLOW_SERVE, str(demo_db)], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        address = None
        for _ in range(5):
            match = re.search(r"http://127\.0\.0\.1:\d+/", proc.stdout.readline())
            if match:
                address = match.group(0)
                break
        assert address, "serve printed no address"

        def slow_request() -> None:
            try:
                urllib.request.urlopen(address, timeout=90).read()
            except OSError:
                pass  # abandoned by the server as it stops: what this test expects

        threading.Thread(target=slow_request, daemon=True).start()
        time.sleep(1.0)  # the request is now inside the minute-long computation
        began = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=15)
        assert time.monotonic() - began < 10
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


# -- the offline map ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/api/events/99999999999999999999", "/api/reports?offset=99999999999999999999", "/api/events/0"]
)
def test_out_of_range_numbers_are_422(client, path):
    assert_error(client.get(path), 422, "W422")


@pytest.mark.parametrize(
    "path",
    [
        "/actors/%F0%9F%92%A5",
        "/places/%00",
        "/reports/%25",
        "/blame/cell?source=&target=",
        "/events/99999999999999999999",
        "/search?q=%00%00",
    ],
)
def test_odd_page_requests_never_fail(client, path):
    assert client.get(path).status_code in (200, 404, 422)


def test_database_errors_do_not_show_server_paths(tmp_path):
    db = tmp_path / "not-a-database.db"
    app = create_app(db)
    db.write_bytes(b"this is not sqlite" * 100)
    error = assert_error(TestClient(app).get("/api/reports"), 500, "E015")
    assert str(tmp_path) not in error["message"]


def test_the_spec_describes_answers_errors_and_the_token(client):
    spec = client.get("/openapi.json").json()
    gets = {path: ops["get"] for path, ops in spec["paths"].items() if "get" in ops}
    described = [p for p, op in gets.items()
                 if op["responses"]["200"].get("content", {}).get("application/json", {}).get("schema")]
    assert len(described) >= 0.8 * len(gets), set(gets) - set(described)
    error = {"$ref": "#/components/schemas/ErrorBody"}
    for path, op in gets.items():
        assert op["responses"]["422"]["content"]["application/json"]["schema"] == error, path
    assert "HTTPValidationError" not in spec["components"]["schemas"]
    assert "404" in gets["/api/events/{event_id}"]["responses"] and "404" in gets["/api/reports/{report_id}"]["responses"]
    assert spec["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    write = spec["paths"]["/api/reports"]["post"]
    assert write["security"] == [{"bearer": []}] and "WWW-Authenticate" in write["responses"]["401"]["headers"]


def test_http_manners_401_405_and_head(demo_db):
    writer = TestClient(create_app(demo_db, token=TOKEN))
    refused = writer.post("/api/reports", json={"text": "x"}, headers={"Authorization": "Bearer wrong"})
    assert refused.status_code == 401 and refused.headers["www-authenticate"].startswith("Bearer")
    wrong = writer.delete("/api/reports")
    assert wrong.status_code == 405 and wrong.json()["error"]["code"] == "W405"
    assert set(wrong.headers["allow"].split(", ")) == {"GET", "HEAD", "POST"}
    assert writer.put("/reports").headers["allow"] == "GET, HEAD"
    for path in ("/api/events", "/api/reports?format=csv", "/reports", "/ceasefires"):
        head, get = writer.head(path), writer.get(path)
        assert head.status_code == get.status_code == 200, path
        assert head.content == b"" and head.headers["content-type"] == get.headers["content-type"], path
    assert writer.head("/api/events/999999").status_code == 404
