"""企业确认: a confirmation round per year, each enterprise's answer, its disputed figures and evidence, and the
confirmation state each run kept when it was made.

Revision ID: 0017_enterprise_confirmation
Revises: 0016_collection_rounds
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from zonehero.db.base import UTCDateTime

revision: str = "0017_enterprise_confirmation"
down_revision: str | None = "0016_collection_rounds"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "confirmation_rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("opened_by", sa.Integer(), nullable=True),
        sa.Column("opened_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["opened_by"], ["users.id"], name=op.f("fk_confirmation_rounds_opened_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_confirmation_rounds")),
        sa.UniqueConstraint("year", name=op.f("uq_confirmation_rounds_year")),
    )
    op.create_table(
        "confirmation_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("uscc", sa.String(length=18), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("answered_by", sa.Integer(), nullable=True),
        sa.Column("answered_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "state IN ('confirmed', 'disputed', 'resolved')", name=op.f("ck_confirmation_answers_state_known")
        ),
        sa.ForeignKeyConstraint(["answered_by"], ["users.id"], name=op.f("fk_confirmation_answers_answered_by_users")),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["confirmation_rounds.id"],
            name=op.f("fk_confirmation_answers_round_id_confirmation_rounds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_confirmation_answers")),
    )
    op.create_index("ix_confirmation_answers_round_id_uscc", "confirmation_answers", ["round_id", "uscc"], unique=True)
    op.create_index(
        "ix_confirmation_answers_round_id_state_uscc", "confirmation_answers", ["round_id", "state", "uscc"]
    )
    op.create_table(
        "confirmation_disputes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("answer_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=64), nullable=False),
        sa.Column("current", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("proposed", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("resolution", sa.Text(), nullable=True),
        sa.Column("resolved_value", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("resolved_by", sa.Integer(), nullable=True),
        sa.Column("resolved_at", UTCDateTime(), nullable=True),
        sa.CheckConstraint(
            "status IN ('open', 'accepted', 'rejected')", name=op.f("ck_confirmation_disputes_status_known")
        ),
        sa.CheckConstraint(
            "status = 'open' OR resolution IS NOT NULL", name=op.f("ck_confirmation_disputes_resolved_has_reason")
        ),
        sa.ForeignKeyConstraint(
            ["answer_id"],
            ["confirmation_answers.id"],
            name=op.f("fk_confirmation_disputes_answer_id_confirmation_answers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["resolved_by"], ["users.id"], name=op.f("fk_confirmation_disputes_resolved_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_confirmation_disputes")),
    )
    op.create_index("ix_confirmation_disputes_answer_id", "confirmation_disputes", ["answer_id"])
    op.create_index("ix_confirmation_disputes_status_id", "confirmation_disputes", ["status", "id"])
    op.create_table(
        "confirmation_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("answer_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("stored", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["answer_id"],
            ["confirmation_answers.id"],
            name=op.f("fk_confirmation_files_answer_id_confirmation_answers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_confirmation_files")),
    )
    op.create_index("ix_confirmation_files_answer_id", "confirmation_files", ["answer_id"])
    op.create_table(
        "run_confirmations",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("taken_on", sa.Date(), nullable=False),
        sa.Column("answers", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["evaluation_runs.id"],
            name=op.f("fk_run_confirmations_run_id_evaluation_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("run_id", name=op.f("pk_run_confirmations")),
    )


def downgrade() -> None:
    op.drop_table("run_confirmations")
    op.drop_index("ix_confirmation_files_answer_id", table_name="confirmation_files")
    op.drop_table("confirmation_files")
    op.drop_index("ix_confirmation_disputes_status_id", table_name="confirmation_disputes")
    op.drop_index("ix_confirmation_disputes_answer_id", table_name="confirmation_disputes")
    op.drop_table("confirmation_disputes")
    op.drop_index("ix_confirmation_answers_round_id_state_uscc", table_name="confirmation_answers")
    op.drop_index("ix_confirmation_answers_round_id_uscc", table_name="confirmation_answers")
    op.drop_table("confirmation_answers")
    op.drop_table("confirmation_rounds")
