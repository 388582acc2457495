"""The cultivation page's figures kept for the data versions they were made from (梯度培育视图)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from zonehero.clock import utcnow
from zonehero.db.base import Base, JSONValue, UTCDateTime


class CultivationView(Base):
    """What the 梯度培育 page shows of a year, under a key naming the two years' data versions it was made at."""

    __tablename__ = "cultivation_views"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    value: Mapped[JSONValue] = mapped_column(JSON)
    made_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
