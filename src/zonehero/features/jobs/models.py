"""The ``jobs`` table: one piece of long work, its progress and its outcome."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from zonehero.clock import utcnow
from zonehero.db.base import JSON_TYPE, Base, JSONValue, UTCDateTime

JOB_STATUSES = ("queued", "running", "done", "failed", "cancelled")
"""queued 排队中 · running 运行中 · done 已完成 · failed 失败 · cancelled 已取消."""


class Job(Base):
    """A job as users and workers see it; the queue only carries its id."""

    __tablename__ = "jobs"
    __table_args__ = (
        CheckConstraint(f"status IN ({', '.join(repr(s) for s in JOB_STATUSES)})", name="status_known"),
        CheckConstraint("done >= 0 AND total >= 0", name="progress_not_negative"),
        Index("ix_jobs_status_heartbeat", "status", "heartbeat_at"),
        Index("ix_jobs_submitted_by_id", "submitted_by", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    parameters: Mapped[JSONValue] = mapped_column(JSON_TYPE, nullable=True)
    status: Mapped[str] = mapped_column(String(16), default="queued")
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    stage: Mapped[str] = mapped_column(String(200), default="")
    """What the job is doing now, in Chinese (正在生成告知书 …)."""
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    """How many times a worker has started it; a retry after a dead worker counts again."""
    error: Mapped[str | None] = mapped_column(Text)
    """Why it failed, in Chinese; never a traceback."""
    result_path: Mapped[str | None] = mapped_column(String(500))
    """The result file, relative to the data folder."""
    result_name: Mapped[str | None] = mapped_column(String(300))
    """The name the download is offered under."""
    result_summary: Mapped[JSONValue] = mapped_column(JSON_TYPE, nullable=True)
    """What the job made that is not a file (the new run's id, the import's counts)."""
    submitted_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    """None: the command line (the server's operator)."""
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    progress_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    """When ``done`` last moved (for the ETA)."""
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
