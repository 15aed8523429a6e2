"""The events layer (placeholder until its stage lands: assigns an empty layer)."""

from __future__ import annotations

from ..pipeline import register_stage
from ..report import Report


class EventsStage:
    name = "events"
    requires = ("doc", "actors", "times", "places", "quantities", "claims",)
    assigns = ("events",)

    def __call__(self, report: Report) -> None:
        report.events = []


@register_stage("events", requires=EventsStage.requires, assigns=EventsStage.assigns)
def make_events() -> EventsStage:
    return EventsStage()
