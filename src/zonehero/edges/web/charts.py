"""ECharts options built on the server for the feature pages (总览, 企业).

The static module ``static/js/charts.js`` renders whatever option it is given
and decides nothing, so every label, colour and number is chosen here. Class
colours come from ``zonehero.core.domain.classes`` so a class looks the same on
every chart, table and export.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from zonehero.core.domain.classes import CLASS_COLOURS, CLASSES, GROUP_LABELS
from zonehero.core.evaluation.distribution import Bin

Option = dict[str, Any]

_GRID = {"left": 48, "right": 24, "top": 40, "bottom": 40, "containLabel": True}


def option_json(option: Option) -> str:
    """The option as JSON for a ``<script type="application/json">`` block.

    ``<`` ``>`` ``&`` are escaped so the data can never close the block; that
    keeps enterprise names (user data) from becoming markup.
    """
    text = json.dumps(option, ensure_ascii=False, allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


LABEL_MIN_SHARE = 0.06
"""A stacked segment shorter than this share of the longest bar gets no label (规下's small counts overlapped)."""


def class_counts_bar(counts: Iterable[Mapping[str, Any]]) -> Option:
    """Enterprises per class (stacked bars) for each group: 规上 and 规下.

    A segment too short to hold its number (规下 has a few enterprises per class beside 规上's hundreds) is
    left unlabelled; the tooltip and the table beside the chart give every count.
    """
    table: dict[str, dict[str, int]] = {g: dict.fromkeys(CLASSES, 0) for g in GROUP_LABELS}
    for row in counts:
        group, cls = row.get("group"), row.get("class")
        if group in table and cls in table[group]:
            table[group][cls] += int(row.get("count") or 0)
    groups = list(GROUP_LABELS)
    longest = max((sum(table[g].values()) for g in groups), default=0) or 1
    return {
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "legend": {"top": 0},
        "grid": _GRID,
        "xAxis": {"type": "category", "data": [GROUP_LABELS[g] for g in groups]},
        "yAxis": {"type": "value", "name": "企业数（家）", "minInterval": 1},
        "series": [
            {
                "name": f"{cls} 类",
                "type": "bar",
                "stack": "classes",
                "itemStyle": {"color": CLASS_COLOURS[cls]},
                "label": {"show": True},
                "labelLayout": {"hideOverlap": True},
                "data": [
                    {"value": table[g][cls], "label": {"show": table[g][cls] >= LABEL_MIN_SHARE * longest}}
                    for g in groups
                ],
            }
            for cls in CLASSES
        ],
    }


def _finite(value: object, digits: int = 2) -> float | None:
    return round(float(value), digits) if isinstance(value, int | float) and math.isfinite(value) else None


def zone_trend(points: Sequence[Any], *, unit: str) -> Option:
    """The zone's 亩均税收 and 亩均增加值 (one axis, ``unit``) and its A and D counts (a second axis, 家), by year.

    ``points`` are the cockpit's trend points (year, tax_per_mu, value_added_per_mu, class_a, class_d), oldest
    first. Each axis is named with its unit, so no two units share one.
    """
    years = [f"{p.year}年" for p in points]
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0},
        "grid": {**_GRID, "top": 56},
        "xAxis": {"type": "category", "data": years},
        "yAxis": [
            {"type": "value", "name": unit, "scale": True},
            {"type": "value", "name": "企业数（家）", "minInterval": 1, "splitLine": {"show": False}},
        ],
        "series": [
            {"name": "亩均税收", "type": "line", "z": 3, "data": [_finite(p.tax_per_mu) for p in points]},
            {"name": "亩均增加值", "type": "line", "z": 3, "data": [_finite(p.value_added_per_mu) for p in points]},
            {
                "name": "A 类企业",
                "type": "bar",
                "yAxisIndex": 1,
                "itemStyle": {"color": CLASS_COLOURS["A"], "opacity": 0.6},
                "data": [p.class_a for p in points],
            },
            {
                "name": "D 类企业",
                "type": "bar",
                "yAxisIndex": 1,
                "itemStyle": {"color": CLASS_COLOURS["D"], "opacity": 0.6},
                "data": [p.class_d for p in points],
            },
        ],
    }


