"""数据归集 (department submissions) through the services, on SQLite and PostgreSQL.

A department account submits only its own columns into the import preview; nothing reaches the store before the
analyst confirms; the board's states (due, late, received, with problems, confirmed) and the counts; 催办 and the
department's to-do; the API token (argon2, shown once, revoked); what a department may not see.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.orm import Session
from zone_files import PASSWORD, USCC_A, uploads, write_land, write_statistics, write_tax

from zonehero.config import Settings
from zonehero.errors import Conflict, NotFound, PermissionDenied, Unauthenticated
from zonehero.features.audit import service as audit
from zonehero.features.collection import service as collection
from zonehero.features.collection.schemas import ExpectationState
from zonehero.features.enterprises import service as enterprises
from zonehero.features.imports import service as imports
from zonehero.features.imports.storage import UploadedFile
from zonehero.features.roles import SYSTEM, Actor, Role
from zonehero.features.todo import service as todo
from zonehero.features.todo.schemas import TodoKind
from zonehero.features.users import service as users

YEAR = 2024
DEADLINE = date(2025, 3, 15)
BEFORE = date(2025, 3, 1)
AFTER = date(2025, 3, 20)


def department_account(db: Session, username: str, department: str) -> Actor:
    made = users.create_user(db, SYSTEM, username, PASSWORD, Role.DEPARTMENT, department=department)
    return Actor(id=made.id, username=made.username, role=Role.DEPARTMENT, department=made.department)


@pytest.fixture
def tax(db: Session) -> Actor:
    return department_account(db, "tax_clerk", "税务局")


@pytest.fixture
def land(db: Session) -> Actor:
    return department_account(db, "land_clerk", "自然资源局")


@pytest.fixture
def opened(db: Session, analyst: Actor) -> int:
    collection.open_round(db, analyst, YEAR, deadline=DEADLINE)
    return YEAR


def row_of(db: Session, actor: Actor, department: str, on: date = BEFORE) -> object:
    return next(r for r in collection.board(db, actor, YEAR, on=on).rows if r.department == department)


class TestSubmitting:
    def test_its_own_file_waits_in_the_preview_and_nothing_is_stored(
        self, db: Session, analyst: Actor, tax: Actor, opened: int, settings: Settings, tmp_path: Path
    ) -> None:
        receipt = collection.submit(db, tax, YEAR, uploads([write_tax(tmp_path, YEAR)]), settings=settings)
        assert receipt.status == "preview" and receipt.problems == [] and receipt.enterprise_count == 20
        with pytest.raises(NotFound):
            enterprises.get_enterprise(db, analyst, USCC_A)  # nothing in the store before the bureau confirms
        row = row_of(db, analyst, "税务局")
        assert row.state == ExpectationState.RECEIVED and row.received_by == "tax_clerk"  # type: ignore[attr-defined]
        assert row.confirmable_batch == receipt.batch_id  # type: ignore[attr-defined]
        imports.confirm_import(db, analyst, receipt.batch_id, year=YEAR, settings=settings)
        assert enterprises.get_enterprise(db, analyst, USCC_A).uscc == USCC_A
        assert row_of(db, analyst, "税务局").state == ExpectationState.CONFIRMED  # type: ignore[attr-defined]

    def test_another_departments_columns_are_refused_by_name(
        self, db: Session, analyst: Actor, tax: Actor, opened: int, settings: Settings, tmp_path: Path
    ) -> None:
        sent = uploads([write_tax(tmp_path, YEAR), write_land(tmp_path, YEAR)])
        receipt = collection.submit(db, tax, YEAR, sent, settings=settings)
        assert receipt.status == "invalid"
        assert any(
            "列「用地面积(亩)」（用地面积）属于自然资源局的报送范围，税务局不能报送" in p for p in receipt.problems
        )
        with pytest.raises(Conflict):
            imports.confirm_import(db, analyst, receipt.batch_id, year=YEAR, settings=settings)
        assert row_of(db, analyst, "税务局").state == ExpectationState.PROBLEMS  # type: ignore[attr-defined]

    def test_the_file_name_carries_the_department_for_the_lineage(
        self, db: Session, land: Actor, opened: int, settings: Settings, tmp_path: Path
    ) -> None:
        path = write_land(tmp_path, YEAR)
        receipt = collection.submit(db, land, YEAR, [UploadedFile("mu.csv", path.read_bytes())], settings=settings)
        assert receipt.files == ["自然资源局_mu.csv"]
        preview = collection.own_submission(db, land, receipt.batch_id)
        assert [s.department for s in preview.sources] == ["自然资源局"]
        assert preview.changes is None  # the store's figures are none of the department's business

    def test_a_year_without_a_round_is_refused(
        self, db: Session, tax: Actor, settings: Settings, tmp_path: Path
    ) -> None:
        with pytest.raises(NotFound):
            collection.submit(db, tax, YEAR, uploads([write_tax(tmp_path, YEAR)]), settings=settings)

    def test_only_a_department_submits(
        self, db: Session, analyst: Actor, opened: int, settings: Settings, tmp_path: Path
    ) -> None:
        with pytest.raises(PermissionDenied):
            collection.submit(db, analyst, YEAR, uploads([write_tax(tmp_path, YEAR)]), settings=settings)


class TestWhatADepartmentSees:
    def test_only_its_own_submissions(
        self, db: Session, tax: Actor, land: Actor, analyst: Actor, opened: int, settings: Settings, tmp_path: Path
    ) -> None:
        mine = collection.submit(db, land, YEAR, uploads([write_land(tmp_path, YEAR)]), settings=settings)
        theirs = collection.submit(db, tax, YEAR, uploads([write_tax(tmp_path, YEAR)]), settings=settings)
        assert collection.own_submission(db, land, mine.batch_id).batch_id == mine.batch_id
        with pytest.raises(NotFound):
            collection.own_submission(db, land, theirs.batch_id)
        analysts_own = imports.preview_import(
            db, analyst, uploads([write_statistics(tmp_path, YEAR)]), settings=settings
        )
        with pytest.raises(NotFound):
            imports.get_preview(db, land, analysts_own.batch_id)
        desk = collection.desk(db, land, on=BEFORE)
        assert [s.batch_id for r in desk.rounds for s in r.submissions] == [mine.batch_id]
        for forbidden in (
            lambda: collection.board(db, land, YEAR),
            lambda: enterprises.get_enterprise(db, land, USCC_A),
            lambda: imports.list_batches(db, land),
        ):
            with pytest.raises((PermissionDenied, NotFound)):  # NotFound where USCCs must not be probed
                forbidden()


class TestTheBoard:
    def test_states_and_counts(
        self,
        db: Session,
        analyst: Actor,
        leader: Actor,
        tax: Actor,
        land: Actor,
        opened: int,
        settings: Settings,
        tmp_path: Path,
    ) -> None:
        collection.submit(db, tax, YEAR, uploads([write_tax(tmp_path, YEAR)]), settings=settings)
        bad = collection.submit(db, land, YEAR, uploads([write_land(tmp_path, YEAR, bad_row=True)]), settings=settings)
        assert bad.status == "invalid"
        before = collection.board(db, analyst, YEAR, on=BEFORE)
        assert before.counts.model_dump() == {"expected": 7, "received": 2, "late": 0, "problems": 1, "confirmed": 0}
        after = collection.board(db, leader, YEAR, on=AFTER)
        assert after.counts.late == 5 and not after.may_edit
        assert all(r.confirmable_batch is None and not r.may_remind for r in after.rows)  # a leader reads only
        states = {r.department: r.state for r in after.rows}
        assert states["税务局"] == ExpectationState.RECEIVED and states["自然资源局"] == ExpectationState.PROBLEMS
        assert states["供电公司"] == ExpectationState.LATE

    def test_a_deadline_moves_only_within_its_own_round(self, db: Session, analyst: Actor, opened: int) -> None:
        row = row_of(db, analyst, "应急管理局")
        later = date(2025, 4, 30)
        with pytest.raises(NotFound):
            collection.set_deadline(db, analyst, row.expectation_id, later, year=YEAR + 1)  # type: ignore[attr-defined]
        collection.set_deadline(db, analyst, row.expectation_id, later, year=YEAR)  # type: ignore[attr-defined]
        assert row_of(db, analyst, "应急管理局", on=AFTER).state == ExpectationState.DUE  # type: ignore[attr-defined]

    def test_a_second_round_for_a_year_is_refused(self, db: Session, analyst: Actor, opened: int) -> None:
        with pytest.raises(Conflict):
            collection.open_round(db, analyst, YEAR)

    def test_a_round_copies_the_departments_as_they_were(self, db: Session, analyst: Actor, opened: int) -> None:
        power = next(d for d in collection.list_departments(db, analyst) if d.name == "供电公司")
        collection.save_department(
            db, analyst, name=None, fields=["electricity_10k_kwh", "energy_tce"], department_id=power.id
        )
        assert row_of(db, analyst, "供电公司").field_labels == ["用电量"]  # type: ignore[attr-defined]
        collection.open_round(db, analyst, YEAR + 1)
        newer = next(r for r in collection.board(db, analyst, YEAR + 1).rows if r.department == "供电公司")
        assert newer.field_labels == ["综合能耗", "用电量"] or newer.field_labels == ["用电量", "综合能耗"]


class TestReminders:
    def test_the_reminder_todo_appears_and_goes_when_the_file_arrives(
        self, db: Session, analyst: Actor, tax: Actor, opened: int, settings: Settings, tmp_path: Path
    ) -> None:
        [due] = [i for i in todo.todo_list(db, tax, on=BEFORE).items if i.kind is TodoKind.COLLECTION_DUE]
        assert not due.urgent and due.due == DEADLINE and due.url == f"/collection/submit?year={YEAR}"
        row = row_of(db, analyst, "税务局")
        collection.remind(db, analyst, row.expectation_id, on=BEFORE)  # type: ignore[attr-defined]
        [reminded] = [i for i in todo.todo_list(db, tax, on=BEFORE).items if i.kind is TodoKind.COLLECTION_DUE]
        assert reminded.urgent and "催办" in (reminded.detail or "")
        assert audit.list_entries(db, SYSTEM, action="collection.remind").total == 1
        [late] = [i for i in todo.todo_list(db, analyst, on=AFTER).items if i.kind is TodoKind.COLLECTION_LATE]
        assert late.count == 7
        collection.submit(db, tax, YEAR, uploads([write_tax(tmp_path, YEAR)]), settings=settings)
        assert not [i for i in todo.todo_list(db, tax, on=BEFORE).items if i.kind.value.startswith("collection")]
        with pytest.raises(Conflict):
            collection.remind(db, analyst, row.expectation_id, on=BEFORE)  # type: ignore[attr-defined]

    def test_a_file_with_problems_is_a_todo_to_send_again(
        self, db: Session, land: Actor, opened: int, settings: Settings, tmp_path: Path
    ) -> None:
        bad = collection.submit(db, land, YEAR, uploads([write_land(tmp_path, YEAR, bad_row=True)]), settings=settings)
        [item] = todo.todo_list(db, land, on=BEFORE).items
        assert item.kind is TodoKind.COLLECTION_PROBLEM and item.url == f"/collection/submissions/{bad.batch_id}"


class TestTokens:
    def test_a_token_speaks_for_its_department_until_revoked(
        self, db: Session, analyst: Actor, opened: int, settings: Settings, tmp_path: Path
    ) -> None:
        made = collection.create_token(db, analyst, "税务局")
        assert made.token.startswith(f"zh_{made.read.prefix}_")
        view = collection.round_view(db, analyst, YEAR)
        assert [t.prefix for t in view.tokens] == [made.read.prefix]
        assert made.token not in view.model_dump_json()  # listed, never shown again
        actor, token_id = collection.token_actor(db, made.token)
        assert actor.role == Role.DEPARTMENT and actor.department == "税务局" and actor.id is None
        receipt = collection.submit(
            db, actor, YEAR, uploads([write_tax(tmp_path, YEAR)]), settings=settings, channel="api", token_id=token_id
        )
        row = row_of(db, analyst, "税务局")
        assert row.submissions[0].channel_label == "接口推送" and row.submissions[0].batch_id == receipt.batch_id  # type: ignore[attr-defined]
        with pytest.raises(Unauthenticated):
            collection.token_actor(db, made.token[:-1] + ("x" if made.token[-1] != "x" else "y"))
        collection.revoke_token(db, analyst, made.read.id)
        with pytest.raises(Unauthenticated):
            collection.token_actor(db, made.token)

    def test_only_the_analyst_makes_tokens(self, db: Session, leader: Actor, tax: Actor, opened: int) -> None:
        for who in (leader, tax):
            with pytest.raises(PermissionDenied):
                collection.create_token(db, who, "税务局")


class TestAccounts:
    def test_a_department_account_names_its_department(self, db: Session) -> None:
        from zonehero.errors import InputError

        with pytest.raises(InputError):
            users.create_user(db, SYSTEM, "nodept", PASSWORD, Role.DEPARTMENT)
        with pytest.raises(InputError):
            users.create_user(db, SYSTEM, "leaderdept", PASSWORD, Role.LEADER, department="税务局")
        made = users.create_user(db, SYSTEM, "taxdept", PASSWORD, Role.DEPARTMENT, department="税务局")
        assert made.department == "税务局"
