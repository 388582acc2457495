"""The years a department file names for itself: in its name and in the title rows above its header."""

from __future__ import annotations

from pathlib import Path

import pytest

from zonehero.core.domain.uscc import make_uscc
from zonehero.core.ingest.sources import read_one
from zonehero.core.ingest.years import file_stem, title_text, years_in


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("税务局_2024年度纳税情况", [2024]),
        ("tax_2024", [2024]),
        ("2023-2024 两年对比 2024年", [2023, 2024]),
        ("用电量_20240131", []),  # a date, not a year
        ("企业120240号", []),
        ("1999年", []),
        ("", []),
        (None, []),
    ],
)
def test_years_in(text: str | None, years: list[int]) -> None:
    assert years_in(text) == years


def test_file_stem_leaves_out_the_suffix() -> None:
    assert file_stem("uploads/税务局_2024年.xlsx") == "税务局_2024年"
    assert years_in(file_stem("report.2025")) == []


def test_title_text_is_the_rows_above_the_header() -> None:
    rows = [["2024年度开发区企业纳税情况表", None], ["填报单位：税务局", "单位：元"], ["纳税人识别号", "实缴税金"]]
    assert title_text(rows, 2) == "2024年度开发区企业纳税情况表 填报单位：税务局 单位：元"
    assert title_text(rows, 0) is None


def test_a_read_file_carries_its_title(tmp_path: Path) -> None:
    path = tmp_path / "自然资源局_用地.csv"
    uscc = make_uscc("9133010000000551")
    path.write_text(
        f"2023年度企业用地情况\n统一社会信用代码,企业名称,用地面积(亩)\n{uscc},甲公司,12\n", encoding="utf-8"
    )
    read, problems = read_one(path)
    assert problems == [] and read is not None
    assert read.info.title == "2023年度企业用地情况"
    assert years_in(read.info.title) == [2023]
