"""Header matching, units in headers and in a units row, header typos."""

from __future__ import annotations

from pathlib import Path

import pytest
from ingest_asserts import one_problem, problems_of
from ingest_builders import uscc, write_csv, write_xlsx

from zonehero.core.domain.units import MU_PER_SQUARE_METRE
from zonehero.core.ingest import read_source
from zonehero.core.ingest.headers import detect_layout, match_header


@pytest.mark.parametrize(
    ("header", "key", "unit"),
    [
        ("统一社会信用代码", "uscc", None),
        ("社会信用代码", "uscc", None),
        ("纳税人识别号", "uscc", None),
        ("企业（单位）名称", "name", None),
        ("纳税人名称", "name", None),
        ("所属行业代码", "industry_code", None),
        ("用地面积（亩）", "land_area_mu", "亩"),
        ("占地面积 (平方米)", "land_area_mu", "平方米"),
        ("用地面积(㎡)", "land_area_mu", "m2"),  # NFKC writes ㎡ as m2
        ("营业收入(亿元)", "revenue", "亿元"),
        ("税收实际贡献(万元)", "tax", "万元"),
        ("ＲＤ", None, None),
        ("R&D经费支出(万元)", "rd_expense", "万元"),
        ("从业人员平均人数", "employees", None),
        ("综合能耗(万吨标准煤)", "energy_tce", "万吨标准煤"),
        ("用电量(万kWh)", "electricity_10k_kwh", "万kwh"),
        ("天然气(立方米)", "natural_gas_10k_m3", "立方米"),
        ("液化石油气(吨)", "lpg_t", "吨"),
        ("热力(GJ)", "heat_gj", "gj"),
        ("是否规上", "above_scale", None),
        ("专精特新等级", "zjtx_level", None),
        ("较大及以上安全生产事故", "major_safety_accident", None),
        ("投产年份", "production_start_year", None),
        ("revenue", "revenue", None),
        ("备注", None, None),
    ],
)
def test_headers_of_the_spec_match(header: str, key: str | None, unit: str | None) -> None:
    m = match_header(header)
    assert (m.field if m else None) == key
    if m:
        assert m.unit == unit


@pytest.mark.parametrize(
    ("header", "field", "factor"),
    [
        ("营业收入(元)", "revenue", 1e-4),
        ("用地面积(平方米)", "land_area_mu", MU_PER_SQUARE_METRE),
        ("用电量(kWh)", "electricity_10k_kwh", 1e-4),
        ("综合能耗(万吨标准煤)", "energy_tce", 1e4),
        ("天然气(立方米)", "natural_gas_10k_m3", 1e-4),
        ("热力(百万千焦)", "heat_gj", 1.0),
    ],
)
def test_units_in_headers_give_the_factor(header: str, field: str, factor: float) -> None:
    layout = detect_layout([["统一社会信用代码", header], [uscc(1), "1"]])
    assert layout is not None
    mapping = layout.column_for(field)
    assert mapping is not None and mapping.factor == pytest.approx(factor)


def test_the_header_is_found_below_title_rows() -> None:
    header = ["统一社会信用代码", "企业名称", "营业收入(万元)"]
    rows = [["2025年度亩均效益评价"], ["填报单位：高新区"], ["", ""], header]
    layout = detect_layout(rows)
    assert layout is not None and layout.header_row == 3


def test_a_two_row_header_with_vertically_merged_cells() -> None:
    rows = [
        ["统一社会信用代码", "企业名称", "能源消费", ""],
        ["", "", "用电量(万千瓦时)", "综合能耗(吨标准煤)"],
        [uscc(1), "甲", 1, 2],
    ]
    layout = detect_layout(rows, [((0, 0), (1, 0)), ((0, 1), (1, 1)), ((0, 2), (0, 3))])
    assert layout is not None and layout.header_row == 1
    assert [c.field for c in layout.columns] == ["uscc", "name", "electricity_10k_kwh", "energy_tce"]


