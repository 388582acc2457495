"""三员分立: the system, security and audit administrators replace the one ``admin`` role.

Every ``admin`` account becomes a system administrator (``system_admin``, 系统管理员): it keeps managing accounts
and the zone's settings, and loses the business data and the audit log (the README says how to go on). The
users table's role CHECK constraint lists the new roles; the operator's role (the command line) is never stored.

The role is rewritten between dropping the old constraint and adding the new one, as neither allows both
spellings; on SQLite each step copies the table (batch mode), which the migration environment allows with
foreign keys to ``users`` in other tables (see :mod:`zonehero.migrations.env`).

Downgrade turns the system administrators back into ``admin`` and refuses while a security or audit
administrator exists: the old schema has no such role, and making them ``admin`` would hand them everything.

Revision ID: 0009_three_admins
Revises: 0008_audit_chain
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_three_admins"
down_revision: str | None = "0008_audit_chain"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OLD_ROLES = "role IN ('admin', 'analyst', 'leader', 'enterprise', 'project_office', 'unit')"
_NEW_ROLES = (
    "role IN ('system_admin', 'security_admin', 'audit_admin', 'analyst', 'leader', 'enterprise', "
    "'project_office', 'unit')"
)


def _replace_role_check(rule: str) -> None:
    with op.batch_alter_table("users") as batch:
        batch.create_check_constraint("role_known", rule)


def _drop_role_check() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_constraint(op.f("ck_users_role_known"), type_="check")


def upgrade() -> None:
    _drop_role_check()
    op.execute("UPDATE users SET role = 'system_admin' WHERE role = 'admin'")
    _replace_role_check(_NEW_ROLES)


def downgrade() -> None:
    bind = op.get_bind()
    kept = bind.execute(
        sa.text("SELECT username FROM users WHERE role IN ('security_admin', 'audit_admin') ORDER BY username")
    ).scalars()
    names = list(kept)
    if names:
        raise RuntimeError(
            "降级前请先把安全管理员和审计管理员账户改为其他角色或删除 / change the role of the security and audit "
            f"administrators before downgrading: {', '.join(names)}"
        )
    _drop_role_check()
    op.execute("UPDATE users SET role = 'admin' WHERE role = 'system_admin'")
    _replace_role_check(_OLD_ROLES)
