"""The look shared by every PDF: A4 pages, running head, page numbers, paragraph and table styles.

Documents build a list of flowables and hand it to :func:`build_pdf`, which
adds the running head (zone name, year, document title) and "第 x 页 共 y 页"
on every page. Class colours come from :mod:`zonehero.core.domain.classes` so a
class looks the same here as on screen and in the xlsx.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.doctemplate import LayoutError

from zonehero.clock import today
from zonehero.core.domain import numbers
from zonehero.core.domain.classes import CLASS_COLOURS, CLASS_TEXT_COLOURS
from zonehero.core.schedule.warnings import Light
from zonehero.reports.pdf.fonts import register_cjk_font

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 20 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
HEADER_COLOUR = colors.HexColor("#1f3b57")
"""Table header fill, the same navy as the xlsx exports."""
RULE_COLOUR = colors.HexColor("#9aa5b1")
ZEBRA_COLOUR = colors.HexColor("#f3f6f9")
LIGHT_COLOURS = {
    "red": colors.HexColor("#d73027"),
    "yellow": colors.HexColor("#fee08b"),
    "green": colors.HexColor("#1a9850"),
}
LIGHT_TEXT_COLOURS = {"red": colors.white, "yellow": colors.black, "green": colors.white}
DASH = "—"


@dataclass(frozen=True)
class Letterhead:
    """Who sends a document and when: printed in the running head and above the seal (盖章)."""

    zone: str = "开发区"
    """Zone name for the running head, e.g. 赣江新区经济技术开发区."""
    issuer: str = ""
    """发文单位 that signs and seals; defaults to the zone's 管理委员会."""
    issued_on: date = field(default_factory=today)  # the zone's date (zonehero.clock), not the server's

    @property
    def signer(self) -> str:
        """The unit named above the seal."""
        return self.issuer or f"{self.zone}管理委员会"


def chinese_date(day: date) -> str:
    """2026年3月5日, the way official documents write dates."""
    return f"{day.year}年{day.month}月{day.day}日"


def fmt_num(value: float | int | None, decimals: int = 2, *, thousands: bool = True) -> str:
    """A number as printed (the pages' rule, :func:`zonehero.core.domain.numbers.fixed`); ``—`` when missing."""
    text = numbers.fixed(value, decimals)
    return text if thousands else text.replace(",", "")


def fmt_pct(value: float | None, decimals: int = 1) -> str:
    """A share (0.25) as 25.0%; an em dash when missing."""
    if decimals == numbers.PERCENT_DECIMALS:
        return numbers.percent(value, share=True)
    text = numbers.fixed(None if value is None else value * 100, decimals)
    return text if text == DASH else f"{text}%"


@dataclass(frozen=True)
class Styles:
    """Paragraph styles in the CJK font."""

    title: ParagraphStyle
    subtitle: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    cell_right: ParagraphStyle
    cell_center: ParagraphStyle
    header_cell: ParagraphStyle
    right: ParagraphStyle


_styles: Styles | None = None


def styles() -> Styles:
    """The paragraph styles (registers the CJK font on first use)."""
    global _styles
    if _styles is None:
        font = register_cjk_font()
        base = ParagraphStyle("base", fontName=font, fontSize=10.5, leading=16, wordWrap="CJK")
        cell = ParagraphStyle("cell", parent=base, fontSize=8.5, leading=11)
        _styles = Styles(
            title=ParagraphStyle("title", parent=base, fontSize=17, leading=25, alignment=TA_CENTER, spaceAfter=4 * mm),
            subtitle=ParagraphStyle("subtitle", parent=base, fontSize=12, leading=18, alignment=TA_CENTER),
            h1=ParagraphStyle(
                "h1",
                parent=base,
                fontSize=14,
                leading=20,
                spaceBefore=5 * mm,
                spaceAfter=2.5 * mm,
                textColor=HEADER_COLOUR,
            ),
            h2=ParagraphStyle("h2", parent=base, fontSize=11.5, leading=17, spaceBefore=3 * mm, spaceAfter=1.5 * mm),
            body=ParagraphStyle("body", parent=base, firstLineIndent=21, spaceAfter=1.5 * mm),
            small=ParagraphStyle("small", parent=base, fontSize=8.5, leading=12, textColor=colors.HexColor("#444444")),
            cell=cell,
            cell_right=ParagraphStyle("cell_right", parent=cell, alignment=TA_RIGHT),
            cell_center=ParagraphStyle("cell_center", parent=cell, alignment=TA_CENTER),
            header_cell=ParagraphStyle("header_cell", parent=cell, alignment=TA_CENTER, textColor=colors.white),
            right=ParagraphStyle("right", parent=base, alignment=TA_RIGHT),
        )
    return _styles


