"""The 公示 list (评价结果公示名单) as a PDF: 序号, 企业名称, 统一社会信用代码, 分组, 综合得分, 分类, by class.

A short preamble gives the 公示 period and where to send objections; the
list follows, one section per class, and the issuing unit signs at the foot.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from zonehero.core.domain.classes import CLASSES
from zonehero.reports.annual_figures import EvaluationLike
from zonehero.reports.pdf.styles import (
    CONTENT_WIDTH,
    Column,
    Letterhead,
    build_pdf,
    chinese_date,
    data_table,
    fmt_num,
    para,
    seal_block,
    styles,
)
from zonehero.reports.public_list import PublicPeriod, public_rows

TITLE = "企业亩均效益综合评价结果公示"


def public_list_title(letterhead: Letterhead, year: int) -> str:
    """ "<zone><year>年度企业亩均效益综合评价结果公示"."""
    return f"{letterhead.zone}{year}年度{TITLE}"


def preamble(year: int, period: PublicPeriod, total: int, letterhead: Letterhead) -> str:
    """The paragraph above the list: what is published, for how long, where to object."""
    return (
        f"根据{letterhead.zone}企业亩均效益综合评价工作安排，现将{year}年度企业亩均效益综合评价结果（共 {total} 家）"
        f"予以公示。公示期为 {chinese_date(period.start)} 至 {chinese_date(period.end)}"
        f"（{period.notice.phrase}）。"
        f"公示期间，如对评价结果有异议，请以书面形式向{period.contact}反映，写明异议事项和理由并附证明材料。"
    )


def public_list_pdf(result: EvaluationLike, *, period: PublicPeriod, letterhead: Letterhead | None = None) -> bytes:
    """The 公示 list of ``result`` as PDF bytes."""
    head = letterhead or Letterhead()
    st = styles()
    rows = public_rows(result)
    total = sum(len(v) for v in rows.values())
    policies = result.scheme.policies
    title = public_list_title(head, result.year)
    story: list[Flowable] = [
        Spacer(1, 4 * mm),
        para(title, st.title),
        para(preamble(result.year, period, total, head)),
    ]
    columns = [
        Column("序号", 12 * mm, "right"),
        Column("企业名称", 62 * mm),
        Column("统一社会信用代码", 42 * mm),
        Column("分组", 13 * mm, "center"),
        Column("综合得分", 19 * mm, "right"),
        Column("分类", 11 * mm, "center"),
        Column("备注", CONTENT_WIDTH - 159 * mm),
    ]
    for cls in CLASSES:
        members = rows.get(cls, [])
        name = policies[cls].name if cls in policies else ""
        story.append(para(f"{cls}类（{name}）企业 {len(members)} 家", st.h2))
        if members:
            data = [
                [str(r.number), r.name, r.uscc, r.group_label, fmt_num(r.total_score), r.cls, r.note] for r in members
            ]
            story.append(data_table(columns, data, class_column=5))
    story.append(seal_block(head))
    return build_pdf(story, running_head=f"{head.zone} · {result.year}年度{TITLE}", title=title)
