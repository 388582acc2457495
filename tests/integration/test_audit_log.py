"""The audit log is tamper-evident: append-only triggers, a hash chain that verify walks, a retention rule that
a purge obeys, and an origin on every entry. Each test runs on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import audit_tamper
import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from zone_files import NOTICE_START

from zonehero import clock
from zonehero.config import Settings
from zonehero.errors import InputError, PermissionDenied
from zonehero.features.audit import integrity
from zonehero.features.audit import service as audit
from zonehero.features.audit.chain import GENESIS, entry_hash
from zonehero.features.audit.models import AuditChainHead, AuditEntry
from zonehero.features.audit.origin import Origin, origin_scope
from zonehero.features.documents import service as documents
from zonehero.features.imports.storage import UploadedFile
from zonehero.features.objections import service as objections
from zonehero.features.roles import SYSTEM, Actor, Role
from zonehero.features.runs.schemas import RunRead
from zonehero.features.users import service as users


def _write(db: Session, count: int, *, action: str = "login.success") -> list[int]:
    """``count`` entries by the same made-up person, their ids in order."""
    someone = Actor(id=None, username="chain-test", role=Role.LEADER)
    return [audit.record(db, someone, action, "user", n, after={"n": n, "note": "第 {n} 次"}) for n in range(count)]


def _verify(db: Session) -> tuple[bool, int | None]:
    report = integrity.verify(db, SYSTEM)
    return report.ok, report.first_bad_id


@pytest.fixture
def fixed_clock() -> Iterator[None]:
    """Put the real clock back whatever a test installed."""
    previous = clock.current()
    yield
    clock.use(previous)


class TestEntries:
    def test_an_entry_carries_the_origin_the_edge_set(self, db: Session) -> None:
        with origin_scope(Origin("203.0.113.7", "Mozilla/5.0 " + "x" * 400)):
            entry_id = _write(db, 1)[0]
        entry = db.get(AuditEntry, entry_id)
        assert entry is not None
        assert entry.origin == "203.0.113.7"
        assert entry.user_agent is not None and len(entry.user_agent) == 200  # truncated

    def test_control_characters_in_a_user_agent_are_blanked(self) -> None:
        assert Origin("1.2.3.4", "evil\r\n=cmd|' /C calc'!A0").user_agent == "evil  =cmd|' /C calc'!A0"

    def test_each_entry_is_chained_to_the_one_before(self, db: Session) -> None:
        ids = _write(db, 3)
        entries = [db.get(AuditEntry, i) for i in ids]
        assert entries[1].prev_hash == entries[0].hash and entries[2].prev_hash == entries[1].hash  # type: ignore[union-attr]
        for entry in entries:
            assert entry is not None
            fields = {column.key: getattr(entry, column.key) for column in AuditEntry.__table__.columns}
            assert entry_hash(fields) == entry.hash
        head = db.get(AuditChainHead, 1)
        assert head is not None and head.last_id == ids[-1] and head.last_hash == entries[-1].hash  # type: ignore[union-attr]

    def test_a_fresh_chain_starts_at_genesis(self, db: Session) -> None:
        first = db.scalars(select(AuditEntry).order_by(AuditEntry.id).limit(1)).first()
        if first is None:
            first = db.get(AuditEntry, _write(db, 1)[0])
        assert first is not None and first.prev_hash in {GENESIS, db.get(AuditChainHead, 1).anchor_hash}  # type: ignore[union-attr]


class TestAppendOnly:
    def test_an_update_is_refused_by_the_database(self, db: Session) -> None:
        entry_id = _write(db, 1)[0]
        with pytest.raises(DBAPIError, match="append-only"), db.begin_nested():
            audit_tamper.edit(db, entry_id)

    def test_a_delete_is_refused_by_the_database(self, db: Session) -> None:
        entry_id = _write(db, 1)[0]
        with pytest.raises(DBAPIError, match="append-only"), db.begin_nested():
            audit_tamper.delete(db, entry_id)
        assert db.get(AuditEntry, entry_id) is not None

    def test_a_delete_of_an_old_entry_without_a_purge_is_refused(self, db: Session, fixed_clock: None) -> None:
        clock.use(clock.FixedClock(datetime.now(UTC) - timedelta(days=400)))
        entry_id = _write(db, 1)[0]
        with pytest.raises(DBAPIError, match="append-only"), db.begin_nested():
            audit_tamper.delete(db, entry_id)

    def test_the_anchor_cannot_be_moved_without_a_checkpoint(self, db: Session) -> None:
        entry_id = _write(db, 2)[0]
        with pytest.raises(DBAPIError, match="anchor"), db.begin_nested():
            db.execute(text("UPDATE audit_chain_head SET anchor_id = :id, anchor_hash = 'x'"), {"id": entry_id})

    def test_the_chain_head_cannot_be_deleted(self, db: Session) -> None:
        with pytest.raises(DBAPIError, match="append-only"), db.begin_nested():
            db.execute(text("DELETE FROM audit_chain_head"))


class TestVerify:
    def test_an_intact_log_verifies(self, db: Session) -> None:
        _write(db, 5)
        report = integrity.verify(db, SYSTEM)
        assert report.ok and report.problem is None and report.checked >= 5

    def test_an_edited_entry_is_named(self, db: Session) -> None:
        ids = _write(db, 5)
        audit_tamper.drop_triggers(db)
        audit_tamper.edit(db, ids[2])
        assert _verify(db) == (False, ids[2])

    def test_an_edit_with_its_own_hash_recomputed_is_caught_at_the_next_entry(self, db: Session) -> None:
        ids = _write(db, 5)
        audit_tamper.drop_triggers(db)
        audit_tamper.edit(db, ids[2])
        forged = db.execute(select(AuditEntry.__table__).where(AuditEntry.id == ids[2])).mappings().one()
        db.execute(text("UPDATE audit_log SET hash = :h WHERE id = :id"), {"h": entry_hash(dict(forged)), "id": ids[2]})
        assert _verify(db) == (False, ids[3])

    def test_a_deleted_entry_is_caught_at_the_one_after_it(self, db: Session) -> None:
        ids = _write(db, 5)
        audit_tamper.drop_triggers(db)
        audit_tamper.delete(db, ids[2])
        assert _verify(db) == (False, ids[3])

    def test_a_deleted_newest_entry_is_named(self, db: Session) -> None:
        ids = _write(db, 5)
        audit_tamper.drop_triggers(db)
        audit_tamper.delete(db, ids[4])
        ok, bad = _verify(db)
        assert not ok and bad == ids[4]

    def test_two_swapped_entries_are_caught_at_the_first(self, db: Session) -> None:
        ids = _write(db, 5)
        audit_tamper.drop_triggers(db)
        audit_tamper.swap(db, ids[1], ids[2])
        assert _verify(db) == (False, ids[1])

    def test_an_entry_slipped_in_beside_the_chain_is_caught(self, db: Session) -> None:
        ids = _write(db, 3)
        last = db.get(AuditEntry, ids[-1])
        assert last is not None
        db.execute(
            text(
                "INSERT INTO audit_log (at, actor_name, action, entity, prev_hash, hash) "
                "VALUES (:at, 'mallory', 'login.success', 'user', :prev, :hash)"
            ),
            {"at": last.at.replace(tzinfo=None), "prev": last.hash, "hash": "f" * 64},
        )
        ok, bad = _verify(db)
        assert not ok and bad is not None and bad > ids[-1]

    def test_only_a_keeper_verifies(self, db: Session) -> None:
        with pytest.raises(PermissionDenied):
            integrity.verify(db, Actor(id=1, username="leader", role=Role.LEADER))


class TestPurge:
    def _old_entries(self, db: Session, count: int, days_ago: int) -> list[int]:
        clock.use(clock.FixedClock(datetime.now(UTC) - timedelta(days=days_ago)))
        try:
            return _write(db, count, action="login.failed")
        finally:
            clock.use(clock.ZoneClock())

    def test_a_day_inside_the_retention_period_is_refused(self, db: Session, fixed_clock: None) -> None:
        self._old_entries(db, 2, days_ago=400)
        inside = date.today() - timedelta(days=100)
        with pytest.raises(InputError, match="至少保留 180 天"):
            integrity.purge(db, SYSTEM, inside, retention_days=180)
        with pytest.raises(InputError, match="至少保留 365 天"):
            integrity.purge(db, SYSTEM, date.today() - timedelta(days=200), retention_days=365)

    def test_a_purge_removes_old_entries_and_the_rest_still_verifies(self, db: Session, fixed_clock: None) -> None:
        old = self._old_entries(db, 3, days_ago=400)
        recent = _write(db, 2)
        report = integrity.purge(db, SYSTEM, date.today() - timedelta(days=300), retention_days=180)
        assert report.removed >= 3 and report.through_id is not None and report.through_id >= old[-1]
        assert all(db.get(AuditEntry, i) is None for i in old)
        assert all(db.get(AuditEntry, i) is not None for i in recent)
        checkpoint = db.get(AuditEntry, report.checkpoint_id)
        assert checkpoint is not None and checkpoint.action == "audit.purge"
        assert checkpoint.after["through_id"] == report.through_id
        assert integrity.verify(db, SYSTEM).ok
        # … and the anchor still guards what is left: deleting the newest entries is caught
        audit_tamper.drop_triggers(db)
        audit_tamper.delete(db, recent[0])
        assert _verify(db) == (False, recent[1])

    def test_a_purge_with_nothing_old_records_nothing(self, db: Session) -> None:
        _write(db, 1)
        before = db.get(AuditChainHead, 1)
        assert before is not None
        last_id = before.last_id
        report = integrity.purge(db, SYSTEM, date.today() - timedelta(days=10_000), retention_days=180)
        assert report.removed == 0 and report.checkpoint_id is None
        db.expire_all()
        assert db.get(AuditChainHead, 1).last_id == last_id  # type: ignore[union-attr]

    def test_young_entries_stay_even_when_the_anchor_covers_them(self, db: Session, fixed_clock: None) -> None:
        """The delete trigger's own floor: nothing younger than 180 days goes, whatever the anchor says."""
        young = _write(db, 1)[0]
        with pytest.raises(DBAPIError, match="append-only"), db.begin_nested():
            if audit_tamper.dialect(db) == "postgresql":
                db.execute(text("DROP TRIGGER trg_audit_chain_head_guard ON audit_chain_head"))
            else:
                db.execute(text("DROP TRIGGER trg_audit_chain_head_anchor"))
            db.execute(text("UPDATE audit_chain_head SET anchor_id = :id"), {"id": young})
            audit_tamper.delete(db, young)


