"""The monthly scheduling table offices circulate (调度表), as an Excel workbook.

One sheet for the summary, one per list (签约一批, 开工一批, 投产一批, 谋划一批)
with each project's light coloured, then the red/yellow projects, the
difficulties by owner unit and investment by industry chain. Headers are
frozen on every sheet. The figures are the :class:`MonthlyReport`'s, as in
the PDF briefing.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, BinaryIO

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from zonehero.core.schedule.lists import LIST_LABELS, MilestoneList
from zonehero.core.schedule.model import Project
from zonehero.core.schedule.report import MonthlyReport
from zonehero.core.schedule.warnings import Light
from zonehero.reports.pdf.briefing import briefing_title, list_row, project_index
from zonehero.reports.pdf.styles import Letterhead
from zonehero.reports.safe_cells import safe_workbook

LIGHT_FILL = {"red": "#d73027", "yellow": "#fee08b", "green": "#1a9850"}
LIGHT_FONT = {"red": "#ffffff", "yellow": "#000000", "green": "#ffffff"}
LIST_HEADERS = (
    ("序号", 6),
    ("项目编号", 12),
    ("项目名称", 36),
    ("投资主体", 30),
    ("产业链", 10),
    ("总投资(万元)", 12),
    ("计划日期", 12),
    ("实际日期", 12),
    ("完成情况", 10),
    ("预警", 7),
    ("责任单位", 14),
    ("包挂领导", 10),
)


class _Formats:
    def __init__(self, wb: xlsxwriter.Workbook) -> None:
        base = {"font_name": "微软雅黑", "font_size": 10, "border": 1}
        self.title = wb.add_format({"font_name": "微软雅黑", "bold": True, "font_size": 14})
        self.header = wb.add_format(
            {**base, "bold": True, "bg_color": "#1f3b57", "font_color": "#ffffff", "align": "center", "text_wrap": True}
        )
        self.text = wb.add_format(base)
        self.wrap = wb.add_format({**base, "text_wrap": True, "valign": "top"})
        self.money = wb.add_format({**base, "num_format": "#,##0"})
        self.integer = wb.add_format({**base, "num_format": "0"})
        self.pct = wb.add_format({**base, "num_format": "0.0%"})
        self.lights = {
            k: wb.add_format(
                {**base, "bold": True, "align": "center", "bg_color": LIGHT_FILL[k], "font_color": LIGHT_FONT[k]}
            )
            for k in LIGHT_FILL
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


def _write(ws: Worksheet, row: int, values: Sequence[Any], formats: Sequence[Any]) -> None:
    for j, (v, fmt) in enumerate(zip(values, formats, strict=True)):
        if v is None or v == "":
            ws.write_blank(row, j, None, fmt)
        elif isinstance(v, str):
            ws.write_string(row, j, v, fmt)
        else:
            ws.write_number(row, j, v, fmt)


def _lights(report: MonthlyReport) -> dict[str, Light]:
    return {f.code: f.light for f in report.flagged}


def _status(m: MilestoneList, p: Project) -> str:
    codes = {
        "achieved": {x.code for x in m.achieved},
        "late": {x.code for x in m.late},
        "ahead": {x.code for x in m.ahead},
    }
    if p.code in codes["ahead"]:
        return "超计划完成"
    if p.code in codes["achieved"]:
        return "已完成"
    if p.code in codes["late"]:
        return "滞后"
    return "推进中"


def _list_sheet(wb: xlsxwriter.Workbook, f: _Formats, report: MonthlyReport, key: str) -> None:
    m: MilestoneList = getattr(report.lists, key)
    label = LIST_LABELS[key]
    ws = _sheet(wb, f, label, f"{report.year}年{label}（截至{report.as_of.isoformat()}）", LIST_HEADERS)
    lights = _lights(report)
    carried = {p.code for p in m.carried_over}
    members = list(m.list) + [p for p in m.ahead]
    for i, p in enumerate(members, start=1):
        ms = p.milestone(m.milestone)
        light = lights.get(p.code, Light.GREEN)
        status = _status(m, p) + ("（结转）" if p.code in carried else "")
        values = [
            i,
            p.code,
            p.name,
            p.investor or "",
            p.industry_chain or "",
            p.investment,
            ms.planned.isoformat() if ms.planned else "",
            ms.actual.isoformat() if ms.actual else "",
            status,
            light.label,
            p.unit or "",
            p.leader or "",
        ]
        formats = [f.integer, f.text, f.text, f.text, f.text, f.money, f.text, f.text, f.text, f.lights[light.value]]
        _write(ws, i + 2, values, [*formats, f.text, f.text])


def _planning_sheet(wb: xlsxwriter.Workbook, f: _Formats, report: MonthlyReport) -> None:
    headers: tuple[tuple[str, int], ...] = (
        ("序号", 6),
        ("项目编号", 12),
        ("项目名称", 36),
        ("投资主体", 30),
        ("产业链", 10),
    )
    headers += (("总投资(万元)", 12), ("入库日期", 12), ("计划签约日期", 12), ("预警", 7), ("责任单位", 14))
    ws = _sheet(wb, f, "谋划一批", f"谋划一批（截至{report.as_of.isoformat()}）", headers)
    lights = _lights(report)
    for i, p in enumerate(report.lists.planning.list, start=1):
        light = lights.get(p.code, Light.GREEN)
        values = [
            i,
            p.code,
            p.name,
            p.investor or "",
            p.industry_chain or "",
            p.investment,
            p.added_date.isoformat() if p.added_date else "",
            p.signing.planned.isoformat() if p.signing.planned else "",
            light.label,
            p.unit or "",
        ]
        formats = [f.integer, f.text, f.text, f.text, f.text, f.money, f.text, f.text, f.lights[light.value], f.text]
        _write(ws, i + 2, values, formats)


def _summary_sheet(wb: xlsxwriter.Workbook, f: _Formats, report: MonthlyReport, title: str) -> None:
    headers: tuple[tuple[str, int], ...] = (
        ("清单", 12),
        ("计划", 8),
        ("其中结转", 10),
        ("完成", 8),
        ("其中超计划", 10),
        ("滞后", 8),
    )
    headers += (("完成率", 10), ("计划投资(万元)", 16), ("完成投资(万元)", 16))
    ws = _sheet(wb, f, "汇总", title, headers)
    formats = [f.text, *[f.integer] * 5, f.pct, f.money, f.money]
    row = 3
    for key, label in LIST_LABELS.items():
        _write(ws, row, [label, *list_row(getattr(report.lists, key))], formats)
        row += 1
    planning = report.lists.planning
    _write(
        ws,
        row,
        ["谋划一批", len(planning.list), None, None, None, None, None, sum(p.investment for p in planning.list), None],
        formats,
    )


def _flagged_sheet(wb: xlsxwriter.Workbook, f: _Formats, report: MonthlyReport, index: dict[str, Project]) -> None:
    headers = (("项目编号", 12), ("项目名称", 36), ("责任单位", 14), ("包挂领导", 10), ("预警", 7), ("预警原因", 80))
    ws = _sheet(wb, f, "红黄灯项目", f"红黄灯预警项目（截至{report.as_of.isoformat()}）", headers)
    for i, fl in enumerate(report.flagged, start=3):
        p = index.get(fl.code)
        values = [fl.code, p.name if p else "", (p.unit or "") if p else "", (p.leader or "") if p else ""]
        values += [fl.light.label, "；".join(fl.reasons)]
        _write(ws, i, values, [f.text, f.text, f.text, f.text, f.lights[fl.light.value], f.wrap])


def _difficulty_sheet(wb: xlsxwriter.Workbook, f: _Formats, report: MonthlyReport, index: dict[str, Project]) -> None:
    headers = (("责任单位", 22), ("本月新增", 10), ("在办", 8), ("本月办结", 10), ("逾期", 8), ("办结率", 10))
    ws = _sheet(wb, f, "问题清单", f"{report.year}年{report.month}月问题清单办理情况（按责任单位）", headers)
    row = 3
    for unit, s in report.difficulties_by_unit.items():
        _write(ws, row, [unit, s.raised, s.in_play, s.resolved, s.overdue, s.rate], [f.text, *[f.integer] * 4, f.pct])
        row += 1
    row += 1
    overdue_headers = ("项目", "问题", "责任单位", "逾期天数", "督办层级", "督办对象")
    for j, h in enumerate(overdue_headers):
        ws.write_string(row, j, h, f.header)
    for e in report.overdue:
        row += 1
        p = index.get(e.difficulty.project_code)
        values: list[Any] = [
            p.name if p else e.difficulty.project_code,
            e.difficulty.description,
            e.difficulty.owner_unit,
        ]
        values += [e.days_overdue, e.level.label if e.level is not None else "", e.escalated_to or ""]
        _write(ws, row, values, [f.text, f.wrap, f.text, f.integer, f.text, f.text])


def _investment_sheet(wb: xlsxwriter.Workbook, f: _Formats, report: MonthlyReport) -> None:
    headers: tuple[tuple[str, int], ...] = (
        ("产业链", 12),
        ("项目数", 8),
        ("年度计划(万元)", 16),
        ("时序计划(万元)", 16),
    )
    headers += (("累计完成(万元)", 16), ("完成时序进度", 12))
    ws = _sheet(wb, f, "投资进度", f"{report.year}年1-{report.month}月投资完成与时序进度（按产业链）", headers)
    for i, c in enumerate(report.investment_by_chain, start=3):
        values = [c.chain, c.projects, c.year_plan, c.prorated_plan, c.year_to_date, c.ratio]
        _write(ws, i, values, [f.text, f.integer, f.money, f.money, f.money, f.pct])


def write_briefing_xlsx(
    report: MonthlyReport,
    out: Path | BinaryIO,
    *,
    projects: Sequence[Project] = (),
    letterhead: Letterhead | None = None,
) -> None:
    """Write the month's scheduling table to ``out`` (a path or a binary stream)."""
    head = letterhead or Letterhead()
    index = project_index(report, projects)
    wb = safe_workbook(str(out) if isinstance(out, Path) else out, {"in_memory": True})
    try:
        f = _Formats(wb)
        _summary_sheet(wb, f, report, briefing_title(head, report))
        for key in LIST_LABELS:
            _list_sheet(wb, f, report, key)
        _planning_sheet(wb, f, report)
        _flagged_sheet(wb, f, report, index)
        _difficulty_sheet(wb, f, report, index)
        _investment_sheet(wb, f, report)
    finally:
        wb.close()
