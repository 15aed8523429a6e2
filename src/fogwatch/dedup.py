"""Wire-copy detection: the same agency copy republished, with edits, by other outlets.

Reports are compared by MinHash signatures of their word 5-gram shingles,
looked up with locality-sensitive hashing (datasketch), and only reports
published within a few days of each other count as copies. A copy is kept and
linked to the earliest report of its group (the original), never dropped, and
never counted as a second source by the ledger.

A process keeps one index per store and adds to it as reports arrive: a server
answering many ``POST /api/reports`` reads the stored signatures once, not once
per report, and reads them again only when another process has added some.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from datetime import date

from datasketch import LeanMinHash, MinHash, MinHashLSH

from .report import Report
from .store import Store

SHINGLE_WORDS = 5
NUM_PERM = 128
# Jaccard similarity of 5-word shingle sets above which two reports are one copy.
# Calibrated on hand-made pairs: a wire story republished with a new headline,
# a cut final paragraph and a few reworded sentences keeps 0.6-0.9 of its
# shingles; two outlets writing independently about the same strike share
# under 0.15 (quotes and names are the only long common runs).
COPY_THRESHOLD = 0.5
# Republication of wire copy happens within days; a later report reusing old
# paragraphs is background, not a copy.
DATE_WINDOW_DAYS = 7
# Texts with fewer shingles than this are too short to call copies reliably.
MIN_SHINGLES = 8

_WORD = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[bytes]:
    words = _WORD.findall(text.lower())
    return {" ".join(words[i : i + size]).encode("utf-8") for i in range(max(len(words) - size + 1, 0))}


def signature(text: str) -> LeanMinHash | None:
    """A MinHash of the text's shingles; None when the text is too short to compare."""
    grams = shingles(text)
    if len(grams) < MIN_SHINGLES:
        return None
    minhash = MinHash(num_perm=NUM_PERM)
    minhash.update_batch(list(grams))
    return LeanMinHash(minhash)


def to_bytes(sig: LeanMinHash) -> bytes:
    buffer = bytearray(sig.bytesize())
    sig.serialize(buffer)
    return bytes(buffer)


def from_bytes(data: bytes) -> LeanMinHash:
    return LeanMinHash.deserialize(data)


@dataclass(frozen=True)
class CopyLink:
    report_id: str
    original_id: str
    similarity: float


def _day(published: str | None) -> date | None:
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10])
    except ValueError:
        return None


def _within_window(a: str | None, b: str | None) -> bool:
    """Unknown dates are compared on text alone; known ones must fall within the window."""
    day_a, day_b = _day(a), _day(b)
    if day_a is None or day_b is None:
        return True
    return abs((day_a - day_b).days) <= DATE_WINDOW_DAYS


class CopyIndex:
    """Signatures of every stored report, queried as reports arrive.

    Shared by the threads of a process (see ``load_index``), so reading and adding hold a lock.
    """

    def __init__(self) -> None:
        self.lsh = MinHashLSH(threshold=COPY_THRESHOLD, num_perm=NUM_PERM)
        self.signatures: dict[str, LeanMinHash] = {}
        self.published: dict[str, str | None] = {}
        self.lock = threading.Lock()

    def insert(self, report_id: str, sig: LeanMinHash, published: str | None) -> None:
        with self.lock:
            if report_id in self.signatures:
                return
            self.lsh.insert(report_id, sig)
            self.signatures[report_id] = sig
            self.published[report_id] = published

    def matches(self, sig: LeanMinHash, published: str | None) -> list[tuple[str, float]]:
        """Reports indexed here that this signature copies (or is copied by), most similar first."""
        found = []
        with self.lock:
            for other in self.lsh.query(sig):
                similarity = sig.jaccard(self.signatures[other])
                if similarity >= COPY_THRESHOLD and _within_window(published, self.published[other]):
                    found.append((other, similarity))
        return sorted(found, key=lambda pair: -pair[1])


def pick_original(members: dict[str, str | None]) -> str:
    """The group's original: the earliest published, then the first stored (ids keep insertion order)."""
    order = list(members)
    return min(order, key=lambda rid: (members[rid] or "9999", order.index(rid)))


# This process's copy index of each store it writes to, by the store's location.
_indexes: dict[str, CopyIndex] = {}
_indexes_lock = threading.Lock()


def load_index(store: Store) -> CopyIndex:
    """The copy index of everything stored: this process's own, kept from one call to the next.

    It is read from the store on first use, and again only when the store holds a different
    number of signatures than the index (another process added reports, or a transaction that
    added one to the index was rolled back); a store in memory is private to its connection, so
    it gets an index of its own each time.
    """
    if store.location == ":memory:":
        return _read_index(store)
    with _indexes_lock:
        index = _indexes.get(store.location)
        if index is None or len(index.signatures) != store.signature_count():
            index = _indexes[store.location] = _read_index(store)
        return index


def _read_index(store: Store) -> CopyIndex:
    """A new index of every signature stored (the one costly step: each MinHash is read and hashed in)."""
    index = CopyIndex()
    for report_id, minhash, published in store.signatures():
        index.insert(report_id, from_bytes(minhash), published)
    return index


def _known(store: Store, index: CopyIndex, report_id: str) -> bool:
    """Make sure a stored report's signature is in this process's index.

    Another process writing to the same store may have added it since the index
    was loaded; it is read from the store then. False when it has no signature.
    """
    if report_id in index.signatures:
        return True
    stored = store.signature(report_id)
    if stored is None:
        return False
    index.insert(report_id, from_bytes(stored[0]), stored[1])
    return True


def register(store: Store, index: CopyIndex, report: Report) -> CopyLink | None:
    """Index a newly stored report and link its copy group; returns its link when it is a copy."""
    sig = signature(report.text)
    if sig is None:
        return None
    # A report whose storing was rolled back stays in a long-lived index until it is next read:
    # only what the store holds can be an original.
    matches = [(other, sim) for other, sim in index.matches(sig, report.published) if store.has(other)]
    store.save_signature(report.id, to_bytes(sig))
    index.insert(report.id, sig, report.published)
    if not matches:
        return None
    group: dict[str, str | None] = {}
    for other, _ in matches:
        original = store.original_of(other) or other
        for member in (original, *store.copies_of(original), other):
            if _known(store, index, member):
                group[member] = index.published[member]
    group[report.id] = report.published
    original = pick_original(group)
    base = index.signatures[original]
    store.set_original(original, {rid: base.jaccard(index.signatures[rid]) for rid in group})
    if original == report.id:
        return None
    return CopyLink(report.id, original, base.jaccard(sig))
