"""A confirmation round per year (企业确认), each enterprise's answer, its disputed figures and their evidence.

An enterprise that has not answered has no row: whether it is still awaited or deemed to have confirmed (默认确认)
follows from the round's deadline and the day, so nothing is written when the deadline passes.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from zonehero.clock import utcnow
from zonehero.db.base import Base, JSONValue, UTCDateTime

ANSWER_STATES = ("confirmed", "disputed", "resolved")
"""confirmed 确认无误 · disputed 有异议待处理 · resolved 异议已处理."""
DISPUTE_STATUSES = ("open", "accepted", "rejected")
"""open 待处理 · accepted 已采纳 · rejected 不予采纳."""


def _known(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class ConfirmationRound(Base):
    """The round of one year: enterprises confirm their figures until ``deadline`` (inclusive)."""

    __tablename__ = "confirmation_rounds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, unique=True)
    deadline: Mapped[date] = mapped_column(Date)
    opened_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ConfirmationAnswer(Base):
    """One enterprise's answer in a round: it confirmed, or it disputed figures (then resolved one by one)."""

    __tablename__ = "confirmation_answers"
    __table_args__ = (
        CheckConstraint(_known("state", ANSWER_STATES), name="state_known"),
        Index("ix_confirmation_answers_round_id_uscc", "round_id", "uscc", unique=True),
        Index("ix_confirmation_answers_round_id_state_uscc", "round_id", "state", "uscc"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("confirmation_rounds.id", ondelete="CASCADE"))
    uscc: Mapped[str] = mapped_column(String(18))
    state: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(Text)
    """Why the enterprise disputes (None for a confirmation)."""
    answered_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    disputes: Mapped[list[ConfirmationDispute]] = relationship(
        back_populates="answer", lazy="raise", order_by="ConfirmationDispute.id"
    )
    files: Mapped[list[ConfirmationFile]] = relationship(
        back_populates="answer", lazy="raise", order_by="ConfirmationFile.id"
    )


class ConfirmationDispute(Base):
    """One disputed figure: the stored value, the value the enterprise proposes, and the analyst's resolution."""

    __tablename__ = "confirmation_disputes"
    __table_args__ = (
        CheckConstraint(_known("status", DISPUTE_STATUSES), name="status_known"),
        CheckConstraint("status = 'open' OR resolution IS NOT NULL", name="resolved_has_reason"),
        Index("ix_confirmation_disputes_status_id", "status", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("confirmation_answers.id", ondelete="CASCADE"), index=True)
    field: Mapped[str] = mapped_column(String(64))
    current: Mapped[JSONValue] = mapped_column(JSON(none_as_null=True), nullable=True)
    proposed: Mapped[JSONValue] = mapped_column(JSON(none_as_null=True), nullable=True)
    status: Mapped[str] = mapped_column(String(16), default="open")
    resolution: Mapped[str | None] = mapped_column(Text)
    """The analyst's note: why accepted, or the reason for rejecting (the enterprise reads it)."""
    resolved_value: Mapped[JSONValue] = mapped_column(JSON(none_as_null=True), nullable=True)
    """The value written to the store when accepted."""
    resolved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    answer: Mapped[ConfirmationAnswer] = relationship(back_populates="disputes", lazy="raise")


class ConfirmationFile(Base):
    """An evidence file (证明材料) of a dispute, checked like an objection's (PDF, JPEG, PNG)."""

    __tablename__ = "confirmation_files"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("confirmation_answers.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    stored: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))

    answer: Mapped[ConfirmationAnswer] = relationship(back_populates="files", lazy="raise")


class RunConfirmation(Base):
    """The confirmation state of a run's year when the run was made, kept so a later answer or resolution does
    not rewrite what an old notice says. ``answers`` is Parquet (uscc, state, day, accepted, rejected) of the
    enterprises that had answered; the others were awaited or deemed, by ``deadline`` against ``taken_on``."""

    __tablename__ = "run_confirmations"

    run_id: Mapped[int] = mapped_column(ForeignKey("evaluation_runs.id", ondelete="CASCADE"), primary_key=True)
    deadline: Mapped[date] = mapped_column(Date)
    taken_on: Mapped[date] = mapped_column(Date)
    answers: Mapped[bytes] = mapped_column(LargeBinary)
