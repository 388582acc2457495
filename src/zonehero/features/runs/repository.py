"""Queries of runs and result rows."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, cast

import polars as pl
from sqlalchemy import ColumnElement, Select, Table, func, literal_column, or_, select, tuple_
from sqlalchemy.orm import Session, aliased

from zonehero.clock import utcnow
from zonehero.db.base import JSONValue
from zonehero.db.bulk import insert_frame
from zonehero.db.session import keep_first
from zonehero.features.runs.models import EvaluationRun, RunAggregate, RunLifts, RunResult
from zonehero.features.runs.schemas import PUBLISHED_STATUSES


def add_run(session: Session, run: EvaluationRun) -> EvaluationRun:
    session.add(run)
    session.flush()
    return run


def insert_results(session: Session, run_id: int, records: pl.DataFrame) -> None:
    """A run's result rows from its §8 records frame (:func:`zonehero.core.evaluation.result.record_frame`): the
    columns the pages filter and sort on, and the whole record as JSON serialised by Polars. COPY on PostgreSQL,
    executemany on SQLite (:func:`zonehero.db.bulk.insert_frame`)."""
    rows = records.select(
        pl.lit(run_id, dtype=pl.Int64).alias("run_id"),
        "uscc",
        "name",
        "industry_code",
        "group",
        "status",
        "total_score",
        "rank",
        "class",
        "carbon_grade",
        pl.struct(pl.all()).struct.json_encode().alias("record"),
    )
    insert_frame(session, cast(Table, RunResult.__table__), rows, json_text=("record",))


def get_run(session: Session, run_id: int, *, for_update: bool = False) -> EvaluationRun | None:
    stmt = select(EvaluationRun).where(EvaluationRun.id == run_id)
    if for_update:
        stmt = stmt.with_for_update()
    return session.scalar(stmt)


def runs(session: Session, *, year: int | None, published_only: bool) -> Sequence[EvaluationRun]:
    stmt = select(EvaluationRun)
    if year is not None:
        stmt = stmt.where(EvaluationRun.year == year)
    if published_only:
        stmt = stmt.where(EvaluationRun.status.in_(PUBLISHED_STATUSES))
    return session.scalars(stmt.order_by(EvaluationRun.year.desc(), EvaluationRun.id.desc())).all()


def latest_final_per_year(session: Session, *, before_year: int) -> dict[int, int]:
    """year -> id of that year's newest final run, for years before ``before_year``."""
    rows = session.execute(
        select(EvaluationRun.year, func.max(EvaluationRun.id))
        .where(EvaluationRun.status == "final", EvaluationRun.year < before_year)
        .group_by(EvaluationRun.year)
    ).all()
    return {int(y): int(i) for y, i in rows}


def latest_final(session: Session, year: int) -> EvaluationRun | None:
    return session.scalar(
        select(EvaluationRun)
        .where(EvaluationRun.year == year, EvaluationRun.status == "final")
        .order_by(EvaluationRun.id.desc())
        .limit(1)
    )


def active_notice(session: Session, year: int) -> EvaluationRun | None:
    """The run of ``year`` currently in 公示 (not superseded), if any."""
    return session.scalar(
        select(EvaluationRun)
        .where(EvaluationRun.year == year, EvaluationRun.status == "notice", EvaluationRun.superseded_by_id.is_(None))
        .order_by(EvaluationRun.id.desc())
        .limit(1)
    )


def usccs_with_class(session: Session, run_id: int, class_: str) -> set[str]:
    rows = session.scalars(select(RunResult.uscc).where(RunResult.run_id == run_id, RunResult.class_ == class_))
    return set(rows.all())


@dataclass(frozen=True)
class ResultFilter:
    """Which result rows of a run a page shows (None: no condition)."""

    run_id: int
    class_: str | None = None
    group: str | None = None
    status: str | None = None
    q: str | None = None
    industry: str | None = None
    usccs: Sequence[str] | None = None

    @property
    def whole_run(self) -> bool:
        """No condition beyond the run: the page's total is the run's result count, known without counting."""
        return not (self.class_ or self.group or self.status or self.q or self.industry or self.usccs is not None)


