"""The times layer (placeholder until its stage lands: assigns an empty layer)."""

from __future__ import annotations

from ..pipeline import register_stage
from ..report import Report


class TimesStage:
    name = "times"
    requires = ("doc",)
    assigns = ("times",)

    def __call__(self, report: Report) -> None:
        report.times = []


@register_stage("times", requires=TimesStage.requires, assigns=TimesStage.assigns)
def make_times() -> TimesStage:
    return TimesStage()
