"""``zonehero evaluate`` end to end: department files in, a checked result out."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from typer.testing import CliRunner

from zonehero.core.domain.uscc import make_uscc
from zonehero.edges.cli.main import app

runner = CliRunner()

USCC = [make_uscc(f"913601000000{i:04d}") for i in range(1, 5)]
TAX_WAN = [100.0, 50.0, 30.0, 20.0]


def _write_tax_csv(path: Path, usccs: list[str] = USCC) -> None:
    """The tax bureau's GBK CSV: a title row, tax in 元 with thousands separators, a 合计 row."""
    lines = ["2025年度企业纳税情况表,,", "纳税人识别号,纳税人名称,实缴税金(元)"]
    for i, (code, tax) in enumerate(zip(usccs, TAX_WAN, strict=True)):
        lines.append(f'{code},测试企业{i + 1}有限公司,"{tax * 10000:,.0f}"')
    lines.append(f',合计,"{sum(TAX_WAN) * 10000:,.0f}"')
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))


def _write_stats_xlsx(path: Path) -> None:
    """The statistics bureau's xlsx: a merged title row, then identical figures for every enterprise."""
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("规上工业")
    headers = [
        "统一社会信用代码",
        "企业名称",
        "行业代码",
        "营业收入(万元)",
        "工业增加值(万元)",
        "研发经费支出(万元)",
        "年平均职工人数",
        "综合能耗(吨标准煤)",
        "二氧化碳排放量(吨)",
        "用地面积(亩)",
        "规上企业",
    ]
    ws.merge_range(0, 0, 0, len(headers) - 1, "2025年规上工业企业主要指标")
    ws.write_row(1, 0, headers)
    for i, code in enumerate(USCC):
        ws.write_row(i + 2, 0, [code, f"测试企业{i + 1}有限公司", "C3985", 5000, 1000, 50, 100, 100, 200, 10, "是"])
    wb.close()


@pytest.fixture
def zone(tmp_path: Path) -> list[Path]:
    tax = tmp_path / "税务局_纳税.csv"
    stats = tmp_path / "统计局_指标.xlsx"
    _write_tax_csv(tax)
    _write_stats_xlsx(stats)
    return [tax, stats]


def test_hand_computed_zone(zone: list[Path], tmp_path: Path) -> None:
    # Only tax differs. tax_per_mu benchmark = 200/40 = 5 → ratios 2, 1, 0.6, 0.4 (weight 30);
    # tax_per_employee benchmark = 200/400 = 0.5 → the same ratios (weight 10);
    # every other indicator has ratio 1 (weights 15+10+10+15+10 = 60).
    # Totals 140, 100, 84, 76; n = 4: A needs rank*100 <= 80 (nobody), B <= 280, C <= 380.
    out = tmp_path / "r.json"
    result = runner.invoke(app, ["evaluate", *map(str, zone), "--year", "2025", "--out", str(out)])
    assert result.exit_code == 0, result.output
    records = {r["uscc"]: r for r in json.loads(out.read_text("utf-8"))}
    got = [(records[c]["total_score"], records[c]["rank"], records[c]["class"]) for c in USCC]
    assert [g[1:] for g in got] == [(1, "B"), (2, "B"), (3, "C"), (4, "D")]
    assert [g[0] for g in got] == pytest.approx([140.0, 100.0, 84.0, 76.0])
    first = records[USCC[0]]
    assert first["group"] == "above" and first["status"] == "evaluated"
    assert first["indicators"]["tax_per_mu"]["benchmark"] == pytest.approx(5.0)
    assert first["indicators"]["tax_per_mu"]["value"] == pytest.approx(10.0)
    assert first["indicators"]["tax_per_mu"]["ratio"] == pytest.approx(2.0)
    assert first["indicators"]["tax_per_mu"]["score"] == pytest.approx(60.0)
    assert {"uscc", "name", "group", "status", "total_score", "rank", "class", "carbon_grade", "indicators"} <= set(
        first
    )


def test_xlsx_is_made_for_people(zone: list[Path], tmp_path: Path) -> None:
    out = tmp_path / "r.xlsx"
    result = runner.invoke(app, ["evaluate", *map(str, zone), "--year", "2025", "--out", str(out)])
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["评价结果", "汇总", "提示与数据质量"]
    ws = wb["评价结果"]
    headers = [c.value for c in ws[1]]
    assert headers[:8] == ["统一社会信用代码", "企业名称", "行业代码", "分组", "评价状态", "综合得分", "排名", "分类"]
    assert ws.freeze_panes == "C2"
    class_cell = ws.cell(row=2, column=8)
    assert class_cell.value == "B"
    assert class_cell.fill.fgColor.rgb.endswith("66BD63")
    assert ws.cell(row=2, column=6).number_format == "#,##0.00"


def test_csv_output(zone: list[Path], tmp_path: Path) -> None:
    out = tmp_path / "r.csv"
    result = runner.invoke(app, ["evaluate", *map(str, zone), "--year", "2025", "--out", str(out)])
    assert result.exit_code == 0, result.output
    header = out.read_text("utf-8").splitlines()[0].split(",")
    assert header[:4] == ["uscc", "name", "industry_code", "group"]
    assert "tax_per_mu__score" in header


def test_bad_input_exits_1_names_the_cell_and_leaves_no_file(tmp_path: Path) -> None:
    bad = list(USCC)
    bad[2] = bad[2][:17] + ("0" if bad[2][17] != "0" else "1")
    tax = tmp_path / "税务局_纳税.csv"
    _write_tax_csv(tax, bad)
    out = tmp_path / "r.json"
    result = runner.invoke(app, ["evaluate", str(tax), "--year", "2025", "--out", str(out)])
    assert result.exit_code == 1
    assert "税务局_纳税.csv" in result.stderr and "第 5 行" in result.stderr and "纳税人识别号" in result.stderr
    assert "校验位" in result.stderr
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [tax]


def test_unknown_output_format_is_a_usage_error(zone: list[Path], tmp_path: Path) -> None:
    result = runner.invoke(app, ["evaluate", *map(str, zone), "--year", "2025", "--out", str(tmp_path / "r.pdf")])
    assert result.exit_code == 2


def test_missing_year_is_a_usage_error(zone: list[Path], tmp_path: Path) -> None:
    result = runner.invoke(app, ["evaluate", *map(str, zone), "--out", str(tmp_path / "r.json")])
    assert result.exit_code == 2


def test_a_folder_stands_for_its_files(zone: list[Path], tmp_path: Path) -> None:
    out = tmp_path / "out" / "r.json"
    result = runner.invoke(app, ["evaluate", str(zone[0].parent), "--year", "2025", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert len(json.loads(out.read_text("utf-8"))) == 4
