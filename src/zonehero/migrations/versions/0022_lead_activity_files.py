"""Attachments of a 招商 lead's logged contacts (附件: 考察照片、会议纪要、意向书).

Files are kept under the data folder like objection evidence; the table records name, path, type, size and
sha256 of each, under the activity it belongs to.

Revision ID: 0022_lead_activity_files
Revises: 0021_industry_chains
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022_lead_activity_files"
down_revision: str | None = "0021_industry_chains"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "lead_activity_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("stored", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["investment_lead_activities.id"],
            name=op.f("fk_lead_activity_files_activity_id_investment_lead_activities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lead_activity_files")),
    )
    op.create_index("ix_lead_activity_files_activity_id", "lead_activity_files", ["activity_id"])


def downgrade() -> None:
    op.drop_index("ix_lead_activity_files_activity_id", table_name="lead_activity_files")
    op.drop_table("lead_activity_files")
