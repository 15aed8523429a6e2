"""The places layer (placeholder until its stage lands: assigns an empty layer)."""

from __future__ import annotations

from ..pipeline import register_stage
from ..report import Report


class PlacesStage:
    name = "places"
    requires = ("doc",)
    assigns = ("places",)

    def __call__(self, report: Report) -> None:
        report.places = []


@register_stage("places", requires=PlacesStage.requires, assigns=PlacesStage.assigns)
def make_places() -> PlacesStage:
    return PlacesStage()