class TestUnitsRow:
    def test_a_units_row_under_the_header_is_applied_and_skipped(self, tmp_path: Path) -> None:
        path = write_csv(
            tmp_path / "land.csv",
            [
                ["统一社会信用代码", "企业名称", "用地面积", "营业收入", "年平均职工人数"],
                ["", "", "平方米", "元", "人"],
                [uscc(1), "甲公司", "6,666.67", "12,000,000", "35"],
            ],
        )
        result = read_source(path)
        assert result.info.units_row == 2
        assert result.frame["land_area_mu"].to_list() == pytest.approx([10.0], rel=1e-6)
        assert result.frame["revenue"].to_list() == pytest.approx([1200.0])
        assert result.rows.to_list() == [3]

    def test_an_unknown_unit_in_the_units_row(self, tmp_path: Path) -> None:
        path = write_csv(
            tmp_path / "x.csv",
            [["统一社会信用代码", "用地面积", "营业收入"], ["", "平方公里", "万元"], [uscc(1), "1", "2"]],
        )
        problem = one_problem(problems_of(lambda: read_source(path)), "未知单位「平方公里」")
        assert (problem.file, problem.row, problem.column) == ("x.csv", 2, "用地面积")


class TestUnknownUnit:
    def test_an_unknown_unit_in_a_header_names_file_row_and_column(self, tmp_path: Path) -> None:
        path = write_xlsx(
            tmp_path / "stats.xlsx",
            {"S": [["标题"], ["统一社会信用代码", "营业收入(美元)", "实缴税金(万元)"], [uscc(1), 1, 2]]},
        )
        problem = one_problem(problems_of(lambda: read_source(path)), "未知单位「美元」")
        assert (problem.file, problem.sheet, problem.row, problem.column) == ("stats.xlsx", "S", 2, "营业收入(美元)")
        assert "万元" in problem.message  # lists what is accepted


class TestHeaderTypos:
    def test_an_unknown_column_is_a_warning_with_a_suggestion(self, tmp_path: Path) -> None:
        path = write_csv(
            tmp_path / "x.csv",
            [["统一社会信用代码", "营业收人(万元)", "实缴税金(万元)", "联系人"], [uscc(1), "1", "2", "张三"]],
        )
        result = read_source(path)
        assert "revenue" not in result.frame.columns
        assert any("营业收人(万元)" in w and "是否应为「营业收入(万元)」" in w for w in result.warnings)
        assert any("联系人" in w and "是否应为" not in w for w in result.warnings)
        assert result.info.ignored_columns == ["营业收人(万元)", "联系人"]

    def test_a_file_whose_only_figure_header_has_a_typo_is_an_error(self, tmp_path: Path) -> None:
        path = write_csv(tmp_path / "x.csv", [["统一社会信用代码", "企业名称", "营业收人(万元)"], [uscc(1), "甲", "1"]])
        problem = one_problem(problems_of(lambda: read_source(path)), "没有识别出任何数据列")
        assert problem.row == 1 and "营业收入" in problem.message

    def test_a_typo_in_the_uscc_header(self, tmp_path: Path) -> None:
        path = write_csv(tmp_path / "x.csv", [["标题"], ["统一社会信用代吗", "营业收入(万元)"], ["x", "1"]])
        problem = one_problem(problems_of(lambda: read_source(path)), "是否应为「统一社会信用代码」")
        assert (problem.file, problem.row, problem.column) == ("x.csv", 2, "统一社会信用代吗")

    def test_two_columns_for_one_field_keep_the_first_and_say_so(self, tmp_path: Path) -> None:
        path = write_csv(
            tmp_path / "x.csv", [["统一社会信用代码", "营业收入(万元)", "主营业务收入(万元)"], [uscc(1), "1", "2"]]
        )
        result = read_source(path)
        assert result.frame["revenue"].to_list() == [1.0]
        assert any("主营业务收入(万元)" in w for w in result.warnings)


def test_a_header_without_a_unit_is_read_in_the_canonical_unit_with_a_warning(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "x.csv", [["统一社会信用代码", "营业收入"], [uscc(1), "5"]])
    result = read_source(path)
    assert result.frame["revenue"].to_list() == [5.0]
    assert any("未注明单位" in w and "万元" in w for w in result.warnings)