def _filtered(stmt: Select[Any], f: ResultFilter) -> Select[Any]:
    stmt = stmt.where(RunResult.run_id == f.run_id)
    if f.class_:
        stmt = stmt.where(RunResult.class_ == f.class_)
    if f.group:
        stmt = stmt.where(RunResult.group == f.group)
    if f.status:
        stmt = stmt.where(RunResult.status == f.status)
    if f.q:
        like = f"%{f.q}%"
        stmt = stmt.where(or_(RunResult.name.ilike(like), RunResult.uscc.ilike(like)))
    if f.industry:
        stmt = stmt.where(RunResult.industry_code.ilike(f"{f.industry}%"))
    if f.usccs is not None:
        stmt = stmt.where(RunResult.uscc.in_(list(f.usccs)))
    return stmt


_EMPTY: ColumnElement[str] = literal_column("''")
_ZERO: ColumnElement[int] = literal_column("0")
_ZERO_SCORE: ColumnElement[float] = literal_column("0.0")

ORDERS: dict[str, tuple[Any, ...]] = {
    # Each order is a key of ascending expressions, unique per run (the USCC last) and NULL-free (a NULL sorts
    # last through its IS NULL flag), so a keyset cursor can seek past a row with one row-value comparison.
    # The constants are literals, not parameters, so the expressions match the indexes of migration 0011.
    "rank": (
        RunResult.group.is_(None),
        func.coalesce(RunResult.group, _EMPTY),
        RunResult.rank.is_(None),
        func.coalesce(RunResult.rank, _ZERO),
        RunResult.uscc,
    ),
    "score": (RunResult.total_score.is_(None), -func.coalesce(RunResult.total_score, _ZERO_SCORE), RunResult.uscc),
    "name": (func.coalesce(RunResult.name, _EMPTY), RunResult.uscc),
    "uscc": (RunResult.uscc,),
}


@dataclass(frozen=True)
class ResultPage:
    rows: Sequence[RunResult]
    total: int
    last_key: tuple[Any, ...] | None
    """The sort key of the page's last row (the next page's cursor), None on an empty page."""


def results_page(
    session: Session,
    f: ResultFilter,
    *,
    order: str = "rank",
    limit: int | None = 50,
    offset: int = 0,
    after: Sequence[Any] | None = None,
    run_total: int | None = None,
) -> ResultPage:
    """A page of results: after the row whose sort key is ``after`` (keyset), else at ``offset``.

    ``run_total``, the run's stored result count, stands for the total of an unfiltered page: a run's results
    never change after it is made, and counting 100,000 wide rows on each page view took up to a second on
    PostgreSQL (``benchmarks/bench_province.py``).
    """
    keys = ORDERS.get(order, ORDERS["rank"])
    stmt = _filtered(select(RunResult, *keys), f).order_by(*keys)
    if after is not None:
        stmt = stmt.where(tuple_(*keys) > tuple_(*after))
    if limit is not None:
        stmt = stmt.limit(limit)
        if after is None:
            stmt = stmt.offset(offset)
    found = session.execute(stmt).all()
    if run_total is not None and f.whole_run:
        total = run_total
    else:
        total = session.scalar(_filtered(select(func.count(RunResult.id)), f)) or 0
    last_key = tuple(found[-1][1:]) if found else None
    return ResultPage(rows=[row[0] for row in found], total=total, last_key=last_key)


def order_kinds(order: str) -> tuple[type, ...]:
    """The Python type of each part of ``order``'s sort key (to check a cursor before it reaches SQL)."""
    return tuple(expr.type.python_type for expr in ORDERS.get(order, ORDERS["rank"]))


def result(session: Session, run_id: int, uscc: str) -> RunResult | None:
    return session.scalar(select(RunResult).where(RunResult.run_id == run_id, RunResult.uscc == uscc))


def results_by_uscc(session: Session, run_id: int) -> dict[str, RunResult]:
    return {r.uscc: r for r in session.scalars(select(RunResult).where(RunResult.run_id == run_id)).all()}


def enterprise_results(
    session: Session, uscc: str, *, published_only: bool
) -> Sequence[tuple[RunResult, EvaluationRun]]:
    stmt = (
        select(RunResult, EvaluationRun)
        .join(EvaluationRun, EvaluationRun.id == RunResult.run_id)
        .where(RunResult.uscc == uscc)
    )
    if published_only:
        stmt = stmt.where(EvaluationRun.status.in_(PUBLISHED_STATUSES))
    rows = session.execute(stmt.order_by(EvaluationRun.year.desc(), EvaluationRun.id.desc())).all()
    return [(r[0], r[1]) for r in rows]


