"""One reader for every registry: the enterprise fields, the projects, progress, and a registry declared here.

What a file may hold (title rows, a units row, 合计 rows, aliases, NUL or UTF-16 text) is read the same whatever
the registry, and a word (是/否/无/-/合计) means the same in every importer and in a hand-typed correction.
"""

from __future__ import annotations

import typing
from datetime import date
from pathlib import Path

import pytest
from ingest_asserts import problems_of
from ingest_builders import uscc, write_csv, write_xlsx

from zonehero.core.domain.fields import ENTERPRISE_REGISTRY, FIELDS_BY_KEY
from zonehero.core.domain.registry import Column, Registry, ValueType
from zonehero.core.domain.vocabulary import MISSING_TOKENS, TOTAL_WORDS
from zonehero.core.ingest import read_source
from zonehero.core.ingest.table import read_table
from zonehero.core.ingest.values import parse_column
from zonehero.core.schedule.importer import PROGRESS_REGISTRY, PROJECT_REGISTRY, read_progress, read_projects
from zonehero.errors import InputError
from zonehero.features.enterprises.values import to_columns

PARCELS = Registry(
    "地块表",
    (
        Column("parcel_no", "地块编号", "text", aliases=("宗地编号",), required=True),
        Column("area_mu", "出让面积", "number", "area_mu", aliases=("面积",), nonnegative=True),
        Column("listed_on", "挂牌日期", "date", aliases=("挂牌时间",)),
        Column("serviced", "是否净地", "bool", aliases=("净地",)),
        Column("share", "容积率达标比例", "percent"),
    ),
    anchor="parcel_no",
    identity=("parcel_no",),
)
"""A third registry, as the land importer will declare it: columns and an anchor, nothing else."""


class TestAThirdRegistryIsColumnsOnly:
    def test_title_units_and_total_rows_aliases_units_and_types(self, tmp_path: Path) -> None:
        path = write_csv(
            tmp_path / "地块.csv",
            [
                ["2025 年供地计划"],
                ["宗地编号", "面积", "挂牌时间", "净地", "容积率达标比例", "备用"],
                ["", "平方米", "", "", "", ""],
                ["DK-01", "6,666.67", "2025年3月1日", "是", "80%", "x"],
                ["DK-02", "-", "", "无", "", ""],
                ["合计", "6666.67", "", "", "", ""],
            ],
            encoding="gbk",
        )
        table = read_table(path, PARCELS)
        assert table.problems == []
        assert [(s.row, s.reason) for s in table.skipped] == [(3, "单位行"), (6, "合计/小计行")]
        records = dict(table.records())
        assert records[4] == {
            "parcel_no": "DK-01",
            "area_mu": pytest.approx(10.0, rel=1e-4),
            "listed_on": date(2025, 3, 1),
            "serviced": True,
            "share": 80.0,
        }
        assert records[5] == {
            "parcel_no": "DK-02",
            "area_mu": None,
            "listed_on": None,
            "serviced": False,
            "share": None,
        }
        assert any("备用" in w for w in table.warnings)

    def test_every_bad_cell_is_located_together_in_chinese(self, tmp_path: Path) -> None:
        path = write_xlsx(
            tmp_path / "地块.xlsx",
            {
                "地块": [
                    ["地块编号", "出让面积(公顷)", "挂牌日期", "是否净地", "容积率达标比例"],
                    ["DK-01", "十亩", "下个月", "也许", "120"],
                    ["", "3", "", "", ""],
                    ["DK-03", -1, "2025-02-30", "", ""],
                ]
            },
        )
        table = read_table(path, PARCELS)
        located = sorted((p.file, p.sheet, p.row, p.column) for p in table.problems)
        assert located == sorted(
            [
                ("地块.xlsx", "地块", 2, "出让面积(公顷)"),
                ("地块.xlsx", "地块", 2, "挂牌日期"),
                ("地块.xlsx", "地块", 2, "是否净地"),
                ("地块.xlsx", "地块", 2, "容积率达标比例"),
                ("地块.xlsx", "地块", 3, "地块编号"),  # a row without its anchor
                ("地块.xlsx", "地块", 4, "出让面积(公顷)"),
                ("地块.xlsx", "地块", 4, "挂牌日期"),
            ]
        )
        messages = [p.message for p in table.problems]
        assert "缺少地块编号" in messages
        assert all(any("\u4e00" <= ch <= "\u9fff" for ch in m) for m in messages)

    def test_a_file_without_the_anchor_column_is_refused_naming_it(self, tmp_path: Path) -> None:
        path = write_csv(tmp_path / "地块.csv", [["面积", "挂牌日期"], ["1", "2025-01-01"]])
        [problem] = problems_of(lambda: read_table(path, PARCELS))
        assert problem.file == "地块.csv" and "未找到表头" in problem.message and "「地块编号」" in problem.message


def test_every_value_type_has_a_parser() -> None:
    for value_type in typing.get_args(ValueType):
        values, problems = parse_column(["", None], Column("x", "某列", value_type))
        assert len(values) == 2 and problems == []


def test_a_registry_in_which_one_header_names_two_columns_is_refused() -> None:
    with pytest.raises(ValueError, match="编号"):
        Registry("坏表", (Column("a", "编号", "text"), Column("b", "代码", "text", aliases=("编号",))), anchor="a")


