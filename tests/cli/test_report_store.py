"""``zonehero report … --run ID`` / ``report briefing --year --month`` from a bureau's database, as a user runs them.

The store is the small demo zone seeded the way ``zonehero serve --demo`` and
the integration tests seed it (``zonehero db upgrade``, then
:func:`zonehero.demo.seed.seed_demo`): 2023 published and final, 2024 a
draft, project months closed up to last month. Every document is checked
against the figures stored in that database; every refusal exits 1 with a
message on stderr and leaves no file.
"""

from __future__ import annotations

import io
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
from argon2 import PasswordHasher
from pg_server import start_postgres
from pypdf import PdfReader
from typer.testing import CliRunner

from zonehero.config import Settings
from zonehero.core.zone import default_zone
from zonehero.db.session import make_engine, session_factory, unit_of_work
from zonehero.demo.seed import seed_demo
from zonehero.edges.cli import output
from zonehero.edges.cli.main import app
from zonehero.features.projects import months
from zonehero.features.roles import SYSTEM
from zonehero.features.runs import service as runs
from zonehero.features.runs.schemas import RunRead, RunResultRead
from zonehero.features.users import passwords
from zonehero.features.zone import service as zone
from zonehero.features.zone.schemas import ZoneForm
from zonehero.reports.pdf.styles import chinese_date, fmt_num
from zonehero.reports.publiclist_xlsx import HEADER_ROW, HEADERS

runner = CliRunner()
ZONE = "赣江新区经济技术开发区"


def pdf_text(data: bytes) -> str:
    """Extracted text without whitespace (wrapped table cells would split figures otherwise)."""
    reader = PdfReader(io.BytesIO(data))
    return "".join("".join((page.extract_text() or "").split()) for page in reader.pages)


@dataclass(frozen=True)
class Store:
    """A seeded database and what the tests compare the documents with."""

    url: str
    final: RunRead
    draft: RunRead
    results: list[RunResultRead]
    """The final run's stored rows, by rank."""
    closed: tuple[int, int]
    """The newest closed month."""
    closed_codes: list[str]
    """Codes of the projects in that month's snapshot."""
    flagged: list[str]
    """Codes of the red and yellow projects of that month."""


def seed_store(url: str, data_dir: Path) -> Store:
    """Migrate ``url`` through the CLI, seed the small demo zone, read back what the documents must show."""
    done = runner.invoke(app, ["db", "upgrade", "--db", url])
    assert done.exit_code == 0, done.output
    engine = make_engine(url)
    try:
        with pytest.MonkeyPatch.context() as patch:
            # Real argon2id with tiny costs: the demo creates six accounts.
            hasher = PasswordHasher(time_cost=1, memory_cost=256, parallelism=1)
            patch.setattr(passwords, "_hasher", lambda: hasher)
            with unit_of_work(session_factory(engine)) as session:
                settings = Settings(data_dir=data_dir, environment="test")  # type: ignore[call-arg]
                seeded = seed_demo(session, settings, password="Richtig-Pferd-42", enterprises=30, years=(2023, 2024))
                # The stored documents print the zone profile's name, as the web app's would.
                chains = list(default_zone().industry_chains)
                form = ZoneForm(
                    name=ZONE,
                    timezone="Asia/Shanghai",
                    industry_chains=chains,
                    notice_period=5,
                    notice_working_days=False,
                )
                zone.save_profile(session, SYSTEM, form)
        with unit_of_work(session_factory(engine)) as session:
            final = runs.get_run(session, SYSTEM, seeded.runs[2023][0])
            draft = runs.get_run(session, SYSTEM, seeded.runs[2024][0])
            results = runs.list_results(session, SYSTEM, final.id, limit=None).items
            closed = months.last_closed(session)
            assert closed is not None
            report = months.closed_report(session, SYSTEM, *closed)
    finally:
        engine.dispose()
    assert final.status == "final" and draft.status == "draft"
    codes = [p.code for p in report.projects]
    return Store(url, final, draft, results, closed, codes, [f.code for f in report.report.flagged])


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    folder = tmp_path_factory.mktemp("store")
    return seed_store(f"sqlite:///{folder / 'zonehero.db'}", folder / "data")


@pytest.fixture(autouse=True)
def _wide_consoles(monkeypatch: pytest.MonkeyPatch) -> None:
    # The consoles are built at import; a message wrapped at 80 columns would split the phrases looked for.
    monkeypatch.setattr(output.console, "width", 300)
    monkeypatch.setattr(output.err_console, "width", 300)


