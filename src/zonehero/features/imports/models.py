"""The ``import_batches`` table: one upload of department files and what became of it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from zonehero.clock import utcnow
from zonehero.db.base import Base, JSONValue, UTCDateTime

BATCH_STATUSES = ("preview", "invalid", "confirmed", "discarded")
"""preview 待确认 · invalid 有错误（不可确认）· confirmed 已入库 · discarded 已放弃."""


class ImportBatch(Base):
    """An upload: the stored files, the validation report and conflicts shown in the preview."""

    __tablename__ = "import_batches"
    __table_args__ = (
        CheckConstraint(f"status IN ({', '.join(repr(s) for s in BATCH_STATUSES)})", name="status_known"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int | None] = mapped_column(Integer, index=True)
    """The year the figures are for; set at preview when known, fixed at confirm."""
    status: Mapped[str] = mapped_column(String(16), default="preview")
    folder: Mapped[str] = mapped_column(String(64), unique=True)
    """Sub-folder of ``<data_dir>/uploads/imports`` holding the files."""
    files: Mapped[JSONValue] = mapped_column(JSON)
    """[{name, stored, size, sha256}]"""
    priority: Mapped[JSONValue] = mapped_column(JSON(none_as_null=True), nullable=True)
    report: Mapped[JSONValue] = mapped_column(JSON)
    """{problems: [...], warnings: [...], sources: [...], enterprises: n}"""
    conflicts: Mapped[JSONValue] = mapped_column(JSON)
    enterprise_count: Mapped[int] = mapped_column(Integer, default=0)
    figure_count: Mapped[int] = mapped_column(Integer, default=0)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    department: Mapped[str | None] = mapped_column(String(32), index=True)
    """数据归集: the department that submitted the batch (its account or its API token); None for the analyst's own
    imports. That department may read the batch's preview, nothing else (added by migration 0016)."""
