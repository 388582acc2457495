"""Tables of 数据归集: the departments (报送部门), the rounds (归集轮次), what each round expects, the submissions
and the departments' API tokens.

A submission is an import batch (``import_batches``) in preview, made by a department; it enters the store only
when the analyst confirms that batch (the imports feature's confirm). The round keeps a copy of each department's
fields and deadline, so editing the departments later does not rewrite a round already sent out.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from zonehero.clock import utcnow
from zonehero.db.base import Base, JSONValue, UTCDateTime

SUBMISSION_CHANNELS = ("upload", "api")
"""upload 网页上传 (a department account) · api 接口推送 (a department's token)."""


class CollectionDepartment(Base):
    """A department that sends figures (报送部门) and the field keys it owns; seeded, edited by the analyst."""

    __tablename__ = "collection_departments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(32), unique=True)
    fields: Mapped[JSONValue] = mapped_column(JSON)
    """[field key, …] of the enterprise field registry (identity columns not listed)."""
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CollectionRound(Base):
    """One year's collection (归集轮次): opened by the analyst, one per year."""

    __tablename__ = "collection_rounds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, unique=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CollectionExpectation(Base):
    """What one department owes a round: its fields (as they were when the round opened) and a deadline."""

    __tablename__ = "collection_expectations"
    __table_args__ = (UniqueConstraint("round_id", "department"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("collection_rounds.id", ondelete="CASCADE"), index=True)
    department: Mapped[str] = mapped_column(String(32))
    fields: Mapped[JSONValue] = mapped_column(JSON)
    deadline: Mapped[date] = mapped_column(Date)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    """The last 催办 (reminder); the department's to-do says so until its file arrives."""
    reminded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class CollectionSubmission(Base):
    """A department's file(s) for a round: the import batch in preview that holds them."""

    __tablename__ = "collection_submissions"
    __table_args__ = (
        CheckConstraint(f"channel IN ({', '.join(repr(c) for c in SUBMISSION_CHANNELS)})", name="channel_known"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    expectation_id: Mapped[int] = mapped_column(
        ForeignKey("collection_expectations.id", ondelete="CASCADE"), index=True
    )
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batches.id"), unique=True)
    channel: Mapped[str] = mapped_column(String(8))
    submitted_by: Mapped[str] = mapped_column(String(64))
    """The account's user name, or the token's label for an API push (who, as the board shows it)."""
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    token_id: Mapped[int | None] = mapped_column(ForeignKey("collection_tokens.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CollectionToken(Base):
    """A department's API token (接口令牌): shown once, kept as an argon2 hash beside a public prefix to find it."""

    __tablename__ = "collection_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    department: Mapped[str] = mapped_column(String(32), index=True)
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    token_hash: Mapped[str] = mapped_column(String(255))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
