"""Monthly progress (月度进展): entered in a form with site photos, or from a spreadsheet; every change audited.

A spreadsheet is read by the core's importer, which collects every problem
with file, row and column; nothing is written unless the whole file is
clean. A web upload is kept under the data folder between the preview and
the confirmation, so what is confirmed is exactly what was previewed.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from zonehero.clock import utcnow
from zonehero.config import Settings
from zonehero.core.schedule.importer import read_progress
from zonehero.core.schedule.model import ProgressReport
from zonehero.core.schedule.warnings import due_to_report, last_closed_month
from zonehero.errors import InputError, InputProblem, NotFound
from zonehero.features.audit import service as audit
from zonehero.features.imports.isolation import parse_limits, run_isolated
from zonehero.features.imports.storage import UploadedFile, safe_name
from zonehero.features.projects import access, repository
from zonehero.features.projects.convert import to_project
from zonehero.features.projects.models import PhotoRow, ProgressRow
from zonehero.features.projects.photos import check_photos, store_photo
from zonehero.features.projects.schemas import ImportSummary, PhotoRead, ProgressRead, ReportDue
from zonehero.features.projects.service import known_codes, visible_row, visible_rows
from zonehero.features.roles import Actor

UPLOADS_FOLDER = "progress-uploads"
_UPLOAD_ID = re.compile(r"^[0-9a-f]{32}$")


def _json(row: ProgressRow) -> dict[str, object]:
    return {
        "year": row.year,
        "month": row.month,
        "investment_month": row.investment_month,
        "percent_done": row.percent_done,
        "progress_text": row.progress_text,
    }


def _check(report: ProgressReport) -> None:
    problems = []
    if not 1 <= report.month <= 12:
        problems.append(InputProblem("月份须在 1-12 之间", column="month"))
    if report.investment_month < 0:
        problems.append(InputProblem("当月完成投资不能为负数", column="investment_month"))
    if report.percent_done is not None and not 0 <= report.percent_done <= 100:
        problems.append(InputProblem("完成百分比须在 0-100 之间", column="percent_done"))
    if problems:
        raise InputError(problems)


def _upsert(session: Session, actor: Actor, project_id: int, report: ProgressReport) -> tuple[ProgressRow, bool]:
    """Write one month's progress; returns the row and whether it was new. Audited when something changed."""
    _check(report)
    row = repository.progress_of_month(session, project_id, report.year, report.month)
    before = _json(row) if row is not None else None
    created = row is None
    if row is None:
        row = ProgressRow(project_id=project_id, year=report.year, month=report.month)
    row.investment_month = report.investment_month
    row.percent_done = report.percent_done
    row.progress_text = report.progress_text
    after = _json(row)
    if before == after:
        return row, False
    row.updated_at = utcnow()
    row.updated_by = actor.username
    if created:
        repository.add(session, row)
    session.flush()
    action = "progress.create" if created else "progress.update"
    audit.record(session, actor, action, "project", report.code, before=before, after=after)
    return row, created


def record_progress(
    session: Session,
    actor: Actor,
    settings: Settings,
    report: ProgressReport,
    photos: Sequence[UploadedFile] = (),
) -> ProgressRead:
    """Enter (or correct) one month's progress of a project, with site photos (JPEG/PNG, size-limited)."""
    access.require_editor(actor)
    project = visible_row(session, actor, report.code)
    checked = check_photos(list(photos), settings.photo_max_bytes)
    row, _ = _upsert(session, actor, project.id, report)
    for file, media_type, suffix in checked:
        stored = store_photo(settings.data_dir, project.code, file, media_type, suffix)
        photo = PhotoRow(
            progress_id=row.id,
            name=stored.name,
            stored=stored.stored,
            media_type=stored.media_type,
            size=stored.size,
            sha256=stored.sha256,
            uploaded_at=utcnow(),
            uploaded_by=actor.username,
        )
        repository.add(session, photo)
        audit.record(
            session,
            actor,
            "progress.photo",
            "project",
            project.code,
            after={"year": row.year, "month": row.month, "photo": stored.name, "sha256": stored.sha256},
        )
    return progress_read(session, row)


def progress_read(session: Session, row: ProgressRow) -> ProgressRead:
    photos = [
        PhotoRead(id=p.id, name=p.name, media_type=p.media_type, size=p.size)
        for p in repository.photos(session, [row.id])
    ]
    return ProgressRead(
        id=row.id,
        year=row.year,
        month=row.month,
        investment_month=row.investment_month,
        percent_done=row.percent_done,
        progress_text=row.progress_text,
        updated_by=row.updated_by,
        updated_at=row.updated_at,
        photos=photos,
    )


def progress_of(session: Session, actor: Actor, code: str) -> list[ProgressRead]:
    """Every month of a project's progress, newest first, with its photos."""
    project = visible_row(session, actor, code)
    rows = list(repository.progress(session, [project.id]))
    photos: dict[int, list[PhotoRead]] = {}
    for p in repository.photos(session, [r.id for r in rows]):
        photos.setdefault(p.progress_id, []).append(
            PhotoRead(id=p.id, name=p.name, media_type=p.media_type, size=p.size)
        )
    out = [
        ProgressRead(
            id=r.id,
            year=r.year,
            month=r.month,
            investment_month=r.investment_month,
            percent_done=r.percent_done,
            progress_text=r.progress_text,
            updated_by=r.updated_by,
            updated_at=r.updated_at,
            photos=photos.get(r.id, []),
        )
        for r in rows
    ]
    return sorted(out, key=lambda r: (r.year, r.month), reverse=True)


