"""评价 · what-if and robustness of a run, and the lift section of an enterprise's page.

* ``/runs/{id}/whatif``: on a draft, a form to change weights, cap, quotas,
  score lines, class mode, benchmark mode and bonus points; the result side
  by side with the draft (who changes class and why, paged; the class matrix), and
  "save as a new scheme version". Trying a variant reads only, so every staff role may (a leader too); saving
  one is the analyst's. The form is checked (each group's weights must keep their total, 100 in a standard
  scheme) before any work starts, and a refused form comes back with each message beside its field.
* ``/runs/{id}/robustness``: the share of weight draws in which each
  enterprise keeps its class, the fragile ones first. Staff.
* A run of more than ``sync_decision_max_enterprises`` enterprises: both are jobs (``whatif``, ``robustness``);
  the page redirects to ``/runs/{id}/whatif/jobs/{job}`` (``…/robustness/jobs/{job}``), which shows the job's
  progress bar and, once it is done, the same result view, read back from the job's result file.
* ``/enterprises/{uscc}/lift?run=``: an htmx partial for the enterprise page
  (staff, or the enterprise's own account on a published run).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from zonehero.config import Settings
from zonehero.core.domain.classes import GROUP_LABELS
from zonehero.core.domain.fields import FIELDS_BY_KEY
from zonehero.core.domain.labels import ZJTX_LEVEL_LABELS
from zonehero.core.evaluation.robustness import DEFAULT_SPREAD, DEFAULT_THRESHOLD
from zonehero.core.evaluation.scheme_model import Scheme
from zonehero.core.evaluation.whatif import weight_total_column
from zonehero.edges.web.deps import CurrentUser, EditorUser, SessionDep, SettingsDep, StaffUser
from zonehero.edges.web.jobs_queue import EnqueueDep
from zonehero.edges.web.pages.jobs import POLL_SECONDS
from zonehero.edges.web.paging import MAX_ID, PageDep, PageParams
from zonehero.edges.web.rendering import flash, render
from zonehero.errors import InputError, InputProblem, NotFound
from zonehero.features.decision import service as decision
from zonehero.features.decision.schemas import RobustnessRead, VariantRequest, WhatIfRead
from zonehero.features.jobs import service as jobs
from zonehero.features.jobs.schemas import JobRead
from zonehero.features.roles import Actor
from zonehero.features.runs import service as runs

router = APIRouter(include_in_schema=False)

RunId = Annotated[int, Path(ge=1, le=MAX_ID)]
JobId = Annotated[int, Path(ge=1, le=MAX_ID)]
USCC = Annotated[str, Path(min_length=18, max_length=18)]
Draws = Annotated[int, Query(ge=1, le=decision.MAX_DRAWS)]
Seed = Annotated[int, Query(ge=0, lt=2**32)]
Show = Annotated[str, Query(pattern=r"^(fragile|all)$")]
BENCHMARK_MODES = {"zone": "全区平均", "industry": "分行业平均", "fixed": "固定基准值"}
CLASS_MODES = {"quota": "按比例", "threshold": "按分数线"}
ZJTX_LABELS = ZJTX_LEVEL_LABELS


async def _form(request: Request) -> FormData:
    # The form's fields depend on the scheme, so it is read whole; reading is async, the work after it is not.
    return await request.form()


FormDep = Annotated[FormData, Depends(_form)]


# --- the variant form -------------------------------------------------------------------------------


def scheme_fields(scheme: Scheme) -> dict[str, str]:
    """The form's field names and the scheme's current values (as the inputs show them)."""
    values: dict[str, str] = {}
    for group_key, group in scheme.groups.items():
        for ind in group.indicators:
            values[f"w:{group_key}:{ind.key}"] = _text(ind.weight)
    values["cap"] = _text(scheme.scoring.cap)
    values["benchmark_mode"] = scheme.scoring.benchmark_mode
    c = scheme.classes
    values["class_mode"] = c.mode
    values.update(quota_a=str(c.quota_a), quota_b=str(c.quota_b), quota_c=str(c.quota_c))
    values.update(threshold_a=_text(c.threshold_a), threshold_b=_text(c.threshold_b), threshold_c=_text(c.threshold_c))
    for item, points in scheme.bonus.flags.items():
        values[f"bonus:{item}"] = _text(points)
    for level, points in scheme.bonus.zjtx_level.items():
        values[f"bonus:zjtx_level:{level}"] = _text(points)
    return values


def _text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def variant_request(form: FormData, scheme: Scheme) -> VariantRequest:
    """Only what the form changed from the scheme; InputError listing every unreadable number."""
    current = scheme_fields(scheme)
    problems: list[InputProblem] = []

    def number(name: str, label: str) -> float | None:
        raw = str(form.get(name, current[name])).strip()
        if raw == current[name]:
            return None
        try:
            value = float(raw)
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            problems.append(InputProblem(f"「{label}」应为数字", column=name))
            return None
        return None if value == float(current[name]) else value

    weights: dict[str, float] = {}
    for group_key, group in scheme.groups.items():
        for ind in group.indicators:
            changed = number(f"w:{group_key}:{ind.key}", f"{GROUP_LABELS.get(group_key, group_key)}「{ind.label}」权重")
            if changed is not None:
                weights[f"{group_key}.{ind.key}"] = changed
    bonus: dict[str, float] = {}
    for name in current:
        if name.startswith("bonus:"):
            changed = number(name, f"加分项 {name.removeprefix('bonus:')}")
            if changed is not None:
                bonus[name.removeprefix("bonus:")] = changed
    cap = number("cap", "得分比值上限")
    quota_parts = [number(f"quota_{c}", f"{c.upper()} 类累计比例") for c in "abc"]
    threshold_parts = [number(f"threshold_{c}", f"{c.upper()} 类分数线") for c in "abc"]
    if problems:
        raise InputError(problems)
    quotas = None
    if any(q is not None for q in quota_parts):
        raw = [q if q is not None else float(current[f"quota_{c}"]) for q, c in zip(quota_parts, "abc", strict=True)]
        if not all(q.is_integer() for q in raw):
            raise InputError(InputProblem("A/B/C 类累计比例应为整数", column="quota_a"))
        quotas = (int(raw[0]), int(raw[1]), int(raw[2]))
    thresholds = None
    if any(t is not None for t in threshold_parts):
        tr = [
            t if t is not None else float(current[f"threshold_{c}"])
            for t, c in zip(threshold_parts, "abc", strict=True)
        ]
        thresholds = (tr[0], tr[1], tr[2])
    class_mode = str(form.get("class_mode", current["class_mode"]))
    benchmark_mode = str(form.get("benchmark_mode", current["benchmark_mode"]))
    if class_mode not in CLASS_MODES:
        raise InputError(InputProblem("未知的分类方式", column="class_mode"))
    if benchmark_mode not in BENCHMARK_MODES:
        raise InputError(InputProblem("未知的基准值方式", column="benchmark_mode"))
    return VariantRequest(
        weights=weights,
        cap=cap,
        quotas=quotas,
        thresholds=thresholds,
        class_mode=class_mode if class_mode != current["class_mode"] else None,  # type: ignore[arg-type]
        benchmark_mode=benchmark_mode if benchmark_mode != current["benchmark_mode"] else None,  # type: ignore[arg-type]
        bonus=bonus,
    )


def _flag_label(key: str) -> str:
    """A bonus flag's Chinese label from the field registry (高新技术企业, not high_tech)."""
    field = FIELDS_BY_KEY.get(key)
    return field.label if field is not None else key


