"""Evaluation runs: make a draft, publish it for 公示, finalise it; read runs and results.

Who may do what: the analyst creates, publishes and finalises; staff read
every run; an enterprise account reads only runs in 公示 or final, and only
its own row (anything else answers NotFound).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date
from typing import Any

import polars as pl
from sqlalchemy.orm import Session

from zonehero.clock import utcnow
from zonehero.core.evaluation import evaluate
from zonehero.errors import Conflict, InputError, InputProblem, NotFound
from zonehero.features.audit import service as audit
from zonehero.features.confirmation import service as confirmation
from zonehero.features.enterprises import service as enterprises
from zonehero.features.land import service as land
from zonehero.features.roles import Actor, Role, require_editor, require_staff
from zonehero.features.runs import aggregates, cursor, repository
from zonehero.features.runs import inputs as run_inputs
from zonehero.features.runs.models import EvaluationRun
from zonehero.features.runs.schemas import EnterpriseResult, ResultList, RunRead, RunResultRead
from zonehero.features.schemes import service as schemes
from zonehero.reports.land_text import land_sentence

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
    year_lineage = enterprises.year_lineage(session, year)
    corrected = year_lineage.filter(
        (pl.col("field") == "land_area_mu") & pl.col("department").is_in(enterprises.CORRECTED_DEPARTMENTS)
    )["uscc"].to_list()
    frame, land_kept = land.derive_for_run(session, year, scheme.land_rules, frame, corrected)
    history = prior_consecutive_d(session, year)
    result = evaluate(frame, scheme, year=year, history=history)
    records = result.records_frame()
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
            result_count=records.height,
            note=note,
            source_run_id=source_run_id,
            created_by=actor.id,
            created_at=utcnow(),
        ),
    )
    repository.insert_results(session, run.id, records)
    narrow = aggregates.narrow_records(records)
    repository.keep_aggregate(session, run.id, aggregates.DASHBOARD, aggregates.dashboard_figures(narrow).to_json())
    repository.keep_aggregate(session, run.id, aggregates.STATUS_COUNTS, aggregates.status_counts(narrow))
    repository.keep_aggregate(session, run.id, aggregates.ZONE_FIGURES, aggregates.zone_figures_json(result))
    used = result.inputs.select("uscc")
    lineage = year_lineage.join(used, on="uscc", how="semi")
    if land_kept is not None:
        lineage = _derived_land_lineage(lineage, land_kept)
    run_inputs.keep(session, run.id, result.inputs, history, lineage, land_kept)
    confirmation.keep_for_run(session, run.id, year)  # what the notices will say of each enterprise's 企业确认
    repository.keep_aggregate(session, run.id, aggregates.MAP_FIGURES, aggregates.map_figures(records))
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
            "land_derived": len(land_kept["enterprises"]) if land_kept is not None else None,
        },
    )
    return RunRead.model_validate(run)


def _derived_land_lineage(lineage: pl.DataFrame, land_kept: dict[str, Any]) -> pl.DataFrame:
    """The run's lineage with each derived 用地面积 sourced from the land registers and its derivation in a line
    (the notice prints it under 基础数据及来源), in place of the given figure's source."""
    derived = land_kept["enterprises"]
    if not derived:
        return lineage
    rows = pl.DataFrame(
        {
            "uscc": list(derived),
            "field": ["land_area_mu"] * len(derived),
            "department": [land.LAND_DEPARTMENT] * len(derived),
            "file": [land.LAND_SOURCE_FILE] * len(derived),
            "sheet": [None] * len(derived),
            "row": [None] * len(derived),
            "column": [land_sentence(record) for record in derived.values()],
        },
        schema=lineage.schema,
    )
    kept = lineage.filter(~((pl.col("field") == "land_area_mu") & pl.col("uscc").is_in(list(derived))))
    return pl.concat([kept, rows])


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


def start_notice(session: Session, actor: Actor, run_id: int, *, start: date, end: date) -> RunRead:
    """Draft → 公示 as far as the run itself decides; call :func:`publication.service.publish_run`.

    Checks what the runs alone know (a draft; one run in 公示 per year unless
    this is the corrected run of the one in 公示, which it then supersedes).
    Whether the run it replaces still has open objections is the publication
    workflow's check, made before this.
    """
    require_editor(actor)
    if end < start:
        raise InputError(InputProblem("公示期的结束日早于开始日", column="period_days"))
    run = _run(session, run_id, for_update=True)
    if run.status != "draft":
        raise Conflict("只有草稿可以发布公示：该批次已发布，请刷新页面查看它的当前状态")
    current = repository.active_notice(session, run.year)
    if current is not None and run.source_run_id != current.id:
        raise Conflict(
            f"{run.year} 年度已有公示中的评价批次 #{current.id}："
            "请等它定稿后再发布本草稿，或在它上面采纳异议生成更正草稿"
        )
    before = _state(run)
    run.status = "notice"
    run.notice_start = start
    run.notice_end = end
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


