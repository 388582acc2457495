"""Queries of goals and their actuals (eager loads written out: relationships raise when lazy)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from zonehero.features.goals.models import GoalActual, ZoneGoal


def goals_of_year(session: Session, year: int) -> Sequence[ZoneGoal]:
    """The year's goals with their actuals, in the order they were set."""
    stmt = select(ZoneGoal).where(ZoneGoal.year == year).options(selectinload(ZoneGoal.actuals)).order_by(ZoneGoal.id)
    return session.scalars(stmt).all()


def goal_years(session: Session) -> list[int]:
    """Years that have goals, newest first."""
    return list(session.scalars(select(ZoneGoal.year).distinct().order_by(ZoneGoal.year.desc())).all())


def get(session: Session, goal_id: int, *, for_update: bool = False) -> ZoneGoal | None:
    stmt = select(ZoneGoal).where(ZoneGoal.id == goal_id).options(selectinload(ZoneGoal.actuals))
    if for_update:
        stmt = stmt.with_for_update()
    return session.scalar(stmt)


def by_key(session: Session, year: int, key: str) -> ZoneGoal | None:
    return session.scalar(select(ZoneGoal).where(ZoneGoal.year == year, ZoneGoal.key == key))


def actual(session: Session, goal_id: int, month: int) -> GoalActual | None:
    return session.scalar(select(GoalActual).where(GoalActual.goal_id == goal_id, GoalActual.month == month))


def add(session: Session, obj: ZoneGoal | GoalActual) -> None:
    session.add(obj)
    session.flush()


def delete(session: Session, obj: ZoneGoal | GoalActual) -> None:
    session.delete(obj)
    session.flush()