def _form_context(run: Any, scheme: Scheme, values: dict[str, str]) -> dict[str, Any]:
    groups = [
        {
            "key": group_key,
            "label": GROUP_LABELS.get(group_key, group_key),
            "indicators": [{"key": i.key, "label": i.label, "weight": i.weight} for i in group.indicators],
            "total": _text(group.total_weight),
            "total_field": weight_total_column(group_key),
        }
        for group_key, group in scheme.groups.items()
    ]
    bonus = [(f"bonus:{item}", _flag_label(item)) for item in scheme.bonus.flags] + [
        (f"bonus:zjtx_level:{level}", ZJTX_LABELS.get(level, level)) for level in scheme.bonus.zjtx_level
    ]
    return {
        "run": run,
        "scheme_name": scheme.info.name,
        "groups": groups,
        "bonus_items": bonus,
        "values": values,
        "benchmark_modes": BENCHMARK_MODES,
        "class_modes": CLASS_MODES,
        "errors": {},
    }


_WEIGHT_PATH = re.compile(r"^groups\.(?P<group>[^.]+)\.indicators\.(?P<indicator>[^.]+)\.weight$")


def field_errors(problems: Iterable[InputProblem]) -> dict[str, list[str]]:
    """Messages by the form field they belong beside (a scheme path becomes the input's name); ``""`` for the rest."""
    errors: dict[str, list[str]] = {}
    for p in problems:
        column = p.column or ""
        weight = _WEIGHT_PATH.match(column)
        if weight:
            column = f"w:{weight['group']}:{weight['indicator']}"
        errors.setdefault(column, []).append(p.message)
    return errors