def active_notice(session: Session, actor: Actor, year: int) -> RunRead | None:
    """The run of ``year`` now in 公示 (not superseded), if any."""
    require_staff(actor)
    run = repository.active_notice(session, year)
    return RunRead.model_validate(run) if run is not None else None


def mark_final(session: Session, actor: Actor, run_id: int) -> RunRead:
    """公示 → final as far as the run itself decides; call :func:`publication.service.finalize_run`.

    The notice period and the open objections are the publication gate's
    checks, made before this.
    """
    require_editor(actor)
    run = _run(session, run_id, for_update=True)
    if run.status != "notice":
        raise Conflict("只有公示中的评价批次可以定稿")
    if run.superseded_by_id is not None:
        raise Conflict(f"该批次已被更正后的批次 #{run.superseded_by_id} 取代，不能定稿")
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
        raise Conflict("已发布的评价批次不能删除：公示和定稿的结果永久保留，如需更正请通过异议生成更正草稿")
    snapshot = {"year": run.year, "input_hash": run.input_hash, "results": run.result_count}
    session.delete(run)
    session.flush()
    audit.record(session, actor, "run.delete", "evaluation_run", run_id, before=snapshot)


def kept_lifts(session: Session, actor: Actor, run_id: int, compute: Callable[[], bytes]) -> bytes:
    """The run's 升类路径 table (:mod:`zonehero.core.evaluation.lift_book`): kept the first time it is computed.

    Internal: the caller checked who may see which enterprise; ``compute`` makes the table from the run.
    """
    run = get_run(session, actor, run_id)
    kept = repository.kept_lifts(session, run.id)
    if kept is not None:
        return kept
    data = compute()
    repository.keep_lifts(session, run.id, data)
    return data


