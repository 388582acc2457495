"""三员分立: the system, security and audit administrators replace the one ``admin`` role.

Revision ID: 0009_three_admins
Revises: 0008_audit_chain
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

revision: str = "0009_three_admins"
down_revision: str | None = "0008_audit_chain"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Nothing yet: the roles' schema change lands with the 三员分立 work."""


def downgrade() -> None:
    """Nothing to undo yet."""
