"""Every API input is validated at the edge: types, ranges, lengths, codes, dates, the write's body and headers.

What test_api.py already covers (limit=0, a word for a date, a non-numeric event
id, an unknown format, the body limit, a missing token) is not repeated here;
these are the gaps a review of each parameter found. Also: the operator's
token never reaches a log line, on a refused write or an accepted one.
"""

from __future__ import annotations

import logging
import warnings
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the web dependencies are not installed")
with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette's notice about its httpx-based test client
    from fastapi.testclient import TestClient

from fogwatch.database import MAX_FILTER_CHARS
from fogwatch.web import create_app
from fogwatch.web.api import MAX_ID, MAX_LIMIT, MAX_OFFSET, MAX_TITLE, MAX_URL

TOKEN = "validation-token-5f1c9a0d7e"
REPORT = "Shelling hit the eastern district of Kharkiv on Monday, regional officials said."


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    db = tmp_path_factory.mktemp("validation") / "v.db"
    return TestClient(create_app(db, token=TOKEN, max_body=50_000), raise_server_exceptions=False)


def assert_422(response, *words: str) -> None:
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "W422" and set(error) == {"code", "message", "fix"}
    for word in words:
        assert word in error["message"], error["message"]


@pytest.mark.parametrize("value", ["0000", "0000-01-01", "2016-13", "2016-00-10", "2016-02-30", "2015-02-29",
                                   "9999-12-32", "2016-1-1", "16-01-01", "2016/01/01", "２０１６", "2016-01-01T00:00"])
@pytest.mark.parametrize("path", ["/api/reports", "/api/claims", "/api/events", "/reports", "/claims", "/events"])
def test_impossible_or_malformed_dates_are_refused(client: TestClient, path: str, value: str) -> None:
    for name in ("date_from", "date_to"):
        response = client.get(path, params={name: value})
        assert response.status_code == 422, (path, name, value, response.status_code)
        if path.startswith("/api"):
            assert_422(response, name)


@pytest.mark.parametrize("value", ["0001", "9999", "9999-12-31", "2016-02-29", "2016-12"])
def test_edge_dates_that_exist_are_accepted(client: TestClient, value: str) -> None:
    for path in ("/api/reports", "/api/claims", "/api/events", "/events"):
        assert client.get(path, params={"date_from": value, "date_to": value}).status_code == 200


@pytest.mark.parametrize("path", ["/api/reports", "/api/claims", "/api/actors", "/api/places", "/api/search",
                                  "/api/events", "/api/claims/contested", "/api/ceasefires"])
def test_pagination_bounds(client: TestClient, path: str) -> None:
    params = {"q": "x"} if path == "/api/search" else {}
    for bad in ({"limit": MAX_LIMIT + 1}, {"limit": -1}, {"limit": "ten"}, {"limit": 1.5}, {"offset": -1},
                {"offset": MAX_OFFSET + 1}, {"offset": 2**64}):
        assert_422(client.get(path, params={**params, **bad}), next(iter(bad)))
    assert client.get(path, params={**params, "limit": MAX_LIMIT, "offset": MAX_OFFSET}).status_code == 200


def test_ids_out_of_range_are_refused(client: TestClient) -> None:
    for bad in ("0", "-1", str(MAX_ID + 1), "1e3", "0x10"):
        assert client.get(f"/api/events/{bad}").status_code == 422, bad
        assert client.get(f"/events/{bad}").status_code == 422, bad
    assert client.get(f"/api/events/{MAX_ID}").status_code == 404


@pytest.mark.parametrize("path,letters", [("/api/reports", 2), ("/api/places", 2), ("/api/events", 2),
                                          ("/api/actors", 3)])
def test_country_codes_are_iso_letters(client: TestClient, path: str, letters: int) -> None:
    assert client.get(path, params={"country": "sy"[:letters] + "r"[: letters - 2]}).status_code == 200
    for bad in ("Syria", "S", "S1", "SYRI"[: letters + 1], "' OR 1=1"):
        assert_422(client.get(path, params={"country": bad}), "country")


def test_text_filters_are_bounded(client: TestClient) -> None:
    long = "a" * (MAX_FILTER_CHARS + 1)
    for path, name in (("/api/reports", "source"), ("/api/claims", "target"), ("/api/actors", "q"),
                       ("/api/places", "q"), ("/api/events", "actor"), ("/api/search", "q")):
        assert_422(client.get(path, params={name: long}), name)
    assert client.get("/api/reports", params={"source": "a" * MAX_FILTER_CHARS}).status_code == 200
    assert client.get(f"/api/reports/{long}").status_code == 422


def test_enum_parameters_refuse_other_values(client: TestClient) -> None:
    for path, value in (("/api/reports", "xml"), ("/api/claims", "geojson"), ("/api/events", "JSON"),
                        ("/api/blame", "geojson")):
        assert_422(client.get(path, params={"format": value}), "format")


def post(client: TestClient, body: object, **headers: str):
    return client.post("/api/reports", json=body, headers={"Authorization": f"Bearer {TOKEN}", **headers})


def test_the_write_needs_a_json_content_type(client: TestClient) -> None:
    for content_type in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data", ""):
        response = client.post("/api/reports", content=b'{"text": "x"}',
                               headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": content_type})
        assert response.status_code == 415, (content_type, response.text)
        assert response.json()["error"]["code"] == "W415"
    assert client.get("/api/reports").json()["total"] == 0


def test_the_write_refuses_wrong_types_unknown_fields_and_long_metadata(client: TestClient) -> None:
    assert_422(post(client, {"text": 5}), "text")
    assert_422(post(client, {"text": ["a"]}), "text")
    assert_422(post(client, [REPORT]))
    assert_422(post(client, REPORT))
    assert_422(post(client, {"text": REPORT, "date": "2016-12-14"}), "date")
    assert_422(post(client, {"text": REPORT, "title": "t" * (MAX_TITLE + 1)}), "title")
    assert_422(post(client, {"text": REPORT, "url": "https://example.org/" + "a" * MAX_URL}), "url")
    for published in ("0000-01-01", "9999-12-31", "2016-02-30", "yesterday"):
        assert post(client, {"text": REPORT, "published": published}).status_code == 422, published
    assert client.get("/api/reports").json()["total"] == 0


@pytest.mark.model
def test_the_token_is_never_logged(client: TestClient, caplog: pytest.LogCaptureFixture, tmp_path: Path) -> None:
    wrong = "wrong-token-a41b77c2e9"
    with caplog.at_level(logging.DEBUG):
        refused = post(client, {"text": REPORT}, Authorization=f"Bearer {wrong}")
        accepted = post(client, {"text": REPORT, "outlet": "Log Test"})
        broken = TestClient(create_app(tmp_path / "missing" / "x.db", token=TOKEN), raise_server_exceptions=False)
        (tmp_path / "missing").mkdir()
        (tmp_path / "missing" / "x.db").write_bytes(b"not a database")
        failed = post(broken, {"text": REPORT})
    assert refused.status_code == 401 and accepted.status_code == 201 and failed.status_code == 500
    assert caplog.records, "nothing was logged: the check below proves nothing"
    for secret in (TOKEN, wrong):
        assert secret not in caplog.text
        for response in (refused, accepted, failed):
            assert secret not in response.text and secret not in str(response.headers)
