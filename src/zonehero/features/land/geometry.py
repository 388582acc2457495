"""Parcel polygons (宗地图形): a GeoJSON FeatureCollection keyed by 宗地编号, checked before anything is kept.

The map draws what is kept here, in longitude/latitude (CGCS2000 and WGS84 differ by centimetres, below what a
zone map shows). A polygon is refused, with the feature's position and what is wrong, when it is not a Polygon or
MultiPolygon, a ring is not closed or has fewer than four positions, a coordinate is not a finite number in range,
or it has more vertices than :data:`MAX_VERTICES` (a parcel is a few dozen; more is a survey file, not a map).
Reading runs in the isolated parse process like every uploaded file, so this module imports nothing heavy.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from zonehero.errors import InputError, InputProblem

MAX_VERTICES = 5000
"""Vertices one parcel's geometry may have."""
MAX_FILE_BYTES = 20 * 1024 * 1024
"""The largest GeoJSON file read (a zone of thousands of parcels is a few MB)."""
NUMBER_KEYS = ("宗地编号", "parcel_no", "number", "宗地号", "地块编号", "ZDBH", "zdbh")
"""Where a feature's properties name its parcel, first found wins."""


def _position_problem(position: Any) -> str | None:
    if not isinstance(position, list | tuple) or len(position) < 2:
        return "坐标应为 [经度, 纬度]"
    lon, lat = position[0], position[1]
    if not all(isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in (lon, lat)):
        return "坐标应为数字"
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        return f"坐标 [{lon}, {lat}] 超出经纬度范围（应为 CGCS2000/WGS84 经纬度，而非投影坐标）"
    return None


def _ring_problem(ring: Any) -> str | None:
    if not isinstance(ring, list) or len(ring) < 4:
        return "多边形的环至少需要 4 个坐标点（首尾相同）"
    for position in ring:
        problem = _position_problem(position)
        if problem:
            return problem
    if list(ring[0][:2]) != list(ring[-1][:2]):
        return "多边形的环未闭合（首尾坐标应相同）"
    return None


def geometry_problem(geometry: Any) -> str | None:
    """What is wrong with a GeoJSON geometry as a parcel's polygon; None when it can be kept."""
    if not isinstance(geometry, dict):
        return "缺少几何图形（geometry）"
    kind, coordinates = geometry.get("type"), geometry.get("coordinates")
    if kind == "Polygon":
        polygons = [coordinates]
    elif kind == "MultiPolygon":
        polygons = coordinates if isinstance(coordinates, list) else [None]
    else:
        return f"几何类型「{kind}」不是 Polygon 或 MultiPolygon"
    vertices = 0
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            return "多边形坐标格式不正确"
        for ring in polygon:
            problem = _ring_problem(ring)
            if problem:
                return problem
            vertices += len(ring)
    if vertices > MAX_VERTICES:
        return f"图形顶点数 {vertices:,} 超过上限 {MAX_VERTICES:,}"
    return None


def clean_geometry(geometry: dict[str, Any]) -> dict[str, Any]:
    """Only ``type`` and ``coordinates`` (lon, lat) of a checked geometry: nothing else of a file is kept."""

    def ring(r: list[Any]) -> list[list[float]]:
        return [[float(p[0]), float(p[1])] for p in r]

    if geometry["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": [ring(r) for r in geometry["coordinates"]]}
    return {"type": "MultiPolygon", "coordinates": [[ring(r) for r in poly] for poly in geometry["coordinates"]]}


def _number(properties: Any) -> str | None:
    if not isinstance(properties, dict):
        return None
    for key in NUMBER_KEYS:
        value = properties.get(key)
        if value not in (None, ""):
            return str(value).strip()
    return None


def read_polygons(path: Path | str) -> dict[str, dict[str, Any]]:
    """宗地编号 → checked geometry from a GeoJSON FeatureCollection; InputError with every problem (feature n is
    reported as row n, the column is 宗地编号 or geometry)."""
    path = Path(path)
    name = path.name
    if path.stat().st_size > MAX_FILE_BYTES:
        raise InputError(InputProblem(f"文件过大（上限 {MAX_FILE_BYTES // (1024 * 1024)} MB）", file=name))
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise InputError(InputProblem(f"不是有效的 GeoJSON 文件：{exc}", file=name)) from None
    if (
        not isinstance(data, dict)
        or data.get("type") != "FeatureCollection"
        or not isinstance(data.get("features"), list)
    ):
        raise InputError(InputProblem("GeoJSON 应为 FeatureCollection（要素集合）", file=name))
    problems: list[InputProblem] = []
    polygons: dict[str, dict[str, Any]] = {}
    seen: dict[str, int] = {}
    for index, feature in enumerate(data["features"], start=1):
        if not isinstance(feature, dict):
            problems.append(InputProblem("要素格式不正确", file=name, row=index))
            continue
        number = _number(feature.get("properties"))
        if number is None:
            problems.append(
                InputProblem("要素缺少宗地编号（properties.宗地编号）", file=name, row=index, column="宗地编号")
            )
            continue
        if number in seen:
            problems.append(
                InputProblem(
                    f"宗地编号「{number}」与第 {seen[number]} 个要素重复", file=name, row=index, column="宗地编号"
                )
            )
            continue
        seen[number] = index
        problem = geometry_problem(feature.get("geometry"))
        if problem:
            problems.append(InputProblem(f"宗地「{number}」：{problem}", file=name, row=index, column="geometry"))
            continue
        polygons[number] = clean_geometry(feature["geometry"])
    if problems:
        raise InputError(problems)
    return polygons


def centre(geometry: dict[str, Any]) -> tuple[float, float]:
    """The mean of a geometry's outer-ring vertices: where the map puts a parcel's label."""
    rings = [geometry["coordinates"][0]] if geometry["type"] == "Polygon" else [p[0] for p in geometry["coordinates"]]
    points = [p for r in rings for p in r[:-1]] or [p for r in rings for p in r]
    return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)
