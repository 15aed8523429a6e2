"""The quantities layer (placeholder until its stage lands: assigns an empty layer)."""

from __future__ import annotations

from ..pipeline import register_stage
from ..report import Report


class QuantitiesStage:
    name = "quantities"
    requires = ("doc",)
    assigns = ("quantities",)

    def __call__(self, report: Report) -> None:
        report.quantities = []


@register_stage("quantities", requires=QuantitiesStage.requires, assigns=QuantitiesStage.assigns)
def make_quantities() -> QuantitiesStage:
    return QuantitiesStage()
