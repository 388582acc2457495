"""Land-area 公示 (用地面积公示): a land notice per year, objections on it, and corrections of parcels and leases.

``land_notices`` keeps each published year's derived land (every enterprise's 用地面积 with its parcels, leases and
sum) frozen as JSON, with the notice period. An objection's subject is now a run's result (``run_id``) or a land
notice (``land_notice_id``), exactly one of them, so the analyst's objection queue, to-do entries and audit stay
one; ``land_items`` names the parcels or leases an objection on the land says are wrong. ``land_corrections`` is
the lineage of an accepted objection's change to a parcel or lease record (before/after, who, when).

Revision ID: 0023_land_notice
Revises: 0022_lead_activity_files
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023_land_notice"
down_revision: str | None = "0022_lead_activity_files"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "land_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("notice_start", sa.Date(), nullable=False),
        sa.Column("notice_end", sa.Date(), nullable=False),
        sa.Column("scheme_version_id", sa.Integer(), nullable=False),
        sa.Column("derivation", sa.JSON(none_as_null=True), nullable=False),
        sa.Column("enterprise_count", sa.Integer(), nullable=False),
        sa.Column("published_by", sa.Integer(), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_by", sa.Integer(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("status IN ('notice', 'closed')", name=op.f("ck_land_notices_status_known")),
        sa.CheckConstraint("notice_end >= notice_start", name=op.f("ck_land_notices_end_after_start")),
        sa.ForeignKeyConstraint(
            ["scheme_version_id"],
            ["scheme_versions.id"],
            name=op.f("fk_land_notices_scheme_version_id_scheme_versions"),
        ),
        sa.ForeignKeyConstraint(["published_by"], ["users.id"], name=op.f("fk_land_notices_published_by_users")),
        sa.ForeignKeyConstraint(["closed_by"], ["users.id"], name=op.f("fk_land_notices_closed_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_land_notices")),
    )
    op.create_index(op.f("ix_land_notices_year"), "land_notices", ["year"], unique=False)
    with op.batch_alter_table("objections") as batch:
        batch.alter_column("run_id", existing_type=sa.Integer(), nullable=True)
        batch.add_column(sa.Column("land_notice_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("land_items", sa.JSON(none_as_null=True), nullable=True))
        batch.create_foreign_key(
            op.f("fk_objections_land_notice_id_land_notices"), "land_notices", ["land_notice_id"], ["id"]
        )
        batch.create_check_constraint(op.f("ck_objections_one_subject"), "(run_id IS NULL) <> (land_notice_id IS NULL)")
        batch.create_index(op.f("ix_objections_land_notice_id"), ["land_notice_id"], unique=False)
    op.create_table(
        "land_corrections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("objection_id", sa.Integer(), nullable=False),
        sa.Column("what", sa.String(length=16), nullable=False),
        sa.Column("parcel_no", sa.String(length=64), nullable=False),
        sa.Column("lease_id", sa.Integer(), nullable=True),
        sa.Column("field", sa.String(length=32), nullable=False),
        sa.Column("before", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("after", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("corrected_by", sa.Integer(), nullable=True),
        sa.Column("corrected_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("what IN ('parcel', 'lease')", name=op.f("ck_land_corrections_what_known")),
        sa.ForeignKeyConstraint(
            ["objection_id"], ["objections.id"], name=op.f("fk_land_corrections_objection_id_objections")
        ),
        sa.ForeignKeyConstraint(
            ["lease_id"],
            ["land_leases.id"],
            name=op.f("fk_land_corrections_lease_id_land_leases"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(["corrected_by"], ["users.id"], name=op.f("fk_land_corrections_corrected_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_land_corrections")),
    )
    op.create_index(op.f("ix_land_corrections_parcel_no"), "land_corrections", ["parcel_no"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_land_corrections_parcel_no"), table_name="land_corrections")
    op.drop_table("land_corrections")
    op.execute("DELETE FROM objection_files WHERE objection_id IN (SELECT id FROM objections WHERE run_id IS NULL)")
    op.execute("DELETE FROM objections WHERE run_id IS NULL")
    with op.batch_alter_table("objections") as batch:
        batch.drop_index(op.f("ix_objections_land_notice_id"))
        batch.drop_constraint(op.f("ck_objections_one_subject"), type_="check")
        batch.drop_constraint(op.f("fk_objections_land_notice_id_land_notices"), type_="foreignkey")
        batch.drop_column("land_items")
        batch.drop_column("land_notice_id")
        batch.alter_column("run_id", existing_type=sa.Integer(), nullable=False)
    op.drop_index(op.f("ix_land_notices_year"), table_name="land_notices")
    op.drop_table("land_notices")
