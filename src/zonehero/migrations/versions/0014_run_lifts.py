"""Every enterprise's 升类路径 of a run, computed once for the whole run and kept beside it.

Revision ID: 0014_run_lifts
Revises: 0013_cultivation_views
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from zonehero.db.base import UTCDateTime

revision: str = "0014_run_lifts"
down_revision: str | None = "0013_cultivation_views"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "run_lifts",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("frame", sa.LargeBinary(), nullable=False),
        sa.Column("computed_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["evaluation_runs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("run_id"),
    )


def downgrade() -> None:
    op.drop_table("run_lifts")
