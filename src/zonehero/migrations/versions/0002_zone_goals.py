"""Zone goals (目标) and their actuals per month.

Revision ID: 0002_goals
Revises: 0001
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_goals"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "zone_goals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("value", sa.Double(), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.Column("direction", sa.String(length=8), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("direction IN ('higher', 'lower')", name=op.f("ck_zone_goals_direction_known")),
        sa.CheckConstraint("kind IN ('cumulative', 'level')", name=op.f("ck_zone_goals_kind_known")),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name=op.f("fk_zone_goals_created_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_zone_goals")),
        sa.UniqueConstraint("year", "key", name=op.f("uq_zone_goals_year_key")),
    )
    op.create_index(op.f("ix_zone_goals_year"), "zone_goals", ["year"], unique=False)
    op.create_table(
        "goal_actuals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("value", sa.Double(), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("entered_by", sa.Integer(), nullable=True),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("month BETWEEN 1 AND 12", name=op.f("ck_goal_actuals_month_in_year")),
        sa.ForeignKeyConstraint(["entered_by"], ["users.id"], name=op.f("fk_goal_actuals_entered_by_users")),
        sa.ForeignKeyConstraint(
            ["goal_id"], ["zone_goals.id"], name=op.f("fk_goal_actuals_goal_id_zone_goals"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goal_actuals")),
        sa.UniqueConstraint("goal_id", "month", name=op.f("uq_goal_actuals_goal_id_month")),
    )


def downgrade() -> None:
    op.drop_table("goal_actuals")
    op.drop_index(op.f("ix_zone_goals_year"), table_name="zone_goals")
    op.drop_table("zone_goals")
