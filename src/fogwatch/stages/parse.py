"""Tokens, sentences, parse and named entities from spaCy, over the chrome-free text."""

from __future__ import annotations

from spacy.tokens import Doc

from ..nlp import ParsedPiece, chunk_text, load_model, parser_copy
from ..pipeline import Emit, register_stage
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
    streams = True  # ``pipe`` hands each parsed chunk on at once (see pipeline.Stage)

    def __init__(self) -> None:
        self.nlp = load_model()

    def __call__(self, report: Report) -> None:
        self.pipe([report])

    def pipe(self, reports: list[Report], emit: Emit | None = None) -> None:
        """Parse the reports' chunks in batches of about PARSE_BATCH_CHARS. Each chunk is handed to
        ``emit`` as a ``ParsedPiece`` as soon as the parser yields it, and each report to
        ``emit(report, None)`` once its ``doc`` is set, so later work starts while the rest parses."""
        texts = [parser_copy(report.analysis_text) for report in reports]
        pieces: list[str] = []
        places: list[tuple[int, int]] = []  # (report index, chunk offset) of each piece
        for index, text in enumerate(texts):
            start = 0
            for piece in chunk_text(text):
                pieces.append(piece)
                places.append((index, start))
                start += len(piece)
        parsed: list[Doc] = []
        docs = self.nlp.pipe(pieces, batch_size=_batch_size(pieces))
        for (index, start), piece, doc in zip(places, pieces, docs):
            report = reports[index]
            parsed.append(doc)
            if emit is not None:
                emit(report, ParsedPiece(texts[index], start, start + len(piece), doc))
            if start + len(piece) == len(texts[index]):  # the report's last chunk: the parser keeps order
                report.doc = parsed[0] if len(parsed) == 1 else Doc.from_docs(parsed, ensure_whitespace=False)
                parsed = []
                if emit is not None:
                    emit(report, None)


def _batch_size(pieces: list[str]) -> int:
    """Texts per parser batch: about PARSE_BATCH_CHARS characters, at most MAX_PARSE_BATCH texts."""
    mean = sum(map(len, pieces)) / max(len(pieces), 1)
    return max(1, min(MAX_PARSE_BATCH, int(PARSE_BATCH_CHARS // max(mean, 1))))
