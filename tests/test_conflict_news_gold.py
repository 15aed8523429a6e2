"""The per-report conflict-news gold (bench/gold/conflict_news_reports.json) is well-formed, stores
offsets and hashes only, and every span still hashes to the shared text it was read from.

The texts are read at run time from ../shared/eval/conflict-news/; the test skips when it is absent."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "bench" / "gold" / "conflict_news_reports.json"
REPORTS = ROOT.parent / "shared" / "eval" / "conflict-news" / "reports.jsonl"

TYPES = {"AGREE", "ASSAULT", "ACCUSE", "AID", "COERCE", "CONCEDE", "CONSULT", "COOPERATE", "DEMAND", "DISAPPROVE",
         "MOBILIZE", "PROTEST", "REJECT", "REQUEST", "RETREAT", "SANCTION", "SUPPORT", "THREATEN",
         "CEASEFIRE", "EVACUATE", "BESIEGE", "DETAIN", "KILL"}
STATUSES = {"occurred", "ongoing", "planned", "demanded", "prevented", "denied", "reported", "predicted"}
KINDS = {"statement", "blame", "denial", "prediction", "warning", "demand", "intention", "opinion"}
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SPAN_KEYS = {"start", "end", "sha1"}


def sha(text: str, start: int, end: int) -> str:
    return hashlib.sha1(text[start:end].encode("utf-8")).hexdigest()[:12]


@pytest.fixture(scope="module")
def gold() -> dict:
    return json.loads(GOLD.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def texts() -> dict[str, str]:
    if not REPORTS.exists():
        pytest.skip(f"the shared conflict-news set is absent (looked for {REPORTS.name} in ../shared/eval/conflict-news/)")
    with open(REPORTS, encoding="utf-8") as f:
        return {r["id"]: r["text"] for r in map(json.loads, filter(str.strip, f))}


def spans(report: dict):
    for q in report["quotes"]:
        yield q["id"], q
    for c in report["claims"]:
        for part in ("source", "cue", "content"):
            yield f"{c['id']}.{part}", c[part]
    for e in report["events"]:
        yield e["id"], e


def _check_span(where: str, d: dict) -> None:
    assert SPAN_KEYS <= d.keys(), where
    assert isinstance(d["start"], int) and isinstance(d["end"], int) and 0 <= d["start"] < d["end"], where
    assert re.fullmatch(r"[0-9a-f]{12}", d["sha1"]), where


def _check_date(where: str, d) -> None:
    if d is None:
        return
    if isinstance(d, dict):
        assert DAY.match(d["from"]) and DAY.match(d["to"]) and d["from"] <= d["to"], where
    else:
        assert DAY.match(d), where


def test_gold_is_well_formed(gold: dict) -> None:
    assert isinstance(gold["about"], str) and "offsets" in gold["about"].lower()
    assert len(gold["reports"]) == 30
    for rid, r in gold["reports"].items():
        assert re.fullmatch(r"[a-z0-9-]+/[a-z0-9-]+", rid)
        assert DAY.match(r["published"]) and isinstance(r["length"], int)
        for part in ("quotes", "claims", "events"):
            ids = [x["id"] for x in r[part]]
            assert len(ids) == len(set(ids)), (rid, part)
            for x in r[part]:
                assert isinstance(x["required"], bool), (rid, x["id"])
        for where, d in spans(r):
            _check_span(f"{rid} {where}", d)
            assert d["end"] <= r["length"], (rid, where)
        for q in r["quotes"]:
            assert q["speaker"] in q["aliases"] and all(isinstance(a, str) and a for a in q["aliases"])
        for c in r["claims"]:
            assert c["kind"] in KINDS and set(c.get("also_kinds", [])) <= KINDS, (rid, c["id"])
            assert c["source"]["name"] in c["source"]["aliases"], (rid, c["id"])
            for a in c.get("accused", []):
                assert a["name"] in a["aliases"], (rid, c["id"])
            if c["kind"] == "blame" and c["required"]:
                assert c.get("accused"), f"{rid} {c['id']}: a required blame claim names who is blamed"
        for e in r["events"]:
            assert e["type"] and set(e["type"]) <= TYPES, (rid, e["id"])
            statuses = e["status"] if isinstance(e["status"], list) else [e["status"]]
            assert statuses and set(statuses) <= STATUSES, (rid, e["id"])
            _check_date(f"{rid} {e['id']}", e["date"])
            for p in e["place"] or []:
                assert p["name"] in p["aliases"] and re.fullmatch(r"[A-Z]{2}", p["country"]), (rid, e["id"])
            assert isinstance(e["actors"], list), f"{rid} {e['id']}: every key event lists its doers"
            assert not e.get("blamed") or not e["actors"], f"{rid} {e['id']}: 'blamed' goes with actors []"
            for a in e["actors"] + e.get("blamed", []) + e.get("also_actors", []):
                assert a["aliases"] and all(isinstance(x, str) and x for x in a["aliases"]), (rid, e["id"])
                assert re.fullmatch(r"[A-Z]{3}|[a-z][a-z0-9-]*", a["side"]), (rid, e["id"], a["side"])


def test_gold_keeps_no_text(gold: dict) -> None:
    """Only offsets, hashes and labels: no key that could carry a span's words."""
    forbidden = {"anchor", "text", "quote", "phrase", "words"}

    def walk(x, path="") -> None:
        if isinstance(x, dict):
            for k, v in x.items():
                assert k not in forbidden, f"{path}.{k}"
                walk(v, f"{path}.{k}")
        elif isinstance(x, list):
            for i, v in enumerate(x):
                walk(v, f"{path}[{i}]")

    walk(gold["reports"])


def test_every_span_hash_matches_the_shared_text(gold: dict, texts: dict[str, str]) -> None:
    bad = []
    assert set(gold["reports"]) == set(texts)
    for rid, r in gold["reports"].items():
        text = texts[rid]
        assert len(text) == r["length"] and sha(text, 0, len(text)) == r["sha1"], f"{rid}: the shared text changed"
        for where, d in spans(r):
            if sha(text, d["start"], d["end"]) != d["sha1"]:
                bad.append(f"{rid} {where} {d['start']}-{d['end']}")
    assert not bad, "spans no longer match the shared texts: " + ", ".join(bad)


def test_no_report_text_is_stored_in_the_gold(gold: dict, texts: dict[str, str]) -> None:
    """No run of eight or more words of any report occurs in the gold file."""
    raw = GOLD.read_text(encoding="utf-8")
    for rid, text in texts.items():
        words = text.split()
        for i in range(0, max(0, len(words) - 8), 4):
            assert " ".join(words[i:i + 8]) not in raw, rid
