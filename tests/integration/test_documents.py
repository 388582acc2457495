"""Documents of a stored run: the figures printed are the run's, who may have which, and runs that cannot be reproduced.

The run is the test zone's 2024 run (twenty enterprises, A and B among them),
as a draft or in 公示 from 2025-03-01 (a Saturday) for five days.
"""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import polars as pl
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.orm import Session
from zone_files import NAMES, NOTICE_START, USCC_A, USCC_B

from zonehero import clock
from zonehero.config import Settings
from zonehero.core.zone import default_zone
from zonehero.edges.web.rendering import format_datetime
from zonehero.errors import Conflict, InputError, NotFound, PermissionDenied, ZoneheroError
from zonehero.features.documents import service as documents
from zonehero.features.documents import sources
from zonehero.features.documents.files import Document
from zonehero.features.documents.store import document_from_store as store_document
from zonehero.features.enterprises import repository as figures_repository
from zonehero.features.enterprises.models import Figure
from zonehero.features.imports.storage import UploadedFile
from zonehero.features.objections import service as objections
from zonehero.features.publication import service as publication
from zonehero.features.roles import SYSTEM, Actor
from zonehero.features.runs import service as runs
from zonehero.features.runs.models import RunInputs
from zonehero.features.runs.schemas import RunRead
from zonehero.features.zone import service as zone
from zonehero.features.zone.schemas import ZoneForm
from zonehero.reports.pdf.styles import fmt_num
from zonehero.reports.publiclist_xlsx import HEADER_ROW, HEADERS

ZONE = "测试经济开发区"


@pytest.fixture(autouse=True)
def _zone_named(request: pytest.FixtureRequest) -> None:
    """The documents print the zone profile's name: this zone's, saved as an administrator would."""
    if "db" not in request.fixturenames:
        return  # the tests on a seeded store file keep the built-in profile
    db: Session = request.getfixturevalue("db")
    form = ZoneForm(
        name=ZONE, timezone="Asia/Shanghai", industry_chains=["新能源"], notice_period=5, notice_working_days=False
    )
    zone.save_profile(db, SYSTEM, form)


def pdf_text(data: bytes) -> str:
    """Extracted text without whitespace (wrapped table cells would split figures otherwise)."""
    reader = PdfReader(io.BytesIO(data))
    return "".join("".join((page.extract_text() or "").split()) for page in reader.pages)


def cells(data: bytes) -> dict[str, list[object]]:
    """Every non-empty cell value of each sheet of a workbook."""
    book = load_workbook(io.BytesIO(data), read_only=True)
    return {ws.title: [v for row in ws.iter_rows(values_only=True) for v in row if v is not None] for ws in book}


