"""Evaluation runs: make a draft, publish it for 公示, finalise it; read runs and results.

Who may do what: admin and analyst create, publish and finalise; staff read
every run; an enterprise account reads only runs in 公示 or final, and only
its own row (anything else answers NotFound).
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Any

import polars as pl
from sqlalchemy.orm import Session

from zonehero.audit import service as audit
from zonehero.db.base import today, utcnow
from zonehero.enterprises import service as enterprises
from zonehero.errors import Conflict, InputError, InputProblem, NotFound
from zonehero.evaluation import evaluate
from zonehero.runs import inputs as run_inputs
from zonehero.runs import repository
from zonehero.runs.models import EvaluationRun
from zonehero.runs.schemas import EnterpriseResult, ResultList, RunRead, RunResultRead
from zonehero.schemes import service as schemes
from zonehero.users.roles import Actor, Role, require_editor

RUN_NOT_FOUND = "评价批次不存在"


def json_safe(value: Any) -> Any:
    """Lists/dicts of plain values with non-finite floats as None (JSON has no NaN/Infinity)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def _frame_records(frame: pl.DataFrame | None) -> list[dict[str, Any]]:
    return json_safe(frame.to_dicts()) if frame is not None else []


def prior_consecutive_d(session: Session, year: int) -> pl.DataFrame:
    """uscc, prior_consecutive_d: how many years in a row before ``year`` each enterprise was D in a final run.

    Each year counts its newest final run; a year without a final run ends the streak.
    """
    finals = repository.latest_final_per_year(session, before_year=year)
    streak: dict[str, int] = {}
    alive: set[str] | None = None
    y = year - 1
    while y in finals:
        d_now = repository.usccs_with_class(session, finals[y], "D")
        alive = d_now if alive is None else alive & d_now
        if not alive:
            break
        for uscc in alive:
            streak[uscc] = streak.get(uscc, 0) + 1
        y -= 1
    return pl.DataFrame(
        {"uscc": list(streak), "prior_consecutive_d": list(streak.values())},
        schema={"uscc": pl.String, "prior_consecutive_d": pl.Int64},
    )


def create_draft_run(
    session: Session,
    actor: Actor,
    *,
    year: int,
    scheme_version_id: int,
    note: str | None = None,
    source_run_id: int | None = None,
) -> RunRead:
    """Evaluate the stored figures of ``year`` with a scheme version and keep the draft with every result row."""
    require_editor(actor)
    frame = enterprises.year_frame(session, year)
    if frame.height == 0:
        raise InputError(InputProblem(f"{year} 年度还没有导入数据", column="year"))
    version, scheme = schemes.version_for_run(session, scheme_version_id)
    history = prior_consecutive_d(session, year)
    result = evaluate(frame, scheme, year=year, history=history)
    records = result.to_records()
    run = repository.add_run(
        session,
        EvaluationRun(
            year=year,
            scheme_version_id=version.id,
            scheme_text=version.text,
            scheme_digest=version.digest,
            input_hash=result.input_hash,
            status="draft",
            benchmarks=_frame_records(result.benchmarks),
            counts=_frame_records(result.counts),
            warnings=list(result.warnings),
            result_count=len(records),
            note=note,
            source_run_id=source_run_id,
            created_by=actor.id,
            created_at=utcnow(),
        ),
    )
    repository.insert_results(
        session,
        [
            {
                "run_id": run.id,
                "uscc": r["uscc"],
                "name": r.get("name"),
                "industry_code": r.get("industry_code"),
                "group": r.get("group"),
                "status": r["status"],
                "total_score": r.get("total_score"),
                "rank": r.get("rank"),
                "class": r.get("class"),
                "carbon_grade": r.get("carbon_grade"),
                "record": r,  # to_records() is JSON-safe already (non-finite floats are None)
            }
            for r in records
        ],
    )
    run_inputs.keep(session, run.id, result.inputs, history)
    audit.record(
        session,
        actor,
        "run.create",
        "evaluation_run",
        run.id,
        after={
            "year": year,
            "scheme_version_id": version.id,
            "input_hash": run.input_hash,
            "results": run.result_count,
            "source_run_id": source_run_id,
            "note": note,
        },
    )
    return RunRead.model_validate(run)


