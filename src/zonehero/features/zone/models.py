"""The ``zone_profile`` table: one row, the profile as TOML text (every key optional, like a ``--zone`` file)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from zonehero.clock import utcnow
from zonehero.db.base import Base, UTCDateTime


class ZoneProfileRow(Base):
    __tablename__ = "zone_profile"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(64))
