"""The 公示 list as an Excel workbook, the same rows as the PDF: one sheet, grouped by class, frozen header."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from zonehero.core.domain.classes import CLASS_COLOURS, CLASS_TEXT_COLOURS, CLASSES
from zonehero.reports.annual_figures import EvaluationLike
from zonehero.reports.pdf.publiclist import preamble, public_list_title
from zonehero.reports.pdf.styles import Letterhead
from zonehero.reports.public_list import PublicPeriod, public_rows
from zonehero.reports.safe_cells import safe_workbook

HEADERS = ("序号", "企业名称", "统一社会信用代码", "分组", "综合得分", "分类", "备注")
WIDTHS = (6, 40, 22, 7, 10, 6, 12)
HEADER_ROW = 3
"""0-based row of the column headers (title, preamble and a blank row above)."""


def write_public_list_xlsx(
    result: EvaluationLike, out: Path | BinaryIO, *, period: PublicPeriod, letterhead: Letterhead | None = None
) -> None:
    """Write the 公示 list of ``result`` to ``out`` (a path or a binary stream)."""
    head = letterhead or Letterhead()
    rows = public_rows(result)
    total = sum(len(v) for v in rows.values())
    wb = safe_workbook(out if not isinstance(out, Path) else str(out), {"in_memory": True})
    try:
        base = {"font_name": "微软雅黑", "font_size": 10}
        title = wb.add_format({**base, "bold": True, "font_size": 14, "align": "center"})
        wrap = wb.add_format({**base, "text_wrap": True, "valign": "top"})
        header = wb.add_format(
            {**base, "bold": True, "bg_color": "#1f3b57", "font_color": "#ffffff", "align": "center", "border": 1}
        )
        section = wb.add_format({**base, "bold": True, "bg_color": "#e8edf2", "border": 1})
        text = wb.add_format({**base, "border": 1})
        number = wb.add_format({**base, "border": 1, "num_format": "0.00"})
        integer = wb.add_format({**base, "border": 1, "num_format": "0"})
        class_formats = {
            c: wb.add_format(
                {
                    **base,
                    "border": 1,
                    "bold": True,
                    "align": "center",
                    "bg_color": CLASS_COLOURS[c],
                    "font_color": CLASS_TEXT_COLOURS[c],
                }
            )
            for c in CLASSES
        }
        ws = wb.add_worksheet("公示名单")
        for j, w in enumerate(WIDTHS):
            ws.set_column(j, j, w)
        last = len(HEADERS) - 1
        ws.merge_range(0, 0, 0, last, public_list_title(head, result.year), title)
        ws.merge_range(1, 0, 1, last, preamble(result.year, period, total, head), wrap)
        ws.set_row(1, 60)
        ws.write_row(HEADER_ROW, 0, HEADERS, header)
        ws.freeze_panes(HEADER_ROW + 1, 0)
        r = HEADER_ROW
        for cls in CLASSES:
            members = rows.get(cls, [])
            name = result.scheme.policies[cls].name if cls in result.scheme.policies else ""
            r += 1
            ws.merge_range(r, 0, r, last, f"{cls}类（{name}）企业 {len(members)} 家", section)
            for row in members:
                r += 1
                ws.write_number(r, 0, row.number, integer)
                ws.write_string(r, 1, row.name, text)
                ws.write_string(r, 2, row.uscc, text)
                ws.write_string(r, 3, row.group_label, text)
                if row.total_score is None:
                    ws.write_blank(r, 4, None, number)
                else:
                    ws.write_number(r, 4, round(row.total_score, 2), number)
                ws.write_string(r, 5, row.cls, class_formats[row.cls])
                ws.write_string(r, 6, row.note, text)
        ws.write_string(r + 2, last - 2, head.signer)
        ws.write_string(r + 3, last - 2, period.start.strftime("%Y-%m-%d"))
        ws.set_paper(9)  # A4
        ws.repeat_rows(HEADER_ROW)
        ws.fit_to_pages(1, 0)
    finally:
        wb.close()
