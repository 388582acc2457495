"""亩均一张图 (the zone map): every parcel with a polygon, coloured by class, 亩均税收 or status, decided here.

The map reads the parcels' polygons and who uses them (:func:`zonehero.features.land.service.map_parcels`) and, per
enterprise, the run's kept map figures (one aggregate row, :data:`zonehero.features.runs.aggregates.MAP_FIGURES`),
so a request reads no result row, whatever the zone's size. A parcel is coloured by the enterprise that uses it:
the holder, or when the holder has no result in the run, its first tenant that has one (a parcel let whole to a
tenant is the tenant's on the map); the hover lists every user with its figures. Staff only.

The annual report's map (:func:`report_sheet`) is this map in its class mode, handed to the PDF as drawn shapes,
so the page and the report colour every parcel alike.
"""

from __future__ import annotations

import html
from typing import Any

from sqlalchemy.orm import Session

from zonehero.core.domain import numbers
from zonehero.core.domain.classes import CLASS_COLOURS
from zonehero.core.land import ParcelStatus, square_metres_to_mu
from zonehero.features.land import service as land
from zonehero.features.land.geometry import centre
from zonehero.features.roles import Actor, require_staff
from zonehero.features.runs import service as runs
from zonehero.features.runs.schemas import RunRead
from zonehero.reports.pdf.zone_map import MapShape, ZoneMapSheet

NO_DATA_COLOUR = "#c8cdd2"
"""A parcel whose users have no result (or no figure) in the run."""
STATUS_COLOURS: dict[ParcelStatus, str] = {
    ParcelStatus.IN_USE: "#4575b4",
    ParcelStatus.UNDER_CONSTRUCTION: "#fdae61",
    ParcelStatus.IDLE: "#d73027",
}
TAX_BANDS: tuple[tuple[float, str, str], ...] = (
    (5.0, "< 5", "#d73027"),
    (10.0, "5 – 10", "#fc8d59"),
    (20.0, "10 – 20", "#fee08b"),
    (40.0, "20 – 40", "#91cf60"),
    (float("inf"), "≥ 40", "#1a9850"),
)
"""亩均税收 (万元/亩) bands of the map, lowest first: the band's upper bound, its label, its colour."""
MODES = {"class": "评价类别", "tax": "亩均税收", "status": "宗地状态"}


def _tax_colour(value: float | None) -> str:
    if value is None:
        return NO_DATA_COLOUR
    return next(colour for bound, _label, colour in TAX_BANDS if value < bound)


def _text(value: Any) -> str:
    """Hover text: HTML-escaped, and without the braces ECharts would read as a template."""
    return html.escape(str(value)).replace("{", "（").replace("}", "）")


def _user_line(uscc: str, figures: dict[str, Any] | None, role: str) -> str:
    if figures is None:
        return f"{role}：{_text(uscc)}（本批次无结果）"
    cls = figures.get("class") or "—"
    tax = numbers.quantity(figures.get("tax_per_mu"), "万元/亩")
    return f"{role}：{_text(figures.get('name') or uscc)}　{_text(cls)} 类　亩均税收 {tax} 万元/亩"


def zone_map(session: Session, actor: Actor, run: RunRead | None, year: int) -> dict[str, Any]:
    """The map's JSON: a GeoJSON FeatureCollection to register, one entry per parcel (its colour in each mode,
    its hover, where a click goes) and each mode's legend; ``run`` gives the figures (None: status only)."""
    require_staff(actor)
    parcels = land.map_parcels(session, actor, year)
    figures = runs.map_figures(session, actor, run.id) if run is not None else {}
    features: list[dict[str, Any]] = []
    items: list[dict[str, Any]] = []
    for p in parcels:
        users = [p.holder_uscc, *[t for t in p.tenants if t != p.holder_uscc]]
        shown = next((u for u in users if u in figures), p.holder_uscc)
        own = figures.get(shown)
        lines = [
            f"<b>宗地 {_text(p.number)}</b>　{numbers.quantity(square_metres_to_mu(p.area_m2), '亩')} 亩　"
            f"{p.status.label}"
        ]
        lines.append(_user_line(p.holder_uscc, figures.get(p.holder_uscc), "权利人"))
        lines += [_user_line(t, figures.get(t), "承租") for t in users[1:]]
        features.append({"type": "Feature", "properties": {"name": p.number}, "geometry": p.geometry})
        cls = (own or {}).get("class")
        items.append(
            {
                "name": p.number,
                "uscc": shown,
                "href": f"/enterprises/{shown}" + (f"?run_id={run.id}" if run is not None and own else ""),
                "centre": list(centre(p.geometry)),
                "colours": {
                    "class": CLASS_COLOURS.get(cls or "", NO_DATA_COLOUR),
                    "tax": _tax_colour((own or {}).get("tax_per_mu")),
                    "status": STATUS_COLOURS[p.status],
                },
                "tooltip": "<br/>".join(lines),
            }
        )
    legends = {
        "class": [{"label": f"{c} 类", "colour": colour} for c, colour in CLASS_COLOURS.items()],
        "tax": [{"label": f"{label} 万元/亩", "colour": colour} for _b, label, colour in TAX_BANDS],
        "status": [{"label": s.label, "colour": STATUS_COLOURS[s]} for s in ParcelStatus],
    }
    for mode in ("class", "tax"):
        legends[mode].append({"label": "无评价结果", "colour": NO_DATA_COLOUR})
    return {
        "year": year,
        "run_id": run.id if run is not None else None,
        "modes": MODES,
        "geojson": {"type": "FeatureCollection", "features": features},
        "parcels": items,
        "legends": legends,
    }


def report_sheet(session: Session, actor: Actor, run: RunRead) -> ZoneMapSheet:
    """The run's map for its annual report: the parcels of the run's year coloured by the run's classes, the same
    colours and legend as the web map's class mode (staff only). No polygon: a sheet with nothing to draw."""
    data = zone_map(session, actor, run, run.year)
    geometry = {f["properties"]["name"]: f["geometry"] for f in data["geojson"]["features"]}
    shapes = tuple(MapShape(p["name"], geometry[p["name"]], p["colours"]["class"]) for p in data["parcels"])
    return ZoneMapSheet(
        year=run.year,
        coloured_by=MODES["class"],
        shapes=shapes,
        legend=tuple((entry["label"], entry["colour"]) for entry in data["legends"]["class"]),
        note=f"评价类别取自评价批次 #{run.id}；宗地图形与状态为出具报告时的登记。",
    )
