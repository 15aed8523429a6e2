"""The actors layer (placeholder until its stage lands: assigns an empty layer)."""

from __future__ import annotations

from ..pipeline import register_stage
from ..report import Report


class ActorsStage:
    name = "actors"
    requires = ("doc",)
    assigns = ("actors",)

    def __call__(self, report: Report) -> None:
        report.actors = []


@register_stage("actors", requires=ActorsStage.requires, assigns=ActorsStage.assigns)
def make_actors() -> ActorsStage:
    return ActorsStage()
