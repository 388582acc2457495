"""企业确认: the analyst opens a round, each enterprise confirms or disputes only its own figures, the analyst
accepts (the figure changes with lineage) or rejects; unanswered counts as confirmed after the deadline; a run keeps
the state its notices print."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from zone_files import ALL_USCCS, USCC_A, USCC_B

from zonehero import clock
from zonehero.config import Settings
from zonehero.errors import Conflict, InputError, NotFound, PermissionDenied
from zonehero.features.audit.models import AuditEntry
from zonehero.features.confirmation import service as confirmation
from zonehero.features.confirmation.models import ConfirmationAnswer
from zonehero.features.documents import service as documents
from zonehero.features.enterprises import service as enterprises
from zonehero.features.enterprises.models import Figure
from zonehero.features.imports.storage import UploadedFile
from zonehero.features.roles import Actor
from zonehero.features.runs import service as runs
from zonehero.features.schemes.schemas import SchemeVersionRead

OPENED = date(2025, 2, 1)
DEADLINE = date(2025, 2, 15)
BEFORE = date(2025, 2, 10)
AFTER = date(2025, 2, 16)
PDF = UploadedFile("土地证.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n%%EOF\n")


@pytest.fixture
def on_day() -> Iterator[object]:
    """Install a fixed clock at noon (Beijing) of a given day; the previous clock comes back after the test."""
    previous = clock.current()

    def at(day: date) -> None:
        clock.use(clock.FixedClock(datetime(day.year, day.month, day.day, 4, 0, tzinfo=UTC)))

    at(BEFORE)
    yield at
    clock.use(previous)


@pytest.fixture
def round_2024(db: Session, analyst: Actor, zone_year: int) -> int:
    confirmation.open_round(db, analyst, year=zone_year, deadline=DEADLINE, on=OPENED)
    return zone_year


def land(db: Session, uscc: str) -> Figure:
    return db.scalars(
        select(Figure).where(Figure.uscc == uscc, Figure.year == 2024, Figure.field == "land_area_mu")
    ).one()


class TestOpen:
    def test_only_an_editor_opens_a_round(
        self, db: Session, leader: Actor, enterprise_a: Actor, zone_year: int
    ) -> None:
        for actor in (leader, enterprise_a):
            with pytest.raises(PermissionDenied):
                confirmation.open_round(db, actor, year=zone_year, deadline=DEADLINE, on=OPENED)

    def test_a_year_without_figures_or_a_past_deadline_is_refused(
        self, db: Session, analyst: Actor, zone_year: int
    ) -> None:
        with pytest.raises(InputError, match="还没有企业数据"):
            confirmation.open_round(db, analyst, year=2030, deadline=DEADLINE, on=OPENED)
        with pytest.raises(InputError, match="不能早于今天"):
            confirmation.open_round(db, analyst, year=zone_year, deadline=OPENED - timedelta(days=1), on=OPENED)

    def test_opening_again_moves_the_deadline_audited(self, db: Session, analyst: Actor, round_2024: int) -> None:
        later = DEADLINE + timedelta(days=7)
        moved = confirmation.open_round(db, analyst, year=round_2024, deadline=later, on=OPENED)
        assert moved.deadline == later
        entries = db.scalars(select(AuditEntry).where(AuditEntry.action == "confirmation.open")).all()
        assert entries[-1].before == {"year": 2024, "deadline": DEADLINE.isoformat()}


class TestEnterpriseSeesItsOwn:
    def test_it_sees_its_figures_with_their_sources(self, db: Session, enterprise_a: Actor, round_2024: int) -> None:
        seen = confirmation.enterprise_confirmation(db, enterprise_a, USCC_A, 2024, on=BEFORE)
        assert seen.state == "pending" and seen.can_act
        first = seen.figures[0]
        assert (first.field, first.value) == ("land_area_mu", 20.0)
        assert "自然资源局" in first.source and "第 2 行" in first.source

    def test_it_does_not_see_another_enterprise(self, db: Session, enterprise_a: Actor, round_2024: int) -> None:
        with pytest.raises(NotFound):
            confirmation.enterprise_confirmation(db, enterprise_a, USCC_B, 2024, on=BEFORE)

    def test_staff_see_but_do_not_act(self, db: Session, analyst: Actor, round_2024: int) -> None:
        seen = confirmation.enterprise_confirmation(db, analyst, USCC_A, 2024, on=BEFORE)
        assert seen.figures and not seen.can_act
        with pytest.raises(PermissionDenied):
            confirmation.confirm(db, analyst, 2024, on=BEFORE)


class TestConfirm:
    def test_it_confirms_its_own_once(self, db: Session, enterprise_a: Actor, round_2024: int) -> None:
        answer = confirmation.confirm(db, enterprise_a, 2024, on=BEFORE)
        assert (answer.uscc, answer.state) == (USCC_A, "confirmed")
        with pytest.raises(Conflict, match="已确认"):
            confirmation.confirm(db, enterprise_a, 2024, on=BEFORE)
        assert (
            db.scalars(select(AuditEntry).where(AuditEntry.action == "confirmation.confirm")).one().entity_id == USCC_A
        )

    def test_not_after_the_deadline_nor_without_a_round(
        self, db: Session, enterprise_a: Actor, round_2024: int
    ) -> None:
        with pytest.raises(Conflict, match="已过"):
            confirmation.confirm(db, enterprise_a, 2024, on=AFTER)
        with pytest.raises(Conflict, match="尚未开启"):
            confirmation.confirm(db, enterprise_a, 2023, on=BEFORE)

    def test_an_enterprise_without_figures_of_the_year_cannot(
        self, db: Session, outsider: Actor, round_2024: int
    ) -> None:
        with pytest.raises(NotFound):
            confirmation.confirm(db, outsider, 2024, on=BEFORE)


class TestDispute:
    def test_it_disputes_its_own_figure_with_evidence(
        self, db: Session, enterprise_a: Actor, round_2024: int, settings: Settings
    ) -> None:
        answer = confirmation.dispute(
            db, enterprise_a, 2024, reason="12 亩已交还园区", proposed={"land_area_mu": "8"}, files=[PDF],
            settings=settings, on=BEFORE,
        )  # fmt: skip
        [d] = answer.disputes
        assert (answer.state, d.field, d.current, d.proposed, d.status) == (
            "disputed",
            "land_area_mu",
            20.0,
            8.0,
            "open",
        )
        assert [f.name for f in answer.files] == ["土地证.pdf"]
        assert [p.read_bytes() for p in (settings.data_dir / "uploads" / "confirmations").rglob("*.pdf")] == [PDF.data]

    def test_wrong_values_and_files_are_refused_together(
        self, db: Session, enterprise_a: Actor, round_2024: int, settings: Settings
    ) -> None:
        with pytest.raises(InputError) as refused:
            confirmation.dispute(
                db, enterprise_a, 2024, reason="有误", proposed={"land_area_mu": "20", "no_such": "1"},
                files=[PDF], settings=settings, on=BEFORE,
            )  # fmt: skip
        assert len(refused.value.problems) == 2
        with pytest.raises(InputError, match="不支持的文件类型"):
            confirmation.dispute(
                db, enterprise_a, 2024, reason="有误", proposed={"land_area_mu": "8"},
                files=[UploadedFile("a.xlsx", b"PK\x03\x04")], settings=settings, on=BEFORE,
            )  # fmt: skip
        with pytest.raises(InputError, match="请附证明材料"):
            confirmation.dispute(
                db, enterprise_a, 2024, reason="有误", proposed={"land_area_mu": "8"}, settings=settings, on=BEFORE
            )
        assert db.scalar(select(func.count(ConfirmationAnswer.id))) == 0


@pytest.fixture
def disputed(db: Session, enterprise_a: Actor, round_2024: int, settings: Settings) -> int:
    answer = confirmation.dispute(
        db, enterprise_a, 2024, reason="12 亩已交还园区", proposed={"land_area_mu": "8", "employees": "30"},
        files=[PDF], settings=settings, on=BEFORE,
    )  # fmt: skip
    return answer.disputes[0].id


class TestResolve:
    def test_accept_writes_the_figure_with_lineage(self, db: Session, analyst: Actor, disputed: int) -> None:
        done = confirmation.accept_dispute(db, analyst, disputed, resolution="核实无误")
        assert (done.status, done.resolved_value) == ("accepted", 8.0)
        fig = land(db, USCC_A)
        assert (fig.value_num, fig.department, fig.file) == (8.0, "企业确认更正", f"确认异议 #{disputed}")
        [shown] = [
            f for f in enterprises.enterprise_figures(db, analyst, USCC_A, year=2024) if f.field == "land_area_mu"
        ]
        assert shown.source == f"企业确认更正 · 确认异议 #{disputed}"
        entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "confirmation.accept")).one()
        assert entry.actor_name == "analyst"
        assert (entry.before["status"], entry.after["status"], entry.after["resolved_value"]) == (
            "open",
            "accepted",
            8.0,
        )
        correction = db.scalars(select(AuditEntry).where(AuditEntry.action == "figure.correct")).one()
        assert correction.before["values"] == {"land_area_mu": 20.0} and correction.after["values"] == {
            "land_area_mu": 8.0
        }

    def test_reject_keeps_the_figure(self, db: Session, analyst: Actor, disputed: int) -> None:
        with pytest.raises(InputError):
            confirmation.reject_dispute(db, analyst, disputed, resolution=" ")
        done = confirmation.reject_dispute(db, analyst, disputed, resolution="以不动产登记为准")
        assert done.status == "rejected"
        assert (land(db, USCC_A).value_num, land(db, USCC_A).department) == (20.0, "自然资源局")
        with pytest.raises(Conflict, match="已处理"):
            confirmation.accept_dispute(db, analyst, disputed, resolution="改主意")

    def test_the_answer_is_resolved_once_every_dispute_is(
        self, db: Session, analyst: Actor, enterprise_a: Actor, disputed: int
    ) -> None:
        confirmation.reject_dispute(db, analyst, disputed, resolution="以不动产登记为准")
        assert confirmation.enterprise_confirmation(db, enterprise_a, USCC_A, 2024, on=BEFORE).state == "disputed"
        confirmation.accept_dispute(db, analyst, disputed + 1, resolution="社保记录为 30 人")
        assert confirmation.enterprise_confirmation(db, enterprise_a, USCC_A, 2024, on=BEFORE).state == "resolved"

    def test_only_an_editor_resolves_and_an_enterprise_sees_only_its_own(
        self, db: Session, leader: Actor, enterprise_a: Actor, enterprise_b: Actor, disputed: int
    ) -> None:
        with pytest.raises(PermissionDenied):
            confirmation.accept_dispute(db, leader, disputed, resolution="好")
        with pytest.raises(PermissionDenied):
            confirmation.reject_dispute(db, enterprise_a, disputed, resolution="好")
        assert confirmation.dispute_detail(db, enterprise_a, disputed).uscc == USCC_A
        with pytest.raises(NotFound):
            confirmation.dispute_detail(db, enterprise_b, disputed)


class TestBoard:
    def test_counts_before_and_after_the_deadline(
        self, db: Session, analyst: Actor, enterprise_b: Actor, disputed: int
    ) -> None:
        confirmation.confirm(db, enterprise_b, 2024, on=BEFORE)
        total = len(ALL_USCCS)
        before = confirmation.counts(db, analyst, 2024, on=BEFORE)
        assert (before.total, before.confirmed, before.disputed, before.pending, before.deemed) == (
            total,
            1,
            1,
            total - 2,
            0,
        )
        after = confirmation.counts(db, analyst, 2024, on=AFTER)
        assert (after.deemed, after.pending) == (total - 2, 0)
        assert after.rate == pytest.approx((total - 1) / total)

    def test_pages_seek_by_uscc_and_filter_by_state(
        self, db: Session, analyst: Actor, enterprise_b: Actor, disputed: int
    ) -> None:
        confirmation.confirm(db, enterprise_b, 2024, on=BEFORE)
        seen: list[str] = []
        after = None
        while True:
            page = confirmation.board(db, analyst, 2024, after=after, limit=7, on=BEFORE)
            assert len(page.rows) <= 7
            seen += [r.uscc for r in page.rows]
            if page.next_cursor is None:
                break
            after = page.next_cursor
        assert seen == sorted(ALL_USCCS)
        [open_] = [
            d for d in confirmation.board(db, analyst, 2024, on=BEFORE).open_disputes if d.field == "land_area_mu"
        ]
        assert (open_.id, open_.uscc) == (disputed, USCC_A)
        assert [r.uscc for r in confirmation.board(db, analyst, 2024, state="confirmed", on=BEFORE).rows] == [USCC_B]
        pending = confirmation.board(db, analyst, 2024, state="pending", on=BEFORE).rows
        assert len(pending) == len(ALL_USCCS) - 2 and {r.state for r in pending} == {"pending"}
        assert confirmation.board(db, analyst, 2024, state="pending", on=AFTER).rows == []
        assert len(confirmation.board(db, analyst, 2024, state="deemed", on=AFTER).rows) == len(ALL_USCCS) - 2

    def test_an_enterprise_has_no_board(self, db: Session, enterprise_a: Actor, round_2024: int) -> None:
        with pytest.raises(PermissionDenied):
            confirmation.board(db, enterprise_a, 2024)


def pdf_text(data: bytes) -> str:
    return "".join("".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(data)).pages)


class TestNotice:
    def test_the_notice_says_what_the_run_kept(
        self,
        db: Session,
        analyst: Actor,
        enterprise_b: Actor,
        disputed: int,
        default_version: SchemeVersionRead,
        on_day: object,
    ) -> None:
        confirmation.confirm(db, enterprise_b, 2024, on=BEFORE)
        confirmation.accept_dispute(db, analyst, disputed, resolution="核实无误")
        confirmation.reject_dispute(db, analyst, disputed + 1, resolution="以社保记录为准")
        on_day(AFTER)  # type: ignore[operator]
        run = runs.create_draft_run(db, analyst, year=2024, scheme_version_id=default_version.id)
        lines = confirmation.notice_lines(db, run.id, [USCC_A, USCC_B, ALL_USCCS[2]])
        assert lines[USCC_B] == "贵企业已于 2025年2月10日 确认本年度数据无误。"
        assert "采纳 1 项，不予采纳 1 项" in lines[USCC_A]
        assert "视为确认（默认确认）" in lines[ALL_USCCS[2]]
        text = pdf_text(documents.result_notice(db, analyst, run.id, USCC_B).content)
        assert "企业确认：贵企业已于2025年2月10日确认本年度数据无误。" in text

    def test_a_run_made_before_the_deadline_keeps_the_awaited_state(
        self, db: Session, analyst: Actor, enterprise_b: Actor, round_2024: int, default_version: SchemeVersionRead,
        on_day: object,
    ) -> None:  # fmt: skip
        run = runs.create_draft_run(db, analyst, year=2024, scheme_version_id=default_version.id)
        confirmation.confirm(db, enterprise_b, 2024, on=BEFORE)  # after the run: its notice does not change
        assert confirmation.notice_lines(db, run.id, [USCC_B])[USCC_B].startswith("评价时贵企业尚未确认")

    def test_a_draft_with_kept_state_can_still_be_deleted(
        self, db: Session, analyst: Actor, round_2024: int, default_version: SchemeVersionRead, on_day: object
    ) -> None:
        run = runs.create_draft_run(db, analyst, year=2024, scheme_version_id=default_version.id)
        assert confirmation.notice_lines(db, run.id, [USCC_A])
        runs.delete_draft(db, analyst, run.id)
        db.flush()
        assert confirmation.notice_lines(db, run.id, [USCC_A]) == {}

    def test_a_run_without_a_round_says_nothing(
        self, db: Session, analyst: Actor, zone_year: int, default_version: SchemeVersionRead
    ) -> None:
        run = runs.create_draft_run(db, analyst, year=zone_year, scheme_version_id=default_version.id)
        assert confirmation.notice_lines(db, run.id, [USCC_A]) == {}
        assert "企业确认" not in pdf_text(documents.result_notice(db, analyst, run.id, USCC_A).content)


class TestTodo:
    def test_the_enterprise_is_asked_until_it_answers(self, db: Session, enterprise_a: Actor, round_2024: int) -> None:
        assert [r.year for r in confirmation.awaiting_own(db, enterprise_a, on=BEFORE)] == [2024]
        assert confirmation.awaiting_own(db, enterprise_a, on=AFTER) == []
        confirmation.confirm(db, enterprise_a, 2024, on=BEFORE)
        assert confirmation.awaiting_own(db, enterprise_a, on=BEFORE) == []

    def test_the_analyst_sees_open_disputes(self, db: Session, analyst: Actor, disputed: int) -> None:
        assert [d.id for d in confirmation.open_disputes(db, analyst)] == [disputed, disputed + 1]
        assert confirmation.open_dispute_count(db, analyst) == 2
