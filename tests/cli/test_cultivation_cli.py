"""``zonehero cultivation`` end to end: department files of two years in, tiers and pools out."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from zonehero.core.domain.uscc import make_uscc
from zonehero.edges.cli.main import app

runner = CliRunner()

USCC = [make_uscc(f"913601000000{i:04d}") for i in range(1, 5)]
HEADER = "统一社会信用代码,企业名称,营业收入(万元),研发经费支出(万元),年平均职工人数,高新技术企业,专精特新等级"


def _write(path: Path, rows: list[str]) -> Path:
    path.write_bytes(("\r\n".join(["2025年企业主要指标", HEADER, *rows]) + "\r\n").encode("gbk"))
    return path


@pytest.fixture
def years(tmp_path: Path) -> tuple[Path, Path]:
    now = _write(
        tmp_path / "统计局_2025.csv",
        [
            f"{USCC[0]},甲公司,8000,300,120,是,",  # candidate for 亿元 (exactly 80%, exactly 10% growth)
            f"{USCC[1]},乙公司,12000,600,300,是,省级",  # moved up to 亿元 and to 专精特新
            f"{USCC[2]},丙公司,7999,10,50,否,",  # 79.99%: not a candidate
            f"{USCC[3]},丁公司,1500,10,30,否,",  # moved down below scale
        ],
    )
    before = _write(
        tmp_path / "统计局_2024.csv",
        [
            f"{USCC[0]},甲公司,{8000 / 1.1:.6f},200,110,是,",
            f"{USCC[1]},乙公司,9000,400,280,是,",
            f"{USCC[2]},丙公司,5000,10,50,否,",
            f"{USCC[3]},丁公司,2500,10,30,否,",
        ],
    )
    return now, before


def test_json_output_with_previous_year(years: tuple[Path, Path], tmp_path: Path) -> None:
    now, before = years
    out = tmp_path / "cultivation.json"
    result = runner.invoke(
        app, ["cultivation", str(now), "--year", "2025", "--previous", str(before), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "规模梯度" in result.output
    data = json.loads(out.read_text("utf-8"))
    rows = {r["uscc"]: r for r in data["enterprises"]}
    assert rows[USCC[0]]["scale_status"] == "candidate"
    assert rows[USCC[2]]["scale_status"] == "not_met"
    assert rows[USCC[1]]["quality_tier"] == "zjtx_sme"
    assert rows[USCC[0]]["quality_status"] == "candidate"  # high-tech SME → 创新型中小企业
    moves = {(m["uscc"], m["dimension"], m["direction"]) for m in data["movers"]}
    assert moves == {
        (USCC[1], "scale", "up"),
        (USCC[1], "quality", "up"),
        (USCC[3], "scale", "down"),
    }
    pools = {(p["dimension"], p["tier"]): p["candidates"] for p in data["pools"]}
    assert pools[("scale", "revenue_100m")] == 1


def test_xlsx_output_without_previous(years: tuple[Path, Path], tmp_path: Path) -> None:
    now, _ = years
    out = tmp_path / "cultivation.xlsx"
    result = runner.invoke(app, ["cultivation", str(now), "-y", "2025", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "未提供上年数据" in result.output
    wb = openpyxl.load_workbook(out, read_only=True)
    assert wb.sheetnames[:2] == ["汇总", "全部企业"]
    assert "候选-亿元企业" in wb.sheetnames
    assert "候选-制造业单项冠军企业" in wb.sheetnames
    assert "升降档" not in wb.sheetnames
    everyone = list(wb["全部企业"].iter_rows(values_only=True))
    assert everyone[0][:3] == ("统一社会信用代码", "企业名称", "营业收入(万元)")
    assert len(everyone) == 5
    # no previous year: nobody is a scale candidate, and the reason says why
    assert list(wb["候选-亿元企业"].iter_rows(values_only=True))[1:] == []
    reasons = {row[0]: row[10] for row in everyone[1:]}
    assert "缺少上年营业收入" in reasons[USCC[0]]


def test_bad_tier_file_exits_1_with_the_key_path(years: tuple[Path, Path], tmp_path: Path) -> None:
    now, _ = years
    tiers = tmp_path / "tiers.toml"
    tiers.write_text('[tiers]\nname = "x"\nversion = "1"\n', "utf-8")
    out = tmp_path / "o.json"
    result = runner.invoke(app, ["cultivation", str(now), "-y", "2025", "-o", str(out), "--tiers", str(tiers)])
    assert result.exit_code == 1
    assert "scale" in result.output
    assert not out.exists()


def test_unsupported_output_suffix_is_a_usage_error(years: tuple[Path, Path], tmp_path: Path) -> None:
    now, _ = years
    result = runner.invoke(app, ["cultivation", str(now), "-y", "2025", "-o", str(tmp_path / "o.csv")])
    assert result.exit_code == 2


def test_unreadable_input_exits_1(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    result = runner.invoke(app, ["cultivation", str(empty), "-y", "2025", "-o", str(tmp_path / "o.json")])
    assert result.exit_code == 1
    assert "空" in result.output


def test_help_is_bilingual() -> None:
    result = runner.invoke(app, ["cultivation", "--help"])
    assert result.exit_code == 0
    assert "梯度培育" in result.output
    assert "Cultivation tiers" in result.output


def test_extra_supplement_file(years: tuple[Path, Path], tmp_path: Path) -> None:
    now, before = years
    extra = tmp_path / "补充表.csv"
    extra.write_text(
        f"统一社会信用代码,质量梯度,发明专利数(件)\n{USCC[2]},单项冠军,\n{make_uscc('9136010000009999')},创新型,1\n",
        "utf-8",
    )
    out = tmp_path / "o.json"
    args = ["cultivation", str(now), "-y", "2025", "-p", str(before), "-e", str(extra), "-o", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "不在当年数据中" in result.output
    rows = {r["uscc"]: r for r in json.loads(out.read_text("utf-8"))["enterprises"]}
    assert rows[USCC[2]]["quality_tier"] == "single_champion"
    assert rows[USCC[0]]["quality_tier"] == "none"


def test_extra_with_unknown_tier_exits_1(years: tuple[Path, Path], tmp_path: Path) -> None:
    now, _ = years
    extra = tmp_path / "补充表.csv"
    extra.write_text(f"统一社会信用代码,质量梯度\n{USCC[0]},瞪羚企业\n", "utf-8")
    result = runner.invoke(
        app, ["cultivation", str(now), "-y", "2025", "-e", str(extra), "-o", str(tmp_path / "o.json")]
    )
    assert result.exit_code == 1
    assert "瞪羚企业" in result.output
