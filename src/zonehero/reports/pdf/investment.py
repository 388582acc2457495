"""The monthly 招商 briefing (招商月报) as a PDF, from an :class:`InvestmentBriefing`.

Sections: the month (new leads, stage moves, signings), the year to date (the spec's figures with the 「5020」
check), the funnel, the leads late on their clocks, then the year's figures by chain and by unit and the 全员招商
board. Styles, fonts and tables are the scheduling briefing's.
"""

from __future__ import annotations

import math

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from zonehero.core.investment.report import InvestmentBriefing
from zonehero.reports.pdf.charts import bar_chart
from zonehero.reports.pdf.investment_rows import (
    BREAKDOWN_HEADERS,
    BREAKDOWN_KINDS,
    TITLE,
    breakdown_row,
    breakdowns,
    briefing_title,
    figure_rows,
)
from zonehero.reports.pdf.styles import (
    CONTENT_WIDTH,
    Column,
    Letterhead,
    build_pdf,
    chinese_date,
    data_table,
    fmt_num,
    fmt_pct,
    para,
    seal_block,
    styles,
)


def _value(value: object, kind: str) -> str:
    if kind == "money":
        return fmt_num(value, 0)  # type: ignore[arg-type]
    if kind == "rate":
        return fmt_pct(value)  # type: ignore[arg-type]
    return str(value)


def _month(b: InvestmentBriefing) -> list[Flowable]:
    st = styles()
    counted = fmt_num(math.fsum(s.counted_investment for s in b.signings), 0)
    story: list[Flowable] = [
        para("一、本月情况", st.h1),
        para(
            f"{b.year}年{b.month}月新报送线索 {len(b.new_leads)} 条，阶段推进 {len(b.moves)} 次，"
            f"签约 {len(b.signings)} 个（合同投资计入 {counted} 万元）。"
        ),
    ]
    if b.new_leads:
        story.append(para("（一）新报送线索", st.h2))
        columns = [
            Column("编号", 14 * mm),
            Column("投资方", CONTENT_WIDTH - 106 * mm),
            Column("产业链", 22 * mm),
            Column("报送人", 22 * mm),
            Column("报送单位", 26 * mm),
            Column("报送日期", 22 * mm, "center"),
        ]
        rows = [
            [f"#{x.lead_id}", x.investor, x.chain or "", x.reporter, x.unit or "", x.reported_on.isoformat()]
            for x in b.new_leads
        ]
        story.append(data_table(columns, rows))
    if b.moves:
        story.append(para("（二）阶段推进", st.h2))
        columns = [
            Column("编号", 14 * mm),
            Column("投资方", CONTENT_WIDTH - 60 * mm),
            Column("推进至", 22 * mm, "center"),
            Column("日期", 24 * mm, "center"),
        ]
        rows = [[f"#{m.lead.lead_id}", m.lead.investor, m.to_stage.label, m.on.isoformat()] for m in b.moves]
        story.append(data_table(columns, rows))
    if b.signings:
        story.append(para("（三）签约项目", st.h2))
        columns = [
            Column("编号", 14 * mm),
            Column("投资方", CONTENT_WIDTH - 116 * mm),
            Column("项目编号", 26 * mm),
            Column("签约日期", 22 * mm, "center"),
            Column("合同投资(万元)", 27 * mm, "right"),
            Column("计入(万元)", 27 * mm, "right"),
        ]
        rows = [
            [
                f"#{s.lead.lead_id}",
                s.lead.investor,
                s.project,
                s.signed_on.isoformat(),
                fmt_num(s.lead.contract_investment, 0),
                fmt_num(s.counted_investment, 0),
            ]
            for s in b.signings
        ]
        story.append(data_table(columns, rows))
    return story


def _year(b: InvestmentBriefing) -> list[Flowable]:
    st = styles()
    ytd = b.year_to_date
    f = ytd.figures
    columns = [Column("指标", 44 * mm), Column("数值", 36 * mm, "right"), Column("说明", CONTENT_WIDTH - 80 * mm)]
    rows = [[label, _value(value, kind), note] for label, value, kind, note in figure_rows(f, ytd.thresholds)]
    text = (
        f"{b.year}年1-{b.month}月新签约项目 {f.signed_projects} 个，合同投资 {fmt_num(f.signed_investment, 0)} 万元；"
        f"五十亿元以上项目 {f.projects_over_5e9} 个，“5020” {'达标' if f.rule_5020_met else '未达标'}。"
    )
    return [para("二、本年累计", st.h1), para(text), data_table(columns, rows)]


