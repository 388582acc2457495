"""The import template (导入模板): one sheet to fill in, one sheet that explains each column.

Everything about a column comes from the field registry: the header is
``Field.header`` (label with canonical unit), the explanation is built from
its type, unit and flags, so the template cannot drift from the importer.
The dropdowns (是/否, 省级/国家级) only offer values the importer accepts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from zonehero.core.domain.fields import FIELDS, Field
from zonehero.reports.atomic import atomic_path
from zonehero.reports.safe_cells import safe_workbook

DATA_SHEET = "企业数据"
GUIDE_SHEET = "填写说明"
VALIDATED_ROWS = 5000
"""Rows below the header that carry the dropdowns and number checks."""

YES_NO = ["是", "否"]
ZJTX_CHOICES = ["省级", "国家级"]

EXAMPLE: dict[str, object] = {
    "uscc": "91350100M000100Y43",
    "name": "示例：江西鑫通机械有限公司",
    "industry_code": "C3484",
    "above_scale": "是",
    "land_area_mu": 45.6,
    "revenue": 18650.3,
    "tax": 702.15,
    "value_added": 4980.0,
    "rd_expense": 612.4,
    "employees": 186,
    "energy_tce": None,
    "co2_t": None,
    "electricity_10k_kwh": 420.5,
    "natural_gas_10k_m3": 12.8,
    "high_tech": "是",
    "zjtx_level": "省级",
    "listed": "否",
    "major_safety_accident": "否",
    "major_env_violation": "否",
    "production_start_year": 2016,
}
"""The example row (row 2): a machinery firm with 综合能耗 left for the breakdown to compute."""


def field_note(f: Field) -> str:
    """What to write in a column, in Chinese, derived from the field's type and flags."""
    parts: list[str] = []
    if f.description:
        parts.append(f.description)
    if f.type == "uscc":
        parts.append("18位，按 GB 32100-2015 校验；每家企业一行，以此合并各部门数据")
    elif f.type == "industry_code":
        parts.append("GB/T 4754-2017 行业小类代码，如 C3484")
    elif f.type == "text":
        parts.append("与营业执照一致的全称")
    elif f.type == "bool" and f.key == "above_scale":
        parts.append("填「是」或「否」；整列不填时按评价方案的规上标准（默认营业收入 2000 万元）判断")
    elif f.type == "bool":
        parts.append("填「是」或「否」，空白视为否")
    elif f.type == "zjtx":
        parts.append("填「省级」或「国家级」（小巨人），不是专精特新企业留空")
    elif f.type == "year":
        parts.append("四位年份，如 2021")
    elif f.type in {"number", "integer"}:
        unit = f"单位：{f.unit}" if f.unit else "数字"
        sign = "不得为负" if f.nonnegative else "可为负数"
        parts.append(f"{unit}；{sign}；不要填写文字，没有数据留空")
    if f.key in {"energy_tce", "co2_t"}:
        parts.append("不填时按分品种能源消费量折算")
    return "；".join(parts)


def _validation(f: Field) -> dict[str, Any] | None:
    if f.type == "bool":
        return {"validate": "list", "source": YES_NO, "error_message": "请选择 是 或 否"}
    if f.type == "zjtx":
        return {"validate": "list", "source": ZJTX_CHOICES, "error_message": "请选择 省级 或 国家级，或留空"}
    if f.type == "year":
        return {
            "validate": "integer",
            "criteria": "between",
            "minimum": 1900,
            "maximum": 2100,
            "error_message": "请填写四位年份",
        }
    if f.type in {"number", "integer"} and f.nonnegative:
        return {"validate": "decimal", "criteria": ">=", "value": 0, "error_message": f"「{f.label}」不得为负数"}
    if f.type in {"number", "integer"}:
        return {
            "validate": "decimal",
            "criteria": "between",
            "minimum": -1e12,
            "maximum": 1e12,
            "error_message": "请填写数字",
        }
    return None


def _width(f: Field) -> float:
    if f.key == "name":
        return 34
    if f.key == "uscc":
        return 22
    return max(10.0, min(24.0, 2.2 * len(f.header) + 2))


def write_template(path: Path) -> Path:
    """Write the import template to ``path`` (.xlsx) and return it; an existing file is replaced atomically."""
    path = Path(path)
    with atomic_path(path) as tmp:
        book = safe_workbook(str(tmp))
        head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "top"})
        required_head = book.add_format(
            {"bold": True, "bg_color": "#FCE4D6", "border": 1, "text_wrap": True, "valign": "top"}
        )
        text = book.add_format({"num_format": "@"})
        example = book.add_format({"italic": True, "font_color": "#7F7F7F"})
        example_text = book.add_format({"italic": True, "font_color": "#7F7F7F", "num_format": "@"})

        sheet = book.add_worksheet(DATA_SHEET)
        sheet.freeze_panes(1, 2)
        sheet.set_row(0, 32)
        for c, f in enumerate(FIELDS):
            is_text = f.type in {"uscc", "text", "industry_code"}
            sheet.set_column(c, c, _width(f), text if is_text else None)
            sheet.write_string(0, c, f.header, required_head if f.required else head)
            sheet.write_comment(0, c, field_note(f), {"x_scale": 2})
            value = EXAMPLE.get(f.key)
            if isinstance(value, str):
                sheet.write_string(1, c, value, example_text if is_text else example)
            elif isinstance(value, int | float):
                sheet.write_number(1, c, value, example)
            rule = _validation(f)
            if rule is not None:
                sheet.data_validation(1, c, VALIDATED_ROWS, c, {"error_title": f.label, **rule})

        guide = book.add_worksheet(GUIDE_SHEET)
        guide.set_column(0, 0, 24)
        guide.set_column(1, 1, 22)
        guide.set_column(2, 2, 12)
        guide.set_column(3, 3, 70)
        guide.set_column(4, 4, 8)
        guide.set_column(5, 5, 40)
        wrap = book.add_format({"text_wrap": True, "valign": "top"})
        for c, title in enumerate(("key", "中文名", "单位", "说明", "必填", "也可使用的列名")):
            guide.write_string(0, c, title, head)
        for r, f in enumerate(FIELDS, start=1):
            guide.write_string(r, 0, f.key)
            guide.write_string(r, 1, f.label)
            guide.write_string(r, 2, f.unit or "")
            guide.write_string(r, 3, field_note(f), wrap)
            guide.write_string(r, 4, "是" if f.required else "否")
            guide.write_string(r, 5, "、".join(a for a in f.aliases if not a.isascii()), wrap)
        notes_at = len(FIELDS) + 2
        guide.write_string(notes_at, 0, "注：")
        guide.write_string(
            notes_at,
            1,
            f"「{DATA_SHEET}」第2行是示例（灰色斜体），导入前请删除或覆盖。"
            "每家企业一行；各部门的数据也可分别导入，系统按统一社会信用代码合并。",
        )
        guide.freeze_panes(1, 0)
        book.close()
    return path
