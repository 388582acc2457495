"""Queries of 数据归集 (only the collection service imports this)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from zonehero.features.collection.models import (
    CollectionDepartment,
    CollectionExpectation,
    CollectionRound,
    CollectionSubmission,
    CollectionToken,
)

T = TypeVar("T")


def add(session: Session, row: T) -> T:
    session.add(row)
    session.flush()
    return row


def departments(session: Session, *, active_only: bool = False) -> Sequence[CollectionDepartment]:
    stmt = select(CollectionDepartment).order_by(CollectionDepartment.position, CollectionDepartment.id)
    if active_only:
        stmt = stmt.where(CollectionDepartment.active.is_(True))
    return session.scalars(stmt).all()


def department(session: Session, department_id: int) -> CollectionDepartment | None:
    return session.get(CollectionDepartment, department_id)


def department_named(session: Session, name: str) -> CollectionDepartment | None:
    return session.scalar(select(CollectionDepartment).where(CollectionDepartment.name == name))


def round_of(session: Session, year: int) -> CollectionRound | None:
    return session.scalar(select(CollectionRound).where(CollectionRound.year == year))


def round_year(session: Session, round_id: int) -> int | None:
    return session.scalar(select(CollectionRound.year).where(CollectionRound.id == round_id))


def rounds(session: Session) -> Sequence[CollectionRound]:
    return session.scalars(select(CollectionRound).order_by(CollectionRound.year.desc())).all()


def expectations(session: Session, round_id: int) -> Sequence[CollectionExpectation]:
    return session.scalars(
        select(CollectionExpectation)
        .where(CollectionExpectation.round_id == round_id)
        .order_by(CollectionExpectation.id)
    ).all()


def expectation(session: Session, expectation_id: int, *, for_update: bool = False) -> CollectionExpectation | None:
    stmt = select(CollectionExpectation).where(CollectionExpectation.id == expectation_id)
    if for_update:
        stmt = stmt.with_for_update()
    return session.scalar(stmt)


def expectations_of_department(session: Session, department: str) -> Sequence[tuple[CollectionExpectation, int]]:
    """Every round's expectation of ``department`` with the round's year, newest year first."""
    stmt = (
        select(CollectionExpectation, CollectionRound.year)
        .join(CollectionRound, CollectionRound.id == CollectionExpectation.round_id)
        .where(CollectionExpectation.department == department)
        .order_by(CollectionRound.year.desc())
    )
    return [(e, int(y)) for e, y in session.execute(stmt).all()]


def submissions(session: Session, expectation_ids: Sequence[int]) -> Sequence[CollectionSubmission]:
    if not expectation_ids:
        return []
    return session.scalars(
        select(CollectionSubmission)
        .where(CollectionSubmission.expectation_id.in_(list(expectation_ids)))
        .order_by(CollectionSubmission.id)
    ).all()


def submission_of_batch(session: Session, batch_id: int) -> CollectionSubmission | None:
    return session.scalar(select(CollectionSubmission).where(CollectionSubmission.batch_id == batch_id))


def tokens(session: Session) -> Sequence[CollectionToken]:
    return session.scalars(select(CollectionToken).order_by(CollectionToken.id.desc())).all()


def token(session: Session, token_id: int) -> CollectionToken | None:
    return session.get(CollectionToken, token_id)


def token_by_prefix(session: Session, prefix: str) -> CollectionToken | None:
    return session.scalar(select(CollectionToken).where(CollectionToken.prefix == prefix))
