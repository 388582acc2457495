"""Exports of a cultivation result: JSON for machines, xlsx for people.

The xlsx has a summary sheet (pool sizes), one sheet of every enterprise's
tiers, one sheet per tier listing its candidate pool (培育库), and a sheet
of movers; Chinese headers, frozen header row. Written atomically.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import polars as pl
import xlsxwriter

from zonehero.core.cultivation.assign import STATUS_LABELS
from zonehero.core.cultivation.result import DIMENSION_LABELS, DIRECTION_LABELS, CultivationResult
from zonehero.reports.atomic import atomic_path
from zonehero.reports.safe_cells import safe_workbook

SUPPORTED_SUFFIXES = (".json", ".xlsx")

# (header, column, style, width) of the per-enterprise sheets.
ENTERPRISE_COLUMNS: tuple[tuple[str, str, str, int], ...] = (
    ("统一社会信用代码", "uscc", "text", 21),
    ("企业名称", "name", "text", 30),
    ("营业收入(万元)", "revenue", "num2", 14),
    ("上年营业收入(万元)", "prev_revenue", "num2", 14),
    ("营业收入增长率", "revenue_growth", "pct", 11),
    ("研发投入强度", "rd_intensity", "pct", 11),
    ("发明专利数", "invention_patents", "int", 9),
    ("规模梯度", "scale_tier_label", "text", 13),
    ("上年规模梯度", "prev_scale_tier_label", "text", 13),
    ("规模升档候选", "scale_status_label", "text", 16),
    ("规模候选依据", "scale_reasons", "wrap", 60),
    ("质量梯度", "quality_tier_label", "text", 18),
    ("上年质量梯度", "prev_quality_tier_label", "text", 18),
    ("质量升档候选", "quality_status_label", "text", 16),
    ("质量候选依据", "quality_reasons", "wrap", 80),
)
MOVER_COLUMNS: tuple[tuple[str, str, str, int], ...] = (
    ("统一社会信用代码", "uscc", "text", 21),
    ("企业名称", "name", "text", 30),
    ("梯度", "dimension_label", "text", 10),
    ("上年档位", "from_label", "text", 18),
    ("本年档位", "to_label", "text", 18),
    ("变化", "direction_label", "text", 8),
    ("跨越档数", "steps", "int", 9),
)


def write_cultivation(result: CultivationResult, path: Path) -> None:
    """Write ``result`` to ``path`` (.json or .xlsx), replacing it only once complete."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise ValueError(f"unsupported output format {suffix!r}; use one of {SUPPORTED_SUFFIXES}")
    with atomic_path(path) as tmp:
        if suffix == ".json":
            with tmp.open("w", encoding="utf-8") as fh:
                json.dump(_jsonable(result.to_dict()), fh, ensure_ascii=False, indent=2, allow_nan=False)
                fh.write("\n")
        else:
            _write_xlsx(result, tmp)


