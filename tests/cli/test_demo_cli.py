"""``zonehero demo-data`` and ``zonehero template`` as a user runs them."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from zonehero.core.domain.fields import FIELDS
from zonehero.edges.cli import output
from zonehero.edges.cli.main import app

runner = CliRunner()


def test_demo_data_writes_the_files_and_lists_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "input"
    # One table row per line. The console is built at import, so COLUMNS set later
    # (or by a test worker) does not reach it: set its width directly.
    monkeypatch.setattr(output.console, "width", 200)
    result = runner.invoke(
        app,
        ["demo-data", "--out", str(out), "--enterprises", "60", "--seed", "4", "--year", "2024"],
    )
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in out.iterdir())
    assert "税务局_2024年度纳税情况.csv" in written
    assert "供电公司_2024年用电量.xlsx" in written
    assert len(written) >= 6
    for name in written:
        assert name in result.output
    assert "60 家企业" in result.output
    assert "研发经费" in result.output  # the deliberate conflict is announced


def test_demo_data_is_reproducible(tmp_path: Path) -> None:
    for sub in ("a", "b"):
        result = runner.invoke(app, ["demo-data", "--out", str(tmp_path / sub), "-n", "25"])
        assert result.exit_code == 0, result.output
    a = sorted((tmp_path / "a").iterdir())
    b = sorted((tmp_path / "b").iterdir())
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]


def test_demo_data_refuses_a_file_as_output_folder(tmp_path: Path) -> None:
    blocker = tmp_path / "taken"
    blocker.write_text("x")
    result = runner.invoke(app, ["demo-data", "--out", str(blocker)])
    assert result.exit_code == 1
    assert "不是文件夹" in result.output


def test_demo_data_refuses_zero_enterprises(tmp_path: Path) -> None:
    result = runner.invoke(app, ["demo-data", "--out", str(tmp_path), "--enterprises", "0"])
    assert result.exit_code == 2


def test_demo_data_then_evaluate_works(tmp_path: Path) -> None:
    out = tmp_path / "input"
    assert runner.invoke(app, ["demo-data", "--out", str(out), "-n", "80"]).exit_code == 0
    result = runner.invoke(app, ["evaluate", str(out), "--year", "2025", "--out", str(tmp_path / "r.json")])
    assert result.exit_code == 0, result.output
    assert "80 家企业" in result.output
    assert "数据冲突 1 处" in result.output


def test_template_writes_the_xlsx(tmp_path: Path) -> None:
    target = tmp_path / "模板.xlsx"
    result = runner.invoke(app, ["template", "--out", str(target)])
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(target)["企业数据"]
    assert [c.value for c in ws[1]] == [f.header for f in FIELDS]


def test_template_needs_an_xlsx_name(tmp_path: Path) -> None:
    result = runner.invoke(app, ["template", "--out", str(tmp_path / "t.csv")])
    assert result.exit_code == 2
    assert not (tmp_path / "t.csv").exists()


def test_template_refuses_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "x.xlsx"
    folder.mkdir()
    result = runner.invoke(app, ["template", "--out", str(folder)])
    assert result.exit_code == 1
    assert "文件夹" in result.output


def test_help_is_bilingual() -> None:
    for command in ("demo-data", "template"):
        result = runner.invoke(app, [command, "--help"])
        assert result.exit_code == 0
        assert "演示数据" in result.output or "导入模板" in result.output
        assert "--out" in result.output