def _run(session: Session, run_id: int, *, for_update: bool = False) -> EvaluationRun:
    run = repository.get_run(session, run_id, for_update=for_update)
    if run is None:
        raise NotFound(RUN_NOT_FOUND)
    return run


def _read(actor: Actor, run: EvaluationRun) -> RunRead:
    """The run as ``actor`` may read it: staff see everything, others not the internal note or who made it.

    The note of a run made from an accepted objection names the objecting
    enterprise (根据异议 #… 更正 <USCC> 的数据); no other enterprise may learn it.
    """
    read = RunRead.model_validate(run)
    return read if actor.is_staff else read.model_copy(update={"note": None, "created_by": None})


def _visible_run(session: Session, actor: Actor, run_id: int) -> EvaluationRun:
    run = _run(session, run_id)
    if not actor.is_staff and not run.is_published:
        raise NotFound(RUN_NOT_FOUND)
    return run


def _state(run: EvaluationRun) -> dict[str, Any]:
    return {
        "status": run.status,
        "notice_start": run.notice_start.isoformat() if run.notice_start else None,
        "notice_end": run.notice_end.isoformat() if run.notice_end else None,
        "superseded_by_id": run.superseded_by_id,
    }


def publish_run(
    session: Session, actor: Actor, run_id: int, *, period_days: int = 5, on: date | None = None
) -> RunRead:
    """Start 公示 of a draft: from ``on`` (default today) for ``period_days`` days; the run is frozen from now on.

    A year has one run in 公示 at a time; a corrected run (made from an
    accepted objection on the run in 公示) replaces it, once every other
    objection on that run has been answered.
    """
    require_editor(actor)
    if period_days < 1:
        raise InputError(InputProblem("公示期至少 1 天", column="period_days"))
    run = _run(session, run_id, for_update=True)
    if run.status != "draft":
        raise Conflict("只有草稿可以发布公示")
    current = repository.active_notice(session, run.year)
    if current is not None:
        if run.source_run_id != current.id:
            raise Conflict(f"{run.year} 年度已有公示中的评价批次 #{current.id}，请先定稿或处理异议")
        from zonehero.objections import service as objections  # objections call runs; import here, not at top

        if objections.open_count(session, current.id):
            raise Conflict(f"原公示批次 #{current.id} 还有未处理的异议，请先处理")
    start = on or today()
    before = _state(run)
    run.status = "notice"
    run.notice_start = start
    run.notice_end = start + timedelta(days=period_days)
    run.published_by = actor.id
    run.published_at = utcnow()
    session.flush()
    if current is not None:
        current_before = _state(current)
        current.superseded_by_id = run.id
        session.flush()
        audit.record(
            session, actor, "run.supersede", "evaluation_run", current.id, before=current_before, after=_state(current)
        )
    audit.record(session, actor, "run.publish", "evaluation_run", run.id, before=before, after=_state(run))
    return RunRead.model_validate(run)


def finalize_opens_on(notice_end: date) -> date:
    """The first day a run in 公示 may become final: the day after its notice period ends."""
    return notice_end + timedelta(days=1)


def finalize_run(session: Session, actor: Actor, run_id: int, *, on: date | None = None) -> RunRead:
    """公示 → final, once the notice period is over and no objection is open."""
    require_editor(actor)
    run = _run(session, run_id, for_update=True)
    if run.status != "notice":
        raise Conflict("只有公示中的评价批次可以定稿")
    if run.superseded_by_id is not None:
        raise Conflict(f"该批次已被更正后的批次 #{run.superseded_by_id} 取代，不能定稿")
    day = on or today()
    assert run.notice_end is not None
    if day < finalize_opens_on(run.notice_end):
        raise Conflict(f"公示期至 {run.notice_end.isoformat()} 结束，期满后才能定稿")
    from zonehero.objections import service as objections  # objections call runs; import here, not at top

    n_open = objections.open_count(session, run.id)
    if n_open:
        raise Conflict(f"还有 {n_open} 件异议未处理，不能定稿")
    before = _state(run)
    run.status = "final"
    run.finalized_by = actor.id
    run.finalized_at = utcnow()
    session.flush()
    audit.record(session, actor, "run.finalize", "evaluation_run", run.id, before=before, after=_state(run))
    return RunRead.model_validate(run)