def _funnel(b: InvestmentBriefing) -> list[Flowable]:
    st = styles()
    stages = b.year_to_date.funnel
    columns = [
        Column("阶段", 30 * mm),
        Column("到达线索数", 30 * mm, "right"),
        Column("转化率", 30 * mm, "right"),
        Column("距上一阶段天数（中位数）", CONTENT_WIDTH - 90 * mm, "right"),
    ]
    rows = [
        [
            s.label,
            str(s.reached),
            fmt_pct(s.conversion),
            fmt_num(s.median_days, 1) if s.median_days is not None else None,
        ]
        for s in stages
    ]
    chart = bar_chart(
        [s.label for s in stages],
        [[s.reached for s in stages]],
        series_names=["到达线索数"],
        title=f"{b.year}年报送线索各阶段到达数（条）",
        width=CONTENT_WIDTH * 0.75,
    )
    return [para("三、招商漏斗（本年报送的线索）", st.h1), data_table(columns, rows), Spacer(1, 3 * mm), chart]


def _late(b: InvestmentBriefing) -> list[Flowable]:
    st = styles()
    story: list[Flowable] = [para("四、超时限线索", st.h1)]
    if not b.late:
        return [*story, para("截至月末无超过时限的线索。")]
    story.append(para(f"截至{chinese_date(b.as_of)}，{len(b.late)} 条线索超过时限："))
    columns = [
        Column("编号", 14 * mm),
        Column("投资方", CONTENT_WIDTH - 118 * mm),
        Column("阶段", 14 * mm, "center"),
        Column("时限", 22 * mm, "center"),
        Column("到期日", 22 * mm, "center"),
        Column("逾期天数", 18 * mm, "right"),
        Column("督办对象", 28 * mm),
    ]
    rows = [
        [f"#{x.lead_id}", x.investor, x.stage, x.clock, x.due.isoformat(), str(x.days_overdue), x.escalated_to or ""]
        for x in b.late
    ]
    return [*story, data_table(columns, rows)]


def _breakdowns(b: InvestmentBriefing) -> list[Flowable]:
    st = styles()
    story: list[Flowable] = []
    number = ("五", "六")
    for i, (title, first, rows_of) in enumerate(breakdowns(b)):
        story.append(para(f"{number[i]}、本年累计{title}", st.h1))
        widths = [13, 22, 14, 14, 14, 16, 10, 11, 11]
        columns = [Column(first, CONTENT_WIDTH - sum(widths) * mm)]
        columns += [Column(h, w * mm, "right") for h, w in zip(BREAKDOWN_HEADERS, widths, strict=True)]
        rows = [
            [name, *[_value(v, k) for v, k in zip(breakdown_row(x), BREAKDOWN_KINDS, strict=True)]]
            for name, x in rows_of
        ]
        story.append(data_table(columns, rows) if rows else para("无。"))
    return story


def _board(b: InvestmentBriefing) -> list[Flowable]:
    st = styles()
    story: list[Flowable] = [para("七、全员招商（本年，按首报人计）", st.h1)]
    for title, rows_of in (("按报送人", b.year_to_date.board.by_reporter), ("按单位", b.year_to_date.board.by_unit)):
        story.append(para(title, st.h2))
        columns = [
            Column("报送人" if title == "按报送人" else "单位", CONTENT_WIDTH - 100 * mm),
            Column("报送线索", 22 * mm, "right"),
            Column("首报（计入）", 24 * mm, "right"),
            Column("签约", 20 * mm, "right"),
            Column("签约投资(万元)", 34 * mm, "right"),
        ]
        rows = [
            [r.name, str(r.reported), str(r.credited), str(r.signings), fmt_num(r.signed_investment, 0)]
            for r in rows_of
        ]
        story.append(data_table(columns, rows) if rows else para("无。"))
    return story


def investment_briefing_pdf(briefing: InvestmentBriefing, *, letterhead: Letterhead | None = None) -> bytes:
    """The 招商月报 of ``briefing`` as PDF bytes."""
    head = letterhead or Letterhead()
    st = styles()
    title = briefing_title(head, briefing)
    story: list[Flowable] = [
        Spacer(1, 4 * mm),
        para(title, st.title),
        para(f"统计截至{chinese_date(briefing.as_of)}　投资单位：万元", st.subtitle),
        Spacer(1, 3 * mm),
    ]
    story += _month(briefing)
    story += _year(briefing)
    story += _funnel(briefing)
    story += _late(briefing)
    story += _breakdowns(briefing)
    story += _board(briefing)
    story.append(seal_block(head))
    running = f"{head.zone} · {TITLE} · {briefing.year}年{briefing.month}月"
    return build_pdf(story, running_head=running, title=title)
