"""Tables of the zone's goals (目标) and the actual figures reported against them (实际完成)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Double, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from zonehero.clock import utcnow
from zonehero.db.base import Base, UTCDateTime

GOAL_DIRECTIONS = ("higher", "lower")
GOAL_KINDS = ("cumulative", "level")


class ZoneGoal(Base):
    """One yearly goal: e.g. 税收总额 12,000 万元 (higher, cumulative) or 增速 8% (higher, level)."""

    __tablename__ = "zone_goals"
    __table_args__ = (
        UniqueConstraint("year", "key"),
        CheckConstraint(f"direction IN ({', '.join(repr(d) for d in GOAL_DIRECTIONS)})", name="direction_known"),
        CheckConstraint(f"kind IN ({', '.join(repr(k) for k in GOAL_KINDS)})", name="kind_known"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    key: Mapped[str] = mapped_column(String(64))
    """Indicator key; a formula key of :data:`zonehero.core.targets.FORMULAS` when the actual can be computed."""
    label: Mapped[str] = mapped_column(String(100))
    value: Mapped[float] = mapped_column(Double)
    unit: Mapped[str] = mapped_column(String(20))
    direction: Mapped[str] = mapped_column(String(8), default="higher")
    kind: Mapped[str] = mapped_column(String(16), default="cumulative")
    note: Mapped[str | None] = mapped_column(String(500))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    actuals: Mapped[list[GoalActual]] = relationship(
        back_populates="goal",
        lazy="raise",
        order_by="GoalActual.month",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class GoalActual(Base):
    """The year-to-date actual of a goal at the end of ``month`` (a quarter is its last month: 3, 6, 9, 12)."""

    __tablename__ = "goal_actuals"
    __table_args__ = (
        UniqueConstraint("goal_id", "month"),
        CheckConstraint("month BETWEEN 1 AND 12", name="month_in_year"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("zone_goals.id", ondelete="CASCADE"))
    month: Mapped[int] = mapped_column(Integer)
    value: Mapped[float] = mapped_column(Double)
    source: Mapped[str] = mapped_column(String(40), default="manual")
    """``manual`` (entered by hand) or ``formula:<key>`` (computed from the stored figures)."""
    note: Mapped[str | None] = mapped_column(String(500))
    entered_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    goal: Mapped[ZoneGoal] = relationship(back_populates="actuals", lazy="raise")