def aggregate(session: Session, run_id: int, name: str) -> JSONValue | None:
    """The kept figure ``name`` of a run, None when it has not been computed yet."""
    return session.scalar(select(RunAggregate.value).where(RunAggregate.run_id == run_id, RunAggregate.name == name))


def keep_aggregate(session: Session, run_id: int, name: str, value: JSONValue) -> None:
    """Keep a figure; when another process kept it first (the same figure of the same rows) theirs stays."""
    keep_first(session, RunAggregate(run_id=run_id, name=name, value=value, computed_at=utcnow()))


def kept_lifts(session: Session, run_id: int) -> bytes | None:
    """The run's kept 升类路径 table, None when it has not been computed yet."""
    return session.scalar(select(RunLifts.frame).where(RunLifts.run_id == run_id))


def keep_lifts(session: Session, run_id: int, frame: bytes) -> None:
    """Keep the 升类路径 table; when another process kept it first (the same run, the same answers) theirs stays."""
    keep_first(session, RunLifts(run_id=run_id, frame=frame, computed_at=utcnow()))


def records(session: Session, run_id: int) -> Iterator[dict[str, Any]]:
    """Every result record of a run, streamed (to compute a figure once)."""
    stmt = select(RunResult.record).where(RunResult.run_id == run_id).execution_options(yield_per=2000)
    for record in session.scalars(stmt):
        yield cast(dict[str, Any], record)


def class_pairs(session: Session, base_id: int, other_id: int) -> list[tuple[str, str | None, str | None, str, str]]:
    """(uscc, class in base, class in other, status in base, status in other) of every enterprise in both runs,
    by USCC: the light columns only, so two 100,000-enterprise runs compare without loading their records."""
    b, o = aliased(RunResult), aliased(RunResult)
    stmt = (
        select(b.uscc, b.class_, o.class_, b.status, o.status)
        .join(o, (o.uscc == b.uscc) & (o.run_id == other_id))
        .where(b.run_id == base_id)
        .order_by(b.uscc)
    )
    return [(r[0], r[1], r[2], r[3], r[4]) for r in session.execute(stmt)]


def usccs_only_in(session: Session, run_id: int, not_in_run_id: int) -> list[str]:
    """The USCCs with a result in ``run_id`` and none in ``not_in_run_id``, sorted."""
    other = aliased(RunResult)
    missing = ~select(other.id).where(other.run_id == not_in_run_id, other.uscc == RunResult.uscc).exists()
    stmt = select(RunResult.uscc).where(RunResult.run_id == run_id, missing).order_by(RunResult.uscc)
    return list(session.scalars(stmt))


RESULTS_OF_CHUNK = 5_000
"""USCCs per ``IN (…)`` of :func:`results_of` (SQLite allows 32,766 bound values per statement)."""


def results_of(session: Session, run_id: int, usccs: Sequence[str]) -> dict[str, RunResult]:
    """Some result rows of a run by USCC."""
    found: dict[str, RunResult] = {}
    for start in range(0, len(usccs), RESULTS_OF_CHUNK):
        chunk = list(usccs[start : start + RESULTS_OF_CHUNK])
        stmt = select(RunResult).where(RunResult.run_id == run_id, RunResult.uscc.in_(chunk))
        found |= {r.uscc: r for r in session.scalars(stmt)}
    return found


def status_counts(session: Session, run_id: int) -> dict[str, dict[str, int]]:
    """Result rows per group and status of a run, counted by the database."""
    stmt = (
        select(RunResult.group, RunResult.status, func.count())
        .where(RunResult.run_id == run_id)
        .group_by(RunResult.group, RunResult.status)
    )
    counts: dict[str, dict[str, int]] = {}
    for group, status, n in session.execute(stmt):
        counts.setdefault(group or "", {})[status] = int(n)
    return counts


def in_notice(session: Session) -> Sequence[EvaluationRun]:
    """Every run now in 公示 (not superseded), of any year, oldest first."""
    return session.scalars(
        select(EvaluationRun)
        .where(EvaluationRun.status == "notice", EvaluationRun.superseded_by_id.is_(None))
        .order_by(EvaluationRun.year, EvaluationRun.id)
    ).all()


def newest_final(session: Session) -> EvaluationRun | None:
    """The final run of the latest year that has one (its newest)."""
    return session.scalar(
        select(EvaluationRun)
        .where(EvaluationRun.status == "final")
        .order_by(EvaluationRun.year.desc(), EvaluationRun.id.desc())
        .limit(1)
    )
