"""数据归集 (department submissions): the board, the round page, the departments, and a department's own desk.

Staff read the board (归集看板); the analyst opens a round, moves deadlines, reminds (催办) a department, makes and
revokes its API tokens and confirms a submission (the imports page's 确认导入 does the writing). A department's
account (部门填报员) uploads its own files for a round and reads its own submissions, nothing else. Every decision
is the collection service's; these routes parse, call it and render.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from zonehero.clock import today
from zonehero.core.domain.fields import FIELDS
from zonehero.edges.web.deps import EditorUser, SessionDep, SettingsDep, StaffUser, require_role
from zonehero.edges.web.pages.imports import field_label
from zonehero.edges.web.paging import MAX_ID
from zonehero.edges.web.rendering import flash, render
from zonehero.edges.web.uploads import read_uploads
from zonehero.features.collection import service as collection
from zonehero.features.imports import service as imports
from zonehero.features.roles import Actor, Role

router = APIRouter(prefix="/collection", include_in_schema=False)

DepartmentUser = Annotated[Actor, require_role(Role.DEPARTMENT)]
"""A department's account (部门填报员)."""
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
YearPath = Annotated[int, Path(ge=2000, le=2100)]
YearForm = Annotated[int, Form(ge=2000, le=2100, description="数据年度")]
SELECTABLE_FIELDS = [f for f in FIELDS if f.key not in ("uscc", "name")]


def _default_year() -> int:
    return today().year - 1


@router.get("", name="collection_board")
def board_page(
    request: Request,
    session: SessionDep,
    actor: StaffUser,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> Response:
    """The board: per department expected, received (when, by whom), late, with problems, confirmed."""
    shown = collection.board(session, actor, year or (collection.newest_year(session) or _default_year()))
    return render(request, "collection/board.html", {"board": shown})


@router.post("/rounds", name="collection_open")
def open_round(
    request: Request,
    session: SessionDep,
    actor: EditorUser,
    year: YearForm,
    deadline: Annotated[date | None, Form(description="截止日期")] = None,
) -> Response:
    collection.open_round(session, actor, year, deadline=deadline)
    flash(request, f"已开启 {year} 年度数据归集")
    return RedirectResponse(f"/collection?year={year}", status_code=303)


def _round_page(request: Request, session: SessionDep, actor: Actor, year: int, **extra: Any) -> Response:
    view = collection.round_view(session, actor, year)
    return render(request, "collection/round.html", {"view": view, "new_token": None, **extra})


@router.get("/{year}/round", name="collection_round")
def round_page(request: Request, session: SessionDep, actor: EditorUser, year: YearPath) -> Response:
    """Deadlines per department and the departments' API tokens."""
    return _round_page(request, session, actor, year)


@router.post("/{year}/expectations/{expectation_id}/deadline", name="collection_deadline")
def set_deadline(
    request: Request,
    session: SessionDep,
    actor: EditorUser,
    year: YearPath,
    expectation_id: Id,
    deadline: Annotated[date, Form(description="截止日期")],
) -> Response:
    collection.set_deadline(session, actor, expectation_id, deadline, year=year)
    flash(request, "已修改截止日期")
    return RedirectResponse(f"/collection/{year}/round", status_code=303)


@router.post("/{year}/expectations/{expectation_id}/remind", name="collection_remind")
def remind(request: Request, session: SessionDep, actor: EditorUser, year: YearPath, expectation_id: Id) -> Response:
    """催办: the department's accounts get an urgent to-do until its file arrives."""
    row = collection.remind(session, actor, expectation_id, year=year)
    flash(request, f"已向{row.department}催办，该部门账户的待办中会显示")
    return RedirectResponse(f"/collection?year={year}", status_code=303)


@router.post("/{year}/tokens", name="collection_token_create")
def create_token(
    request: Request,
    session: SessionDep,
    actor: EditorUser,
    year: YearPath,
    department: Annotated[str, Form(max_length=32)],
) -> Response:
    """A new token, shown on this page once (never again: only its hash is kept)."""
    made = collection.create_token(session, actor, department)
    return _round_page(request, session, actor, year, new_token=made)


@router.post("/tokens/{token_id}/revoke", name="collection_token_revoke")
def revoke_token(request: Request, session: SessionDep, actor: EditorUser, token_id: Id, year: YearForm) -> Response:
    revoked = collection.revoke_token(session, actor, token_id)
    flash(request, f"已吊销{revoked.department}的接口令牌 {revoked.prefix}", "info")
    return RedirectResponse(f"/collection/{year}/round", status_code=303)


@router.get("/departments", name="collection_departments")
def departments_page(request: Request, session: SessionDep, actor: EditorUser) -> Response:
    """The departments (报送部门) and the fields each sends; new rounds copy them."""
    context = {"departments": collection.list_departments(session, actor), "choices": SELECTABLE_FIELDS}
    return render(request, "collection/departments.html", context)


@router.post("/departments", name="collection_department_add")
def add_department(
    request: Request,
    session: SessionDep,
    actor: EditorUser,
    name: Annotated[str, Form(max_length=32)],
    fields: Annotated[list[str], Form(description="数据项")],
) -> Response:
    collection.save_department(session, actor, name=name, fields=fields)
    flash(request, f"已添加部门「{name.strip()}」")
    return RedirectResponse("/collection/departments", status_code=303)


@router.post("/departments/{department_id}", name="collection_department_edit")
def edit_department(
    request: Request,
    session: SessionDep,
    actor: EditorUser,
    department_id: Id,
    fields: Annotated[list[str], Form(description="数据项")],
    active: Annotated[bool, Form()] = False,
) -> Response:
    saved = collection.save_department(
        session, actor, name=None, fields=fields, active=active, department_id=department_id
    )
    flash(request, f"已保存「{saved.name}」的报送范围")
    return RedirectResponse("/collection/departments", status_code=303)


@router.get("/submit", name="collection_desk")
def desk_page(
    request: Request,
    session: SessionDep,
    actor: DepartmentUser,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> Response:
    """A department's own page: what each round asks of it, the upload form, its own submissions."""
    desk = collection.desk(session, actor)
    chosen = year or (desk.rounds[0].year if desk.rounds else None)
    return render(request, "collection/desk.html", {"desk": desk, "chosen": chosen, "max_files": imports.MAX_FILES})


@router.post("/submit", name="collection_submit")
def submit(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    actor: DepartmentUser,
    year: YearForm,
    files: Annotated[list[UploadFile], File(description="本部门报送文件（可多选）")],
) -> Response:
    """Read the files into a preview (nothing is stored as figures until the bureau confirms)."""
    uploaded = read_uploads(
        files,
        max_bytes=settings.upload_max_bytes,
        max_files=imports.MAX_FILES,
        too_many=f"一次最多报送 {imports.MAX_FILES} 个文件",
    )
    receipt = collection.submit(session, actor, year, uploaded, settings=settings)
    if receipt.problems:
        flash(request, f"报送的文件有 {len(receipt.problems)} 处错误，请修正后重新报送", "danger")
    else:
        flash(request, "已报送，等待园区确认入库")
    return RedirectResponse(f"/collection/submissions/{receipt.batch_id}", status_code=303)


@router.get("/submissions/{batch_id}", name="collection_submission")
def submission_page(request: Request, session: SessionDep, actor: DepartmentUser, batch_id: Id) -> Response:
    """One of the department's own submissions: files read, problems by file, row and column."""
    preview = collection.own_submission(session, actor, batch_id)
    return render(request, "collection/submission.html", {"preview": preview, "field_label": field_label})
