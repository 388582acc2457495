"""Tables of parcels (宗地) and leases (租赁) as the 自然资源局 registers them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Date, Double, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from zonehero.clock import utcnow
from zonehero.db.base import Base, JSONValue, UTCDateTime

PARCEL_STATUSES = ("in_use", "under_construction", "idle")
"""在用 · 在建 · 闲置 (the values of :class:`zonehero.core.land.ParcelStatus`)."""


class ParcelRow(Base):
    """One parcel: number, certificate, where, how large (m², shown in 亩), its holder and its polygon."""

    __tablename__ = "land_parcels"
    __table_args__ = (
        CheckConstraint(f"status IN ({', '.join(repr(s) for s in PARCEL_STATUSES)})", name="status_known"),
        CheckConstraint("area_m2 > 0", name="area_positive"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(64), unique=True)
    certificate_no: Mapped[str | None] = mapped_column(String(100))
    location: Mapped[str | None] = mapped_column(String(300))
    area_m2: Mapped[float] = mapped_column(Double)
    use: Mapped[str | None] = mapped_column(String(100))
    holder_uscc: Mapped[str] = mapped_column(String(18), index=True)
    holder_name: Mapped[str | None] = mapped_column(String(200))
    acquired: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(24), default="in_use")
    geometry: Mapped[JSONValue | None] = mapped_column(JSON(none_as_null=True), nullable=True)
    """A GeoJSON Polygon or MultiPolygon in longitude/latitude (CGCS2000 ≈ WGS84), checked by ``geometry``."""
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LeaseRow(Base):
    """One lease of (part of) a parcel for a period; both dates inclusive, an open end runs on."""

    __tablename__ = "land_leases"
    __table_args__ = (CheckConstraint("end_date IS NULL OR end_date >= start_date", name="end_after_start"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    parcel_id: Mapped[int] = mapped_column(ForeignKey("land_parcels.id", ondelete="CASCADE"), index=True)
    lessor_uscc: Mapped[str] = mapped_column(String(18), index=True)
    lessee_uscc: Mapped[str] = mapped_column(String(18), index=True)
    area_m2: Mapped[float | None] = mapped_column(Double)
    share_percent: Mapped[float | None] = mapped_column(Double)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    contract_no: Mapped[str | None] = mapped_column(String(100))
    contract_file: Mapped[str | None] = mapped_column(String(300))
    """The contract's stored file (PDF/JPEG/PNG) under the data folder, relative; None when none was given."""
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
