"""Queries of the 低效用地 register and the D-class plans (only ``zonehero.features.lowland`` imports this)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Row, or_, select
from sqlalchemy.orm import Session, selectinload

from zonehero.features.lowland.models import LowlandCase, LowlandMeasure, LowlandPlan


def cases(session: Session, year: int, *, unit: str | None = None) -> Sequence[LowlandCase]:
    """A year's cases with their measures, most potential first; a unit's: those with a measure of that unit."""
    stmt = select(LowlandCase).where(LowlandCase.year == year).options(selectinload(LowlandCase.measures))
    if unit is not None:
        stmt = stmt.where(LowlandCase.id.in_(select(LowlandMeasure.case_id).where(LowlandMeasure.owner_unit == unit)))
    return session.scalars(stmt.order_by(LowlandCase.potential.desc(), LowlandCase.uscc)).all()


def case_keys(session: Session, year: int, *, unit: str | None = None) -> Sequence[Row[Any]]:
    """The narrow columns of a year's cases (id, run_id, uscc, reasons, land_mu, potential): what the register's
    counts, filters and order need; a unit's: those with a measure of that unit."""
    stmt = select(
        LowlandCase.id,
        LowlandCase.run_id,
        LowlandCase.uscc,
        LowlandCase.reasons,
        LowlandCase.land_mu,
        LowlandCase.potential,
    ).where(LowlandCase.year == year)
    if unit is not None:
        stmt = stmt.where(LowlandCase.id.in_(select(LowlandMeasure.case_id).where(LowlandMeasure.owner_unit == unit)))
    return session.execute(stmt).all()


def measures_of_year(session: Session, year: int) -> Sequence[LowlandMeasure]:
    """Every measure of a year's cases."""
    stmt = select(LowlandMeasure).join(LowlandCase, LowlandCase.id == LowlandMeasure.case_id)
    return session.scalars(stmt.where(LowlandCase.year == year)).all()


def cases_by_id(session: Session, ids: Collection[int]) -> dict[int, LowlandCase]:
    """Cases with their measures, by id."""
    if not ids:
        return {}
    stmt = select(LowlandCase).where(LowlandCase.id.in_(list(ids))).options(selectinload(LowlandCase.measures))
    return {c.id: c for c in session.scalars(stmt)}


def case(session: Session, case_id: int) -> LowlandCase | None:
    stmt = select(LowlandCase).where(LowlandCase.id == case_id).options(selectinload(LowlandCase.measures))
    return session.scalars(stmt).first()


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


def open_plans_of(session: Session, uscc: str) -> Sequence[LowlandPlan]:
    """An enterprise's plans not done, of every year, by deadline."""
    stmt = select(LowlandPlan).where(LowlandPlan.uscc == uscc, LowlandPlan.status != "done")
    return session.scalars(stmt.order_by(LowlandPlan.deadline)).all()


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
