"""Objections during 公示: filed by the enterprise on its own result, answered by an analyst, seen by the enterprise."""

from __future__ import annotations

import io
from datetime import timedelta

import polars as pl
import pytest
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.orm import Session
from zone_files import NOTICE_START, USCC_A, USCC_B

from zonehero.config import Settings
from zonehero.errors import Conflict, InputError, NotFound, PermissionDenied
from zonehero.features.audit.models import AuditEntry
from zonehero.features.decision import service as decision
from zonehero.features.documents import service as documents
from zonehero.features.documents import sources as documents_sources
from zonehero.features.enterprises import service as enterprises
from zonehero.features.imports.storage import UploadedFile
from zonehero.features.objections import service as objections
from zonehero.features.objections.schemas import ObjectionRead
from zonehero.features.publication import service as publication
from zonehero.features.roles import Actor
from zonehero.features.runs import compare
from zonehero.features.runs import service as runs
from zonehero.features.runs.models import RunInputs
from zonehero.features.runs.schemas import RunRead


def pdf_text(data: bytes) -> str:
    """Extracted text without whitespace (wrapped table cells would split names otherwise)."""
    return "".join("".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(data)).pages)


PDF = UploadedFile("土地证.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n%%EOF\n")
DURING = NOTICE_START + timedelta(days=2)
AFTER = NOTICE_START + timedelta(days=6)


@pytest.fixture
def objection(db: Session, enterprise_a: Actor, notice: RunRead, settings: Settings) -> ObjectionRead:
    return objections.file_objection(
        db,
        enterprise_a,
        notice.id,
        "我司实际用地 8 亩，另 12 亩已于 2023 年交还园区。",
        [PDF],
        settings=settings,
        on=DURING,
    )


class TestFile:
    def test_an_enterprise_objects_to_its_own_result_with_evidence(
        self, db: Session, objection: ObjectionRead, settings: Settings
    ) -> None:
        assert (objection.uscc, objection.status) == (USCC_A, "open")
        [evidence] = objection.files
        assert (evidence.name, evidence.content_type) == ("土地证.pdf", "application/pdf")
        path = settings.data_dir / "uploads" / "objections"
        assert [p.read_bytes() for p in path.rglob("*.pdf")] == [PDF.data]
        entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "objection.file")).one()
        assert entry.actor_name == "enterprise_a" and entry.after["files"] == ["土地证.pdf"]

    def test_only_during_the_notice(
        self, db: Session, enterprise_a: Actor, notice: RunRead, settings: Settings
    ) -> None:
        for day in (NOTICE_START - timedelta(days=1), AFTER):
            with pytest.raises(Conflict, match="公示期"):
                objections.file_objection(db, enterprise_a, notice.id, "异议", settings=settings, on=day)

    def test_not_on_a_draft(self, db: Session, enterprise_a: Actor, draft: RunRead, settings: Settings) -> None:
        with pytest.raises(NotFound):
            objections.file_objection(db, enterprise_a, draft.id, "异议", settings=settings, on=DURING)

    @pytest.mark.parametrize("persona", ["analyst", "leader", "sysadmin", "auditor"])
    def test_only_enterprise_accounts_object(
        self, db: Session, notice: RunRead, settings: Settings, persona: str, request: pytest.FixtureRequest
    ) -> None:
        with pytest.raises(PermissionDenied):
            objections.file_objection(
                db, request.getfixturevalue(persona), notice.id, "异议", settings=settings, on=DURING
            )

    def test_an_outsider_has_no_result_to_object_to(
        self, db: Session, outsider: Actor, notice: RunRead, settings: Settings
    ) -> None:
        with pytest.raises(NotFound):
            objections.file_objection(db, outsider, notice.id, "异议", settings=settings, on=DURING)

    def test_one_open_objection_at_a_time(
        self, db: Session, enterprise_a: Actor, objection: ObjectionRead, settings: Settings
    ) -> None:
        with pytest.raises(Conflict):
            objections.file_objection(db, enterprise_a, objection.run_id, "再次", settings=settings, on=DURING)

    @pytest.mark.parametrize(
        ("upload", "message"),
        [
            (UploadedFile("证明.pdf", b"MZ\x90\x00 not a pdf"), "不符"),
            (UploadedFile("tool.exe", b"MZ\x90\x00"), "不支持"),
            (UploadedFile("照片.png", b""), "空"),
        ],
    )
    def test_evidence_is_checked_by_content(
        self,
        db: Session,
        enterprise_a: Actor,
        notice: RunRead,
        settings: Settings,
        upload: UploadedFile,
        message: str,
    ) -> None:
        with pytest.raises(InputError, match=message):
            objections.file_objection(db, enterprise_a, notice.id, "异议", [upload], settings=settings, on=DURING)
        assert objections.list_objections(db, enterprise_a) == []

    def test_evidence_size_is_limited(
        self, db: Session, enterprise_a: Actor, notice: RunRead, settings: Settings
    ) -> None:
        small = settings.model_copy(update={"evidence_max_bytes": 16})
        with pytest.raises(InputError, match="过大"):
            objections.file_objection(db, enterprise_a, notice.id, "异议", [PDF], settings=small, on=DURING)


