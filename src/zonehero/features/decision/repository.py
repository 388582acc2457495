"""Kept cultivation views: read one, keep one (dropping the year's views made at other versions)."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from zonehero.clock import utcnow
from zonehero.db.base import JSONValue
from zonehero.features.decision.models import CultivationView


def kept_view(session: Session, year: int, key: str) -> JSONValue | None:
    return session.scalar(select(CultivationView.value).where(CultivationView.year == year, CultivationView.key == key))


def keep_view(session: Session, year: int, key: str, value: JSONValue) -> None:
    """Keep a view; when another process kept the same one first, theirs stays."""
    try:
        with session.begin_nested():
            session.execute(delete(CultivationView).where(CultivationView.year == year, CultivationView.key != key))
            session.add(CultivationView(year=year, key=key, value=value, made_at=utcnow()))
    except IntegrityError:
        pass
