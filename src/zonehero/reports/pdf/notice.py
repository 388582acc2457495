"""The enterprise result notice (评价结果告知书): one PDF per enterprise, or all of a run in one zip.

Each notice states the enterprise's figures and their sources, every
indicator's value, benchmark and score, its class and the differentiated
policies that follow, what would lift it a class (when the lift analysis is
available), and how and until when it may object. The batch writes
``<uscc>_<name>.pdf`` files into a zip and reports progress through a
callback (the CLI draws a Rich progress bar with it).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import BinaryIO

import polars as pl
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from zonehero.core.domain import numbers
from zonehero.core.zone import NoticePeriod, default_zone
from zonehero.reports.annual_figures import EvaluationLike
from zonehero.reports.notice_data import LiftLookup, NoticeContext, NoticeData
from zonehero.reports.pdf.styles import (
    CONTENT_WIDTH,
    Column,
    Letterhead,
    build_pdf,
    chinese_date,
    data_table,
    fmt_num,
    key_value_table,
    para,
    seal_block,
    styles,
)

TITLE = "企业亩均效益综合评价结果告知书"
CHINESE_NUMERALS = "一二三四五六七八九十"
Section = tuple[str, list[Flowable]]
"""A numbered section of the notice: its heading (numbered when laid out) and body."""
Progress = Callable[[int, int], None]
"""Called with (done, total) after each notice."""


def notice_title(year: int) -> str:
    """ "2025年度企业亩均效益综合评价结果告知书"."""
    return f"{year}年度{TITLE}"


def _result_block(n: NoticeData) -> list[Section]:
    cls = f"{n.cls}类（{n.policy_name}）" if n.cls and n.policy_name else (f"{n.cls}类" if n.cls else "不分类")
    pairs: list[tuple[str, object]] = [
        ("企业名称", n.name),
        ("统一社会信用代码", n.uscc),
        ("所属行业", f"{n.industry_code or '—'}　{n.industry}"),
        ("评价分组", n.group_label),
        ("评价状态", f"{n.status_label}：{n.status_reason}"),
    ]
    if n.status in ("evaluated", "vetoed"):
        pairs += [
            ("综合得分", f"{fmt_num(n.total_score)} 分（含加分 {fmt_num(n.bonus)} 分）"),
            ("组内排名", f"第 {n.rank} 名 / 共 {n.group_size} 家" if n.rank is not None else "不参与排名（一票否决）"),
            ("评价分类", cls),
            ("碳效等级", numbers.carbon_grade(n.carbon_grade, long=True)),
        ]
    return [("评价结果", [key_value_table(pairs)])]


def _indicator_block(n: NoticeData) -> list[Section]:
    st = styles()
    if not n.indicators or n.status not in ("evaluated", "vetoed"):
        return []
    columns = [
        Column("维度", 14 * mm),
        Column("指标", 30 * mm),
        Column("单位", 24 * mm),
        Column("企业数值", 24 * mm, "right"),
        Column("基准值", 24 * mm, "right"),
        Column("比值", 16 * mm, "right"),
        Column("权重", 14 * mm, "right"),
        Column("得分", CONTENT_WIDTH - 146 * mm, "right"),
    ]
    rows = [
        [
            i.dimension,
            i.label,
            i.unit,
            numbers.quantity(i.value, i.unit),
            numbers.quantity(i.benchmark, i.unit),
            numbers.percent(i.ratio, share=True),
            numbers.count(i.weight),
            fmt_num(i.score),
        ]
        for i in n.indicators
    ]
    rows.append(["", "加分", "", "", "", "", "", fmt_num(n.bonus)])
    rows.append(["", "综合得分", "", "", "", "", "", fmt_num(n.total_score)])
    note = "得分 = 权重 × 比值（比值 = 企业数值 ÷ 基准值，封顶后计分）；数据缺失的指标按评价方案规则计分。"
    return [("指标得分", [data_table(columns, rows), para(note, st.small)])]


def _source_block(n: NoticeData, has_lineage: bool) -> list[Section]:
    st = styles()
    if not n.sources:
        return []
    columns = [
        Column("数据项", 36 * mm),
        Column("单位", 20 * mm),
        Column("数值", 28 * mm, "right"),
        Column("数据来源", CONTENT_WIDTH - 84 * mm),
    ]
    rows = [[s.label, s.unit, s.value, s.source] for s in n.sources]
    story: list[Flowable] = [data_table(columns, rows)]
    if not has_lineage:
        story.append(para("本告知书生成时未附数据来源明细，基础数据以各部门报送数据为准。", st.small))
    if n.flags:
        story.append(para("数据提示：" + "；".join(n.flags), st.small))
    if n.confirmation:
        story.append(para("企业确认：" + n.confirmation, st.small))
    return [("基础数据及来源", story)]


def _policy_block(n: NoticeData) -> list[Section]:
    if n.cls is None:
        return []
    lines = [f"根据评价分类，贵企业适用{n.cls}类（{n.policy_name or ''}）差别化政策："]
    surcharge = n.electricity_surcharge or 0.0
    if surcharge > 0:
        year_note = f"（连续第 {n.consecutive_d_year} 年评为D类）" if n.consecutive_d_year else ""
        lines.append(f"1. 差别化电价：用电加价 {surcharge:g} 元/千瓦时{year_note}；")
    else:
        lines.append("1. 差别化电价：不加价；")
    lines.append(f"2. 用地用能指标：{n.land_energy_quota or '—'}；")
    if n.policy_other:
        lines.append(f"3. 其他：{n.policy_other}。")
    return [("适用政策", [para(line) for line in lines])]


def _lift_block(n: NoticeData) -> list[Section]:
    if n.lift is None or n.status != "evaluated" or n.cls in (None, "A"):
        return []
    if not n.lift:
        return [("提升路径", [para("在其他企业数据不变的情况下，未找到单项指标可使贵企业提升一个类别的路径。")])]
    return [
        (
            "提升路径",
            [
                para("在其他企业数据不变的情况下，以下任一项可使贵企业提升一个类别："),
                *[para(f"{i}. {s}") for i, s in enumerate(n.lift, start=1)],
            ],
        )
    ]


def _objection_block(letterhead: Letterhead, period: NoticePeriod, contact: str) -> list[Section]:
    text = (
        f"如对评价结果有异议，请自本告知书送达之日起 {period.phrase}内（即 {chinese_date(period.end)} 前），"
        f"向{contact or letterhead.signer}提交书面异议申请，写明异议事项和理由，并附相关证明材料。"
        "逾期未提出异议的，视为无异议。"
    )
    return [("异议申请", [para(text)])]


def notice_story(
    n: NoticeData,
    *,
    year: int,
    letterhead: Letterhead,
    period: NoticePeriod,
    contact: str = "",
    has_lineage: bool = False,
) -> list[Flowable]:
    """The flowables of one notice (exposed so a caller could merge notices into one document)."""
    st = styles()
    story: list[Flowable] = [
        Spacer(1, 4 * mm),
        para(notice_title(year), st.title),
        para(f"{n.name}：", st.h2),
        para(f"根据{letterhead.zone}企业亩均效益综合评价工作安排，现将贵企业{year}年度综合评价结果告知如下。"),
    ]
    sections = [
        *_result_block(n),
        *_indicator_block(n),
        *_source_block(n, has_lineage),
        *_policy_block(n),
        *_lift_block(n),
        *_objection_block(letterhead, period, contact),
    ]
    for number, (heading, body) in enumerate(sections):
        story.append(para(f"{CHINESE_NUMERALS[number]}、{heading}", st.h1))
        story += body
    story.append(seal_block(letterhead))
    return story


def notice_pdf(
    result: EvaluationLike,
    uscc: str,
    *,
    lineage: pl.DataFrame | None = None,
    letterhead: Letterhead | None = None,
    period: NoticePeriod | None = None,
    contact: str = "",
    context: NoticeContext | None = None,
    lifts: LiftLookup | None = None,
    confirmations: Mapping[str, str] | None = None,
) -> bytes:
    """The notice of enterprise ``uscc`` as PDF bytes; KeyError when the run has no such enterprise.

    ``period`` is the objection period the zone's rule gives (a run in 公示: its own period); by default the
    built-in zone's period from the date of issue.
    """
    head = letterhead or Letterhead()
    period = period or default_zone().notice(head.issued_on)
    ctx = context or NoticeContext(result, lineage, lifts=lifts, confirmations=confirmations)
    rows = result.enterprises.filter(pl.col("uscc") == uscc)
    if not rows.height:
        raise KeyError(uscc)
    data = ctx.notice(rows.row(0, named=True))
    story = notice_story(
        data,
        year=result.year,
        letterhead=head,
        period=period,
        contact=contact,
        has_lineage=bool(ctx.lineage),
    )
    return build_pdf(
        story,
        running_head=f"{head.zone} · {notice_title(result.year)}",
        title=f"{notice_title(result.year)}－{data.name}",
    )


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def notice_file_name(uscc: str, name: str) -> str:
    """``<uscc>_<name>.pdf`` with characters that file systems refuse replaced."""
    clean = _UNSAFE.sub("_", name).strip(" .") or "企业"
    return f"{uscc}_{clean}.pdf"


def notices_zip(
    result: EvaluationLike,
    out: Path | BinaryIO,
    *,
    lineage: pl.DataFrame | None = None,
    letterhead: Letterhead | None = None,
    period: NoticePeriod | None = None,
    contact: str = "",
    progress: Progress | None = None,
    lift: bool = True,
    lifts: LiftLookup | None = None,
    part: range | None = None,
    confirmations: Mapping[str, str] | None = None,
) -> list[str]:
    """Write a notice for every enterprise of the run into one zip; the file names in order.

    ``out`` is a path or a binary stream. ``progress(done, total)`` is called
    after each notice. ``lift=False`` leaves out the lift analysis (faster).
    ``part``: only the enterprises at these positions of the zip's order (by USCC), for a batch made in parts.
    """
    head = letterhead or Letterhead()
    period = period or default_zone().notice(head.issued_on)
    ctx = NoticeContext(result, lineage, lift=lift, lifts=lifts, confirmations=confirmations)
    rows = result.enterprises.sort("uscc")
    if part is not None:
        rows = rows.slice(part.start, max(0, len(part)))
    total = rows.height
    names: list[str] = []
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for done, row in enumerate(rows.iter_rows(named=True), start=1):
            data = ctx.notice(row)
            story = notice_story(
                data,
                year=result.year,
                letterhead=head,
                period=period,
                contact=contact,
                has_lineage=bool(ctx.lineage),
            )
            pdf = build_pdf(
                story,
                running_head=f"{head.zone} · {notice_title(result.year)}",
                title=f"{notice_title(result.year)}－{data.name}",
            )
            name = notice_file_name(data.uscc, data.name)
            zf.writestr(name, pdf)
            names.append(name)
            if progress is not None:
                progress(done, total)
    return names