def _kept(session: Session, run_id: int, name: str, compute: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """A run's kept aggregate ``name``; computed and kept now for a run made before aggregates were kept."""
    kept = repository.aggregate(session, run_id, name)
    if isinstance(kept, dict):
        return kept
    value = compute()
    repository.keep_aggregate(session, run_id, name, value)
    return value


def dashboard_figures(
    session: Session, actor: Actor, run_id: int
) -> tuple[aggregates.DashboardFigures, list[RunResultRead], list[RunResultRead]]:
    """The dashboard's figures of a run and its top and bottom result rows (staff only).

    Read from the run's kept aggregate; a run made before aggregates were kept gets it computed now, once.
    """
    require_staff(actor)
    _visible_run(session, actor, run_id)
    figures = aggregates.DashboardFigures.from_json(
        _kept(
            session,
            run_id,
            aggregates.DASHBOARD,
            lambda: aggregates.dashboard_figures(repository.records(session, run_id)).to_json(),
        )
    )
    rows = repository.results_of(session, run_id, figures.top + figures.bottom)
    top = [RunResultRead.model_validate(rows[u]) for u in figures.top if u in rows]
    bottom = [RunResultRead.model_validate(rows[u]) for u in figures.bottom if u in rows]
    return figures, top, bottom


def evaluated_in_group(session: Session, actor: Actor, run_id: int, group: str) -> int:
    """How many enterprises of ``group`` were evaluated in a run (staff only): a rank is read "53 / 212".

    Read from the run's kept counts; a run made before they were kept gets them counted now, once.
    """
    require_staff(actor)
    _visible_run(session, actor, run_id)
    kept = _kept(session, run_id, aggregates.STATUS_COUNTS, lambda: repository.status_counts(session, run_id))
    per_group = kept.get(group) or {}
    return int(per_group.get("evaluated", 0)) if isinstance(per_group, dict) else 0


def status_counts(session: Session, actor: Actor, run_id: int) -> dict[str, dict[str, int]]:
    """Enterprises per group and status of a run (staff only), from its kept counts (``{"above": {...}, ...}``)."""
    require_staff(actor)
    _visible_run(session, actor, run_id)
    kept = _kept(session, run_id, aggregates.STATUS_COUNTS, lambda: repository.status_counts(session, run_id))
    return {
        str(group): {str(s): int(n) for s, n in per_group.items()}
        for group, per_group in kept.items()
        if isinstance(per_group, dict)
    }


def evaluated_per_group(session: Session, actor: Actor, run_id: int) -> dict[str, int]:
    """:func:`evaluated_in_group` for every group at once: the "212" of each "53 / 212" on a results page."""
    require_staff(actor)
    _visible_run(session, actor, run_id)
    kept = _kept(session, run_id, aggregates.STATUS_COUNTS, lambda: repository.status_counts(session, run_id))
    return {
        str(group): int(per_group.get("evaluated", 0))
        for group, per_group in kept.items()
        if group and isinstance(per_group, dict)
    }


def zone_figures(session: Session, actor: Actor, run_id: int) -> dict[str, Any]:
    """The zone's land, tax and value added of a run and its industry divisions' 亩均税收 (staff only).

    Read from the run's kept aggregate; a run made before it was kept is evaluated again once from the inputs it
    kept (the figures need land and tax, which the result rows do not hold), and the answer kept.
    """
    require_staff(actor)
    run = _visible_run(session, actor, run_id)

    def compute() -> dict[str, Any]:
        frame, history = inputs_of(session, actor, run_id)
        scheme = schemes.validate_text(run.scheme_text, source=f"评价批次 #{run_id} 所用方案")
        return aggregates.zone_figures_json(evaluate(frame, scheme, year=run.year, history=history))

    return _kept(session, run_id, aggregates.ZONE_FIGURES, compute)


def map_figures(session: Session, actor: Actor, run_id: int) -> dict[str, dict[str, Any]]:
    """Per enterprise of a run, what the zone map shows: name, class, status, 亩均税收, score (staff only).

    Read from the run's kept aggregate (one row, whatever the zone's size); a run made before it was kept gets it
    from its result records once."""
    require_staff(actor)
    _visible_run(session, actor, run_id)
    kept = _kept(
        session, run_id, aggregates.MAP_FIGURES, lambda: aggregates.map_figures(repository.records(session, run_id))
    )
    return {str(u): dict(v) for u, v in kept.items() if isinstance(v, dict)}


def kept_land(session: Session, actor: Actor, run_id: int, uscc: str) -> tuple[bool, dict[str, Any] | None]:
    """(whether the run derived land from parcels, the enterprise's derivation or None when it kept the given
    用地面积) as the run kept it, never the current parcels; an enterprise account: its own, of a published run.
    A record with ``corrected`` is the parcels' derivation of an enterprise whose figure an accepted 异议 set (the
    run used that figure)."""
    enterprises.ensure_can_see(actor, uscc)
    run = _visible_run(session, actor, run_id)
    return run_inputs.kept_land_of(session, run.id, uscc)


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


def lineage_of(session: Session, actor: Actor, run_id: int, usccs: list[str]) -> pl.DataFrame:
    """Where the given enterprises' figures came from, as the run used them: kept with the run, or, for a run made
    before lineage was kept, the sources of the year's figures not written since the run was made (a figure an
    accepted 异议 or a later import replaced has no source rather than one the run did not use)."""
    run = _visible_run(session, actor, run_id)
    kept = run_inputs.kept_lineage(session, run.id)
    if kept is None:
        kept = enterprises.year_lineage(session, run.year, unchanged_since=run.created_at)
    return kept.filter(pl.col("uscc").is_in(usccs))


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
    after: str | None = None,
) -> ResultList:
    """A page of a run's results with filters; ``limit=None`` for all (exports). Enterprise: its own row only.

    With ``after`` (a cursor from the previous page's ``next_cursor``) the page starts after that page's last row
    through the order's index, whatever its depth; ``offset`` then does not apply.
    """
    run = _visible_run(session, actor, run_id)
    usccs = None if actor.is_staff else [actor.enterprise_uscc or ""]
    key = None if not after else cursor.decode(after, repository.order_kinds(order))
    page = repository.results_page(
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
        after=key,
        run_total=run.result_count,
    )
    return ResultList(
        items=[RunResultRead.model_validate(r) for r in page.rows],
        total=page.total,
        next_cursor=cursor.encode(page.last_key) if page.last_key is not None else None,
    )


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


def runs_in_notice(session: Session, actor: Actor) -> list[RunRead]:
    """The runs now in 公示 (not superseded), of every year, oldest first; published, so every account may know."""
    return [_read(actor, r) for r in repository.in_notice(session)]


def newest_final_run(session: Session, actor: Actor) -> RunRead | None:
    """The newest final run of the latest year that has one (whose notices are the ones to send now)."""
    run = repository.newest_final(session)
    return _read(actor, run) if run is not None else None
