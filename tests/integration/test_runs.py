"""Runs: a draft from the stored year, 公示, final; immutability once published; who sees what; history; compare."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete, event, select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from zone_files import NOTICE_START, USCC_A, USCC_B, uploads, write_zone

from zonehero.config import Settings
from zonehero.core.evaluation import evaluate, parse_scheme
from zonehero.errors import Conflict, InputError, NotFound, PermissionDenied
from zonehero.features.audit.models import AuditEntry
from zonehero.features.enterprises import service as enterprises
from zonehero.features.imports import service as imports
from zonehero.features.publication import service as publication
from zonehero.features.roles import Actor
from zonehero.features.runs import compare, history
from zonehero.features.runs import service as runs
from zonehero.features.runs.models import EvaluationRun, RunInputs, RunResult
from zonehero.features.runs.schemas import RunRead
from zonehero.features.schemes.schemas import SchemeVersionRead

AFTER_NOTICE = NOTICE_START + timedelta(days=6)


class TestCreateDraft:
    def test_it_keeps_every_result_the_scheme_text_and_the_input_hash(
        self, db: Session, analyst: Actor, draft: RunRead, default_version: SchemeVersionRead
    ) -> None:
        expected = evaluate(enterprises.year_frame(db, 2024), parse_scheme(default_version.text), year=2024)
        assert (draft.status, draft.result_count, draft.input_hash) == ("draft", 20, expected.input_hash)
        run = db.get(EvaluationRun, draft.id)
        assert run is not None and run.scheme_text == default_version.text
        results = runs.list_results(db, analyst, draft.id, limit=None)
        assert results.total == 20
        by_uscc = {r.uscc: r for r in results.items}
        want = {rec["uscc"]: rec for rec in expected.to_records()}
        for uscc, rec in want.items():
            got = by_uscc[uscc]
            assert (got.class_, got.rank, got.total_score) == (rec["class"], rec["rank"], rec["total_score"])
            assert got.record["indicators"] == rec["indicators"]
        assert {c["class"]: c["count"] for c in draft.counts if c["group"] == "above"} == {
            "A": 4,
            "B": 10,
            "C": 5,
            "D": 1,
        }

    def test_a_year_without_figures_is_an_input_error(
        self, db: Session, analyst: Actor, default_version: SchemeVersionRead
    ) -> None:
        with pytest.raises(InputError, match="2031"):
            runs.create_draft_run(db, analyst, year=2031, scheme_version_id=default_version.id)

    @pytest.mark.parametrize("persona", ["leader", "enterprise_a"])
    def test_only_editors_evaluate(
        self,
        db: Session,
        zone_year: int,
        default_version: SchemeVersionRead,
        persona: str,
        request: pytest.FixtureRequest,
    ) -> None:
        with pytest.raises(PermissionDenied):
            runs.create_draft_run(
                db, request.getfixturevalue(persona), year=zone_year, scheme_version_id=default_version.id
            )

    def test_it_is_audited(self, db: Session, draft: RunRead) -> None:
        entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "run.create")).one()
        assert entry.entity_id == str(draft.id) and entry.after["input_hash"] == draft.input_hash


class TestPublish:
    def test_notice_lasts_the_zone_profiles_days(self, notice: RunRead) -> None:
        """The built-in profile: 5 calendar days, the first and the last included (3 月 1 日至 5 日)."""
        assert notice.status == "notice"
        assert (notice.notice_start, notice.notice_end) == (NOTICE_START, NOTICE_START + timedelta(days=4))

    def test_finalising_waits_for_the_end_of_the_notice(self, db: Session, analyst: Actor, notice: RunRead) -> None:
        with pytest.raises(Conflict, match="期满"):
            publication.finalize_run(db, analyst, notice.id, on=notice.notice_end)
        final = publication.finalize_run(db, analyst, notice.id, on=AFTER_NOTICE)
        assert final.status == "final" and final.finalized_at is not None

    def test_a_draft_cannot_be_finalised_directly(self, db: Session, analyst: Actor, draft: RunRead) -> None:
        with pytest.raises(Conflict):
            publication.finalize_run(db, analyst, draft.id, on=AFTER_NOTICE)

    def test_one_run_per_year_in_notice(
        self, db: Session, analyst: Actor, notice: RunRead, default_version: SchemeVersionRead
    ) -> None:
        second = runs.create_draft_run(db, analyst, year=2024, scheme_version_id=default_version.id)
        with pytest.raises(Conflict, match="公示中"):
            publication.publish_run(db, analyst, second.id, on=NOTICE_START)

    def test_a_leader_changes_nothing(self, db: Session, leader: Actor, draft: RunRead) -> None:
        with pytest.raises(PermissionDenied):
            publication.publish_run(db, leader, draft.id)
        with pytest.raises(PermissionDenied):
            runs.delete_draft(db, leader, draft.id)

    def test_a_draft_may_be_deleted_but_not_a_published_run(
        self, db: Session, analyst: Actor, notice: RunRead, default_version: SchemeVersionRead
    ) -> None:
        other = runs.create_draft_run(db, analyst, year=2024, scheme_version_id=default_version.id)
        runs.delete_draft(db, analyst, other.id)
        with pytest.raises(NotFound):
            runs.get_run(db, analyst, other.id)
        with pytest.raises(Conflict):
            runs.delete_draft(db, analyst, notice.id)


class TestPublishedRunIsImmutable:
    """The service refuses, the ORM refuses, and the database itself refuses."""

    def test_the_orm_refuses_changing_a_result(self, db: Session, notice: RunRead) -> None:
        row = db.scalars(select(RunResult).where(RunResult.run_id == notice.id, RunResult.uscc == USCC_A)).one()
        row.class_ = "A"
        with pytest.raises(Conflict, match="已发布"):
            db.flush()
        db.rollback()

    def test_the_orm_refuses_changing_the_run(self, db: Session, notice: RunRead) -> None:
        run = db.get(EvaluationRun, notice.id)
        assert run is not None
        run.input_hash = "0" * 64
        with pytest.raises(Conflict):
            db.flush()
        db.rollback()

    @pytest.mark.parametrize(
        "statement",
        [
            "UPDATE run_results SET total_score = 100 WHERE run_id = :run",
            "DELETE FROM run_results WHERE run_id = :run",
            "UPDATE evaluation_runs SET scheme_text = 'x' WHERE id = :run",
            "UPDATE evaluation_runs SET status = 'draft' WHERE id = :run",
            "DELETE FROM evaluation_runs WHERE id = :run",
            "UPDATE run_inputs SET history = frame WHERE run_id = :run",
            "DELETE FROM run_inputs WHERE run_id = :run",
        ],
    )
    def test_the_database_refuses_any_sql(self, db: Session, notice: RunRead, statement: str) -> None:
        with pytest.raises(DBAPIError, match="immutable"), db.begin_nested():
            db.execute(text(statement), {"run": notice.id})

    def test_the_database_refuses_adding_results(self, db: Session, notice: RunRead) -> None:
        with pytest.raises(DBAPIError, match="immutable"), db.begin_nested():
            db.execute(
                text("INSERT INTO run_results (run_id, uscc, status, record) VALUES (:run, 'X', 'evaluated', '{}')"),
                {"run": notice.id},
            )

    def test_the_kept_inputs_of_a_published_run_are_refused_by_the_orm(self, db: Session, notice: RunRead) -> None:
        kept = db.get(RunInputs, notice.id)
        assert kept is not None
        kept.history = b""
        with pytest.raises(Conflict):
            db.flush()
        db.rollback()

    def test_a_final_run_never_changes_again(self, db: Session, analyst: Actor, notice: RunRead) -> None:
        publication.finalize_run(db, analyst, notice.id, on=AFTER_NOTICE)
        with pytest.raises(DBAPIError, match="immutable"), db.begin_nested():
            db.execute(update(EvaluationRun).where(EvaluationRun.id == notice.id).values(status="notice"))
        with pytest.raises(Conflict):
            publication.publish_run(db, analyst, notice.id)

    def test_a_draft_can_still_be_changed(self, db: Session, draft: RunRead) -> None:
        db.execute(delete(RunResult).where(RunResult.run_id == draft.id, RunResult.uscc == USCC_A))
        db.flush()
        assert db.get(EvaluationRun, draft.id) is not None


class TestWhoSeesWhat:
    def test_it_hides_drafts_from_enterprises(self, db: Session, enterprise_a: Actor, draft: RunRead) -> None:
        with pytest.raises(NotFound):
            runs.get_run(db, enterprise_a, draft.id)
        with pytest.raises(NotFound):
            runs.get_result(db, enterprise_a, draft.id, USCC_A)
        assert runs.list_runs(db, enterprise_a) == []
        assert runs.enterprise_results(db, enterprise_a, USCC_A) == []

    def test_an_enterprise_sees_its_own_published_result(
        self, db: Session, enterprise_a: Actor, notice: RunRead
    ) -> None:
        mine = runs.get_result(db, enterprise_a, notice.id, USCC_A)
        assert mine.class_ == "D" and mine.record["policy"]["name"] == "整治提升类"
        assert [r.id for r in runs.list_runs(db, enterprise_a)] == [notice.id]
        page = runs.list_results(db, enterprise_a, notice.id, limit=None)
        assert [r.uscc for r in page.items] == [USCC_A]

    def test_it_hides_other_enterprises(self, db: Session, enterprise_a: Actor, notice: RunRead) -> None:
        with pytest.raises(NotFound):
            runs.get_result(db, enterprise_a, notice.id, USCC_B)
        with pytest.raises(NotFound):
            enterprises.get_enterprise(db, enterprise_a, USCC_B)
        with pytest.raises(NotFound):
            enterprises.enterprise_figures(db, enterprise_a, USCC_B)
        with pytest.raises(NotFound):
            history.enterprise_history(db, enterprise_a, USCC_B)
        with pytest.raises(NotFound):
            runs.enterprise_results(db, enterprise_a, USCC_B)
        found = enterprises.search_enterprises(db, enterprise_a, q="企业")
        assert [e.uscc for e in found.items] == [USCC_A]

    def test_an_outsider_finds_nothing(self, db: Session, outsider: Actor, notice: RunRead) -> None:
        assert runs.list_results(db, outsider, notice.id).total == 0
        assert enterprises.search_enterprises(db, outsider).total == 0
        with pytest.raises(NotFound):
            runs.get_result(db, outsider, notice.id, USCC_A)

    def test_a_leader_reads_everything(self, db: Session, leader: Actor, draft: RunRead) -> None:
        assert runs.get_run(db, leader, draft.id).status == "draft"
        assert runs.list_results(db, leader, draft.id, class_="A").total == 4
        assert runs.get_result(db, leader, draft.id, USCC_B).class_ == "B"


class TestHistoryAndComparison:
    def _year(self, db: Session, analyst: Actor, settings: Settings, folder: Path, year: int, **kw: object) -> None:
        preview = imports.preview_import(db, analyst, uploads(write_zone(folder, year, **kw)), settings=settings)
        imports.confirm_import(db, analyst, preview.batch_id, year=year, settings=settings)

    def _final(self, db: Session, analyst: Actor, year: int, version: int, start: date) -> RunRead:
        run = runs.create_draft_run(db, analyst, year=year, scheme_version_id=version)
        publication.publish_run(db, analyst, run.id, on=start)
        return publication.finalize_run(db, analyst, run.id, on=start + timedelta(days=6))

    def test_consecutive_d_years_raise_the_surcharge(
        self,
        db: Session,
        analyst: Actor,
        settings: Settings,
        tmp_path: Path,
        default_version: SchemeVersionRead,
    ) -> None:
        surcharges = []
        for year in (2022, 2023, 2024):
            self._year(db, analyst, settings, tmp_path / str(year), year)
            run = self._final(db, analyst, year, default_version.id, date(year + 1, 3, 1))
            surcharges.append(runs.get_result(db, analyst, run.id, USCC_A).record["policy"]["electricity_surcharge"])
        assert surcharges == [0.05, 0.10, 0.15]
        frame = runs.prior_consecutive_d(db, 2025)
        assert dict(frame.iter_rows()) == {USCC_A: 3}

    def test_enterprise_history_has_figures_with_sources_and_classes(
        self, db: Session, analyst: Actor, enterprise_a: Actor, notice: RunRead
    ) -> None:
        mine = history.enterprise_history(db, enterprise_a, USCC_A)
        assert [y.year for y in mine.years] == [2024]
        land = next(f for f in mine.years[0].figures if f.field == "land_area_mu")
        assert (land.label, land.unit, land.department) == ("用地面积", "亩", "自然资源局")
        assert [(r.run_id, r.class_) for r in mine.results] == [(notice.id, "D")]

    def test_compare_years_explains_who_moved(
        self,
        db: Session,
        analyst: Actor,
        leader: Actor,
        settings: Settings,
        tmp_path: Path,
        default_version: SchemeVersionRead,
        enterprise_a: Actor,
    ) -> None:
        self._year(db, analyst, settings, tmp_path / "2023", 2023)
        self._final(db, analyst, 2023, default_version.id, date(2024, 3, 1))
        # In 2024 A reports five times the tax: it should climb out of D.
        self._year(db, analyst, settings, tmp_path / "2024", 2024, tax_a=2000.0)
        draft = runs.create_draft_run(db, analyst, year=2024, scheme_version_id=default_version.id)
        result = compare.compare_with_previous_year(db, leader, draft.id)
        moved = {m.uscc: m for m in result.moved}
        a = moved[USCC_A]
        assert (a.class_before, a.class_after) == ("D", "A")
        assert a.indicators[0].key == "tax_per_mu" and (a.indicators[0].score_delta or 0) > 0
        assert any("「亩均税收」得分" in r for r in a.reasons)
        assert not any("tax_per_mu" in r for r in a.reasons)  # the reader sees Chinese labels, not keys
        assert result.up >= 1 and result.down >= 1
        assert sum(sum(row.values()) for row in result.class_matrix.values()) == 20
        with pytest.raises(PermissionDenied):
            compare.compare_runs(db, enterprise_a, draft.id, draft.id)

        # The run page's summary: the same counts, the first moves, and only those moves' records read.
        records_read: list[str] = []

        def seen(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
            if "run_results.record" in statement:
                records_read.append(statement)

        event.listen(db.get_bind(), "before_cursor_execute", seen)
        try:
            summary = compare.previous_year_summary(db, leader, draft.id, shown=1)
        finally:
            event.remove(db.get_bind(), "before_cursor_execute", seen)
        assert (summary.up, summary.down, summary.unchanged) == (result.up, result.down, result.unchanged)
        assert summary.moved == len(result.moved) > 1 and summary.moves == result.moved[:1]
        assert records_read and all(" IN (" in s.upper() for s in records_read), records_read
