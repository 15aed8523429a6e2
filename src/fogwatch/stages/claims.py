"""The claims layer (placeholder until its stage lands: assigns an empty layer)."""

from __future__ import annotations

from ..pipeline import register_stage
from ..report import Report


class ClaimsStage:
    name = "claims"
    requires = ("doc", "actors",)
    assigns = ("claims",)

    def __call__(self, report: Report) -> None:
        report.claims = []


@register_stage("claims", requires=ClaimsStage.requires, assigns=ClaimsStage.assigns)
def make_claims() -> ClaimsStage:
    return ClaimsStage()