class TestAnswer:
    def test_finalising_is_refused_while_an_objection_is_open(
        self, db: Session, analyst: Actor, objection: ObjectionRead
    ) -> None:
        with pytest.raises(Conflict, match="异议"):
            publication.finalize_run(db, analyst, objection.run_id, on=AFTER)

    def test_accepting_corrects_the_figure_and_makes_a_traced_draft(
        self, db: Session, analyst: Actor, enterprise_a: Actor, objection: ObjectionRead
    ) -> None:
        before = runs.get_result(db, analyst, objection.run_id, USCC_A)
        answered = objections.accept_objection(
            db, analyst, objection.id, answer="经核实，用地面积更正为 8 亩。", corrections={"land_area_mu": 8}
        )
        assert answered.status == "accepted" and answered.new_run_id is not None
        assert answered.figure_changes == [
            {"uscc": USCC_A, "year": 2024, "field": "land_area_mu", "before": 20.0, "after": 8.0}
        ]
        land = next(f for f in enterprises.enterprise_figures(db, analyst, USCC_A) if f.field == "land_area_mu")
        assert (land.value, land.department, land.file, land.objection_id) == (
            8.0,
            "异议更正",
            f"异议 #{objection.id}",
            objection.id,
        )
        new_run = runs.get_run(db, analyst, answered.new_run_id)
        assert (new_run.status, new_run.source_run_id) == ("draft", objection.run_id)
        after = runs.get_result(db, analyst, new_run.id, USCC_A)
        assert (after.total_score or 0) > (before.total_score or 0)
        # The enterprise reads the answer.
        seen = objections.get_objection(db, enterprise_a, objection.id)
        assert seen.answer == "经核实，用地面积更正为 8 亩。"
        # The published run itself did not change.
        assert runs.get_result(db, analyst, objection.run_id, USCC_A).total_score == before.total_score

    def test_the_run_in_notice_keeps_the_sources_it_used(
        self, db: Session, analyst: Actor, enterprise_a: Actor, objection: ObjectionRead
    ) -> None:
        """Its notice names the land office's file, not the objection that corrected the figure for the new draft."""
        objections.accept_objection(
            db, analyst, objection.id, answer="经核实，用地面积更正为 8 亩。", corrections={"land_area_mu": 8}
        )
        kept = documents_sources.lineage(db, enterprise_a, [USCC_A], objection.run_id)
        land = kept.filter(pl.col("field") == "land_area_mu").row(0, named=True)
        assert land["department"] != "异议更正" and "异议" not in (land["file"] or "")
        text = pdf_text(documents.result_notice(db, enterprise_a, objection.run_id, USCC_A).content)
        assert "异议更正" not in text and f"异议 #{objection.id}" not in text
        assert land["file"] in text

    def test_a_run_kept_before_lineage_was_names_no_objection_either(
        self, db: Session, analyst: Actor, enterprise_a: Actor, draft: RunRead, settings: Settings
    ) -> None:
        """A run made before migration 0006 kept no lineage: a figure written since has no source, not the 异议."""
        db.get_one(RunInputs, draft.id).lineage = None  # as migration 0006 leaves an older run
        db.flush()
        notice = publication.publish_run(db, analyst, draft.id, on=NOTICE_START)
        filed = objections.file_objection(db, enterprise_a, notice.id, "用地 8 亩", settings=settings, on=DURING)
        objections.accept_objection(db, analyst, filed.id, answer="已更正", corrections={"land_area_mu": 8})
        fields = set(documents_sources.lineage(db, enterprise_a, [USCC_A], notice.id)["field"].to_list())
        assert "land_area_mu" not in fields and "tax" in fields  # the corrected one left out, the rest kept
        text = pdf_text(documents.result_notice(db, enterprise_a, notice.id, USCC_A).content)
        assert "异议更正" not in text and f"异议 #{filed.id}" not in text

    def test_the_corrected_run_replaces_the_one_in_notice(
        self, db: Session, analyst: Actor, enterprise_a: Actor, objection: ObjectionRead
    ) -> None:
        answered = objections.accept_objection(
            db, analyst, objection.id, answer="已更正", corrections={"land_area_mu": 8}
        )
        assert answered.new_run_id is not None
        republished = publication.publish_run(db, analyst, answered.new_run_id, on=AFTER)
        old = runs.get_run(db, analyst, objection.run_id)
        assert old.superseded_by_id == republished.id
        with pytest.raises(Conflict, match="取代"):
            publication.finalize_run(db, analyst, old.id, on=AFTER)
        final = publication.finalize_run(db, analyst, republished.id, on=AFTER + timedelta(days=6))
        assert final.status == "final"
        assert {r.run_id for r in runs.enterprise_results(db, enterprise_a, USCC_A)} == {old.id, final.id}

    def test_rejecting_needs_a_reason_the_enterprise_sees(
        self, db: Session, analyst: Actor, enterprise_a: Actor, objection: ObjectionRead
    ) -> None:
        with pytest.raises(InputError):
            objections.reject_objection(db, analyst, objection.id, answer="  ")
        objections.reject_objection(db, analyst, objection.id, answer="用地面积以不动产登记为准，不予采纳。")
        seen = objections.list_objections(db, enterprise_a)
        assert [(o.status, o.answer) for o in seen] == [("rejected", "用地面积以不动产登记为准，不予采纳。")]
        with pytest.raises(Conflict):
            objections.accept_objection(db, analyst, objection.id, answer="改主意", corrections={"land_area_mu": 8})
        assert publication.finalize_run(db, analyst, objection.run_id, on=AFTER).status == "final"

    def test_accepting_needs_corrections(self, db: Session, analyst: Actor, objection: ObjectionRead) -> None:
        with pytest.raises(InputError):
            objections.accept_objection(db, analyst, objection.id, answer="采纳", corrections={})
        with pytest.raises(InputError, match="未知"):
            objections.accept_objection(db, analyst, objection.id, answer="采纳", corrections={"land": 8})
        with pytest.raises(InputError, match="负数"):
            objections.accept_objection(db, analyst, objection.id, answer="采纳", corrections={"land_area_mu": -1})

    def test_a_leader_answers_nothing(self, db: Session, leader: Actor, objection: ObjectionRead) -> None:
        with pytest.raises(PermissionDenied):
            objections.reject_objection(db, leader, objection.id, answer="不行")
        assert [o.id for o in objections.list_objections(db, leader)] == [objection.id]


