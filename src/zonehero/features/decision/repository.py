"""Kept cultivation views: read one, keep one (dropping the year's views made at other versions)."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from zonehero.clock import utcnow
from zonehero.db.base import JSONValue
from zonehero.db.session import keep_first
from zonehero.features.decision.models import CultivationView


def kept_view(session: Session, year: int, key: str) -> JSONValue | None:
    return session.scalar(select(CultivationView.value).where(CultivationView.year == year, CultivationView.key == key))


def keep_view(session: Session, year: int, key: str, value: JSONValue) -> None:
    """Keep a view; when another process kept the same one first, theirs stays."""
    others = delete(CultivationView).where(CultivationView.year == year, CultivationView.key != key)
    keep_first(session, CultivationView(year=year, key=key, value=value, made_at=utcnow()), others)
