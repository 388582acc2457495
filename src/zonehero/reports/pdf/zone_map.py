"""亩均一张图 in the annual report: the zone's parcels as a vector drawing (ReportLab graphics), no tiles.

The web map (ECharts, :mod:`zonehero.features.cockpit.zone_map`) decides each parcel's colour; the documents feature
hands the same decisions here as a :class:`ZoneMapSheet`, so the printed map cannot colour a parcel otherwise.

Projection: one equirectangular projection around the centre of the zone's bounding box, the same for every parcel:
``x = R · Δλ · cos φ₀``, ``y = R · Δφ`` (λ, φ in radians, φ₀ the centre's latitude, R the Earth's mean radius). A zone
is a few kilometres across, so the error against a true conformal projection (and between CGCS2000 and WGS84) is far
below what a printed page shows, and distances in metres hold for the scale bar. The drawing keeps the aspect ratio
(one metre is as long east-west as north-south) and fits the zone into the page's box.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.graphics.shapes import FILL_EVEN_ODD, Drawing, Line, Path, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from zonehero.reports.pdf.fonts import register_cjk_font
from zonehero.reports.pdf.styles import CONTENT_WIDTH, para, styles

EARTH_RADIUS_M = 6_371_008.8
"""The Earth's mean radius (IUGG), metres."""
MAP_HEIGHT = 165 * mm
LEGEND_ROW = 6 * mm
SCALE_STEPS = (1, 2, 5)
OUTLINE = "#ffffff"


@dataclass(frozen=True)
class MapShape:
    """One parcel as the map draws it: its 宗地编号, polygon (GeoJSON, longitude/latitude) and fill colour."""

    number: str
    geometry: dict[str, Any]
    colour: str


@dataclass(frozen=True)
class ZoneMapSheet:
    """What the report's map page shows: the run's year, how parcels are coloured, the parcels and the legend.

    ``absent`` is the one line the report prints instead of the page when there is nothing to draw."""

    year: int
    coloured_by: str
    shapes: tuple[MapShape, ...]
    legend: tuple[tuple[str, str], ...]
    """(label, colour) in the order the web map's legend shows them."""
    note: str = ""
    absent: str = "本区域尚未导入宗地图形（GeoJSON），报告不附亩均一张图。"

    @property
    def drawable(self) -> bool:
        return bool(self.shapes)


def _rings(geometry: dict[str, Any]) -> Iterator[list[list[list[float]]]]:
    """Each polygon of a Polygon or MultiPolygon: its rings (the first outer, the rest holes)."""
    if geometry["type"] == "Polygon":
        yield geometry["coordinates"]
    else:
        yield from geometry["coordinates"]


