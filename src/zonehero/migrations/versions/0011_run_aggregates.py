"""Pages whose cost does not grow with the zone: a run's figures kept beside it, and indexes for the results list.

``run_aggregates`` keeps figures of a whole run computed once (the dashboard's top and bottom lists and the
亩均税收 histogram, see ``zonehero.features.runs.aggregates``). Expression indexes serve the results list's
orders (by group and rank, by score, by name; NULLs last on both engines) so a page reads its rows from the index
and a keyset cursor seeks in it. The index definitions are the model's (``RESULT_ORDER_INDEXES``), one place.

Revision ID: 0011_run_aggregates
Revises: 0010_sessions_passwords
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from zonehero.db.base import UTCDateTime
from zonehero.features.runs.models import RESULT_ORDER_INDEXES

revision: str = "0011_run_aggregates"
down_revision: str | None = "0010_sessions_passwords"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "run_aggregates",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("computed_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["evaluation_runs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("run_id", "name"),
    )
    for name, *parts in RESULT_ORDER_INDEXES.values():
        op.create_index(name, "run_results", parts)


def downgrade() -> None:
    for name in RESULT_ORDER_INDEXES:
        op.drop_index(name, table_name="run_results")
    op.drop_table("run_aggregates")
