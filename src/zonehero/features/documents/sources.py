"""Where a document's figures come from: the stored run reproduced and proven equal, last year's run, lineage.

A document of a run must print that run's figures and nothing else. The
generators need the engine's full result (the input figures, industry
divisions, energy), which a run keeps only as its input frame, so the run is evaluated
again from the input figures kept with it and its own scheme text
(:func:`zonehero.features.decision.service.reproduce_run`, which refuses when the
input hash differs) and, on top, every result row the actor may see is
checked against the stored row (status, class, rank, scores, policy): the
D-streak history, which the input hash does not cover, could otherwise
differ unseen.

Last year's run is only compared against (classes, scores, benchmarks), so
its own stored rows are used as they are.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import polars as pl
from sqlalchemy.orm import Session

from zonehero.core.evaluation.lift_book import LiftBook
from zonehero.core.evaluation.result import POLICY_FIELDS, EvaluationResult
from zonehero.errors import Conflict
from zonehero.features.decision import service as decision
from zonehero.features.enterprises import service as enterprises
from zonehero.features.roles import Actor
from zonehero.features.runs import service as runs
from zonehero.features.runs.schemas import RunRead, RunResultRead
from zonehero.features.runs.stored import StoredRunResult, stored_result
from zonehero.features.schemes import service as schemes

CHECKED_COLUMNS: tuple[str, ...] = ("status", "group", "class", "rank", "total_score", "carbon_grade")
"""Columns of each result row that must equal the stored row (with the policy's surcharge)."""
LINEAGE_COLUMNS: tuple[str, ...] = ("uscc", "field", "department", "file", "sheet", "row", "column")


@dataclass(frozen=True)
class ReproducedRun:
    """A stored run and the engine's result that equals it."""

    run: RunRead
    result: EvaluationResult


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)
    if isinstance(a, float) and not math.isfinite(a):
        return b is None  # stored records keep non-finite floats as null
    return bool(a == b)


def _stored_row(item: RunResultRead) -> dict[str, Any]:
    policy = item.record.get("policy") or {}
    return {
        "status": item.status,
        "group": item.group,
        "class": item.class_,
        "rank": item.rank,
        "total_score": item.total_score,
        "carbon_grade": item.carbon_grade,
        "electricity_surcharge": policy.get("electricity_surcharge"),
    }


def check_against_stored(result: EvaluationResult, stored: list[RunResultRead], run_id: int) -> None:
    """Conflict unless every stored row has the same status, class, rank, scores and surcharge in ``result``."""
    columns = [*CHECKED_COLUMNS, POLICY_FIELDS["electricity_surcharge"]]
    fresh = {r["uscc"]: r for r in result.enterprises.select("uscc", *columns).iter_rows(named=True)}
    for item in stored:
        again = fresh.get(item.uscc)
        differs = again is None or any(not _same(again[k], v) for k, v in _stored_row(item).items())
        if differs:
            raise Conflict(
                f"评价批次 #{run_id} 按原数据重新计算的结果与保存的结果不一致（企业 {item.uscc}），"
                "不能据此生成文书，请重新生成评价草稿"
            )


def reproduce(session: Session, actor: Actor, run_id: int, stored: list[RunResultRead] | None = None) -> ReproducedRun:
    """The run evaluated again and checked equal to what was stored (Conflict when it cannot be reproduced).

    ``stored``: the stored rows the document prints (one enterprise's notice, a part of a batch), checked instead of
    every row of the run, so a notice does not read a province's results. NotFound when ``actor`` may not see the
    run (a draft for an enterprise account).
    """
    inputs = decision.reproduce_run(session, actor, run_id)
    if stored is None:
        stored = runs.list_results(session, actor, run_id, limit=None, order="uscc").items
    check_against_stored(inputs.result, stored, run_id)
    return ReproducedRun(run=inputs.run, result=inputs.result)


def lifts(session: Session, actor: Actor, run_id: int) -> LiftBook:
    """The run's 升类路径 for every enterprise, computed once and kept with the run (the notices print them)."""
    return decision.run_lifts(session, actor, run_id)


def stored_run(session: Session, actor: Actor, run: RunRead) -> StoredRunResult:
    """``run`` as stored, in uscc order (staff only: every row is read)."""
    scheme = schemes.validate_text(runs.scheme_text_of(session, actor, run.id), source=f"评价批次 #{run.id} 所用方案")
    items = runs.list_results(session, actor, run.id, limit=None, order="uscc").items
    return stored_result(run, items, scheme)


def previous_year_run(session: Session, actor: Actor, year: int) -> StoredRunResult | None:
    """The newest final run of ``year - 1`` as stored, or None."""
    previous = runs.previous_final_run(session, actor, year)
    return stored_run(session, actor, previous) if previous is not None else None


def lineage(session: Session, actor: Actor, usccs: list[str], run_id: int) -> pl.DataFrame:
    """Where each figure the run used came from (department, file, sheet, row, column), for the given enterprises.

    Read from what the run kept, never from the enterprises' current figures: after an objection is accepted into
    a new draft, the run under 公示 still names the department file its figures came from.
    """
    for uscc in usccs:
        enterprises.ensure_can_see(actor, uscc)
    return runs.lineage_of(session, actor, run_id, usccs).select(LINEAGE_COLUMNS)
