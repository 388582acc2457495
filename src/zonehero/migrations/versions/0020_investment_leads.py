"""招商 leads (招商线索): the lead, its stage moves and its logged contacts; the ``investment`` role (招商局).

The users table"s role CHECK gains ``investment`` (on SQLite the table is copied, batch mode, as 0009 did).
Downgrading refuses while an account holds the role.

Revision ID: 0020_investment_leads
Revises: 0019_inefficient_land
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from zonehero.db.base import UTCDateTime

revision: str = "0020_investment_leads"
down_revision: str | None = "0019_inefficient_land"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


_OLD_ROLES = (
    "role IN ('system_admin', 'security_admin', 'audit_admin', 'analyst', 'leader', 'enterprise', "
    "'project_office', 'unit', 'department')"
)
_NEW_ROLES = (
    "role IN ('system_admin', 'security_admin', 'audit_admin', 'analyst', 'leader', 'enterprise', "
    "'project_office', 'unit', 'department', 'investment')"
)


def _replace_role_check(rule: str) -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_constraint(op.f("ck_users_role_known"), type_="check")
    with op.batch_alter_table("users") as batch:
        batch.create_check_constraint("role_known", rule)


def upgrade() -> None:
    _replace_role_check(_NEW_ROLES)
    op.create_table(
        "investment_leads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("investor", sa.String(length=200), nullable=False),
        sa.Column("investor_key", sa.String(length=200), nullable=False),
        sa.Column("investor_uscc", sa.String(length=32), nullable=True),
        sa.Column("project_name", sa.String(length=200), nullable=False),
        sa.Column("investment", sa.Float(), nullable=True),
        sa.Column("expected_output", sa.Float(), nullable=True),
        sa.Column("expected_tax", sa.Float(), nullable=True),
        sa.Column("land_mu", sa.Float(), nullable=True),
        sa.Column("building_sqm", sa.Float(), nullable=True),
        sa.Column("help_asked", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("chain", sa.String(length=64), nullable=True),
        sa.Column("reporter_id", sa.Integer(), nullable=True),
        sa.Column("reporter_name", sa.String(length=64), nullable=False),
        sa.Column("unit", sa.String(length=64), nullable=False),
        sa.Column("reported_on", sa.Date(), nullable=False),
        sa.Column("duplicate_of_id", sa.Integer(), nullable=True),
        sa.Column("stage", sa.String(length=16), nullable=False),
        sa.Column("stage_on", sa.Date(), nullable=False),
        sa.Column("end_reason", sa.Text(), nullable=True),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("owner_name", sa.String(length=64), nullable=True),
        sa.Column("signed_on", sa.Date(), nullable=True),
        sa.Column("contract_investment", sa.Float(), nullable=True),
        sa.Column("planned_start_date", sa.Date(), nullable=True),
        sa.Column("planned_production_date", sa.Date(), nullable=True),
        sa.Column("project_code", sa.String(length=64), nullable=True),
        sa.Column("landed_on", sa.Date(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "stage IN ('lead', 'contact', 'visit', 'negotiation', 'signed', 'landed', 'terminated')",
            name=op.f("ck_investment_leads_stage_known"),
        ),
        sa.CheckConstraint(
            "contract_investment IS NULL OR contract_investment >= 0",
            name=op.f("ck_investment_leads_contract_nonnegative"),
        ),
        sa.CheckConstraint(
            "investment IS NULL OR investment >= 0", name=op.f("ck_investment_leads_investment_nonnegative")
        ),
        sa.ForeignKeyConstraint(
            ["duplicate_of_id"],
            ["investment_leads.id"],
            name=op.f("fk_investment_leads_duplicate_of_id_investment_leads"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_investment_leads_owner_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["reporter_id"], ["users.id"], name=op.f("fk_investment_leads_reporter_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_investment_leads")),
    )
    with op.batch_alter_table("investment_leads", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_investment_leads_chain"), ["chain"], unique=False)
        batch_op.create_index(batch_op.f("ix_investment_leads_investor_key"), ["investor_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_investment_leads_investor_uscc"), ["investor_uscc"], unique=False)
        batch_op.create_index(batch_op.f("ix_investment_leads_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_investment_leads_project_code"), ["project_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_investment_leads_reported_on"), ["reported_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_investment_leads_reporter_id"), ["reporter_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_investment_leads_stage"), ["stage"], unique=False)

    op.create_table(
        "investment_lead_activities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("happened_on", sa.Date(), nullable=False),
        sa.Column("staff", sa.String(length=200), nullable=False),
        sa.Column("counterpart", sa.String(length=200), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.CheckConstraint(
            "kind IN ('visit', 'meeting', 'call', 'judgement', 'feedback')",
            name=op.f("ck_investment_lead_activities_kind_known"),
        ),
        sa.ForeignKeyConstraint(
            ["lead_id"],
            ["investment_leads.id"],
            name=op.f("fk_investment_lead_activities_lead_id_investment_leads"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_investment_lead_activities")),
    )
    with op.batch_alter_table("investment_lead_activities", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_investment_lead_activities_lead_id"), ["lead_id"], unique=False)

    op.create_table(
        "investment_lead_moves",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("from_stage", sa.String(length=16), nullable=False),
        sa.Column("to_stage", sa.String(length=16), nullable=False),
        sa.Column("moved_on", sa.Date(), nullable=False),
        sa.Column("moved_at", UTCDateTime(), nullable=False),
        sa.Column("moved_by", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["lead_id"],
            ["investment_leads.id"],
            name=op.f("fk_investment_lead_moves_lead_id_investment_leads"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_investment_lead_moves")),
    )
    with op.batch_alter_table("investment_lead_moves", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_investment_lead_moves_lead_id"), ["lead_id"], unique=False)


def downgrade() -> None:
    names = list(
        op.get_bind()
        .execute(sa.text("SELECT username FROM users WHERE role = 'investment' ORDER BY username"))
        .scalars()
    )
    if names:
        raise RuntimeError(
            "降级前请先把招商局账户改为其他角色或删除 / change the role of the investment accounts before "
            f"downgrading: {', '.join(names)}"
        )
    with op.batch_alter_table("investment_lead_moves", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_investment_lead_moves_lead_id"))

    op.drop_table("investment_lead_moves")
    with op.batch_alter_table("investment_lead_activities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_investment_lead_activities_lead_id"))

    op.drop_table("investment_lead_activities")
    with op.batch_alter_table("investment_leads", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_investment_leads_stage"))
        batch_op.drop_index(batch_op.f("ix_investment_leads_reporter_id"))
        batch_op.drop_index(batch_op.f("ix_investment_leads_reported_on"))
        batch_op.drop_index(batch_op.f("ix_investment_leads_project_code"))
        batch_op.drop_index(batch_op.f("ix_investment_leads_owner_id"))
        batch_op.drop_index(batch_op.f("ix_investment_leads_investor_uscc"))
        batch_op.drop_index(batch_op.f("ix_investment_leads_investor_key"))
        batch_op.drop_index(batch_op.f("ix_investment_leads_chain"))

    op.drop_table("investment_leads")
    _replace_role_check(_OLD_ROLES)
