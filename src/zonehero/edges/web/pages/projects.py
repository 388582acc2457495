"""项目调度: the project library (filters and search) and a project's page with its edits.

The page shows the milestone timeline (planned against actual), progress and
photos by month, investment against 时序进度 as a chart, and difficulties.
The project office edits milestones, yearly plans and progress and raises
difficulties here; the boards (lists, warnings, difficulties, months,
upload) live in :mod:`zonehero.edges.web.pages.projects_schedule` and are
included first so their fixed paths win over ``/projects/{code}``.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import FileResponse, RedirectResponse, Response

from zonehero.core.schedule.model import (
    DifficultyCategory,
    DifficultyStatus,
    MilestoneKind,
    ProgressReport,
    Stage,
)
from zonehero.core.schedule.warnings import Light, prorated_plan
from zonehero.edges.web.deps import CurrentUser, SessionDep, SettingsDep
from zonehero.edges.web.pages import projects_schedule
from zonehero.edges.web.pages.projects_forms import OfficeUser, as_of_day, parse_amount, parse_day
from zonehero.edges.web.paging import MAX_ID, PageDep
from zonehero.edges.web.rendering import flash, render
from zonehero.errors import InputError, InputProblem
from zonehero.features.imports.storage import UploadedFile
from zonehero.features.investment import service as investment
from zonehero.features.projects import detail, difficulties, progress, service
from zonehero.features.projects.schemas import ProjectDetail
from zonehero.features.zone import service as zone

router = APIRouter(prefix="/projects", include_in_schema=False)
router.include_router(projects_schedule.router)

Code = Annotated[str, Path(min_length=1, max_length=64)]
LIGHT_BADGE = {"red": "text-bg-danger", "yellow": "text-bg-warning", "green": "text-bg-success"}
PLAN_COLOUR, DONE_COLOUR, MONTH_COLOUR = "#d73027", "#1f77b4", "#9ecae1"


@router.get("", name="project_list")
def project_list(
    request: Request,
    session: SessionDep,
    actor: CurrentUser,
    page: PageDep,
    as_of: Annotated[str | None, Query()] = None,
    stage: Annotated[Stage | None, Query()] = None,
    chain: Annotated[str | None, Query(max_length=64)] = None,
    unit: Annotated[str | None, Query(max_length=64)] = None,
    light: Annotated[Light | None, Query()] = None,
    q: Annotated[str | None, Query(max_length=100)] = None,
) -> Response:
    """The library: stage, industry chain, responsible unit and light filters, search on code, name and investor."""
    day = as_of_day(as_of)
    everything = service.list_projects(session, actor, as_of=day)
    found = service.list_projects(
        session, actor, as_of=day, stage=stage, chain=chain or None, unit=unit or None, light=light, query=q
    )
    filters = {
        "as_of": as_of or "",
        "stage": stage.value if stage else "",
        "chain": chain or "",
        "unit": unit or "",
        "light": light.value if light else "",
        "q": q or "",
    }
    known = zone.get_profile(session).industry_chains
    chains = [*known, *sorted({i.industry_chain for i in everything.items if i.industry_chain} - set(known))]
    context: dict[str, Any] = {
        "as_of": day,
        "items": found.items[page.offset : page.offset + page.size],
        "page": page.of(found.total),
        "query_without_page": urlencode({k: v for k, v in filters.items() if v}),
        "filters": filters,
        "stages": [(s.value, s.label) for s in Stage],
        "lights": [(light.value, light.label) for light in Light],
        "chains": chains,
        "units": sorted({i.unit for i in everything.items if i.unit}),
        "light_counts": {v: sum(1 for i in everything.items if i.light == v) for v in LIGHT_BADGE},
        "light_badge": LIGHT_BADGE,
    }
    return render(request, "projects/list.html", context)


def investment_chart(project: ProjectDetail) -> dict[str, Any]:
    """ECharts option: monthly investment, year-to-date, and the 时序进度 line of the year plan (万元)."""
    year = project.as_of.year
    by_month = {p.month: p.investment_month for p in project.progress if p.year == year}
    monthly = [round(by_month.get(m, 0.0), 1) for m in range(1, 13)]
    cumulative, running = [], 0.0
    for m in range(1, 13):
        running += by_month.get(m, 0.0)
        cumulative.append(round(running, 1) if m in by_month or m <= max(by_month, default=0) else None)
    plan = project.year_plans.get(year)
    series: list[dict[str, Any]] = [
        {"name": "当月完成投资", "type": "bar", "data": monthly, "itemStyle": {"color": MONTH_COLOUR}},
        {"name": "累计完成投资", "type": "line", "data": cumulative, "itemStyle": {"color": DONE_COLOUR}},
    ]
    if plan:
        line = [round(prorated_plan(plan, m), 1) for m in range(1, 13)]
        series.append(
            {
                "name": "时序进度（年度计划按月分摊）",
                "type": "line",
                "data": line,
                "lineStyle": {"type": "dashed"},
                "itemStyle": {"color": PLAN_COLOUR},
            }
        )
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0},
        "grid": {"left": 60, "right": 20, "top": 40, "bottom": 30},
        "xAxis": {"type": "category", "data": [f"{m}月" for m in range(1, 13)]},
        "yAxis": {"type": "value", "name": "万元"},
        "series": series,
    }


@router.get("/{code}", name="project_detail")
def project_page(
    request: Request, session: SessionDep, actor: CurrentUser, code: Code, as_of: Annotated[str | None, Query()] = None
) -> Response:
    """One project: milestones planned against actual, light with reasons, progress and photos, chart, difficulties."""
    day = as_of_day(as_of)
    project = detail.project_detail(session, actor, code, day)
    context = {
        "p": project,
        "s": project.summary,
        "chart": investment_chart(project),  # the template writes it with tojson (cannot close the block)
        "light_badge": LIGHT_BADGE,
        "milestone_kinds": [(k.value, k.label) for k in MilestoneKind],
        "categories": [(c.value, c.label) for c in DifficultyCategory],
        "statuses": [(s.value, s.label) for s in DifficultyStatus],
        "year": day.year,
        "month": day.month,
        "code_url": quote(code),
        "leads": investment.leads_of_project(session, actor, code),
    }
    return render(request, "projects/detail.html", context)


def _back(code: str) -> RedirectResponse:
    return RedirectResponse(f"/projects/{quote(code)}", status_code=303)


@router.post("/{code}/milestones", name="project_milestone")
def project_milestone(
    request: Request,
    session: SessionDep,
    actor: OfficeUser,
    code: Code,
    milestone: Annotated[str, Form(max_length=16)],
    planned: Annotated[str, Form(max_length=10)] = "",
    actual: Annotated[str, Form(max_length=10)] = "",
    reason: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    """Set a milestone's planned and actual dates (out of order refused; moving back needs a reason)."""
    problems: list[InputProblem] = []
    try:
        kind = MilestoneKind(milestone)
    except ValueError:
        problems.append(InputProblem(f"未知的节点「{milestone}」", column="milestone"))
        kind = MilestoneKind.SIGNING
    planned_day = parse_day(planned, "planned", problems)
    actual_day = parse_day(actual, "actual", problems)
    if problems:
        raise InputError(problems)
    change = service.update_milestone(
        session, actor, code, kind, planned=planned_day, actual=actual_day, reason=reason or None
    )
    flash(request, f"已更新{kind.label}节点，项目阶段：{change.stage_after.label}")
    return _back(code)


