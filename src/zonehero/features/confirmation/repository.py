"""Queries of confirmation rounds, answers and disputes; the board's counts are SQL aggregates and its pages
seek by USCC (a zone of 100,000 enterprises never reads every row to show 50)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import case, exists, func, select
from sqlalchemy.orm import Session, selectinload

from zonehero.db.base import Base
from zonehero.features.confirmation.models import (
    ConfirmationAnswer,
    ConfirmationDispute,
    ConfirmationFile,
    ConfirmationRound,
    RunConfirmation,
)
from zonehero.features.enterprises.models import Enterprise, Figure


def add(session: Session, obj: Base) -> None:
    session.add(obj)
    session.flush()


def round_of(session: Session, year: int) -> ConfirmationRound | None:
    return session.scalar(select(ConfirmationRound).where(ConfirmationRound.year == year))


def rounds(session: Session) -> Sequence[ConfirmationRound]:
    return session.scalars(select(ConfirmationRound).order_by(ConfirmationRound.year.desc())).all()


def answer(session: Session, round_id: int, uscc: str, *, for_update: bool = False) -> ConfirmationAnswer | None:
    stmt = (
        select(ConfirmationAnswer)
        .where(ConfirmationAnswer.round_id == round_id, ConfirmationAnswer.uscc == uscc)
        .options(selectinload(ConfirmationAnswer.disputes), selectinload(ConfirmationAnswer.files))
    )
    if for_update:
        stmt = stmt.with_for_update()
    return session.scalar(stmt)


def has_figures(session: Session, year: int, uscc: str) -> bool:
    return bool(session.scalar(select(exists().where(Figure.year == year, Figure.uscc == uscc))))


def enterprise_count(session: Session, year: int) -> int:
    """Enterprises with figures in ``year`` (read from the figures' (year, uscc, field) index)."""
    return int(session.scalar(select(func.count(func.distinct(Figure.uscc))).where(Figure.year == year)) or 0)


def state_counts(session: Session, round_id: int) -> dict[str, int]:
    """Answers per state (GROUP BY): confirmed, disputed, resolved."""
    rows = session.execute(
        select(ConfirmationAnswer.state, func.count())
        .where(ConfirmationAnswer.round_id == round_id)
        .group_by(ConfirmationAnswer.state)
    ).all()
    return {str(s): int(n) for s, n in rows}


Row = tuple[str, str | None, str | None, datetime | None]
"""(uscc, enterprise name, answer state or None, answered at) of one board row."""


def page_answered(session: Session, round_id: int, state: str, after: str | None, limit: int) -> list[Row]:
    """Answered enterprises in one state, by USCC from ``after`` (the (round_id, state, uscc) index)."""
    stmt = (
        select(ConfirmationAnswer.uscc, Enterprise.name, ConfirmationAnswer.state, ConfirmationAnswer.answered_at)
        .join(Enterprise, Enterprise.uscc == ConfirmationAnswer.uscc, isouter=True)
        .where(ConfirmationAnswer.round_id == round_id, ConfirmationAnswer.state == state)
    )
    if after:
        stmt = stmt.where(ConfirmationAnswer.uscc > after)
    return [(u, n, s, at) for u, n, s, at in session.execute(stmt.order_by(ConfirmationAnswer.uscc).limit(limit))]


def page_enterprises(
    session: Session, year: int, round_id: int, *, unanswered: bool, after: str | None, limit: int
) -> list[Row]:
    """Enterprises of the year by USCC from ``after`` (every one, or those without an answer), with their answer."""
    usccs = select(Figure.uscc).where(Figure.year == year).distinct()
    if after:
        usccs = usccs.where(Figure.uscc > after)
    if unanswered:
        usccs = usccs.where(
            ~exists().where(ConfirmationAnswer.round_id == round_id, ConfirmationAnswer.uscc == Figure.uscc)
        )
    page = usccs.order_by(Figure.uscc).limit(limit).subquery()
    stmt = (
        select(page.c.uscc, Enterprise.name, ConfirmationAnswer.state, ConfirmationAnswer.answered_at)
        .join(Enterprise, Enterprise.uscc == page.c.uscc, isouter=True)
        .join(
            ConfirmationAnswer,
            (ConfirmationAnswer.uscc == page.c.uscc) & (ConfirmationAnswer.round_id == round_id),
            isouter=True,
        )
        .order_by(page.c.uscc)
    )
    return [(u, n, s, at) for u, n, s, at in session.execute(stmt)]


OpenRow = tuple[ConfirmationDispute, ConfirmationAnswer, str | None, int]
"""(dispute, its answer, the enterprise's name, the round's year)."""


def open_disputes(session: Session, *, year: int | None, limit: int) -> list[OpenRow]:
    """Open disputes oldest first (the (status, id) index), with their answer and enterprise name."""
    stmt = (
        select(ConfirmationDispute, ConfirmationAnswer, Enterprise.name, ConfirmationRound.year)
        .join(ConfirmationAnswer, ConfirmationAnswer.id == ConfirmationDispute.answer_id)
        .join(ConfirmationRound, ConfirmationRound.id == ConfirmationAnswer.round_id)
        .join(Enterprise, Enterprise.uscc == ConfirmationAnswer.uscc, isouter=True)
        .where(ConfirmationDispute.status == "open")
    )
    if year is not None:
        stmt = stmt.where(ConfirmationRound.year == year)
    rows = session.execute(stmt.order_by(ConfirmationDispute.id).limit(limit)).all()
    return [(d, a, n, int(y)) for d, a, n, y in rows]


def open_dispute_count(session: Session, *, year: int | None = None) -> int:
    stmt = select(func.count(ConfirmationDispute.id)).where(ConfirmationDispute.status == "open")
    if year is not None:
        stmt = (
            stmt.join(ConfirmationAnswer, ConfirmationAnswer.id == ConfirmationDispute.answer_id)
            .join(ConfirmationRound, ConfirmationRound.id == ConfirmationAnswer.round_id)
            .where(ConfirmationRound.year == year)
        )
    return int(session.scalar(stmt) or 0)


def dispute(session: Session, dispute_id: int, *, for_update: bool = False) -> ConfirmationDispute | None:
    stmt = select(ConfirmationDispute).where(ConfirmationDispute.id == dispute_id)
    if for_update:
        stmt = stmt.with_for_update()
    return session.scalar(stmt)


def answer_by_id(session: Session, answer_id: int, *, for_update: bool = False) -> ConfirmationAnswer | None:
    stmt = (
        select(ConfirmationAnswer)
        .where(ConfirmationAnswer.id == answer_id)
        .options(selectinload(ConfirmationAnswer.disputes), selectinload(ConfirmationAnswer.files))
    )
    if for_update:
        stmt = stmt.with_for_update()
    return session.scalar(stmt)


def round_by_id(session: Session, round_id: int) -> ConfirmationRound | None:
    return session.get(ConfirmationRound, round_id)


def evidence(session: Session, file_id: int) -> tuple[ConfirmationFile, ConfirmationAnswer] | None:
    row = session.execute(
        select(ConfirmationFile, ConfirmationAnswer)
        .join(ConfirmationAnswer, ConfirmationAnswer.id == ConfirmationFile.answer_id)
        .where(ConfirmationFile.id == file_id)
    ).first()
    return (row[0], row[1]) if row else None


KeptRow = tuple[str, str, datetime, int, int]
"""(uscc, state, answered_at, accepted disputes, rejected disputes) of an answer, as a run keeps it."""


def answers_to_keep(session: Session, round_id: int) -> list[KeptRow]:
    """Every answer of a round with its disputes counted by outcome (one aggregate query)."""
    accepted = func.sum(case((ConfirmationDispute.status == "accepted", 1), else_=0))
    rejected = func.sum(case((ConfirmationDispute.status == "rejected", 1), else_=0))
    stmt = (
        select(ConfirmationAnswer.uscc, ConfirmationAnswer.state, ConfirmationAnswer.answered_at, accepted, rejected)
        .join(ConfirmationDispute, ConfirmationDispute.answer_id == ConfirmationAnswer.id, isouter=True)
        .where(ConfirmationAnswer.round_id == round_id)
        .group_by(ConfirmationAnswer.uscc, ConfirmationAnswer.state, ConfirmationAnswer.answered_at)
    )
    return [(u, s, at, int(a or 0), int(r or 0)) for u, s, at, a, r in session.execute(stmt)]


def kept(session: Session, run_id: int) -> RunConfirmation | None:
    return session.get(RunConfirmation, run_id)
