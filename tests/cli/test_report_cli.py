"""``zonehero report``: every document from demo files on disk, and the errors a user can make."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from zonehero.demo import write_demo_sources
from zonehero.demo.schedule import generate_demo, write_demo_files
from zonehero.edges.cli.main import app

runner = CliRunner()


def _text(path: Path) -> str:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return "".join("".join((p.extract_text() or "").split()) for p in reader.pages)


@pytest.fixture(scope="module")
def zone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("zone")
    write_demo_sources(root / "2025", 80, seed=3, year=2025)
    write_demo_sources(root / "2024", 80, seed=3, year=2024)
    return root


def test_annual_pdf_and_xlsx(zone: Path, tmp_path: Path) -> None:
    out = tmp_path / "annual.pdf"
    profile = tmp_path / "zone.toml"
    profile.write_text('name = "示范开发区"\n', encoding="utf-8")  # every other key keeps its default
    args = ["report", "annual", str(zone / "2025"), "--year", "2025", "--previous", str(zone / "2024")]
    done = runner.invoke(app, [*args, "--out", str(out), "--zone", str(profile), "--date", "2026-03-02"])
    assert done.exit_code == 0, done.output
    text = _text(out)
    assert "示范开发区2025年度企业亩均效益综合评价报告" in text and "与2024年度相比" in text
    xlsx = tmp_path / "annual.xlsx"
    done = runner.invoke(app, ["report", "annual", str(zone / "2025"), "--year", "2025", "--out", str(xlsx)])
    assert done.exit_code == 0, done.output
    assert "评价基准值" in openpyxl.load_workbook(xlsx).sheetnames


def test_notices_zip(zone: Path, tmp_path: Path) -> None:
    out = tmp_path / "notices.zip"
    done = runner.invoke(
        app, ["report", "notices", str(zone / "2025"), "--year", "2025", "--out", str(out), "--date", "2026-03-02"]
    )
    assert done.exit_code == 0, done.output
    assert "已生成" in done.output
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        assert len(names) >= 70 and all(n.endswith(".pdf") for n in names)
        sample = zf.read(names[0])
    text = "".join("".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(sample)).pages)
    assert names[0].split("_", 1)[0] in text
    assert "2026年3月6日前" in text
    assert "《" in text  # sources from the department files (lineage)


def test_public_list_pdf_and_xlsx(zone: Path, tmp_path: Path) -> None:
    for suffix in (".pdf", ".xlsx"):
        out = tmp_path / f"list{suffix}"
        args = ["report", "list", str(zone / "2025"), "--year", "2025", "--out", str(out), "--start", "2026-03-02"]
        done = runner.invoke(app, args)
        assert done.exit_code == 0, done.output
        assert "2026-03-06" in done.output
    assert "A类（优先发展类）" in _text(tmp_path / "list.pdf")
    assert openpyxl.load_workbook(tmp_path / "list.xlsx")["公示名单"]["A4"].value == "序号"


def test_briefing_pdf_and_xlsx(tmp_path: Path) -> None:
    projects, progress = write_demo_files(generate_demo(), tmp_path / "projects")
    for suffix in (".pdf", ".xlsx"):
        out = tmp_path / f"briefing{suffix}"
        args = ["report", "briefing", str(projects), "--progress", str(progress), "--year", "2026", "--month", "8"]
        done = runner.invoke(app, [*args, "--out", str(out)])
        assert done.exit_code == 0, done.output
    assert "“四个一批”项目调度简报（2026年8月）" in _text(tmp_path / "briefing.pdf")
    assert "签约一批" in openpyxl.load_workbook(tmp_path / "briefing.xlsx").sheetnames


def test_a_wrong_output_suffix_is_a_usage_error(zone: Path, tmp_path: Path) -> None:
    done = runner.invoke(
        app, ["report", "annual", str(zone / "2025"), "--year", "2025", "--out", str(tmp_path / "a.doc")]
    )
    assert done.exit_code == 2
    assert not (tmp_path / "a.doc").exists()


def test_a_missing_font_is_a_clear_error(zone: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from zonehero.reports.pdf import fonts, styles

    monkeypatch.setattr(fonts, "_registered", None)
    monkeypatch.setattr(fonts, "_configured", None)  # the CLI installs the configured font for this process: undone
    monkeypatch.setattr(styles, "_styles", None)
    monkeypatch.setenv(fonts.FONT_ENV, str(tmp_path / "missing.ttf"))
    out = tmp_path / "list.pdf"
    done = runner.invoke(app, ["report", "list", str(zone / "2025"), "--year", "2025", "--out", str(out)])
    assert done.exit_code == 1
    assert "fonts-wqy-microhei" in done.output
    assert not out.exists()
