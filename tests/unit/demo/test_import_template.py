"""The import template: registry headers, dropdowns, an example row, a guide sheet; and the importer reads it."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from zonehero.core.domain.fields import BOOL_KEYS, FIELDS, FIELDS_BY_KEY
from zonehero.core.domain.uscc import is_valid_uscc
from zonehero.reports.template import DATA_SHEET, EXAMPLE, GUIDE_SHEET, field_note, write_template


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_template(tmp_path_factory.mktemp("tpl") / "导入模板.xlsx")


def _column(key: str) -> str:
    return openpyxl.utils.get_column_letter([f.key for f in FIELDS].index(key) + 1)


def test_headers_are_the_registry_headers_with_units(template: Path) -> None:
    ws = openpyxl.load_workbook(template)[DATA_SHEET]
    assert [c.value for c in ws[1]] == [f.header for f in FIELDS]
    assert "营业收入(万元)" in [c.value for c in ws[1]]
    assert ws.freeze_panes == "C2"
    assert ws.column_dimensions["B"].width >= 30


def test_example_row_is_valid_and_complete_where_given(template: Path) -> None:
    ws = openpyxl.load_workbook(template)[DATA_SHEET]
    row = {f.key: c.value for f, c in zip(FIELDS, ws[2], strict=True)}
    assert row["uscc"] == "91350100M000100Y43"
    assert is_valid_uscc(row["uscc"])
    assert set(EXAMPLE) <= set(FIELDS_BY_KEY)
    for key, value in EXAMPLE.items():
        assert row[key] == value, key


def test_every_bool_column_has_a_yes_no_dropdown_and_zjtx_its_levels(template: Path) -> None:
    ws = openpyxl.load_workbook(template)[DATA_SHEET]
    lists = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in ws.data_validations.dataValidation if dv.type == "list"}
    for key in BOOL_KEYS:
        assert lists[f"{_column(key)}2"] == '"是,否"', key
    assert lists[f"{_column('zjtx_level')}2"] == '"省级,国家级"'
    assert len(lists) == len(BOOL_KEYS) + 1
    nonnegative = {
        str(dv.sqref).split(":")[0] for dv in ws.data_validations.dataValidation if dv.operator == "greaterThanOrEqual"
    }
    assert f"{_column('land_area_mu')}2" in nonnegative
    assert f"{_column('tax')}2" not in nonnegative  # refunds make tax negative


def test_guide_sheet_lists_every_field(template: Path) -> None:
    ws = openpyxl.load_workbook(template)[GUIDE_SHEET]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:5] == ("key", "中文名", "单位", "说明", "必填")
    by_key = {r[0]: r for r in rows[1 : len(FIELDS) + 1]}
    assert list(by_key) == [f.key for f in FIELDS]
    assert by_key["uscc"][4] == "是"
    assert by_key["revenue"][2] == "万元"
    assert by_key["tax"][3] and "可为负数" in by_key["tax"][3]
    assert all(by_key[f.key][3] for f in FIELDS)


def test_every_field_has_a_note() -> None:
    assert all(field_note(f) for f in FIELDS)


def test_replaces_an_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "t.xlsx"
    target.write_bytes(b"old")
    write_template(target)
    assert openpyxl.load_workbook(target).sheetnames == [DATA_SHEET, GUIDE_SHEET]
    assert [p.name for p in tmp_path.iterdir()] == ["t.xlsx"]


def test_the_importer_reads_the_template(template: Path) -> None:
    ingest = pytest.importorskip("zonehero.core.ingest", reason="zonehero.core.ingest is not importable yet")
    read = ingest.read_source(template)
    assert read.frame.height == 1
    row = read.frame.row(0, named=True)
    assert row["uscc"] == "91350100M000100Y43"
    assert row["revenue"] == pytest.approx(18650.3)
    assert row["high_tech"] is True
    assert row["zjtx_level"] == "province"
    assert read.warnings == []  # every header and unit understood
