"""Every CSV and xlsx zonehero writes, fed hostile names and a figure of -5.0: no formula, the number a number.

The enterprises and projects here are named ``=HYPERLINK("http://x","y")``, ``=cmd|' /C calc'!A0``, ``+1``,
``-2`` and ``@SUM(A1)`` (issue 12.5); each export is opened with openpyxl (or read as CSV) and must show them as
text behind an apostrophe, with no formula or link anywhere, while a figure of -5.0 stays a number.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import openpyxl
import polars as pl
import pytest

from zonehero.core.cultivation import cultivate
from zonehero.core.evaluation import EvaluationResult, evaluate
from zonehero.core.schedule.model import Project
from zonehero.core.schedule.report import build_monthly_report
from zonehero.core.zone import parse_zone
from zonehero.demo import generate_zone
from zonehero.demo.schedule import DemoData, generate_demo
from zonehero.edges.web.exports import list_csv, list_xlsx
from zonehero.reports.annual_xlsx import write_annual_xlsx
from zonehero.reports.audit_xlsx import HEADERS as AUDIT_HEADERS
from zonehero.reports.audit_xlsx import write_audit_xlsx
from zonehero.reports.briefing_xlsx import write_briefing_xlsx
from zonehero.reports.cultivation_export import write_cultivation
from zonehero.reports.public_list import PublicPeriod
from zonehero.reports.publiclist_xlsx import write_public_list_xlsx
from zonehero.reports.results import ImportNotes, write_result
from zonehero.reports.safe_cells import FORMULA_TRIGGERS
from zonehero.reports.schedule_xlsx import write_progress_xlsx, write_projects_xlsx
from zonehero.reports.template import write_template

HOSTILE = ('=HYPERLINK("http://x","y")', "=cmd|' /C calc'!A0", "+1", "-2", "@SUM(A1)")
SAFE = {"'" + name for name in HOSTILE}
FIGURE = -5.0


@dataclasses.dataclass(frozen=True)
class Book:
    """Every non-empty cell of a workbook as (sheet, coordinate, openpyxl data type, value)."""

    cells: list[tuple[str, str, str, Any]]
    links: int

    @property
    def texts(self) -> set[str]:
        return {v for _, _, t, v in self.cells if t == "s"}

    @property
    def numbers(self) -> list[float]:
        return [v for _, _, t, v in self.cells if t == "n"]


def open_book(source: bytes | Path) -> Book:
    data = source.read_bytes() if isinstance(source, Path) else source
    book = openpyxl.load_workbook(io.BytesIO(data))
    cells = [
        (ws.title, c.coordinate, c.data_type, c.value)
        for ws in book.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.value is not None
    ]
    links = sum(1 for ws in book.worksheets for row in ws.iter_rows() for c in row if c.hyperlink is not None)
    return Book(cells, links)


def assert_nothing_runs(book: Book) -> None:
    formulas = [(s, at, v) for s, at, t, v in book.cells if t == "f"]
    assert formulas == []
    live = [(s, at, v) for s, at, _, v in book.cells if isinstance(v, str) and v.startswith(FORMULA_TRIGGERS)]
    assert live == []
    assert book.links == 0


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def assert_csv_is_safe(table: Sequence[Sequence[str]], name_column: int, figure_column: int | None) -> None:
    names = {row[name_column] for row in table[1:]}
    assert names >= SAFE
    live = [cell for row in table for cell in row if cell.startswith(FORMULA_TRIGGERS) and not _is_number(cell)]
    assert live == []
    if figure_column is not None:
        assert str(FIGURE) in [row[figure_column] for row in table[1:]]


@pytest.fixture(scope="module")
def hostile_frames() -> tuple[pl.DataFrame, pl.DataFrame, str]:
    """(2025 frame, 2024 frame, uscc of the enterprise with 亩均税收 -5.0): five of the 规上 firms renamed."""
    frames = generate_zone(40, seed=1, years=(2024, 2025))
    current = frames[2025]
    chosen = current.filter(pl.col("above_scale"))["uscc"].to_list()[: len(HOSTILE)]
    renamed = dict(zip(chosen, HOSTILE, strict=True))
    negative = pl.col("uscc") == chosen[0]

    def hostile(frame: pl.DataFrame) -> pl.DataFrame:
        return frame.with_columns(pl.col("uscc").replace_strict(renamed, default=pl.col("name")).alias("name"))

    current = hostile(current).with_columns(
        # tax -10 on 2 mu: 亩均税收 exactly -5.0
        pl.when(negative).then(2 * FIGURE).otherwise(pl.col("tax")).alias("tax"),
        pl.when(negative).then(2.0).otherwise(pl.col("land_area_mu")).alias("land_area_mu"),
    )
    return current, hostile(frames[2024]), chosen[0]


@pytest.fixture(scope="module")
def hostile_results(
    hostile_frames: tuple[pl.DataFrame, pl.DataFrame, str],
) -> tuple[EvaluationResult, EvaluationResult]:
    current, previous, _ = hostile_frames
    return evaluate(current, year=2025), evaluate(previous, year=2024)


def test_the_hostile_result_really_carries_the_names_and_the_figure(
    hostile_results: tuple[EvaluationResult, EvaluationResult],
) -> None:
    e = hostile_results[0].enterprises
    assert set(e["name"].to_list()) >= set(HOSTILE)
    assert FIGURE in e["tax_per_mu__value"].to_list()
    assert e.filter(pl.col("name").is_in(HOSTILE) & (pl.col("flags").list.len() > 0)).height > 0


class TestResultsExport:
    def test_the_workbook_and_its_quality_sheet_hold_text_and_the_number(
        self, hostile_results: tuple[EvaluationResult, EvaluationResult], tmp_path: Path
    ) -> None:
        result = hostile_results[0]
        conflicts = pl.DataFrame(
            {
                "uscc": [result.enterprises["uscc"][0]],
                "field": [HOSTILE[0]],
                "chosen_value": ["+1"],
                "chosen_source": ["@SUM(A1)"],
                "other_value": ["-2"],
                "other_source": ["x"],
                "rule": ["y"],
            }
        )
        notes = ImportNotes(warnings=list(HOSTILE), conflicts=conflicts)
        out = tmp_path / "result.xlsx"
        write_result(result, out, notes=notes)
        book = open_book(out)
        assert_nothing_runs(book)
        for sheet in ("评价结果", "提示与数据质量"):
            assert {v for s, _, t, v in book.cells if s == sheet and t == "s"} >= SAFE, sheet
        assert FIGURE in book.numbers

    def test_the_csv_prefixes_the_names_and_keeps_the_number(
        self, hostile_results: tuple[EvaluationResult, EvaluationResult], tmp_path: Path
    ) -> None:
        out = tmp_path / "result.csv"
        write_result(hostile_results[0], out)
        table = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
        assert_csv_is_safe(table, table[0].index("name"), table[0].index("tax_per_mu__value"))


class TestEnterpriseListExport:
    """The 企业 page's download (edges/web/exports), from rows shaped like the run's result rows."""

    @pytest.fixture
    def rows(self) -> list[SimpleNamespace]:
        return [
            SimpleNamespace(
                uscc=f"91360100MA00000{i:02d}X",
                name=name,
                industry_code="-C3484",
                group="above",
                status="evaluated",
                total_score=FIGURE if i == 0 else 80.0,
                rank=i + 1,
                class_="A",
                carbon_grade=1,
            )
            for i, name in enumerate(HOSTILE)
        ]

    def test_the_csv(self, rows: list[SimpleNamespace]) -> None:
        table = list(csv.reader(io.StringIO(list_csv(rows).decode("utf-8-sig"))))
        assert_csv_is_safe(table, 1, 6)  # 综合得分 after 行业代码 and 所属行业
        assert {row[2] for row in table[1:]} == {"'-C3484"}
        assert {row[3] for row in table[1:]} == {"—"}  # a malformed code has no division name

    def test_the_workbook(self, rows: list[SimpleNamespace]) -> None:
        book = open_book(list_xlsx(rows, "企业"))
        assert_nothing_runs(book)
        assert book.texts >= SAFE
        assert FIGURE in book.numbers


def test_the_annual_report_workbook(
    hostile_results: tuple[EvaluationResult, EvaluationResult],
) -> None:
    buffer = io.BytesIO()
    write_annual_xlsx(hostile_results[0], buffer, previous=hostile_results[1])
    book = open_book(buffer.getvalue())
    assert_nothing_runs(book)
    assert book.cells


def test_the_public_list_workbook(hostile_results: tuple[EvaluationResult, EvaluationResult]) -> None:
    rule = parse_zone("notice_period = 5\nnotice_working_days = true", source="zone.toml")
    period = PublicPeriod(notice=rule.notice(date(2026, 3, 2)), contact='=HYPERLINK("http://x","电话")')
    buffer = io.BytesIO()
    write_public_list_xlsx(hostile_results[0], buffer, period=period)
    book = open_book(buffer.getvalue())
    assert_nothing_runs(book)
    assert book.texts >= SAFE


def test_the_cultivation_workbook(hostile_frames: tuple[pl.DataFrame, pl.DataFrame, str], tmp_path: Path) -> None:
    current, previous, negative = hostile_frames
    current = current.with_columns(
        pl.when(pl.col("uscc") == negative).then(FIGURE).otherwise(pl.col("revenue")).alias("revenue")
    )
    out = tmp_path / "cultivation.xlsx"
    write_cultivation(cultivate(current, year=2025, previous=previous), out)
    book = open_book(out)
    assert_nothing_runs(book)
    assert book.texts >= SAFE
    assert FIGURE in book.numbers


@pytest.fixture(scope="module")
def hostile_schedule() -> DemoData:
    """The demo projects with five renamed, the first one's total investment -5.0 and hostile progress notes."""
    data = generate_demo()
    projects: list[Project] = list(data.projects)
    for i, name in enumerate(HOSTILE):
        projects[i] = dataclasses.replace(
            projects[i],
            name=name,
            investor=name,
            leader="@leader",
            total_investment=FIGURE if i == 0 else projects[i].total_investment,
        )
    hostile_codes = {p.code for p in projects[: len(HOSTILE)]}
    progress = [
        dataclasses.replace(r, progress_text="=1+1 主体完工") if r.code in hostile_codes else r for r in data.progress
    ]
    difficulties = [
        dataclasses.replace(d, description="-" + d.description) if d.project_code in hostile_codes else d
        for d in data.difficulties
    ]
    return dataclasses.replace(data, projects=projects, progress=progress, difficulties=difficulties)