def _submitted(form: FormData, scheme: Scheme) -> dict[str, str]:
    values = scheme_fields(scheme)
    return {name: str(form.get(name, value)) for name, value in values.items()}


@router.get("/runs/{run_id}/whatif", name="whatif_form")
def whatif_form(request: Request, session: SessionDep, actor: StaffUser, run_id: RunId) -> Response:
    """The variant form, filled with the draft's scheme."""
    run, scheme = decision.draft_scheme(session, actor, run_id)
    return render(request, "whatif/index.html", _form_context(run, scheme, scheme_fields(scheme)))


def _whatif_result(answer: WhatIfRead, page: PageParams, variant: VariantRequest) -> dict[str, Any]:
    """The result view: counts and matrices in full, the changed enterprises one page at a time."""
    return {
        "result": answer,
        "changes": answer.changes[page.offset : page.offset + page.size],
        "page": page.of(answer.changed),
        "query_without_page": "",
        "before_counts": answer.counts_before,
        "after_counts": answer.counts_after,
        "matrices": answer.matrices,
        "variant_is_empty": variant.is_empty(),
    }


@router.post("/runs/{run_id}/whatif", name="whatif_run")
def whatif_run(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    actor: StaffUser,
    enqueue: EnqueueDep,
    run_id: RunId,
    form: FormDep,
    page: PageDep,
) -> Response:
    """Run the variant and show it side by side with the draft (in the thread pool: it re-evaluates the zone);
    a large zone's what-if is a job, followed on its own page. ``?page=`` pages the changed enterprises (the
    pager re-posts the form). A form with mistakes comes back (422) with each message beside its field, before
    anything is computed or queued."""
    run, scheme = decision.draft_scheme(session, actor, run_id)
    try:
        variant = variant_request(form, scheme)
        decision.check_variant(scheme, variant)
    except InputError as exc:
        context = _form_context(run, scheme, _submitted(form, scheme)) | {"errors": field_errors(exc.problems)}
        return render(request, "whatif/index.html", context, status_code=422)
    if jobs.decision_in_background(run.result_count, settings):
        parameters = {"run_id": run_id, "variant": variant.model_dump(mode="json")}
        job = jobs.submit(session, actor, "whatif", parameters, enqueue=enqueue)
        flash(
            request,
            f"企业较多（{run.result_count:,} 家），试算在后台进行（任务 #{job.id}），完成后在本页显示结果",
            "info",
        )
        return RedirectResponse(f"/runs/{run_id}/whatif/jobs/{job.id}", status_code=303)
    answer = decision.what_if(session, actor, run_id, variant).read()
    context = _form_context(run, scheme, _submitted(form, scheme))
    context.update(_whatif_result(answer, page, variant), paged_by_form=True)
    return render(request, "whatif/index.html", context)


