"""低效用地台账 and 一企一方案: the register's cases, their measures, the D-class plans.

Revision ID: 0019_inefficient_land
Revises: 0018_parcels_leases
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019_inefficient_land"
down_revision: str | None = "0018_parcels_leases"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _timestamp(name: str) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False)


def upgrade() -> None:
    op.create_table(
        "lowland_cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("uscc", sa.String(length=18), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("group", sa.String(length=16), nullable=True),
        sa.Column("class", sa.String(length=1), nullable=True),
        sa.Column("reasons", sa.JSON(none_as_null=True), nullable=False),
        sa.Column("parcels", sa.JSON(none_as_null=True), nullable=False),
        sa.Column("land_mu", sa.Float(), nullable=False),
        sa.Column("tax", sa.Float(), nullable=False),
        sa.Column("tax_per_mu", sa.Float(), nullable=True),
        sa.Column("benchmark", sa.Float(), nullable=True),
        sa.Column("potential", sa.Float(), nullable=False),
        _timestamp("created_at"),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["evaluation_runs.id"], name=op.f("fk_lowland_cases_run_id_evaluation_runs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lowland_cases")),
        sa.UniqueConstraint("year", "uscc", name=op.f("uq_lowland_cases_year_uscc")),
    )
    op.create_index(op.f("ix_lowland_cases_year"), "lowland_cases", ["year"], unique=False)
    op.create_index(op.f("ix_lowland_cases_potential"), "lowland_cases", ["potential"], unique=False)

    op.create_table(
        "lowland_measures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("owner_unit", sa.String(length=64), nullable=False),
        sa.Column("raised_on", sa.Date(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("resolution", sa.Text(), nullable=True),
        sa.Column("done_on", sa.Date(), nullable=True),
        _timestamp("updated_at"),
        sa.CheckConstraint(
            "kind IN ('upgrade', 'merger', 'takeback', 'redevelop')", name=op.f("ck_lowland_measures_kind_known")
        ),
        sa.CheckConstraint("status IN ('open', 'in_progress', 'done')", name=op.f("ck_lowland_measures_status_known")),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["lowland_cases.id"],
            name=op.f("fk_lowland_measures_case_id_lowland_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lowland_measures")),
    )
    op.create_index(op.f("ix_lowland_measures_case_id"), "lowland_measures", ["case_id"], unique=False)
    op.create_index(op.f("ix_lowland_measures_owner_unit"), "lowland_measures", ["owner_unit"], unique=False)

    op.create_table(
        "lowland_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("uscc", sa.String(length=18), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("class", sa.String(length=1), nullable=True),
        sa.Column("tax_per_mu", sa.Float(), nullable=True),
        sa.Column("problem", sa.Text(), nullable=False),
        sa.Column("measures", sa.Text(), nullable=False),
        sa.Column("owner_unit", sa.String(length=64), nullable=False),
        sa.Column("raised_on", sa.Date(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("resolution", sa.Text(), nullable=True),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        _timestamp("updated_at"),
        sa.CheckConstraint("status IN ('open', 'in_progress', 'done')", name=op.f("ck_lowland_plans_status_known")),
        sa.ForeignKeyConstraint(
            ["run_id"], ["evaluation_runs.id"], name=op.f("fk_lowland_plans_run_id_evaluation_runs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lowland_plans")),
        sa.UniqueConstraint("year", "uscc", name=op.f("uq_lowland_plans_year_uscc")),
    )
    op.create_index(op.f("ix_lowland_plans_year"), "lowland_plans", ["year"], unique=False)
    op.create_index(op.f("ix_lowland_plans_uscc"), "lowland_plans", ["uscc"], unique=False)
    op.create_index(op.f("ix_lowland_plans_owner_unit"), "lowland_plans", ["owner_unit"], unique=False)


def downgrade() -> None:
    op.drop_table("lowland_plans")
    op.drop_table("lowland_measures")
    op.drop_table("lowland_cases")