class TestAnnualReport:
    def test_the_pdf_prints_the_runs_classes_and_scores(self, db: Session, analyst: Actor, draft: RunRead) -> None:
        document = documents.annual_report(db, analyst, draft.id, "pdf")
        assert document.filename == f"2024年度（批次{draft.id}）企业亩均效益综合评价报告.pdf"
        assert document.media_type == "application/pdf" and document.content.startswith(b"%PDF")
        text = pdf_text(document.content)
        assert f"{ZONE}2024年度企业亩均效益综合评价报告" in text
        headings = ("一、总体情况", "七、综合得分排名前20位企业", "八、D类（整治提升类）企业名单", "十、数据质量说明")
        assert all(h in text for h in headings)
        counts = {c["class"]: c["count"] for c in draft.counts if c["group"] == "above"}
        assert f"A类{counts['A']}家、B类{counts['B']}家、C类{counts['C']}家、D类{counts['D']}家" in text
        for row in runs.list_results(db, analyst, draft.id, limit=None).items:
            assert f"{row.name}{row.uscc}{fmt_num(row.total_score)}{row.class_}" in text
        assert "未提供上年评价结果" in text  # no final run of 2023 in this zone

    def test_the_workbook_holds_the_same_figures(self, db: Session, leader: Actor, draft: RunRead) -> None:
        document = documents.annual_report(db, leader, draft.id, "xlsx")
        assert document.filename.endswith(".xlsx")
        sheets = cells(document.content)
        assert {"总体情况", "评价基准值", "前20名", "D类名单", "数据质量"} <= set(sheets)
        assert f"{ZONE}2024年度企业亩均效益综合评价报告" in sheets["总体情况"]
        top = sheets["前20名"]
        for row in runs.list_results(db, leader, draft.id, limit=None).items:
            assert row.uscc in top
            assert any(isinstance(v, float) and abs(v - (row.total_score or 0)) < 1e-9 for v in top)

    def test_a_final_run_is_dated_on_the_zones_day_of_finalising(
        self, db: Session, analyst: Actor, notice: RunRead
    ) -> None:
        """Defect: 定稿 at 01:30 Beijing time was dated the day before (the UTC date) in the documents."""
        before = clock.current()
        clock.use(clock.FixedClock(datetime(2025, 3, 6, 17, 30, tzinfo=UTC)))  # 2025-03-07 01:30 in Beijing
        try:
            final = publication.finalize_run(db, analyst, notice.id)
            text = pdf_text(documents.annual_report(db, analyst, final.id, "pdf").content)
            shown = format_datetime(final.finalized_at)
        finally:
            clock.use(before)
        assert f"{ZONE}管理委员会2025年3月7日" in text and "2025年3月6日" not in text
        assert shown.startswith("2025-03-07")  # the pages show the same day

    def test_an_unknown_format_is_an_input_error(self, db: Session, analyst: Actor, draft: RunRead) -> None:
        with pytest.raises(InputError, match="docx"):
            documents.annual_report(db, analyst, draft.id, "docx")

    @pytest.mark.parametrize("persona", ["enterprise_a", "outsider"])
    def test_an_enterprise_has_no_report(
        self, db: Session, notice: RunRead, persona: str, request: pytest.FixtureRequest
    ) -> None:
        with pytest.raises(PermissionDenied):
            documents.annual_report(db, request.getfixturevalue(persona), notice.id, "pdf")


class TestResultNotice:
    def test_it_prints_the_enterprises_figures_sources_and_the_end_of_its_notice(
        self, db: Session, enterprise_a: Actor, notice: RunRead
    ) -> None:
        document = documents.result_notice(db, enterprise_a, notice.id, USCC_A)
        assert document.filename == f"2024年度评价结果告知书_{USCC_A}_{NAMES[USCC_A]}.pdf"
        text = pdf_text(document.content)
        own = runs.get_result(db, enterprise_a, notice.id, USCC_A)
        assert "2024年度企业亩均效益综合评价结果告知书" in text and NAMES[USCC_A] in text
        assert f"{fmt_num(own.total_score)}分" in text
        assert f"评价分类{own.class_}类" in text
        assert f"第{own.rank}名" in text
        for heading in ("一、评价结果", "二、指标得分", "三、基础数据及来源", "四、适用政策"):
            assert heading in text
        assert "税务局" in text and "第2行" in text  # lineage: the tax file and row the figure came from
        assert f"{ZONE}管理委员会" in text
        # 公示 from Saturday 2025-03-01 for five calendar days (the profile's rule) ends on Wednesday 2025-03-05.
        assert "5天内（即2025年3月5日前）" in text  # the run's own 公示, in the zone's words
        assert "LiftOption(" not in text

    def test_another_enterprises_notice_is_not_found(self, db: Session, enterprise_a: Actor, notice: RunRead) -> None:
        with pytest.raises(NotFound):
            documents.result_notice(db, enterprise_a, notice.id, USCC_B)

    def test_an_enterprise_gets_nothing_from_a_draft(self, db: Session, enterprise_a: Actor, draft: RunRead) -> None:
        with pytest.raises(NotFound):
            documents.result_notice(db, enterprise_a, draft.id, USCC_A)

    def test_staff_read_any_notice_of_a_draft(self, db: Session, leader: Actor, draft: RunRead) -> None:
        text = pdf_text(documents.result_notice(db, leader, draft.id, USCC_B).content)
        assert NAMES[USCC_B] in text

    def test_an_enterprise_not_in_the_run_is_not_found(self, db: Session, analyst: Actor, draft: RunRead) -> None:
        with pytest.raises(NotFound):
            documents.result_notice(db, analyst, draft.id, "91440300708461136T")


