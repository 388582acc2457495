"""Queries of import batches."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from zonehero.features.imports.models import ImportBatch


def add(session: Session, batch: ImportBatch) -> ImportBatch:
    session.add(batch)
    session.flush()
    return batch


def get(session: Session, batch_id: int, *, for_update: bool = False) -> ImportBatch | None:
    stmt = select(ImportBatch).where(ImportBatch.id == batch_id)
    if for_update:
        stmt = stmt.with_for_update()
    return session.scalar(stmt)


def recent(session: Session, limit: int) -> Sequence[ImportBatch]:
    return session.scalars(select(ImportBatch).order_by(ImportBatch.id.desc()).limit(limit)).all()
