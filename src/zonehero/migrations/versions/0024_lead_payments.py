"""到位资金 of signed 招商 leads (``lead_payments``): dated payments in 万元, summed up to the figures' as-of date.

Revision ID: 0024_lead_payments
Revises: 0023_land_notice
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024_lead_payments"
down_revision: str | None = "0023_land_notice"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "lead_payments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("amount", sa.Float(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount > 0", name=op.f("ck_lead_payments_amount_positive")),
        sa.ForeignKeyConstraint(
            ["lead_id"],
            ["investment_leads.id"],
            name=op.f("fk_lead_payments_lead_id_investment_leads"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lead_payments")),
    )
    op.create_index(op.f("ix_lead_payments_lead_id"), "lead_payments", ["lead_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_lead_payments_lead_id"), table_name="lead_payments")
    op.drop_table("lead_payments")
