"""The audit log of a period as a workbook (审计日志导出): one sheet, one row per entry, every cell text.

Made from rows already put into words by the audit service; this module never reads the store. Every value is
written as a string cell of a :func:`~zonehero.reports.safe_cells.safe_workbook`, so a user name typed as
``=HYPERLINK(...)`` at the log-in form arrives in the workbook as text (behind an apostrophe), never as a formula.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import BinaryIO

from zonehero.reports.safe_cells import safe_workbook

HEADERS: tuple[str, ...] = (
    "编号",
    "时间",
    "操作人",
    "来源地址",
    "浏览器",
    "操作",
    "操作代码",
    "对象",
    "对象编号",
    "变更内容",
    "哈希值",
)
WIDTHS: tuple[int, ...] = (8, 20, 14, 18, 24, 18, 18, 12, 14, 60, 20)


def write_audit_xlsx(rows: Iterable[Sequence[str]], out: Path | BinaryIO, *, title: str) -> int:
    """Write ``rows`` (one string per :data:`HEADERS` column) under a title line; returns how many rows."""
    target = str(out) if isinstance(out, Path) else out
    workbook = safe_workbook(target, {"constant_memory": True})
    try:
        base = {"font_name": "微软雅黑", "font_size": 10}
        bold = workbook.add_format({**base, "bold": True, "font_size": 12})
        header = workbook.add_format({**base, "bold": True, "bg_color": "#1f3b57", "font_color": "#ffffff"})
        text = workbook.add_format({**base, "text_wrap": True, "valign": "top"})
        sheet = workbook.add_worksheet("审计日志")
        for column, width in enumerate(WIDTHS):
            sheet.set_column(column, column, width)
        sheet.write_string(0, 0, title, bold)
        for column, label in enumerate(HEADERS):
            sheet.write_string(1, column, label, header)
        count = 0
        for count, row in enumerate(rows, start=1):
            for column, value in enumerate(row):
                sheet.write_string(count + 1, column, value, text)
        sheet.freeze_panes(2, 0)
    finally:
        workbook.close()
    return count
