"""A small hand-made project library for the projects tests, and the accounts that use it.

Five projects of two responsible units (招商局, 建设局) around the year 2025:
one planned to start in December 2024 that started in January 2025 (carried
over), one started before it was planned (ahead), one late by four months,
one in production, one still being prepared.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session
from zone_files import PASSWORD

from zonehero.core.schedule.model import Milestone, MilestoneKind, Project
from zonehero.features.roles import SYSTEM, Actor, Role
from zonehero.features.users import service as users

UNIT_A = "招商局"
UNIT_B = "建设局"
AS_OF = date(2025, 6, 30)


def _project(
    code: str,
    unit: str,
    *,
    sign: tuple[date | None, date | None] = (None, None),
    start: tuple[date | None, date | None] = (None, None),
    production: tuple[date | None, date | None] = (None, None),
    plan: float | None = None,
    total: float = 10_000.0,
) -> Project:
    return Project(
        code=code,
        name=f"测试项目{code}",
        investor=f"{code}投资有限公司",
        industry_chain="新材料",
        total_investment=total,
        leader="王建国",
        unit=unit,
        added_date=date(2024, 3, 1),
        signing=Milestone(MilestoneKind.SIGNING, *sign),
        construction=Milestone(MilestoneKind.CONSTRUCTION, *start),
        production=Milestone(MilestoneKind.PRODUCTION, *production),
        year_plan_investment=plan,
    )


def library() -> list[Project]:
    """The five projects (codes P1-P5); plans are for 2025."""
    return [
        _project(
            "P1",
            UNIT_A,
            sign=(date(2024, 6, 1), date(2024, 6, 10)),
            start=(date(2024, 12, 15), date(2025, 1, 20)),
            production=(date(2026, 6, 1), None),
            plan=1200.0,
        ),
        _project(
            "P2",
            UNIT_A,
            sign=(date(2024, 9, 1), date(2024, 9, 1)),
            start=(date(2026, 3, 1), date(2025, 4, 1)),
            plan=600.0,
        ),
        _project("P3", UNIT_B, sign=(date(2025, 2, 28), None), plan=None),
        _project(
            "P4",
            UNIT_B,
            sign=(date(2023, 1, 1), date(2023, 1, 1)),
            start=(date(2023, 6, 1), date(2023, 6, 1)),
            production=(date(2025, 3, 1), date(2025, 3, 15)),
        ),
        _project("P5", UNIT_A, sign=(date(2025, 10, 1), None)),
    ]


def account(session: Session, username: str, role: Role, unit_name: str | None = None) -> Actor:
    """A stored account of ``role`` and its actor."""
    user = users.create_user(session, SYSTEM, username, PASSWORD, role, unit_name=unit_name)
    return Actor(id=user.id, username=user.username, role=role, unit_name=user.unit_name)