class TestReading:
    def test_the_log_reads_in_words(self, db: Session) -> None:
        auditor = Actor(id=None, username="auditor-x", role=Role.AUDIT_ADMIN)
        audit.record(db, auditor, "user.set_active", "user", 7, before={"active": True}, after={"active": False})
        item = audit.list_entries(db, auditor, actor_name="auditor-x").items[0]
        assert item.action_label == "启用/停用账户" and item.entity_label == "账户"
        assert [(c.field, c.before, c.after) for c in item.changes] == [("启用", "是", "否")]

    def test_dates_are_the_zones_calendar_days(self, db: Session, fixed_clock: None) -> None:
        # 2025-03-01 01:00 in Beijing is still 28 February in UTC
        clock.use(clock.FixedClock(datetime(2025, 2, 28, 17, 0, tzinfo=UTC)))
        auditor = Actor(id=None, username="auditor-day", role=Role.AUDIT_ADMIN)
        audit.record(db, auditor, "logout", "user", 1)
        on_the_first = audit.list_entries(db, auditor, actor_name="auditor-day", date_from=date(2025, 3, 1))
        on_the_28th = audit.list_entries(db, auditor, actor_name="auditor-day", date_to=date(2025, 2, 28))
        assert on_the_first.total == 1 and on_the_28th.total == 0

    def test_an_analyst_may_not_read_the_log(self, db: Session) -> None:
        with pytest.raises(PermissionDenied):
            audit.list_entries(db, Actor(id=2, username="analyst", role=Role.ANALYST))


