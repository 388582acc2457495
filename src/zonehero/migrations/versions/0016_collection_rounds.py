"""数据归集 (department submissions): departments, collection rounds, their expectations, submissions and tokens;
the ``department`` role (部门填报员) on accounts; the submitting department on import batches.

The users table's role CHECK constraint gains ``department`` and a new CHECK ties the ``department`` column to that
role, as ``unit_name`` is tied to ``unit`` (on SQLite each step copies the table in batch mode, as in 0009). The
departments' list is seeded with the defaults of :mod:`zonehero.core.domain.departments` (the analyst edits it).

Downgrade refuses while a department account exists: the old schema has no such role.

Revision ID: 0016_collection_rounds
Revises: 0015_objection_figures
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from zonehero.core.domain.departments import default_departments
from zonehero.db.base import UTCDateTime

revision: str = "0016_collection_rounds"
down_revision: str | None = "0015_objection_figures"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OLD_ROLES = (
    "role IN ('system_admin', 'security_admin', 'audit_admin', 'analyst', 'leader', 'enterprise', "
    "'project_office', 'unit')"
)
_NEW_ROLES = (
    "role IN ('system_admin', 'security_admin', 'audit_admin', 'analyst', 'leader', 'enterprise', "
    "'project_office', 'unit', 'department')"
)
_DEPARTMENT_RULE = "(role = 'department' AND department IS NOT NULL) OR (role <> 'department' AND department IS NULL)"


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_constraint(op.f("ck_users_role_known"), type_="check")
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("department", sa.String(length=32), nullable=True))
        batch.create_check_constraint("role_known", _NEW_ROLES)
        batch.create_check_constraint("department_iff_department", _DEPARTMENT_RULE)
    with op.batch_alter_table("import_batches") as batch:
        batch.add_column(sa.Column("department", sa.String(length=32), nullable=True))
        batch.create_index(batch.f("ix_import_batches_department"), ["department"])

    departments = op.create_table(
        "collection_departments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collection_departments")),
        sa.UniqueConstraint("name", name=op.f("uq_collection_departments_name")),
    )
    op.create_table(
        "collection_rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name=op.f("fk_collection_rounds_created_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collection_rounds")),
        sa.UniqueConstraint("year", name=op.f("uq_collection_rounds_year")),
    )
    op.create_table(
        "collection_expectations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("department", sa.String(length=32), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("reminded_at", UTCDateTime(), nullable=True),
        sa.Column("reminded_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["collection_rounds.id"],
            name=op.f("fk_collection_expectations_round_id_collection_rounds"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["reminded_by"], ["users.id"], name=op.f("fk_collection_expectations_reminded_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collection_expectations")),
        sa.UniqueConstraint("round_id", "department", name=op.f("uq_collection_expectations_round_id_department")),
    )
    op.create_index(op.f("ix_collection_expectations_round_id"), "collection_expectations", ["round_id"])
    op.create_table(
        "collection_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("department", sa.String(length=32), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("token_hash", sa.String(length=255), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("last_used_at", UTCDateTime(), nullable=True),
        sa.Column("revoked_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name=op.f("fk_collection_tokens_created_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collection_tokens")),
        sa.UniqueConstraint("prefix", name=op.f("uq_collection_tokens_prefix")),
    )
    op.create_index(op.f("ix_collection_tokens_department"), "collection_tokens", ["department"])
    op.create_table(
        "collection_submissions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("expectation_id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("submitted_by", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("token_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint("channel IN ('upload', 'api')", name=op.f("ck_collection_submissions_channel_known")),
        sa.ForeignKeyConstraint(
            ["expectation_id"],
            ["collection_expectations.id"],
            name=op.f("fk_collection_submissions_expectation_id_collection_expectations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["import_batches.id"], name=op.f("fk_collection_submissions_batch_id_import_batches")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_collection_submissions_user_id_users")),
        sa.ForeignKeyConstraint(
            ["token_id"],
            ["collection_tokens.id"],
            name=op.f("fk_collection_submissions_token_id_collection_tokens"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collection_submissions")),
        sa.UniqueConstraint("batch_id", name=op.f("uq_collection_submissions_batch_id")),
    )
    op.create_index(op.f("ix_collection_submissions_expectation_id"), "collection_submissions", ["expectation_id"])
    now = datetime.now(UTC)
    op.bulk_insert(
        departments,
        [
            {"name": d.name, "fields": list(d.fields), "position": i, "active": True, "updated_at": now}
            for i, d in enumerate(default_departments())
        ],
    )


def downgrade() -> None:
    bind = op.get_bind()
    names = list(
        bind.execute(sa.text("SELECT username FROM users WHERE role = 'department' ORDER BY username")).scalars()
    )
    if names:
        raise RuntimeError(
            "降级前请先删除部门填报员账户 / delete the department accounts before downgrading: " + ", ".join(names)
        )
    op.drop_index(op.f("ix_collection_submissions_expectation_id"), table_name="collection_submissions")
    op.drop_table("collection_submissions")
    op.drop_index(op.f("ix_collection_tokens_department"), table_name="collection_tokens")
    op.drop_table("collection_tokens")
    op.drop_index(op.f("ix_collection_expectations_round_id"), table_name="collection_expectations")
    op.drop_table("collection_expectations")
    op.drop_table("collection_rounds")
    op.drop_table("collection_departments")
    with op.batch_alter_table("import_batches") as batch:
        batch.drop_index(batch.f("ix_import_batches_department"))
        batch.drop_column("department")
    with op.batch_alter_table("users") as batch:
        batch.drop_constraint(op.f("ck_users_department_iff_department"), type_="check")
        batch.drop_constraint(op.f("ck_users_role_known"), type_="check")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("department")
        batch.create_check_constraint("role_known", _OLD_ROLES)
