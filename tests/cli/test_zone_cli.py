"""zonehero zone show and --zone FILE: the chains a zone lists are the chains its project files may name."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zonehero import clock
from zonehero.core.zone.profile import default_zone_text
from zonehero.demo.schedule import generate_demo
from zonehero.edges.cli.main import app
from zonehero.reports.schedule_xlsx import write_projects_xlsx

runner = CliRunner()


def test_zone_show_prints_the_default_with_comments() -> None:
    done = runner.invoke(app, ["zone", "show"])
    assert done.exit_code == 0
    assert done.output == default_zone_text()
    assert "industry_chains" in done.output and "# " in done.output


def test_zone_show_checks_a_file(tmp_path: Path) -> None:
    (tmp_path / "zone.toml").write_text('name = "赣江新区"\nnotice_working_days = true\n', encoding="utf-8")
    done = runner.invoke(app, ["zone", "show", str(tmp_path / "zone.toml")])
    assert done.exit_code == 0, done.output
    assert "赣江新区" in done.output and "5 个工作日" in done.output


def _projects_with_chain(tmp_path: Path, chain: str) -> Path:
    demo = generate_demo(12, seed=2)
    projects = [replace(p, industry_chain=chain) for p in demo.projects]
    path = tmp_path / "projects.xlsx"
    write_projects_xlsx(projects, path)
    return path


def test_an_unknown_chain_is_refused_with_the_list_and_how_to_add_it(tmp_path: Path) -> None:
    path = _projects_with_chain(tmp_path, "低空经济")
    out = tmp_path / "lists.json"
    args = ["projects", "lists", str(path), "--year", "2025", "--as-of", "2025-06-30", "--out", str(out)]
    done = runner.invoke(app, args)
    assert done.exit_code == 1
    assert "未知的产业链「低空经济」" in done.output and "新能源" in done.output and "--zone" in done.output
    assert not out.exists()


def test_projects_lists_accepts_the_chains_of_the_zone_file(tmp_path: Path) -> None:
    path = _projects_with_chain(tmp_path, "低空经济")
    zone = tmp_path / "zone.toml"
    zone.write_text('industry_chains = ["低空经济", "新能源"]\n', encoding="utf-8")
    out = tmp_path / "lists.json"
    args = ["projects", "lists", str(path), "--year", "2025", "--as-of", "2025-06-30", "--out", str(out)]
    done = runner.invoke(app, [*args, "--zone", str(zone)])
    assert done.exit_code == 0, done.output
    assert out.exists()


def test_a_briefing_from_files_accepts_the_chains_of_the_zone_file(tmp_path: Path) -> None:
    path = _projects_with_chain(tmp_path, "低空经济")
    out = tmp_path / "briefing.xlsx"
    args = ["report", "briefing", str(path), "--year", "2025", "--month", "6", "--out", str(out)]
    refused = runner.invoke(app, args)
    assert refused.exit_code == 1 and "未知的产业链「低空经济」" in refused.output and not out.exists()
    zone = tmp_path / "zone.toml"
    zone.write_text('industry_chains = ["低空经济"]\n', encoding="utf-8")
    done = runner.invoke(app, [*args, "--zone", str(zone)])
    assert done.exit_code == 0, done.output
    assert out.exists()


@pytest.fixture
def in_2031() -> Iterator[None]:
    before = clock.current()
    clock.use(clock.FixedClock(datetime(2031, 3, 3, 2, 0, tzinfo=UTC)))
    yield
    clock.use(before)


def test_zone_show_warns_when_working_days_meet_a_year_the_calendar_lacks(tmp_path: Path, in_2031: None) -> None:
    zone = tmp_path / "zone.toml"
    zone.write_text("notice_working_days = true\n", encoding="utf-8")
    done = runner.invoke(app, ["zone", "show", str(zone)])
    assert done.exit_code == 0, done.output
    out = "".join(done.output.split())
    assert "工作日历尚未包含2031年的法定节假日与调休安排" in out
    zone.write_text("notice_working_days = false\n", encoding="utf-8")
    assert "尚未包含" not in runner.invoke(app, ["zone", "show", str(zone)]).output


def test_each_command_starts_on_the_built_in_zones_clock(in_2031: None) -> None:
    """A command reads the built-in zone's date until it knows its own (the previous command's zone is gone)."""
    fixed = clock.now()
    clock.use_timezone("America/Los_Angeles")  # as an earlier command with a --zone file left it: still 2 March
    assert runner.invoke(app, ["zone", "show"]).exit_code == 0
    assert clock.today() == date(2031, 3, 3) and clock.now() == fixed  # Beijing's date, the same instant
