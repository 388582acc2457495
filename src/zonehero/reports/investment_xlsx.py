"""The monthly 招商 briefing (招商月报) as an Excel workbook, the PDF's figures as numbers a 招商局 can sort.

Sheets: 本年累计 (the spec's figures with the 「5020」 check), 本月线索, 本月推进, 本月签约, 招商漏斗, 超时限线索,
按产业链, 按报送单位 and 全员招商. Written through :func:`~zonehero.reports.safe_cells.safe_workbook`, so an
investor's name that starts like a formula stays text.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, BinaryIO

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from zonehero.core.investment.report import InvestmentBriefing
from zonehero.reports.pdf.investment_rows import (
    BREAKDOWN_HEADERS,
    BREAKDOWN_KINDS,
    breakdown_row,
    breakdowns,
    briefing_title,
    figure_rows,
)
from zonehero.reports.pdf.styles import Letterhead
from zonehero.reports.safe_cells import safe_workbook


class _Formats:
    def __init__(self, wb: xlsxwriter.Workbook) -> None:
        base = {"font_name": "微软雅黑", "font_size": 10, "border": 1}
        self.title = wb.add_format({"font_name": "微软雅黑", "bold": True, "font_size": 14})
        self.header = wb.add_format(
            {**base, "bold": True, "bg_color": "#1f3b57", "font_color": "#ffffff", "align": "center", "text_wrap": True}
        )
        self.text = wb.add_format(base)
        self.date = wb.add_format({**base, "num_format": "yyyy-mm-dd"})
        self.by_kind = {
            "count": wb.add_format({**base, "num_format": "0"}),
            "money": wb.add_format({**base, "num_format": "#,##0.00"}),
            "rate": wb.add_format({**base, "num_format": "0.0%"}),
            "text": wb.add_format(base),
        }


def _sheet(
    wb: xlsxwriter.Workbook, f: _Formats, name: str, title: str, headers: Sequence[tuple[str, int]]
) -> Worksheet:
    ws = wb.add_worksheet(name)
    ws.write_string(0, 0, title, f.title)
    for j, (label, width) in enumerate(headers):
        ws.write_string(2, j, label, f.header)
        ws.set_column(j, j, width)
    ws.freeze_panes(3, 0)
    ws.set_paper(9)
    ws.set_landscape()
    ws.repeat_rows(2)
    ws.fit_to_pages(1, 0)
    return ws


def _put(ws: Worksheet, f: _Formats, row: int, col: int, value: Any, kind: str = "text") -> None:
    """A number as a number (an empty rate stays empty, not 0), a date as a date, anything else as text."""
    if value is None:
        ws.write_blank(row, col, None, f.by_kind[kind])
    elif kind in ("count", "money", "rate") and isinstance(value, int | float):
        ws.write_number(row, col, value, f.by_kind[kind])
    elif hasattr(value, "isoformat"):
        ws.write_datetime(row, col, value, f.date)  # type: ignore[arg-type]
    else:
        ws.write_string(row, col, str(value), f.text)


def _id(lead_id: str) -> int | str:
    """A stored lead's number as a number (sortable); a file's 线索编号 as written."""
    return int(lead_id) if lead_id.isdigit() else lead_id


def _rows(ws: Worksheet, f: _Formats, rows: Sequence[Sequence[Any]], kinds: Sequence[str]) -> None:
    for i, values in enumerate(rows, start=3):
        for j, (value, kind) in enumerate(zip(values, kinds, strict=True)):
            _put(ws, f, i, j, value, kind)


def write_investment_briefing_xlsx(
    briefing: InvestmentBriefing, out: Path | BinaryIO, *, letterhead: Letterhead | None = None
) -> None:
    """Write the 招商月报 of ``briefing`` to ``out`` (a path or a binary stream)."""
    head = letterhead or Letterhead()
    b = briefing
    ytd = b.year_to_date
    wb = safe_workbook(str(out) if isinstance(out, Path) else out, {"in_memory": True})
    try:
        f = _Formats(wb)
        title = briefing_title(head, b)
        ws = _sheet(
            wb, f, "本年累计", f"{title}　截至 {b.as_of.isoformat()}", [("指标", 24), ("数值", 18), ("说明", 36)]
        )
        for i, (label, value, kind, note) in enumerate(figure_rows(ytd.figures, ytd.thresholds), start=3):
            _put(ws, f, i, 0, label)
            _put(ws, f, i, 1, value, kind)
            _put(ws, f, i, 2, note)
        lead_head = [("编号", 8), ("投资方", 36), ("产业链", 12), ("报送人", 12), ("报送单位", 16), ("报送日期", 12)]
        ws = _sheet(wb, f, "本月线索", f"{b.year}年{b.month}月新报送线索", lead_head)
        _rows(
            ws,
            f,
            [[_id(x.lead_id), x.investor, x.chain or "", x.reporter, x.unit or "", x.reported_on] for x in b.new_leads],
            ("count", "text", "text", "text", "text", "text"),
        )
        ws = _sheet(
            wb,
            f,
            "本月推进",
            f"{b.year}年{b.month}月阶段推进",
            [("编号", 8), ("投资方", 36), ("推进至", 10), ("日期", 12)],
        )
        _rows(
            ws,
            f,
            [[_id(m.lead.lead_id), m.lead.investor, m.to_stage.label, m.on] for m in b.moves],
            ("count", "text", "text", "text"),
        )
        sign_head = [
            ("编号", 8),
            ("投资方", 36),
            ("项目编号", 14),
            ("签约日期", 12),
            ("合同投资(万元)", 16),
            ("计入(万元)", 16),
        ]
        ws = _sheet(wb, f, "本月签约", f"{b.year}年{b.month}月签约项目", sign_head)
        _rows(
            ws,
            f,
            [
                [
                    _id(s.lead.lead_id),
                    s.lead.investor,
                    s.project,
                    s.signed_on,
                    s.lead.contract_investment,
                    s.counted_investment,
                ]
                for s in b.signings
            ],
            ("count", "text", "text", "text", "money", "money"),
        )
        funnel_head = [
            ("阶段", 10),
            ("到达线索数", 12),
            ("转化率", 10),
            ("距上一阶段天数（中位数）", 22),
            ("计算天数的线索", 14),
        ]
        ws = _sheet(wb, f, "招商漏斗", f"{b.year}年报送线索的招商漏斗", funnel_head)
        _rows(
            ws,
            f,
            [[s.label, s.reached, s.conversion, s.median_days, s.intervals] for s in ytd.funnel],
            ("text", "count", "rate", "money", "count"),
        )
        late_head = [
            ("编号", 8),
            ("投资方", 36),
            ("阶段", 8),
            ("时限", 12),
            ("到期日", 12),
            ("逾期天数", 10),
            ("督办对象", 14),
        ]
        ws = _sheet(wb, f, "超时限线索", f"截至 {b.as_of.isoformat()} 超过时限的线索", late_head)
        _rows(
            ws,
            f,
            [
                [_id(x.lead_id), x.investor, x.stage, x.clock, x.due, x.days_overdue, x.escalated_to or ""]
                for x in b.late
            ],
            ("count", "text", "text", "text", "text", "count", "text"),
        )
        for section, first, rows_of in breakdowns(b):
            headers = [(first, 20), *[(h, 12) for h in BREAKDOWN_HEADERS]]
            ws = _sheet(wb, f, section, f"{b.year}年1-{b.month}月{section}", headers)
            _rows(ws, f, [[name, *breakdown_row(x)] for name, x in rows_of], ("text", *BREAKDOWN_KINDS))
        board_head = [
            ("类别", 8),
            ("报送人/单位", 20),
            ("报送线索", 10),
            ("首报（计入）", 12),
            ("签约", 8),
            ("签约投资(万元)", 16),
        ]
        ws = _sheet(wb, f, "全员招商", f"{b.year}年全员招商（按首报人计）", board_head)
        board = [
            ["报送人", r.name, r.reported, r.credited, r.signings, r.signed_investment] for r in ytd.board.by_reporter
        ]
        board += [["单位", r.name, r.reported, r.credited, r.signings, r.signed_investment] for r in ytd.board.by_unit]
        _rows(ws, f, board, ("text", "text", "count", "count", "count", "money"))
    finally:
        wb.close()
