"""Imports: upload → preview (errors, conflicts) → confirm in one transaction, or discard.

The uploaded files are kept under ``<data_dir>/uploads/imports/<folder>``;
confirming reads them again with the same importer, so what is written is
exactly what was previewed, and the files stay as evidence of the lineage.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from zonehero.clock import utcnow
from zonehero.config import Settings
from zonehero.core.ingest import ImportResult, SourceInfo, read_sources
from zonehero.core.ingest.years import file_stem, years_in
from zonehero.errors import Conflict, InputError, InputProblem, NotFound
from zonehero.features.audit import service as audit
from zonehero.features.enterprises import service as enterprises
from zonehero.features.enterprises.schemas import ImportChanges
from zonehero.features.imports import repository
from zonehero.features.imports.isolation import isolated_reader, parse_limits
from zonehero.features.imports.models import ImportBatch
from zonehero.features.imports.schemas import (
    ImportBatchRead,
    ImportConfirmation,
    ImportPreview,
    NamedYear,
    ProblemRead,
    SourceSummary,
    WaitingImport,
)
from zonehero.features.imports.storage import UploadedFile, check_sizes, new_folder, store_files
from zonehero.features.roles import Actor, Role, require_department, require_editor, require_staff

ColumnCheck = Callable[[SourceInfo], list[InputProblem]]
"""A check of one read file's matched columns (数据归集: a department may send only its own columns)."""

IMPORTS_FOLDER = "uploads/imports"
YEAR_CONFIRMED = "year_confirmed"
"""The form field (and problem column) by which the user vouches for a year its files contradict."""
MAX_FILES = 20
MAX_STORED_CONFLICTS = 5000
MAX_STORED_CHANGES = 5000
"""Changed values listed in a preview (all are counted); a whole year re-delivered may change more, and nobody
reads past the first thousands: the count per source file says the rest."""


def _problem(p: InputProblem) -> dict[str, Any]:
    return {"message": p.message, "file": p.file, "sheet": p.sheet, "row": p.row, "column": p.column}


def _source(info: SourceInfo) -> dict[str, Any]:
    return {
        "file": info.file,
        "department": info.department,
        "sheet": info.sheet,
        "header_row": info.header_row,
        "data_rows": info.data_rows,
        "columns": {c.header: c.field for c in info.columns},
        "skipped": [{"row": s.row, "reason": s.reason} for s in info.skipped],
        "ignored_columns": list(info.ignored_columns),
        "title": info.title,
    }


def _named_years(names: Sequence[str], sources: Sequence[SourceInfo]) -> list[dict[str, Any]]:
    """Every year the files name for themselves: in the file name, and in the title rows of those that were read."""
    found = [
        {"file": name, "where": "文件名", "years": years_in(file_stem(name)), "text": name}
        for name in names
        if years_in(file_stem(name))
    ]
    found += [
        {"file": s.file, "where": "标题行", "years": years_in(s.title), "text": s.title}
        for s in sources
        if s.title and years_in(s.title)
    ]
    return found


def year_warnings(preview: ImportPreview, year: int | None) -> list[str]:
    """One sentence per place where a file names a year other than ``year`` (the year the figures are stored for).

    A warning, not a refusal (a file may be named after the year it was sent): confirming such a batch needs the
    user's word that the year is right (:func:`confirm_import`'s ``year_confirmed``).
    """
    if year is None:
        return []
    warnings = []
    for named in preview.named_years:
        others = [y for y in named.years if y != year]
        if others and year not in named.years:
            listed = "、".join(f"{y} 年" for y in others)
            shown = f"（{named.text}）" if named.text != named.file else ""
            warnings.append(
                f"文件「{named.file}」的{named.where}写的是 {listed}{shown}，与所选数据年度 {year} 年不一致"
            )
    return warnings


def _check_year(year: int | None) -> None:
    if year is not None and not 2000 <= year <= 2100:
        raise InputError(InputProblem("年度应在 2000 到 2100 之间", column="year"))


def _read(settings: Settings, batch: ImportBatch) -> ImportResult:
    """Every read of a batch (preview on the web or the CLI, confirm in a request or a job): each file in a child."""
    paths = [settings.data_dir / f["stored"] for f in batch.files]
    return read_sources(
        paths,
        priority=batch.priority,
        max_bytes=settings.upload_max_bytes,
        read=isolated_reader(parse_limits(settings)),
    )


