"""The monthly scheduling briefing (“四个一批”项目调度简报) as a PDF, from a :class:`MonthlyReport`.

Sections: the four lists (planned / achieved / rate, with a chart), the
milestones reached in the month, red and yellow projects with their reasons,
difficulties by owner unit with the overdue ones and who they escalated to,
and year-to-date investment against the pro-rated plan (时序进度) by
industry chain (with a chart). A closed month's report is a stored snapshot,
so the briefing of a closed month does not change with later data.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from zonehero.core.schedule.lists import LIST_LABELS, MilestoneList
from zonehero.core.schedule.model import Project
from zonehero.core.schedule.report import MonthlyReport
from zonehero.reports.pdf.charts import bar_chart
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

TITLE = "“四个一批”项目调度简报"


def briefing_title(letterhead: Letterhead, report: MonthlyReport) -> str:
    """ "<zone>“四个一批”项目调度简报（2026年8月）"."""
    return f"{letterhead.zone}{TITLE}（{report.year}年{report.month}月）"


def project_index(report: MonthlyReport, projects: Sequence[Project] = ()) -> dict[str, Project]:
    """Projects by code: those given, plus every project the report's lists hold."""
    index: dict[str, Project] = {}
    lists = report.lists
    for m in lists.milestone_lists():
        for group in (m.list, m.achieved):
            for p in group:
                index.setdefault(p.code, p)
    for p in lists.planning.list:
        index.setdefault(p.code, p)
    for p in projects:
        index[p.code] = p
    return index


def list_row(m: MilestoneList) -> list[object]:
    """计划, 结转, 完成, 超计划, 滞后, 完成率, 计划投资, 完成投资 of one list."""
    return [
        len(m.list),
        len(m.carried_over),
        len(m.achieved),
        len(m.ahead),
        len(m.late),
        m.rate,
        sum(p.investment for p in m.list),
        sum(p.investment for p in m.achieved),
    ]


def _summary(report: MonthlyReport) -> list[Flowable]:
    st = styles()
    lists = report.lists
    parts = []
    for key, label in LIST_LABELS.items():
        m = getattr(lists, key)
        parts.append(f"{label}计划 {len(m.list)} 个、已完成 {len(m.achieved_on_list)} 个（完成率 {fmt_pct(m.rate)}）")
    red = sum(1 for f in report.flagged if f.light.value == "red")
    yellow = sum(1 for f in report.flagged if f.light.value == "yellow")
    text = (
        f"截至{chinese_date(report.as_of)}，" + "；".join(parts) + f"；谋划一批在库 {len(lists.planning.list)} 个。"
        f"亮红灯项目 {red} 个、黄灯项目 {yellow} 个；逾期未办结问题 {len(report.overdue)} 个。"
    )
    columns = [
        Column("清单", 20 * mm),
        Column("计划", 13 * mm, "right"),
        Column("其中结转", 16 * mm, "right"),
        Column("完成", 13 * mm, "right"),
        Column("其中超计划", 18 * mm, "right"),
        Column("滞后", 13 * mm, "right"),
        Column("完成率", 17 * mm, "right"),
        Column("计划投资(万元)", 28 * mm, "right"),
        Column("完成投资(万元)", CONTENT_WIDTH - 138 * mm, "right"),
    ]
    rows = []
    for key, label in LIST_LABELS.items():
        v = list_row(getattr(lists, key))
        rows.append([label, *[str(x) for x in v[:5]], fmt_pct(v[5]), fmt_num(v[6], 0), fmt_num(v[7], 0)])  # type: ignore[arg-type]
    planning = lists.planning
    rows.append(
        [
            "谋划一批",
            str(len(planning.list)),
            "",
            "",
            "",
            "",
            "",
            fmt_num(sum(p.investment for p in planning.list), 0),
            f"本年新增 {len(planning.new_in_year)} 个",
        ]
    )
    chart = bar_chart(
        list(LIST_LABELS.values()),
        [
            [len(getattr(lists, k).list) for k in LIST_LABELS],
            [len(getattr(lists, k).achieved_on_list) for k in LIST_LABELS],
        ],
        series_names=["计划", "已完成（计划内）"],
        title="三个一批计划与完成（个）",
        width=CONTENT_WIDTH * 0.75,
    )
    return [para("一、总体情况", st.h1), para(text), data_table(columns, rows), Spacer(1, 3 * mm), chart]


def _moves(report: MonthlyReport) -> list[Flowable]:
    st = styles()
    story: list[Flowable] = [para("二、本月节点推进", st.h1)]
    if not report.stage_moves:
        return [*story, para("本月无项目达到签约、开工或投产节点。")]
    columns = [
        Column("项目编号", 24 * mm),
        Column("项目名称", CONTENT_WIDTH - 72 * mm),
        Column("节点", 20 * mm, "center"),
        Column("日期", 28 * mm, "center"),
    ]
    rows = [[m.code, m.name, m.milestone.label, m.on.isoformat()] for m in report.stage_moves]
    story.append(para(f"本月共 {len(report.stage_moves)} 个项目节点取得进展。"))
    story.append(data_table(columns, rows))
    return story