class TestSecurityEventsAndBulkReads:
    """Each is recorded with who, what and (here) the origin the edge set."""

    def _last(self, db: Session, action: str) -> AuditEntry:
        entry = db.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id.desc())).first()
        assert entry is not None, action
        return entry

    def test_a_lock_out_is_its_own_event(self, db: Session, leader: Actor) -> None:
        policy = users.LockoutPolicy(failures=2, minutes=5)
        with origin_scope(Origin("198.51.100.9")):
            for _ in range(2):
                users.authenticate(db, "leader", "wrong-password", policy=policy)
        locked = self._last(db, "user.locked")
        assert locked.actor_name == "leader" and locked.origin == "198.51.100.9"
        assert locked.after["failed_logins"] == 2 and "locked_until" in locked.after

    def test_a_document_download_names_the_document_run_year_and_count(
        self, db: Session, analyst: Actor, notice: RunRead
    ) -> None:
        with origin_scope(Origin("192.0.2.10", "Firefox")):
            documents.public_list(db, analyst, notice.id, "xlsx")
        entry = self._last(db, "document.download")
        assert (entry.actor_name, entry.entity, entry.entity_id) == ("analyst", "evaluation_run", str(notice.id))
        assert entry.after["document"] == "public_list" and entry.after["format"] == "xlsx"
        assert entry.after["year"] == notice.year and entry.after["enterprises"] == notice.result_count
        assert (entry.origin, entry.user_agent) == ("192.0.2.10", "Firefox")

    def test_an_evidence_download_is_recorded(
        self, db: Session, enterprise_a: Actor, analyst: Actor, notice: RunRead, settings: Settings
    ) -> None:
        evidence = UploadedFile("土地证.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n%%EOF\n")
        filed = objections.file_objection(
            db, enterprise_a, notice.id, "异议", [evidence], settings=settings, on=NOTICE_START + timedelta(days=2)
        )
        objections.evidence_file(db, analyst, filed.files[0].id, settings=settings)
        entry = self._last(db, "evidence.download")
        assert entry.actor_name == "analyst" and entry.after["objection_id"] == filed.id
        assert entry.after["uscc"] == filed.uscc and entry.after["file"] == "土地证.pdf"
