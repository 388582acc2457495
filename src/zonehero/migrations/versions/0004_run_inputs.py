"""Run inputs: the canonical input frame and D-streak history kept with every evaluation run.

A run must be reproducible years later, after its year's figures were
corrected (异议) or re-imported; the stored figures alone cannot give that.
Immutable once the run leaves draft, by the same kind of triggers as
``run_results`` (migration 0001).

Revision ID: 0004_run_inputs
Revises: 0003_projects
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_run_inputs"
down_revision: str | None = "0003_projects"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_MESSAGE = "evaluation run is published and immutable"


def _sqlite_triggers() -> list[str]:
    return [
        f"CREATE TRIGGER trg_run_inputs_immutable_{op_name.lower()} BEFORE {op_name} ON run_inputs "
        f"WHEN (SELECT status FROM evaluation_runs WHERE id = {row}.run_id) <> 'draft' "
        f"BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END"
        for op_name, row in (("INSERT", "NEW"), ("UPDATE", "OLD"), ("DELETE", "OLD"))
    ]


def _postgresql_triggers() -> list[str]:
    return [
        """
        CREATE FUNCTION zonehero_run_inputs_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            target_run integer;
            run_status text;
        BEGIN
            IF TG_OP = 'INSERT' THEN target_run := NEW.run_id; ELSE target_run := OLD.run_id; END IF;
            SELECT status INTO run_status FROM evaluation_runs WHERE id = target_run;
            IF run_status <> 'draft' THEN
                RAISE EXCEPTION 'evaluation run % is published and immutable', target_run;
            END IF;
            IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
            RETURN NEW;
        END $$
        """,
        "CREATE TRIGGER trg_run_inputs_immutable BEFORE INSERT OR UPDATE OR DELETE ON run_inputs "
        "FOR EACH ROW EXECUTE FUNCTION zonehero_run_inputs_immutable()",
    ]


def upgrade() -> None:
    op.create_table(
        "run_inputs",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("frame", sa.LargeBinary(), nullable=False),
        sa.Column("history", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["evaluation_runs.id"], name=op.f("fk_run_inputs_run_id_evaluation_runs"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("run_id", name=op.f("pk_run_inputs")),
    )
    dialect = op.get_bind().dialect.name
    for statement in _postgresql_triggers() if dialect == "postgresql" else _sqlite_triggers():
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS trg_run_inputs_immutable ON run_inputs")
        op.execute("DROP FUNCTION IF EXISTS zonehero_run_inputs_immutable()")
    else:
        for o in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS trg_run_inputs_immutable_{o}")
    op.drop_table("run_inputs")