class TestPrivacy:
    def test_it_hides_other_enterprises_objections(
        self, db: Session, enterprise_b: Actor, objection: ObjectionRead, settings: Settings
    ) -> None:
        assert objections.list_objections(db, enterprise_b) == []
        with pytest.raises(NotFound):
            objections.get_objection(db, enterprise_b, objection.id)
        with pytest.raises(NotFound):
            objections.evidence_file(db, enterprise_b, objection.files[0].id, settings=settings)

    def test_the_filer_and_staff_can_download_the_evidence(
        self, db: Session, enterprise_a: Actor, analyst: Actor, objection: ObjectionRead, settings: Settings
    ) -> None:
        for actor in (enterprise_a, analyst):
            path, name, content_type = objections.evidence_file(db, actor, objection.files[0].id, settings=settings)
            assert (path.read_bytes(), name, content_type) == (PDF.data, "土地证.pdf", "application/pdf")

    def test_enterprise_b_objects_to_its_own_row_only(
        self, db: Session, enterprise_b: Actor, notice: RunRead, settings: Settings
    ) -> None:
        filed = objections.file_objection(db, enterprise_b, notice.id, "税额有误", settings=settings, on=DURING)
        assert filed.uscc == USCC_B


class TestPointingAtFigures:
    """Issue 13 part 7: an objection names the disputed figures with the value it proposes."""

    def _file(self, db: Session, actor: Actor, run: RunRead, settings: Settings, **proposed: object) -> ObjectionRead:
        return objections.file_objection(
            db, actor, run.id, "部分用地已交还园区", [PDF], settings=settings, on=DURING, proposed=proposed
        )

    def test_the_figures_offered_are_the_runs_with_their_sources(
        self, db: Session, enterprise_a: Actor, notice: RunRead
    ) -> None:
        figures = objections.run_figures(db, enterprise_a, notice.id, USCC_A)
        assert figures[0].field == "land_area_mu" and figures[0].value == 20.0
        assert figures[0].source and "行" in figures[0].source
        assert not {"uscc", "name"} & {f.field for f in figures}

    def test_an_enterprise_cannot_list_another_ones_figures(
        self, db: Session, enterprise_b: Actor, notice: RunRead
    ) -> None:
        with pytest.raises(NotFound):
            objections.run_figures(db, enterprise_b, notice.id, USCC_A)

    def test_the_disputed_figure_is_kept_with_current_and_proposed_values(
        self, db: Session, enterprise_a: Actor, notice: RunRead, settings: Settings
    ) -> None:
        filed = self._file(db, enterprise_a, notice, settings, land_area_mu="8")
        assert filed.disputed is not None
        assert [d.model_dump() for d in filed.disputed] == [{"field": "land_area_mu", "current": 20.0, "proposed": 8.0}]
        entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "objection.file")).one()
        assert entry.after["disputed"] == [{"field": "land_area_mu", "current": 20.0, "proposed": 8.0}]

    def test_a_free_text_objection_stays_valid(
        self, db: Session, enterprise_a: Actor, notice: RunRead, settings: Settings
    ) -> None:
        filed = objections.file_objection(db, enterprise_a, notice.id, "用地有误", settings=settings, on=DURING)
        assert filed.disputed is None

    @pytest.mark.parametrize(
        ("proposed", "message"),
        [
            ({"land_area_mu": "20"}, "相同"),
            ({"land_area_mu": ""}, "请填写"),
            ({"land_area_mu": "很多"}, "用地面积"),
            ({"land_area_mu": "-3"}, "负数"),
            ({"no_such_figure": "3"}, "no_such_figure"),
            ({"uscc": "91350100M000100Y43"}, "uscc"),
        ],
    )
    def test_a_proposal_that_does_not_read_is_refused(
        self,
        db: Session,
        enterprise_a: Actor,
        notice: RunRead,
        settings: Settings,
        proposed: dict[str, str],
        message: str,
    ) -> None:
        with pytest.raises(InputError, match=message):
            self._file(db, enterprise_a, notice, settings, **proposed)
        assert objections.list_objections(db, enterprise_a) == []

    @pytest.mark.parametrize("name", ["说明.docx", "表.xlsx", "证明.ofd", "旧.doc"])
    def test_evidence_is_pdf_jpeg_or_png_only(
        self, db: Session, enterprise_a: Actor, notice: RunRead, settings: Settings, name: str
    ) -> None:
        office = UploadedFile(name, b"PK\x03\x04 office or ofd")
        with pytest.raises(InputError, match="PDF、JPEG 或 PNG"):
            objections.file_objection(db, enterprise_a, notice.id, "异议", [office], settings=settings, on=DURING)


