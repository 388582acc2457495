"""项目调度 boards: the four lists of a year, the warnings board, difficulties by owner unit, closed months
(close, view) and the progress spreadsheet upload (preview, confirm). A closed month's scheduling table and
briefing are downloaded from :mod:`zonehero.edges.web.pages.documents` (``/projects/briefing/{y}/{m}.xlsx|.pdf``).

Every route calls one service of ``zonehero.features.projects``; permissions live there.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from zonehero.core.schedule.lists import LIST_LABELS, year_lists
from zonehero.core.schedule.model import DifficultyStatus
from zonehero.core.schedule.warnings import Light, last_closed_month
from zonehero.edges.web.deps import CurrentUser, SessionDep, SettingsDep
from zonehero.edges.web.pages.projects_forms import OfficeUser, as_of_day, parse_day
from zonehero.edges.web.paging import MAX_ID
from zonehero.edges.web.rendering import flash, render
from zonehero.errors import InputError, InputProblem
from zonehero.features.imports.storage import UploadedFile
from zonehero.features.projects import difficulties, months, progress, service

router = APIRouter(include_in_schema=False)

Year = Annotated[int, Path(ge=2000, le=2100)]
Month = Annotated[int, Path(ge=1, le=12)]
AsOf = Annotated[str | None, Query(description="截至日期 YYYY-MM-DD（默认今天）")]
LIST_KEYS = tuple(LIST_LABELS.items())


@router.get("/lists", name="project_lists")
def project_lists(
    request: Request,
    session: SessionDep,
    actor: CurrentUser,
    as_of: AsOf = None,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> Response:
    """四个一批 of a year as of a date: planned / achieved / rate, carried over and ahead marked, projects listed."""
    day = as_of_day(as_of)
    if year is not None and year != day.year:
        day = date(year, 12, 31) if year < day.year else date(year, 1, 1)
    data = service.load(session, actor, day.year)
    lists = year_lists(data.projects, day.year, day)
    lights = data.lights(day)
    names = {p.code: p for p in data.projects}
    context: dict[str, Any] = {
        "as_of": day,
        "year": day.year,
        "lists": lists,
        "list_keys": LIST_KEYS,
        "lights": lights,
        "projects": names,
        "years": list(range(day.year - 2, day.year + 2)),
    }
    return render(request, "projects/lists.html", context)


@router.get("/warnings", name="project_warnings")
def project_warnings(request: Request, session: SessionDep, actor: CurrentUser, as_of: AsOf = None) -> Response:
    """红黄灯: every red and yellow project with each reason, red first."""
    day = as_of_day(as_of)
    data = service.load(session, actor, day.year)
    lights = data.lights(day)
    flagged = sorted(
        (pl for pl in lights.values() if pl.light is not Light.GREEN), key=lambda pl: (-pl.light.severity, pl.code)
    )
    counts = {light.value: sum(1 for pl in lights.values() if pl.light is light) for light in Light}
    context = {
        "as_of": day,
        "flagged": flagged,
        "projects": {p.code: p for p in data.projects},
        "counts": counts,
        "closed_month": last_closed_month(day),
    }
    return render(request, "projects/warnings.html", context)


@router.get("/difficulties", name="project_difficulties")
def difficulty_board(
    request: Request,
    session: SessionDep,
    actor: CurrentUser,
    as_of: AsOf = None,
    unit: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    """问题清单 by owner unit: overdue days, escalation (督办) level, closure rate this year."""
    day = as_of_day(as_of)
    boards = difficulties.difficulty_board(session, actor, day, owner_unit=unit or None)
    context = {
        "as_of": day,
        "boards": boards,
        "unit": unit or "",
        "statuses": [(s.value, s.label) for s in DifficultyStatus],
    }
    return render(request, "projects/difficulties.html", context)


@router.post("/difficulties/{difficulty_id}", name="project_difficulty_update")
def difficulty_update(
    request: Request,
    session: SessionDep,
    actor: CurrentUser,
    difficulty_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    status: Annotated[str, Form(max_length=16)],
    resolution: Annotated[str, Form(max_length=2000)] = "",
    resolved_on: Annotated[str, Form(max_length=10)] = "",
    back: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Record how a difficulty is being handled (项目办, or the owner unit for its own)."""
    problems: list[InputProblem] = []
    day = parse_day(resolved_on, "resolved_on", problems)
    try:
        new_status = DifficultyStatus(status)
    except ValueError:
        problems.append(InputProblem(f"未知的办理状态「{status}」", column="status"))
        new_status = DifficultyStatus.OPEN
    if problems:
        raise InputError(problems)
    code = difficulties.update_difficulty(
        session, actor, difficulty_id, status=new_status, resolution=resolution, resolved_on=day
    )
    flash(request, f"已更新问题 #{difficulty_id} 的办理情况（{new_status.label}）")
    target = back if back.startswith("/projects") and "//" not in back else f"/projects/{quote(code)}"
    return RedirectResponse(target, status_code=303)