def esc(text: object) -> str:
    """Text safe inside a ReportLab Paragraph (which parses a little XML)."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def para(text: object, style: ParagraphStyle | None = None) -> Paragraph:
    """A paragraph of plain text (escaped) in ``style`` (body by default)."""
    return Paragraph(esc(text), style or styles().body)


@dataclass(frozen=True)
class Column:
    """One column of a :func:`data_table`: header, width in points, alignment (left, right, center)."""

    header: str
    width: float
    align: str = "left"


def data_table(
    columns: Sequence[Column],
    rows: Sequence[Sequence[object]],
    *,
    class_column: int | None = None,
    light_column: int | None = None,
    repeat_header: bool = True,
    extra_styles: Sequence[tuple[Any, ...]] = (),
) -> Table:
    """A ruled table with a navy header that repeats on each page, zebra rows and wrapped cells.

    Cell values are text (None prints as an em dash). ``class_column`` cells
    holding A-D get the class colours; ``light_column`` cells holding
    red/yellow/green labels get the light colours (the cell text is the
    Chinese label, the colour key is looked up from it).
    """
    st = styles()
    cell_style = {"left": st.cell, "right": st.cell_right, "center": st.cell_center}
    data: list[list[Any]] = [[Paragraph(esc(c.header), st.header_cell) for c in columns]]
    for row in rows:
        data.append(
            [Paragraph(esc(DASH if v is None else v), cell_style[c.align]) for c, v in zip(columns, row, strict=True)]
        )
    table = Table(data, colWidths=[c.width for c in columns], repeatRows=1 if repeat_header else 0)
    commands: list[tuple[Any, ...]] = [
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_COLOUR),
        ("GRID", (0, 0), (-1, -1), 0.4, RULE_COLOUR),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    for i in range(2, len(data), 2):
        commands.append(("BACKGROUND", (0, i), (-1, i), ZEBRA_COLOUR))
    for i, row in enumerate(rows, start=1):
        if class_column is not None and row[class_column] in CLASS_COLOURS:
            cls = str(row[class_column])
            commands.append(("BACKGROUND", (class_column, i), (class_column, i), colors.HexColor(CLASS_COLOURS[cls])))
            data[i][class_column] = Paragraph(
                f'<font color="{CLASS_TEXT_COLOURS[cls]}">{esc(cls)}</font>', st.cell_center
            )
        if light_column is not None:
            key = LIGHT_KEYS.get(str(row[light_column]))
            if key is not None:
                commands.append(("BACKGROUND", (light_column, i), (light_column, i), LIGHT_COLOURS[key]))
                text_colour = LIGHT_TEXT_COLOURS[key].hexval().replace("0x", "#")
                data[i][light_column] = Paragraph(
                    f'<font color="{text_colour}">{esc(row[light_column])}</font>', st.cell_center
                )
    commands += list(extra_styles)
    table.setStyle(TableStyle(commands))
    return table


LIGHT_KEYS = {light.label: light.value for light in Light}
"""A light's printed name back to its key (for the cell colour): the labels are the enum's own."""


def key_value_table(pairs: Sequence[tuple[str, object]], *, label_width: float = 38 * mm) -> Table:
    """Two columns, label and value, ruled: the block of facts at the top of a notice."""
    st = styles()
    data = [[Paragraph(esc(k), st.cell), Paragraph(esc(DASH if v is None else v), st.cell)] for k, v in pairs]
    table = Table(data, colWidths=[label_width, CONTENT_WIDTH - label_width])
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, RULE_COLOUR),
                ("BACKGROUND", (0, 0), (0, -1), ZEBRA_COLOUR),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def seal_block(letterhead: Letterhead) -> Flowable:
    """The signature at the foot of a document: issuing unit, （盖章） and date, right-aligned, kept together."""
    st = styles()
    return KeepTogether(
        [
            Spacer(1, 12 * mm),
            Paragraph(esc(letterhead.signer), st.right),
            Paragraph("（盖章）", st.right),
            Paragraph(esc(chinese_date(letterhead.issued_on)), st.right),
        ]
    )


def _page_canvas(running_head: str) -> type[Canvas]:
    """A canvas class that draws the running head and "第 x 页 共 y 页" once the page count is known."""
    font = register_cjk_font()

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self._decorate(number, total)
                super().showPage()
            super().save()

        def _decorate(self, number: int, total: int) -> None:
            self.saveState()
            self.setFont(font, 8.5)
            self.setFillColor(colors.HexColor("#555555"))
            self.drawString(MARGIN, PAGE_HEIGHT - 12 * mm, running_head)
            self.setStrokeColor(RULE_COLOUR)
            self.setLineWidth(0.5)
            self.line(MARGIN, PAGE_HEIGHT - 13.5 * mm, PAGE_WIDTH - MARGIN, PAGE_HEIGHT - 13.5 * mm)
            self.drawCentredString(PAGE_WIDTH / 2, 10 * mm, f"第 {number} 页 共 {total} 页")
            self.restoreState()

    return NumberedCanvas


def build_pdf(story: list[Flowable], *, running_head: str, title: str, author: str = "zonehero") -> bytes:
    """Lay ``story`` out on A4 pages with the running head and page numbers; the PDF bytes."""
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=title,
        author=author,
        creator="zonehero",
        invariant=1,
    )
    try:
        doc.build(story, canvasmaker=_page_canvas(running_head))
    except LayoutError as exc:  # a cell taller than a page: a bug in a generator, not bad user input
        raise RuntimeError(f"PDF layout failed for {title!r}: {exc}") from exc
    return buffer.getvalue()


__all__ = [
    "CONTENT_WIDTH",
    "DASH",
    "TA_LEFT",
    "Column",
    "Letterhead",
    "build_pdf",
    "chinese_date",
    "data_table",
    "esc",
    "fmt_num",
    "fmt_pct",
    "key_value_table",
    "para",
    "seal_block",
    "styles",
]
