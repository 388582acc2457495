"""The 梯度培育 page's figures kept for the two years' data versions they were made from.

Revision ID: 0013_cultivation_views
Revises: 0012_year_frames
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from zonehero.db.base import UTCDateTime

revision: str = "0013_cultivation_views"
down_revision: str | None = "0012_year_frames"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "cultivation_views",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("key", sa.String(length=128), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("made_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("year", "key"),
    )


def downgrade() -> None:
    op.drop_table("cultivation_views")