def report(*args: object) -> tuple[int, str]:
    """Run ``zonehero report ARGS``; (exit code, everything printed)."""
    done = runner.invoke(app, ["report", *(str(a) for a in args)])
    return done.exit_code, done.output


class TestAnnual:
    def test_the_pdf_prints_the_runs_classes_and_top_scores(self, store: Store, tmp_path: Path) -> None:
        out = tmp_path / "年度报告.pdf"
        code, output = report("annual", "--run", store.final.id, "--db", store.url, "--out", out)
        assert code == 0, output
        assert "2023年度企业亩均效益综合评价报告" in output and str(out.name) in output
        text = pdf_text(out.read_bytes())
        assert f"{ZONE}2023年度企业亩均效益综合评价报告" in text
        classes = Counter(r.class_ for r in store.results if r.class_)
        assert f"A类{classes['A']}家、B类{classes['B']}家、C类{classes['C']}家、D类{classes['D']}家" in text
        top = [r for r in store.results if r.group == "above" and r.rank is not None and r.rank <= 3]
        assert len(top) == 3
        for row in top:
            assert f"{row.name}{row.uscc}{fmt_num(row.total_score)}{row.class_}" in text
        assert "评价依据：默认评价方案" in text  # the run's stored scheme, not a file's

    def test_the_workbook_holds_every_stored_score(self, store: Store, tmp_path: Path) -> None:
        out = tmp_path / "annual.xlsx"
        code, output = report("annual", "--run", store.final.id, "--db", store.url, "--out", out)
        assert code == 0, output
        book = openpyxl.load_workbook(out, read_only=True)
        sheet = [v for row in book["前20名"].iter_rows(values_only=True) for v in row if v is not None]
        for row in store.results:
            if row.group == "above" and row.rank is not None and row.rank <= 20:
                assert row.uscc in sheet
                assert any(isinstance(v, float) and abs(v - (row.total_score or 0)) < 1e-9 for v in sheet)
        title = book["总体情况"]["A1"].value
        assert title == f"{ZONE}2023年度企业亩均效益综合评价报告"  # the stored zone profile's name

    def test_the_database_can_come_from_zonehero_db(
        self, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("ZONEHERO_DB", store.url)
        out = tmp_path / "annual.pdf"
        code, output = report("annual", "--run", store.final.id, "--year", 2023, "--out", out)
        assert code == 0, output
        assert out.read_bytes().startswith(b"%PDF")


class TestNotices:
    def test_one_notice_per_enterprise_with_the_runs_figures_and_deadline(self, store: Store, tmp_path: Path) -> None:
        out = tmp_path / "告知书.zip"
        code, output = report("notices", "--run", store.final.id, "--db", store.url, "--no-lift", "--out", out)
        assert code == 0, output
        total = len(store.results)
        assert f"{total}/{total}" in output  # the progress bar reached the end
        with zipfile.ZipFile(out) as zf:
            names = zf.namelist()
            assert len(names) == total
            row = next(r for r in store.results if r.class_ == "B")
            text = pdf_text(zf.read(f"{row.uscc}_{row.name}.pdf"))
        assert row.name and row.name in text
        assert f"{fmt_num(row.total_score)}分" in text and f"评价分类{row.class_}类" in text
        assert store.final.notice_end is not None
        assert f"（即{chinese_date(store.final.notice_end)}前）" in text  # objections until the end of its 公示
        assert "《" in text  # sources: the department files the figures were imported from


class TestPublicList:
    def test_the_pdf_has_the_runs_period_and_every_classified_enterprise(self, store: Store, tmp_path: Path) -> None:
        out = tmp_path / "名单.pdf"
        code, output = report("list", "--run", store.final.id, "--db", store.url, "--out", out)
        assert code == 0, output
        text = pdf_text(out.read_bytes())
        start, end = store.final.notice_start, store.final.notice_end
        assert start is not None and end is not None
        assert f"{ZONE}2023年度企业亩均效益综合评价结果公示" in text
        assert f"公示期为{chinese_date(start)}至{chinese_date(end)}" in text
        for row in store.results:
            if row.class_ is not None:
                assert f"{row.name}{row.uscc}" in text and fmt_num(row.total_score) in text

    def test_the_workbook_has_the_columns_and_scores(self, store: Store, tmp_path: Path) -> None:
        out = tmp_path / "list.xlsx"
        code, output = report("list", "--run", store.final.id, "--db", store.url, "--out", out)
        assert code == 0, output
        ws = openpyxl.load_workbook(out)["公示名单"]
        assert tuple(c.value for c in ws[HEADER_ROW + 1]) == HEADERS
        rows = {r[2]: r for r in ws.iter_rows(min_row=HEADER_ROW + 2, values_only=True) if r[2]}
        for row in store.results:
            if row.class_ is not None:
                assert rows[row.uscc][4] == pytest.approx(round(row.total_score or 0, 2))
                assert row.class_ in str(rows[row.uscc][5])


class TestBriefing:
    def test_the_closed_months_briefing_and_table(self, store: Store, tmp_path: Path) -> None:
        year, month = store.closed
        pdf, xlsx = tmp_path / "简报.pdf", tmp_path / "调度表.xlsx"
        for out in (pdf, xlsx):
            code, output = report("briefing", "--year", year, "--month", month, "--db", store.url, "--out", out)
            assert code == 0, output
        text = pdf_text(pdf.read_bytes())
        assert f"{ZONE}“四个一批”项目调度简报（{year}年{month}月）" in text
        assert store.flagged and all(code in text for code in store.flagged[:5])
        book = openpyxl.load_workbook(xlsx, read_only=True)
        assert "签约一批" in book.sheetnames
        values = {v for ws in book for row in ws.iter_rows(values_only=True) for v in row if v is not None}
        assert set(store.flagged) <= values

    def test_a_month_not_closed_is_refused(self, store: Store, tmp_path: Path) -> None:
        year, month = store.closed
        later = (year + 1, month)
        out = tmp_path / "b.pdf"
        code, output = report("briefing", "--year", later[0], "--month", later[1], "--db", store.url, "--out", out)
        assert code == 1
        assert f"{later[0]}年{later[1]}月尚未关账" in output
        assert not out.exists()

    def test_progress_goes_with_a_file_only(self, store: Store, tmp_path: Path) -> None:
        out = tmp_path / "b.pdf"
        code, output = report("briefing", "--year", 2026, "--month", 1, "--progress", tmp_path / "p.xlsx", "--out", out)
        assert code == 2 and "--progress" in output
        assert not out.exists()


class TestRefusals:
    def test_a_draft_is_refused_with_the_reason(self, store: Store, tmp_path: Path) -> None:
        for command, name in (("annual", "a.pdf"), ("notices", "n.zip"), ("list", "l.xlsx")):
            out = tmp_path / name
            code, output = report(command, "--run", store.draft.id, "--db", store.url, "--out", out)
            assert code == 1, (command, output)
            assert f"评价批次 #{store.draft.id}（2024年度）还是草稿" in output and "发布公示" in output
            assert not out.exists()

    def test_an_unknown_run_is_named(self, store: Store, tmp_path: Path) -> None:
        out = tmp_path / "a.pdf"
        code, output = report("annual", "--run", 99999, "--db", store.url, "--out", out)
        assert code == 1 and "评价批次 #99999 不存在" in output
        assert not out.exists()

    def test_a_year_that_is_not_the_runs_is_refused(self, store: Store, tmp_path: Path) -> None:
        out = tmp_path / "a.pdf"
        code, output = report("annual", "--run", store.final.id, "--year", 2024, "--db", store.url, "--out", out)
        assert code == 1 and "是2023年度的" in output
        assert not out.exists()

    def test_an_existing_file_is_left_as_it_was(self, store: Store, tmp_path: Path) -> None:
        out = tmp_path / "a.pdf"
        out.write_bytes(b"earlier")
        code, _ = report("annual", "--run", store.draft.id, "--db", store.url, "--out", out)
        assert code == 1
        assert out.read_bytes() == b"earlier"
        assert [p.name for p in tmp_path.iterdir()] == ["a.pdf"]  # no temporary file left beside it

    def test_a_missing_sqlite_file_is_not_created(self, tmp_path: Path) -> None:
        missing = tmp_path / "nowhere" / "zonehero.db"
        out = tmp_path / "a.pdf"
        code, output = report("annual", "--run", 1, "--db", f"sqlite:///{missing}", "--out", out)
        assert code == 1 and f"数据库文件 {missing} 不存在" in output
        assert not missing.parent.exists() and not out.exists()

    def test_the_data_folders_database_is_the_default(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.delenv("ZONEHERO_DB", raising=False)
        monkeypatch.setenv("ZONEHERO_DATA_DIR", str(tmp_path / "data"))
        code, output = report("briefing", "--year", 2026, "--month", 1, "--out", tmp_path / "b.pdf")
        assert code == 1 and "zonehero.db 不存在" in output
        assert not (tmp_path / "data").exists()

    def test_an_empty_database_asks_for_the_upgrade(self, tmp_path: Path) -> None:
        empty = tmp_path / "empty.db"
        empty.write_bytes(b"")
        code, output = report("list", "--run", 1, "--db", f"sqlite:///{empty}", "--out", tmp_path / "l.pdf")
        assert code == 1 and "zonehero db upgrade" in output

    def test_an_unreachable_server_is_a_message_without_the_password(self, tmp_path: Path) -> None:
        url = "postgresql+psycopg://app:geheim@127.0.0.1:1/zonehero"
        code, output = report("annual", "--run", 1, "--db", url, "--out", tmp_path / "a.pdf")
        assert code == 1 and "无法连接或读取数据库" in output
        assert "geheim" not in output

    def test_a_url_that_is_no_database_is_a_message(self, tmp_path: Path) -> None:
        code, output = report("annual", "--run", 1, "--db", "nonsense", "--out", tmp_path / "a.pdf")
        assert code == 1 and "数据库地址" in output


class TestUsage:
    @pytest.mark.parametrize(
        ("extra", "named"),
        [
            (["somefolder"], "INPUT"),
            (["--date", "2026-03-02"], "--date"),
            (["--scheme", "s.toml"], "--scheme"),
            (["--previous", "last"], "--previous"),
        ],
    )
    def test_file_options_do_not_go_with_run(self, tmp_path: Path, extra: list[str], named: str) -> None:
        code, output = report("annual", "--run", 1, *extra, "--out", tmp_path / "a.pdf")
        assert code == 2 and named in output

    def test_db_without_run_is_a_usage_error(self, tmp_path: Path) -> None:
        code, output = report("list", tmp_path, "--year", 2025, "--db", "sqlite:///x.db", "--out", tmp_path / "l.pdf")
        assert code == 2 and "--db" in output

    def test_files_still_need_inputs_and_a_year(self, tmp_path: Path) -> None:
        code, output = report("notices", "--year", 2025, "--out", tmp_path / "n.zip")
        assert code == 2 and "--run" in output
        code, output = report("annual", tmp_path, "--out", tmp_path / "a.pdf")
        assert code == 2 and "--year" in output

    def test_a_file_based_briefing_ignores_zonehero_db(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        from zonehero.demo.schedule import generate_demo, write_demo_files

        monkeypatch.setenv("ZONEHERO_DB", f"sqlite:///{tmp_path / 'absent.db'}")
        projects, progress = write_demo_files(generate_demo(), tmp_path / "projects")
        out = tmp_path / "b.pdf"
        args = ["briefing", projects, "--progress", progress, "--year", 2026, "--month", 8, "--out", out]
        code, output = report(*args)
        assert code == 0, output
        assert "“四个一批”项目调度简报（2026年8月）" in pdf_text(out.read_bytes())
        assert not (tmp_path / "absent.db").exists()


@pytest.fixture(scope="module")
def pg_store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    url = str(start_postgres(request))
    yield seed_store(url, tmp_path_factory.mktemp("pg") / "data")


@pytest.mark.postgres
def test_documents_from_postgresql(pg_store: Store, tmp_path: Path) -> None:
    out = tmp_path / "list.xlsx"
    code, output = report("list", "--run", pg_store.final.id, "--db", pg_store.url, "--out", out)
    assert code == 0, output
    cells = [v for row in openpyxl.load_workbook(out)["公示名单"].iter_rows(values_only=True) for v in row]
    assert all(r.uscc in cells for r in pg_store.results if r.class_ is not None)
    year, month = pg_store.closed
    out = tmp_path / "briefing.pdf"
    code, output = report("briefing", "--year", year, "--month", month, "--db", pg_store.url, "--out", out)
    assert code == 0, output
    assert f"项目调度简报（{year}年{month}月）" in pdf_text(out.read_bytes())
    code, output = report("annual", "--run", pg_store.draft.id, "--db", pg_store.url, "--out", tmp_path / "a.pdf")
    assert code == 1 and "草稿" in output
