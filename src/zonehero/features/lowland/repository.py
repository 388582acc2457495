"""Queries of the 低效用地 register and the D-class plans (only ``zonehero.features.lowland`` imports this)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from zonehero.features.lowland.models import LowlandCase, LowlandMeasure, LowlandPlan


def cases(session: Session, year: int, *, unit: str | None = None) -> Sequence[LowlandCase]:
    """A year's cases with their measures, most potential first; a unit's: those with a measure of that unit."""
    stmt = select(LowlandCase).where(LowlandCase.year == year).options(selectinload(LowlandCase.measures))
    if unit is not None:
        stmt = stmt.where(LowlandCase.id.in_(select(LowlandMeasure.case_id).where(LowlandMeasure.owner_unit == unit)))
    return session.scalars(stmt.order_by(LowlandCase.potential.desc(), LowlandCase.uscc)).all()


def case(session: Session, case_id: int) -> LowlandCase | None:
    stmt = select(LowlandCase).where(LowlandCase.id == case_id).options(selectinload(LowlandCase.measures))
    return session.scalars(stmt).first()


def cases_by_uscc(session: Session, year: int, usccs: Collection[str]) -> dict[str, LowlandCase]:
    stmt = select(LowlandCase).where(LowlandCase.year == year, LowlandCase.uscc.in_(list(usccs)))
    return {c.uscc: c for c in session.scalars(stmt.options(selectinload(LowlandCase.measures)))}


def measure(session: Session, measure_id: int) -> LowlandMeasure | None:
    return session.get(LowlandMeasure, measure_id)


def plans(session: Session, year: int, *, unit: str | None = None, uscc: str | None = None) -> Sequence[LowlandPlan]:
    """A year's plans by deadline; a unit's own, or one enterprise's."""
    stmt = select(LowlandPlan).where(LowlandPlan.year == year)
    if unit is not None:
        stmt = stmt.where(LowlandPlan.owner_unit == unit)
    if uscc is not None:
        stmt = stmt.where(LowlandPlan.uscc == uscc)
    return session.scalars(stmt.order_by(LowlandPlan.deadline, LowlandPlan.uscc)).all()


def plan(session: Session, plan_id: int) -> LowlandPlan | None:
    return session.get(LowlandPlan, plan_id)


def plan_usccs(session: Session, year: int) -> set[str]:
    return set(session.scalars(select(LowlandPlan.uscc).where(LowlandPlan.year == year)))


def years(session: Session) -> list[int]:
    """Years with a register or plans, newest first."""
    found = set(session.scalars(select(LowlandCase.year).distinct())) | set(
        session.scalars(select(LowlandPlan.year).distinct())
    )
    return sorted(found, reverse=True)


def overdue_measures(session: Session, as_of: date, unit: str | None = None) -> Sequence[LowlandMeasure]:
    """Measures not done whose deadline is before ``as_of`` (candidates: the core's rule decides), with the case."""
    stmt = (
        select(LowlandMeasure)
        .where(LowlandMeasure.deadline < as_of, or_(LowlandMeasure.status != "done", LowlandMeasure.done_on > as_of))
        .options(selectinload(LowlandMeasure.case))
    )
    if unit is not None:
        stmt = stmt.where(LowlandMeasure.owner_unit == unit)
    return session.scalars(stmt).all()


def overdue_plans(session: Session, as_of: date, unit: str | None = None) -> Sequence[LowlandPlan]:
    """Plans not done whose deadline is before ``as_of`` (candidates)."""
    stmt = select(LowlandPlan).where(
        LowlandPlan.deadline < as_of, or_(LowlandPlan.status != "done", LowlandPlan.done_on > as_of)
    )
    if unit is not None:
        stmt = stmt.where(LowlandPlan.owner_unit == unit)
    return session.scalars(stmt).all()


def case_count(session: Session, year: int) -> int:
    return int(session.scalar(select(func.count()).select_from(LowlandCase).where(LowlandCase.year == year)) or 0)
