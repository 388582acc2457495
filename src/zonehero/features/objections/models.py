"""Objections (异议) and their evidence files."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from zonehero.clock import utcnow
from zonehero.db.base import Base, JSONValue, UTCDateTime

OBJECTION_STATUSES = ("open", "accepted", "rejected")
"""open 待处理 · accepted 已采纳 · rejected 未采纳."""


class Objection(Base):
    """An enterprise's objection to its own result in a run under 公示, or to its land area in a land notice
    (用地面积公示), and the analyst's answer: exactly one subject, ``run_id`` or ``land_notice_id``."""

    __tablename__ = "objections"
    __table_args__ = (
        CheckConstraint(f"status IN ({', '.join(repr(s) for s in OBJECTION_STATUSES)})", name="status_known"),
        CheckConstraint("status = 'open' OR answer IS NOT NULL", name="answered_has_answer"),
        CheckConstraint("(run_id IS NULL) <> (land_notice_id IS NULL)", name="one_subject"),
        Index("ix_objections_run_id_status", "run_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("evaluation_runs.id"))
    land_notice_id: Mapped[int | None] = mapped_column(ForeignKey("land_notices.id"), index=True)
    """An objection on the land area published in a land notice (用地面积公示) instead of a run's result."""
    uscc: Mapped[str] = mapped_column(String(18), index=True)
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="open")
    filed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    filed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    new_run_id: Mapped[int | None] = mapped_column(ForeignKey("evaluation_runs.id"))
    """For an accepted objection: the draft run made with the corrected figures."""
    figure_changes: Mapped[JSONValue] = mapped_column(JSON(none_as_null=True), nullable=True)
    """[{field, before, after}] applied when accepted."""
    disputed: Mapped[JSONValue] = mapped_column(JSON(none_as_null=True), nullable=True)
    """[{field, current, proposed}]: the figures the enterprise disputes, the value the run used and the value it
    proposes (NULL for a free-text objection, as every objection filed before migration 0015 is)."""

    land_items: Mapped[JSONValue] = mapped_column(JSON(none_as_null=True), nullable=True)
    """[{key, label}]: the parcels or leases of the published derivation an objection on the land says are wrong."""

    files: Mapped[list[ObjectionFile]] = relationship(
        back_populates="objection", lazy="raise", order_by="ObjectionFile.id"
    )


class ObjectionFile(Base):
    """An evidence file (证明材料) kept under the data folder; type and size checked on upload."""

    __tablename__ = "objection_files"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    objection_id: Mapped[int] = mapped_column(ForeignKey("objections.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    """The file name as uploaded (shown to people)."""
    stored: Mapped[str] = mapped_column(String(255))
    """Path relative to the data folder."""
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))

    objection: Mapped[Objection] = relationship(back_populates="files", lazy="raise")