class TestNoticesZip:
    def test_one_pdf_per_enterprise_with_progress(self, db: Session, analyst: Actor, notice: RunRead) -> None:
        seen: list[tuple[int, int]] = []
        document = documents.notices_zip(db, analyst, notice.id, lift=False, progress=lambda d, t: seen.append((d, t)))
        assert document.filename == f"2024年度（批次{notice.id}）评价结果告知书.zip"
        with zipfile.ZipFile(io.BytesIO(document.content)) as zf:
            names = zf.namelist()
            assert len(names) == notice.result_count == 20
            assert f"{USCC_A}_{NAMES[USCC_A]}.pdf" in names
            text = pdf_text(zf.read(f"{USCC_B}_{NAMES[USCC_B]}.pdf"))
        own = runs.get_result(db, analyst, notice.id, USCC_B)
        assert NAMES[USCC_B] in text and f"{fmt_num(own.total_score)}分" in text
        assert seen[-1] == (20, 20) and len(seen) == 20

    def test_an_enterprise_gets_no_zip(self, db: Session, enterprise_a: Actor, notice: RunRead) -> None:
        with pytest.raises(PermissionDenied):
            documents.notices_zip(db, enterprise_a, notice.id)


class TestPublicList:
    def test_the_pdf_lists_every_classified_enterprise_with_the_runs_period(
        self, db: Session, leader: Actor, notice: RunRead
    ) -> None:
        document = documents.public_list(db, leader, notice.id, "pdf")
        text = pdf_text(document.content)
        assert f"{ZONE}2024年度企业亩均效益综合评价结果公示" in text
        assert "公示期为2025年3月1日至2025年3月5日（5天）" in text
        for row in runs.list_results(db, leader, notice.id, limit=None).items:
            if row.class_ is not None:
                assert f"{row.name}{row.uscc}规上{fmt_num(row.total_score)}{row.class_}" in text

    def test_the_workbook_has_the_customary_columns(self, db: Session, analyst: Actor, notice: RunRead) -> None:
        document = documents.public_list(db, analyst, notice.id, "xlsx")
        ws = load_workbook(io.BytesIO(document.content)).active
        assert ws is not None
        assert tuple(c.value for c in ws[HEADER_ROW + 1]) == HEADERS
        values = [c for row in ws.iter_rows(values_only=True) for c in row if c is not None]
        assert USCC_A in values and USCC_B in values
        own = runs.get_result(db, analyst, notice.id, USCC_A)
        assert round(own.total_score or 0, 2) in values

    def test_a_draft_has_no_list(self, db: Session, analyst: Actor, draft: RunRead) -> None:
        with pytest.raises(Conflict, match="公示"):
            documents.public_list(db, analyst, draft.id, "pdf")

    def test_an_enterprise_gets_no_list(self, db: Session, enterprise_a: Actor, notice: RunRead) -> None:
        with pytest.raises(PermissionDenied):
            documents.public_list(db, enterprise_a, notice.id, "xlsx")


class TestReproduction:
    def test_a_run_in_notice_keeps_its_own_figures_after_a_correction(
        self, db: Session, analyst: Actor, enterprise_a: Actor, notice: RunRead, settings: Settings
    ) -> None:
        filed = objections.file_objection(
            db,
            enterprise_a,
            notice.id,
            "实际用地 8 亩。",
            [UploadedFile("土地证.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n%%EOF\n")],
            settings=settings,
            on=NOTICE_START + timedelta(days=2),
        )
        before = sources.reproduce(db, analyst, notice.id).result.inputs
        land_before = before.filter(pl.col("uscc") == USCC_A)["land_area_mu"].item()
        assert land_before != 8
        answered = objections.accept_objection(db, analyst, filed.id, answer="更正", corrections={"land_area_mu": 8})
        # The run in 公示 is still documented from the inputs kept with it, not from the corrected figures.
        after = sources.reproduce(db, analyst, notice.id).result
        assert after.inputs.equals(before)
        assert documents.public_list(db, analyst, notice.id, "pdf").content.startswith(b"%PDF")
        own = pdf_text(documents.result_notice(db, enterprise_a, notice.id, USCC_A).content)
        assert USCC_A in own
        # The corrected draft prints the corrected figure, with the objection as its source.
        assert answered.new_run_id is not None
        text = pdf_text(documents.result_notice(db, analyst, answered.new_run_id, USCC_A).content)
        assert f"异议更正《异议#{filed.id}》" in text

    def test_a_run_without_kept_inputs_is_refused_once_its_figures_change(
        self, db: Session, analyst: Actor, draft: RunRead
    ) -> None:
        """A run made before inputs were kept (migration 0004) falls back to the year's stored figures."""
        db.delete(db.get(RunInputs, draft.id))
        db.flush()
        assert sources.reproduce(db, analyst, draft.id).run.id == draft.id  # figures unchanged: reproduced
        land = db.scalar(
            select(Figure).where(Figure.uscc == USCC_A, Figure.year == draft.year, Figure.field == "land_area_mu")
        )
        assert land is not None and land.value_num != 8.0
        land.value_num = 8.0  # as a re-import of the year would, counting a write of the year's figures
        db.flush()
        figures_repository.bump_version(db, draft.year)
        with pytest.raises(Conflict, match="无法按原数据重现"):
            sources.reproduce(db, analyst, draft.id)

    def test_a_stored_row_that_differs_is_refused(self, db: Session, analyst: Actor, draft: RunRead) -> None:
        reproduced = sources.reproduce(db, analyst, draft.id)
        stored = runs.list_results(db, analyst, draft.id, limit=None).items
        sources.check_against_stored(reproduced.result, stored, draft.id)  # equal: no error
        tampered = [stored[0].model_copy(update={"total_score": (stored[0].total_score or 0) + 0.01}), *stored[1:]]
        with pytest.raises(Conflict, match=stored[0].uscc):
            sources.check_against_stored(reproduced.result, tampered, draft.id)


