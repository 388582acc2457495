"""Queries of objections."""

from __future__ import annotations

from collections.abc import Sequence

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


def find(session: Session, *, run_id: int | None, status: str | None, uscc: str | None) -> Sequence[Objection]:
    stmt = select(Objection).options(selectinload(Objection.files))
    if run_id is not None:
        stmt = stmt.where(Objection.run_id == run_id)
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


def evidence(session: Session, file_id: int) -> tuple[ObjectionFile, Objection] | None:
    row = session.execute(
        select(ObjectionFile, Objection)
        .join(Objection, Objection.id == ObjectionFile.objection_id)
        .where(ObjectionFile.id == file_id)
    ).first()
    return (row[0], row[1]) if row else None
