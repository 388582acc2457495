"""Building small hand-made projects for the schedule tests."""

from __future__ import annotations

from datetime import date

from zonehero.core.schedule.model import Milestone, MilestoneKind, Project

Dates = tuple[date | None, date | None]


def project(
    code: str,
    *,
    sign: Dates = (None, None),
    start: Dates = (None, None),
    prod: Dates = (None, None),
    total: float | None = 1000.0,
    added: date | None = None,
    plan: float | None = None,
    leader: str | None = "王建国",
) -> Project:
    """A project with (planned, actual) pairs for signing, construction and production."""
    return Project(
        code=code,
        name=f"项目{code}",
        total_investment=total,
        added_date=added,
        signing=Milestone(MilestoneKind.SIGNING, *sign),
        construction=Milestone(MilestoneKind.CONSTRUCTION, *start),
        production=Milestone(MilestoneKind.PRODUCTION, *prod),
        year_plan_investment=plan,
        leader=leader,
        unit="招商一局",
    )
