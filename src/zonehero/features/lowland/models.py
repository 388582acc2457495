"""Tables of the 低效用地 register and the D-class plans (built by migration 0019).

A case keeps the figures of the run it was built from (land 亩, tax 万元, 亩均税收 and the zone benchmark 万元/亩,
the potential 万元), so the register reads the same after the store changes. Every table is changed only through
``zonehero.features.lowland.service``, which audits each change.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from zonehero.clock import utcnow
from zonehero.db.base import JSON_TYPE, Base, JSONValue, UTCDateTime

MEASURE_KINDS = ("upgrade", "merger", "takeback", "redevelop")
"""提升改造 · 兼并重组 · 腾退收储 · 二次开发."""
WORK_STATUSES = ("open", "in_progress", "done")
"""待办 · 办理中 · 已完成 (measures and plans)."""


class LowlandCase(Base):
    """One case of a year's register: an enterprise (and its parcels when known), why, its figures, its potential."""

    __tablename__ = "lowland_cases"
    __table_args__ = (UniqueConstraint("year", "uscc"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("evaluation_runs.id"))
    uscc: Mapped[str] = mapped_column(String(18))
    name: Mapped[str | None] = mapped_column(String(200))
    group: Mapped[str | None] = mapped_column("group", String(16))
    class_: Mapped[str | None] = mapped_column("class", String(1))
    reasons: Mapped[JSONValue] = mapped_column(JSON_TYPE)
    """Reason codes (``zonehero.core.land.inefficient.Reason``)."""
    parcels: Mapped[JSONValue] = mapped_column(JSON_TYPE)
    """宗地编号 of the parcels a parcel rule marked (empty when none is known)."""
    land_mu: Mapped[float] = mapped_column(Float)
    tax: Mapped[float] = mapped_column(Float)
    tax_per_mu: Mapped[float | None] = mapped_column(Float)
    benchmark: Mapped[float | None] = mapped_column(Float)
    potential: Mapped[float] = mapped_column(Float, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(64))

    measures: Mapped[list[LowlandMeasure]] = relationship(
        back_populates="case", lazy="raise", cascade="all, delete-orphan", passive_deletes=True
    )


class LowlandMeasure(Base):
    """A measure of a case (提升改造、兼并重组、腾退收储、二次开发) with its responsible unit, deadline and status."""

    __tablename__ = "lowland_measures"
    __table_args__ = (
        CheckConstraint("kind IN ('upgrade', 'merger', 'takeback', 'redevelop')", name="kind_known"),
        CheckConstraint("status IN ('open', 'in_progress', 'done')", name="status_known"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("lowland_cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    description: Mapped[str] = mapped_column(Text)
    owner_unit: Mapped[str] = mapped_column(String(64), index=True)
    raised_on: Mapped[date] = mapped_column(Date)
    deadline: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="open")
    resolution: Mapped[str | None] = mapped_column(Text)
    done_on: Mapped[date | None] = mapped_column(Date)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped[LowlandCase] = relationship(back_populates="measures", lazy="raise")


class LowlandPlan(Base):
    """一企一方案: the plan of a D-class enterprise of a year (problem, measures, unit, deadline, status)."""

    __tablename__ = "lowland_plans"
    __table_args__ = (
        UniqueConstraint("year", "uscc"),
        CheckConstraint("status IN ('open', 'in_progress', 'done')", name="status_known"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("evaluation_runs.id"))
    uscc: Mapped[str] = mapped_column(String(18), index=True)
    name: Mapped[str | None] = mapped_column(String(200))
    class_: Mapped[str | None] = mapped_column("class", String(1))
    tax_per_mu: Mapped[float | None] = mapped_column(Float)
    """亩均税收 of the plan's year (the next year's figure is compared with it)."""
    problem: Mapped[str] = mapped_column(Text)
    measures: Mapped[str] = mapped_column(Text)
    owner_unit: Mapped[str] = mapped_column(String(64), index=True)
    raised_on: Mapped[date] = mapped_column(Date)
    deadline: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="open")
    resolution: Mapped[str | None] = mapped_column(Text)
    done_on: Mapped[date | None] = mapped_column(Date)
    created_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
