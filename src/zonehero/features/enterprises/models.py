"""Enterprises, their name history and their yearly figures (long table: one row per enterprise, year, field).

The long shape makes "every figure of year Y" one indexed query that pivots
into the engine's canonical frame, keeps the lineage of each figure beside
it, and lets a department's file replace only the fields it provides.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Double, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from zonehero.clock import utcnow
from zonehero.db.base import Base, UTCDateTime


class Enterprise(Base):
    """An enterprise (企业), keyed by its unified social credit code (统一社会信用代码)."""

    __tablename__ = "enterprises"

    uscc: Mapped[str] = mapped_column(String(18), primary_key=True)
    name: Mapped[str | None] = mapped_column(String(200), index=True)
    """Latest known name."""
    industry_code: Mapped[str | None] = mapped_column(String(8), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    names: Mapped[list[EnterpriseName]] = relationship(
        back_populates="enterprise", lazy="raise", order_by="EnterpriseName.first_seen_year"
    )


class EnterpriseName(Base):
    """A name the enterprise went by (企业曾用名), from the year and batch where it first appeared."""

    __tablename__ = "enterprise_names"
    __table_args__ = (UniqueConstraint("uscc", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uscc: Mapped[str] = mapped_column(ForeignKey("enterprises.uscc", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    first_seen_year: Mapped[int] = mapped_column(Integer)
    first_seen_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))

    enterprise: Mapped[Enterprise] = relationship(back_populates="names", lazy="raise")


class Figure(Base):
    """One figure of one enterprise for one year, with where it came from (数据来源).

    ``value_num`` holds numbers, years and booleans (1.0/0.0) as float64, so
    the engine sees bit-for-bit the value the importer produced; ``value_text``
    holds text fields (name, industry code, 专精特新 level). A figure corrected
    through an objection names it in ``objection_id`` and keeps the department
    note ``异议 #id``.
    """

    __tablename__ = "figures"
    __table_args__ = (
        UniqueConstraint("year", "uscc", "field"),
        Index("ix_figures_uscc_year", "uscc", "year"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uscc: Mapped[str] = mapped_column(ForeignKey("enterprises.uscc", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    field: Mapped[str] = mapped_column(String(64))
    value_num: Mapped[float | None] = mapped_column(Double)
    value_text: Mapped[str | None] = mapped_column(Text)
    department: Mapped[str | None] = mapped_column(String(64))
    file: Mapped[str | None] = mapped_column(String(255))
    sheet: Mapped[str | None] = mapped_column(String(255))
    row: Mapped[int | None] = mapped_column(Integer)
    column: Mapped[str | None] = mapped_column(String(255))
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"), index=True)
    objection_id: Mapped[int | None] = mapped_column(ForeignKey("objections.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class FigureVersion(Base):
    """How many times the figures of a year have been written (数据版本): every import and correction adds one.

    A frame made from the figures is kept under the version it was made at (:class:`YearFrame`), so a kept frame
    is never read after the figures changed.
    """

    __tablename__ = "figure_versions"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(Integer, default=0)


class YearFrame(Base):
    """A year's figures as the engine's frame (Arrow IPC), kept for the data version it was made at."""

    __tablename__ = "year_frames"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    frame: Mapped[bytes] = mapped_column(LargeBinary)
    made_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