def preview_import(
    session: Session,
    actor: Actor,
    files: Sequence[UploadedFile],
    *,
    settings: Settings,
    year: int | None = None,
    priority: Sequence[str] | None = None,
) -> ImportPreview:
    """Store the files and a preview batch with every problem, warning and conflict found.

    A batch with problems is kept with status ``invalid`` (so the page can
    show them) and can never be confirmed.
    """
    require_editor(actor)
    return _store_preview(session, actor, files, settings=settings, year=year, priority=priority)


def preview_submission(
    session: Session,
    actor: Actor,
    files: Sequence[UploadedFile],
    *,
    settings: Settings,
    year: int,
    column_check: ColumnCheck,
) -> ImportPreview:
    """A department's submission (数据归集): the same preview as :func:`preview_import`, made by a department's
    account or token, with ``column_check``'s problems added for each file read. The batch is marked with the
    department; the values it would change in the store are not computed (they show the store's figures, which are
    none of the department's business); only the analyst confirms it."""
    department = require_department(actor)
    return _store_preview(
        session, actor, files, settings=settings, year=year, department=department, column_check=column_check
    )


def _store_preview(
    session: Session,
    actor: Actor,
    files: Sequence[UploadedFile],
    *,
    settings: Settings,
    year: int | None,
    priority: Sequence[str] | None = None,
    department: str | None = None,
    column_check: ColumnCheck | None = None,
) -> ImportPreview:
    files = list(files)
    if not files:
        raise InputError("请选择要导入的文件")
    if len(files) > MAX_FILES:
        raise InputError(f"一次最多导入 {MAX_FILES} 个文件")
    _check_year(year)
    check_sizes(files, settings.upload_max_bytes)
    folder = new_folder()
    stored = store_files(settings.data_dir, f"{IMPORTS_FOLDER}/{folder}", files)
    batch = repository.add(
        session,
        ImportBatch(
            year=year,
            status="preview",
            folder=folder,
            files=[s.__dict__ for s in stored],
            priority=list(priority) if priority else None,
            report={},
            conflicts=[],
            enterprise_count=0,
            figure_count=0,
            created_by=actor.id,
            created_at=utcnow(),
            department=department,
        ),
    )
    try:
        result = _read(settings, batch)
        refused = [p for s in result.sources for p in column_check(s)] if column_check else []
        if refused:
            raise InputError(refused)
    except InputError as exc:
        batch.status = "invalid"
        batch.report = {
            "problems": [_problem(p) for p in exc.problems],
            "warnings": [],
            "sources": [],
            "fields": [],
            "named_years": _named_years([f["name"] for f in batch.files], []),
        }
    else:
        conflicts = result.conflicts.head(MAX_STORED_CONFLICTS).to_dicts()
        changes = None
        if year is not None and department is None:
            changes = enterprises.import_changes(
                session, actor, year=year, frame=result.frame, lineage=result.lineage, limit=MAX_STORED_CHANGES
            )
        batch.report = {
            "problems": [],
            "warnings": list(result.warnings),
            "sources": [_source(s) for s in result.sources],
            "fields": [c for c in result.frame.columns if c != "uscc"],
            "conflict_total": result.conflicts.height,
            "named_years": _named_years([f["name"] for f in batch.files], result.sources),
            "changes": changes.model_dump(mode="json") if changes is not None else None,
        }
        batch.conflicts = conflicts
        batch.enterprise_count = result.frame.height
        batch.figure_count = result.lineage.height
    session.flush()
    audit.record(
        session,
        actor,
        "import.preview",
        "import_batch",
        batch.id,
        after={
            "status": batch.status,
            "files": [f["name"] for f in batch.files],
            "enterprises": batch.enterprise_count,
            "problems": len(batch.report["problems"]),
        },
    )
    return _preview(batch)


def _preview(batch: ImportBatch) -> ImportPreview:
    report = batch.report or {}
    return ImportPreview(
        batch_id=batch.id,
        status=batch.status,
        year=batch.year,
        files=[f["name"] for f in batch.files],
        problems=[ProblemRead(**p) for p in report.get("problems", [])],
        warnings=list(report.get("warnings", [])),
        conflicts=list(batch.conflicts or []),
        sources=[SourceSummary(**s) for s in report.get("sources", [])],
        enterprise_count=batch.enterprise_count,
        figure_count=batch.figure_count,
        fields=list(report.get("fields", [])),
        named_years=[NamedYear(**n) for n in report.get("named_years") or []],
        changes=ImportChanges.model_validate(report["changes"]) if report.get("changes") else None,
    )


