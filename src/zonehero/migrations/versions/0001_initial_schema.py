"""Initial schema: enterprises, figures with lineage, imports, schemes, runs, users, audit log, objections.

Also installs the triggers that make a published evaluation run and its results immutable.

Revision ID: 0001
Revises:
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# A run that left draft is immutable (spec §8). The services refuse it and the
# ORM refuses it; these triggers refuse it for any SQL that reaches the database.
_RUN_FROZEN_COLUMNS = (
    "year",
    "scheme_version_id",
    "scheme_text",
    "scheme_digest",
    "input_hash",
    "benchmarks",
    "counts",
    "warnings",
    "result_count",
    "notice_start",
    "notice_end",
    "created_at",
    "published_at",
)

# Superseding is set once, and a superseded run never becomes final.
_SQLITE_SUPERSEDE_RULE = (
    "(OLD.superseded_by_id IS NULL OR NEW.superseded_by_id IS OLD.superseded_by_id) "
    "AND NOT (NEW.status = 'final' AND NEW.superseded_by_id IS NOT NULL)"
)
_POSTGRESQL_SUPERSEDE_RULE = (
    "(OLD.superseded_by_id IS NULL OR NEW.superseded_by_id IS NOT DISTINCT FROM OLD.superseded_by_id) "
    "AND NOT (NEW.status = 'final' AND NEW.superseded_by_id IS NOT NULL)"
)


def _sqlite_triggers() -> list[str]:
    same = " AND ".join(f"NEW.{c} IS OLD.{c}" for c in _RUN_FROZEN_COLUMNS) + f" AND {_SQLITE_SUPERSEDE_RULE}"
    statements = [
        "CREATE TRIGGER trg_evaluation_runs_immutable BEFORE UPDATE ON evaluation_runs "
        f"WHEN OLD.status <> 'draft' AND NOT (OLD.status = 'notice' AND NEW.status IN ('notice', 'final') AND {same}) "
        "BEGIN SELECT RAISE(ABORT, 'evaluation run is published and immutable'); END",
        "CREATE TRIGGER trg_evaluation_runs_no_delete BEFORE DELETE ON evaluation_runs "
        "WHEN OLD.status <> 'draft' "
        "BEGIN SELECT RAISE(ABORT, 'evaluation run is published and immutable'); END",
    ]
    for op_name, row in (("INSERT", "NEW"), ("UPDATE", "OLD"), ("DELETE", "OLD")):
        statements.append(
            f"CREATE TRIGGER trg_run_results_immutable_{op_name.lower()} BEFORE {op_name} ON run_results "
            f"WHEN (SELECT status FROM evaluation_runs WHERE id = {row}.run_id) <> 'draft' "
            "BEGIN SELECT RAISE(ABORT, 'evaluation run is published and immutable'); END"
        )
    return statements


def _postgresql_triggers() -> list[str]:
    same = " AND ".join(f"NEW.{c}::text IS NOT DISTINCT FROM OLD.{c}::text" for c in _RUN_FROZEN_COLUMNS)
    same += f" AND {_POSTGRESQL_SUPERSEDE_RULE}"
    return [
        f"""
        CREATE FUNCTION zonehero_evaluation_runs_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'DELETE' THEN
                IF OLD.status <> 'draft' THEN
                    RAISE EXCEPTION 'evaluation run % is published and immutable', OLD.id;
                END IF;
                RETURN OLD;
            END IF;
            IF OLD.status <> 'draft'
               AND NOT (OLD.status = 'notice' AND NEW.status IN ('notice', 'final') AND {same}) THEN
                RAISE EXCEPTION 'evaluation run % is published and immutable', OLD.id;
            END IF;
            RETURN NEW;
        END $$
        """,
        "CREATE TRIGGER trg_evaluation_runs_immutable BEFORE UPDATE OR DELETE ON evaluation_runs "
        "FOR EACH ROW EXECUTE FUNCTION zonehero_evaluation_runs_immutable()",
        """
        CREATE FUNCTION zonehero_run_results_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
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
        "CREATE TRIGGER trg_run_results_immutable BEFORE INSERT OR UPDATE OR DELETE ON run_results "
        "FOR EACH ROW EXECUTE FUNCTION zonehero_run_results_immutable()",
    ]


