"""Queries of the project tables. Relationships are ``lazy="raise"``: the plans are loaded explicitly."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, selectinload

from zonehero.db.base import Base
from zonehero.features.projects.models import (
    DifficultyRow,
    MonthlySnapshotRow,
    PhotoRow,
    ProgressRow,
    ProjectRow,
    YearPlanRow,
)


def add(session: Session, row: Base) -> None:
    """Add a new row and flush, so it has its id."""
    session.add(row)
    session.flush()


def projects(session: Session, ids: Collection[int] | None = None) -> Sequence[ProjectRow]:
    """Projects by code, with their yearly plans; only ``ids`` when given."""
    stmt = select(ProjectRow).options(selectinload(ProjectRow.plans)).order_by(ProjectRow.code)
    if ids is not None:
        stmt = stmt.where(ProjectRow.id.in_(list(ids)))
    return session.scalars(stmt).all()


def codes_starting(session: Session, prefix: str) -> list[str]:
    """Every project code that begins with ``prefix`` (for numbering the next one)."""
    return list(session.scalars(select(ProjectRow.code).where(ProjectRow.code.startswith(prefix, autoescape=True))))


def project_by_code(session: Session, code: str) -> ProjectRow | None:
    """One project with its plans."""
    stmt = select(ProjectRow).options(selectinload(ProjectRow.plans)).where(ProjectRow.code == code)
    return session.scalar(stmt)


def project_ids_of_unit(session: Session, unit: str) -> set[int]:
    """Projects a unit is responsible for, or owns a difficulty of (what a unit account may see)."""
    own = session.scalars(select(ProjectRow.id).where(ProjectRow.unit == unit)).all()
    owning = session.scalars(select(DifficultyRow.project_id).where(DifficultyRow.owner_unit == unit)).all()
    return set(own) | set(owning)


def year_plan(session: Session, project_id: int, year: int) -> YearPlanRow | None:
    return session.scalar(select(YearPlanRow).where(YearPlanRow.project_id == project_id, YearPlanRow.year == year))


def progress(
    session: Session, project_ids: Collection[int] | None = None, year: int | None = None
) -> Sequence[ProgressRow]:
    """Monthly progress rows in month order; only of ``project_ids`` / ``year`` when given."""
    stmt = select(ProgressRow).order_by(ProgressRow.year, ProgressRow.month, ProgressRow.project_id)
    if project_ids is not None:
        stmt = stmt.where(ProgressRow.project_id.in_(list(project_ids)))
    if year is not None:
        stmt = stmt.where(ProgressRow.year == year)
    return session.scalars(stmt).all()


def progress_of_month(session: Session, project_id: int, year: int, month: int) -> ProgressRow | None:
    stmt = select(ProgressRow).where(
        ProgressRow.project_id == project_id, ProgressRow.year == year, ProgressRow.month == month
    )
    return session.scalar(stmt)


def photos(session: Session, progress_ids: Collection[int]) -> Sequence[PhotoRow]:
    """Photos of the given progress rows, oldest first."""
    if not progress_ids:
        return []
    stmt = select(PhotoRow).where(PhotoRow.progress_id.in_(list(progress_ids))).order_by(PhotoRow.id)
    return session.scalars(stmt).all()


def photo(session: Session, photo_id: int) -> PhotoRow | None:
    return session.get(PhotoRow, photo_id)


def progress_by_id(session: Session, progress_id: int) -> ProgressRow | None:
    return session.get(ProgressRow, progress_id)


def difficulties(session: Session, project_ids: Collection[int] | None = None) -> Sequence[DifficultyRow]:
    """Difficulties by raising date; only of ``project_ids`` when given."""
    stmt = select(DifficultyRow).order_by(DifficultyRow.raised_on, DifficultyRow.id)
    if project_ids is not None:
        stmt = stmt.where(DifficultyRow.project_id.in_(list(project_ids)))
    return session.scalars(stmt).all()


def difficulty(session: Session, difficulty_id: int) -> DifficultyRow | None:
    return session.get(DifficultyRow, difficulty_id)


def snapshots(session: Session) -> Sequence[MonthlySnapshotRow]:
    """Closed months, newest first."""
    return session.scalars(
        select(MonthlySnapshotRow).order_by(MonthlySnapshotRow.year.desc(), MonthlySnapshotRow.month.desc())
    ).all()


def snapshot(session: Session, year: int, month: int) -> MonthlySnapshotRow | None:
    stmt = select(MonthlySnapshotRow).where(MonthlySnapshotRow.year == year, MonthlySnapshotRow.month == month)
    return session.scalar(stmt)


def project_count(session: Session) -> int:
    """How many projects the library holds."""
    return int(session.scalar(select(func.count(ProjectRow.id))) or 0)


def overdue_candidates(session: Session, as_of: date, owner_unit: str | None = None) -> Sequence[DifficultyRow]:
    """Difficulties past their deadline on ``as_of`` and not resolved by then as far as the columns tell; the
    core's :func:`~zonehero.core.schedule.difficulties.days_overdue` has the last word on each."""
    stmt = select(DifficultyRow).where(
        DifficultyRow.deadline < as_of,
        or_(
            DifficultyRow.status != "resolved",
            and_(DifficultyRow.resolved_on.is_not(None), DifficultyRow.resolved_on > as_of),
        ),
    )
    if owner_unit is not None:
        stmt = stmt.where(DifficultyRow.owner_unit == owner_unit)
    return session.scalars(stmt.order_by(DifficultyRow.deadline, DifficultyRow.id)).all()


def progress_of_month_among(session: Session, project_ids: Collection[int], year: int, month: int) -> set[int]:
    """Which of ``project_ids`` have a progress report for ``month`` of ``year``."""
    if not project_ids:
        return set()
    stmt = select(ProgressRow.project_id).where(
        ProgressRow.project_id.in_(list(project_ids)), ProgressRow.year == year, ProgressRow.month == month
    )
    return set(session.scalars(stmt).all())
