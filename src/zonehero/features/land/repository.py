"""Queries of parcels and leases (only :mod:`zonehero.features.land.service` imports this)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, defer

from zonehero.features.land.models import LandCorrectionRow, LandNoticeRow, LeaseRow, ParcelRow


def parcels(session: Session) -> Sequence[ParcelRow]:
    """Every parcel by number."""
    return session.scalars(select(ParcelRow).order_by(ParcelRow.number)).all()


def leases(session: Session) -> Sequence[tuple[LeaseRow, str]]:
    """Every lease with its parcel's number, by parcel and start."""
    stmt = (
        select(LeaseRow, ParcelRow.number)
        .join(ParcelRow, ParcelRow.id == LeaseRow.parcel_id)
        .order_by(ParcelRow.number, LeaseRow.start_date, LeaseRow.id)
    )
    return [(row, number) for row, number in session.execute(stmt).all()]


def lease(session: Session, lease_id: int) -> LeaseRow | None:
    return session.get(LeaseRow, lease_id)


def parcel_count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(ParcelRow)) or 0)


def mapped_count(session: Session) -> int:
    """Parcels with a polygon (the map has something to draw)."""
    return int(session.scalar(select(func.count()).select_from(ParcelRow).where(ParcelRow.geometry.is_not(None))) or 0)


def add(session: Session, row: ParcelRow | LeaseRow) -> None:
    session.add(row)
    session.flush()


def delete_lease(session: Session, row: LeaseRow) -> None:
    session.delete(row)
    session.flush()


def delete_parcel(session: Session, row: ParcelRow) -> None:
    session.execute(delete(LeaseRow).where(LeaseRow.parcel_id == row.id))
    session.delete(row)
    session.flush()


def parcel_by_number(session: Session, number: str) -> ParcelRow | None:
    return session.scalar(select(ParcelRow).where(ParcelRow.number == number))


def parcel_number(session: Session, parcel_id: int) -> str | None:
    return session.scalar(select(ParcelRow.number).where(ParcelRow.id == parcel_id))


def notice(session: Session, notice_id: int, *, for_update: bool = False) -> LandNoticeRow | None:
    stmt = select(LandNoticeRow).where(LandNoticeRow.id == notice_id)
    if for_update:
        stmt = stmt.with_for_update()
    return session.scalar(stmt)


def notices(session: Session, *, year: int | None = None, status: str | None = None) -> Sequence[LandNoticeRow]:
    """Land notices newest first (optionally of one year, or in one status), without their frozen derivation: a
    province's is tens of megabytes of JSON, which a list, a gate or a to-do entry has no use for."""
    stmt = select(LandNoticeRow).options(defer(LandNoticeRow.derivation, raiseload=True))
    if year is not None:
        stmt = stmt.where(LandNoticeRow.year == year)
    if status is not None:
        stmt = stmt.where(LandNoticeRow.status == status)
    return session.scalars(stmt.order_by(LandNoticeRow.id.desc())).all()


def notices_by_id(session: Session, notice_id: int) -> Sequence[LandNoticeRow]:
    """The notice of that id without its derivation (empty when there is none)."""
    stmt = select(LandNoticeRow).options(defer(LandNoticeRow.derivation, raiseload=True))
    return session.scalars(stmt.where(LandNoticeRow.id == notice_id)).all()


def notice_part(session: Session, notice_id: int, uscc: str) -> tuple[Any, Any, Any, Any] | None:
    """(record, name, year, rules) of one enterprise in a land notice's frozen derivation, read in the database by
    JSON path; None when there is no such notice. The name is present for every enterprise the notice lists."""
    d = LandNoticeRow.derivation
    found = session.execute(
        select(d[("enterprises", uscc)], d[("names", uscc)], d["year"], d["rules"]).where(LandNoticeRow.id == notice_id)
    ).one_or_none()
    return None if found is None else (found[0], found[1], found[2], found[3])


def corrections(session: Session, parcel_numbers: Collection[str] | None = None) -> Sequence[LandCorrectionRow]:
    """Corrections of parcels and leases by accepted 用地公示异议, oldest first (optionally on some parcels)."""
    stmt = select(LandCorrectionRow)
    if parcel_numbers is not None:
        stmt = stmt.where(LandCorrectionRow.parcel_no.in_(list(parcel_numbers)))
    return session.scalars(stmt.order_by(LandCorrectionRow.id)).all()


def add_any(session: Session, row: LandNoticeRow | LandCorrectionRow) -> None:
    session.add(row)
    session.flush()
