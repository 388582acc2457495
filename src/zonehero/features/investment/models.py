"""Tables of 招商 leads (built by migration 0020): the lead, its stage moves and its logged contacts.

A lead's stage is stored (a 终止 or a move back is a decision, not a derived fact); every move is kept in
``investment_lead_moves``. Money is 万元, land 亩, buildings 平方米. Changed only through
``zonehero.features.investment.service``, which audits each change.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from zonehero.clock import utcnow
from zonehero.db.base import Base, UTCDateTime

STAGE_VALUES = ("lead", "contact", "visit", "negotiation", "signed", "landed", "terminated")
""":class:`zonehero.core.investment.LeadStage` values (the CHECK constraint lists the same)."""
ACTIVITY_KINDS = ("visit", "meeting", "call", "judgement", "feedback")
"""Logged contacts: 走访/考察, 会谈, 电话, 研判, 告知报送人."""


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class LeadRow(Base):
    """One 招商线索 with what the investor wants, who reported it and, once signed, its project."""

    __tablename__ = "investment_leads"
    __table_args__ = (
        CheckConstraint(_in("stage", STAGE_VALUES), name="stage_known"),
        CheckConstraint("investment IS NULL OR investment >= 0", name="investment_nonnegative"),
        CheckConstraint("contract_investment IS NULL OR contract_investment >= 0", name="contract_nonnegative"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    investor: Mapped[str] = mapped_column(String(200))
    investor_key: Mapped[str] = mapped_column(String(200), index=True)
    """:func:`zonehero.core.investment.normalise.investor_key` of ``investor`` (duplicates are found by it)."""
    investor_uscc: Mapped[str | None] = mapped_column(String(32), index=True)
    """:func:`~zonehero.core.investment.normalise.uscc_key` form."""
    project_name: Mapped[str] = mapped_column(String(200))
    """What they want to build (拟建项目)."""
    investment: Mapped[float | None] = mapped_column(Float)
    """拟投资额 (万元)."""
    expected_output: Mapped[float | None] = mapped_column(Float)
    expected_tax: Mapped[float | None] = mapped_column(Float)
    land_mu: Mapped[float | None] = mapped_column(Float)
    building_sqm: Mapped[float | None] = mapped_column(Float)
    help_asked: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(200), default="")
    chain: Mapped[str | None] = mapped_column(String(64), index=True)
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    reporter_name: Mapped[str] = mapped_column(String(64))
    unit: Mapped[str] = mapped_column(String(64), default="")
    reported_on: Mapped[date] = mapped_column(Date, index=True)
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("investment_leads.id", ondelete="SET NULL"))
    """The earlier lead of the same investor this one was flagged against at entry."""
    stage: Mapped[str] = mapped_column(String(16), default="lead", index=True)
    stage_on: Mapped[date] = mapped_column(Date)
    end_reason: Mapped[str | None] = mapped_column(Text)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    """The 招商局 account following the lead (the first that moved it); its clocks are that account's to-dos."""
    owner_name: Mapped[str | None] = mapped_column(String(64))
    signed_on: Mapped[date | None] = mapped_column(Date)
    contract_investment: Mapped[float | None] = mapped_column(Float)
    planned_start_date: Mapped[date | None] = mapped_column(Date)
    planned_production_date: Mapped[date | None] = mapped_column(Date)
    project_code: Mapped[str | None] = mapped_column(String(64), index=True)
    landed_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LeadMoveRow(Base):
    """One stage move of a lead: who, when, from, to, and the reason of a move back or an end."""

    __tablename__ = "investment_lead_moves"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("investment_leads.id", ondelete="CASCADE"), index=True)
    from_stage: Mapped[str] = mapped_column(String(16))
    to_stage: Mapped[str] = mapped_column(String(16))
    moved_on: Mapped[date] = mapped_column(Date)
    moved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    moved_by: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str | None] = mapped_column(Text)


class LeadActivityRow(Base):
    """A logged contact of a lead (走访、会谈、电话、研判、告知报送人): who, when, with whom, outcome."""

    __tablename__ = "investment_lead_activities"
    __table_args__ = (CheckConstraint(_in("kind", ACTIVITY_KINDS), name="kind_known"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("investment_leads.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    happened_on: Mapped[date] = mapped_column(Date)
    staff: Mapped[str] = mapped_column(String(200))
    """Who of the zone took part."""
    counterpart: Mapped[str] = mapped_column(String(200), default="")
    """With whom (the investor's people)."""
    outcome: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(64))


class LeadActivityFileRow(Base):
    """An attachment of a logged contact (附件: 考察照片、会议纪要、意向书), kept under the data folder and checked
    like an objection's evidence (PDF, JPEG, PNG by content; size and count limits)."""

    __tablename__ = "lead_activity_files"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("investment_lead_activities.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(255))
    """The file name as uploaded (shown to people)."""
    stored: Mapped[str] = mapped_column(String(255))
    """Path relative to the data folder."""
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))


class LeadPaymentRow(Base):
    """One 到位资金 payment of a signed lead (万元, dated): the 资金到位率's numerator sums them up to the as-of date,
    so a figure of a past date does not count money that arrived later."""

    __tablename__ = "lead_payments"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("investment_leads.id", ondelete="CASCADE"), index=True)
    paid_on: Mapped[date] = mapped_column(Date)
    amount: Mapped[float] = mapped_column(Float)
    """万元."""
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