def get_preview(session: Session, actor: Actor, batch_id: int) -> ImportPreview:
    """The stored preview of a batch: staff any; a department (数据归集) only its own submissions, others are
    NotFound to it (it may not learn that they exist)."""
    if actor.role == Role.DEPARTMENT:
        batch = _get(session, batch_id)
        if batch.department is None or batch.department != actor.department:
            raise NotFound(f"导入批次 #{batch_id} 不存在")
        return _preview(batch)
    require_staff(actor)
    return _preview(_get(session, batch_id))


def _get(session: Session, batch_id: int, *, for_update: bool = False) -> ImportBatch:
    batch = repository.get(session, batch_id, for_update=for_update)
    if batch is None:
        raise NotFound(f"导入批次 #{batch_id} 不存在")
    return batch


def confirm_import(
    session: Session, actor: Actor, batch_id: int, *, year: int, settings: Settings, year_confirmed: bool = False
) -> ImportConfirmation:
    """Write the batch's enterprises, names and figures for ``year``.

    All or nothing: everything is flushed in the caller's unit of work, and
    any problem (even one the preview did not see) raises before commit. A batch whose files name another year
    (:func:`year_warnings`) is written only with ``year_confirmed``: the user has read the warning and vouches for
    ``year``.
    """
    require_editor(actor)
    _check_year(year)
    batch = _get(session, batch_id, for_update=True)
    if batch.status == "invalid":
        raise Conflict("该批次数据有错误，不能确认导入；请修正文件后重新上传")
    if batch.status != "preview":
        raise Conflict(f"该批次已{'确认' if batch.status == 'confirmed' else '放弃'}，不能再次确认")
    unconfirmed = [] if year_confirmed else year_warnings(_preview(batch), year)
    if unconfirmed:
        raise InputError(
            [InputProblem(f"{w}；请核对后勾选“年度无误”再确认导入", column=YEAR_CONFIRMED) for w in unconfirmed]
        )
    result = _read(settings, batch)
    summary = enterprises.store_import(
        session, actor, year=year, frame=result.frame, lineage=result.lineage, batch_id=batch.id
    )
    before = {"status": batch.status, "year": batch.year}
    batch.status = "confirmed"
    batch.year = year
    batch.decided_by = actor.id
    batch.decided_at = utcnow()
    session.flush()
    audit.record(
        session,
        actor,
        "import.confirm",
        "import_batch",
        batch.id,
        before=before,
        after={"status": "confirmed", "year": year},
    )
    return ImportConfirmation(batch_id=batch.id, year=year, **summary.__dict__)


def discard_import(session: Session, actor: Actor, batch_id: int) -> ImportBatchRead:
    """Give up a preview (or an invalid batch); the files stay for the record."""
    require_editor(actor)
    batch = _get(session, batch_id, for_update=True)
    if batch.status not in ("preview", "invalid"):
        raise Conflict("只有待确认的批次可以放弃")
    before = {"status": batch.status}
    batch.status = "discarded"
    batch.decided_by = actor.id
    batch.decided_at = utcnow()
    session.flush()
    audit.record(
        session, actor, "import.discard", "import_batch", batch.id, before=before, after={"status": "discarded"}
    )
    return ImportBatchRead.model_validate(batch)


def list_batches(session: Session, actor: Actor, *, limit: int = 100) -> list[ImportBatchRead]:
    """Recent batches, newest first (staff)."""
    require_staff(actor)
    return [ImportBatchRead.model_validate(b) for b in repository.recent(session, max(1, min(limit, 1000)))]


def batch_file_path(session: Session, actor: Actor, batch_id: int, name: str, *, settings: Settings) -> Path:
    """Where a batch's uploaded file is kept (staff), for download next to the lineage."""
    require_staff(actor)
    batch = _get(session, batch_id)
    for f in batch.files:
        if f["name"] == name:
            return settings.data_dir / f["stored"]
    raise NotFound("文件不存在")


def waiting_previews(session: Session, actor: Actor) -> list[WaitingImport]:
    """Previews still waiting for 确认导入 or 放弃 (an analyst's to-do), oldest first, without their reports."""
    require_editor(actor)
    return [
        WaitingImport(batch_id=i, year=y, created_at=at, figure_count=n, conflict_total=c or 0)
        for i, y, at, n, c in repository.waiting(session)
    ]
