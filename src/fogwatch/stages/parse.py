"""Tokens, sentences, parse and named entities from spaCy, over the chrome-free text."""

from __future__ import annotations

from spacy.tokens import Doc

from ..nlp import chunk_text, load_model, parser_copy
from ..pipeline import register_stage
from ..report import Report

# Characters the parser takes in one batch. spaCy batches by count of texts, and its parser holds
# about 1 GB per 100,000 words of a batch: 64 chunks of a long report (20 KB each) peaked at 3.9 GB
# on 1.5 MB of prose, 8 chunks at 0.8 GB and ran faster (53 s against 65 s; issue 17). On 300 news
# articles (bench/throughput.py) a worker peaked at 1,075 MB with 160,000 characters a batch and at
# 929 MB with 40,000, for the same CPU time (84.1 and 82.5 s); 20,000 gave 570 MB for 5% more CPU.
PARSE_BATCH_CHARS = 40_000
MAX_PARSE_BATCH = 64


@register_stage
class ParseStage:
    name = "parse"
    requires = ("chrome",)
    assigns = ("doc",)

    def __init__(self) -> None:
        self.nlp = load_model()

    def __call__(self, report: Report) -> None:
        self.pipe([report])

    def pipe(self, reports: list[Report]) -> None:
        pieces: list[str] = []
        owners: list[int] = []
        for index, report in enumerate(reports):
            for piece in chunk_text(parser_copy(report.analysis_text)):
                pieces.append(piece)
                owners.append(index)
        parsed: dict[int, list[Doc]] = {}
        for owner, doc in zip(owners, self.nlp.pipe(pieces, batch_size=_batch_size(pieces))):
            parsed.setdefault(owner, []).append(doc)
        for index, report in enumerate(reports):
            docs = parsed.get(index, [])
            report.doc = docs[0] if len(docs) == 1 else Doc.from_docs(docs, ensure_whitespace=False)


def _batch_size(pieces: list[str]) -> int:
    """Texts per parser batch: about PARSE_BATCH_CHARS characters, at most MAX_PARSE_BATCH texts."""
    mean = sum(map(len, pieces)) / max(len(pieces), 1)
    return max(1, min(MAX_PARSE_BATCH, int(PARSE_BATCH_CHARS // max(mean, 1))))
