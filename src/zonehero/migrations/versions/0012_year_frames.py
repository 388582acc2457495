"""A year's figures kept as the engine's frame for its data version (the cultivation page, run creation, what-if).

``figure_versions`` counts the writes of each year's figures (every import confirm and correction adds one, in
its own transaction); ``year_frames`` keeps the pivoted frame (Arrow IPC) made at a version. Every year already
holding figures starts at version 1, so its frame is kept from the first request after the upgrade.

Revision ID: 0012_year_frames
Revises: 0011_run_aggregates
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from zonehero.db.base import UTCDateTime

revision: str = "0012_year_frames"
down_revision: str | None = "0011_run_aggregates"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "figure_versions",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year"),
    )
    op.create_table(
        "year_frames",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("frame", sa.LargeBinary(), nullable=False),
        sa.Column("made_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("year", "version"),
    )
    op.execute("INSERT INTO figure_versions (year, version) SELECT DISTINCT year, 1 FROM figures")


def downgrade() -> None:
    op.drop_table("year_frames")
    op.drop_table("figure_versions")
