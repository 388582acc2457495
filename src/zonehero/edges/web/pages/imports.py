"""数据导入 (import): upload department files for a year → preview (errors, conflicts) → confirm or discard.

Admin and analyst only (leaders read the results, not the raw uploads).
Confirming is one transaction in the imports service: all figures or none.
The preview guides: a year a file names for itself that is not the chosen one is a warning the user ticks before
确认导入; every stored value the batch would change is listed (enterprise, figure, old → new, source) with a count
per department file; once confirmed, 生成评价草稿 for that year is one click.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Path, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from zonehero.clock import today
from zonehero.core.domain.fields import FIELDS_BY_KEY
from zonehero.edges.web.deps import EditorUser, SessionDep, SettingsDep
from zonehero.edges.web.jobs_queue import EnqueueDep
from zonehero.edges.web.paging import MAX_ID, PageDep, PageParams
from zonehero.edges.web.rendering import flash, render
from zonehero.edges.web.uploads import read_uploads
from zonehero.features.imports import service as imports
from zonehero.features.imports.schemas import ImportPreview
from zonehero.features.jobs import service as jobs
from zonehero.features.roles import Actor
from zonehero.features.runs.choice import draft_scheme_version

router = APIRouter(prefix="/imports", include_in_schema=False)

BatchId = Annotated[int, Path(ge=1, le=MAX_ID)]
Year = Annotated[int, Form(ge=2000, le=2100, description="数据年度")]
SHOWN_CONFLICTS = 200


def field_label(key: str) -> str:
    """The registry's Chinese label of a field key (the key itself when unknown)."""
    f = FIELDS_BY_KEY.get(key)
    return f.label if f else key


@router.get("", name="import_form")
def import_form(request: Request, session: SessionDep, actor: EditorUser) -> Response:
    """The upload form and the history of batches."""
    context = {
        "batches": imports.list_batches(session, actor),
        "default_year": today().year - 1,
        "max_files": imports.MAX_FILES,
    }
    return render(request, "imports/index.html", context)


@router.post("", name="import_upload")
def import_upload(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    actor: EditorUser,
    year: Year,
    files: Annotated[list[UploadFile], File(description="部门报送文件（可多选）")],
) -> Response:
    """Store the files as a preview batch and show what was read (nothing is written to the figures yet)."""
    uploaded = read_uploads(
        files,
        max_bytes=settings.upload_max_bytes,
        max_files=imports.MAX_FILES,
        too_many=f"一次最多导入 {imports.MAX_FILES} 个文件",
    )
    preview = imports.preview_import(session, actor, uploaded, settings=settings, year=year)
    return RedirectResponse(f"/imports/{preview.batch_id}", status_code=303)


def _preview_page(
    request: Request,
    session: Session,
    actor: Actor,
    preview: ImportPreview,
    page: PageParams,
    *,
    year: int | None = None,
    year_refused: bool = False,
    status_code: int = 200,
) -> Response:
    year = year or preview.year or today().year - 1
    changes = preview.changes
    shown = changes.changes[page.offset : page.offset + page.size] if changes else []
    context: dict[str, Any] = {
        "preview": preview,
        "conflicts": preview.conflicts[:SHOWN_CONFLICTS],
        "field_label": field_label,
        "default_year": year,
        "year_warnings": imports.year_warnings(preview, year) if preview.status in ("preview", "invalid") else [],
        "year_refused": year_refused,
        "changes": changes,
        "shown_changes": shown,
        "page": page.of(len(changes.changes) if changes else 0),
        "query_without_page": "",
        "next_step": draft_scheme_version(session, actor) if preview.status == "confirmed" else None,
    }
    return render(request, "imports/preview.html", context, status_code=status_code)


@router.get("/{batch_id}", name="import_preview")
def import_preview(
    request: Request, session: SessionDep, actor: EditorUser, batch_id: BatchId, page: PageDep
) -> Response:
    """Per file: department, rows, columns matched; every problem located by file/sheet/row/column; conflicts; the
    year warnings; the values the batch changes (paged); after confirming, the next step."""
    return _preview_page(request, session, actor, imports.get_preview(session, actor, batch_id), page)


@router.post("/{batch_id}/confirm", name="import_confirm")
def import_confirm(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    actor: EditorUser,
    enqueue: EnqueueDep,
    batch_id: BatchId,
    year: Year,
    year_confirmed: Annotated[bool, Form(description="年度无误（文件写的年度与所选不同时需勾选）")] = False,
) -> Response:
    """Write the batch's figures for ``year`` in one transaction; a large batch as a job (its page follows it). A
    batch whose files name another year comes back (422) with the warning until the user ticks 年度无误."""
    preview = imports.get_preview(session, actor, batch_id)
    if not year_confirmed and preview.can_confirm and imports.year_warnings(preview, year):
        return _preview_page(
            request, session, actor, preview, PageParams(), year=year, year_refused=True, status_code=422
        )
    if jobs.in_background(preview.enterprise_count):
        parameters = {"batch_id": batch_id, "year": year, "year_confirmed": year_confirmed}
        job = jobs.submit(session, actor, "import_confirm", parameters, enqueue=enqueue)
        flash(request, f"批次较大，已在后台确认导入（任务 #{job.id}）", "info")
        return RedirectResponse(f"/jobs/{job.id}", status_code=303)
    done = imports.confirm_import(session, actor, batch_id, year=year, settings=settings, year_confirmed=year_confirmed)
    flash(
        request,
        f"已导入 {done.year} 年度数据：{done.enterprises_total} 家企业（新增 {done.enterprises_new} 家），"
        f"新增 {done.figures_inserted} 项、更新 {done.figures_updated} 项数据（{done.values_changed} 项数值有变化）",
    )
    return RedirectResponse(f"/imports/{batch_id}#next-step", status_code=303)


@router.post("/{batch_id}/discard", name="import_discard")
def import_discard(request: Request, session: SessionDep, actor: EditorUser, batch_id: BatchId) -> Response:
    """Give up the batch; the files stay on record, nothing is written."""
    imports.discard_import(session, actor, batch_id)
    flash(request, f"已放弃导入批次 #{batch_id}", "info")
    return RedirectResponse("/imports", status_code=303)
