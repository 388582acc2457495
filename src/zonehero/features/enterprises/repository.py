"""Queries of enterprises, names and figures. Bulk statements for imports (100k enterprises)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, cast

import polars as pl
from sqlalchemy import Table, delete, func, or_, select, update
from sqlalchemy.orm import Session, selectinload

from zonehero.clock import utcnow
from zonehero.db.base import Base
from zonehero.db.bulk import bulk_insert, insert_frame, read_frame
from zonehero.db.session import keep_first
from zonehero.features.enterprises.models import Enterprise, EnterpriseName, Figure, FigureVersion, YearFrame

CHUNK = 5000
"""Rows per IN (...) list; keeps SQLite under its variable limit and PostgreSQL plans small."""


def _table(model: type[Base]) -> Table:
    return cast(Table, model.__table__)


def _chunks(values: Sequence[str]) -> Iterable[Sequence[str]]:
    for i in range(0, len(values), CHUNK):
        yield values[i : i + CHUNK]


def get(session: Session, uscc: str, *, with_names: bool = False) -> Enterprise | None:
    stmt = select(Enterprise).where(Enterprise.uscc == uscc)
    if with_names:
        stmt = stmt.options(selectinload(Enterprise.names))
    return session.scalar(stmt)


def existing_usccs(session: Session, usccs: Sequence[str]) -> dict[str, tuple[str | None, str | None]]:
    """uscc -> (name, industry_code) of those already stored."""
    found: dict[str, tuple[str | None, str | None]] = {}
    for part in _chunks(usccs):
        rows = session.execute(
            select(Enterprise.uscc, Enterprise.name, Enterprise.industry_code).where(Enterprise.uscc.in_(part))
        ).all()
        found.update({r[0]: (r[1], r[2]) for r in rows})
    return found


def latest_years(session: Session, usccs: Sequence[str]) -> dict[str, int]:
    """uscc -> latest year that has any figure."""
    out: dict[str, int] = {}
    for part in _chunks(usccs):
        rows = session.execute(
            select(Figure.uscc, func.max(Figure.year)).where(Figure.uscc.in_(part)).group_by(Figure.uscc)
        ).all()
        out.update({r[0]: int(r[1]) for r in rows})
    return out


def insert_enterprises(session: Session, rows: list[dict[str, Any]]) -> None:
    bulk_insert(session, _table(Enterprise), rows)


def update_enterprises(session: Session, rows: list[dict[str, Any]]) -> None:
    """Bulk update by primary key (each dict has ``uscc``)."""
    if rows:
        session.execute(update(Enterprise), rows)


def known_names(session: Session, usccs: Sequence[str]) -> dict[tuple[str, str], tuple[int, int]]:
    """(uscc, name) -> (row id, first_seen_year)."""
    out: dict[tuple[str, str], tuple[int, int]] = {}
    for part in _chunks(usccs):
        rows = session.execute(
            select(EnterpriseName.uscc, EnterpriseName.name, EnterpriseName.id, EnterpriseName.first_seen_year).where(
                EnterpriseName.uscc.in_(part)
            )
        ).all()
        out.update({(r[0], r[1]): (r[2], r[3]) for r in rows})
    return out


def insert_names(session: Session, rows: list[dict[str, Any]]) -> None:
    bulk_insert(session, _table(EnterpriseName), rows)


def update_names(session: Session, rows: list[dict[str, Any]]) -> None:
    if rows:
        session.execute(update(EnterpriseName), rows)


FIGURE_VALUES: dict[str, type[pl.DataType]] = {
    "id": pl.Int64,
    "uscc": pl.String,
    "field": pl.String,
    "value_num": pl.Float64,
    "value_text": pl.String,
}


def year_figures(session: Session, year: int) -> pl.DataFrame:
    """(id, uscc, field, value_num, value_text) of every figure of ``year``: the one query behind a frame."""
    stmt = select(Figure.id, Figure.uscc, Figure.field, Figure.value_num, Figure.value_text).where(Figure.year == year)
    return read_frame(session, stmt, FIGURE_VALUES)


def year_lineage(
    session: Session, year: int, schema: Mapping[str, type[pl.DataType]], unchanged_since: datetime | None = None
) -> pl.DataFrame:
    """(uscc, field, department, file, sheet, row, column) of every figure of ``year``, in one query, as ``schema``.

    With ``unchanged_since``, only figures not written after that moment.
    """
    stmt = select(
        Figure.uscc, Figure.field, Figure.department, Figure.file, Figure.sheet, Figure.row, Figure.column
    ).where(Figure.year == year)
    if unchanged_since is not None:
        stmt = stmt.where(Figure.updated_at <= unchanged_since)
    return read_frame(session, stmt, schema)


def insert_figures(session: Session, figures: pl.DataFrame) -> None:
    """One row per figure, every column given (:func:`zonehero.db.bulk.insert_frame`): a province's year is over a
    million rows, and making each a Python dict cost more than the insert itself."""
    insert_frame(session, _table(Figure), figures)


def update_figures(session: Session, rows: list[dict[str, Any]]) -> None:
    """Bulk update by primary key (each dict has ``id``)."""
    if rows:
        session.execute(update(Figure), rows)


def figures_of(session: Session, uscc: str, year: int | None = None) -> Sequence[Figure]:
    stmt = select(Figure).where(Figure.uscc == uscc)
    if year is not None:
        stmt = stmt.where(Figure.year == year)
    return session.scalars(stmt.order_by(Figure.year.desc(), Figure.field)).all()


def figure(session: Session, uscc: str, year: int, field: str) -> Figure | None:
    return session.scalar(select(Figure).where(Figure.uscc == uscc, Figure.year == year, Figure.field == field))


def years(session: Session) -> list[int]:
    """Years with figures: those whose writes are counted (a scan of the figures would read millions of rows)."""
    stmt = select(FigureVersion.year).where(FigureVersion.version > 0).order_by(FigureVersion.year)
    return [int(y) for y in session.scalars(stmt).all()]


def search(
    session: Session,
    *,
    q: str | None,
    industry: str | None,
    usccs: Sequence[str] | None,
    limit: int,
    offset: int,
) -> tuple[Sequence[Enterprise], int]:
    stmt = select(Enterprise)
    if q:
        like = f"%{q}%"
        stmt = stmt.where(or_(Enterprise.name.ilike(like), Enterprise.uscc.ilike(like)))
    if industry:
        stmt = stmt.where(Enterprise.industry_code.ilike(f"{industry}%"))
    if usccs is not None:
        stmt = stmt.where(Enterprise.uscc.in_(list(usccs)))
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(stmt.order_by(Enterprise.name, Enterprise.uscc).limit(limit).offset(offset)).all()
    return rows, int(total)


def data_version(session: Session, year: int) -> int:
    """The year's data version (0 before the first write)."""
    return session.scalar(select(FigureVersion.version).where(FigureVersion.year == year)) or 0


def bump_version(session: Session, year: int) -> None:
    """One more write of the year's figures: the row lock also orders concurrent writers of the year."""
    updated = session.execute(
        update(FigureVersion).where(FigureVersion.year == year).values(version=FigureVersion.version + 1)
    )
    if not getattr(updated, "rowcount", 0) and not keep_first(session, FigureVersion(year=year, version=1)):
        # another writer made the row first: count on it
        session.execute(
            update(FigureVersion).where(FigureVersion.year == year).values(version=FigureVersion.version + 1)
        )


def kept_frame(session: Session, year: int, version: int) -> bytes | None:
    return session.scalar(select(YearFrame.frame).where(YearFrame.year == year, YearFrame.version == version))


def keep_frame(session: Session, year: int, version: int, frame: bytes) -> None:
    """Keep a frame for its version and drop the year's older ones; when another process kept it first, theirs."""
    older = delete(YearFrame).where(YearFrame.year == year, YearFrame.version < version)
    keep_first(session, YearFrame(year=year, version=version, frame=frame, made_at=utcnow()), older)
