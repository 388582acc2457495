"""Tables of the 四个一批 scheduling store (built by migration 0002).

Milestone dates live on the project row (planned and actual per milestone);
the stage is never stored, it is derived from the actual dates by the core.
Money is 万元, land 亩. Every table is changed only through
``zonehero.features.projects`` services, which audit each change.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from zonehero.clock import utcnow
from zonehero.db.base import JSON_TYPE, Base, JSONValue, UTCDateTime


class ProjectRow(Base):
    """A project of the library (项目库) with its three milestones' planned and actual dates."""

    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    investor: Mapped[str | None] = mapped_column(String(200))
    investor_uscc: Mapped[str | None] = mapped_column(String(18))
    industry_chain: Mapped[str | None] = mapped_column(String(64), index=True)
    industry_link: Mapped[str | None] = mapped_column(String(64))
    """The chain's link (环节) the project sits on, by name (migration 0021; see features/chains)."""
    total_investment: Mapped[float | None] = mapped_column(Float)
    land_mu: Mapped[float | None] = mapped_column(Float)
    leader: Mapped[str | None] = mapped_column(String(64))
    unit: Mapped[str | None] = mapped_column(String(64), index=True)
    contact: Mapped[str | None] = mapped_column(String(64))
    added_date: Mapped[date | None] = mapped_column(Date)
    planned_sign_date: Mapped[date | None] = mapped_column(Date)
    actual_sign_date: Mapped[date | None] = mapped_column(Date)
    planned_start_date: Mapped[date | None] = mapped_column(Date)
    actual_start_date: Mapped[date | None] = mapped_column(Date)
    planned_production_date: Mapped[date | None] = mapped_column(Date)
    actual_production_date: Mapped[date | None] = mapped_column(Date)
    counted_in_statistics: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    plans: Mapped[list[YearPlanRow]] = relationship(
        back_populates="project", lazy="raise", cascade="all, delete-orphan", order_by="YearPlanRow.year"
    )


class YearPlanRow(Base):
    """年度计划投资 of one project for one year (万元)."""

    __tablename__ = "project_year_plans"
    __table_args__ = (
        UniqueConstraint("project_id", "year"),
        CheckConstraint("plan_investment >= 0", name="plan_nonnegative"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    plan_investment: Mapped[float] = mapped_column(Float)

    project: Mapped[ProjectRow] = relationship(back_populates="plans", lazy="raise")


class ProgressRow(Base):
    """月度进展 of one project for one month: investment completed, percent done, 形象进度 text."""

    __tablename__ = "project_progress"
    __table_args__ = (
        UniqueConstraint("project_id", "year", "month"),
        CheckConstraint("month BETWEEN 1 AND 12", name="month_valid"),
        CheckConstraint("investment_month >= 0", name="investment_nonnegative"),
        CheckConstraint("percent_done IS NULL OR (percent_done >= 0 AND percent_done <= 100)", name="percent_range"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    month: Mapped[int] = mapped_column(Integer)
    investment_month: Mapped[float] = mapped_column(Float, default=0.0)
    percent_done: Mapped[float | None] = mapped_column(Float)
    progress_text: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(64))


class PhotoRow(Base):
    """A site photo (现场照片) of a month's progress, kept as a file under the data folder."""

    __tablename__ = "project_photos"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    progress_id: Mapped[int] = mapped_column(ForeignKey("project_progress.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    stored: Mapped[str] = mapped_column(String(400))
    """Path relative to the data folder."""
    media_type: Mapped[str] = mapped_column(String(32))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    uploaded_by: Mapped[str] = mapped_column(String(64))


class DifficultyRow(Base):
    """A difficulty of a project (问题清单) assigned to an owner unit with a deadline."""

    __tablename__ = "project_difficulties"
    __table_args__ = (
        CheckConstraint(
            "category IN ('land', 'energy', 'funding', 'approvals', 'labour', 'other')", name="category_known"
        ),
        CheckConstraint("status IN ('open', 'in_progress', 'resolved')", name="status_known"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    description: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(16))
    raised_on: Mapped[date] = mapped_column(Date)
    owner_unit: Mapped[str] = mapped_column(String(64), index=True)
    deadline: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="open")
    resolution: Mapped[str | None] = mapped_column(Text)
    resolved_on: Mapped[date | None] = mapped_column(Date)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MonthlySnapshotRow(Base):
    """A closed month (月度调度已关账): the report and the records it was computed from, frozen as JSON."""

    __tablename__ = "schedule_snapshots"
    __table_args__ = (
        UniqueConstraint("year", "month"),
        CheckConstraint("month BETWEEN 1 AND 12", name="month_valid"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    month: Mapped[int] = mapped_column(Integer)
    closed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_by: Mapped[str] = mapped_column(String(64))
    report: Mapped[JSONValue] = mapped_column(JSON_TYPE)
    """``MonthlyReport.to_dict()`` as computed when the month was closed."""
    inputs: Mapped[JSONValue] = mapped_column(JSON_TYPE)
    """The projects, progress and difficulties the report was built from (for the exports)."""
