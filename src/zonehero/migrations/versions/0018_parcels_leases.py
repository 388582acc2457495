"""Parcels and leases (宗地与租赁) in the store, and the land derivation kept with each run.

``land_parcels`` and ``land_leases`` hold the 自然资源局 registers (and each parcel's polygon for the zone map).
``run_inputs.land`` keeps the land derivation a run used (which parcels, which leases, the sum per enterprise, and
which enterprises kept the given 用地面积), so a published run's pages and notices never read the current
parcels; it is covered by the run_inputs immutability triggers of migration 0004 like the other columns. Runs
kept before this migration have NULL: their land was the given figure.

Revision ID: 0018_parcels_leases
Revises: 0017_enterprise_confirmation
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018_parcels_leases"
down_revision: str | None = "0017_enterprise_confirmation"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "land_parcels",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("certificate_no", sa.String(length=100), nullable=True),
        sa.Column("location", sa.String(length=300), nullable=True),
        sa.Column("area_m2", sa.Double(), nullable=False),
        sa.Column("use", sa.String(length=100), nullable=True),
        sa.Column("holder_uscc", sa.String(length=18), nullable=False),
        sa.Column("holder_name", sa.String(length=200), nullable=True),
        sa.Column("acquired", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("geometry", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('in_use', 'under_construction', 'idle')", name=op.f("ck_land_parcels_status_known")
        ),
        sa.CheckConstraint("area_m2 > 0", name=op.f("ck_land_parcels_area_positive")),
        sa.ForeignKeyConstraint(["updated_by"], ["users.id"], name=op.f("fk_land_parcels_updated_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_land_parcels")),
        sa.UniqueConstraint("number", name=op.f("uq_land_parcels_number")),
    )
    op.create_index(op.f("ix_land_parcels_holder_uscc"), "land_parcels", ["holder_uscc"], unique=False)
    op.create_table(
        "land_leases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("parcel_id", sa.Integer(), nullable=False),
        sa.Column("lessor_uscc", sa.String(length=18), nullable=False),
        sa.Column("lessee_uscc", sa.String(length=18), nullable=False),
        sa.Column("area_m2", sa.Double(), nullable=True),
        sa.Column("share_percent", sa.Double(), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("contract_no", sa.String(length=100), nullable=True),
        sa.Column("contract_file", sa.String(length=300), nullable=True),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("end_date IS NULL OR end_date >= start_date", name=op.f("ck_land_leases_end_after_start")),
        sa.ForeignKeyConstraint(
            ["parcel_id"], ["land_parcels.id"], name=op.f("fk_land_leases_parcel_id_land_parcels"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["updated_by"], ["users.id"], name=op.f("fk_land_leases_updated_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_land_leases")),
    )
    op.create_index(op.f("ix_land_leases_parcel_id"), "land_leases", ["parcel_id"], unique=False)
    op.create_index(op.f("ix_land_leases_lessor_uscc"), "land_leases", ["lessor_uscc"], unique=False)
    op.create_index(op.f("ix_land_leases_lessee_uscc"), "land_leases", ["lessee_uscc"], unique=False)
    with op.batch_alter_table("run_inputs", recreate="never") as batch:
        batch.add_column(sa.Column("land", sa.JSON(none_as_null=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("run_inputs", recreate="never") as batch:
        batch.drop_column("land")
    op.drop_index(op.f("ix_land_leases_lessee_uscc"), table_name="land_leases")
    op.drop_index(op.f("ix_land_leases_lessor_uscc"), table_name="land_leases")
    op.drop_index(op.f("ix_land_leases_parcel_id"), table_name="land_leases")
    op.drop_table("land_leases")
    op.drop_index(op.f("ix_land_parcels_holder_uscc"), table_name="land_parcels")
    op.drop_table("land_parcels")
