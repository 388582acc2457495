"""Industry chains as records (产业链图谱): links, 链主, enterprise tags, a project's link, the target library.

The zone profile keeps the one list of chain names; these tables hold what each name has (see features/chains).
Existing projects get no link (NULL) until someone sets one.

Revision ID: 0021_industry_chains
Revises: 0020_investment_leads
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021_industry_chains"
down_revision: str | None = "0020_investment_leads"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "industry_chains",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_industry_chains")),
        sa.UniqueConstraint("name", name=op.f("uq_industry_chains_name")),
    )
    op.create_table(
        "chain_leaders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chain_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("uscc", sa.String(length=18), nullable=True),
        sa.ForeignKeyConstraint(
            ["chain_id"],
            ["industry_chains.id"],
            name=op.f("fk_chain_leaders_chain_id_industry_chains"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chain_leaders")),
        sa.UniqueConstraint("chain_id", "name", name=op.f("uq_chain_leaders_chain_id_name")),
    )
    with op.batch_alter_table("chain_leaders", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_chain_leaders_chain_id"), ["chain_id"], unique=False)

    op.create_table(
        "chain_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chain_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["chain_id"],
            ["industry_chains.id"],
            name=op.f("fk_chain_links_chain_id_industry_chains"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chain_links")),
        sa.UniqueConstraint("chain_id", "name", name=op.f("uq_chain_links_chain_id_name")),
    )
    with op.batch_alter_table("chain_links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_chain_links_chain_id"), ["chain_id"], unique=False)

    op.create_table(
        "enterprise_chain_tags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uscc", sa.String(length=18), nullable=False),
        sa.Column("chain_id", sa.Integer(), nullable=False),
        sa.Column("link_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["chain_id"],
            ["industry_chains.id"],
            name=op.f("fk_enterprise_chain_tags_chain_id_industry_chains"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["link_id"],
            ["chain_links.id"],
            name=op.f("fk_enterprise_chain_tags_link_id_chain_links"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["uscc"], ["enterprises.uscc"], name=op.f("fk_enterprise_chain_tags_uscc_enterprises"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enterprise_chain_tags")),
        sa.UniqueConstraint("uscc", "chain_id", name=op.f("uq_enterprise_chain_tags_uscc_chain_id")),
    )
    with op.batch_alter_table("enterprise_chain_tags", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_enterprise_chain_tags_chain_id"), ["chain_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_enterprise_chain_tags_link_id"), ["link_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_enterprise_chain_tags_uscc"), ["uscc"], unique=False)

    op.create_table(
        "target_firms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("uscc", sa.String(length=18), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("chain_id", sa.Integer(), nullable=True),
        sa.Column("link_id", sa.Integer(), nullable=True),
        sa.Column("headquarters", sa.String(length=100), nullable=True),
        sa.Column("revenue", sa.Double(), nullable=True),
        sa.Column("employees", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=100), nullable=True),
        sa.Column("tags", sa.String(length=300), nullable=True),
        sa.Column("follower_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('head', 'leader', 'zjtx', 'little_giant', 'chain_leader', 'other')",
            name=op.f("ck_target_firms_kind_known"),
        ),
        sa.ForeignKeyConstraint(
            ["chain_id"],
            ["industry_chains.id"],
            name=op.f("fk_target_firms_chain_id_industry_chains"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["follower_id"], ["users.id"], name=op.f("fk_target_firms_follower_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["link_id"], ["chain_links.id"], name=op.f("fk_target_firms_link_id_chain_links"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_target_firms")),
        sa.UniqueConstraint("name", name=op.f("uq_target_firms_name")),
    )
    with op.batch_alter_table("target_firms", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_target_firms_chain_id"), ["chain_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_target_firms_follower_id"), ["follower_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_target_firms_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_target_firms_link_id"), ["link_id"], unique=False)

    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.add_column(sa.Column("industry_link", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.drop_column("industry_link")

    with op.batch_alter_table("target_firms", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_target_firms_link_id"))
        batch_op.drop_index(batch_op.f("ix_target_firms_kind"))
        batch_op.drop_index(batch_op.f("ix_target_firms_follower_id"))
        batch_op.drop_index(batch_op.f("ix_target_firms_chain_id"))

    op.drop_table("target_firms")
    with op.batch_alter_table("enterprise_chain_tags", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_enterprise_chain_tags_uscc"))
        batch_op.drop_index(batch_op.f("ix_enterprise_chain_tags_link_id"))
        batch_op.drop_index(batch_op.f("ix_enterprise_chain_tags_chain_id"))

    op.drop_table("enterprise_chain_tags")
    with op.batch_alter_table("chain_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_chain_links_chain_id"))

    op.drop_table("chain_links")
    with op.batch_alter_table("chain_leaders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_chain_leaders_chain_id"))

    op.drop_table("chain_leaders")
    op.drop_table("industry_chains")
