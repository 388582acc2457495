"""``zonehero projects import``: spreadsheets into a migrated store, all or nothing, problems located."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from projects_world import library
from sqlalchemy import func, select
from typer.testing import CliRunner

from zonehero.core.schedule.model import ProgressReport
from zonehero.db import migrate
from zonehero.db.session import make_engine, session_factory, unit_of_work
from zonehero.edges.cli.main import app
from zonehero.features.projects.models import ProgressRow, ProjectRow
from zonehero.features.roles import SYSTEM
from zonehero.features.zone import service as zone
from zonehero.features.zone.schemas import ZoneForm
from zonehero.reports.schedule_xlsx import write_progress_xlsx, write_projects_xlsx


@pytest.fixture
def url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    migrate.upgrade(url)
    return url


def _count(url: str, table: type) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.scalar(select(func.count()).select_from(table)) or 0)
    finally:
        engine.dispose()


def test_it_imports_projects_and_progress_and_a_second_run_changes_nothing(url: str, tmp_path: Path) -> None:
    projects, progress = tmp_path / "projects.xlsx", tmp_path / "progress.xlsx"
    write_projects_xlsx(library(), projects)
    write_progress_xlsx([ProgressReport("P1", 2025, 5, 100.0, 20.0, "主体施工")], progress)
    args = ["projects", "import", str(projects), "--progress", str(progress), "--year", "2025", "--db", url]
    first = CliRunner().invoke(app, args)
    assert first.exit_code == 0, first.output
    assert "新增项目 5 个" in first.output and "进展新增 1 条" in first.output
    second = CliRunner().invoke(app, args)
    assert second.exit_code == 0 and "未变 5 个" in second.output
    assert (_count(url, ProjectRow), _count(url, ProgressRow)) == (5, 1)


def test_bad_input_is_refused_with_file_row_and_column_and_nothing_is_written(url: str, tmp_path: Path) -> None:
    csv = tmp_path / "项目库.csv"
    csv.write_text(
        "项目编号,项目名称,产业链,实际签约日期,实际开工日期,计划投产日期\n"
        "A1,甲项目,新材料,2025-03-01,2025-02-01,\n"
        "A2,乙项目,造船,2025-01-01,,\n"
        "A3,丙项目,新能源,2025-01-01,,明年\n",
        encoding="utf-8",
    )
    done = CliRunner().invoke(app, ["projects", "import", str(csv), "--db", url])
    assert done.exit_code == 1
    out = " ".join(done.output.split())
    for row, column in ((2, "实际开工日期"), (3, "产业链"), (4, "计划投产日期")):
        assert f"项目库.csv, 第 {row} 行, 列 「{column}」" in out
    assert _count(url, ProjectRow) == 0


def test_progress_for_an_unknown_project_is_refused(url: str, tmp_path: Path) -> None:
    projects, progress = tmp_path / "projects.xlsx", tmp_path / "progress.xlsx"
    write_projects_xlsx(library(), projects)
    write_progress_xlsx([ProgressReport("ZZ9", date.today().year, 1, 1.0)], progress)
    done = CliRunner().invoke(app, ["projects", "import", str(projects), "--progress", str(progress), "--db", url])
    assert done.exit_code == 1 and "ZZ9" in done.output
    assert _count(url, ProjectRow) == 0


def _save_chains(url: str, chains: list[str]) -> None:
    """The administrator's 园区概况 in the store, as the web page saves it."""
    engine = make_engine(url)
    try:
        with unit_of_work(session_factory(engine)) as session:
            form = ZoneForm(
                name="测试开发区",
                timezone="Asia/Shanghai",
                industry_chains=chains,
                notice_period=5,
                notice_working_days=False,
            )
            zone.save_profile(session, SYSTEM, form)
    finally:
        engine.dispose()


def test_the_chains_are_the_stores_zone_profiles(url: str, tmp_path: Path) -> None:
    """A chain the administrator added on the 园区概况 page is accepted; one the zone does not have is refused."""
    projects = tmp_path / "projects.xlsx"
    write_projects_xlsx([replace(p, industry_chain="低空经济") for p in library()], projects)
    refused = CliRunner().invoke(app, ["projects", "import", str(projects), "--db", url])
    assert refused.exit_code == 1
    out = "".join(refused.output.split())
    assert "未知的产业链「低空经济」" in out and "「园区概况」" in out
    _save_chains(url, ["新材料", "低空经济"])
    done = CliRunner().invoke(app, ["projects", "import", str(projects), "--db", url])
    assert done.exit_code == 0, done.output
    assert _count(url, ProjectRow) == 5
