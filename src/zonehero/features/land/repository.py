"""Queries of parcels and leases (only :mod:`zonehero.features.land.service` imports this)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from zonehero.features.land.models import LeaseRow, ParcelRow


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
