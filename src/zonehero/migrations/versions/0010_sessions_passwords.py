"""Server-side sessions (会话) and the password policy's memory (password history, temporary passwords).

Revision ID: 0010_sessions_passwords
Revises: 0009_three_admins
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

revision: str = "0010_sessions_passwords"
down_revision: str | None = "0009_three_admins"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Nothing yet: the tables land with the sessions and passwords work."""


def downgrade() -> None:
    """Nothing to undo yet."""
