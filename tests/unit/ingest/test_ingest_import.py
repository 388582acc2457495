"""Whole files through ``read_sources``: the messy cases that must work and the bad ones that must not."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from ingest_asserts import one_problem, problems_of
from ingest_builders import uscc, write_csv, write_xlsx

from zonehero.core.ingest import read_source, read_sources


class TestGbkCsvWithTitleAndTotal:
    def test_it_reads_the_enterprises_and_skips_title_blank_and_total_rows(self, tmp_path: Path) -> None:
        path = write_csv(
            tmp_path / "2025税务局入库税收.csv",
            [
                ["2025年度规上工业企业亩均效益评价数据表", "", ""],
                ["统一社会信用代码", "纳税人名称", "实缴税金（万元）"],
                [uscc(1), "江西鑫通机械有限公司", "1,234.5"],
                ["", "", ""],
                [uscc(2).lower(), "南昌乙公司", "—"],
                ["合计", "", "1,234.5"],
                ["注：数据来源于金税系统", "", ""],
            ],
            encoding="gbk",
        )
        result = read_sources([path])
        frame = result.frame
        assert frame.columns == ["uscc", "name", "tax"]
        assert frame["uscc"].to_list() == [uscc(1), uscc(2)]
        assert frame["tax"].to_list() == [1234.5, None]
        info = result.sources[0]
        assert (info.department, info.header_row, info.data_rows, info.encoding) == ("税务局", 2, 2, "gb18030")
        assert [(s.row, s.reason) for s in info.skipped] == [(4, "空行"), (6, "合计/小计行"), (7, "表尾说明")]
        lineage = result.lineage.filter(pl.col("field") == "tax")
        assert lineage.row(0, named=True) == {
            "uscc": uscc(1),
            "field": "tax",
            "value": "1234.5",
            "file": "2025税务局入库税收.csv",
            "sheet": None,
            "row": 3,
            "column": "实缴税金（万元）",
            "department": "税务局",
        }


class TestXlsxWithTitleMergedCellsAndUnitsRow:
    def test_it_converts_units_and_counts_rows_like_the_spreadsheet(self, tmp_path: Path) -> None:
        rows = [
            ["2025年度规上工业企业亩均效益评价数据表", None, None, None, None, None],
            ["填报单位：XX高新区管委会", None, None, None, None, None],
            ["统一社会信用代码", "企业名称", "用地面积", "营业收入", "用电量", "高新技术企业"],
            [None, None, "平方米", "元", "kWh", None],
            [uscc(1), "甲公司", 10000 / 15 * 30, 25_000_000, 1_200_000, "是"],
            [uscc(2), "乙公司", "6,666.67", "8,000,000", "350,000", ""],
            ["合计", None, None, 33_000_000, None, None],
        ]
        path = write_xlsx(tmp_path / "自然资源局用地.xlsx", {"表1": rows}, {"表1": [(0, 0, 0, 5), (1, 0, 1, 5)]})
        result = read_sources([path])
        frame = result.frame
        assert frame["land_area_mu"].to_list() == pytest.approx([30.0, 10.0], rel=1e-6)
        assert frame["revenue"].to_list() == pytest.approx([2500.0, 800.0])
        assert frame["electricity_10k_kwh"].to_list() == pytest.approx([120.0, 35.0])
        assert frame["high_tech"].to_list() == [True, False]
        info = result.sources[0]
        assert (info.sheet, info.header_row, info.units_row) == ("表1", 3, 4)
        assert info.mapping["用地面积"] == ("land_area_mu", pytest.approx(15 / 10000))
        assert result.lineage.filter((pl.col("uscc") == uscc(2)) & (pl.col("field") == "revenue"))["row"].to_list() == [
            6
        ]


def test_dtypes_of_the_canonical_frame(tmp_path: Path) -> None:
    header = ["统一社会信用代码", "企业名称", "行业代码", "规上企业", "营业收入(万元)", "专精特新等级", "投产年份"]
    path = write_csv(tmp_path / "x.csv", [header, [uscc(1), "甲", "c3985", "是", "1", "小巨人", "2019年"]])
    frame = read_sources([path]).frame
    assert frame.schema == pl.Schema(
        {
            "uscc": pl.String,
            "name": pl.String,
            "industry_code": pl.String,
            "above_scale": pl.Boolean,
            "revenue": pl.Float64,
            "zjtx_level": pl.String,
            "production_start_year": pl.Int32,
        }
    )
    assert frame.row(0) == (uscc(1), "甲", "C3985", True, 1.0, "national", 2019)


class TestBadCells:
    HEADER = ("统一社会信用代码", "企业名称", "用地面积(亩)", "营业收入(万元)")

    def _file(self, tmp_path: Path, *rows: list[object]) -> Path:
        return write_xlsx(tmp_path / "land.xlsx", {"Sheet1": [["2025 用地台账"], list(self.HEADER), *rows]})

    def test_a_negative_land_area(self, tmp_path: Path) -> None:
        path = self._file(tmp_path, [uscc(1), "甲", 5, 1], [uscc(2), "乙", -3, 1])
        problem = one_problem(problems_of(lambda: read_sources([path])), "为负数")
        assert (problem.file, problem.sheet, problem.row, problem.column) == ("land.xlsx", "Sheet1", 4, "用地面积(亩)")

    def test_a_duplicate_uscc_names_both_rows(self, tmp_path: Path) -> None:
        path = self._file(tmp_path, [uscc(1), "甲", 5, 1], [uscc(2), "乙", 3, 1], [uscc(1).lower(), "甲", 5, 1])
        problem = one_problem(problems_of(lambda: read_sources([path])), "重复出现")
        assert (problem.row, problem.column) == (5, "统一社会信用代码")
        assert "第 3、5 行" in problem.message

    def test_an_invalid_check_digit(self, tmp_path: Path) -> None:
        bad = uscc(2)[:17] + ("0" if uscc(2)[17] != "0" else "1")
        path = self._file(tmp_path, [uscc(1), "甲", 5, 1], [bad, "乙", 3, 1])
        problem = one_problem(problems_of(lambda: read_sources([path])), "校验位错误")
        assert (problem.file, problem.row, problem.column) == ("land.xlsx", 4, "统一社会信用代码")

    def test_an_old_licence_number(self, tmp_path: Path) -> None:
        path = self._file(tmp_path, ["360100000012345", "甲", 5, 1])
        assert one_problem(problems_of(lambda: read_source(path)), "15位旧营业执照注册号").row == 3

    def test_text_in_a_number_column(self, tmp_path: Path) -> None:
        path = self._file(tmp_path, [uscc(1), "甲", 5, "约一千万"])
        problem = one_problem(problems_of(lambda: read_sources([path])), "不是数字")
        assert (problem.row, problem.column) == (3, "营业收入(万元)")
        assert "「约一千万」" in problem.message

    def test_a_row_without_uscc(self, tmp_path: Path) -> None:
        path = self._file(tmp_path, [uscc(1), "甲", 5, 1], [None, "乙", 3, 1])
        assert one_problem(problems_of(lambda: read_sources([path])), "缺少统一社会信用代码").row == 4

    def test_every_problem_is_reported_at_once(self, tmp_path: Path) -> None:
        path = self._file(tmp_path, [uscc(1), "甲", -5, "x"], [uscc(1), "乙", "abc", 1], ["123", "丙", 1, 1])
        problems = problems_of(lambda: read_sources([path]))
        assert sorted((p.row, p.column) for p in problems) == [
            (3, "用地面积(亩)"),
            (3, "营业收入(万元)"),
            (4, "用地面积(亩)"),
            (4, "统一社会信用代码"),
            (5, "统一社会信用代码"),
        ]


def test_all_or_nothing_across_files(tmp_path: Path) -> None:
    good = write_csv(tmp_path / "tax.csv", [["统一社会信用代码", "实缴税金(万元)"], [uscc(1), "3"]])
    bad = write_csv(tmp_path / "land.csv", [["统一社会信用代码", "用地面积(亩)"], [uscc(1), "-3"]])
    broken = tmp_path / "power.xlsx"
    broken.write_text("not a workbook", encoding="utf-8")
    problems = problems_of(lambda: read_sources([good, bad, broken]))
    assert sorted(p.file for p in problems if p.file) == ["land.csv", "power.xlsx"]
    assert read_sources([good]).frame.height == 1


def test_a_hundred_thousand_rows_parse(tmp_path: Path) -> None:
    header = [
        "统一社会信用代码",
        "企业名称",
        "用地面积(平方米)",
        "营业收入(元)",
        "实缴税金(万元)",
        "用电量(kWh)",
        "规上企业",
    ]
    lines = [",".join(header)]
    lines += [f'{uscc(i)},企业{i},{i % 9000 + 100},"{i * 1000:,}",{i % 500}.5,{i * 10},是' for i in range(100_000)]
    path = tmp_path / "big.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    result = read_sources([path])  # its speed is measured in benchmarks/bench_cli.py, not here
    assert result.frame.height == 100_000
    assert result.frame["revenue"][7] == pytest.approx(0.7)
    assert result.frame["land_area_mu"][0] == pytest.approx(100 / 666.6666666666666)


def test_a_dash_in_the_uscc_column_is_a_missing_code(tmp_path: Path) -> None:
    import datetime as dt

    import xlsxwriter

    path = tmp_path / "dates.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("S")
    date_format = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws.write_row(0, 0, ["统一社会信用代码", "投产年份", "营业收入(万元)"])
    ws.write(1, 0, uscc(1))
    ws.write_datetime(1, 1, dt.datetime(2016, 7, 1), date_format)
    ws.write(1, 2, 3)
    ws.write_row(2, 0, ["—", "", 4])
    wb.close()
    problem = one_problem(problems_of(lambda: read_source(path)), "缺少统一社会信用代码")
    assert problem.row == 3


def test_a_dated_cell_reads_as_its_year(tmp_path: Path) -> None:
    import datetime as dt

    import xlsxwriter

    path = tmp_path / "dates.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("S")
    ws.write_row(0, 0, ["统一社会信用代码", "投产时间", "营业收入(万元)"])
    ws.write(1, 0, uscc(1))
    ws.write_datetime(1, 1, dt.datetime(2016, 7, 1), wb.add_format({"num_format": "yyyy-mm-dd"}))
    ws.write(1, 2, 3)
    wb.close()
    result = read_source(path)
    assert result.frame["production_start_year"].to_list() == [2016]
    lineage = result.lineage
    assert lineage.columns == ["uscc", "field", "value", "file", "sheet", "row", "column", "department"]
    assert lineage.filter(pl.col("field") == "production_start_year").row(0) == (
        uscc(1),
        "production_start_year",
        "2016",
        "dates.xlsx",
        "S",
        2,
        "投产时间",
        "其他",
    )
