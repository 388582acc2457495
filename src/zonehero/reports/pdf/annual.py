"""The annual evaluation report (年度企业亩均效益综合评价报告) as a PDF for the zone's leaders.

Sections: summary, enterprises per class and group, benchmarks against last
year, distribution charts, by industry division, the four 论, top 20 per
group, the D list, class changes and why, data-quality notes, and as an appendix
the zone map (附图 亩均一张图, :mod:`zonehero.reports.pdf.zone_map`) when the
zone's parcels have polygons. The figures come from
:func:`zonehero.reports.annual_figures.annual_figures`, the same as the
workbook's; the map's colours from the run, as the web map colours them.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Spacer

from zonehero.core.domain import numbers
from zonehero.core.domain.classes import CLASS_COLOURS, CLASSES, GROUP_LABELS, STATUS_LABELS
from zonehero.core.evaluation.distribution import tax_per_mu_bins
from zonehero.reports.annual_figures import AnnualFigures, EvaluationLike, RankedRow, annual_figures
from zonehero.reports.pdf.charts import bar_chart, histogram_chart, pie_chart
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
from zonehero.reports.pdf.zone_map import ZoneMapSheet, map_section

TITLE = "企业亩均效益综合评价报告"


def annual_title(letterhead: Letterhead, year: int) -> str:
    """ "<zone><year>年度企业亩均效益综合评价报告"."""
    return f"{letterhead.zone}{year}年度{TITLE}"


def _summary(f: AnnualFigures) -> list[Flowable]:
    st = styles()
    s = f.status_counts
    t = f.totals
    tax, va = f.tax_per_mu_name, f.value_added_per_mu_name
    classes = f.class_totals
    text = (
        f"{f.year}年度共汇集企业 {f.total} 家数据。其中参评企业 {s['evaluated']} 家，一票否决 {s['vetoed']} 家，"
        f"不参评（新投产或不参评行业）{s['exempt']} 家，不纳入评价 {s['out_of_scope']} 家。"
        f"评价结果：A类 {classes['A']} 家、B类 {classes['B']} 家、C类 {classes['C']} 家、D类 {classes['D']} 家。"
    )
    economy = (
        f"参评及一票否决企业共 {t.enterprises} 家，用地面积合计 {numbers.with_unit(t.land_mu, '亩')}，实缴税金合计 "
        f"{numbers.money_total(t.tax)}，营业收入合计 {numbers.money_total(t.revenue)}，"
        f"工业增加值合计 {numbers.money_total(t.value_added)}，年平均职工 {numbers.with_unit(t.employees, '人')}；"
        f"{tax.label} {fmt_num(t.tax_per_mu)} {tax.unit}，"
        f"{va.label} {fmt_num(t.value_added_per_mu)} {va.unit}。"
    )
    basis = f"评价依据：{f.scheme_name}（版本 {f.scheme_version}）。"
    return [para("一、总体情况", st.h1), para(text), para(economy), para(basis)]


def _classes(f: AnnualFigures) -> list[Flowable]:
    st = styles()
    w = CONTENT_WIDTH / 10
    columns = [
        Column("分组", w * 1.2),
        Column("参评", w, "right"),
        Column("一票否决", w * 1.1, "right"),
        Column("不参评", w, "right"),
        *[Column(f"{c}类", w * 0.95, "right") for c in CLASSES],
        Column("参评平均得分", w * 1.9, "right"),
    ]
    rows = [
        [g.label, g.evaluated, g.vetoed, g.exempt, *[g.classes[c] for c in CLASSES], fmt_num(g.mean_score)]
        for g in f.groups
    ]
    totals = f.class_totals
    rows.append(
        [
            "合计",
            sum(g.evaluated for g in f.groups),
            sum(g.vetoed for g in f.groups),
            sum(g.exempt for g in f.groups),
            *[totals[c] for c in CLASSES],
            "",
        ]
    )
    pies = [
        pie_chart(
            [f"{c}类" for c in CLASSES],
            [g.classes[c] for c in CLASSES],
            colours=[CLASS_COLOURS[c] for c in CLASSES],
            title=f"{g.label}企业分类构成",
        )
        for g in f.groups
    ]
    from reportlab.platypus import Table

    pie_row = Table([pies], colWidths=[CONTENT_WIDTH / 2, CONTENT_WIDTH / 2])
    return [
        para("二、分组分类情况", st.h1),
        data_table(columns, [[str(v) for v in r] for r in rows]),
        Spacer(1, 3 * mm),
        pie_row,
    ]


def _benchmarks(f: AnnualFigures) -> list[Flowable]:
    st = styles()
    has_previous = f.previous_year is not None
    columns = [
        Column("分组", 16 * mm),
        Column("指标", 38 * mm),
        Column("单位", 28 * mm),
        Column(f"{f.year}年基准值", 32 * mm, "right"),
    ]
    if has_previous:
        columns += [Column(f"{f.previous_year}年基准值", 32 * mm, "right"), Column("同比变化", 24 * mm, "right")]
    rows = []
    for b in f.benchmarks:
        row = [GROUP_LABELS.get(b.group, b.group), b.label, b.unit, numbers.quantity(b.benchmark, b.unit)]
        if has_previous:
            row += [numbers.quantity(b.previous, b.unit), fmt_pct(b.change)]
        rows.append(row)
    note = "基准值为组内参评及一票否决企业的区域平均值（指标分子合计 ÷ 分母合计）。" + (
        "" if has_previous else "未提供上年评价结果，不作同比比较。"
    )
    return [para("三、评价基准值", st.h1), data_table(columns, rows), para(note, st.small)]


def _per_unit(title: str, *units: str) -> str:
    """ "亩均税收分布（万元/亩，家）"; a unit the scheme leaves empty is left out."""
    shown = "，".join(u for u in units if u)
    return f"{title}（{shown}）" if shown else title


def _distributions(f: AnnualFigures) -> list[Flowable]:
    st = styles()
    tax = f.tax_per_mu_name
    return [
        para("四、分布情况", st.h1),
        KeepTogether(
            [
                histogram_chart(f.scores, title="参评企业综合得分分布（家）", width=20.0),
                Spacer(1, 4 * mm),
                histogram_chart(
                    f.tax_per_mu, title=_per_unit(f"{tax.label}分布", tax.unit, "家"), binning=tax_per_mu_bins
                ),
            ]
        ),
    ]


def _divisions(f: AnnualFigures) -> list[Flowable]:
    st = styles()
    tax = f.tax_per_mu_name
    columns = [
        Column("代码", 12 * mm, "center"),
        Column("行业大类", 52 * mm),
        Column("企业数", 14 * mm, "right"),
        *[Column(f"{c}类", 11 * mm, "right") for c in CLASSES],
        Column("平均得分", 20 * mm, "right"),
        Column(tax.heading, 28 * mm, "right"),
    ]
    rows = [
        [
            d.division,
            d.name,
            str(d.scored),
            *[str(d.classes[c]) for c in CLASSES],
            fmt_num(d.mean_score),
            fmt_num(d.tax_per_mu),
        ]
        for d in f.divisions
    ]
    top = f.divisions[:12]
    chart = bar_chart(
        [d.division for d in top],
        [[d.tax_per_mu or 0.0 for d in top]],
        title=_per_unit(f"主要行业大类{tax.label}", tax.unit, "按企业数排序前12"),
        value_format="{:.1f}",
    )
    return [para("五、分行业情况", st.h1), data_table(columns, rows), Spacer(1, 3 * mm), chart]


def _dimensions(f: AnnualFigures) -> list[Flowable]:
    st = styles()
    columns = [
        Column("分组", 20 * mm),
        Column("维度（论）", 30 * mm),
        Column("权重", 25 * mm, "right"),
        Column("参评企业平均得分", 40 * mm, "right"),
        Column("得分率（平均得分/权重）", 50 * mm, "right"),
    ]
    rows = [
        [
            GROUP_LABELS.get(d.group, d.group),
            f"{d.dimension}论英雄",
            fmt_num(d.weight),
            fmt_num(d.mean_score),
            fmt_pct(d.share),
        ]
        for d in f.dimensions
    ]
    chart = bar_chart(
        [f"{GROUP_LABELS.get(d.group, d.group)}·{d.dimension}" for d in f.dimensions],
        [[(d.share or 0.0) * 100 for d in f.dimensions]],
        title="“四个论英雄”各维度得分率（%）",
        value_format="{:.1f}",
    )
    text = "得分率为参评企业在该维度各指标得分之和的平均值除以该维度权重；指标得分封顶为权重的倍数，得分率可高于100%。"
    return [para("六、“四个论英雄”维度分析", st.h1), data_table(columns, rows), para(text, st.small), chart]


def _ranked_table(rows: list[RankedRow], *, with_note: bool = False) -> Flowable:
    columns = [
        Column("排名", 12 * mm, "right"),
        Column("企业名称", 62 * mm),
        Column("统一社会信用代码", 40 * mm),
        Column("综合得分", 20 * mm, "right"),
        Column("分类", 12 * mm, "center"),
    ]
    if with_note:
        columns = [Column("分组", 12 * mm), *columns[:-1], Column("分类", 10 * mm, "center")]
        columns[2] = Column("企业名称", 46 * mm)
        columns.append(Column("说明", 30 * mm))
        data = [
            [
                GROUP_LABELS.get(r.group, r.group),
                str(r.rank or "—"),
                r.name,
                r.uscc,
                fmt_num(r.total_score),
                r.cls,
                r.note,
            ]
            for r in rows
        ]
        return data_table(columns, data, class_column=5)
    data = [[str(r.rank or "—"), r.name, r.uscc, fmt_num(r.total_score), r.cls] for r in rows]
    return data_table(columns, data, class_column=4)


def _top_and_d(f: AnnualFigures) -> list[Flowable]:
    st = styles()
    story: list[Flowable] = [para("七、综合得分排名前20位企业", st.h1)]
    for group, rows in f.top.items():
        story.append(para(f"{GROUP_LABELS.get(group, group)}企业（前{len(rows)}位）", st.h2))
        story.append(_ranked_table(rows) if rows else para("本组无参评企业。"))
    story.append(para("八、D类（整治提升类）企业名单", st.h1))
    story.append(para(f"本年度D类企业共 {len(f.d_list)} 家。"))
    if f.d_list:
        story.append(_ranked_table(f.d_list, with_note=True))
    return story


def _changes(f: AnnualFigures) -> list[Flowable]:
    st = styles()
    story: list[Flowable] = [para("九、分类变动情况", st.h1)]
    if f.previous_year is None:
        return [*story, para("未提供上年评价结果，不作分类变动比较。")]
    counts = {k: sum(1 for c in f.changes if c.direction == k) for k in ("升", "降", "新增", "退出")}
    story.append(
        para(
            f"与{f.previous_year}年度相比，分类发生变化的企业共 {len(f.changes)} 家：上升 {counts['升']} 家，"
            f"下降 {counts['降']} 家，新纳入分类 {counts['新增']} 家，退出分类 {counts['退出']} 家。"
        )
    )
    if f.changes:
        columns = [
            Column("企业名称", 44 * mm),
            Column("上年", 10 * mm, "center"),
            Column("本年", 10 * mm, "center"),
            Column("变动", 10 * mm, "center"),
            Column("变动原因", CONTENT_WIDTH - 74 * mm),
        ]
        rows = [[c.name, c.previous_class or "—", c.cls or "—", c.direction, c.reason] for c in f.changes]
        story.append(data_table(columns, rows, class_column=2))
    return story


def _quality(f: AnnualFigures) -> list[Flowable]:
    st = styles()
    story: list[Flowable] = [para("十、数据质量说明", st.h1)]
    if f.warnings:
        story.append(para("评价提示：", st.h2))
        story += [para(f"{i}. {w}") for i, w in enumerate(f.warnings, start=1)]
    else:
        story.append(para("本次评价无基准值异常等评价提示。"))
    if f.flags:
        story.append(para("企业数据标记（按企业数）：", st.h2))
        story.append(
            data_table(
                [Column("数据标记", 130 * mm), Column("企业数", 25 * mm, "right")],
                [[x.label, str(x.count)] for x in f.flags],
            )
        )
    status_text = "；".join(f"{STATUS_LABELS[k]} {v} 家" for k, v in f.status_counts.items())
    story.append(para(f"评价状态：{status_text}。", st.small))
    return story


def annual_report_pdf(
    result: EvaluationLike,
    *,
    previous: EvaluationLike | None = None,
    letterhead: Letterhead | None = None,
    zone_map: ZoneMapSheet | None = None,
) -> bytes:
    """The annual report of ``result`` (compared with ``previous`` when given) as PDF bytes.

    ``zone_map``: the run's 亩均一张图, drawn on a page of its own after the seal; a sheet with nothing to draw
    prints its one-line reason in the data-quality notes instead; None (a report made from files) says nothing."""
    head = letterhead or Letterhead()
    figures = annual_figures(result, previous)
    st = styles()
    title = annual_title(head, figures.year)
    story: list[Flowable] = [
        Spacer(1, 6 * mm),
        para(title, st.title),
        para(f"{head.signer}　{chinese_date(head.issued_on)}", st.subtitle),
        Spacer(1, 4 * mm),
    ]
    story += _summary(figures)
    story += _classes(figures)
    story += _benchmarks(figures)
    story += _distributions(figures)
    story += _divisions(figures)
    story += _dimensions(figures)
    story.append(PageBreak())
    story += _top_and_d(figures)
    story += _changes(figures)
    story += _quality(figures)
    if zone_map is not None and not zone_map.drawable:
        story.append(para(zone_map.absent, st.small))
    story.append(seal_block(head))
    if zone_map is not None and zone_map.drawable:
        story.append(PageBreak())
        story += map_section(zone_map, f"附图　{figures.year}年度亩均一张图")
    return build_pdf(story, running_head=f"{head.zone} · {figures.year}年度{TITLE}", title=title)