class TestEffectAndCorrectedDraft:
    def test_the_effect_shown_is_what_the_corrected_draft_gives(
        self, db: Session, analyst: Actor, enterprise_a: Actor, notice: RunRead, settings: Settings
    ) -> None:
        filed = objections.file_objection(
            db, enterprise_a, notice.id, "用地 8 亩", settings=settings, on=DURING, proposed={"land_area_mu": "8"}
        )
        effect = decision.correction_effect(db, analyst, notice.id, USCC_A, {"land_area_mu": "8"})
        before = runs.get_result(db, analyst, notice.id, USCC_A)
        assert (effect.enterprise.class_before, effect.enterprise.total_before) == (before.class_, before.total_score)
        assert [c.model_dump() for c in effect.changes] == [{"field": "land_area_mu", "before": 20.0, "after": 8.0}]
        assert effect.reasons and effect.reasons[0].startswith("总分")
        answered = objections.accept_objection(db, analyst, filed.id, answer="已更正", corrections={"land_area_mu": 8})
        assert answered.new_run_id is not None
        corrected = runs.list_results(db, analyst, answered.new_run_id, limit=None).items
        by_uscc = {r.uscc: r for r in corrected}
        after = by_uscc[USCC_A]
        assert (effect.enterprise.class_after, effect.enterprise.total_after, effect.enterprise.rank_after) == (
            after.class_,
            after.total_score,
            after.rank,
        )
        published = {r.uscc: r for r in runs.list_results(db, analyst, notice.id, limit=None).items}
        moved = {u for u, r in by_uscc.items() if u != USCC_A and r.class_ != published[u].class_}
        assert {c.uscc for c in effect.class_changes} == moved
        rescored = sum(1 for u, r in by_uscc.items() if u != USCC_A and r.total_score != published[u].total_score)
        assert effect.score_changes == rescored

        summary = compare.correction_summary(db, analyst, answered.new_run_id, shown=50)
        assert summary is not None and summary.base_run_id == notice.id
        assert USCC_A in {m.uscc for m in summary.moves}
        assert summary.score_changed == rescored + 1
        assert summary.class_changed == len(moved) + (after.class_ != published[USCC_A].class_)
        assert compare.correction_summary(db, analyst, notice.id, shown=50) is None  # not a corrected draft

    def test_the_effect_is_for_staff_and_checks_the_values(
        self, db: Session, analyst: Actor, enterprise_a: Actor, notice: RunRead
    ) -> None:
        with pytest.raises(PermissionDenied):
            decision.correction_effect(db, enterprise_a, notice.id, USCC_A, {"land_area_mu": "8"})
        with pytest.raises(InputError, match="负数"):
            decision.correction_effect(db, analyst, notice.id, USCC_A, {"land_area_mu": "-8"})
        with pytest.raises(InputError):
            decision.correction_effect(db, analyst, notice.id, USCC_A, {})
