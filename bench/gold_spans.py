"""Find character offsets of a phrase in one conflict-news report, without storing the phrase.

    .venv/bin/python bench/gold_spans.py REPORT_ID 'phrase'      # start, end, sha1 of each occurrence
    .venv/bin/python bench/gold_spans.py REPORT_ID 'before [[phrase]] after'   # only the marked part
    .venv/bin/python bench/gold_spans.py REPORT_ID START END     # show a stored span (on the terminal only)
    .venv/bin/python bench/gold_spans.py REPORT_ID               # the report with offsets at each line

A tool for whoever edits bench/gold/conflict_news_reports.json: the gold file keeps offsets and
hashes only, never the publishers' words, so phrases are typed here, on the command line, and the
printed numbers go into the file. Reads ../shared/eval/conflict-news/reports.jsonl at run time.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPORTS = ROOT.parent / "shared" / "eval" / "conflict-news" / "reports.jsonl"


def span_sha1(text: str, start: int, end: int) -> str:
    """The hash the gold file stores for a span: sha1 of its UTF-8 bytes, first 12 hex digits."""
    return hashlib.sha1(text[start:end].encode("utf-8")).hexdigest()[:12]


def load_texts(path: Path = REPORTS) -> dict[str, dict]:
    with open(path, encoding="utf-8") as f:
        return {r["id"]: r for r in map(json.loads, filter(str.strip, f))}


def find(text: str, phrase: str) -> list[tuple[int, int]]:
    """Every occurrence of phrase; with [[...]] markers, of the marked part within the whole phrase."""
    if "[[" in phrase:
        before, rest = phrase.split("[[", 1)
        marked, after = rest.split("]]", 1)
        whole = before + marked + after
    else:
        before, marked, whole = "", phrase, phrase
    found, i = [], text.find(whole)
    while i != -1:
        found.append((i + len(before), i + len(before) + len(marked)))
        i = text.find(whole, i + 1)
    return found


def main(argv: list[str]) -> int:
    if not REPORTS.exists():
        print(f"skipped: {REPORTS} is absent")
        return 0
    texts = load_texts()
    if not argv or argv[0] not in texts:
        print("usage: gold_spans.py REPORT_ID [PHRASE | START END]; ids:", *texts, sep="\n  ")
        return 2
    text = texts[argv[0]]["text"]
    if len(argv) == 1:
        pos = 0
        for line in text.split("\n"):
            print(f"{pos:5d} {line}")
            pos += len(line) + 1
    elif len(argv) == 3 and argv[1].isdigit() and argv[2].isdigit():
        s, e = int(argv[1]), int(argv[2])
        print(f"{s} {e} {span_sha1(text, s, e)} {text[s:e]!r}")
    else:
        hits = find(text, argv[1])
        for s, e in hits:
            print(f"{s} {e} {span_sha1(text, s, e)}")
        if not hits:
            print("not found")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