def test_the_briefing_workbook(hostile_schedule: DemoData) -> None:
    data = hostile_schedule
    report = build_monthly_report(data.projects, data.progress, data.difficulties, 2026, 8)
    buffer = io.BytesIO()
    write_briefing_xlsx(report, buffer, projects=data.projects)
    book = open_book(buffer.getvalue())
    assert_nothing_runs(book)
    assert book.texts & SAFE


def test_the_project_and_progress_spreadsheets(hostile_schedule: DemoData, tmp_path: Path) -> None:
    write_projects_xlsx(hostile_schedule.projects, tmp_path / "projects.xlsx")
    write_progress_xlsx(hostile_schedule.progress, tmp_path / "progress.xlsx")
    projects, progress = open_book(tmp_path / "projects.xlsx"), open_book(tmp_path / "progress.xlsx")
    assert_nothing_runs(projects)
    assert_nothing_runs(progress)
    assert projects.texts >= SAFE | {"'@leader"}
    assert FIGURE in projects.numbers
    assert "'=1+1 主体完工" in progress.texts


def test_the_audit_log_workbook() -> None:
    rows = [
        [name, "2026-03-02 10:00:00", name, "-", "", "登录失败", "login_failed", "", "", name, "ab"] for name in HOSTILE
    ]
    assert all(len(row) == len(AUDIT_HEADERS) for row in rows)
    buffer = io.BytesIO()
    assert write_audit_xlsx(rows, buffer, title="=审计日志") == len(HOSTILE)
    book = open_book(buffer.getvalue())
    assert_nothing_runs(book)
    assert book.texts >= SAFE | {"'=审计日志", "'-"}


def test_the_import_template(tmp_path: Path) -> None:
    book = open_book(write_template(tmp_path / "template.xlsx"))
    assert_nothing_runs(book)
