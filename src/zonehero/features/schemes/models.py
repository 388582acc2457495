"""Schemes and their versions: the full TOML text is kept, never edited in place."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from zonehero.clock import utcnow
from zonehero.db.base import Base, UTCDateTime


class Scheme(Base):
    """A named evaluation scheme (评价方案); its content lives in its versions."""

    __tablename__ = "schemes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    versions: Mapped[list[SchemeVersion]] = relationship(
        back_populates="scheme", lazy="raise", order_by="SchemeVersion.version"
    )


class SchemeVersion(Base):
    """One saved text of a scheme (版本). Runs point at a version, and copy its text too."""

    __tablename__ = "scheme_versions"
    __table_args__ = (UniqueConstraint("scheme_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scheme_id: Mapped[int] = mapped_column(ForeignKey("schemes.id"))
    version: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    digest: Mapped[str] = mapped_column(String(64))
    """sha256 of the UTF-8 text."""
    note: Mapped[str | None] = mapped_column(String(500))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    scheme: Mapped[Scheme] = relationship(back_populates="versions", lazy="raise")
