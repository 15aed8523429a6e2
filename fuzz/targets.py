"""Fuzz targets: one function per input surface, each taking raw bytes.

A target returns normally or raises one of fogwatch's catalogued errors
(``fogwatch.errors.FogwatchError``); anything else (a stray exception, a
broken offset, a 500 from the API) is a crash. The runner (``fuzz/run.py``)
lets catalogued errors pass and hands everything else to the fuzzer.
"""

from __future__ import annotations

import sys
import tempfile
import warnings
from collections.abc import Callable
from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any
from urllib.parse import quote_from_bytes

from fogwatch import quotes, timex
from fogwatch.extract import default_pipeline
from fogwatch.ingest import read_file
from fogwatch.report import Report

# The full pipeline costs ~10 ms per 100 characters; 4 KB (a short report) keeps
# thousands of executions per minute possible while reaching every stage.
MAX_PIPELINE_BYTES = 4096
# Readers and scanners are cheap: 64 KB lets the fuzzer build deep markup and long lines.
MAX_READER_BYTES = 65536
# The API paths whose query strings are fuzzed: every list endpoint (a 500 on any is a crash).
API_PATHS = ("/api/reports", "/api/claims", "/api/actors", "/api/places", "/api/search", "/api/events",
             "/api/claims/contested", "/api/ceasefires", "/api/blame", "/reports", "/claims", "/events",
             "/search", "/map")

_scratch = Path(tempfile.mkdtemp(prefix="fogwatch-fuzz-"))


def _read(data: bytes, suffix: str) -> list[Report]:
    """Every report a reader yields for ``data`` saved with ``suffix`` (failures are checked, then dropped)."""
    path = _scratch / f"input{suffix}"
    path.write_bytes(data[:MAX_READER_BYTES])
    reports = []
    for item in read_file(path):
        if isinstance(item, Report):
            reports.append(item)
        elif not item.reason.startswith("[E"):
            raise AssertionError(f"a failure outside the catalogue: {item.reason}")
    return reports


def check_offsets(report: Report) -> None:
    """Every layer's offsets lie inside the text (the contract every consumer relies on)."""
    n = len(report.text)
    for layer in ("places", "times", "quantities", "claims", "events"):
        for item in getattr(report, layer):
            if not 0 <= item.start <= item.end <= n:
                raise AssertionError(f"{layer} offsets {item.start}..{item.end} outside 0..{n}")


def target_text(data: bytes) -> None:
    """Plain text, read as ``fogwatch ingest`` reads a .txt file, through the whole pipeline."""
    for report in _read(data[:MAX_PIPELINE_BYTES], ".txt"):
        check_offsets(default_pipeline()(report))


def target_html(data: bytes) -> None:
    _read(data, ".html")


def target_jsonl(data: bytes) -> None:
    _read(data, ".jsonl")


def target_feed(data: bytes) -> None:
    _read(data, ".rss")


def target_warc(data: bytes) -> None:
    _read(data, ".warc")


def target_timex(data: bytes) -> None:
    """The time grammar and resolvers; the first two bytes pick the anchor date (1900 to 2100)."""
    anchor = date(1900, 1, 1) + timedelta(days=int.from_bytes(data[:2], "big") % 73_000)
    text = data[2:MAX_READER_BYTES].decode("utf-8", "replace")
    for tagged in timex.tag(text, anchor):
        if not 0 <= tagged.start <= tagged.end <= len(text) or text[tagged.start:tagged.end] != tagged.text:
            raise AssertionError(f"time expression offsets wrong: {tagged}")


def target_quotes(data: bytes) -> None:
    text = data[:MAX_READER_BYTES].decode("utf-8", "replace")
    found = quotes.find_quotes(text)
    for before, after in pairwise(found):
        if before.end > after.start:
            raise AssertionError(f"overlapping quotes: {before} {after}")
    for quote in found:
        quotes.is_scare_quote(text, quote)


_client = None


def _api_client() -> Any:
    """A client over an empty store of its own, made once per process."""
    global _client
    if _client is None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from fastapi.testclient import TestClient

        from fogwatch.web import create_app

        _client = TestClient(create_app(_scratch / "api.db"), raise_server_exceptions=False)
    return _client


def target_api_query(data: bytes) -> None:
    """Raw bytes as a query string (percent-encoded) on one list endpoint; the first byte picks it."""
    if not data:
        return
    path = API_PATHS[data[0] % len(API_PATHS)]
    query = quote_from_bytes(data[1:2048], safe=b"=&")
    response = _api_client().get(f"{path}?{query}")
    if response.status_code >= 500:
        raise AssertionError(f"{path}?{query[:200]} answered {response.status_code}: {response.text[:300]}")
    if response.status_code >= 400 and path.startswith("/api") and not _error_shaped(response.json()):
        raise AssertionError(f"{path}?{query[:200]}: {response.status_code} outside the error shape")


def _error_shaped(body: Any) -> bool:
    return isinstance(body, dict) and set(body.get("error", {})) == {"code", "message", "fix"}


TARGETS: dict[str, Callable[[bytes], None]] = {
    "text": target_text,
    "html": target_html,
    "jsonl": target_jsonl,
    "feed": target_feed,
    "warc": target_warc,
    "timex": target_timex,
    "quotes": target_quotes,
    "api_query": target_api_query,
}


def warm_up(name: str) -> None:
    """Load what a target loads on first use (the spaCy model, the web app) before timing starts."""
    corpus = Path(__file__).resolve().parent / "corpus" / name
    for seed in sorted(corpus.glob("*"))[:1]:
        try:
            TARGETS[name](seed.read_bytes())
        except Exception as err:  # noqa: BLE001 - reported, then the fuzzer finds it again and saves it
            print(f"warm-up input {seed.name} raised {type(err).__name__}: {err}", file=sys.stderr)
