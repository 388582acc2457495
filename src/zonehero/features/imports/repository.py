"""Queries of import batches."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

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


def waiting(session: Session) -> Sequence[tuple[int, int | None, datetime, int, int | None]]:
    """Previews waiting to be confirmed or discarded: (id, year, created_at, figure_count, conflict_total), oldest
    first; the conflict count is read from inside the stored report, so no report or conflict list is loaded."""
    conflicts = ImportBatch.report["conflict_total"].as_integer()
    stmt = (
        select(ImportBatch.id, ImportBatch.year, ImportBatch.created_at, ImportBatch.figure_count, conflicts)
        .where(ImportBatch.status == "preview")
        .order_by(ImportBatch.id)
    )
    return [(int(i), y, at, int(n or 0), c) for i, y, at, n, c in session.execute(stmt).all()]