def _drop_triggers() -> list[str]:
    if op.get_bind().dialect.name == "postgresql":
        return [
            "DROP TRIGGER IF EXISTS trg_run_results_immutable ON run_results",
            "DROP FUNCTION IF EXISTS zonehero_run_results_immutable()",
            "DROP TRIGGER IF EXISTS trg_evaluation_runs_immutable ON evaluation_runs",
            "DROP FUNCTION IF EXISTS zonehero_evaluation_runs_immutable()",
        ]
    return [
        "DROP TRIGGER IF EXISTS trg_evaluation_runs_immutable",
        "DROP TRIGGER IF EXISTS trg_evaluation_runs_no_delete",
        *(f"DROP TRIGGER IF EXISTS trg_run_results_immutable_{o}" for o in ("insert", "update", "delete")),
    ]


def _create_triggers() -> None:
    dialect = op.get_bind().dialect.name
    statements = _postgresql_triggers() if dialect == "postgresql" else _sqlite_triggers()
    for statement in statements:
        op.execute(statement)


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_name", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("entity", sa.String(length=64), nullable=False),
        sa.Column("entity_id", sa.String(length=64), nullable=True),
        sa.Column("before", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("after", sa.JSON(none_as_null=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index(op.f("ix_audit_log_action"), "audit_log", ["action"], unique=False)
    op.create_index(op.f("ix_audit_log_at"), "audit_log", ["at"], unique=False)
    op.create_index("ix_audit_log_entity", "audit_log", ["entity", "entity_id"], unique=False)
    op.create_table(
        "enterprises",
        sa.Column("uscc", sa.String(length=18), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("industry_code", sa.String(length=8), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("uscc", name=op.f("pk_enterprises")),
    )
    op.create_index(op.f("ix_enterprises_industry_code"), "enterprises", ["industry_code"], unique=False)
    op.create_index(op.f("ix_enterprises_name"), "enterprises", ["name"], unique=False)
    op.create_table(
        "schemes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schemes")),
        sa.UniqueConstraint("name", name=op.f("uq_schemes_name")),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("enterprise_uscc", sa.String(length=18), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(role = 'enterprise' AND enterprise_uscc IS NOT NULL) "
            "OR (role <> 'enterprise' AND enterprise_uscc IS NULL)",
            name=op.f("ck_users_enterprise_uscc_iff_enterprise"),
        ),
        sa.CheckConstraint("role IN ('admin', 'analyst', 'leader', 'enterprise')", name=op.f("ck_users_role_known")),
        sa.CheckConstraint("failed_logins >= 0", name=op.f("ck_users_failed_logins_nonnegative")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    op.create_index(op.f("ix_users_enterprise_uscc"), "users", ["enterprise_uscc"], unique=False)
    op.create_table(
        "import_batches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("folder", sa.String(length=64), nullable=False),
        sa.Column("files", sa.JSON(), nullable=False),
        sa.Column("priority", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("report", sa.JSON(), nullable=False),
        sa.Column("conflicts", sa.JSON(), nullable=False),
        sa.Column("enterprise_count", sa.Integer(), nullable=False),
        sa.Column("figure_count", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('preview', 'invalid', 'confirmed', 'discarded')", name=op.f("ck_import_batches_status_known")
        ),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name=op.f("fk_import_batches_created_by_users")),
        sa.ForeignKeyConstraint(["decided_by"], ["users.id"], name=op.f("fk_import_batches_decided_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_batches")),
        sa.UniqueConstraint("folder", name=op.f("uq_import_batches_folder")),
    )
    op.create_index(op.f("ix_import_batches_year"), "import_batches", ["year"], unique=False)
    op.create_table(
        "scheme_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scheme_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name=op.f("fk_scheme_versions_created_by_users")),
        sa.ForeignKeyConstraint(["scheme_id"], ["schemes.id"], name=op.f("fk_scheme_versions_scheme_id_schemes")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scheme_versions")),
        sa.UniqueConstraint("scheme_id", "version", name=op.f("uq_scheme_versions_scheme_id_version")),
    )
    op.create_table(
        "enterprise_names",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uscc", sa.String(length=18), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("first_seen_year", sa.Integer(), nullable=False),
        sa.Column("first_seen_batch_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["first_seen_batch_id"],
            ["import_batches.id"],
            name=op.f("fk_enterprise_names_first_seen_batch_id_import_batches"),
        ),
        sa.ForeignKeyConstraint(
            ["uscc"], ["enterprises.uscc"], name=op.f("fk_enterprise_names_uscc_enterprises"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enterprise_names")),
        sa.UniqueConstraint("uscc", "name", name=op.f("uq_enterprise_names_uscc_name")),
    )
    op.create_table(
        "evaluation_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("scheme_version_id", sa.Integer(), nullable=False),
        sa.Column("scheme_text", sa.Text(), nullable=False),
        sa.Column("scheme_digest", sa.String(length=64), nullable=False),
        sa.Column("input_hash", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("benchmarks", sa.JSON(), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("warnings", sa.JSON(), nullable=False),
        sa.Column("result_count", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("source_run_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("notice_start", sa.Date(), nullable=True),
        sa.Column("notice_end", sa.Date(), nullable=True),
        sa.Column("published_by", sa.Integer(), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finalized_by", sa.Integer(), nullable=True),
        sa.Column("finalized_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("superseded_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "status <> 'final' OR finalized_at IS NOT NULL", name=op.f("ck_evaluation_runs_final_has_time")
        ),
        sa.CheckConstraint(
            "status = 'draft' OR (notice_start IS NOT NULL AND notice_end IS NOT NULL)",
            name=op.f("ck_evaluation_runs_notice_dates_set"),
        ),
        sa.CheckConstraint("status IN ('draft', 'notice', 'final')", name=op.f("ck_evaluation_runs_status_known")),
        sa.CheckConstraint(
            "notice_end IS NULL OR notice_end >= notice_start", name=op.f("ck_evaluation_runs_notice_end_after_start")
        ),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name=op.f("fk_evaluation_runs_created_by_users")),
        sa.ForeignKeyConstraint(["finalized_by"], ["users.id"], name=op.f("fk_evaluation_runs_finalized_by_users")),
        sa.ForeignKeyConstraint(["published_by"], ["users.id"], name=op.f("fk_evaluation_runs_published_by_users")),
        sa.ForeignKeyConstraint(
            ["scheme_version_id"],
            ["scheme_versions.id"],
            name=op.f("fk_evaluation_runs_scheme_version_id_scheme_versions"),
        ),
        sa.ForeignKeyConstraint(
            ["superseded_by_id"],
            ["evaluation_runs.id"],
            name=op.f("fk_evaluation_runs_superseded_by_id_evaluation_runs"),
        ),
        sa.ForeignKeyConstraint(
            ["source_run_id"], ["evaluation_runs.id"], name=op.f("fk_evaluation_runs_source_run_id_evaluation_runs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_runs")),
    )
    op.create_index(op.f("ix_evaluation_runs_year"), "evaluation_runs", ["year"], unique=False)
    op.create_table(
        "objections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("uscc", sa.String(length=18), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("filed_by", sa.Integer(), nullable=True),
        sa.Column("filed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("answered_by", sa.Integer(), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("new_run_id", sa.Integer(), nullable=True),
        sa.Column("figure_changes", sa.JSON(none_as_null=True), nullable=True),
        sa.CheckConstraint("status = 'open' OR answer IS NOT NULL", name=op.f("ck_objections_answered_has_answer")),
        sa.CheckConstraint("status IN ('open', 'accepted', 'rejected')", name=op.f("ck_objections_status_known")),
        sa.ForeignKeyConstraint(["answered_by"], ["users.id"], name=op.f("fk_objections_answered_by_users")),
        sa.ForeignKeyConstraint(["filed_by"], ["users.id"], name=op.f("fk_objections_filed_by_users")),
        sa.ForeignKeyConstraint(
            ["new_run_id"], ["evaluation_runs.id"], name=op.f("fk_objections_new_run_id_evaluation_runs")
        ),
        sa.ForeignKeyConstraint(["run_id"], ["evaluation_runs.id"], name=op.f("fk_objections_run_id_evaluation_runs")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_objections")),
    )
    op.create_index("ix_objections_run_id_status", "objections", ["run_id", "status"], unique=False)
    op.create_index(op.f("ix_objections_uscc"), "objections", ["uscc"], unique=False)
    op.create_table(
        "run_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("uscc", sa.String(length=18), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("industry_code", sa.String(length=8), nullable=True),
        sa.Column("group", sa.String(length=16), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("total_score", sa.Double(), nullable=True),
        sa.Column("rank", sa.Integer(), nullable=True),
        sa.Column("class", sa.String(length=1), nullable=True),
        sa.Column("carbon_grade", sa.Integer(), nullable=True),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["evaluation_runs.id"], name=op.f("fk_run_results_run_id_evaluation_runs"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_run_results")),
        sa.UniqueConstraint("run_id", "uscc", name=op.f("uq_run_results_run_id_uscc")),
    )
    op.create_index("ix_run_results_run_id_class", "run_results", ["run_id", "class"], unique=False)
    op.create_index("ix_run_results_uscc", "run_results", ["uscc"], unique=False)
    op.create_table(
        "figures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uscc", sa.String(length=18), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=64), nullable=False),
        sa.Column("value_num", sa.Double(), nullable=True),
        sa.Column("value_text", sa.Text(), nullable=True),
        sa.Column("department", sa.String(length=64), nullable=True),
        sa.Column("file", sa.String(length=255), nullable=True),
        sa.Column("sheet", sa.String(length=255), nullable=True),
        sa.Column("row", sa.Integer(), nullable=True),
        sa.Column("column", sa.String(length=255), nullable=True),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("objection_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["batch_id"], ["import_batches.id"], name=op.f("fk_figures_batch_id_import_batches")),
        sa.ForeignKeyConstraint(["objection_id"], ["objections.id"], name=op.f("fk_figures_objection_id_objections")),
        sa.ForeignKeyConstraint(
            ["uscc"], ["enterprises.uscc"], name=op.f("fk_figures_uscc_enterprises"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_figures")),
        sa.UniqueConstraint("year", "uscc", "field", name=op.f("uq_figures_year_uscc_field")),
    )
    op.create_index(op.f("ix_figures_batch_id"), "figures", ["batch_id"], unique=False)
    op.create_index("ix_figures_uscc_year", "figures", ["uscc", "year"], unique=False)
    op.create_table(
        "objection_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("objection_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("stored", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["objection_id"],
            ["objections.id"],
            name=op.f("fk_objection_files_objection_id_objections"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_objection_files")),
    )
    op.create_index(op.f("ix_objection_files_objection_id"), "objection_files", ["objection_id"], unique=False)

    _create_triggers()


def downgrade() -> None:
    for statement in _drop_triggers():
        op.execute(statement)
    op.drop_index(op.f("ix_objection_files_objection_id"), table_name="objection_files")
    op.drop_table("objection_files")
    op.drop_index("ix_figures_uscc_year", table_name="figures")
    op.drop_index(op.f("ix_figures_batch_id"), table_name="figures")
    op.drop_table("figures")
    op.drop_index("ix_run_results_uscc", table_name="run_results")
    op.drop_index("ix_run_results_run_id_class", table_name="run_results")
    op.drop_table("run_results")
    op.drop_index(op.f("ix_objections_uscc"), table_name="objections")
    op.drop_index("ix_objections_run_id_status", table_name="objections")
    op.drop_table("objections")
    op.drop_index(op.f("ix_evaluation_runs_year"), table_name="evaluation_runs")
    op.drop_table("evaluation_runs")
    op.drop_table("enterprise_names")
    op.drop_table("scheme_versions")
    op.drop_index(op.f("ix_import_batches_year"), table_name="import_batches")
    op.drop_table("import_batches")
    op.drop_index(op.f("ix_users_enterprise_uscc"), table_name="users")
    op.drop_table("users")
    op.drop_table("schemes")
    op.drop_index(op.f("ix_enterprises_name"), table_name="enterprises")
    op.drop_index(op.f("ix_enterprises_industry_code"), table_name="enterprises")
    op.drop_table("enterprises")
    op.drop_index("ix_audit_log_entity", table_name="audit_log")
    op.drop_index(op.f("ix_audit_log_at"), table_name="audit_log")
    op.drop_index(op.f("ix_audit_log_action"), table_name="audit_log")
    op.drop_table("audit_log")