def test_save_writes_the_document(tmp_path: Path) -> None:
    out = tmp_path / "报告.pdf"
    documents.save(Document("x.pdf", b"%PDF-1.4 test"), out)
    assert out.read_bytes() == b"%PDF-1.4 test"


class TestFromStore:
    """What ``zonehero report … --run ID --db URL`` calls: a document straight from a database URL."""

    @pytest.fixture(scope="class")
    def store(self, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[int, int], str]:
        """The small demo zone in a store of its own, seeded once for the class (its tests only read it)."""
        from sqlalchemy.orm import sessionmaker

        from zonehero.db import migrate
        from zonehero.db.session import make_engine
        from zonehero.demo.seed import seed_demo

        tmp_path = tmp_path_factory.mktemp("documents-store")
        settings = Settings(data_dir=tmp_path / "data", environment="test")  # type: ignore[call-arg]
        url = f"sqlite:///{tmp_path / 'store.db'}"
        migrate.upgrade(url)
        engine = make_engine(url)
        with sessionmaker(bind=engine).begin() as session:
            seeded = seed_demo(session, settings, password="Richtig-Pferd-42", enterprises=30, years=(2023, 2024))
        engine.dispose()
        return url, {year: run_id for year, (run_id, _) in seeded.runs.items()}, seeded.enterprise_uscc

    def test_each_kind_comes_out_of_the_database(self, store: tuple[str, dict[int, int], str]) -> None:
        url, run_ids, uscc = store
        annual = store_document("annual", db=url, run=run_ids[2024], fmt=".xlsx")
        assert annual.filename.endswith("综合评价报告.xlsx")
        assert "与2023年度相比分类变动情况" in cells(annual.content)["分类变动"]
        listed = pdf_text(store_document("list", db=url, run=run_ids[2023]).content)
        assert f"{default_zone().name}2023年度企业亩均效益综合评价结果公示" in listed
        notice = store_document("notice", db=url, run=run_ids[2023], uscc=uscc)
        assert uscc in notice.filename and notice.content.startswith(b"%PDF")
        with zipfile.ZipFile(
            io.BytesIO(store_document("notices", db=url, run=run_ids[2023], lift=False).content)
        ) as zf:
            assert len(zf.namelist()) == 30

    def test_a_missing_option_is_named(self, store: tuple[str, dict[int, int], str]) -> None:
        with pytest.raises(InputError, match="--run"):
            store_document("annual", db=store[0])
        with pytest.raises(InputError, match="--month"):
            store_document("briefing", db=store[0], year=2026)

    def test_an_unmigrated_database_is_refused(self, tmp_path: Path) -> None:
        with pytest.raises(ZoneheroError, match="db upgrade"):
            store_document("annual", db=f"sqlite:///{tmp_path / 'empty.db'}", run=1)
