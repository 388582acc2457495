"""四个一批 projects: projects, yearly plans, monthly progress, site photos, difficulties, closed-month snapshots.

Also the two project roles on accounts: ``project_office`` (项目办) and
``unit`` (责任单位, tied to a unit name in the new ``users.unit_name``).

Revision ID: 0003_projects
Revises: 0002_goals
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_projects"
down_revision: str | None = "0002_goals"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OLD_ROLES = "role IN ('admin', 'analyst', 'leader', 'enterprise')"
_NEW_ROLES = "role IN ('admin', 'analyst', 'leader', 'enterprise', 'project_office', 'unit')"
_UNIT_RULE = "(role = 'unit' AND unit_name IS NOT NULL) OR (role <> 'unit' AND unit_name IS NULL)"


def _timestamp(name: str) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False)


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("unit_name", sa.String(length=64), nullable=True))
        batch.drop_constraint(op.f("ck_users_role_known"), type_="check")
        batch.create_check_constraint("role_known", _NEW_ROLES)
        batch.create_check_constraint("unit_name_iff_unit", _UNIT_RULE)

    op.create_table(
        "projects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("investor", sa.String(length=200), nullable=True),
        sa.Column("investor_uscc", sa.String(length=18), nullable=True),
        sa.Column("industry_chain", sa.String(length=64), nullable=True),
        sa.Column("total_investment", sa.Float(), nullable=True),
        sa.Column("land_mu", sa.Float(), nullable=True),
        sa.Column("leader", sa.String(length=64), nullable=True),
        sa.Column("unit", sa.String(length=64), nullable=True),
        sa.Column("contact", sa.String(length=64), nullable=True),
        sa.Column("added_date", sa.Date(), nullable=True),
        sa.Column("planned_sign_date", sa.Date(), nullable=True),
        sa.Column("actual_sign_date", sa.Date(), nullable=True),
        sa.Column("planned_start_date", sa.Date(), nullable=True),
        sa.Column("actual_start_date", sa.Date(), nullable=True),
        sa.Column("planned_production_date", sa.Date(), nullable=True),
        sa.Column("actual_production_date", sa.Date(), nullable=True),
        sa.Column("counted_in_statistics", sa.Boolean(), nullable=False),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_projects")),
        sa.UniqueConstraint("code", name=op.f("uq_projects_code")),
    )
    op.create_index(op.f("ix_projects_industry_chain"), "projects", ["industry_chain"], unique=False)
    op.create_index(op.f("ix_projects_unit"), "projects", ["unit"], unique=False)

    op.create_table(
        "project_year_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("plan_investment", sa.Float(), nullable=False),
        sa.CheckConstraint("plan_investment >= 0", name=op.f("ck_project_year_plans_plan_nonnegative")),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_project_year_plans_project_id_projects"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_year_plans")),
        sa.UniqueConstraint("project_id", "year", name=op.f("uq_project_year_plans_project_id_year")),
    )
    op.create_index(op.f("ix_project_year_plans_project_id"), "project_year_plans", ["project_id"], unique=False)

    op.create_table(
        "project_progress",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("investment_month", sa.Float(), nullable=False),
        sa.Column("percent_done", sa.Float(), nullable=True),
        sa.Column("progress_text", sa.Text(), nullable=False),
        _timestamp("updated_at"),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.CheckConstraint("month BETWEEN 1 AND 12", name=op.f("ck_project_progress_month_valid")),
        sa.CheckConstraint("investment_month >= 0", name=op.f("ck_project_progress_investment_nonnegative")),
        sa.CheckConstraint(
            "percent_done IS NULL OR (percent_done >= 0 AND percent_done <= 100)",
            name=op.f("ck_project_progress_percent_range"),
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_project_progress_project_id_projects"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_progress")),
        sa.UniqueConstraint("project_id", "year", "month", name=op.f("uq_project_progress_project_id_year_month")),
    )
    op.create_index(op.f("ix_project_progress_project_id"), "project_progress", ["project_id"], unique=False)

    op.create_table(
        "project_photos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("progress_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("stored", sa.String(length=400), nullable=False),
        sa.Column("media_type", sa.String(length=32), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        _timestamp("uploaded_at"),
        sa.Column("uploaded_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["progress_id"],
            ["project_progress.id"],
            name=op.f("fk_project_photos_progress_id_project_progress"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_photos")),
    )
    op.create_index(op.f("ix_project_photos_progress_id"), "project_photos", ["progress_id"], unique=False)

    op.create_table(
        "project_difficulties",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("raised_on", sa.Date(), nullable=False),
        sa.Column("owner_unit", sa.String(length=64), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("resolution", sa.Text(), nullable=True),
        sa.Column("resolved_on", sa.Date(), nullable=True),
        _timestamp("updated_at"),
        sa.CheckConstraint(
            "category IN ('land', 'energy', 'funding', 'approvals', 'labour', 'other')",
            name=op.f("ck_project_difficulties_category_known"),
        ),
        sa.CheckConstraint(
            "status IN ('open', 'in_progress', 'resolved')", name=op.f("ck_project_difficulties_status_known")
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_project_difficulties_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_difficulties")),
    )
    op.create_index(op.f("ix_project_difficulties_owner_unit"), "project_difficulties", ["owner_unit"], unique=False)
    op.create_index(op.f("ix_project_difficulties_project_id"), "project_difficulties", ["project_id"], unique=False)

    op.create_table(
        "schedule_snapshots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        _timestamp("closed_at"),
        sa.Column("closed_by", sa.String(length=64), nullable=False),
        sa.Column("report", sa.JSON(none_as_null=True), nullable=False),
        sa.Column("inputs", sa.JSON(none_as_null=True), nullable=False),
        sa.CheckConstraint("month BETWEEN 1 AND 12", name=op.f("ck_schedule_snapshots_month_valid")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schedule_snapshots")),
        sa.UniqueConstraint("year", "month", name=op.f("uq_schedule_snapshots_year_month")),
    )


def downgrade() -> None:
    op.drop_table("schedule_snapshots")
    op.drop_index(op.f("ix_project_difficulties_project_id"), table_name="project_difficulties")
    op.drop_index(op.f("ix_project_difficulties_owner_unit"), table_name="project_difficulties")
    op.drop_table("project_difficulties")
    op.drop_index(op.f("ix_project_photos_progress_id"), table_name="project_photos")
    op.drop_table("project_photos")
    op.drop_index(op.f("ix_project_progress_project_id"), table_name="project_progress")
    op.drop_table("project_progress")
    op.drop_index(op.f("ix_project_year_plans_project_id"), table_name="project_year_plans")
    op.drop_table("project_year_plans")
    op.drop_index(op.f("ix_projects_unit"), table_name="projects")
    op.drop_index(op.f("ix_projects_industry_chain"), table_name="projects")
    op.drop_table("projects")
    op.execute("DELETE FROM users WHERE role IN ('project_office', 'unit')")
    with op.batch_alter_table("users") as batch:
        batch.drop_constraint(op.f("ck_users_unit_name_iff_unit"), type_="check")
        batch.drop_constraint(op.f("ck_users_role_known"), type_="check")
        batch.create_check_constraint("role_known", _OLD_ROLES)
        batch.drop_column("unit_name")
