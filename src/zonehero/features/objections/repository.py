"""Queries of objections."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from zonehero.features.objections.models import Objection, ObjectionFile


def add(session: Session, obj: Objection | ObjectionFile) -> None:
    session.add(obj)
    session.flush()


def get(session: Session, objection_id: int, *, for_update: bool = False) -> Objection | None:
    stmt = select(Objection).where(Objection.id == objection_id).options(selectinload(Objection.files))
    if for_update:
        stmt = stmt.with_for_update()
    return session.scalar(stmt)


def find(
    session: Session,
    *,
    run_id: int | None,
    status: str | None,
    uscc: str | None,
    land_notice_id: int | None = None,
) -> Sequence[Objection]:
    stmt = select(Objection).options(selectinload(Objection.files))
    if run_id is not None:
        stmt = stmt.where(Objection.run_id == run_id)
    if land_notice_id is not None:
        stmt = stmt.where(Objection.land_notice_id == land_notice_id)
    if status is not None:
        stmt = stmt.where(Objection.status == status)
    if uscc is not None:
        stmt = stmt.where(Objection.uscc == uscc)
    return session.scalars(stmt.order_by(Objection.id.desc())).all()


def open_count(session: Session, run_id: int, uscc: str | None = None) -> int:
    stmt = select(func.count(Objection.id)).where(Objection.run_id == run_id, Objection.status == "open")
    if uscc is not None:
        stmt = stmt.where(Objection.uscc == uscc)
    return int(session.scalar(stmt) or 0)


def open_count_of_notice(session: Session, land_notice_id: int, uscc: str | None = None) -> int:
    stmt = select(func.count(Objection.id)).where(
        Objection.land_notice_id == land_notice_id, Objection.status == "open"
    )
    if uscc is not None:
        stmt = stmt.where(Objection.uscc == uscc)
    return int(session.scalar(stmt) or 0)


def counts_of_notice(session: Session, land_notice_id: int) -> dict[str, int]:
    """status → count of a land notice's objections."""
    stmt = (
        select(Objection.status, func.count(Objection.id))
        .where(Objection.land_notice_id == land_notice_id)
        .group_by(Objection.status)
    )
    return {str(s): int(n) for s, n in session.execute(stmt).all()}


def evidence(session: Session, file_id: int) -> tuple[ObjectionFile, Objection] | None:
    row = session.execute(
        select(ObjectionFile, Objection)
        .join(Objection, Objection.id == ObjectionFile.objection_id)
        .where(ObjectionFile.id == file_id)
    ).first()
    return (row[0], row[1]) if row else None


Brief = tuple[int, int | None, str, str, datetime, int | None, int | None]
"""(id, run_id, uscc, status, filed_at, new_run_id, land_notice_id) of an objection."""


def briefs(session: Session, *, open_: bool, uscc: str | None = None) -> list[Brief]:
    """(id, run_id, uscc, status, filed_at, new_run_id, land_notice_id) of the open (or the answered) objections,
    oldest first: columns only, no text and no evidence, for the to-do list shown on every page."""
    stmt = select(
        Objection.id,
        Objection.run_id,
        Objection.uscc,
        Objection.status,
        Objection.filed_at,
        Objection.new_run_id,
        Objection.land_notice_id,
    )
    stmt = stmt.where(Objection.status == "open") if open_ else stmt.where(Objection.status != "open")
    if uscc is not None:
        stmt = stmt.where(Objection.uscc == uscc)
    rows = session.execute(stmt.order_by(Objection.id)).all()
    return [(int(i), r, u, s, at, n, ln) for i, r, u, s, at, n, ln in rows]
