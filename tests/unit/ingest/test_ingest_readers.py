"""Formats, encodings, sheets and files that cannot be read."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from ingest_asserts import one_problem, problems_of
from ingest_builders import uscc, write_csv, write_ods, write_xlsx

from zonehero.core.ingest import read_source, read_sources

FILES = Path(__file__).parent / "files"

HEADER = ["统一社会信用代码", "企业名称", "用地面积(亩)", "实缴税金(万元)"]
ROWS = [[uscc(1), "甲公司", "12.5", "30"], [uscc(2), "乙公司", "8", "-1.5"]]


class TestCsvEncodings:
    @pytest.mark.parametrize(("encoding", "detected"), [("utf-8", "utf-8"), ("utf-8-sig", "utf-8"), ("gbk", "gb18030")])
    def test_common_encodings_are_detected(self, tmp_path: Path, encoding: str, detected: str) -> None:
        path = write_csv(tmp_path / "land.csv", [HEADER, *ROWS], encoding)
        result = read_source(path)
        assert result.info.encoding == detected
        assert result.frame["name"].to_list() == ["甲公司", "乙公司"]
        assert result.frame["land_area_mu"].to_list() == [12.5, 8.0]

    def test_gb18030_characters_beyond_gbk(self, tmp_path: Path) -> None:
        path = write_csv(tmp_path / "x.csv", [HEADER, [uscc(1), "䶮𠀀科技有限公司", "1", "1"]], "gb18030")
        assert read_source(path).frame["name"].to_list() == ["䶮𠀀科技有限公司"]

    def test_a_bom_does_not_spoil_the_first_header(self, tmp_path: Path) -> None:
        path = write_csv(tmp_path / "x.csv", [HEADER, *ROWS], "utf-8-sig")
        assert read_source(path).info.columns[0].field == "uscc"

    @pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le"])
    def test_utf16_is_refused_naming_the_file(self, tmp_path: Path, encoding: str) -> None:
        path = write_csv(tmp_path / "tax.csv", [HEADER, *ROWS], encoding)
        problem = one_problem(problems_of(lambda: read_sources([path])), "无法识别文件编码")
        assert problem.file == "tax.csv"
        assert "tax.csv" in str(problem)

    def test_random_bytes_are_refused(self, tmp_path: Path) -> None:
        path = tmp_path / "junk.csv"
        path.write_bytes(bytes(range(128, 256)) * 20)
        problem = one_problem(problems_of(lambda: read_source(path)), "无法识别文件编码")
        assert problem.file == "junk.csv"

    def test_tab_separated_text_with_csv_name(self, tmp_path: Path) -> None:
        path = tmp_path / "x.csv"
        path.write_text("\n".join("\t".join(r) for r in [HEADER, *ROWS]), encoding="utf-8")
        assert read_source(path).frame.height == 2


class TestEmptyAndOversized:
    def test_zero_bytes(self, tmp_path: Path) -> None:
        path = tmp_path / "empty.csv"
        path.write_bytes(b"")
        assert one_problem(problems_of(lambda: read_source(path)), "文件为空").file == "empty.csv"

    def test_header_only(self, tmp_path: Path) -> None:
        path = write_csv(tmp_path / "h.csv", [["2025年数据"], HEADER])
        problem = one_problem(problems_of(lambda: read_source(path)), "没有数据行")
        assert problem.row == 2

    def test_header_only_xlsx(self, tmp_path: Path) -> None:
        path = write_xlsx(tmp_path / "h.xlsx", {"Sheet1": [HEADER]})
        assert one_problem(problems_of(lambda: read_source(path)), "没有数据行").sheet == "Sheet1"

    def test_a_50_mb_file_is_refused_before_reading(self, tmp_path: Path) -> None:
        path = tmp_path / "big.xlsx"
        with path.open("wb") as fh:  # sparse: no 50 MB actually written, and never read
            fh.truncate(50 * 1024 * 1024)
        problem = one_problem(problems_of(lambda: read_sources([path])), "超过上限 30 MB")
        assert "50.0 MB" in problem.message and problem.file == "big.xlsx"

    def test_the_limit_is_configurable(self, tmp_path: Path) -> None:
        path = write_csv(tmp_path / "x.csv", [HEADER, *ROWS])
        problems_of(lambda: read_sources([path], max_bytes=100))
        assert read_sources([path], max_bytes=10_000).frame.height == 2

    def test_unsupported_extension(self, tmp_path: Path) -> None:
        path = tmp_path / "x.docx"
        path.write_bytes(b"PK\x03\x04")
        assert one_problem(problems_of(lambda: read_source(path)), "不支持的文件类型").file == "x.docx"


class TestFakeWorkbooks:
    def test_an_xlsx_that_is_a_zip_of_something_else(self, tmp_path: Path) -> None:
        path = tmp_path / "photos.xlsx"
        with zipfile.ZipFile(path, "w") as zf:
            zf.writestr("holiday.txt", "not a workbook")
        problem = one_problem(problems_of(lambda: read_sources([path])), "无法打开工作簿")
        assert problem.file == "photos.xlsx"

    def test_an_xlsx_that_is_plain_text(self, tmp_path: Path) -> None:
        path = tmp_path / "renamed.xlsx"
        path.write_text("统一社会信用代码,企业名称\n", encoding="utf-8")
        problem = one_problem(problems_of(lambda: read_source(path)), "不是 Excel/ODS 工作簿")
        assert "纯文本" in problem.message


class TestWorkbookFormats:
    def test_ods(self, tmp_path: Path) -> None:
        path = write_ods(tmp_path / "stats.ods", {"Sheet1": [["标题"], HEADER, [uscc(1), "甲公司", 3.5, 2.0]]})
        result = read_source(path)
        assert result.info.header_row == 2
        assert result.frame["land_area_mu"].to_list() == [3.5]

    def test_xls_with_merged_title_unit_in_header_and_total_row(self) -> None:
        # files/tax_2025.xls: made with xlwt 1.3.0 (title merged A1:D1, header on row 2,
        # 入库税收（元）, 合计 on row 5); kept as a binary fixture since no writer is a dependency.
        result = read_source(FILES / "tax_2025.xls")
        assert result.info.sheet == "税务数据"
        assert result.info.department == "税务局"
        assert result.info.header_row == 2
        assert result.frame["tax"].to_list() == pytest.approx([123.45, -0.5])
        assert [(s.row, s.reason) for s in result.info.skipped] == [(5, "合计/小计行")]


class TestSheets:
    def test_the_first_sheet_with_a_header_is_chosen(self, tmp_path: Path) -> None:
        path = write_xlsx(
            tmp_path / "x.xlsx",
            {"填报说明": [["请按要求填写"], ["单位：万元"]], "数据": [HEADER, *ROWS], "备用": [HEADER, ROWS[0]]},
        )
        result = read_source(path)
        assert result.info.sheet == "数据" and result.frame.height == 2

    def test_a_sheet_chosen_by_name(self, tmp_path: Path) -> None:
        path = write_xlsx(tmp_path / "x.xlsx", {"2024": [HEADER, ROWS[0]], "2025": [HEADER, *ROWS]})
        assert read_source(path, sheet="2025").frame.height == 2
        assert read_sources([path], sheet="2024").frame.height == 1

    def test_a_missing_sheet_name_lists_the_sheets(self, tmp_path: Path) -> None:
        path = write_xlsx(tmp_path / "x.xlsx", {"2024": [HEADER, ROWS[0]]})
        problem = one_problem(problems_of(lambda: read_source(path, sheet="2025")), "没有名为「2025」的工作表")
        assert "2024" in problem.message

    def test_a_sheet_with_only_a_title(self, tmp_path: Path) -> None:
        title = [["2025年度规上工业企业亩均效益评价数据表"]]
        path = write_xlsx(tmp_path / "title.xlsx", {"Sheet1": title}, {"Sheet1": [(0, 0, 0, 6)]})
        problem = one_problem(problems_of(lambda: read_source(path)), "未找到表头")
        assert problem.file == "title.xlsx" and problem.sheet == "Sheet1"


def test_a_folder_is_refused_with_a_message_that_says_so(tmp_path: Path) -> None:
    folder = tmp_path / "input"
    folder.mkdir()
    write_csv(folder / "land.csv", [HEADER, *ROWS], "utf-8")
    problem = one_problem(problems_of(lambda: read_sources([folder])), "这是一个文件夹")
    assert problem.file is not None and problem.file.endswith("input")


@pytest.mark.parametrize("where", ["from_path", "to_python"])
def test_running_out_of_memory_is_not_called_a_broken_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    """A MemoryError is the parse child's memory limit at work; it must reach the child, not become 文件已损坏."""
    import python_calamine

    path = write_xlsx(tmp_path / "税务局.xlsx", {"纳税": [["统一社会信用代码", "实缴税金"], [uscc(1), 1.0]]})

    def exhausted(*_args: object, **_kwargs: object) -> None:
        raise MemoryError

    target = python_calamine.CalamineWorkbook if where == "from_path" else python_calamine.CalamineSheet
    monkeypatch.setattr(target, where, exhausted)
    with pytest.raises(MemoryError):
        read_source(path)