def delete_draft(session: Session, actor: Actor, run_id: int) -> None:
    """Throw away a draft (published runs are kept forever)."""
    require_editor(actor)
    run = _run(session, run_id, for_update=True)
    if run.status != "draft":
        raise Conflict("已发布的评价批次不能删除")
    snapshot = {"year": run.year, "input_hash": run.input_hash, "results": run.result_count}
    session.delete(run)
    session.flush()
    audit.record(session, actor, "run.delete", "evaluation_run", run_id, before=snapshot)


def get_run(session: Session, actor: Actor, run_id: int) -> RunRead:
    """A run (drafts are hidden from enterprise accounts, and so are the note and author of any run)."""
    return _read(actor, _visible_run(session, actor, run_id))


def inputs_of(session: Session, actor: Actor, run_id: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(frame, history) the run was computed from: kept with the run, or, for a run made before inputs were
    kept, the year's stored figures and the current D-streak history (which may have changed since)."""
    run = _visible_run(session, actor, run_id)
    kept = run_inputs.kept(session, run.id)
    if kept is not None:
        return kept
    return enterprises.year_frame(session, run.year), prior_consecutive_d(session, run.year)


def scheme_text_of(session: Session, actor: Actor, run_id: int) -> str:
    """The full scheme text the run used (the published list can be reproduced from it)."""
    return _visible_run(session, actor, run_id).scheme_text


def list_runs(session: Session, actor: Actor, *, year: int | None = None) -> list[RunRead]:
    """Runs newest first; an enterprise account sees published ones only (without note and author)."""
    rows = repository.runs(session, year=year, published_only=not actor.is_staff)
    return [_read(actor, r) for r in rows]


def list_results(
    session: Session,
    actor: Actor,
    run_id: int,
    *,
    class_: str | None = None,
    group: str | None = None,
    status: str | None = None,
    q: str | None = None,
    industry: str | None = None,
    order: str = "rank",
    limit: int | None = 50,
    offset: int = 0,
) -> ResultList:
    """A page of a run's results with filters; ``limit=None`` for all (exports). Enterprise: its own row only."""
    _visible_run(session, actor, run_id)
    usccs = None if actor.is_staff else [actor.enterprise_uscc or ""]
    rows, total = repository.results_page(
        session,
        repository.ResultFilter(
            run_id=run_id,
            class_=class_,
            group=group,
            status=status,
            q=(q or "").strip() or None,
            industry=(industry or "").strip() or None,
            usccs=usccs,
        ),
        order=order,
        limit=None if limit is None else max(1, min(limit, 1000)),
        offset=max(0, offset),
    )
    return ResultList(items=[RunResultRead.model_validate(r) for r in rows], total=total)


def get_result(session: Session, actor: Actor, run_id: int, uscc: str) -> RunResultRead:
    """One enterprise's full result in a run; NotFound for another enterprise's USCC."""
    enterprises.ensure_can_see(actor, uscc)
    _visible_run(session, actor, run_id)
    row = repository.result(session, run_id, uscc)
    if row is None:
        raise NotFound("该企业在此评价批次中没有结果")
    return RunResultRead.model_validate(row)


def enterprise_results(session: Session, actor: Actor, uscc: str) -> list[EnterpriseResult]:
    """An enterprise's class history over runs, newest first (published runs only for enterprise accounts)."""
    enterprises.ensure_can_see(actor, uscc)
    rows = repository.enterprise_results(session, uscc, published_only=actor.role == Role.ENTERPRISE)
    return [
        EnterpriseResult(
            run_id=run.id,
            year=run.year,
            run_status=run.status,
            status=r.status,
            group=r.group,
            total_score=r.total_score,
            rank=r.rank,
            carbon_grade=r.carbon_grade,
            **{"class": r.class_},
        )
        for r, run in rows
    ]


def previous_final_run(session: Session, actor: Actor, year: int) -> RunRead | None:
    """The newest final run of ``year - 1`` (for "review the draft against last year")."""
    run = repository.latest_final(session, year - 1)
    return _read(actor, run) if run is not None and (actor.is_staff or run.is_published) else None
