"""数据导入 (import): upload department files for a year → preview (errors, conflicts) → confirm or discard.

Admin and analyst only (leaders read the results, not the raw uploads).
Confirming is one transaction in the imports service: all figures or none.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Path, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from zonehero.clock import today
from zonehero.core.domain.fields import FIELDS_BY_KEY
from zonehero.edges.web.deps import EditorUser, SessionDep, SettingsDep
from zonehero.edges.web.jobs_queue import EnqueueDep
from zonehero.edges.web.paging import MAX_ID
from zonehero.edges.web.rendering import flash, render
from zonehero.edges.web.uploads import read_uploads
from zonehero.features.imports import service as imports
from zonehero.features.jobs import service as jobs

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


@router.get("/{batch_id}", name="import_preview")
def import_preview(request: Request, session: SessionDep, actor: EditorUser, batch_id: BatchId) -> Response:
    """Per file: department, rows, columns matched; every problem located by file/sheet/row/column; conflicts."""
    preview = imports.get_preview(session, actor, batch_id)
    context: dict[str, Any] = {
        "preview": preview,
        "conflicts": preview.conflicts[:SHOWN_CONFLICTS],
        "field_label": field_label,
        "default_year": preview.year or today().year - 1,
    }
    return render(request, "imports/preview.html", context)


@router.post("/{batch_id}/confirm", name="import_confirm")
def import_confirm(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    actor: EditorUser,
    enqueue: EnqueueDep,
    batch_id: BatchId,
    year: Year,
) -> Response:
    """Write the batch's figures for ``year`` in one transaction; a large batch as a job (its page follows it)."""
    if jobs.in_background(imports.get_preview(session, actor, batch_id).enterprise_count):
        job = jobs.submit(session, actor, "import_confirm", {"batch_id": batch_id, "year": year}, enqueue=enqueue)
        flash(request, f"批次较大，已在后台确认导入（任务 #{job.id}）", "info")
        return RedirectResponse(f"/jobs/{job.id}", status_code=303)
    done = imports.confirm_import(session, actor, batch_id, year=year, settings=settings)
    flash(
        request,
        f"已导入 {done.year} 年度数据：{done.enterprises_total} 家企业（新增 {done.enterprises_new} 家），"
        f"新增 {done.figures_inserted} 项、更新 {done.figures_updated} 项数据（{done.values_changed} 项数值有变化）",
    )
    return RedirectResponse(f"/imports/{batch_id}", status_code=303)


@router.post("/{batch_id}/discard", name="import_discard")
def import_discard(request: Request, session: SessionDep, actor: EditorUser, batch_id: BatchId) -> Response:
    """Give up the batch; the files stay on record, nothing is written."""
    imports.discard_import(session, actor, batch_id)
    flash(request, f"已放弃导入批次 #{batch_id}", "info")
    return RedirectResponse("/imports", status_code=303)
