"""``zonehero projects lists`` end to end: a project spreadsheet in, the four lists and lights out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zonehero.edges.cli.main import app

runner = CliRunner()

HEADER = (
    "项目编号,项目名称,产业链,总投资(万元),计划签约日期,实际签约日期,计划开工日期,实际开工日期,"
    "计划投产日期,实际投产日期,年度计划投资(万元),入库日期"
)
ROWS = [
    # December start reached in January: carried over into 2026 and achieved.
    "A,甲项目,电子信息,1000,2025-03-01,2025-03-05,2025-12-15,2026-01-10,2027-06-30,,1200,2025-01-05",
    # Start planned in 2024, still not started: carried over twice, late by 2026-03-31 (455 days: red).
    "B,乙项目,新能源,2000,2024-01-10,2024-02-01,2024-12-31,,,,,2023-11-01",
    # Started in 2026 though planned for 2027: ahead (超计划).
    "C,丙项目,新材料,3000,2025-10-01,2025-10-08,2027-03-01,2026-02-01,,,,2025-06-01",
    # Signing planned in February 2026, not signed by 31 March: late 1-90 days, yellow.
    "D,丁项目,装备制造,400,2026-02-15,,2027-01-15,,,,,2026-01-20",
    # Added in 2026, nothing planned yet.
    "E,戊项目,生物医药,500,,,,,,,,2026-03-02",
]


def write(tmp_path: Path, name: str, lines: list[str]) -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    return path


def run(*args: str) -> object:
    return runner.invoke(app, ["projects", "lists", *args])


def test_lists_without_progress(tmp_path: Path) -> None:
    projects = write(tmp_path, "projects.csv", [HEADER, *ROWS])
    out = tmp_path / "lists.json"
    result = run(str(projects), "--year", "2026", "--as-of", "2026-03-31", "--out", str(out))
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert set(data) == {"signing", "construction", "production", "planning", "lights"}
    construction = data["construction"]
    assert construction["list"] == ["A", "B"]
    assert construction["carried_over"] == ["A", "B"]
    assert construction["achieved"] == ["A", "C"]
    assert construction["ahead"] == ["C"]
    assert construction["late"] == ["B"]
    assert construction["rate"] == 0.5
    assert construction["list_investment"] == 3000
    assert construction["achieved_investment"] == 4000
    assert construction["late_investment"] == 2000
    assert construction["ahead_investment"] == 3000
    assert construction["carried_over_investment"] == 3000
    assert data["signing"]["list"] == ["D"] and data["signing"]["late"] == ["D"] and data["signing"]["rate"] == 0
    assert data["production"]["list"] == [] and data["production"]["rate"] is None
    assert data["planning"]["list"] == ["D", "E"]
    assert data["planning"]["list_investment"] == 900
    assert data["planning"]["added_in_year"] == 2
    # No progress file: lateness alone (A's year plan is not checked).
    assert data["lights"] == {"A": "green", "B": "red", "C": "green", "D": "yellow", "E": "green"}
    assert "开工一批" in result.output


def test_lists_with_progress(tmp_path: Path) -> None:
    projects = write(tmp_path, "projects.csv", [HEADER, *ROWS])
    progress = write(
        tmp_path,
        "progress.xlsx.csv",
        ["项目编号,月份,当月完成投资(万元),完成百分比,形象进度", "A,2026-01,100,5,场地平整", "A,2026-02,50,8,桩基施工"],
    )
    out = tmp_path / "lists.json"
    result = run(
        str(projects), "--progress", str(progress), "--year", "2026", "--as-of", "2026-03-31", "--out", str(out)
    )
    assert result.exit_code == 0, result.output
    lights = json.loads(out.read_text(encoding="utf-8"))["lights"]
    # A: 150 done against 1200 × 3/12 = 300 (50%): yellow, and no March report: yellow.
    assert lights["A"] == "yellow"
    assert "时序进度" in result.output and "未填报 2026年3月" in result.output
    # C has been under construction since February and sent nothing.
    assert lights["C"] == "yellow"


@pytest.mark.parametrize("as_of", ["2025-12-31", "2027-01-01", "2026-02-30", "soon"])
def test_as_of_outside_the_year_is_a_usage_error(tmp_path: Path, as_of: str) -> None:
    projects = write(tmp_path, "projects.csv", [HEADER, *ROWS])
    out = tmp_path / "lists.json"
    result = run(str(projects), "--year", "2026", "--as-of", as_of, "--out", str(out))
    assert result.exit_code == 2
    assert not out.exists()


def test_a_bad_file_exits_1_with_every_problem_on_stderr_and_writes_nothing(tmp_path: Path) -> None:
    projects = write(
        tmp_path,
        "projects.csv",
        [HEADER, ROWS[0], "X,错项目,航空航天,1,2026-01-01,2026-01-05,,2026-01-01,,,,", "Y,坏日期,新能源,1,明年,,,,,,,"],
    )
    progress = write(tmp_path, "progress.csv", ["code,month,investment_month", "A,2026-13,1"])
    out = tmp_path / "lists.json"
    result = run(
        str(projects), "--progress", str(progress), "--year", "2026", "--as-of", "2026-03-31", "--out", str(out)
    )
    assert result.exit_code == 1
    assert not out.exists()
    assert result.stdout == ""
    err = result.stderr
    assert "projects.csv, 第 3 行, 列 「产业链」" in err
    assert "projects.csv, 第 3 行, 列 「实际开工日期」" in err
    assert "projects.csv, 第 4 行, 列 「计划签约日期」" in err
    assert "progress.csv, 第 2 行, 列 「month」" in err


def test_demo_files_round_trip_through_the_cli(tmp_path: Path) -> None:
    result = runner.invoke(app, ["projects", "demo", str(tmp_path / "demo"), "--n", "30", "--seed", "2"])
    assert result.exit_code == 0, result.output
    out = tmp_path / "lists.json"
    result = run(
        str(tmp_path / "demo" / "projects.xlsx"),
        "--progress",
        str(tmp_path / "demo" / "progress.xlsx"),
        "--year",
        "2026",
        "--as-of",
        "2026-09-30",
        "--out",
        str(out),
    )
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert len(data["lights"]) == 30