@pytest.mark.parametrize("registry", [ENTERPRISE_REGISTRY, PROJECT_REGISTRY, PROGRESS_REGISTRY])
def test_the_registries_are_of_one_kind(registry: Registry) -> None:
    assert all(isinstance(c, Column) for c in registry.columns)
    assert registry.anchor_column in registry.required


PROJECT_ROW = ["XM001", "项目一", "电子信息", "1.5"]


def _project_file(tmp_path: Path, rows: list[list[str]]) -> Path:
    return write_csv(tmp_path / "项目库.csv", [["项目编号", "项目名称", "产业链", "总投资(亿元)"], *rows])


def _enterprise_file(tmp_path: Path, rows: list[list[str]]) -> Path:
    return write_csv(tmp_path / "税务.csv", [["统一社会信用代码", "企业名称", "实缴税金(万元)"], *rows])


TOTAL_SPELLINGS = [*TOTAL_WORDS, "合计：", "小计:", "Ｔｏｔａｌ", " 合 计 ", "SUBTOTAL"]


@pytest.mark.parametrize("word", TOTAL_SPELLINGS)
def test_every_total_row_word_is_skipped_by_the_project_and_the_enterprise_importer(tmp_path: Path, word: str) -> None:
    projects = read_projects(_project_file(tmp_path, [PROJECT_ROW, [word, "", "", "1.5"]]))
    assert [p.code for p in projects] == ["XM001"]
    enterprises = read_source(_enterprise_file(tmp_path, [[uscc(1), "甲", "1"], [word, "", "1"]]))
    assert enterprises.frame["uscc"].to_list() == [uscc(1)]
    assert [s.reason for s in enterprises.info.skipped] == ["合计/小计行"]


class TestNulAndUtf16AreRefusedByEveryImporter:
    @pytest.mark.parametrize(
        "read", [read_projects, read_progress, read_source], ids=["projects", "progress", "enterprises"]
    )
    def test_utf16(self, tmp_path: Path, read: typing.Callable[[Path], object]) -> None:
        path = tmp_path / "数据.csv"
        path.write_text("项目编号,项目名称\nXM001,项目一\n", encoding="utf-16")
        [problem] = problems_of(lambda: read(path))
        assert problem.file == "数据.csv" and "UTF-16" in problem.message and "另存为" in problem.message

    @pytest.mark.parametrize(
        "read", [read_projects, read_progress, read_source], ids=["projects", "progress", "enterprises"]
    )
    def test_a_nul_byte(self, tmp_path: Path, read: typing.Callable[[Path], object]) -> None:
        path = tmp_path / "数据.csv"
        path.write_bytes("项目编号,项目名称\nXM001,项目\x00一\n".encode())
        [problem] = problems_of(lambda: read(path))
        assert problem.file == "数据.csv" and "无法识别文件编码" in problem.message


class TestWuIsMissingEverywhere:
    """「无」 and the other missing tokens are no value in every importer and in a correction (decided once)."""

    @pytest.mark.parametrize("token", ["无", "-", "—", "/", "暂无", "N/A", "无 "])
    def test_in_a_project_file(self, tmp_path: Path, token: str) -> None:
        path = write_csv(
            tmp_path / "项目库.csv",
            [
                ["项目编号", "项目名称", "投资方", "总投资(万元)", "计划开工日期", "是否纳统"],
                ["XM001", "项目一", token, token, token, token],
            ],
        )
        [p] = read_projects(path)
        assert (p.investor, p.total_investment, p.construction.planned, p.counted_in_statistics) == (
            None,
            None,
            None,
            False,
        )

    @pytest.mark.parametrize("token", ["无", "-", "暂无"])
    def test_in_a_department_file(self, tmp_path: Path, token: str) -> None:
        path = write_csv(
            tmp_path / "税务.csv",
            [["统一社会信用代码", "企业名称", "实缴税金(万元)", "高新技术企业"], [uscc(1), token, token, token]],
        )
        row = read_source(path).frame.row(0, named=True)
        assert (row["name"], row["tax"], row["high_tech"]) == (None, None, False)

    @pytest.mark.parametrize("token", sorted(MISSING_TOKENS))
    def test_in_a_correction(self, token: str) -> None:
        for key in ("high_tech", "tax", "name"):
            assert to_columns(FIELDS_BY_KEY[key], token) == (None, None)

    def test_yes_and_no_words_are_the_importers_in_a_correction(self) -> None:
        flag = FIELDS_BY_KEY["high_tech"]
        assert [to_columns(flag, w)[0] for w in ("是", "有", "Ｙ", "√", True, 1)] == [1.0] * 6
        assert [to_columns(flag, w)[0] for w in ("否", "N", "×", False, 0)] == [0.0] * 5

    def test_a_correction_reads_numbers_years_and_refusals_as_an_import_does(self) -> None:
        assert to_columns(FIELDS_BY_KEY["tax"], "1,234.5") == (1234.5, None)
        assert to_columns(FIELDS_BY_KEY["employees"], "１２") == (12.0, None)
        assert to_columns(FIELDS_BY_KEY["production_start_year"], "2019年") == (2019.0, None)
        for key, value, words in [
            ("land_area_mu", -1, "不能为负"),
            ("tax", "abc", "不是数字"),
            ("high_tech", "也许", "是/否"),
        ]:
            with pytest.raises(InputError) as caught:
                to_columns(FIELDS_BY_KEY[key], value)
            [problem] = caught.value.problems
            assert problem.column == key and words in problem.message