@router.post("/{code}/plans", name="project_plan")
def project_plan(
    request: Request,
    session: SessionDep,
    actor: OfficeUser,
    code: Code,
    year: Annotated[int, Form(ge=2000, le=2100)],
    amount: Annotated[str, Form(max_length=32)] = "",
) -> Response:
    """Set 年度计划投资 of a year (empty removes it)."""
    problems: list[InputProblem] = []
    value = parse_amount(amount, "amount", problems)
    if problems:
        raise InputError(problems)
    service.set_year_plan(session, actor, code, year, value)
    flash(request, f"已保存 {year} 年度计划投资")
    return _back(code)


@router.post("/{code}/progress", name="project_progress")
def project_progress(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    actor: OfficeUser,
    code: Code,
    year: Annotated[int, Form(ge=2000, le=2100)],
    month: Annotated[int, Form(ge=1, le=12)],
    investment_month: Annotated[str, Form(max_length=32)] = "",
    percent_done: Annotated[str, Form(max_length=16)] = "",
    progress_text: Annotated[str, Form(max_length=2000)] = "",
    photos: Annotated[list[UploadFile] | None, File(description="现场照片（JPEG/PNG）")] = None,
) -> Response:
    """Enter one month's progress with site photos."""
    problems: list[InputProblem] = []
    investment = parse_amount(investment_month, "investment_month", problems)
    percent = parse_amount(percent_done, "percent_done", problems)
    if problems:
        raise InputError(problems)
    # Read from the spooled file (this handler runs in the thread pool); one byte over the limit is enough for
    # the service to refuse an oversized photo by name.
    files = [
        UploadedFile(name=f.filename or "photo", data=f.file.read(settings.photo_max_bytes + 1))
        for f in photos or []
        if f.filename
    ]
    report = ProgressReport(code, year, month, investment or 0.0, percent, progress_text.strip())
    saved = progress.record_progress(session, actor, settings, report, files)
    flash(request, f"已保存 {year}年{month}月 进展（照片 {len(saved.photos)} 张）")
    return _back(code)


