"""招商 leads in the store: reporting and first-reporter credit, the pipeline's moves, the clocks, signing, the
attachments of visits and meetings.

Runs on SQLite and PostgreSQL (the ``db`` fixture is parametrised).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from projects_world import account
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from zonehero import clock
from zonehero.config import Settings
from zonehero.core.investment import LeadStage
from zonehero.core.schedule.lists import year_lists
from zonehero.errors import Conflict, InputError, NotFound, PermissionDenied
from zonehero.features.audit.models import AuditEntry
from zonehero.features.imports.storage import UploadedFile
from zonehero.features.investment import service
from zonehero.features.investment.models import LeadActivityFileRow, LeadActivityRow
from zonehero.features.investment.schemas import LeadForm, LeadRead, SigningForm
from zonehero.features.projects import service as projects
from zonehero.features.projects.models import ProjectRow
from zonehero.features.roles import SYSTEM, Actor, Role
from zonehero.features.todo import service as todo

USCC = "91360100MA35XXXX1L"


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


def _form(investor: str = "深圳市华为技术有限公司", **kw: object) -> LeadForm:
    data: dict[str, object] = {
        "investor": investor,
        "project_name": "智能终端生产基地",
        "investment": 120000.0,
        "chain": "电子信息",
        "land_mu": 150.0,
        "source": "商会推介",
    }
    return LeadForm.model_validate(data | kw)


def _audit(db: Session, action: str) -> list[AuditEntry]:
    return list(db.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def _to_negotiation(db: Session, bureau: Actor, lead_id: int, on: date) -> None:
    for stage in (LeadStage.CONTACT, LeadStage.VISIT, LeadStage.NEGOTIATION):
        service.move_lead(db, bureau, lead_id, stage, on=on)


class TestReporting:
    def test_a_duplicate_in_traditional_characters_keeps_the_first_reporters_credit(
        self, db: Session, staff_a: Actor, staff_b: Actor, bureau: Actor
    ) -> None:
        first = service.report_lead(db, staff_a, _form(), on=date(2025, 3, 3))
        second = service.report_lead(db, staff_b, _form("深圳市華為技術 有限公司"), on=date(2025, 3, 4))
        assert second.duplicate_of_id == first.id and first.duplicate_of_id is None
        detail = service.lead_detail(db, bureau, second.id, date(2025, 3, 5))
        assert not detail.credited and detail.credited_lead is not None
        assert detail.credited_lead.reporter_name == "staff_a"
        assert service.lead_detail(db, bureau, first.id, date(2025, 3, 5)).credited
        (created, _) = _audit(db, "investment.lead.create")
        assert created.actor_name == "staff_a" and created.after["investor"] == "深圳市华为技术有限公司"

    def test_the_same_credit_code_under_another_name_is_a_duplicate(
        self, db: Session, staff_a: Actor, staff_b: Actor
    ) -> None:
        first = service.report_lead(db, staff_a, _form(investor_uscc=USCC), on=date(2025, 3, 3))
        other = service.report_lead(
            db, staff_b, _form("华为终端有限公司", investor_uscc=USCC.lower()), on=date(2025, 3, 4)
        )
        assert other.duplicate_of_id == first.id

    def test_an_unknown_chain_is_refused_with_the_zones_chains(self, db: Session, staff_a: Actor) -> None:
        with pytest.raises(InputError) as caught:
            service.report_lead(db, staff_a, _form(chain="元宇宙"), on=date(2025, 3, 3))
        assert "电子信息" in caught.value.problems[0].message

    def test_a_reporter_sees_only_its_own_leads_and_a_leader_all(
        self, db: Session, staff_a: Actor, staff_b: Actor, chief: Actor
    ) -> None:
        mine = service.report_lead(db, staff_a, _form(), on=date(2025, 3, 3))
        theirs = service.report_lead(db, staff_b, _form("另一家公司"), on=date(2025, 3, 3))
        assert [i.id for i in service.list_leads(db, staff_a, as_of=date(2025, 3, 3)).items] == [mine.id]
        with pytest.raises(NotFound):
            service.lead_detail(db, staff_a, theirs.id, date(2025, 3, 3))
        assert {i.id for i in service.list_leads(db, chief, as_of=date(2025, 3, 3)).items} == {mine.id, theirs.id}

    def test_enterprises_and_administrators_see_nothing(
        self, db: Session, enterprise_a: Actor, sysadmin: Actor, staff_a: Actor
    ) -> None:
        service.report_lead(db, staff_a, _form(), on=date(2025, 3, 3))
        for actor in (enterprise_a, sysadmin):
            with pytest.raises(PermissionDenied):
                service.list_leads(db, actor, as_of=date(2025, 3, 3))
            with pytest.raises(PermissionDenied):
                service.report_lead(db, actor, _form(), on=date(2025, 3, 3))

    def test_the_list_pages_by_keyset(self, db: Session, staff_a: Actor) -> None:
        ids = [service.report_lead(db, staff_a, _form(f"公司{n}"), on=date(2025, 3, 3)).id for n in range(5)]
        first = service.list_leads(db, staff_a, limit=2, as_of=date(2025, 3, 3))
        assert [i.id for i in first.items] == ids[::-1][:2] and first.next_before == ids[3]
        rest = service.list_leads(db, staff_a, limit=10, before=first.next_before, as_of=date(2025, 3, 3))
        assert [i.id for i in rest.items] == ids[::-1][2:] and rest.next_before is None


class TestMoves:
    def test_forward_in_order_and_every_move_kept_and_audited(self, db: Session, staff_a: Actor, bureau: Actor) -> None:
        lead = service.report_lead(db, staff_a, _form(), on=date(2025, 3, 3))
        service.move_lead(db, bureau, lead.id, LeadStage.CONTACT, on=date(2025, 3, 4))
        with pytest.raises(Conflict):
            service.move_lead(db, bureau, lead.id, LeadStage.NEGOTIATION, on=date(2025, 3, 5))
        service.move_lead(db, bureau, lead.id, LeadStage.VISIT, on=date(2025, 3, 5))
        detail = service.lead_detail(db, bureau, lead.id, date(2025, 3, 5))
        assert [(m.from_stage, m.to_stage, m.moved_by) for m in detail.moves] == [
            ("lead", "contact", "zhaoshang"),
            ("contact", "visit", "zhaoshang"),
        ]
        assert detail.lead.owner_name == "zhaoshang"
        moves = _audit(db, "investment.lead.move")
        assert (moves[-1].before["lead_stage"], moves[-1].after["lead_stage"]) == ("contact", "visit")

    def test_backwards_needs_a_reason(self, db: Session, staff_a: Actor, bureau: Actor) -> None:
        lead = service.report_lead(db, staff_a, _form(), on=date(2025, 3, 3))
        _to_negotiation(db, bureau, lead.id, date(2025, 3, 4))
        with pytest.raises(InputError):
            service.move_lead(db, bureau, lead.id, LeadStage.CONTACT, on=date(2025, 3, 6))
        service.move_lead(db, bureau, lead.id, LeadStage.CONTACT, on=date(2025, 3, 6), reason="投资方更换决策人")
        detail = service.lead_detail(db, bureau, lead.id, date(2025, 3, 6))
        assert detail.lead.stage == "contact" and detail.moves[-1].reason == "投资方更换决策人"

    def test_ending_needs_a_reason_and_a_reporter_cannot_move(self, db: Session, staff_a: Actor, bureau: Actor) -> None:
        lead = service.report_lead(db, staff_a, _form(), on=date(2025, 3, 3))
        with pytest.raises(PermissionDenied):
            service.move_lead(db, staff_a, lead.id, LeadStage.CONTACT, on=date(2025, 3, 4))
        with pytest.raises(InputError):
            service.move_lead(db, bureau, lead.id, LeadStage.TERMINATED, on=date(2025, 3, 4))
        service.move_lead(db, bureau, lead.id, LeadStage.TERMINATED, on=date(2025, 3, 4), reason="选址外省")
        assert service.lead_detail(db, bureau, lead.id, date(2025, 3, 4)).end_reason == "选址外省"


class TestClocks:
    """Reported Tuesday 2025-09-30, the eve of the National Day holiday (10-01 … 10-08; Saturday 10-11 works)."""

    REPORTED = date(2025, 9, 30)

    @pytest.fixture
    def fixed_day(self) -> Iterator[None]:
        before = clock.current()
        clock.use(clock.FixedClock(datetime(2025, 10, 10, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")), "Asia/Shanghai"))
        yield
        clock.use(before)

    def test_the_answer_is_due_on_the_first_working_day_after_the_holiday(
        self, db: Session, staff_a: Actor, bureau: Actor
    ) -> None:
        lead = service.report_lead(db, staff_a, _form(), on=self.REPORTED)
        clocks = {c.kind: c for c in service.lead_detail(db, bureau, lead.id, date(2025, 10, 9)).clocks}
        assert clocks["respond"].due == date(2025, 10, 9) and clocks["respond"].days_overdue == 0
        assert clocks["judge"].due == date(2025, 10, 11)  # 10-09, 10-10 and the 调休 Saturday
        late = service.lead_detail(db, bureau, lead.id, date(2025, 10, 10)).lead.overdue
        assert late is not None and late.kind == "respond" and late.days_overdue == 1
        assert late.escalated_to == "招商局"

    def test_overdue_leads_are_the_bureaus_to_do_on_the_injected_clock_and_a_contact_clears_one(
        self, db: Session, staff_a: Actor, bureau: Actor, chief: Actor, fixed_day: None
    ) -> None:
        lead = service.report_lead(db, staff_a, _form(), on=self.REPORTED)
        items = [i for i in todo.todo_list(db, bureau).items if i.kind == "lead"]
        assert len(items) == 1 and items[0].url == f"/investment/leads/{lead.id}" and "接洽答复" in items[0].title
        assert not [i for i in todo.todo_list(db, chief).items if i.kind == "lead"]  # not escalated yet
        service.log_activity(db, bureau, lead.id, kind="call", happened_on=date(2025, 10, 9), staff="王科长")
        assert not [i for i in todo.todo_list(db, bureau).items if i.kind == "lead"]

    def test_a_clock_late_past_thirty_days_escalates_to_the_leader(
        self, db: Session, staff_a: Actor, bureau: Actor, chief: Actor
    ) -> None:
        lead = service.report_lead(db, staff_a, _form(), on=self.REPORTED)
        later = date(2025, 10, 9) + timedelta(days=35)
        (item,) = service.overdue_leads(db, chief, later)
        assert item.id == lead.id and item.overdue is not None and item.overdue.escalated_to == "分管领导"

    def test_telling_the_source_starts_the_two_weekly_follow_up(
        self, db: Session, staff_a: Actor, bureau: Actor
    ) -> None:
        lead = service.report_lead(db, staff_a, _form(), on=date(2025, 3, 3))
        service.log_activity(db, bureau, lead.id, kind="judgement", happened_on=date(2025, 3, 4), staff="李局")
        service.log_activity(db, bureau, lead.id, kind="feedback", happened_on=date(2025, 3, 5), staff="李局")
        clocks = {c.kind: c for c in service.lead_detail(db, bureau, lead.id, date(2025, 3, 6)).clocks}
        assert clocks["follow_up"].due == date(2025, 3, 19) and clocks["tell_source"].met_on == date(2025, 3, 5)


class TestSigning:
    def test_signing_creates_exactly_one_project_in_the_signing_list_with_the_same_figures(
        self, db: Session, staff_a: Actor, bureau: Actor
    ) -> None:
        lead = service.report_lead(db, staff_a, _form(investor_uscc=USCC), on=date(2025, 3, 3))
        _to_negotiation(db, bureau, lead.id, date(2025, 3, 10))
        before = db.scalar(select(ProjectRow.id).order_by(ProjectRow.id.desc()))
        code = service.sign_lead(
            db,
            bureau,
            lead.id,
            SigningForm(
                signed_on=date(2025, 4, 1),
                contract_investment=150000.0,
                planned_start_date=date(2025, 7, 1),
                planned_production_date=date(2026, 6, 30),
            ),
        )
        made = list(db.scalars(select(ProjectRow).where(ProjectRow.id > (before or 0))))
        assert [p.code for p in made] == [code] and code == "ZS2025-001"
        row = made[0]
        assert (row.name, row.investor, row.investor_uscc, row.industry_chain) == (
            "智能终端生产基地",
            "深圳市华为技术有限公司",
            USCC,
            "电子信息",
        )
        assert (row.total_investment, row.actual_sign_date, row.planned_start_date) == (
            150000.0,
            date(2025, 4, 1),
            date(2025, 7, 1),
        )
        data = projects.load(db, SYSTEM, 2025)
        signing = year_lists(data.projects, 2025, date(2025, 6, 30)).signing
        (listed,) = [p for p in signing.achieved if p.code == code]
        assert listed.total_investment == 150000.0 and listed.signing.actual == date(2025, 4, 1)
        detail = service.lead_detail(db, bureau, lead.id, date(2025, 4, 1))
        assert detail.lead.project_code == code and detail.lead.stage == "signed"
        assert service.leads_of_project(db, bureau, code) == [lead.id]
        (created,) = [e for e in _audit(db, "project.create") if e.entity_id == code]
        assert created.after["source"] == f"招商线索 #{lead.id}" and created.actor_name == "zhaoshang"

    def test_a_capital_increase_counts_only_the_increase_and_updates_the_project(
        self, db: Session, staff_a: Actor, staff_b: Actor, bureau: Actor
    ) -> None:
        first = service.report_lead(db, staff_a, _form(investor_uscc=USCC), on=date(2025, 3, 3))
        _to_negotiation(db, bureau, first.id, date(2025, 3, 10))
        code = service.sign_lead(
            db, bureau, first.id, SigningForm(signed_on=date(2025, 4, 1), contract_investment=100000.0)
        )
        again = service.report_lead(db, staff_b, _form("深圳市華為技術有限公司"), on=date(2025, 9, 1))
        _to_negotiation(db, bureau, again.id, date(2025, 9, 2))
        assert service.lead_detail(db, bureau, again.id, date(2025, 9, 2)).earlier_projects == [code]
        same = service.sign_lead(
            db,
            bureau,
            again.id,
            SigningForm(signed_on=date(2025, 10, 9), contract_investment=160000.0, project_code=code),
        )
        assert same == code
        assert db.scalar(select(ProjectRow.total_investment).where(ProjectRow.code == code)) == 160000.0
        assert len(list(db.scalars(select(ProjectRow).where(ProjectRow.investor_uscc == USCC)))) == 1
        assert service.lead_detail(db, bureau, again.id, date(2025, 10, 9)).counted_investment == 60000.0
        assert service.lead_detail(db, bureau, first.id, date(2025, 10, 9)).counted_investment == 100000.0

    def test_signing_needs_negotiation_first_and_the_bureau(self, db: Session, staff_a: Actor, bureau: Actor) -> None:
        lead = service.report_lead(db, staff_a, _form(), on=date(2025, 3, 3))
        form = SigningForm(signed_on=date(2025, 4, 1), contract_investment=1.0)
        with pytest.raises(Conflict):
            service.sign_lead(db, bureau, lead.id, form)
        _to_negotiation(db, bureau, lead.id, date(2025, 3, 10))
        with pytest.raises(PermissionDenied):
            service.sign_lead(db, staff_a, lead.id, form)
        with pytest.raises(InputError):
            service.sign_lead(db, bureau, lead.id, form.model_copy(update={"project_code": "P-OTHER"}))

    def test_a_signed_lead_lands_but_does_not_move_back(self, db: Session, staff_a: Actor, bureau: Actor) -> None:
        lead = service.report_lead(db, staff_a, _form(), on=date(2025, 3, 3))
        _to_negotiation(db, bureau, lead.id, date(2025, 3, 10))
        service.sign_lead(db, bureau, lead.id, SigningForm(signed_on=date(2025, 4, 1), contract_investment=9.0))
        with pytest.raises(Conflict):
            service.move_lead(db, bureau, lead.id, LeadStage.NEGOTIATION, on=date(2025, 4, 2), reason="x")
        service.move_lead(db, bureau, lead.id, LeadStage.LANDED, on=date(2025, 5, 1))
        assert service.lead_detail(db, bureau, lead.id, date(2025, 5, 1)).landed_on == date(2025, 5, 1)


# --- attachments (附件) of visits and meetings: kept with a sha256, a refused file writes nothing (and logs no
#     contact), a download checks who may see the lead and is audited

PDF = UploadedFile("会议纪要.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n%%EOF\n")
PHOTO = UploadedFile("考察照片.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 64)
EXE_AS_PDF = UploadedFile("意向书.pdf", b"MZ\x90\x00" + b"\x00" * 64)
WORD = UploadedFile("意向书.docx", b"PK\x03\x04" + b"\x00" * 64)
DAY = date(2025, 3, 10)


@pytest.fixture
def reported(db: Session, staff_a: Actor) -> LeadRead:
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


class TestAttachments:
    def test_a_visit_keeps_its_attachments_with_a_sha256_and_the_lead_page_lists_them(
        self, db: Session, bureau: Actor, reported: LeadRead, settings: Settings
    ) -> None:
        _visit(db, bureau, reported.id, [PDF, PHOTO], settings)
        (activity,) = service.lead_detail(db, bureau, reported.id, DAY).activities
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
        self, db: Session, bureau: Actor, reported: LeadRead, settings: Settings
    ) -> None:
        _visit(db, bureau, reported.id, [], settings)
        (activity,) = service.lead_detail(db, bureau, reported.id, DAY).activities
        assert activity.files == [] and _stored_files(settings) == []

    @pytest.mark.parametrize(
        ("bad", "message"),
        [(EXE_AS_PDF, "与扩展名不符"), (WORD, "不支持的文件类型")],
        ids=["renamed-executable", "word-document"],
    )
    def test_a_hostile_or_wrong_file_is_refused_by_name_and_nothing_is_written(
        self, db: Session, bureau: Actor, reported: LeadRead, settings: Settings, bad: UploadedFile, message: str
    ) -> None:
        with pytest.raises(InputError, match=message) as caught:
            _visit(db, bureau, reported.id, [PDF, bad], settings)
        assert [p.file for p in caught.value.problems] == [bad.name]
        assert _stored_files(settings) == []
        assert db.scalar(select(func.count()).select_from(LeadActivityRow)) == 0
        assert db.scalar(select(func.count()).select_from(LeadActivityFileRow)) == 0

    def test_size_and_count_limits_come_from_the_evidence_rules(
        self, db: Session, bureau: Actor, reported: LeadRead, settings: Settings
    ) -> None:
        small = settings.model_copy(update={"evidence_max_bytes": 16})
        with pytest.raises(InputError, match="过大"):
            _visit(db, bureau, reported.id, [PDF], small)
        many = [UploadedFile(f"照片{i}.jpg", PHOTO.data) for i in range(11)]
        with pytest.raises(InputError, match="附件最多 10 个文件"):
            _visit(db, bureau, reported.id, many, settings)
        assert _stored_files(settings) == []


class TestAttachmentDownload:
    @pytest.fixture
    def file_id(self, db: Session, bureau: Actor, reported: LeadRead, settings: Settings) -> int:
        _visit(db, bureau, reported.id, [PDF], settings)
        return service.lead_detail(db, bureau, reported.id, DAY).activities[0].files[0].id

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
