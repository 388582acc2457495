"""Attachments of a 招商 lead's visits and meetings (附件): kept with a sha256, a refused file writes nothing (and
logs no contact), and a download checks who may see the lead and is audited.

Runs on SQLite and PostgreSQL (the ``db`` fixture is parametrised).
"""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
from projects_world import account
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from zonehero.config import Settings
from zonehero.errors import InputError, NotFound, PermissionDenied
from zonehero.features.audit.models import AuditEntry
from zonehero.features.imports.storage import UploadedFile
from zonehero.features.investment import service
from zonehero.features.investment.models import LeadActivityFileRow, LeadActivityRow
from zonehero.features.investment.schemas import LeadForm, LeadRead
from zonehero.features.roles import Actor, Role

PDF = UploadedFile("会议纪要.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n%%EOF\n")
PHOTO = UploadedFile("考察照片.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 64)
EXE_AS_PDF = UploadedFile("意向书.pdf", b"MZ\x90\x00" + b"\x00" * 64)
WORD = UploadedFile("意向书.docx", b"PK\x03\x04" + b"\x00" * 64)
DAY = date(2025, 3, 10)


@pytest.fixture
def bureau(db: Session) -> Actor:
    return account(db, "zhaoshang", Role.INVESTMENT)


@pytest.fixture
def staff_a(db: Session) -> Actor:
    return account(db, "staff_a", Role.ANALYST)


@pytest.fixture
def staff_b(db: Session) -> Actor:
    return account(db, "staff_b", Role.UNIT, "建设局")


@pytest.fixture
def chief(db: Session) -> Actor:
    return account(db, "chief", Role.LEADER)


@pytest.fixture
def lead(db: Session, staff_a: Actor) -> LeadRead:
    form = LeadForm(investor="宁德时代新能源科技股份有限公司", project_name="储能电池基地", chain="新能源")
    return service.report_lead(db, staff_a, form, on=date(2025, 3, 3))


def _visit(db: Session, actor: Actor, lead_id: int, files: list[UploadedFile], settings: Settings) -> None:
    service.log_activity(
        db,
        actor,
        lead_id,
        kind="visit",
        happened_on=DAY,
        staff="李局",
        counterpart="投资总监",
        outcome="有意向",
        files=files,
        settings=settings,
    )


def _stored_files(settings: Settings) -> list[str]:
    root = settings.data_dir
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) if root.exists() else []


class TestKeeping:
    def test_a_visit_keeps_its_attachments_with_a_sha256_and_the_lead_page_lists_them(
        self, db: Session, bureau: Actor, lead: LeadRead, settings: Settings
    ) -> None:
        _visit(db, bureau, lead.id, [PDF, PHOTO], settings)
        (activity,) = service.lead_detail(db, bureau, lead.id, DAY).activities
        assert [f.name for f in activity.files] == ["会议纪要.pdf", "考察照片.jpg"]
        assert activity.files[0].sha256 == hashlib.sha256(PDF.data).hexdigest()
        assert activity.files[1].size == len(PHOTO.data)
        row = db.get(LeadActivityFileRow, activity.files[0].id)
        assert row is not None and row.content_type == "application/pdf"
        assert (settings.data_dir / row.stored).read_bytes() == PDF.data
        assert row.stored.startswith(service.ACTIVITY_FILES_FOLDER + "/")
        entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "investment.lead.activity")).one()
        assert [f["name"] for f in entry.after["files"]] == ["会议纪要.pdf", "考察照片.jpg"]

    def test_a_contact_without_files_is_logged_as_before(
        self, db: Session, bureau: Actor, lead: LeadRead, settings: Settings
    ) -> None:
        _visit(db, bureau, lead.id, [], settings)
        (activity,) = service.lead_detail(db, bureau, lead.id, DAY).activities
        assert activity.files == [] and _stored_files(settings) == []

    @pytest.mark.parametrize(
        ("bad", "message"),
        [(EXE_AS_PDF, "意向书.pdf.*与扩展名不符|与扩展名不符"), (WORD, "不支持的文件类型")],
        ids=["renamed-executable", "word-document"],
    )
    def test_a_hostile_or_wrong_file_is_refused_by_name_and_nothing_is_written(
        self, db: Session, bureau: Actor, lead: LeadRead, settings: Settings, bad: UploadedFile, message: str
    ) -> None:
        with pytest.raises(InputError, match=message) as caught:
            _visit(db, bureau, lead.id, [PDF, bad], settings)
        assert [p.file for p in caught.value.problems] == [bad.name]
        assert _stored_files(settings) == []
        assert db.scalar(select(func.count()).select_from(LeadActivityRow)) == 0
        assert db.scalar(select(func.count()).select_from(LeadActivityFileRow)) == 0

    def test_size_and_count_limits_come_from_the_evidence_rules(
        self, db: Session, bureau: Actor, lead: LeadRead, settings: Settings
    ) -> None:
        small = settings.model_copy(update={"evidence_max_bytes": 16})
        with pytest.raises(InputError, match="过大"):
            _visit(db, bureau, lead.id, [PDF], small)
        many = [UploadedFile(f"照片{i}.jpg", PHOTO.data) for i in range(11)]
        with pytest.raises(InputError, match="附件最多 10 个文件"):
            _visit(db, bureau, lead.id, many, settings)
        assert _stored_files(settings) == []


class TestDownload:
    @pytest.fixture
    def file_id(self, db: Session, bureau: Actor, lead: LeadRead, settings: Settings) -> int:
        _visit(db, bureau, lead.id, [PDF], settings)
        return service.lead_detail(db, bureau, lead.id, DAY).activities[0].files[0].id

    def test_the_reporter_leaders_and_the_bureau_download_and_each_download_is_audited(
        self, db: Session, file_id: int, staff_a: Actor, chief: Actor, bureau: Actor, settings: Settings
    ) -> None:
        for actor in (staff_a, chief, bureau):
            path, name, content_type = service.activity_file(db, actor, file_id, settings=settings)
            assert (path.read_bytes(), name, content_type) == (PDF.data, "会议纪要.pdf", "application/pdf")
        reads = db.scalars(
            select(AuditEntry).where(AuditEntry.action == "investment.activity_file.download").order_by(AuditEntry.id)
        ).all()
        assert [r.actor_name for r in reads] == ["staff_a", "chief", "zhaoshang"]
        assert reads[0].entity_id == str(file_id) and reads[0].after["file"] == "会议纪要.pdf"

    def test_another_reporter_gets_not_found_and_an_enterprise_is_refused(
        self, db: Session, file_id: int, staff_b: Actor, enterprise_a: Actor, settings: Settings
    ) -> None:
        with pytest.raises(NotFound):
            service.activity_file(db, staff_b, file_id, settings=settings)
        with pytest.raises(PermissionDenied):
            service.activity_file(db, enterprise_a, file_id, settings=settings)
        with pytest.raises(NotFound):
            service.activity_file(db, staff_b, file_id + 999, settings=settings)
        downloads = select(func.count()).where(AuditEntry.action == "investment.activity_file.download")
        assert db.scalar(downloads) == 0
