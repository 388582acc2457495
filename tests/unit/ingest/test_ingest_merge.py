"""Merging departments' files by USCC: priorities, conflicts, lineage."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from ingest_asserts import one_problem, problems_of
from ingest_builders import uscc, write_csv, write_xlsx

from zonehero.core.ingest import department_for, read_sources


@pytest.mark.parametrize(
    ("name", "department"),
    [
        ("2025年税务局入库税收.xlsx", "税务局"),
        ("tax_2025.csv", "税务局"),
        ("国网供电公司用电量.xlsx", "供电公司"),
        ("power.xlsx", "供电公司"),
        ("统计局规上企业.xls", "统计局"),
        ("自然资源和规划局用地.xlsx", "自然资源局"),
        ("科技局研发投入.xlsx", "科技局"),
        ("生态环境局.xlsx", "生态环境局"),
        ("应急管理局安全事故.xlsx", "应急管理局"),
        ("企业名单.xlsx", "其他"),
    ],
)
def test_the_department_is_inferred_from_the_file_name(name: str, department: str) -> None:
    assert department_for(Path("/data") / name) == department


@pytest.fixture
def tax_and_stats(tmp_path: Path) -> tuple[Path, Path]:
    tax = write_csv(
        tmp_path / "税务局.csv",
        [
            ["统一社会信用代码", "纳税人名称", "实缴税金(元)", "营业收入(万元)"],
            [uscc(1), "江西鑫通機械有限公司", "1,500,000", "900"],
            [uscc(2), "南昌乙公司", "200000", ""],
        ],
    )
    stats = write_xlsx(
        tmp_path / "统计局.xlsx",
        {
            "规上": [
                ["统一社会信用代码", "单位名称", "实缴税金(万元)", "营业收入(万元)", "年平均职工人数"],
                [uscc(2), "南昌乙公司", 20, 480, 30],
                [uscc(1), "江西鑫通机械有限公司", 160, 1000, 120],
                [uscc(3), "丙公司", 5, 50, 8],
            ]
        },
    )
    return tax, stats


class TestDefaultPriority:
    def test_tax_from_the_tax_bureau_and_revenue_from_statistics(self, tax_and_stats: tuple[Path, Path]) -> None:
        result = read_sources(list(tax_and_stats))
        frame = result.frame.sort("uscc")
        assert frame["uscc"].to_list() == [uscc(1), uscc(2), uscc(3)]
        assert frame["tax"].to_list() == pytest.approx([150.0, 20.0, 5.0])
        assert frame["revenue"].to_list() == [1000.0, 480.0, 50.0]
        assert frame["employees"].to_list() == [120.0, 30.0, 8.0]

    def test_each_real_difference_is_a_reported_conflict(self, tax_and_stats: tuple[Path, Path]) -> None:
        conflicts = read_sources(list(tax_and_stats)).conflicts.sort("field")
        # uscc(2): 200000 元 = 20 万元 is the same figure; names differ only in 機/机 — neither is a conflict
        assert conflicts.select("uscc", "field").rows() == [(uscc(1), "revenue"), (uscc(1), "tax")]
        tax = conflicts.row(1, named=True)
        assert tax["chosen_value"] == "150.0" and tax["other_value"] == "160.0"
        assert tax["chosen_source"] == "税务局「税务局.csv」第2行"
        assert tax["other_source"] == "统计局「统计局.xlsx」[规上]第3行"
        assert "默认优先级" in tax["rule"] and "税务局" in tax["rule"]
        revenue = conflicts.row(0, named=True)
        assert (revenue["chosen_value"], revenue["other_value"]) == ("1000.0", "900.0")
        assert "统计局" in revenue["chosen_source"]

    def test_lineage_points_at_the_chosen_source(self, tax_and_stats: tuple[Path, Path]) -> None:
        lineage = read_sources(list(tax_and_stats)).lineage
        row = lineage.filter((pl.col("uscc") == uscc(1)) & (pl.col("field") == "tax")).row(0, named=True)
        assert (row["file"], row["sheet"], row["row"], row["column"], row["department"]) == (
            "税务局.csv",
            None,
            2,
            "实缴税金(元)",
            "税务局",
        )
        assert lineage.filter(pl.col("field") == "employees")["file"].unique().to_list() == ["统计局.xlsx"]
        assert lineage.group_by("uscc", "field").len()["len"].max() == 1

    def test_the_name_as_first_given_is_kept(self, tax_and_stats: tuple[Path, Path]) -> None:
        frame = read_sources(list(tax_and_stats)).frame
        assert frame.filter(pl.col("uscc") == uscc(1))["name"].item() == "江西鑫通機械有限公司"


class TestExplicitPriority:
    def test_a_department_list_overrides_the_default(self, tax_and_stats: tuple[Path, Path]) -> None:
        result = read_sources(list(tax_and_stats), priority=["统计局"])
        assert result.frame.filter(pl.col("uscc") == uscc(1))["tax"].item() == 160.0
        rule = result.conflicts.filter(pl.col("field") == "tax")["rule"].item()
        assert rule == "按指定的来源优先级：统计局"

    def test_file_names_work_too(self, tax_and_stats: tuple[Path, Path]) -> None:
        result = read_sources(list(tax_and_stats), priority=["统计局.xlsx", "税务局.csv"])
        assert result.frame.filter(pl.col("uscc") == uscc(1))["tax"].item() == 160.0


def test_a_missing_value_in_the_preferred_source_is_filled_without_conflict(tmp_path: Path) -> None:
    land = write_csv(tmp_path / "land.csv", [["统一社会信用代码", "用地面积(亩)"], [uscc(1), ""], [uscc(2), "7"]])
    other = write_csv(tmp_path / "other.csv", [["统一社会信用代码", "用地面积(平方米)"], [uscc(1), "10000"]])
    result = read_sources([land, other])
    assert result.frame.sort("uscc")["land_area_mu"].to_list() == pytest.approx([15.0, 7.0])
    assert result.conflicts.height == 0


def test_same_files_in_other_order_give_the_same_chosen_values(tax_and_stats: tuple[Path, Path]) -> None:
    a = read_sources(list(tax_and_stats)).frame.sort("uscc").drop("name")
    b = read_sources(list(reversed(tax_and_stats))).frame.sort("uscc").drop("name")
    assert a.equals(b)


def test_two_sources_of_one_department_fall_back_to_file_order(tmp_path: Path) -> None:
    a = write_csv(tmp_path / "stat_a.csv", [["统一社会信用代码", "工业增加值(万元)"], [uscc(1), "10"]])
    b = write_csv(tmp_path / "stat_b.csv", [["统一社会信用代码", "工业增加值(万元)"], [uscc(1), "12"]])
    result = read_sources([a, b])
    assert result.frame["value_added"].item() == 10.0
    assert result.conflicts["rule"].item() == "优先级相同，取导入时先列出的文件"


def test_different_names_for_one_uscc_are_a_conflict(tmp_path: Path) -> None:
    a = write_csv(tmp_path / "a.csv", [["统一社会信用代码", "企业名称", "营业收入(万元)"], [uscc(1), "甲公司", "1"]])
    b = write_csv(tmp_path / "b.csv", [["统一社会信用代码", "企业名称", "营业收入(万元)"], [uscc(1), "乙公司", "1"]])
    conflicts = read_sources([a, b]).conflicts
    assert conflicts.select("field", "chosen_value", "other_value").rows() == [("name", "甲公司", "乙公司")]


def test_flag_columns_only_where_some_source_has_them(tmp_path: Path) -> None:
    a = write_csv(tmp_path / "sci.csv", [["统一社会信用代码", "高新技术企业", "研发费用(万元)"], [uscc(1), "是", "3"]])
    b = write_csv(tmp_path / "tax.csv", [["统一社会信用代码", "实缴税金(万元)"], [uscc(2), "4"]])
    frame = read_sources([a, b]).frame.sort("uscc")
    assert frame.columns == ["uscc", "name", "tax", "rd_expense", "high_tech"]
    assert frame["high_tech"].to_list() == [True, None]
    assert frame["name"].to_list() == [None, None]
    assert "listed" not in frame.columns and "above_scale" not in frame.columns


def test_the_same_file_twice_is_refused(tmp_path: Path) -> None:
    a = write_csv(tmp_path / "a.csv", [["统一社会信用代码", "营业收入(万元)"], [uscc(1), "1"]])
    assert one_problem(problems_of(lambda: read_sources([a, a])), "导入了两次").file == "a.csv"
