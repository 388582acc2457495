"""Importing a 招商 lead spreadsheet: keep the upload, preview it through the core's reader, confirm it whole.

The file is read by :func:`zonehero.core.investment.read_leads` (the one registry, :data:`LEADS_REGISTRY`) in a
confined child process, as every upload is. Nothing is written until the preview is confirmed, and then all rows
or none: a file with a problem is refused with every problem. An imported lead keeps its reporter as written (报送人,
not an account) and its stage and dates; an imported signing does not create a project (the file's 项目编号 names
the project it belongs to). Duplicates are flagged against every stored lead, the first reporter credited.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from zonehero.clock import utcnow
from zonehero.config import Settings
from zonehero.core.investment import Lead, read_leads
from zonehero.core.investment.normalise import investor_key
from zonehero.errors import InputError, InputProblem, NotFound
from zonehero.features.audit import service as audit
from zonehero.features.imports.isolation import parse_limits, run_isolated
from zonehero.features.imports.storage import UploadedFile, safe_name
from zonehero.features.investment import access, repository
from zonehero.features.investment.models import LeadRow
from zonehero.features.investment.service import credited_lead_id
from zonehero.features.roles import Actor
from zonehero.features.zone import service as zone

UPLOADS_FOLDER = "lead-uploads"
_UPLOAD_ID = re.compile(r"^[0-9a-f]{32}$")


@dataclass(frozen=True)
class LeadsUpload:
    """A kept upload as read now: its leads, or every problem found (then nothing can be confirmed)."""

    upload_id: str
    file: str
    leads: list[Lead]
    problems: list[InputProblem]


def _folder(settings: Settings, upload_id: str) -> Path:
    if not _UPLOAD_ID.match(upload_id):
        raise NotFound("上传文件不存在")
    return settings.uploads_dir / UPLOADS_FOLDER / upload_id


def _read(session: Session, settings: Settings, upload_id: str, path: Path) -> LeadsUpload:
    chains = list(zone.get_profile(session).industry_chains)
    try:
        leads = run_isolated(read_leads, path, chains, limits=parse_limits(settings))
    except InputError as exc:
        return LeadsUpload(upload_id, path.name, [], list(exc.problems))
    return LeadsUpload(upload_id, path.name, leads, [])


def stage_upload(session: Session, actor: Actor, settings: Settings, file: UploadedFile) -> LeadsUpload:
    """Keep an uploaded lead spreadsheet and read it; nothing is written to the store."""
    access.require_importer(actor)
    if not file.data:
        raise InputError(InputProblem("文件是空的", file=safe_name(file.name)))
    if len(file.data) > settings.upload_max_bytes:
        limit = settings.upload_max_bytes // (1024 * 1024)
        raise InputError(InputProblem(f"文件过大（上限 {limit} MB）", file=safe_name(file.name)))
    upload_id = uuid.uuid4().hex
    folder = _folder(settings, upload_id)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / safe_name(file.name)
    path.write_bytes(file.data)
    return _read(session, settings, upload_id, path)


def confirm_upload(session: Session, actor: Actor, settings: Settings, upload_id: str) -> int:
    """Write every lead of a kept upload (InputError with every problem otherwise); the number written."""
    access.require_importer(actor)
    folder = _folder(settings, upload_id)
    files = sorted(folder.iterdir()) if folder.is_dir() else []
    if not files:
        raise NotFound("上传文件不存在")
    upload = _read(session, settings, upload_id, files[0])
    if upload.problems:
        raise InputError(upload.problems)
    rows = []
    for lead in upload.leads:
        dates = [d for d in (lead.reported_on, lead.signed_on, lead.landed_on) if d is not None]
        row = LeadRow(
            investor=lead.investor.strip()[:200],
            investor_key=investor_key(lead.investor)[:200],
            investor_uscc=lead.investor_uscc,
            project_name=(lead.project_code or lead.investor)[:200],
            investment=lead.contract_investment,
            help_asked="",
            source=f"导入：{upload.file} 线索编号 {lead.lead_id}"[:200],
            chain=lead.chain,
            reporter_id=None,
            reporter_name=lead.reporter[:64],
            unit=(lead.unit or "")[:64],
            reported_on=lead.reported_on,
            stage=lead.stage.value,
            stage_on=max(dates),
            signed_on=lead.signed_on,
            contract_investment=lead.contract_investment if lead.signed_on else None,
            project_code=lead.project_code,
            landed_on=lead.landed_on,
            created_at=utcnow(),
            updated_at=utcnow(),
        )
        repository.add(session, row)
        rows.append(row)
    for row in rows:
        credited = credited_lead_id(session, row)
        row.duplicate_of_id = credited if credited != row.id else None
        audit.record(
            session,
            actor,
            "investment.lead.import",
            "investment_lead",
            row.id,
            after={
                "investor": row.investor,
                "reporter": row.reporter_name,
                "lead_stage": row.stage,
                "file": upload.file,
            },
        )
    session.flush()
    return len(rows)
