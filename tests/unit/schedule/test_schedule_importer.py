"""Reading the project and progress spreadsheets: headers, units, dates, and bad input refused with its place."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import xlsxwriter

from zonehero.core.schedule.importer import read_progress, read_projects
from zonehero.core.schedule.model import Stage
from zonehero.errors import InputError

CHINESE_HEADER = (
    "项目编号,项目名称,投资主体,投资方信用代码,产业链,总投资(亿元),用地（亩）,包挂领导,责任单位,入库日期,"
    "计划签约日期,实际签约日期,计划开工日期,实际开工日期,计划投产日期,实际投产日期,年度计划投资(万元)"
)


def write_csv(tmp_path: Path, lines: list[str], name: str = "projects.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding=encoding)
    return path


def problems_of(err: pytest.ExceptionInfo[InputError]) -> list[tuple[str | None, int | None, str | None, str]]:
    return [(p.file, p.row, p.column, p.message) for p in err.value.problems]


class TestGoodFiles:
    def test_chinese_headers_units_and_every_date_form(self, tmp_path: Path) -> None:
        path = write_csv(
            tmp_path,
            [
                "2025年重点项目库",
                CHINESE_HEADER,
                "XM001,鑫通电子项目,江西鑫通电子有限公司,91350100M000100Y43,电子信息,1.5,120,王建国,招商一局,"
                "2024-11-02,2025/1/15,2025年1月20日,2025-03-01,45717,2026-06-30,,6000",
                "XM002,华瑞新材料项目,,,新 材 料,0.3,-,李红梅,经济发展局,2025.2.1,2025-06-30,,,,,,",
                "合计,,,,,1.8,,,,,,,,,,,",
            ],
            encoding="gbk",
        )
        a, b = read_projects(path)
        assert a.code == "XM001" and a.investor == "江西鑫通电子有限公司"
        assert a.total_investment == pytest.approx(15000)
        assert a.land_mu == 120 and a.year_plan_investment == 6000
        assert a.added_date == date(2024, 11, 2)
        assert a.signing.planned == date(2025, 1, 15) and a.signing.actual == date(2025, 1, 20)
        assert a.construction.actual == date(2025, 3, 1)  # Excel serial 45717
        assert a.production.planned == date(2026, 6, 30) and a.production.actual is None
        assert a.stage is Stage.CONSTRUCTION
        assert b.industry_chain == "新材料" and b.land_mu is None
        assert b.total_investment == pytest.approx(3000)

    def test_a_units_row_under_the_header(self, tmp_path: Path) -> None:
        path = write_csv(tmp_path, ["项目编号,项目名称,总投资,用地", ",,亿元,平方米", "XM001,项目一,1.5,6666.67"])
        [p] = read_projects(path)
        assert p.total_investment == pytest.approx(15000) and p.land_mu == pytest.approx(10.0, rel=1e-4)

    def test_english_headers(self, tmp_path: Path) -> None:
        path = write_csv(
            tmp_path,
            ["code,name,industry_chain,total_investment,planned_start_date", "P1,A,新能源,800,2025-05-01"],
        )
        [p] = read_projects(path)
        assert p.total_investment == 800 and p.construction.planned == date(2025, 5, 1)

    def test_configured_chains(self, tmp_path: Path) -> None:
        path = write_csv(tmp_path, ["code,name,industry_chain", "P1,A,有色金属"])
        assert read_projects(path, chains=("有色金属",))[0].industry_chain == "有色金属"

    def test_xlsx_with_date_cells_and_serials(self, tmp_path: Path) -> None:
        path = tmp_path / "projects.xlsx"
        book = xlsxwriter.Workbook(str(path))
        sheet = book.add_worksheet("项目")
        fmt = book.add_format({"num_format": "yyyy-mm-dd"})
        sheet.write_row(0, 0, ["项目编号", "项目名称", "实际签约日期", "实际开工日期", "总投资(万元)"])
        sheet.write_number(1, 0, 2025001)
        sheet.write_string(1, 1, "项目一")
        sheet.write_datetime(1, 2, date(2025, 2, 1), fmt)
        sheet.write_number(1, 3, 45717)
        sheet.write_number(1, 4, 5000)
        book.close()
        [p] = read_projects(path)
        assert p.code == "2025001"
        assert p.signing.actual == date(2025, 2, 1)
        assert p.construction.actual == date(2025, 3, 1)


class TestBadProjectFiles:
    def test_a_date_that_is_not_a_date(self, tmp_path: Path) -> None:
        path = write_csv(tmp_path, [CHINESE_HEADER, "XM001,项目,,,电子信息,1,,,,,下个月,,,,,,"])
        with pytest.raises(InputError) as err:
            read_projects(path)
        [(file, row, column, message)] = problems_of(err)
        assert (file, row, column) == ("projects.csv", 2, "计划签约日期")
        assert "不是日期" in message

    def test_an_actual_date_before_the_previous_milestones(self, tmp_path: Path) -> None:
        path = write_csv(
            tmp_path,
            [CHINESE_HEADER, "XM001,项目,,,电子信息,1,,,,,,2025-05-01,,2025-04-01,,,"],
        )
        with pytest.raises(InputError) as err:
            read_projects(path)
        [(file, row, column, message)] = problems_of(err)
        assert (file, row, column) == ("projects.csv", 2, "实际开工日期")
        assert "早于" in message

    def test_an_unknown_chain(self, tmp_path: Path) -> None:
        path = write_csv(tmp_path, ["标题行", "", CHINESE_HEADER, "XM001,项目,,,航空航天,1,,,,,,,,,,,"])
        with pytest.raises(InputError) as err:
            read_projects(path)
        [(file, row, column, message)] = problems_of(err)
        assert (file, row, column) == ("projects.csv", 4, "产业链")
        assert "航空航天" in message

    def test_every_problem_is_reported_together(self, tmp_path: Path) -> None:
        path = write_csv(
            tmp_path,
            [
                "项目编号,项目名称,总投资(万元),年度计划投资(万元),实际签约日期,实际投产日期,投资方信用代码",
                "A1,甲,100,,,,",
                "A1,乙,-5,,,,",
                ",丙,,,,,",
                "A3,,,-1,,,",
                "A4,丁,abc,,,2025-01-01,123456789012345678",
            ],
        )
        with pytest.raises(InputError) as err:
            read_projects(path)
        located = {(row, column) for _, row, column, _ in problems_of(err)}
        assert located == {
            (3, "项目编号"),  # duplicate
            (3, "总投资(万元)"),  # negative
            (4, "项目编号"),  # missing
            (5, "项目名称"),  # missing
            (5, "年度计划投资(万元)"),  # negative
            (6, "总投资(万元)"),  # not a number
            (6, "实际投产日期"),  # production without signing and construction
            (6, "投资方信用代码"),  # organisation code check fails
        }
        messages = "\n".join(str(p) for p in err.value.problems)
        assert "与第 2 行重复" in messages

    def test_an_unknown_unit_in_a_header(self, tmp_path: Path) -> None:
        path = write_csv(tmp_path, ["项目编号,项目名称,总投资(美元)", "A,甲,1"])
        with pytest.raises(InputError) as err:
            read_projects(path)
        [(_, row, column, message)] = problems_of(err)
        assert (row, column) == (1, "总投资(美元)") and "美元" in message

    def test_two_headers_for_one_column_are_refused(self, tmp_path: Path) -> None:
        path = write_csv(tmp_path, ["项目编号,项目名称,总投资(万元),计划总投资(亿元)", "A,甲,1,2"])
        with pytest.raises(InputError) as err:
            read_projects(path)
        [(_, row, column, message)] = problems_of(err)
        assert (row, column) == (1, "计划总投资(亿元)") and "总投资(万元)" in message

    def test_a_missing_required_column(self, tmp_path: Path) -> None:
        path = write_csv(tmp_path, ["项目编号,总投资(万元)", "A,1"])
        with pytest.raises(InputError) as err:
            read_projects(path)
        [(_, row, column, message)] = problems_of(err)
        assert (row, column) == (1, None) and "缺少必填列「项目名称」" in message

    def test_no_header(self, tmp_path: Path) -> None:
        path = write_csv(tmp_path, ["a,b,c", "1,2,3"])
        with pytest.raises(InputError, match="未找到表头"):
            read_projects(path)

    def test_missing_file_and_unsupported_type(self, tmp_path: Path) -> None:
        with pytest.raises(InputError, match="文件不存在"):
            read_projects(tmp_path / "nope.csv")
        (tmp_path / "x.pdf").write_bytes(b"%PDF")
        with pytest.raises(InputError, match="不支持的文件类型"):
            read_projects(tmp_path / "x.pdf")

    def test_a_fake_xlsx(self, tmp_path: Path) -> None:
        (tmp_path / "fake.xlsx").write_bytes(b"not a workbook")
        with pytest.raises(InputError, match="不是 Excel/ODS 工作簿"):
            read_projects(tmp_path / "fake.xlsx")


class TestProgressFiles:
    def test_chinese_headers_and_month_forms(self, tmp_path: Path) -> None:
        path = write_csv(
            tmp_path,
            [
                "项目编号,月份,当月完成投资(亿元),完成百分比,形象进度",
                "A,2025-03,0.12,35%,主体施工",
                "A,2025年4月,0.2,40,封顶",
                "B,2025/5,,,",
            ],
            name="progress.csv",
        )
        a3, a4, b5 = read_progress(path, {"A", "B"})
        assert (a3.year, a3.month, a3.investment_month, a3.percent_done) == (2025, 3, pytest.approx(1200), 35)
        assert a4.period == "2025-04" and a4.progress_text == "封顶"
        assert b5.investment_month == 0 and b5.percent_done is None

    def test_bad_progress_rows(self, tmp_path: Path) -> None:
        path = write_csv(
            tmp_path,
            [
                "code,month,investment_month,percent_done,progress_text",
                "A,2025-03,10,20,",
                "A,2025-03,10,20,",
                "Z,2025-04,10,20,",
                "A,2025-13,10,20,",
                "A,2025-05,-1,120,",
            ],
            name="progress.csv",
        )
        with pytest.raises(InputError) as err:
            read_progress(path, {"A"})
        located = {(row, column) for _, row, column, _ in problems_of(err)}
        assert located == {
            (3, "month"),
            (4, "code"),
            (5, "month"),
            (6, "investment_month"),
            (6, "percent_done"),
        }


class TestOneReaderOneVocabulary:
    """The project importer reads through the shared reader and words mean what they mean on every import."""

    def test_a_utf16_csv_is_refused_naming_the_file(self, tmp_path: Path) -> None:
        path = tmp_path / "projects.csv"
        path.write_text(CHINESE_HEADER + "\n", encoding="utf-16")
        with pytest.raises(InputError, match="UTF-16") as caught:
            read_projects(path)
        assert caught.value.problems[0].file == "projects.csv"

    @pytest.mark.parametrize("word", ["总合计", "全部合计", "累计", "Total", "合计："])
    def test_every_total_row_word_of_the_enterprise_importer_is_skipped(self, tmp_path: Path, word: str) -> None:
        path = write_csv(
            tmp_path,
            [
                CHINESE_HEADER,
                "XM001,鑫通电子项目,江西鑫通电子有限公司,91350100M000100Y43,电子信息,1.5,120,王建国,招商一局,"
                "2024-11-02,2025/1/15,,,,,,",
                f"{word},,,,,1.5,,,,,,,,,,,",
            ],
        )
        assert [p.code for p in read_projects(path)] == ["XM001"]

    def test_wu_is_a_missing_value_in_an_objection_correction_too(self) -> None:
        from zonehero.core.domain.fields import FIELDS_BY_KEY
        from zonehero.features.enterprises.values import to_columns

        assert to_columns(FIELDS_BY_KEY["high_tech"], "无") == (None, None)
        assert to_columns(FIELDS_BY_KEY["high_tech"], "否") == (0.0, None)
        assert to_columns(FIELDS_BY_KEY["high_tech"], "有") == (1.0, None)
