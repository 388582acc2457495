"""Queries of the 招商 lead tables (no relationships: moves and contacts are read by lead ids)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from zonehero.db.base import Base
from zonehero.features.investment.models import (
    LeadActivityFileRow,
    LeadActivityRow,
    LeadMoveRow,
    LeadPaymentRow,
    LeadRow,
)


def add(session: Session, row: Base) -> None:
    session.add(row)
    session.flush()


def lead(session: Session, lead_id: int, *, for_update: bool = False) -> LeadRow | None:
    stmt = select(LeadRow).where(LeadRow.id == lead_id)
    if for_update:
        stmt = stmt.with_for_update()
    return session.scalar(stmt)


def leads(session: Session, *, reporter_id: int | None = None) -> Sequence[LeadRow]:
    """Every lead (or one reporter's), oldest first."""
    stmt = select(LeadRow).order_by(LeadRow.id)
    if reporter_id is not None:
        stmt = stmt.where(LeadRow.reporter_id == reporter_id)
    return session.scalars(stmt).all()


def same_investor(session: Session, key: str, uscc: str | None) -> Sequence[LeadRow]:
    """Leads whose folded name is ``key`` or whose credit code is ``uscc``: the candidates for duplicates."""
    cond = LeadRow.investor_key == key
    if uscc:
        cond = or_(cond, LeadRow.investor_uscc == uscc)
    return session.scalars(select(LeadRow).where(cond).order_by(LeadRow.id)).all()


def of_project(session: Session, code: str) -> Sequence[LeadRow]:
    return session.scalars(select(LeadRow).where(LeadRow.project_code == code).order_by(LeadRow.id)).all()


def moves(session: Session, lead_ids: Collection[int]) -> Sequence[LeadMoveRow]:
    stmt = select(LeadMoveRow).where(LeadMoveRow.lead_id.in_(list(lead_ids))).order_by(LeadMoveRow.id)
    return session.scalars(stmt).all()


def activities(session: Session, lead_ids: Collection[int]) -> Sequence[LeadActivityRow]:
    stmt = (
        select(LeadActivityRow)
        .where(LeadActivityRow.lead_id.in_(list(lead_ids)))
        .order_by(LeadActivityRow.happened_on, LeadActivityRow.id)
    )
    return session.scalars(stmt).all()


def payments(session: Session, lead_ids: Collection[int]) -> Sequence[LeadPaymentRow]:
    stmt = (
        select(LeadPaymentRow)
        .where(LeadPaymentRow.lead_id.in_(list(lead_ids)))
        .order_by(LeadPaymentRow.paid_on, LeadPaymentRow.id)
    )
    return session.scalars(stmt).all()


def paid_in(session: Session, up_to: date) -> dict[int, float]:
    """万元 paid in per lead up to ``up_to`` (inclusive), every lead in one query."""
    stmt = (
        select(LeadPaymentRow.lead_id, func.sum(LeadPaymentRow.amount))
        .where(LeadPaymentRow.paid_on <= up_to)
        .group_by(LeadPaymentRow.lead_id)
    )
    return {lead_id: float(total) for lead_id, total in session.execute(stmt).all()}


def activity_files(session: Session, activity_ids: Collection[int]) -> Sequence[LeadActivityFileRow]:
    stmt = (
        select(LeadActivityFileRow)
        .where(LeadActivityFileRow.activity_id.in_(list(activity_ids)))
        .order_by(LeadActivityFileRow.id)
    )
    return session.scalars(stmt).all()


def activity_file(session: Session, file_id: int) -> tuple[LeadActivityFileRow, LeadActivityRow] | None:
    """A file with its activity (whose lead decides who may download it)."""
    row = session.execute(
        select(LeadActivityFileRow, LeadActivityRow)
        .join(LeadActivityRow, LeadActivityRow.id == LeadActivityFileRow.activity_id)
        .where(LeadActivityFileRow.id == file_id)
    ).first()
    return (row[0], row[1]) if row else None


def page(
    session: Session,
    *,
    reporter_id: int | None,
    stages: Collection[str] | None,
    chain: str | None,
    key_contains: str | None,
    before_id: int | None,
    limit: int,
) -> Sequence[LeadRow]:
    """Newest first, at most ``limit`` leads with an id below ``before_id`` (keyset paging)."""
    stmt = select(LeadRow).order_by(LeadRow.id.desc()).limit(limit)
    if reporter_id is not None:
        stmt = stmt.where(LeadRow.reporter_id == reporter_id)
    if stages:
        stmt = stmt.where(LeadRow.stage.in_(list(stages)))
    if chain:
        stmt = stmt.where(LeadRow.chain == chain)
    if key_contains:
        stmt = stmt.where(LeadRow.investor_key.contains(key_contains, autoescape=True))
    if before_id is not None:
        stmt = stmt.where(LeadRow.id < before_id)
    return session.scalars(stmt).all()
