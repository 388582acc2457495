"""Objections that point at a figure: the disputed figures with the value the run used and the value proposed.

An objection filed before this migration is free text only; its ``disputed`` stays NULL and it is answered as
before (the analyst picks the figures to correct).

Revision ID: 0015_objection_figures
Revises: 0014_run_lifts
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015_objection_figures"
down_revision: str | None = "0014_run_lifts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("objections", recreate="never") as batch:
        batch.add_column(sa.Column("disputed", sa.JSON(none_as_null=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("objections", recreate="never") as batch:
        batch.drop_column("disputed")