@router.get("/months", name="project_months")
def month_list(request: Request, session: SessionDep, actor: CurrentUser) -> Response:
    """Closed months (newest first) and, for the project office, the form that closes the next one."""
    closed = months.list_closed(session, actor)
    year, month = months.latest_closable_month(as_of_day(None))
    context = {"closed": closed, "default_year": year, "default_month": month}
    return render(request, "projects/months.html", context)


@router.post("/months", name="project_month_close")
def month_close(
    request: Request,
    session: SessionDep,
    actor: OfficeUser,
    year: Annotated[int, Form(ge=2000, le=2100)],
    month: Annotated[int, Form(ge=1, le=12)],
) -> Response:
    """Close a month: its report becomes a snapshot that later data does not change."""
    months.close_month(session, actor, year, month)
    flash(request, f"{year}年{month}月已关账，调度报告已保存")
    return RedirectResponse(f"/projects/months/{year}/{month}", status_code=303)


@router.get("/months/{year}/{month}", name="project_month")
def month_detail(request: Request, session: SessionDep, actor: CurrentUser, year: Year, month: Month) -> Response:
    """The stored report of a closed month."""
    snapshot = months.get_closed(session, actor, year, month)
    context = {"snapshot": snapshot, "report": snapshot.report, "names": snapshot.names, "list_keys": LIST_KEYS}
    return render(request, "projects/month.html", context)


@router.get("/progress/upload", name="project_progress_upload_form")
def upload_form(request: Request, actor: OfficeUser) -> Response:
    """The form for a monthly progress spreadsheet (the project office)."""
    return render(request, "projects/upload.html", {"upload": None})


@router.post("/progress/upload", name="project_progress_upload")
def upload_progress(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    actor: OfficeUser,
    file: Annotated[UploadFile, File(description="月度进展表格（xlsx/csv）")],
) -> Response:
    """Keep the spreadsheet and show what it would write, or every problem with file/row/column (nothing written)."""
    uploaded = UploadedFile(name=file.filename or "progress.xlsx", data=file.file.read())  # in the thread pool
    staged = progress.stage_progress_upload(session, actor, settings, uploaded)
    return render(request, "projects/upload.html", {"upload": staged}, status_code=422 if staged.problems else 200)


@router.post("/progress/upload/{upload_id}/confirm", name="project_progress_confirm")
def confirm_progress(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    actor: OfficeUser,
    upload_id: Annotated[str, Path(pattern=r"^[0-9a-f]{32}$")],
) -> Response:
    """Write the previewed spreadsheet (all rows or none)."""
    done = progress.confirm_progress_upload(session, actor, settings, upload_id)
    flash(request, f"已导入月度进展：新增 {done.progress_new} 条，更新 {done.progress_updated} 条")
    return RedirectResponse("/projects/warnings", status_code=303)