def _queued(what: str, enterprises: int, job_id: int) -> str:
    return f"企业较多（{enterprises:,} 家），{what}在后台进行（任务 #{job_id}），完成后在本页显示结果"


def _job_of_run(
    session: Session, actor: Actor, settings: Settings, run_id: int, job_id: int, kind: str
) -> tuple[JobRead, str | None]:
    """The job ``job_id`` of ``kind`` about run ``run_id`` and its result text once done (NotFound otherwise)."""
    job, text = jobs.result_text(session, actor, job_id, kind=kind, settings=settings)
    if (job.parameters or {}).get("run_id") != run_id:
        raise NotFound(jobs.JOB_NOT_FOUND)
    return job, text


def _progress_context(job: JobRead, url: str) -> dict[str, Any]:
    return {"job": job, "poll_seconds": POLL_SECONDS, "progress_url": url}


def _progress_panel(request: Request, job: JobRead, url: str) -> Response:
    """The job's progress panel for htmx polling; once the job has finished the page reloads to show its result."""
    response = render(request, "jobs/_progress.html", _progress_context(job, url))
    if job.finished:
        response.headers["HX-Refresh"] = "true"
    return response


@router.get("/runs/{run_id}/whatif/jobs/{job_id}", name="whatif_job")
def whatif_job(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    actor: StaffUser,
    run_id: RunId,
    job_id: JobId,
    page: PageDep,
) -> Response:
    """A what-if job: the form as submitted, the progress bar while it runs, then the result view."""
    job, text = _job_of_run(session, actor, settings, run_id, job_id, "whatif")
    run, scheme = decision.draft_scheme(session, actor, run_id)
    variant = VariantRequest.model_validate((job.parameters or {}).get("variant") or {})
    context = _form_context(run, scheme, scheme_fields(decision.variant_of(scheme, variant)))
    context.update(_progress_context(job, f"/runs/{run_id}/whatif/jobs/{job_id}/progress"))
    if text is not None:
        context.update(_whatif_result(WhatIfRead.model_validate_json(text), page, variant))
    return render(request, "whatif/index.html", context)


@router.get("/runs/{run_id}/whatif/jobs/{job_id}/progress", name="whatif_job_progress")
def whatif_job_progress(
    request: Request, session: SessionDep, settings: SettingsDep, actor: StaffUser, run_id: RunId, job_id: JobId
) -> Response:
    job, _ = _job_of_run(session, actor, settings, run_id, job_id, "whatif")
    return _progress_panel(request, job, f"/runs/{run_id}/whatif/jobs/{job_id}/progress")


@router.post("/runs/{run_id}/whatif/save", name="whatif_save")
def whatif_save(request: Request, session: SessionDep, actor: EditorUser, run_id: RunId, form: FormDep) -> Response:
    """Save the variant as the next version of the draft's scheme."""
    _, scheme = decision.draft_scheme(session, actor, run_id)
    note = str(form.get("note", "")).strip()[:500] or None
    version = decision.save_variant(session, actor, run_id, variant_request(form, scheme), note=note)
    flash(request, f"已保存为方案新版本（第 {version.version} 版），可用它重新生成评价草稿")
    return RedirectResponse(f"/schemes/versions/{version.id}", status_code=303)


# --- robustness --------------------------------------------------------------------------------------


def _robustness_context(run_id: int, draws: int, seed: int, show: str, *, background: bool) -> dict[str, Any]:
    return {
        "run_id": run_id,
        "draws": draws,
        "seed": seed,
        "spread": DEFAULT_SPREAD,
        "threshold": DEFAULT_THRESHOLD,
        "show": show,
        "background": background,
    }


def _robustness_result(answer: RobustnessRead, page: PageParams, show: str, query: dict[str, Any]) -> dict[str, Any]:
    rows = [i for i in answer.items if i.fragile] if show == "fragile" else answer.items
    return {
        "answer": answer,
        "rows": rows[page.offset : page.offset + page.size],
        "page": page.of(len(rows)),
        "query_without_page": urlencode(query),
    }


