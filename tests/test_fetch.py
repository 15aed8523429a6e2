"""Fetching over HTTP: private addresses refused, redirects re-checked, sizes and types capped.

A small server on loopback plays the web; tests that need to reach it either
allow private addresses explicitly or treat 127.0.0.1 alone as public.
"""

from __future__ import annotations

import gzip
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from fogwatch import fetch as fetching
from fogwatch.errors import InputError
from fogwatch.extract import Failure
from fogwatch.fetch import FetchPolicy, fetch
from fogwatch.ingest import read_paths, read_url
from fogwatch.report import Report

ARTICLE = (
    b"<html><head><title>Clinic hit</title></head><body><article><h1>Clinic hit</h1><p>An airstrike hit a clinic "
    b"in the north of the province on Sunday night, killing three nurses, the health ministry said.</p>"
    b"<p>The coalition denied targeting medical facilities and said it would review the report.</p>"
    b"</article></body></html>"
)
BOMB = gzip.compress(b" " * 5_000_000)


class Handler(BaseHTTPRequestHandler):
    routes: dict[str, tuple[int, dict[str, str], bytes]] = {}

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        status, headers, body = self.routes.get(self.path, (404, {"Content-Type": "text/plain"}, b"no"))
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    html = {"Content-Type": "text/html; charset=utf-8"}
    Handler.routes = {
        "/article": (200, html, ARTICLE),
        "/moved": (302, {"Location": "/article"}, b""),
        "/to-other-loopback": (302, {"Location": f"http://127.0.0.2:{httpd.server_address[1]}/article"}, b""),
        "/loop": (302, {"Location": "/loop"}, b""),
        "/image": (200, {"Content-Type": "image/png"}, b"\x89PNG"),
        "/bomb": (200, {**html, "Content-Encoding": "gzip"}, BOMB),
        "/big": (200, html, b"<p>" + b"x" * 300_000 + b"</p>"),
    }
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield base
    httpd.shutdown()


@pytest.fixture
def loopback_is_public(monkeypatch: pytest.MonkeyPatch) -> None:
    original = fetching._public
    monkeypatch.setattr(fetching, "_public", lambda address: address == "127.0.0.1" or original(address))


OPEN = FetchPolicy(allow_private=True, max_bytes=200_000)


@pytest.mark.parametrize("address", ["127.0.0.1", "10.1.2.3", "192.168.0.1", "172.16.5.5", "169.254.169.254",
                                     "::1", "fe80::1", "::ffff:10.0.0.1", "0.0.0.0", "224.0.0.1"])
def test_non_public_addresses(address: str) -> None:
    assert not fetching._public(address)


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:4700::6810:85e5"])
def test_public_addresses(address: str) -> None:
    assert fetching._public(address)


def test_loopback_is_refused_by_default(server: str) -> None:
    with pytest.raises(InputError) as caught:
        fetch(f"{server}/article")
    assert caught.value.code == "E018" and "non-public" in caught.value.reason


def test_allowed_fetch_follows_redirects(server: str) -> None:
    page = fetch(f"{server}/moved", OPEN)
    assert page.url.endswith("/article") and page.body == ARTICLE


def test_redirect_to_a_private_address_is_refused(server: str, loopback_is_public: None) -> None:
    assert fetch(f"{server}/article", FetchPolicy()).body == ARTICLE
    with pytest.raises(InputError) as caught:
        fetch(f"{server}/to-other-loopback", FetchPolicy())
    assert "127.0.0.2" in caught.value.reason


@pytest.mark.parametrize(("path", "words"), [
    ("/loop", "redirects"), ("/image", "content type"), ("/bomb", "larger"), ("/big", "larger"), ("/nothing", "404"),
])
def test_refusals_say_why(server: str, path: str, words: str) -> None:
    with pytest.raises(InputError) as caught:
        fetch(f"{server}{path}", OPEN)
    assert words in caught.value.reason


def test_only_http_schemes() -> None:
    with pytest.raises(InputError):
        fetch("file:///etc/passwd", OPEN)


@pytest.mark.parametrize("address", ["file:///etc/passwd", "ftp://example.org/pub/report.txt",
                                     "gopher://example.org/0/report"])
def test_other_schemes_are_reported_as_not_allowed_not_as_missing_files(address: str) -> None:
    """Given to ingest or extract, such an address is named as a scheme fogwatch does not fetch (E025)."""
    (failure,) = read_paths([address], policy=OPEN)
    assert isinstance(failure, Failure) and failure.code == "E025"
    assert "does not fetch" in failure.reason and "http" in failure.reason
    assert "E005" not in failure.reason and "No such file" not in failure.reason


def test_read_url_gives_a_report_or_a_failure(server: str) -> None:
    (report,) = read_url(f"{server}/article", policy=OPEN)
    assert isinstance(report, Report) and "airstrike hit a clinic" in report.text
    assert report.url == f"{server}/article"
    (failure,) = read_url(f"{server}/image", policy=OPEN)
    assert isinstance(failure, Failure) and failure.code == "E018"
