"""Placeholders of the project rows of the role matrix, read from the seeded demo projects.

The demo seeds a ``projects`` (项目办) and a ``unit`` (责任单位) account; the
unit's own project, a project it may not see, a difficulty it owns, and a
closed month are looked up here once per test session.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from zonehero.demo.projects import UNIT_ACCOUNT
from zonehero.features.projects import months, service
from zonehero.features.projects.models import DifficultyRow
from zonehero.features.roles import SYSTEM
from zonehero.features.users import repository as user_repository
from zonehero.features.users.service import actor_of

PROJECT_ROLES = ("projects", "unit")
"""The personas of the project roles: project_office and unit (columns of ``Row.office_unit``)."""


@dataclass(frozen=True)
class ProjectPlaces:
    own_project: str
    other_project: str
    own_difficulty: int
    closed_year: int
    closed_month: int

    def placeholders(self) -> dict[str, object]:
        return {
            "own_project": self.own_project,
            "other_project": self.other_project,
            "missing_project": "NO-SUCH-PROJECT",
            "own_difficulty": self.own_difficulty,
            "closed_year": self.closed_year,
            "closed_month": self.closed_month,
            "schedule_year": 2025,
        }


def project_places(session: Session) -> ProjectPlaces:
    """Look up the unit's own and another unit's project, a difficulty it owns, and the newest closed month."""
    user = user_repository.by_username(session, UNIT_ACCOUNT)
    assert user is not None and user.unit_name
    unit = actor_of(user)
    everything = service.load(session, SYSTEM, 2025).rows
    visible = set(service.load(session, unit, 2025).rows)
    own = sorted(code for code, row in everything.items() if row.unit == user.unit_name)
    other = sorted(set(everything) - visible)
    owned = session.scalars(
        select(DifficultyRow.id).where(DifficultyRow.owner_unit == user.unit_name).order_by(DifficultyRow.id)
    ).all()
    closed = months.list_closed(session, SYSTEM)[0]
    return ProjectPlaces(own[0], other[0], owned[0], closed.year, closed.month)