@router.post("/{code}/difficulties", name="project_difficulty_add")
def project_difficulty_add(
    request: Request,
    session: SessionDep,
    actor: OfficeUser,
    code: Code,
    description: Annotated[str, Form(max_length=2000)],
    category: Annotated[str, Form(max_length=16)],
    owner_unit: Annotated[str, Form(max_length=64)],
    raised_on: Annotated[str, Form(max_length=10)],
    deadline: Annotated[str, Form(max_length=10)],
) -> Response:
    """Raise a difficulty (交办) to an owner unit with a deadline."""
    problems: list[InputProblem] = []
    raised = parse_day(raised_on, "raised_on", problems)
    due = parse_day(deadline, "deadline", problems)
    try:
        kind = DifficultyCategory(category)
    except ValueError:
        problems.append(InputProblem(f"未知的问题类别「{category}」", column="category"))
        kind = DifficultyCategory.OTHER
    if raised is None and not problems:
        problems.append(InputProblem("请填写提出日期", column="raised_on"))
    if due is None and not problems:
        problems.append(InputProblem("请填写办结时限", column="deadline"))
    if problems or raised is None or due is None:
        raise InputError(problems)
    difficulties.add_difficulty(
        session,
        actor,
        code,
        description=description,
        category=kind,
        raised_on=raised,
        owner_unit=owner_unit,
        deadline=due,
    )
    flash(request, f"已交办问题给「{owner_unit.strip()}」")
    return _back(code)


@router.get("/{code}/photos/{photo_id}", name="project_photo")
def project_photo(
    session: SessionDep,
    settings: SettingsDep,
    actor: CurrentUser,
    code: Code,
    photo_id: Annotated[int, Path(ge=1, le=MAX_ID)],
) -> Response:
    """A site photo of a project the user may see (served with its checked type)."""
    path, media_type, name = progress.photo_file(session, actor, settings, code, photo_id)
    return FileResponse(
        path, media_type=media_type, headers={"Content-Disposition": f"inline; filename*=UTF-8''{quote(name)}"}
    )
