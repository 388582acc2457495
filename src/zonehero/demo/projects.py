"""Seed the store with the 四个一批 demo (about 60 projects over two years) through the services.

As a project office would: its account imports the projects, enters the
yearly plans and the monthly progress, raises difficulties and records how
they were handled, and closes the months of this year that ended before the most recent one (that one
stays open for the user to close; see :func:`demo_closed_months`). Also
creates the demo ``projects`` (项目办) and ``unit`` (责任单位) accounts.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from zonehero.clock import today
from zonehero.config import Settings
from zonehero.core.schedule.model import DifficultyCategory, DifficultyStatus
from zonehero.demo.schedule import generate_demo
from zonehero.features.projects import difficulties, months, progress, service
from zonehero.features.roles import SYSTEM, Actor, Role
from zonehero.features.users import service as users

OFFICE_ACCOUNT = "projects"
UNIT_ACCOUNT = "unit"


@dataclass(frozen=True)
class ProjectsSeed:
    """What was seeded: the as-of date, the unit account's unit, counts and the closed months."""

    as_of: date
    unit_name: str
    projects: int
    progress: int
    difficulties: int
    closed: list[tuple[int, int]]


def demo_closed_months(as_of: date) -> list[tuple[int, int]]:
    """The months the demo office has closed as of ``as_of``: every month of this year before the newest
    month that may be closed, which stays open (its progress entered) so a user can run the monthly cycle.

    When no earlier month of this year has ended (January, February), the month before the open one is
    closed instead, so there is always a stored report to look at. As of 2026-11-29: January to September
    2026 (October stays open); as of 2027-01-15: November 2026 (December stays open).
    """
    before_open = months.previous_month(*months.latest_closable_month(as_of))
    if before_open[0] != as_of.year:
        return [before_open]
    return [(as_of.year, m) for m in range(1, before_open[1] + 1)]


def _account(session: Session, username: str, password: str, role: Role, unit_name: str | None = None) -> Actor:
    read = users.create_user(session, SYSTEM, username, password, role, unit_name=unit_name)
    return Actor(id=read.id, username=read.username, role=Role(read.role), unit_name=read.unit_name)


def seed_demo_projects(
    session: Session,
    settings: Settings,
    *,
    password: str,
    seed: int = 1,
    n: int = 60,
    as_of: date | None = None,
) -> ProjectsSeed:
    """Seed ``n`` demo projects as of ``as_of`` (default today) in the caller's unit of work."""
    as_of = as_of or today()
    years = (as_of.year - 1, as_of.year)
    data = generate_demo(n=n, seed=seed, years=years, as_of=as_of)
    unit_name = Counter(p.unit for p in data.projects if p.unit).most_common(1)[0][0]
    office = _account(session, OFFICE_ACCOUNT, password, Role.PROJECT_OFFICE)
    _account(session, UNIT_ACCOUNT, password, Role.UNIT, unit_name)

    service.import_projects(session, office, data.projects, year=as_of.year)
    for code, plans in data.year_plans.items():
        for year, plan in plans.items():
            if year != as_of.year:
                service.set_year_plan(session, office, code, year, plan)
    progress.import_progress(session, office, data.progress)
    for d in data.difficulties:
        new_id = difficulties.add_difficulty(
            session,
            office,
            d.project_code,
            description=d.description,
            category=d.category,
            raised_on=d.raised_on,
            owner_unit=d.owner_unit,
            deadline=d.deadline,
        )
        if d.status is not DifficultyStatus.OPEN:
            difficulties.update_difficulty(
                session, office, new_id, status=d.status, resolution=d.resolution, resolved_on=d.resolved_on
            )
    # The unit account has something of its own to handle: a 协调 task on one of its projects.
    own = sorted(p.code for p in data.projects if p.unit == unit_name)[0]
    difficulties.add_difficulty(
        session,
        office,
        own,
        description="协调企业落地配套手续（水电气接入、注册变更）",
        category=DifficultyCategory.OTHER,
        raised_on=as_of - timedelta(days=20),
        owner_unit=unit_name,
        deadline=as_of + timedelta(days=10),
    )
    closed = demo_closed_months(as_of)
    for year, month in closed:
        months.close_month(session, office, year, month, on=as_of)
    return ProjectsSeed(as_of, unit_name, len(data.projects), len(data.progress), len(data.difficulties) + 1, closed)
