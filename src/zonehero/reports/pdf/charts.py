"""Server-side charts for the PDFs, drawn with ``reportlab.graphics`` (no browser, no matplotlib).

Each function returns a :class:`Drawing`, a flowable that goes straight into
a story. Labels are set in the embedded CJK font; class colours come from
:mod:`zonehero.core.domain.classes`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors

from zonehero.core.evaluation.distribution import Bin, histogram_bins
from zonehero.reports.pdf.fonts import register_cjk_font
from zonehero.reports.pdf.styles import CONTENT_WIDTH, HEADER_COLOUR

SERIES_COLOURS = ("#1f3b57", "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1")


def _title(drawing: Drawing, text: str, font: str) -> None:
    drawing.add(String(drawing.width / 2, drawing.height - 12, text, fontName=font, fontSize=10, textAnchor="middle"))


def bar_chart(
    categories: Sequence[str],
    series: Sequence[Sequence[float]],
    *,
    title: str = "",
    series_names: Sequence[str] = (),
    bar_colours: Sequence[str] | None = None,
    width: float = CONTENT_WIDTH,
    height: float = 170,
    value_format: str = "{:.0f}",
    label_angle: int = 0,
) -> Drawing:
    """Vertical bars, one series or several side by side, with values on top and an optional legend.

    ``bar_colours`` colours the bars of a single series one by one (class colours, for example).
    """
    font = register_cjk_font()
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    bottom = 45 if label_angle else 30
    legend_room = 18 if series_names else 0
    chart.x, chart.y = 40, bottom
    chart.width = width - 60
    chart.height = height - bottom - 22 - legend_room
    chart.data = [list(s) for s in series] if series and categories else [[0]]
    chart.categoryAxis.categoryNames = list(categories) if categories else [""]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 7.5
    if label_angle:
        chart.categoryAxis.labels.angle = label_angle
        chart.categoryAxis.labels.boxAnchor = "ne"
        chart.categoryAxis.labels.dy = -2
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7.5
    chart.valueAxis.valueMin = 0
    top = max((max(s) for s in series if len(s)), default=0.0)
    chart.valueAxis.valueMax = top * 1.15 if top > 0 else 1
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#dddddd")
    # Values on top of the bars, unless side-by-side bars are too narrow for them.
    crowded = len(chart.data) > 1 and len(chart.categoryAxis.categoryNames) > 5
    chart.barLabelFormat = None if crowded else value_format.format
    chart.barLabels.fontName = font
    chart.barLabels.fontSize = 7
    chart.barLabels.nudge = 6
    chart.groupSpacing = 6
    for i in range(len(chart.data)):
        chart.bars[i].fillColor = colors.HexColor(SERIES_COLOURS[i % len(SERIES_COLOURS)])
        chart.bars[i].strokeColor = None
    if bar_colours and len(chart.data) == 1:
        for j, colour in enumerate(bar_colours):
            chart.bars[(0, j)].fillColor = colors.HexColor(colour)
    drawing.add(chart)
    if series_names:
        legend = Legend()
        legend.fontName = font
        legend.fontSize = 8
        legend.alignment = "right"
        legend.columnMaximum = 1
        legend.x = 45
        legend.y = height - 24
        legend.dx = legend.dy = 7
        legend.colorNamePairs = [
            (colors.HexColor(SERIES_COLOURS[i % len(SERIES_COLOURS)]), name) for i, name in enumerate(series_names)
        ]
        drawing.add(legend)
    if title:
        _title(drawing, title, font)
    return drawing


def histogram_chart(
    values: Sequence[float],
    *,
    title: str,
    width: float | None = None,
    bins: int = 10,
    upper_quantile: float | None = None,
    binning: Callable[[Sequence[float]], list[Bin]] | None = None,
    **kwargs: object,
) -> Drawing:
    """A histogram as bars (count per bin): ``binning`` when given (the core's rule for a figure), else
    :func:`histogram_bins` with ``width``, ``bins`` and ``upper_quantile``."""
    found = (
        binning(values) if binning else histogram_bins(values, width=width, bins=bins, upper_quantile=upper_quantile)
    )
    return bar_chart(
        [b.label for b in found],
        [[b.count for b in found]],
        title=title,
        label_angle=30 if len(found) > 8 else 0,
        **kwargs,  # type: ignore[arg-type]
    )


def pie_chart(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    colours: Sequence[str] | None = None,
    title: str = "",
    width: float = CONTENT_WIDTH / 2,
    height: float = 170,
) -> Drawing:
    """A pie with "label n (share)" in a legend on the right; empty slices are left out."""
    font = register_cjk_font()
    drawing = Drawing(width, height)
    kept = [
        (lab, float(v), colours[i] if colours else None)
        for i, (lab, v) in enumerate(zip(labels, values, strict=True))
        if v > 0
    ]
    total = sum(v for _, v, _ in kept)
    size = min(height - 40, width * 0.5)
    if kept:
        pie = Pie()
        pie.x, pie.y = 10, (height - 20 - size) / 2
        pie.width = pie.height = size
        pie.data = [v for _, v, _ in kept]
        pie.labels = None
        pie.slices.strokeColor = colors.white
        pie.slices.strokeWidth = 0.8
        for i, (_, _, colour) in enumerate(kept):
            pie.slices[i].fillColor = colors.HexColor(colour or SERIES_COLOURS[i % len(SERIES_COLOURS)])
        drawing.add(pie)
        legend = Legend()
        legend.fontName = font
        legend.fontSize = 8
        legend.alignment = "right"
        legend.columnMaximum = len(kept)
        legend.x = size + 25
        legend.y = height / 2 + 8 * len(kept) / 2
        legend.dx = legend.dy = 7
        legend.deltay = 12
        legend.colorNamePairs = [
            (pie.slices[i].fillColor, f"{lab} {v:g}（{v / total:.1%}）") for i, (lab, v, _) in enumerate(kept)
        ]
        drawing.add(legend)
    else:
        drawing.add(String(width / 2, height / 2, "无数据", fontName=font, fontSize=9, textAnchor="middle"))
    if title:
        _title(drawing, title, font)
    return drawing


__all__ = ["HEADER_COLOUR", "Bin", "bar_chart", "histogram_bins", "histogram_chart", "pie_chart"]
