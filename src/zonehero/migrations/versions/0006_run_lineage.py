"""Run lineage: where each figure a run used came from, kept with the run.

A published run's documents must name the department file of each figure as the run used it; after an objection
is accepted into a new draft, the enterprise's current figure names the objection instead. Runs kept before this
migration have no lineage (NULL) and fall back to the stored figures not written since the run was made.

Revision ID: 0006_run_lineage
Revises: 0005_zone_profile
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_run_lineage"
down_revision: str | None = "0005_zone_profile"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("run_inputs", recreate="never") as batch:
        batch.add_column(sa.Column("lineage", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("run_inputs", recreate="never") as batch:
        batch.drop_column("lineage")
