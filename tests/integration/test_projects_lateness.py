"""One lateness rule: the warnings and the project page's milestone badges use the same threshold."""

from __future__ import annotations

from datetime import date, timedelta

from zonehero.core.schedule.model import Milestone, Project
from zonehero.core.schedule.warnings import Light, WarningConfig, lateness_light
from zonehero.demo.schedule import generate_demo
from zonehero.features.projects.service import milestones_of


def test_yellow_up_to_the_limit_red_beyond() -> None:
    assert lateness_light(90) is Light.YELLOW and lateness_light(91) is Light.RED
    assert lateness_light(30, WarningConfig(yellow_max_days_late=20)) is Light.RED


def test_the_page_badges_follow_the_rule() -> None:
    def first(p: Project) -> Milestone:
        return next(iter(p.milestones()))

    project = next(p for p in generate_demo(40, seed=3).projects if first(p).planned and not first(p).actual)
    planned = first(project).planned
    assert planned is not None
    for late, light in ((30, "yellow"), (120, "red")):
        shown = milestones_of(project, planned + timedelta(days=late))[0]
        assert (shown.days_late, shown.late_light) == (late, light)
    assert milestones_of(project, date(1990, 1, 1))[0].late_light is None
