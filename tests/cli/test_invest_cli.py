"""``zonehero invest figures`` end to end: a lead spreadsheet in, the figures of spec investment.md §3 out."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from zonehero.edges.cli.main import app

runner = CliRunner()

HEADER = (
    "线索编号,投资方,投资方统一社会信用代码,项目编号,产业链,报送人,报送单位,报送日期,当前阶段,"
    "签约日期,合同投资额(亿元),落地日期,开工日期,投产日期,累计到位资金(万元)"
)
ROWS = [
    # P1: signed 2025 for 6 亿 (60000 万元), landed and started in 2025, 15000 paid in.
    "L001,华为技术有限公司,,P1,电子信息,张三,招商一局,2025-01-10,落地,2025-03-01,6,2025-04-01,2025-06-01,,15000",
    # P1 again: a 增资 to 8 亿 by 李四 (a traditional-script duplicate, not credited); counts 80000 − 60000.
    "L002,華為技術 有限公司,,P1,电子信息,李四,招商二局,2025-02-01,签约,2025-09-01,8,,,,25000",
    # Its own project: 55 亿 signed 2025 (≥ 50 亿: 5020 met by default), nothing paid in.
    "L003,宁德时代新能源科技股份有限公司,,,新能源,李四,招商二局,2025-03-01,签约,2025-05-20,55,,,,",
    # Terminated, never signed.
    "L004,某某电子有限公司,,,电子信息,王五,招商一局,2025-04-01,终止,,,,,,",
    # Signed after the as-of date: not a signing yet.
    "L005,某某材料有限公司,,,新材料,王五,招商一局,2025-05-01,签约,2026-02-01,2,,,,",
]


def write(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "leads.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8-sig")
    return path


def run(*args: str) -> object:
    return runner.invoke(app, ["invest", "figures", *args])


def test_figures_by_hand(tmp_path: Path) -> None:
    out = tmp_path / "out" / "figures.json"
    result = run(str(write(tmp_path, ROWS)), "--year", "2025", "--as-of", "2025-12-31", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "新签约项目数" in result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data == {
        "signed_projects": 2,  # P1 and L003
        "signed_investment": 60000 + 20000 + 550000,  # P1 in full, the 增资 80000 − 60000, L003
        "landing_rate": 0.5,  # P1 landed: 1/2
        "start_rate": 0.5,
        "production_rate": 0.0,
        "funding_rate": 25000 / (80000 + 550000),  # P1's larger 到位 25000 + 0 over 80000 + 550000
        "projects_over_1e8": 2,
        "projects_over_1e9": 1,
        "projects_over_5e9": 1,
        "rule_5020_met": True,
        "leads_by_reporter": {"张三": 1, "李四": 1, "王五": 2},  # 李四: L003 credited, L002 a duplicate
        "stage_counts": {"线索": 0, "接洽": 0, "考察": 0, "洽谈": 0, "签约": 3, "落地": 1, "终止": 1},
    }


def test_thresholds_come_from_the_zone_file(tmp_path: Path) -> None:
    zone = tmp_path / "zone.toml"
    zone.write_text(
        'industry_chains = ["电子信息", "新能源", "新材料"]\ninvestment_over_1e9 = 60000\n'
        "investment_over_5e9 = 600000\nrule_5020_min_projects = 1\n",
        encoding="utf-8",
    )
    out = tmp_path / "f.json"
    args = ("--year", "2025", "--as-of", "2025-12-31", "--out", str(out), "--zone", str(zone))
    result = run(str(write(tmp_path, ROWS)), *args)
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    # 10 亿 lowered to 6 亿 (60000): P1 (80000) and L003 count; 50 亿 raised to 60 亿: L003 (550000) does not.
    assert data["projects_over_1e9"] == 2 and data["projects_over_5e9"] == 0 and data["rule_5020_met"] is False


def test_an_unknown_chain_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    out = tmp_path / "f.json"
    rows = [*ROWS, "L006,低空公司,,,低空经济,王五,招商一局,2025-05-01,线索,,,,,,"]
    result = run(str(write(tmp_path, rows)), "--year", "2025", "--as-of", "2025-12-31", "--out", str(out))
    assert result.exit_code == 1
    assert "低空经济" in result.output and "第 7 行" in result.output and not out.exists()


def test_an_as_of_date_before_the_year_is_a_usage_error(tmp_path: Path) -> None:
    out = tmp_path / "f.json"
    result = run(str(write(tmp_path, ROWS)), "--year", "2025", "--as-of", "2024-12-31", "--out", str(out))
    assert result.exit_code == 2 and not out.exists()