def _jsonable(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


def _display(result: CultivationResult) -> pl.DataFrame:
    """The enterprise frame with Chinese labels for statuses and previous tiers."""
    d = result.definitions
    labels = {t.key: t.label for t in d.scale} | {t.key: t.label for t in d.quality} | {"none": "未入库"}
    return result.enterprises.with_columns(
        pl.col("scale_status").replace_strict(STATUS_LABELS, return_dtype=pl.String).alias("scale_status_label"),
        pl.col("quality_status").replace_strict(STATUS_LABELS, return_dtype=pl.String).alias("quality_status_label"),
        pl.col("prev_scale_tier")
        .replace_strict(labels, default=None, return_dtype=pl.String)
        .alias("prev_scale_tier_label"),
        pl.col("prev_quality_tier")
        .replace_strict(labels, default=None, return_dtype=pl.String)
        .alias("prev_quality_tier_label"),
    ).sort("scale_rank", "revenue", descending=True, nulls_last=True)


def _styles(wb: xlsxwriter.Workbook) -> dict[str, Any]:
    base = {"font_name": "微软雅黑", "font_size": 10}
    return {
        "header": wb.add_format(
            {
                **base,
                "bold": True,
                "bg_color": "#1f3b57",
                "font_color": "#ffffff",
                "text_wrap": True,
                "valign": "vcenter",
                "align": "center",
                "border": 1,
            }
        ),
        "text": wb.add_format(base),
        "wrap": wb.add_format({**base, "text_wrap": True, "valign": "top"}),
        "num2": wb.add_format({**base, "num_format": "#,##0.00"}),
        "pct": wb.add_format({**base, "num_format": "0.00%"}),
        "int": wb.add_format({**base, "num_format": "0"}),
        "title": wb.add_format({**base, "bold": True, "font_size": 14}),
    }


def _table(
    wb: xlsxwriter.Workbook,
    styles: dict[str, Any],
    name: str,
    frame: pl.DataFrame,
    columns: tuple[tuple[str, str, str, int], ...],
) -> None:
    ws = wb.add_worksheet(name)
    for c, (header, _, style, width) in enumerate(columns):
        ws.write_string(0, c, header, styles["header"])
        ws.set_column(c, c, width, styles[style] if style != "wrap" else None)
    ws.freeze_panes(1, 2)
    for r, row in enumerate(frame.select([col for _, col, _, _ in columns]).iter_rows(), start=1):
        for c, value in enumerate(row):
            style = styles[columns[c][2]]
            if value is None or (isinstance(value, float) and not math.isfinite(value)):
                ws.write_blank(r, c, None, style)
            elif isinstance(value, int | float) and not isinstance(value, bool):
                ws.write_number(r, c, value, style)
            else:
                ws.write_string(r, c, str(value), style)
    if frame.height:
        ws.autofilter(0, 0, frame.height, len(columns) - 1)


def _summary(wb: xlsxwriter.Workbook, styles: dict[str, Any], result: CultivationResult) -> None:
    ws = wb.add_worksheet("汇总")
    ws.write_string(
        0,
        0,
        f"{result.year}年度企业梯度培育汇总（{result.definitions.name} {result.definitions.version}）",
        styles["title"],
    )
    headers = ("梯度", "档位", "在档企业数", "升入本档候选数", "数据不全无法判断数")
    for c, h in enumerate(headers):
        ws.write_string(2, c, h, styles["header"])
    ws.set_column(0, 0, 10)
    ws.set_column(1, 1, 22)
    ws.set_column(2, 4, 16)
    ws.freeze_panes(3, 0)
    for r, row in enumerate(result.pools.iter_rows(named=True), start=3):
        ws.write_string(r, 0, DIMENSION_LABELS[row["dimension"]], styles["text"])
        ws.write_string(r, 1, row["label"], styles["text"])
        for c, key in enumerate(("members", "candidates", "incomplete"), start=2):
            ws.write_number(r, c, row[key], styles["int"])
    note_row = result.pools.height + 4
    notes = [
        "说明：候选 = 尚未进入该档、但按梯度标准文件中的条件已够得着的企业；条件缺数据时为「未知」，不计为候选。",
        "质量梯度的条件多为公开认定条件中可由数据计算的部分或其近似，正式认定以主管部门评审为准。",
    ]
    if result.movers is None:
        notes.append("未提供上年数据：营业收入增长率未知，规模升档候选与升降档名单无法判断。")
    for i, text in enumerate(notes):
        ws.write_string(note_row + i, 0, text, styles["text"])


def _sheet_name(prefix: str, label: str, used: set[str]) -> str:
    # Excel: at most 31 characters, none of []:*?/\ and unique.
    clean = "".join(ch for ch in f"{prefix}{label}" if ch not in "[]:*?/\\")[:31]
    name, n = clean, 2
    while name in used:
        name = f"{clean[:28]}_{n}"
        n += 1
    used.add(name)
    return name


def _write_xlsx(result: CultivationResult, path: Path) -> None:
    wb = safe_workbook(str(path), {"nan_inf_to_errors": True})
    try:
        styles = _styles(wb)
        _summary(wb, styles, result)
        display = _display(result)
        used = {"汇总", "全部企业", "升降档"}
        _table(wb, styles, "全部企业", display, ENTERPRISE_COLUMNS)
        d = result.definitions
        pools = [("scale", t.key, t.label) for t in d.scale[1:]] + [("quality", t.key, t.label) for t in d.quality]
        for dimension, key, label in pools:
            frame = display.filter((pl.col(f"{dimension}_next_tier") == key) & pl.col(f"{dimension}_candidate")).sort(
                "revenue", descending=True, nulls_last=True
            )
            _table(wb, styles, _sheet_name("候选-", label, used), frame, ENTERPRISE_COLUMNS)
        if result.movers is not None:
            moved = result.movers.with_columns(
                pl.col("dimension").replace_strict(DIMENSION_LABELS, return_dtype=pl.String).alias("dimension_label"),
                pl.col("direction").replace_strict(DIRECTION_LABELS, return_dtype=pl.String).alias("direction_label"),
            )
            _table(wb, styles, "升降档", moved, MOVER_COLUMNS)
    finally:
        wb.close()
