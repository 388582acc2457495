"""Queries of schemes and versions."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from zonehero.features.schemes.models import Scheme, SchemeVersion


def count(session: Session) -> int:
    return int(session.scalar(select(func.count(Scheme.id))) or 0)


def all_with_versions(session: Session) -> Sequence[Scheme]:
    return session.scalars(select(Scheme).options(selectinload(Scheme.versions)).order_by(Scheme.id)).all()


def get(session: Session, scheme_id: int, *, for_update: bool = False) -> Scheme | None:
    stmt = select(Scheme).where(Scheme.id == scheme_id).options(selectinload(Scheme.versions))
    if for_update:
        stmt = stmt.with_for_update()
    return session.scalar(stmt)


def by_name(session: Session, name: str) -> Scheme | None:
    return session.scalar(select(Scheme).where(Scheme.name == name).options(selectinload(Scheme.versions)))


def version(session: Session, version_id: int) -> SchemeVersion | None:
    return session.get(SchemeVersion, version_id)


def add(session: Session, obj: Scheme | SchemeVersion) -> None:
    session.add(obj)
    session.flush()
