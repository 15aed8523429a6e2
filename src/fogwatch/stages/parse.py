"""Tokens, sentences, parse and named entities from spaCy, over the chrome-free text."""

from __future__ import annotations

from spacy.tokens import Doc

from ..nlp import chunk_text, load_model, parser_copy
from ..pipeline import register_stage
from ..report import Report


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
        for owner, doc in zip(owners, self.nlp.pipe(pieces, batch_size=64)):
            parsed.setdefault(owner, []).append(doc)
        for index, report in enumerate(reports):
            docs = parsed.get(index, [])
            report.doc = docs[0] if len(docs) == 1 else Doc.from_docs(docs, ensure_whitespace=False)


@register_stage("parse", requires=ParseStage.requires, assigns=ParseStage.assigns)
def make_parse() -> ParseStage:
    return ParseStage()
