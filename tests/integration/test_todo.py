"""The to-do list (待办) of each role: every kind of item appears when there is work and disappears once it is done.

Runs on SQLite and PostgreSQL (the ``db`` fixture is parametrised).
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from projects_world import UNIT_A, UNIT_B, account, library
from sqlalchemy import event
from sqlalchemy.orm import Session
from zone_files import NOTICE_START, USCC_A, USCC_B, uploads, write_zone

from zonehero.config import Settings
from zonehero.core.schedule.model import DifficultyCategory, DifficultyStatus, ProgressReport
from zonehero.features.documents import service as documents
from zonehero.features.imports import service as imports
from zonehero.features.objections import service as objections
from zonehero.features.objections.schemas import ObjectionRead
from zonehero.features.projects import difficulties, months, progress
from zonehero.features.projects import service as projects
from zonehero.features.publication import service as publication
from zonehero.features.roles import Actor, Role
from zonehero.features.runs.schemas import RunRead
from zonehero.features.todo import service as todo
from zonehero.features.todo.schemas import TodoItem, TodoKind
from zonehero.features.users import service as users

DURING = NOTICE_START + timedelta(days=2)
AFTER = NOTICE_START + timedelta(days=6)
JULY = date(2025, 7, 5)
"""A day in July 2025: June has ended (its month to close, its progress due)."""


def items(db: Session, actor: Actor, day: date, kind: TodoKind | None = None) -> list[TodoItem]:
    found = todo.todo_list(db, actor, on=day).items
    return [i for i in found if kind is None or i.kind is kind]


@pytest.fixture
def objection(db: Session, enterprise_a: Actor, notice: RunRead, settings: Settings) -> ObjectionRead:
    return objections.file_objection(db, enterprise_a, notice.id, "用地面积有误", settings=settings, on=DURING)


class TestAnalyst:
    def test_an_objection_waits_for_an_answer_until_it_is_answered(
        self, db: Session, analyst: Actor, objection: ObjectionRead
    ) -> None:
        [item] = items(db, analyst, DURING, TodoKind.OBJECTION)
        assert "甲企业有限公司" in item.title and f"#{objection.id}" in item.title
        assert item.url == f"/runs/{objection.run_id}/objections/{objection.id}" and not item.urgent
        # Once the 公示 is over, the open objection is what blocks 定稿.
        [late] = items(db, analyst, AFTER, TodoKind.OBJECTION)
        assert late.urgent
        [gate] = items(db, analyst, AFTER, TodoKind.FINALIZE)
        assert "答复 1 件异议后可定稿" in gate.title
        objections.reject_objection(db, analyst, objection.id, answer="数据与不动产登记一致")
        assert items(db, analyst, AFTER, TodoKind.OBJECTION) == []

    def test_a_run_whose_notice_has_ended_waits_for_finalizing_then_its_notices(
        self, db: Session, analyst: Actor, notice: RunRead
    ) -> None:
        assert items(db, analyst, DURING, TodoKind.FINALIZE) == []  # the period runs: nothing to do yet
        [item] = items(db, analyst, AFTER, TodoKind.FINALIZE)
        assert item.url == f"/runs/{notice.id}#run-actions" and "可以定稿" in item.title
        assert item.due == publication.finalize_opens_on(notice.notice_end or AFTER)
        assert items(db, analyst, AFTER, TodoKind.NOTICES) == []
        publication.finalize_run(db, analyst, notice.id, on=AFTER)
        assert items(db, analyst, AFTER, TodoKind.FINALIZE) == []
        [notices] = items(db, analyst, AFTER, TodoKind.NOTICES)
        assert notices.url == f"/runs/{notice.id}#run-documents"
        documents.notices_zip(db, analyst, notice.id, lift=False)
        assert items(db, analyst, AFTER, TodoKind.NOTICES) == []

    def test_an_import_preview_with_conflicts_waits_until_confirmed_or_discarded(
        self, db: Session, analyst: Actor, zone_year: int, settings: Settings, tmp_path: Path
    ) -> None:
        assert items(db, analyst, DURING, TodoKind.IMPORT) == []  # the confirmed year is done
        files = write_zone(tmp_path / "again", zone_year, name_a="甲企业（新名）有限公司")
        preview = imports.preview_import(db, analyst, uploads(files), settings=settings)
        [item] = items(db, analyst, DURING, TodoKind.IMPORT)
        assert item.url == f"/imports/{preview.batch_id}"
        waiting = imports.waiting_previews(db, analyst)
        assert [w.conflict_total for w in waiting] == [len(preview.conflicts)] and waiting[0].conflict_total > 0
        assert f"{waiting[0].conflict_total} 项与已入库数据不同" in (item.detail or "")
        imports.discard_import(db, analyst, preview.batch_id)
        assert items(db, analyst, DURING, TodoKind.IMPORT) == []

    def test_the_count_is_the_number_of_things_to_do(
        self, db: Session, analyst: Actor, objection: ObjectionRead
    ) -> None:
        listed = todo.todo_list(db, analyst, on=AFTER)
        assert listed.total == sum(i.count for i in listed.items) == 2  # the objection and the blocked 定稿
        assert todo.todo_count(db, analyst, on=AFTER) == 2
        assert listed.items[0].urgent  # most urgent first

    def test_the_count_reads_no_result_row_and_a_few_statements(
        self, db: Session, analyst: Actor, objection: ObjectionRead
    ) -> None:
        """The count is on every page: counts and columns only, never a run's results."""
        statements: list[str] = []

        def seen(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
            statements.append(statement)

        bind = db.connection()
        event.listen(bind, "before_cursor_execute", seen)
        try:
            assert todo.todo_count(db, analyst, on=AFTER) == 2
        finally:
            event.remove(bind, "before_cursor_execute", seen)
        assert statements and not [s for s in statements if "run_results" in s or "run_inputs" in s]
        assert len(statements) <= 12, statements


class TestEnterprise:
    def test_its_result_under_notice_may_be_objected_to_until_it_objects(
        self, db: Session, enterprise_a: Actor, notice: RunRead, settings: Settings
    ) -> None:
        [item] = items(db, enterprise_a, DURING)
        assert item.kind is TodoKind.NOTICE_OPEN and item.due == notice.notice_end
        assert item.url == f"/enterprises/{USCC_A}?run_id={notice.id}#objections"
        objections.file_objection(db, enterprise_a, notice.id, "用地面积有误", settings=settings, on=DURING)
        assert items(db, enterprise_a, DURING) == []

    def test_nothing_once_the_notice_has_ended(self, db: Session, enterprise_a: Actor, notice: RunRead) -> None:
        assert items(db, enterprise_a, AFTER) == []

    def test_it_sees_only_its_own(
        self, db: Session, enterprise_b: Actor, analyst: Actor, objection: ObjectionRead
    ) -> None:
        objections.reject_objection(db, analyst, objection.id, answer="数据无误")
        [item] = items(db, enterprise_b, DURING)  # its own result under 公示; not A's objection or answer
        assert item.kind is TodoKind.NOTICE_OPEN and USCC_B in item.url and USCC_A not in item.url

    def test_its_answered_objection_is_shown_while_the_notice_lasts(
        self, db: Session, enterprise_a: Actor, analyst: Actor, objection: ObjectionRead
    ) -> None:
        assert items(db, enterprise_a, DURING, TodoKind.ANSWERED) == []
        objections.reject_objection(db, analyst, objection.id, answer="数据与不动产登记一致")
        [item] = items(db, enterprise_a, DURING, TodoKind.ANSWERED)
        assert "未采纳" in item.title and item.url == f"/enterprises/{USCC_A}#objections"
        publication.finalize_run(db, analyst, objection.run_id, on=AFTER)
        assert items(db, enterprise_a, AFTER, TodoKind.ANSWERED) == []


@pytest.fixture
def office(db: Session) -> Actor:
    return account(db, "projects", Role.PROJECT_OFFICE)


@pytest.fixture
def stored(db: Session, office: Actor) -> None:
    projects.import_projects(db, office, library(), year=2025)


@pytest.fixture
def unit_a(db: Session, stored: None) -> Actor:
    return account(db, "unit_a", Role.UNIT, UNIT_A)


@pytest.fixture
def overdue(db: Session, office: Actor, stored: None) -> int:
    """A difficulty of P1 owned by 招商局, due 2025-05-20: 46 days overdue on :data:`JULY` (督办 to the leader)."""
    return difficulties.add_difficulty(
        db,
        office,
        "P1",
        description="施工用电增容审批未完成",
        category=DifficultyCategory.ENERGY,
        raised_on=date(2025, 5, 1),
        owner_unit=UNIT_A,
        deadline=date(2025, 5, 20),
    )


def _resolve(db: Session, office: Actor, difficulty_id: int) -> None:
    difficulties.update_difficulty(
        db,
        office,
        difficulty_id,
        status=DifficultyStatus.RESOLVED,
        resolution="已完成增容",
        resolved_on=date(2025, 7, 1),
    )


class TestProjectOffice:
    def test_the_ended_month_waits_to_be_closed(self, db: Session, office: Actor, stored: None) -> None:
        [item] = items(db, office, JULY, TodoKind.MONTH)
        assert "2025年6月" in item.title and item.url == "/projects/months"
        months.close_month(db, office, 2025, 6, on=JULY)
        assert items(db, office, JULY, TodoKind.MONTH) == []

    def test_no_month_to_close_without_projects(self, db: Session, office: Actor) -> None:
        assert items(db, office, JULY) == []

    def test_overdue_difficulties_are_grouped_by_owner_unit_until_resolved(
        self, db: Session, office: Actor, overdue: int
    ) -> None:
        assert items(db, office, date(2025, 5, 20), TodoKind.DIFFICULTY) == []  # the deadline day: not yet
        [item] = items(db, office, JULY, TodoKind.DIFFICULTY)
        assert item.title.startswith(UNIT_A) and item.count == 1 and item.urgent
        assert "逾期 46 天" in (item.detail or "") and "王建国" in (item.detail or "")
        _resolve(db, office, overdue)
        assert items(db, office, JULY, TodoKind.DIFFICULTY) == []

    def test_projects_owing_last_months_report(self, db: Session, office: Actor, stored: None) -> None:
        [item] = items(db, office, JULY, TodoKind.PROGRESS)
        assert item.count == 2 and "2025年6月" in item.title  # P1 and P2 have a year plan; the others owe none


class TestUnit:
    def test_its_own_projects_progress_due_this_month(
        self, db: Session, unit_a: Actor, office: Actor, settings: Settings
    ) -> None:
        due = items(db, unit_a, JULY, TodoKind.PROGRESS)
        assert [i.url for i in due] == ["/projects/P1", "/projects/P2"]
        progress.record_progress(db, office, settings, ProgressReport("P1", 2025, 6, 120.0, 40.0, "主体施工"))
        assert [i.url for i in items(db, unit_a, JULY, TodoKind.PROGRESS)] == ["/projects/P2"]

    def test_its_overdue_difficulties_not_another_units(
        self, db: Session, unit_a: Actor, office: Actor, overdue: int
    ) -> None:
        [item] = items(db, unit_a, JULY, TodoKind.DIFFICULTY)
        assert item.url == "/projects/P1" and item.due == date(2025, 5, 20)
        unit_b = account(db, "unit_b", Role.UNIT, UNIT_B)
        assert items(db, unit_b, JULY, TodoKind.DIFFICULTY) == []
        _resolve(db, office, overdue)
        assert items(db, unit_a, JULY, TodoKind.DIFFICULTY) == []


class TestLeader:
    def test_difficulties_escalated_to_a_leader(self, db: Session, leader: Actor, office: Actor, overdue: int) -> None:
        assert items(db, leader, date(2025, 6, 10)) == []  # 21 days overdue: still the owner unit's
        [item] = items(db, leader, JULY)
        assert item.kind is TodoKind.DIFFICULTY and "王建国" in item.title and item.url == "/projects/difficulties"
        _resolve(db, office, overdue)
        assert items(db, leader, JULY) == []


class TestAdministrators:
    def test_a_locked_account_until_the_system_administrator_unlocks_it(
        self, db: Session, sysadmin: Actor, analyst: Actor
    ) -> None:
        assert items(db, sysadmin, JULY) == []
        for _ in range(5):
            users.authenticate(db, "analyst", "wrong")
        [item] = items(db, sysadmin, JULY)
        assert item.kind is TodoKind.LOCKED and "analyst" in item.title and item.url == "/admin/users"
        users.set_password(db, sysadmin, "analyst", "Reset-by-sysadmin-1")
        assert items(db, sysadmin, JULY) == []

    def test_the_security_and_audit_administrators_have_no_business_to_do(
        self, db: Session, secadmin: Actor, auditor: Actor, objection: ObjectionRead, stored: None
    ) -> None:
        for actor in (secadmin, auditor):
            assert todo.todo_list(db, actor, on=AFTER).total == 0
