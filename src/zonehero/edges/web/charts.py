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


def class_counts_bar(counts: Iterable[Mapping[str, Any]]) -> Option:
    """Enterprises per class (stacked bars) for each group: 规上 and 规下."""
    table: dict[str, dict[str, int]] = {g: dict.fromkeys(CLASSES, 0) for g in GROUP_LABELS}
    for row in counts:
        group, cls = row.get("group"), row.get("class")
        if group in table and cls in table[group]:
            table[group][cls] += int(row.get("count") or 0)
    groups = list(GROUP_LABELS)
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
                "data": [table[g][cls] for g in groups],
            }
            for cls in CLASSES
        ],
    }


def benchmark_trend(per_year: Sequence[tuple[int, Sequence[Mapping[str, Any]]]]) -> Option:
    """Zone benchmarks (区域基准值) of every indicator and group over the years of final runs.

    ``per_year`` is (year, benchmark rows of that year's run), oldest first;
    industry-level rows are left out (the trend is of the zone figure).
    """
    years = [year for year, _ in per_year]
    series: dict[tuple[str, str], dict[str, Any]] = {}
    for index, (_, rows) in enumerate(per_year):
        for row in rows:
            if row.get("industry_division"):
                continue
            group, key = str(row.get("group")), str(row.get("indicator"))
            name = f"{GROUP_LABELS.get(group, group)}·{row.get('label') or key}"
            entry = series.setdefault((group, key), {"name": name, "values": [None] * len(years)})
            value = row.get("benchmark")
            entry["values"][index] = (
                round(value, 4) if isinstance(value, int | float) and math.isfinite(value) else None
            )
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"type": "scroll", "top": 0},
        "grid": {**_GRID, "top": 56},
        "xAxis": {"type": "category", "data": [f"{y}年" for y in years]},
        "yAxis": {"type": "value", "name": "基准值", "scale": True},
        "series": [
            {"name": s["name"], "type": "line", "connectNulls": True, "data": s["values"]} for s in series.values()
        ],
    }


def histogram(bins: Sequence[Bin], *, name: str, unit: str) -> Option:
    """A distribution (e.g. 亩均税收) as bars, each labelled with its range; the bins come from the core."""
    return {
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "grid": _GRID,
        "xAxis": {
            "type": "category",
            "name": unit,
            "nameLocation": "middle",
            "nameGap": 48,
            "data": [b.label for b in bins],
            "axisLabel": {"rotate": 40},
        },
        "yAxis": {"type": "value", "name": "企业数（家）", "minInterval": 1},
        "series": [{"name": name, "type": "bar", "barCategoryGap": "4%", "data": [b.count for b in bins]}],
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
