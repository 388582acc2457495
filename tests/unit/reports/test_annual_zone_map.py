"""亩均一张图 in the annual report PDF: a page of its own with the parcels drawn as vector paths in the web map's
class colours, a legend and a scale bar; a zone without polygons gets no page and one line saying why.

The parcels are the demo zone's layout (:func:`zonehero.demo.land.demo_land`) over the evaluated demo zone; each
parcel is coloured by its holder's class as :func:`zonehero.features.cockpit.zone_map.zone_map` does, from the one
class→colour table (:data:`zonehero.core.domain.classes.CLASS_COLOURS`). The map page is rendered to PNG and kept
under the test's tmp path (``zone-map-*.png``).
"""

from __future__ import annotations

import io
import math
import re
from pathlib import Path

import pytest
from pypdf import PdfReader
from report_pdf_checks import pdf_pages, pdf_text, render_pages

from zonehero.core.domain.classes import CLASS_COLOURS
from zonehero.core.evaluation import EvaluationResult
from zonehero.demo.land import demo_land
from zonehero.reports.pdf.annual import annual_report_pdf
from zonehero.reports.pdf.styles import Letterhead
from zonehero.reports.pdf.zone_map import MapShape, Projection, ZoneMapSheet, scale_length

NO_DATA = "#c8cdd2"


@pytest.fixture(scope="module")
def sheet(result: EvaluationResult) -> ZoneMapSheet:
    e, given = result.enterprises, result.inputs
    rows = list(zip(given["uscc"].to_list(), given["name"].to_list(), given["land_area_mu"].to_list(), strict=True))
    made = demo_land(rows)
    classes = dict(zip(e["uscc"].to_list(), e["class"].to_list(), strict=True))
    shapes = tuple(
        MapShape(p.number, made.polygons[p.number], CLASS_COLOURS.get(classes.get(p.holder_uscc) or "", NO_DATA))
        for p in made.parcels
    )
    legend = (*((f"{c} 类", colour) for c, colour in CLASS_COLOURS.items()), ("无评价结果", NO_DATA))
    return ZoneMapSheet(year=result.year, coloured_by="评价类别", shapes=shapes, legend=legend)


def _fills(page_content: bytes) -> list[str]:
    """Every fill colour a page's content stream sets, as #rrggbb (ReportLab writes ``r g b rg``)."""
    found = re.findall(rb"([\d.]+) ([\d.]+) ([\d.]+) rg", page_content)
    return ["#" + "".join(f"{round(float(v) * 255):02x}" for v in rgb) for rgb in found]


def test_the_report_ends_with_the_map_page(
    result: EvaluationResult, letterhead: Letterhead, sheet: ZoneMapSheet, tmp_path: Path
) -> None:
    without = annual_report_pdf(result, letterhead=letterhead)
    data = annual_report_pdf(result, letterhead=letterhead, zone_map=sheet)
    assert pdf_pages(data) == pdf_pages(without) + 1
    last = PdfReader(io.BytesIO(data)).pages[-1]
    text = "".join((last.extract_text() or "").split())
    assert f"附图{result.year}年度亩均一张图" in text
    assert f"按评价类别着色，共{len(sheet.shapes)}宗地" in text
    for c in CLASS_COLOURS:
        count = sum(1 for s in sheet.shapes if s.colour == CLASS_COLOURS[c])
        assert f"{c}类（{count}宗）" in text
    assert "等距圆柱投影" in text and "北" in text
    assert re.search(r"\d+(米|公里)", text), "a scale bar with its length"
    content = last.get_contents().get_data()
    # One closed path per parcel (the demo's parcels are one ring each) and the north arrow's head.
    assert len(re.findall(rb"(?<=\s)h(?=\s)", content)) == len(sheet.shapes) + 1
    fills = _fills(content)
    for colour in {s.colour for s in sheet.shapes}:
        assert colour in fills, colour
    assert "附图" not in pdf_text(without) and "亩均一张图" not in pdf_text(without)
    pngs = render_pages(data, tmp_path, "zone-map", first=pdf_pages(data))
    assert len(pngs) == 1 and pngs[0].name.startswith("zone-map-")


def test_a_zone_without_polygons_has_no_map_page_and_says_why(
    result: EvaluationResult, letterhead: Letterhead, sheet: ZoneMapSheet
) -> None:
    empty = ZoneMapSheet(year=result.year, coloured_by="评价类别", shapes=(), legend=sheet.legend)
    data = annual_report_pdf(result, letterhead=letterhead, zone_map=empty)
    assert pdf_pages(data) == pdf_pages(annual_report_pdf(result, letterhead=letterhead))
    text = pdf_text(data)
    assert "本区域尚未导入宗地图形（GeoJSON），报告不附亩均一张图。" in text
    assert "附图" not in text


def test_the_projection_keeps_metres_alike_in_both_directions() -> None:
    lat0 = 28.7
    project = Projection(115.9, lat0)
    east, _ = project(115.9 + 0.01, lat0)
    _, north = project(115.9, lat0 + 0.01)
    # 0.01° of latitude is about 1,112 m; of longitude at 28.7°N, cos(28.7°) as much (about 975 m).
    assert north == pytest.approx(1111.95, abs=0.5)
    assert east == pytest.approx(north * math.cos(math.radians(lat0)), rel=1e-9)
    assert project(115.9, lat0) == (0.0, 0.0)


@pytest.mark.parametrize(("across", "bar"), [(3000.0, 500.0), (900.0, 200.0), (12_000.0, 2000.0), (2.0, 1.0)])
def test_the_scale_bar_is_a_round_length_about_a_quarter_across(across: float, bar: float) -> None:
    assert scale_length(across) == bar


def test_a_multipolygon_with_a_hole_is_one_shape_filled_even_odd() -> None:
    from reportlab.graphics.shapes import FILL_EVEN_ODD
    from reportlab.graphics.shapes import Path as DrawnPath
    from reportlab.lib import colors

    from zonehero.reports.pdf.zone_map import map_drawing

    outer = [[115.9, 28.7], [115.91, 28.7], [115.91, 28.71], [115.9, 28.71], [115.9, 28.7]]
    hole = [[115.903, 28.703], [115.906, 28.703], [115.906, 28.706], [115.903, 28.706], [115.903, 28.703]]
    other = [[115.92, 28.7], [115.93, 28.7], [115.93, 28.705], [115.92, 28.7]]
    shape = MapShape("ZD-1", {"type": "MultiPolygon", "coordinates": [[outer, hole], [other]]}, "#1a9850")
    drawing = map_drawing(ZoneMapSheet(2025, "评价类别", (shape,), (("A 类", "#1a9850"),)))
    green = colors.HexColor("#1a9850")
    [parcel] = [s for s in drawing.contents if isinstance(s, DrawnPath) and s.fillColor == green]
    assert parcel.fillMode == FILL_EVEN_ODD
    assert parcel.operators.count(3) == 3  # three rings closed (closePath is operator 3): outer, hole, other
    xs = parcel.points[0::2]
    assert min(xs) >= 0 and max(xs) <= drawing.width  # fitted into the page's box
