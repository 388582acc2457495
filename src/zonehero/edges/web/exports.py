"""Downloads of the feature pages: a stored run as the bureau's xlsx, and a filtered enterprise list.

A stored run is turned back into what :func:`zonehero.reports.results.write_result`
needs by :func:`zonehero.features.runs.stored.stored_result` (the one reshaping, shared with the
documents), so the workbook of a published run is the same whenever it is downloaded. The enterprise list
is a small table of its own (CSV for other tools, xlsx with class colours).
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from zonehero.core.domain import numbers
from zonehero.core.domain.classes import CLASS_COLOURS, CLASS_TEXT_COLOURS, CLASSES, GROUP_LABELS, STATUS_LABELS
from zonehero.features.runs.stored import StoredRunResult
from zonehero.reports.results import write_result
from zonehero.reports.safe_cells import safe_row, safe_workbook

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"


def run_xlsx(result: StoredRunResult) -> bytes:
    """The run's workbook (results, summary, data-quality sheets) as bytes."""
    with tempfile.TemporaryDirectory(prefix="zonehero-export-") as folder:
        path = Path(folder) / "result.xlsx"
        write_result(result, path)
        return path.read_bytes()


LIST_COLUMNS: tuple[tuple[str, str], ...] = (
    ("统一社会信用代码", "uscc"),
    ("企业名称", "name"),
    ("行业代码", "industry_code"),
    ("所属行业", "industry_name"),
    ("分组", "group"),
    ("评价状态", "status"),
    ("综合得分", "total_score"),
    ("组内排名", "rank"),
    ("分类", "class"),
    ("碳效等级", "carbon_grade"),
)
"""Header and attribute of each column of the enterprise list export."""


def _cell(row: Any, attr: str) -> Any:
    if attr == "industry_name":
        return numbers.industry_name(getattr(row, "industry_code", None))
    value = getattr(row, "class_" if attr == "class" else attr, None)
    if attr == "group" and value:
        return GROUP_LABELS.get(value, value)
    if attr == "status" and value:
        return STATUS_LABELS.get(value, value)
    return value


def list_csv(rows: Sequence[Any]) -> bytes:
    """The list as CSV, UTF-8 with BOM so Excel on Windows opens the Chinese headers correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(safe_row(header for header, _ in LIST_COLUMNS))
    for row in rows:
        writer.writerow(safe_row("" if (v := _cell(row, attr)) is None else v for _, attr in LIST_COLUMNS))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def list_xlsx(rows: Sequence[Any], title: str) -> bytes:
    """The list as one sheet: frozen header, two-decimal scores, class cells in the class colours."""
    buffer = io.BytesIO()
    wb = safe_workbook(buffer, {"in_memory": True})
    base = {"font_name": "微软雅黑", "font_size": 10}
    header = wb.add_format({**base, "bold": True, "bg_color": "#1f3b57", "font_color": "#ffffff", "border": 1})
    text, num2, whole = wb.add_format(base), wb.add_format({**base, "num_format": "#,##0.00"}), wb.add_format(base)
    class_formats = {
        c: wb.add_format(
            {**base, "bold": True, "align": "center", "bg_color": CLASS_COLOURS[c], "font_color": CLASS_TEXT_COLOURS[c]}
        )
        for c in CLASSES
    }
    ws = wb.add_worksheet(title[:31] or "企业")
    widths = (21, 32, 10, 24, 8, 12, 10, 8, 6, 8)
    for j, ((label, _), width) in enumerate(zip(LIST_COLUMNS, widths, strict=True)):
        ws.write_string(0, j, label, header)
        ws.set_column(j, j, width)
    ws.freeze_panes(1, 2)
    for i, row in enumerate(rows, start=1):
        for j, (_, attr) in enumerate(LIST_COLUMNS):
            value = _cell(row, attr)
            if value is None:
                continue
            if attr == "class":
                ws.write_string(i, j, value, class_formats.get(value, text))
            elif attr == "total_score":
                ws.write_number(i, j, value, num2)
            elif isinstance(value, int | float):
                ws.write_number(i, j, value, whole)
            else:
                ws.write_string(i, j, str(value), text)
    if rows:
        ws.autofilter(0, 0, len(rows), len(LIST_COLUMNS) - 1)
    wb.close()
    return buffer.getvalue()
