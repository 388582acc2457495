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


LAND_NOTICE_STATUSES = ("notice", "closed")
"""公示中 · 已结束."""


class LandNoticeRow(Base):
    """A year's land-area 公示 (用地面积公示): derived 用地面积 frozen as published, and the period."""

    __tablename__ = "land_notices"
    __table_args__ = (
        CheckConstraint(f"status IN ({', '.join(repr(s) for s in LAND_NOTICE_STATUSES)})", name="status_known"),
        CheckConstraint("notice_end >= notice_start", name="end_after_start"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    status: Mapped[str] = mapped_column(String(16), default="notice")
    notice_start: Mapped[date] = mapped_column(Date)
    notice_end: Mapped[date] = mapped_column(Date)
    scheme_version_id: Mapped[int] = mapped_column(ForeignKey("scheme_versions.id"))
    """The scheme version whose ``[land]`` rules derived the published areas."""
    derivation: Mapped[JSONValue] = mapped_column(JSON(none_as_null=True))
    """What enterprises saw: {year, rules, enterprises: {uscc: record}, given: [uscc], names: {uscc: name}}."""
    enterprise_count: Mapped[int] = mapped_column(Integer)
    published_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class LandCorrectionRow(Base):
    """One field of a parcel or lease changed by an accepted objection on a land notice: the lineage
    「用地公示异议 #id」 with before/after, who and when (kept when a later import replaces the record)."""

    __tablename__ = "land_corrections"
    __table_args__ = (CheckConstraint("what IN ('parcel', 'lease')", name="what_known"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    objection_id: Mapped[int] = mapped_column(ForeignKey("objections.id"))
    what: Mapped[str] = mapped_column(String(16))
    parcel_no: Mapped[str] = mapped_column(String(64), index=True)
    lease_id: Mapped[int | None] = mapped_column(ForeignKey("land_leases.id", ondelete="SET NULL"))
    field: Mapped[str] = mapped_column(String(32))
    before: Mapped[JSONValue] = mapped_column(JSON(none_as_null=True), nullable=True)
    after: Mapped[JSONValue] = mapped_column(JSON(none_as_null=True), nullable=True)
    corrected_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    corrected_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