@router.get("/runs/{run_id}/robustness", name="robustness_page")
def robustness_page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    actor: StaffUser,
    run_id: RunId,
    page: PageDep,
    draws: Draws = 1000,
    seed: Seed = 0,
    show: Show = "fragile",
) -> Response:
    """Share of draws (every weight ±20%, renormalised) in which each enterprise keeps its class. A large zone's
    check is a job: this page then offers the form, which submits it."""
    background = jobs.decision_in_background(runs.get_run(session, actor, run_id).result_count, settings)
    context = _robustness_context(run_id, draws, seed, show, background=background)
    if not background:
        answer = decision.robustness(session, actor, run_id, draws=draws, seed=seed)
        context.update(_robustness_result(answer, page, show, {"draws": draws, "seed": seed, "show": show}))
    return render(request, "whatif/robustness.html", context)


@router.post("/runs/{run_id}/robustness", name="robustness_submit")
def robustness_submit(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    actor: StaffUser,
    enqueue: EnqueueDep,
    run_id: RunId,
    draws: Annotated[int, Form(ge=1, le=decision.MAX_DRAWS)] = 1000,
    seed: Annotated[int, Form(ge=0, lt=2**32)] = 0,
    show: Annotated[str, Form(pattern=r"^(fragile|all)$")] = "fragile",
) -> Response:
    """Start the check of a large zone as a job and follow it (a small zone: straight to the answer)."""
    run = runs.get_run(session, actor, run_id)
    if not jobs.decision_in_background(run.result_count, settings):
        query = urlencode({"draws": draws, "seed": seed, "show": show})
        return RedirectResponse(f"/runs/{run_id}/robustness?{query}", status_code=303)
    job = jobs.submit(session, actor, "robustness", {"run_id": run_id, "draws": draws, "seed": seed}, enqueue=enqueue)
    flash(
        request, f"企业较多（{run.result_count:,} 家），检验在后台进行（任务 #{job.id}），完成后在本页显示结果", "info"
    )
    return RedirectResponse(f"/runs/{run_id}/robustness/jobs/{job.id}?show={show}", status_code=303)


@router.get("/runs/{run_id}/robustness/jobs/{job_id}", name="robustness_job")
def robustness_job(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    actor: StaffUser,
    run_id: RunId,
    job_id: JobId,
    page: PageDep,
    show: Show = "fragile",
) -> Response:
    """A robustness job: the progress bar (draws done) while it runs, then the result view."""
    job, text = _job_of_run(session, actor, settings, run_id, job_id, "robustness")
    parameters = job.parameters or {}
    draws, seed = int(parameters.get("draws", 1000)), int(parameters.get("seed", 0))
    context = _robustness_context(run_id, draws, seed, show, background=True)
    context.update(_progress_context(job, f"/runs/{run_id}/robustness/jobs/{job_id}/progress"))
    if text is not None:
        context.update(_robustness_result(RobustnessRead.model_validate_json(text), page, show, {"show": show}))
    return render(request, "whatif/robustness.html", context)


@router.get("/runs/{run_id}/robustness/jobs/{job_id}/progress", name="robustness_job_progress")
def robustness_job_progress(
    request: Request, session: SessionDep, settings: SettingsDep, actor: StaffUser, run_id: RunId, job_id: JobId
) -> Response:
    job, _ = _job_of_run(session, actor, settings, run_id, job_id, "robustness")
    return _progress_panel(request, job, f"/runs/{run_id}/robustness/jobs/{job_id}/progress")


# --- lift ----------------------------------------------------------------------------------------------


@router.get("/enterprises/{uscc}/lift", name="lift_partial")
def lift_partial(
    request: Request, session: SessionDep, actor: CurrentUser, uscc: USCC, run: Annotated[int, Query(ge=1, le=MAX_ID)]
) -> Response:
    """The enterprise page's 升类路径 section (an htmx partial)."""
    return render(request, "decision/lift.html", {"lift": decision.enterprise_lift(session, actor, uscc, run)})