def division_bars(divisions: Sequence[Any], *, unit: str) -> Option:
    """亩均税收 per industry division (GB/T 4754 大类 named), highest at the top; the axis carries the unit."""
    ordered = list(reversed(divisions))  # ECharts draws a category axis bottom-up
    return {
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "grid": {**_GRID, "left": 8, "right": 48},
        "xAxis": {"type": "value", "name": unit, "nameLocation": "middle", "nameGap": 28},
        "yAxis": {
            "type": "category",
            "data": [f"{d.division} {d.name}" for d in ordered],
            "axisLabel": {"width": 180, "overflow": "truncate"},
        },
        "series": [
            {
                "name": "亩均税收",
                "type": "bar",
                "label": {"show": True, "position": "right"},
                "data": [_finite(d.tax_per_mu) for d in ordered],
            }
        ],
    }


def histogram(bins: Sequence[Bin], *, name: str, unit: str) -> Option:
    """A distribution (e.g. 亩均税收) as bars, each labelled with its range; the bins come from the core.

    The unit is the x axis' name below the labels, inside the grid's margin (it was cut off below rotated labels).
    """
    return {
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "grid": {**_GRID, "bottom": 36},
        "xAxis": {
            "type": "category",
            "name": unit,
            "nameLocation": "middle",
            "nameGap": 28,
            "data": [b.label for b in bins],
            "axisLabel": {"interval": 0, "hideOverlap": True},
        },
        "yAxis": {"type": "value", "name": "企业数（家）", "minInterval": 1},
        "series": [{"name": name, "type": "bar", "barCategoryGap": "12%", "data": [b.count for b in bins]}],
    }


def dimension_radar(dimensions: Sequence[Mapping[str, Any]], *, class_: str | None) -> Option:
    """The four 论 as a radar: the enterprise's score per dimension against the score at the benchmark.

    Each entry of ``dimensions`` has ``name``, ``score`` (Σ indicator scores),
    ``weight`` (Σ weights: the score of an enterprise exactly at the
    benchmark) and ``max`` (weight × cap).
    """
    colour = CLASS_COLOURS.get(class_ or "", "#0d6efd")
    return {
        "tooltip": {},
        "legend": {"bottom": 0},
        "radar": {
            "indicator": [{"name": d["name"], "max": round(float(d["max"]), 2) or 1} for d in dimensions],
            "radius": "62%",
        },
        "series": [
            {
                "type": "radar",
                "data": [
                    {
                        "name": "本企业得分",
                        "value": [round(float(d["score"]), 2) for d in dimensions],
                        "itemStyle": {"color": colour},
                        "areaStyle": {"opacity": 0.25},
                    },
                    {
                        "name": "基准水平得分",
                        "value": [round(float(d["weight"]), 2) for d in dimensions],
                        "itemStyle": {"color": "#6c757d"},
                        "lineStyle": {"type": "dashed"},
                    },
                ],
            }
        ],
    }


def lead_funnel(stages: Sequence[Any]) -> Option:
    """The 招商 funnel: one band per stage, as wide as the leads that reached it (the table beside it is the
    accessible version, with conversions and median days)."""
    top = max((int(s.reached) for s in stages), default=0) or 1
    return {
        "tooltip": {"trigger": "item", "formatter": "{b}：{c} 条"},
        "series": [
            {
                "name": "招商漏斗",
                "type": "funnel",
                "sort": "none",
                "min": 0,
                "max": top,
                "minSize": "8%",
                "gap": 2,
                "left": "10%",
                "width": "80%",
                "label": {"show": True, "position": "inside", "formatter": "{b} {c}"},
                "data": [{"name": s.label, "value": int(s.reached)} for s in stages],
            }
        ],
    }