def photo_file(session: Session, actor: Actor, settings: Settings, code: str, photo_id: int) -> tuple[Path, str, str]:
    """(path, media type, name) of a photo of a project the actor may see; NotFound otherwise."""
    project = visible_row(session, actor, code)
    photo = repository.photo(session, photo_id)
    progress = repository.progress_by_id(session, photo.progress_id) if photo is not None else None
    if photo is None or progress is None or progress.project_id != project.id:
        raise NotFound("照片不存在")
    path = settings.data_dir / photo.stored
    if not path.is_file():
        raise NotFound("照片文件已不存在")
    audit.record_read(
        session,
        actor,
        "photo.view",
        "project_photo",
        photo.id,
        project=code,
        year=progress.year,
        month=progress.month,
        file=photo.name,
    )
    return path, photo.media_type, photo.name


def import_progress(session: Session, actor: Actor, reports: Sequence[ProgressReport]) -> ImportSummary:
    """Write progress rows read by the core's importer (codes already checked); audited per changed month."""
    access.require_editor(actor)
    rows = {r.code: r for r in repository.projects(session)}
    missing = sorted({r.code for r in reports} - set(rows))
    if missing:
        raise InputError([InputProblem(f"项目编号「{c}」不在项目库中", column="项目编号") for c in missing])
    done = ImportSummary()
    for report in reports:
        before = repository.progress_of_month(session, rows[report.code].id, report.year, report.month)
        existed = before is not None
        old = _json(before) if before is not None else None
        row, created = _upsert(session, actor, rows[report.code].id, report)
        if created:
            done.progress_new += 1
        elif existed and old != _json(row):
            done.progress_updated += 1
    return done


@dataclass(frozen=True)
class ProgressUpload:
    """A progress spreadsheet kept for confirmation: what it would write, or every problem in it."""

    upload_id: str
    file: str
    reports: list[ProgressReport]
    problems: list[InputProblem]


def _upload_folder(settings: Settings, upload_id: str) -> Path:
    if not _UPLOAD_ID.match(upload_id):
        raise NotFound("上传文件不存在")
    return settings.uploads_dir / UPLOADS_FOLDER / upload_id


def stage_progress_upload(session: Session, actor: Actor, settings: Settings, file: UploadedFile) -> ProgressUpload:
    """Keep an uploaded progress spreadsheet and read it; nothing is written to the store."""
    access.require_editor(actor)
    if not file.data:
        raise InputError(InputProblem("文件是空的", file=safe_name(file.name)))
    if len(file.data) > settings.upload_max_bytes:
        raise InputError(
            InputProblem(f"文件过大（上限 {settings.upload_max_bytes // (1024 * 1024)} MB）", file=safe_name(file.name))
        )
    upload_id = uuid.uuid4().hex
    folder = _upload_folder(settings, upload_id)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / safe_name(file.name)
    path.write_bytes(file.data)
    return _read_upload(session, settings, upload_id, path)


def _read_upload(session: Session, settings: Settings, upload_id: str, path: Path) -> ProgressUpload:
    try:
        reports = run_isolated(read_progress, path, known_codes(session), limits=parse_limits(settings))
    except InputError as exc:
        return ProgressUpload(upload_id, path.name, [], list(exc.problems))
    return ProgressUpload(upload_id, path.name, reports, [])


def read_staged_upload(session: Session, actor: Actor, settings: Settings, upload_id: str) -> ProgressUpload:
    """Read a kept upload again (as it is now checked against the store)."""
    access.require_editor(actor)
    folder = _upload_folder(settings, upload_id)
    files = sorted(folder.iterdir()) if folder.is_dir() else []
    if not files:
        raise NotFound("上传文件不存在")
    return _read_upload(session, settings, upload_id, files[0])


def confirm_progress_upload(session: Session, actor: Actor, settings: Settings, upload_id: str) -> ImportSummary:
    """Write a kept upload when it has no problem (InputError with every problem otherwise)."""
    upload = read_staged_upload(session, actor, settings, upload_id)
    if upload.problems:
        raise InputError(upload.problems)
    return import_progress(session, actor, upload.reports)


def reports_due(session: Session, actor: Actor, as_of: date) -> list[ReportDue]:
    """Projects that owe the report of the last month ended on ``as_of`` and have none (the rule of the yellow
    light: :func:`~zonehero.core.schedule.warnings.due_to_report`). A unit account: the projects it is
    responsible for."""
    year, month = last_closed_month(as_of)
    rows = [
        r for r in visible_rows(session, actor) if not access.is_unit(actor) or (r.unit and r.unit == actor.unit_name)
    ]
    reported = repository.progress_of_month_among(session, [r.id for r in rows], year, month)
    return [
        ReportDue(code=r.code, name=r.name, unit=r.unit, year=year, month=month)
        for r in rows
        if r.id not in reported and due_to_report(to_project(r, year), year, month)
    ]
