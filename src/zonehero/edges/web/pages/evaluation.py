"""评价 (evaluation): run a draft, review it against last year's final run, publish for 公示, answer 异议, finalise.

Staff read every run (leaders change nothing); the analyst acts. Each
action is one service call that audits; the page only collects the form.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import RedirectResponse, Response

from zonehero.core.domain.fields import FIELDS
from zonehero.edges.web import charts, exports
from zonehero.edges.web.deps import EditorUser, SessionDep, SettingsDep, StaffUser
from zonehero.edges.web.jobs_queue import EnqueueDep
from zonehero.edges.web.paging import MAX_ID, PageDep
from zonehero.edges.web.rendering import flash, render
from zonehero.errors import Conflict, InputError, InputProblem, NotFound
from zonehero.features.audit import service as audit
from zonehero.features.decision import service as decision
from zonehero.features.enterprises import service as enterprises
from zonehero.features.jobs import service as jobs
from zonehero.features.objections import service as objections
from zonehero.features.publication import service as publication
from zonehero.features.runs import compare, summary
from zonehero.features.runs import service as runs
from zonehero.features.runs.choice import scheme_of_run
from zonehero.features.runs.stored import stored_result
from zonehero.features.schemes import service as schemes
from zonehero.features.zone import service as zone

router = APIRouter(prefix="/runs", include_in_schema=False)

RunId = Annotated[int, Path(ge=1, le=MAX_ID)]
ObjectionId = Annotated[int, Path(ge=1, le=MAX_ID)]
SHOWN_MOVES = 200
SHOWN_CORRECTIONS = 50
"""A corrected draft against the run in 公示: class changes, then the largest score changes (one enterprise's
corrected figure moves its group's benchmarks, so most scores move a little)."""
ORDERS = {"rank": "组内排名", "score": "综合得分", "name": "企业名称", "uscc": "信用代码"}
"""The orders the results table offers; each is a keyset order of the runs repository (one index each)."""
ORDER_DIRECTIONS = {"rank": "ascending", "score": "descending", "name": "ascending", "uscc": "ascending"}
"""How each order runs, for the column header's aria-sort and arrow (the best score first)."""
CORRECTABLE_FIELDS = [(f.key, f.header) for f in FIELDS if f.key not in ("uscc",)]
"""Fields an accepted objection may correct, labelled with their unit (用地面积(亩) …)."""


@router.get("", name="run_list")
def run_list(request: Request, session: SessionDep, actor: StaffUser) -> Response:
    """Every run with its status, and (for editors) the form that makes a draft."""
    all_schemes = schemes.list_schemes(session, actor)
    versions = [(s.name, v) for s in all_schemes for v in reversed(s.versions)]
    years = sorted(enterprises.figure_years(session, actor), reverse=True)
    context = {"runs": runs.list_runs(session, actor), "versions": versions, "years": years}
    return render(request, "evaluation/list.html", context)


@router.post("", name="run_create")
def run_create(
    request: Request,
    session: SessionDep,
    actor: EditorUser,
    enqueue: EnqueueDep,
    year: Annotated[int, Form(ge=2000, le=2100)],
    scheme_version_id: Annotated[int, Form(ge=1, le=MAX_ID)],
    note: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    """Evaluate the stored figures of ``year`` with a scheme version as a new draft (a large zone: as a job)."""
    if jobs.in_background(enterprises.search_enterprises(session, actor, limit=1).total):
        parameters = {"year": year, "scheme_version_id": scheme_version_id, "note": note}
        job = jobs.submit(session, actor, "run_create", parameters, enqueue=enqueue)
        flash(request, f"企业较多，{year} 年度评价草稿在后台生成（任务 #{job.id}）", "info")
        return RedirectResponse(f"/jobs/{job.id}", status_code=303)
    run = runs.create_draft_run(
        session, actor, year=year, scheme_version_id=scheme_version_id, note=note.strip() or None
    )
    flash(request, f"已生成 {year} 年度评价草稿 #{run.id}（{run.result_count} 家企业）")
    return RedirectResponse(f"/runs/{run.id}", status_code=303)


@router.get("/{run_id}", name="run_detail")
def run_detail(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    actor: StaffUser,
    run_id: RunId,
    page: PageDep,
    class_: Annotated[str, Query(alias="class", pattern=r"^[ABCD]?$")] = "",
    group: Annotated[str, Query(pattern=r"^(above|below)?$")] = "",
    status: Annotated[str, Query(pattern=r"^(evaluated|vetoed|exempt|out_of_scope)?$")] = "",
    q: Annotated[str, Query(max_length=100)] = "",
    order: Annotated[str, Query(pattern=r"^(rank|score|name|uscc)$")] = "rank",
) -> Response:
    """A run, summary first: classes per group (table and chart) and the benchmarks, then the results (filtered,
    sorted and paged by the database, so a page costs the same whatever the zone), then the moves against last year
    (folded away), objections and actions."""
    run = runs.get_run(session, actor, run_id)
    scheme = scheme_of_run(session, actor, run.id)
    results = runs.list_results(
        session,
        actor,
        run.id,
        class_=class_ or None,
        group=group or None,
        status=status or None,
        q=q.strip() or None,
        order=order,
        limit=page.size,
        offset=page.offset,
        after=page.after,
    )
    try:
        comparison = compare.previous_year_summary(session, actor, run.id, shown=SHOWN_MOVES)
    except NotFound:
        comparison = None
    filters = {"class": class_, "group": group, "status": status, "q": q.strip(), "order": order}
    run_objections = objections.list_objections(session, actor, run_id=run.id)
    names = {o.uscc: enterprises.get_enterprise(session, actor, o.uscc).name for o in run_objections}
    context: dict[str, Any] = {
        "run": run,
        "results": results.items,
        "group_sizes": runs.evaluated_per_group(session, actor, run.id),
        "page": page.of(results.total, results.next_cursor),
        "filters": filters,
        "query_without_page": urlencode({k: v for k, v in filters.items() if v}),
        "comparison": comparison,
        "moves": comparison.moves if comparison else [],
        "objections": run_objections,
        "objection_names": names,
        "correction": compare.correction_summary(session, actor, run.id, shown=SHOWN_CORRECTIONS),
        "correction_origin": _correction_origin(session, actor, run),
        "finalize": publication.finalize_gate(session, actor, run.id),
        "publish": publication.publish_gate(session, actor, run.id),
        "notice": publication.notice_of(session, run),
        "land_warning": publication.land_notice_warning(session, actor, run),
        "zone": zone.get_profile(session),
        "calendar_warning": zone.calendar_warning(zone.get_profile(session)),
        "scheme_name": scheme.info.name,
        "orders": ORDERS,
        "sort_links": _sort_links(filters),
        "order_directions": ORDER_DIRECTIONS,
        "class_table_rows": summary.class_table(run.counts),
        "benchmarks": summary.zone_benchmarks(run.benchmarks, scheme),
        "industry_benchmarks": summary.industry_benchmark_count(run.benchmarks),
        "class_chart": charts.option_json(charts.class_counts_bar(run.counts)),
        "can_try_variants": run.status == "draft" and actor.is_staff,
    }
    return render(request, "evaluation/detail.html", context)


def _correction_origin(session: SessionDep, actor: Any, run: Any) -> list[dict[str, Any]]:
    """For a corrected draft: the accepted objections it was made from, with the enterprise's result in the run in
    公示 and in this draft (shown even when the correction left its score as it was)."""
    if run.source_run_id is None:
        return []
    found = []
    for o in objections.list_objections(session, actor, run_id=run.source_run_id, status="accepted"):
        if o.new_run_id != run.id:
            continue
        before = runs.get_result(session, actor, run.source_run_id, o.uscc)
        after = runs.get_result(session, actor, run.id, o.uscc)
        found.append({"objection": o, "before": before, "after": after})
    return found


def _sort_links(filters: dict[str, str]) -> dict[str, str]:
    """For each sortable column, the query that shows the results in that order (first page, other filters kept)."""
    kept = {k: v for k, v in filters.items() if v and k != "order"}
    return {order: urlencode({**kept, "order": order}) for order in ORDERS}


@router.post("/{run_id}/publish", name="run_publish")
def run_publish(
    request: Request,
    session: SessionDep,
    actor: EditorUser,
    run_id: RunId,
    period_days: Annotated[int, Form(ge=1, le=60, description="公示期天数")],
) -> Response:
    """Draft → 公示 for ``period_days`` days; the run is frozen from now on."""
    run = publication.publish_run(session, actor, run_id, period_days=period_days)
    flash(request, f"评价批次 #{run.id} 已发布公示，公示期 {run.notice_start} 至 {run.notice_end}")
    return RedirectResponse(f"/runs/{run_id}", status_code=303)


@router.post("/{run_id}/finalize", name="run_finalize")
def run_finalize(request: Request, session: SessionDep, actor: EditorUser, run_id: RunId) -> Response:
    """公示 → final, once the period is over and every objection is answered."""
    publication.finalize_run(session, actor, run_id)
    flash(request, f"评价批次 #{run_id} 已定稿")
    return RedirectResponse(f"/runs/{run_id}", status_code=303)


@router.post("/{run_id}/delete", name="run_delete")
def run_delete(request: Request, session: SessionDep, actor: EditorUser, run_id: RunId) -> Response:
    """Throw a draft away (published runs are kept for ever)."""
    runs.delete_draft(session, actor, run_id)
    flash(request, f"已删除评价草稿 #{run_id}", "info")
    return RedirectResponse("/runs", status_code=303)


@router.get("/{run_id}/export.xlsx", name="run_export")
def run_export(session: SessionDep, actor: StaffUser, run_id: RunId) -> Response:
    """The run's results, summary and data-quality notes as the bureau's workbook."""
    run = runs.get_run(session, actor, run_id)
    rows = runs.list_results(session, actor, run.id, limit=None).items
    body = exports.run_xlsx(stored_result(run, rows, scheme_of_run(session, actor, run.id)))
    audit.record_read(
        session,
        actor,
        "export.download",
        "evaluation_run",
        run.id,
        export="run_results",
        format="xlsx",
        year=run.year,
        run_id=run.id,
        enterprises=len(rows),
    )
    name = quote(f"{run.year}年度评价结果_批次{run.id}.xlsx")
    return Response(
        body,
        media_type=exports.XLSX_MEDIA_TYPE,
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{name}"},
    )


def _corrections(fields: list[str], values: list[str]) -> dict[str, str]:
    """Pairs of (field, new value) from the answer form; rows left blank are ignored."""
    if len(fields) != len(values):
        raise InputError(InputProblem("更正数据的项目与数值不成对", column="corrections"))
    known = {key for key, _ in CORRECTABLE_FIELDS}
    pairs: dict[str, str] = {}
    problems = []
    for key, value in zip(fields, values, strict=True):
        if not key and not value.strip():
            continue
        if key not in known:
            problems.append(InputProblem(f"未知的数据项「{key}」", column="field"))
        elif not value.strip():
            problems.append(InputProblem("请填写更正后的数值", column=key))
        else:
            pairs[key] = value.strip()
    if problems:
        raise InputError(problems)
    return pairs


@router.post("/{run_id}/objections/{objection_id}/accept", name="objection_accept")
def objection_accept(
    request: Request,
    session: SessionDep,
    actor: EditorUser,
    run_id: RunId,
    objection_id: ObjectionId,
    answer: Annotated[str, Form(max_length=5000)],
    field: Annotated[list[str], Form()],
    value: Annotated[list[str], Form()],
) -> Response:
    """Accept: correct the figures (traced to the objection) and make a new draft run from them."""
    done = objections.accept_objection(
        session, actor, objection_id, answer=answer, corrections=_corrections(field, value)
    )
    flash(request, f"已采纳异议 #{objection_id}，数据已更正并生成新的评价草稿 #{done.new_run_id}")
    return RedirectResponse(f"/runs/{done.new_run_id or run_id}", status_code=303)


@router.post("/{run_id}/objections/{objection_id}/reject", name="objection_reject")
def objection_reject(
    request: Request,
    session: SessionDep,
    actor: EditorUser,
    run_id: RunId,
    objection_id: ObjectionId,
    answer: Annotated[str, Form(max_length=5000)],
) -> Response:
    """Reject with a reason the enterprise will read."""
    objections.reject_objection(session, actor, objection_id, answer=answer)
    flash(request, f"已答复异议 #{objection_id}（不予采纳）", "info")
    return RedirectResponse(f"/runs/{run_id}", status_code=303)


def form_value(value: object) -> str:
    """A stored value as one types it back into a form (the importers' parsers read it as the same value)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@router.get("/{run_id}/objections/{objection_id}", name="objection_detail")
def objection_detail(
    request: Request,
    session: SessionDep,
    actor: StaffUser,
    run_id: RunId,
    objection_id: ObjectionId,
    field: Annotated[list[str] | None, Query(description="试算的数据项")] = None,
    value: Annotated[list[str] | None, Query(description="试算的数值")] = None,
) -> Response:
    """One 异议 for the analyst: the company, the disputed figures with their sources and the proposed values, and
    the exact effect on score, rank and class of accepting them (or of the values tried), before answering."""
    objection = objections.get_objection(session, actor, objection_id)
    if objection.run_id != run_id:
        raise NotFound("异议不存在")
    run = runs.get_run(session, actor, run_id)
    figures = {f.field: f for f in objections.run_figures(session, actor, run.id, objection.uscc)}
    tried = field is not None or value is not None
    pairs: dict[str, str] = {}
    problem: str | None = None
    if tried and len(field or []) + len(value or []) > 2 * len(CORRECTABLE_FIELDS):
        problem = "试算的数据项过多"
    elif tried:
        try:
            pairs = _corrections(field or [], value or [])
        except InputError as exc:
            problem = "；".join(p.message for p in exc.problems)
    else:
        pairs = {d.field: form_value(d.proposed) for d in objection.disputed or []}
    effect = None
    unreproducible = False
    if pairs and problem is None:
        try:
            effect = decision.correction_effect(session, actor, run.id, objection.uscc, pairs)
        except InputError as exc:
            problem = "；".join(p.message for p in exc.problems)
        except Conflict as exc:  # a run kept before its inputs were: the answer stays possible, without an effect
            problem, unreproducible = exc.message, True
    proposed = {d.field: d.proposed for d in objection.disputed or []}
    rows = [
        {
            "field": key,
            "label": figures[key].label if key in figures else key,
            "current": figures[key].value if key in figures else None,
            "source": figures[key].source if key in figures else "",
            "proposed": proposed.get(key),
            "value": raw,
        }
        for key, raw in (pairs or {k: form_value(v) for k, v in proposed.items()}).items()
    ]
    accept = [
        {"field": r["field"], "current": r["current"], "value": r["value"]}
        for r in rows
        if r["field"] in pairs and (effect is not None or unreproducible)
    ]
    context: dict[str, Any] = {
        "run": run,
        "objection": objection,
        "accept": accept,
        "enterprise": enterprises.get_enterprise(session, actor, objection.uscc),
        "result": runs.get_result(session, actor, run.id, objection.uscc),
        "figures": list(figures.values()),
        "rows": rows,
        "tried": tried,
        "effect": effect,
        "problem": problem,
        "correctable_fields": CORRECTABLE_FIELDS,
        "group_sizes": runs.evaluated_per_group(session, actor, run.id),
    }
    return render(request, "evaluation/objection.html", context)
