"""Evaluation runs and their result rows.

A run that has left ``draft`` is immutable: the mapper events below refuse
changing its content or its results through the ORM, and migration 0001
installs database triggers that refuse the same for any SQL (both SQLite and
PostgreSQL). The only changes allowed after 公示 starts are ``notice → final``
and marking a run in 公示 as superseded by a corrected run; a final run
never changes.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Connection,
    Date,
    Double,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    event,
    inspect,
    select,
    text,
)
from sqlalchemy.orm import Mapped, Mapper, mapped_column, relationship

from zonehero.clock import utcnow
from zonehero.db.base import Base, JSONValue, UTCDateTime
from zonehero.errors import Conflict
from zonehero.features.runs.schemas import PUBLISHED_STATUSES

RUN_STATUSES = ("draft", "notice", "final")
"""draft 草稿 · notice 公示中 · final 已定稿."""

NOTICE_MUTABLE_COLUMNS = frozenset({"status", "finalized_at", "finalized_by", "superseded_by_id"})
"""What may change on a run in 公示: it becomes final (who, when), or a corrected run replaces it."""


class EvaluationRun(Base):
    """One evaluation of one year with one scheme version: its inputs' hash, scheme text and outcome."""

    __tablename__ = "evaluation_runs"
    __table_args__ = (
        CheckConstraint(f"status IN ({', '.join(repr(s) for s in RUN_STATUSES)})", name="status_known"),
        CheckConstraint(
            "status = 'draft' OR (notice_start IS NOT NULL AND notice_end IS NOT NULL)", name="notice_dates_set"
        ),
        CheckConstraint("notice_end IS NULL OR notice_end >= notice_start", name="notice_end_after_start"),
        CheckConstraint("status <> 'final' OR finalized_at IS NOT NULL", name="final_has_time"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    scheme_version_id: Mapped[int] = mapped_column(ForeignKey("scheme_versions.id"))
    scheme_text: Mapped[str] = mapped_column(Text)
    scheme_digest: Mapped[str] = mapped_column(String(64))
    input_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default="draft")
    benchmarks: Mapped[JSONValue] = mapped_column(JSON)
    counts: Mapped[JSONValue] = mapped_column(JSON)
    warnings: Mapped[JSONValue] = mapped_column(JSON)
    result_count: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str | None] = mapped_column(String(500))
    source_run_id: Mapped[int | None] = mapped_column(ForeignKey("evaluation_runs.id"))
    """The run this one re-evaluates (e.g. after an accepted objection)."""
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    notice_start: Mapped[date | None] = mapped_column(Date)
    notice_end: Mapped[date | None] = mapped_column(Date)
    published_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finalized_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    finalized_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("evaluation_runs.id"))
    """Set on a run in 公示 when a corrected run (after an accepted objection) enters 公示 in its place."""

    results: Mapped[list[RunResult]] = relationship(
        back_populates="run",
        lazy="raise",
        foreign_keys="RunResult.run_id",
        cascade="all, delete-orphan",
        passive_deletes=True,  # the database deletes a draft's rows (ON DELETE CASCADE)
    )

    inputs: Mapped[RunInputs | None] = relationship(
        back_populates="run",
        lazy="raise",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    @property
    def is_published(self) -> bool:
        """公示 or final: visible to enterprise accounts, and immutable."""
        return self.status in PUBLISHED_STATUSES


RESULT_ORDER_INDEXES: dict[str, tuple[Any, ...]] = {
    "ix_run_results_rank_order": (
        "ix_run_results_rank_order",
        "run_id",
        text('("group" IS NULL)'),
        text("coalesce(\"group\", '')"),
        text("(rank IS NULL)"),
        text("coalesce(rank, 0)"),
        "uscc",
    ),
    "ix_run_results_score_order": (
        "ix_run_results_score_order",
        "run_id",
        text("(total_score IS NULL)"),
        text("(-coalesce(total_score, 0.0))"),
        "uscc",
    ),
    "ix_run_results_name_order": ("ix_run_results_name_order", "run_id", text("coalesce(name, '')"), "uscc"),
}
"""Name and parts of each index of a results-list order; migration 0011 creates these same ones."""


class RunResult(Base):
    """One enterprise's result in a run; ``record`` is the full §8 record used to explain it."""

    __tablename__ = "run_results"
    __table_args__ = (
        UniqueConstraint("run_id", "uscc"),
        Index("ix_run_results_uscc", "uscc"),
        Index("ix_run_results_run_id_class", "run_id", "class"),
        # The orders of the results list (repository.ORDERS, expression for expression), so a page is read from
        # the index, and a keyset cursor seeks in it.
        Index(*RESULT_ORDER_INDEXES["ix_run_results_rank_order"]),
        Index(*RESULT_ORDER_INDEXES["ix_run_results_score_order"]),
        Index(*RESULT_ORDER_INDEXES["ix_run_results_name_order"]),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("evaluation_runs.id", ondelete="CASCADE"))
    uscc: Mapped[str] = mapped_column(String(18))
    name: Mapped[str | None] = mapped_column(String(200))
    industry_code: Mapped[str | None] = mapped_column(String(8))
    group: Mapped[str | None] = mapped_column("group", String(16))
    status: Mapped[str] = mapped_column(String(16))
    total_score: Mapped[float | None] = mapped_column(Double)
    rank: Mapped[int | None] = mapped_column(Integer)
    class_: Mapped[str | None] = mapped_column("class", String(1))
    carbon_grade: Mapped[int | None] = mapped_column(Integer)
    record: Mapped[JSONValue] = mapped_column(JSON)

    run: Mapped[EvaluationRun] = relationship(back_populates="results", lazy="raise")


class RunInputs(Base):
    """What a run was computed from, kept with it so that it can be reproduced years later.

    The stored figures of a year change after the run (an accepted 异议
    corrects them, a department re-imports); the run's documents, lift and
    what-if must still answer about the data the run used. ``frame`` is the
    engine's canonical input (sorted by uscc) and ``history`` the D-streak
    history (uscc, prior_consecutive_d), both as Parquet. Immutable once the
    run leaves draft, like the results (migration 0004 installs the triggers).
    """

    __tablename__ = "run_inputs"

    run_id: Mapped[int] = mapped_column(ForeignKey("evaluation_runs.id", ondelete="CASCADE"), primary_key=True)
    frame: Mapped[bytes] = mapped_column(LargeBinary)
    history: Mapped[bytes] = mapped_column(LargeBinary)
    lineage: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    """Where each input figure came from when the run was made (None for runs kept before migration 0006)."""
    land: Mapped[JSONValue | None] = mapped_column(JSON(none_as_null=True), nullable=True)
    """The land derivation the run used (用地面积认定, :func:`zonehero.features.land.service.derive_for_run`); None
    for runs kept before migration 0018, and for runs made while the store had no parcel."""

    run: Mapped[EvaluationRun] = relationship(back_populates="inputs", lazy="raise")


def _committed_status(target: EvaluationRun) -> str | None:
    history = inspect(target).attrs.status.history
    if history.deleted:
        return str(history.deleted[0])
    return target.status if not history.added else None


@event.listens_for(EvaluationRun, "before_update")
def _refuse_changing_published_run(_mapper: Mapper[Any], _connection: Connection, target: EvaluationRun) -> None:
    before = _committed_status(target)
    if before in (None, "draft"):
        return
    state = inspect(target)
    changed = {attr.key for attr in state.attrs if attr.history.has_changes()}
    if before == "notice" and target.status in PUBLISHED_STATUSES and changed <= NOTICE_MUTABLE_COLUMNS:
        return
    raise Conflict(f"评价批次 #{target.id} 已发布，不能修改（如需更正请生成新的草稿）")


@event.listens_for(EvaluationRun, "before_delete")
def _refuse_deleting_published_run(_mapper: Mapper[Any], _connection: Connection, target: EvaluationRun) -> None:
    if _committed_status(target) != "draft":
        raise Conflict(f"评价批次 #{target.id} 已发布，不能删除")


_RUN_PARTS: dict[type[Base], str] = {RunResult: "结果", RunInputs: "输入数据"}
"""What a published run holds besides its own row, as named in the refusal."""


def _refuse_part_change(_mapper: Mapper[Any], connection: Connection, target: RunResult | RunInputs) -> None:
    status = connection.execute(select(EvaluationRun.status).where(EvaluationRun.id == target.run_id)).scalar()
    if status is not None and status != "draft":
        raise Conflict(f"评价批次 #{target.run_id} 已发布，{_RUN_PARTS[type(target)]}不能修改")


for _part in _RUN_PARTS:
    for _event in ("before_insert", "before_update", "before_delete"):
        event.listen(_part, _event, _refuse_part_change)


class RunAggregate(Base):
    """A figure of a whole run, computed once and kept (运行汇总): see :mod:`zonehero.features.runs.aggregates`."""

    __tablename__ = "run_aggregates"

    run_id: Mapped[int] = mapped_column(ForeignKey("evaluation_runs.id", ondelete="CASCADE"), primary_key=True)
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[JSONValue] = mapped_column(JSON)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RunLifts(Base):
    """Every enterprise's 升类路径 of a run (Arrow IPC, :mod:`zonehero.core.evaluation.lift_book`), computed once."""

    __tablename__ = "run_lifts"

    run_id: Mapped[int] = mapped_column(ForeignKey("evaluation_runs.id", ondelete="CASCADE"), primary_key=True)
    frame: Mapped[bytes] = mapped_column(LargeBinary)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
