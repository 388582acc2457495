"""Queries of the zone profile row."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from zonehero.features.zone.models import ZoneProfileRow

PROFILE_ID = 1


def get(session: Session, *, for_update: bool = False) -> ZoneProfileRow | None:
    stmt = select(ZoneProfileRow).where(ZoneProfileRow.id == PROFILE_ID)
    if for_update:
        stmt = stmt.with_for_update()
    return session.scalar(stmt)


def put(session: Session, text: str, updated_by: str) -> ZoneProfileRow:
    row = get(session, for_update=True)
    if row is None:
        row = ZoneProfileRow(id=PROFILE_ID, text=text, updated_by=updated_by)
        session.add(row)
    else:
        row.text = text
        row.updated_by = updated_by
    session.flush()
    return row
