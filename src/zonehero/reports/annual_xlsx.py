"""The annual evaluation report's figures as an Excel workbook, one sheet per section of the PDF.

The figures come from :func:`zonehero.reports.annual_figures.annual_figures`,
so the workbook and the PDF print the same numbers (the workbook keeps full
precision, formatted to the PDF's decimals).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, BinaryIO

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from zonehero.core.domain import numbers
from zonehero.core.domain.classes import CLASS_COLOURS, CLASS_TEXT_COLOURS, CLASSES, GROUP_LABELS, STATUS_LABELS
from zonehero.core.evaluation.distribution import histogram_bins, tax_per_mu_bins
from zonehero.reports.annual_figures import AnnualFigures, EvaluationLike, IndicatorName, RankedRow, annual_figures
from zonehero.reports.pdf.styles import Letterhead
from zonehero.reports.safe_cells import safe_workbook

SHEETS = ("总体情况", "评价基准值", "分布情况", "分行业", "四个论英雄", "前20名", "D类名单", "分类变动", "数据质量")


class _Writer:
    """Formats and a helper that writes one table per sheet."""

    def __init__(self, wb: xlsxwriter.Workbook) -> None:
        base = {"font_name": "微软雅黑", "font_size": 10}
        self.wb = wb
        self.title = wb.add_format({**base, "bold": True, "font_size": 14})
        self.header = wb.add_format(
            {**base, "bold": True, "bg_color": "#1f3b57", "font_color": "#ffffff", "border": 1, "text_wrap": True}
        )
        self.text = wb.add_format({**base, "border": 1})
        self.formats = {
            "text": self.text,
            "int": wb.add_format({**base, "border": 1, "num_format": "0"}),
            "num2": wb.add_format({**base, "border": 1, "num_format": "#,##0.00"}),
            "value": wb.add_format({**base, "border": 1, "num_format": numbers.XLSX_QUANTITY}),
            "pct": wb.add_format({**base, "border": 1, "num_format": "0.0%"}),
        }
        self.classes = {
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

    def table(
        self,
        ws: Worksheet,
        top: int,
        headers: Sequence[tuple[str, str, int]],
        rows: Sequence[Sequence[Any]],
    ) -> int:
        """Write headers (label, kind, width) at row ``top`` and the rows below; the next free row."""
        for j, (label, _, width) in enumerate(headers):
            ws.write_string(top, j, label, self.header)
            ws.set_column(j, j, width)
        for i, row in enumerate(rows, start=top + 1):
            for j, ((_, kind, _), value) in enumerate(zip(headers, row, strict=True)):
                if value is None:
                    ws.write_blank(i, j, None, self.formats.get(kind, self.text))
                elif kind == "class":
                    fmt = self.classes.get(str(value), self.text)
                    ws.write_string(i, j, str(value), fmt)
                elif kind == "text":
                    ws.write_string(i, j, str(value), self.text)
                else:
                    ws.write_number(i, j, value, self.formats[kind])
        return top + len(rows) + 2

    def sheet(self, name: str, title: str, *, freeze_at: int = 3) -> Worksheet:
        ws = self.wb.add_worksheet(name)
        ws.write_string(0, 0, title, self.title)
        ws.freeze_panes(freeze_at, 0)
        return ws


def _ranked(rows: Sequence[RankedRow]) -> list[list[Any]]:
    return [[GROUP_LABELS.get(r.group, r.group), r.rank, r.name, r.uscc, r.total_score, r.cls, r.note] for r in rows]


RANKED_HEADERS = (
    ("分组", "text", 6),
    ("排名", "int", 6),
    ("企业名称", "text", 36),
    ("统一社会信用代码", "text", 22),
    ("综合得分", "num2", 10),
    ("分类", "class", 6),
    ("说明", "text", 28),
)


def _summary(w: _Writer, f: AnnualFigures, head: Letterhead) -> None:
    ws = w.sheet("总体情况", f"{head.zone}{f.year}年度企业亩均效益综合评价报告", freeze_at=0)
    ws.write_string(1, 0, f"评价方案：{f.scheme_name}（版本 {f.scheme_version}）")
    rows: list[list[Any]] = [[STATUS_LABELS[k], v] for k, v in f.status_counts.items()]
    rows.append(["合计", f.total])
    nxt = w.table(ws, 3, (("评价状态", "text", 16), ("企业数", "int", 12)), rows)
    headers = [("分组", "text", 16), ("参评", "int", 12), ("一票否决", "int", 10), ("不参评", "int", 10)]
    headers += [(f"{c}类", "int", 8) for c in CLASSES] + [("参评平均得分", "num2", 14)]
    group_rows = [
        [g.label, g.evaluated, g.vetoed, g.exempt, *[g.classes[c] for c in CLASSES], g.mean_score] for g in f.groups
    ]
    nxt = w.table(ws, nxt, headers, group_rows)
    t = f.totals
    tax, va = f.tax_per_mu_name, f.value_added_per_mu_name
    totals: list[list[Any]] = [
        ["参评及一票否决企业数（家）", t.enterprises],
        ["用地面积合计（亩）", t.land_mu],
        ["实缴税金合计（万元）", t.tax],
        ["营业收入合计（万元）", t.revenue],
        ["工业增加值合计（万元）", t.value_added],
        ["年平均职工人数（人）", t.employees],
        [tax.heading, t.tax_per_mu],
        [va.heading, t.value_added_per_mu],
    ]
    w.table(ws, nxt, (("项目", "text", 16), ("数值", "num2", 12)), totals)


def _benchmarks(w: _Writer, f: AnnualFigures) -> None:
    ws = w.sheet("评价基准值", f"{f.year}年度评价基准值（区域平均）")
    headers = [("分组", "text", 8), ("指标", "text", 20), ("单位", "text", 16), (f"{f.year}年", "value", 14)]
    headers += [(f"{f.previous_year}年", "value", 14), ("同比变化", "pct", 10)] if f.previous_year else []
    rows = []
    for b in f.benchmarks:
        row = [GROUP_LABELS.get(b.group, b.group), b.label, b.unit, b.benchmark]
        if f.previous_year:
            row += [b.previous, b.change]
        rows.append(row)
    w.table(ws, 2, headers, rows)


def _distributions(w: _Writer, f: AnnualFigures) -> None:
    name = f.tax_per_mu_name
    ws = w.sheet("分布情况", f"综合得分与{name.label}分布")
    scores = histogram_bins(f.scores, width=20.0)
    nxt = w.table(ws, 2, (("综合得分区间", "text", 16), ("企业数", "int", 10)), [[b.label, b.count] for b in scores])
    tax = tax_per_mu_bins(f.tax_per_mu)
    heading = IndicatorName(f"{name.label}区间", name.unit).heading
    w.table(ws, nxt, ((heading, "text", 22), ("企业数", "int", 10)), [[b.label, b.count] for b in tax])


def _divisions(w: _Writer, f: AnnualFigures) -> None:
    ws = w.sheet("分行业", "分行业大类评价情况（参评及一票否决企业）")
    headers = [("代码", "text", 6), ("行业大类", "text", 34), ("企业数", "int", 8)]
    headers += [(f"{c}类", "int", 6) for c in CLASSES]
    headers += [("平均得分", "num2", 10), (f.tax_per_mu_name.heading, "num2", 16)]
    rows = [
        [d.division, d.name, d.scored, *[d.classes[c] for c in CLASSES], d.mean_score, d.tax_per_mu]
        for d in f.divisions
    ]
    w.table(ws, 2, headers, rows)


def _dimensions(w: _Writer, f: AnnualFigures) -> None:
    ws = w.sheet("四个论英雄", "“四个论英雄”维度得分")
    headers = (
        ("分组", "text", 8),
        ("维度", "text", 12),
        ("权重", "num2", 8),
        ("平均得分", "num2", 12),
        ("得分率", "pct", 10),
    )
    rows = [[GROUP_LABELS.get(d.group, d.group), d.dimension, d.weight, d.mean_score, d.share] for d in f.dimensions]
    w.table(ws, 2, headers, rows)


def _lists(w: _Writer, f: AnnualFigures) -> None:
    ws = w.sheet("前20名", "综合得分排名前20位企业（分组）")
    w.table(ws, 2, RANKED_HEADERS, _ranked([r for rows in f.top.values() for r in rows]))
    ws = w.sheet("D类名单", f"D类（整治提升类）企业名单（{len(f.d_list)} 家）")
    w.table(ws, 2, RANKED_HEADERS, _ranked(f.d_list))


def _changes(w: _Writer, f: AnnualFigures) -> None:
    title = f"与{f.previous_year}年度相比分类变动情况" if f.previous_year else "未提供上年评价结果，不作分类变动比较"
    ws = w.sheet("分类变动", title)
    headers = (
        ("企业名称", "text", 36),
        ("统一社会信用代码", "text", 22),
        ("上年分类", "class", 8),
        ("本年分类", "class", 8),
        ("变动", "text", 6),
        ("上年得分", "num2", 10),
        ("本年得分", "num2", 10),
        ("变动原因", "text", 70),
    )
    rows = [
        [c.name, c.uscc, c.previous_class, c.cls, c.direction, c.previous_score, c.total_score, c.reason]
        for c in f.changes
    ]
    w.table(ws, 2, headers, rows)


def _quality(w: _Writer, f: AnnualFigures) -> None:
    ws = w.sheet("数据质量", "数据质量说明")
    nxt = w.table(ws, 2, (("评价提示", "text", 90),), [[x] for x in f.warnings] or [["无"]])
    w.table(ws, nxt, (("数据标记", "text", 60), ("企业数", "int", 10)), [[x.label, x.count] for x in f.flags])


def write_annual_xlsx(
    result: EvaluationLike,
    out: Path | BinaryIO,
    *,
    previous: EvaluationLike | None = None,
    letterhead: Letterhead | None = None,
) -> None:
    """Write the annual report's figures for ``result`` (vs ``previous``) to ``out`` (a path or a binary stream)."""
    figures = annual_figures(result, previous)
    head = letterhead or Letterhead()
    wb = safe_workbook(str(out) if isinstance(out, Path) else out, {"in_memory": True, "nan_inf_to_errors": True})
    try:
        writer = _Writer(wb)
        _summary(writer, figures, head)
        _benchmarks(writer, figures)
        _distributions(writer, figures)
        _divisions(writer, figures)
        _dimensions(writer, figures)
        _lists(writer, figures)
        _changes(writer, figures)
        _quality(writer, figures)
    finally:
        wb.close()
