"""Zone profile: the zone's name, time zone, industry chains and 公示 rule, as the administrator saved them.

One row of TOML text (the same keys as a ``--zone`` file); absent until the first save, when the built-in
default applies.

Revision ID: 0005_zone_profile
Revises: 0004_run_inputs
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_zone_profile"
down_revision: str | None = "0004_run_inputs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "zone_profile",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("zone_profile")