def _lights(report: MonthlyReport, index: dict[str, Project]) -> list[Flowable]:
    st = styles()
    story: list[Flowable] = [para("三、红黄灯预警项目", st.h1)]
    if not report.flagged:
        return [*story, para("本月无红灯、黄灯项目。")]
    columns = [
        Column("项目编号", 20 * mm),
        Column("项目名称", 46 * mm),
        Column("责任单位", 22 * mm),
        Column("预警", 12 * mm, "center"),
        Column("预警原因", CONTENT_WIDTH - 100 * mm),
    ]
    rows = []
    for f in report.flagged:
        p = index.get(f.code)
        rows.append([f.code, p.name if p else "", (p.unit or "") if p else "", f.light.label, "；".join(f.reasons)])
    story.append(data_table(columns, rows, light_column=3))
    return story


def _difficulties(report: MonthlyReport, index: dict[str, Project]) -> list[Flowable]:
    st = styles()
    story: list[Flowable] = [para("四、问题清单办理情况", st.h1)]
    if not report.difficulties_by_unit:
        return [*story, para("本期无问题清单数据。")]
    columns = [
        Column("责任单位", 50 * mm),
        Column("本月新增", 22 * mm, "right"),
        Column("在办", 22 * mm, "right"),
        Column("本月办结", 22 * mm, "right"),
        Column("逾期", 22 * mm, "right"),
        Column("办结率", CONTENT_WIDTH - 138 * mm, "right"),
    ]
    rows = [
        [unit, str(s.raised), str(s.in_play), str(s.resolved), str(s.overdue), fmt_pct(s.rate)]
        for unit, s in report.difficulties_by_unit.items()
    ]
    story.append(data_table(columns, rows))
    if report.overdue:
        story.append(para(f"逾期未办结问题 {len(report.overdue)} 个，按规定逐级督办：", st.h2))
        columns = [
            Column("项目", 40 * mm),
            Column("问题", CONTENT_WIDTH - 128 * mm),
            Column("责任单位", 28 * mm),
            Column("逾期天数", 16 * mm, "right"),
            Column("督办层级", 20 * mm, "center"),
            Column("督办对象", 24 * mm),
        ]
        rows = []
        for e in report.overdue:
            p = index.get(e.difficulty.project_code)
            rows.append(
                [
                    p.name if p else e.difficulty.project_code,
                    e.difficulty.description,
                    e.difficulty.owner_unit,
                    str(e.days_overdue),
                    e.level.label if e.level is not None else "",
                    e.escalated_to or "",
                ]
            )
        story.append(data_table(columns, rows))
    return story


def _investment(report: MonthlyReport) -> list[Flowable]:
    st = styles()
    story: list[Flowable] = [para("五、投资完成情况（按产业链）", st.h1)]
    chains = report.investment_by_chain
    if not chains:
        return [*story, para("本期无年度计划投资数据。")]
    columns = [
        Column("产业链", 30 * mm),
        Column("项目数", 16 * mm, "right"),
        Column("年度计划(万元)", 30 * mm, "right"),
        Column("时序计划(万元)", 30 * mm, "right"),
        Column("累计完成(万元)", 30 * mm, "right"),
        Column("完成时序进度", CONTENT_WIDTH - 136 * mm, "right"),
    ]
    rows = [
        [
            c.chain,
            str(c.projects),
            fmt_num(c.year_plan, 0),
            fmt_num(c.prorated_plan, 0),
            fmt_num(c.year_to_date, 0),
            fmt_pct(c.ratio),
        ]
        for c in chains
    ]
    plan = sum(c.year_plan for c in chains)
    prorated = sum(c.prorated_plan for c in chains)
    ytd = sum(c.year_to_date for c in chains)
    rows.append(
        [
            "合计",
            str(sum(c.projects for c in chains)),
            fmt_num(plan, 0),
            fmt_num(prorated, 0),
            fmt_num(ytd, 0),
            fmt_pct(ytd / prorated if prorated > 0 else None),
        ]
    )
    chart = bar_chart(
        [c.chain for c in chains],
        [[c.prorated_plan for c in chains], [c.year_to_date for c in chains]],
        series_names=["时序计划", "累计完成"],
        title=f"{report.year}年1-{report.month}月投资完成与时序进度（万元）",
    )
    story += [data_table(columns, rows), Spacer(1, 3 * mm), chart]
    return story


def briefing_pdf(
    report: MonthlyReport, *, projects: Sequence[Project] = (), letterhead: Letterhead | None = None
) -> bytes:
    """The briefing of ``report`` as PDF bytes; ``projects`` supplies names and units of flagged projects."""
    head = letterhead or Letterhead()
    st = styles()
    index = project_index(report, projects)
    title = briefing_title(head, report)
    story: list[Flowable] = [
        Spacer(1, 4 * mm),
        para(title, st.title),
        para(f"统计截至{chinese_date(report.as_of)}　投资单位：万元", st.subtitle),
        Spacer(1, 3 * mm),
    ]
    story += _summary(report)
    story += _moves(report)
    story += _lights(report, index)
    story += _difficulties(report, index)
    story += _investment(report)
    story.append(seal_block(head))
    return build_pdf(story, running_head=f"{head.zone} · {TITLE} · {report.year}年{report.month}月", title=title)