@dataclass(frozen=True)
class Projection:
    """Longitude/latitude → metres east and north of the centre (equirectangular, see the module doc)."""

    lon0: float
    lat0: float

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        k = math.pi / 180 * EARTH_RADIUS_M
        return (lon - self.lon0) * k * math.cos(math.radians(self.lat0)), (lat - self.lat0) * k

    @classmethod
    def around(cls, shapes: Sequence[MapShape]) -> Projection:
        """Centred on the bounding box of every vertex of ``shapes``."""
        lons, lats = _extent(shapes)
        return cls((min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2)


def _extent(shapes: Sequence[MapShape]) -> tuple[list[float], list[float]]:
    points = [p for s in shapes for polygon in _rings(s.geometry) for ring in polygon for p in ring]
    return [p[0] for p in points], [p[1] for p in points]


def scale_length(metres_across: float) -> float:
    """A round length (1, 2 or 5 × 10ⁿ metres) about a quarter of the map's width, for the scale bar."""
    target = max(metres_across / 4, 1.0)
    power = 10 ** math.floor(math.log10(target))
    return max(step * power for step in SCALE_STEPS if step * power <= target)


def _distance_label(metres: float) -> str:
    return f"{metres / 1000:g} 公里" if metres >= 1000 else f"{metres:g} 米"


def map_drawing(sheet: ZoneMapSheet, width: float = CONTENT_WIDTH, height: float = MAP_HEIGHT) -> Drawing:
    """The parcels filled with their colours, a scale bar and a north arrow, fitted into ``width`` × ``height``."""
    font = register_cjk_font()
    drawing = Drawing(width, height)
    project = Projection.around(sheet.shapes)
    projected = [
        (s, [[[project(p[0], p[1]) for p in ring] for ring in polygon] for polygon in _rings(s.geometry)])
        for s in sheet.shapes
    ]
    xs = [x for _s, polys in projected for poly in polys for ring in poly for x, _y in ring]
    ys = [y for _s, polys in projected for poly in polys for ring in poly for _x, y in ring]
    span_x, span_y = max(max(xs) - min(xs), 1.0), max(max(ys) - min(ys), 1.0)
    bottom_room = 14 * mm  # the scale bar under the parcels
    box_w, box_h = width - 4 * mm, height - bottom_room - 2 * mm
    points_per_metre = min(box_w / span_x, box_h / span_y)
    left = (width - span_x * points_per_metre) / 2
    base = bottom_room + (box_h - span_y * points_per_metre) / 2
    x0, y0 = min(xs), min(ys)

    def place(x: float, y: float) -> tuple[float, float]:
        return left + (x - x0) * points_per_metre, base + (y - y0) * points_per_metre

    drawing.add(Rect(0, 0, width, height, fillColor=colors.HexColor("#f7f9fb"), strokeColor=colors.HexColor("#c8cdd2")))
    for shape, polygons in projected:
        path = Path(
            fillColor=colors.HexColor(shape.colour),
            strokeColor=colors.HexColor(OUTLINE),
            strokeWidth=0.4,
            fillMode=FILL_EVEN_ODD,
        )
        for polygon in polygons:
            for ring in polygon:
                first, *rest = [place(x, y) for x, y in ring]
                path.moveTo(*first)
                for point in rest:
                    path.lineTo(*point)
                path.closePath()
        drawing.add(path)
    metres = scale_length(span_x)
    bar = metres * points_per_metre
    sx, sy = 6 * mm, 6 * mm
    drawing.add(Rect(sx, sy, bar / 2, 1.6 * mm, fillColor=colors.black, strokeColor=colors.black, strokeWidth=0.5))
    drawing.add(
        Rect(sx + bar / 2, sy, bar / 2, 1.6 * mm, fillColor=colors.white, strokeColor=colors.black, strokeWidth=0.5)
    )
    drawing.add(String(sx, sy + 2.6 * mm, "0", fontName=font, fontSize=7, textAnchor="middle"))
    drawing.add(
        String(sx + bar, sy + 2.6 * mm, _distance_label(metres), fontName=font, fontSize=7, textAnchor="middle")
    )
    nx, ny = width - 8 * mm, height - 16 * mm
    drawing.add(Line(nx, ny, nx, ny + 9 * mm, strokeColor=colors.black, strokeWidth=1))
    arrow = Path(fillColor=colors.black, strokeColor=None)
    arrow.moveTo(nx - 1.6 * mm, ny + 6.5 * mm)
    arrow.lineTo(nx, ny + 9.5 * mm)
    arrow.lineTo(nx + 1.6 * mm, ny + 6.5 * mm)
    arrow.closePath()
    drawing.add(arrow)
    drawing.add(String(nx, ny + 10.5 * mm, "北", fontName=font, fontSize=8, textAnchor="middle"))
    return drawing


def legend_drawing(sheet: ZoneMapSheet, width: float = CONTENT_WIDTH) -> Drawing:
    """The colours and what they mean, with how many parcels each colour has, in rows of four."""
    font = register_cjk_font()
    counts = {colour: sum(1 for s in sheet.shapes if s.colour == colour) for _label, colour in sheet.legend}
    per_row = 4
    rows = math.ceil(len(sheet.legend) / per_row)
    drawing = Drawing(width, rows * LEGEND_ROW)
    cell = width / per_row
    for index, (label, colour) in enumerate(sheet.legend):
        x = (index % per_row) * cell
        y = (rows - 1 - index // per_row) * LEGEND_ROW + 1.5 * mm
        swatch = Rect(x, y, 4 * mm, 3 * mm, fillColor=colors.HexColor(colour), strokeColor=colors.HexColor("#888888"))
        drawing.add(swatch)
        text = f"{label}（{counts[colour]} 宗）"
        drawing.add(String(x + 5.5 * mm, y + 0.5 * mm, text, fontName=font, fontSize=8))
    return drawing


def map_section(sheet: ZoneMapSheet, heading: str) -> list[Flowable]:
    """The map page's flowables (heading, drawing, legend, how it was drawn); the caller starts the page."""
    st = styles()
    return [
        para(heading, st.h1),
        para(f"{sheet.year}年度，按{sheet.coloured_by}着色，共 {len(sheet.shapes)} 宗地。", st.small),
        Spacer(1, 2 * mm),
        map_drawing(sheet),
        Spacer(1, 2 * mm),
        legend_drawing(sheet),
        para(
            "图中宗地按登记的宗地图形（CGCS2000/WGS84 经纬度）以等距圆柱投影绘制（以园区中心纬度校正东西向比例），"
            "比例尺按该投影量算。" + sheet.note,
            st.small,
        ),
    ]
