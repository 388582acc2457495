"""Finding the header row and mapping each header to a registry column and unit.

Department and project files put one or more title rows above the header,
sometimes a row of units under it, and write the unit inside the header
(营业收入(元), 用地面积(平方米), 总投资(亿元)). Matching goes through a
registry only (:class:`zonehero.core.domain.registry.Registry`: the enterprise
fields, the project columns …): labels, keys and aliases compared after
``header_key`` (half-width, no spaces, （） as ()). A unit we do not know is
an error, never a guess. Every function takes the registry; it defaults to
the enterprise field registry, the one most callers read.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from zonehero.core.domain.fields import ENTERPRISE_REGISTRY
from zonehero.core.domain.names import header_key
from zonehero.core.domain.registry import Column, Registry
from zonehero.core.domain.units import CANONICAL_UNIT, UNITS, known_units, unit_factor

HEADER_SEARCH_ROWS = 10
"""The header must be among the first this many rows."""

SUGGEST_RATIO = 0.75
"""difflib ratio from which an unknown header is reported as a likely typo of a field label."""

_UNIT_IN_HEADER = re.compile(r"^(?P<base>.+?)\((?P<unit>[^()]*)\)$")
_UNIT_AFTER_SLASH = re.compile(r"^(?P<base>[^/]+)/(?P<unit>[^/]+)$")
_DECORATION = re.compile(r"^[*※#]+|[*※#:]+$")
_UNIT_PREFIX = re.compile(r"^(单位|计量单位|unit):?")

MergedRange = tuple[tuple[int, int], tuple[int, int]]


@dataclass(frozen=True)
class HeaderMatch:
    """What a header names: a registry column (``field`` is its key), and the unit text written in it."""

    field: str
    unit: str | None


@dataclass(frozen=True)
class ColumnMapping:
    """One file column mapped to a registry column (``field`` is its key), with the factor to its canonical unit."""

    index: int
    """0-based column index in the grid."""
    header: str
    """The header as written in the file."""
    field: str
    unit: str | None
    """Unit as written (header or units row); None for unitless fields."""
    factor: float
    unit_source: str
    """'header', 'units_row', 'assumed' (canonical unit assumed, warned) or 'none'."""


@dataclass(frozen=True)
class LayoutProblem:
    """A header problem; ``row`` is 1-based like the spreadsheet."""

    message: str
    row: int | None = None
    column: str | None = None


@dataclass
class HeaderLayout:
    """Where the header is, which columns map to what, and what was ignored."""

    header_row: int
    """0-based index of the header row in the grid."""
    units_row: int | None
    columns: list[ColumnMapping]
    ignored: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    problems: list[LayoutProblem] = field(default_factory=list)

    @property
    def first_data_row(self) -> int:
        """0-based index of the first row after the header (and units row)."""
        return (self.units_row if self.units_row is not None else self.header_row) + 1

    def column_for(self, key: str) -> ColumnMapping | None:
        """The mapping of field ``key``, if the file has it."""
        return next((c for c in self.columns if c.field == key), None)


def _clean_key(text: str) -> str:
    return _DECORATION.sub("", header_key(text).strip("\"'“”「」"))


@lru_cache(maxsize=16)
def _alias_index(registry: Registry) -> dict[str, str]:
    """header_key(label or alias or key) -> column key, built once per registry."""
    index: dict[str, str] = {}
    for f in registry.columns:
        for text in (f.label, f.key, *f.aliases):
            index.setdefault(_clean_key(text), f.key)
    return index


@lru_cache(maxsize=1)
def _all_unit_keys() -> frozenset[str]:
    return frozenset(unit for table in UNITS.values() for unit in table)


def _unit_key(text: str) -> str:
    return _UNIT_PREFIX.sub("", header_key(text).strip("()"))


def is_unit_text(text: Any) -> bool:
    """True when ``text`` is a unit name of any dimension, e.g. 万元, (亩), 平方米."""
    return isinstance(text, str) and bool(text.strip()) and _unit_key(text) in _all_unit_keys()


def match_header(text: Any, registry: Registry = ENTERPRISE_REGISTRY) -> HeaderMatch | None:
    """The column a header names, with the unit written in it; None when it names no column.

    The whole header is tried first (so 企业(单位)名称 is a name), then a
    trailing ``(unit)`` or ``/unit`` is split off.
    """
    if not isinstance(text, str) or not text.strip():
        return None
    key = _clean_key(text)
    index = _alias_index(registry)
    if key in index:
        return HeaderMatch(index[key], None)
    for pattern in (_UNIT_IN_HEADER, _UNIT_AFTER_SLASH):
        m = pattern.match(key)
        if m and _clean_key(m["base"]) in index:
            return HeaderMatch(index[_clean_key(m["base"])], _UNIT_PREFIX.sub("", m["unit"]))
    return None


def suggest_field(text: str, registry: Registry = ENTERPRISE_REGISTRY) -> Column | None:
    """The column whose label or alias an unknown header most resembles (ratio >= 0.75), for 'did you mean'."""
    key = _clean_key(text)
    m = _UNIT_IN_HEADER.match(key)
    candidates = [key] + ([m["base"]] if m else [])
    best: tuple[float, str] | None = None
    for cand in candidates:
        for alias, field_key in _alias_index(registry).items():
            ratio = difflib.SequenceMatcher(None, cand, alias).ratio()
            if ratio >= SUGGEST_RATIO and (best is None or ratio > best[0]):
                best = (ratio, field_key)
    return registry.by_key[best[1]] if best else None


def _cell_text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _fill_merged(rows: list[list[Any]], merged: Sequence[MergedRange]) -> list[list[Any]]:
    """A copy of the top rows with every merged range filled with its anchor value.

    calamine leaves the non-anchor cells of a merge empty; a header cell
    merged down over two header rows must still be seen in the lower one.
    """
    top = [list(r) for r in rows[: HEADER_SEARCH_ROWS + 2]]
    for (r0, c0), (r1, c1) in merged:
        if r0 >= len(top) or r0 < 0 or c0 < 0 or c0 >= len(top[r0]):
            continue
        anchor = top[r0][c0]
        for r in range(r0, min(r1, len(top) - 1) + 1):
            for c in range(c0, min(c1, len(top[r]) - 1) + 1):
                if top[r][c] == "" or top[r][c] is None:
                    top[r][c] = anchor
    return top


def _row_headers(top: list[list[Any]], r: int, registry: Registry) -> list[str]:
    """Header texts of row ``r``; an empty cell borrows the column header directly above it (two-row headers)."""
    out = []
    for c, value in enumerate(top[r]):
        text = _cell_text(value)
        if not text and r > 0 and c < len(top[r - 1]) and match_header(top[r - 1][c], registry) is not None:
            text = _cell_text(top[r - 1][c])
        out.append(text)
    return out


def find_header_row(
    rows: list[list[Any]], merged: Sequence[MergedRange] = (), registry: Registry = ENTERPRISE_REGISTRY
) -> int | None:
    """0-based index of the row among the first 10 that matches the most columns and includes the anchor."""
    top = _fill_merged(rows, merged)
    best: tuple[int, int] | None = None
    for r in range(min(HEADER_SEARCH_ROWS, len(top))):
        matched = {m.field for t in _row_headers(top, r, registry) if (m := match_header(t, registry)) is not None}
        if registry.anchor in matched and (best is None or len(matched) > best[1]):
            best = (r, len(matched))
    return best[0] if best else None


def missing_header_problems(rows: list[list[Any]], registry: Registry = ENTERPRISE_REGISTRY) -> list[LayoutProblem]:
    """Why no header row was found: cells in the first rows that look like a typo of the anchor column."""
    anchor = registry.anchor_column.label
    problems = []
    for r, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        for value in row:
            text = _cell_text(value)
            if not text or match_header(text, registry) is not None or len(text) > 40:
                continue
            guess = suggest_field(text, registry)
            if guess is not None and guess.key == registry.anchor:
                problems.append(
                    LayoutProblem(
                        f"未找到「{anchor}」列：表头「{text}」是否应为「{guess.label}」？", row=r + 1, column=text
                    )
                )
    if not problems:
        has_text = any(_cell_text(v) for row in rows[:HEADER_SEARCH_ROWS] for v in row)
        what = f"前 {HEADER_SEARCH_ROWS} 行中没有「{anchor}」列（只有标题或说明？）" if has_text else "没有任何内容"
        problems.append(LayoutProblem(f"未找到表头：{what}；{registry.name}的表头须包含「{anchor}」"))
    return problems


def _units_row_cells(
    rows: list[list[Any]], header_row: int, columns: list[tuple[int, str, HeaderMatch]], anchor: str
) -> bool:
    """True when the row under the header is a units row (anchor cell empty, some cell a known unit)."""
    r = header_row + 1
    if r >= len(rows):
        return False
    row = rows[r]
    anchor_idx = next(i for i, _, m in columns if m.field == anchor)
    anchor_cell = _cell_text(row[anchor_idx]) if anchor_idx < len(row) else ""
    anchor_cell = "" if anchor_cell in {"-", "—", "——", "/"} else anchor_cell
    if anchor_cell and not is_unit_text(anchor_cell) and header_key(anchor_cell) not in {"单位", "计量单位", "unit"}:
        return False
    return any(is_unit_text(row[i]) for i, _, _ in columns if i < len(row))


def detect_layout(
    rows: list[list[Any]], merged: list[MergedRange] | None = None, registry: Registry = ENTERPRISE_REGISTRY
) -> HeaderLayout | None:
    """Find the header row, the optional units row and every column's registry column and unit factor.

    Returns None when no header row exists (see ``missing_header_problems``).
    Problems (unknown unit, a required column missing, no figure column when
    the registry needs one, a repeated column when it refuses those) are in
    ``layout.problems``; unknown columns are warnings, with a 'did you mean'
    when one is close.
    """
    merged = merged or []
    header_row = find_header_row(rows, merged, registry)
    if header_row is None:
        return None
    top = _fill_merged(rows, merged)
    texts = _row_headers(top, header_row, registry)
    header_line = header_row + 1
    matched: list[tuple[int, str, HeaderMatch]] = []
    layout = HeaderLayout(header_row=header_row, units_row=None, columns=[])
    seen: dict[str, str] = {}
    for c, text in enumerate(texts):
        if not text:
            continue
        m = match_header(text, registry)
        if m is None:
            layout.ignored.append(text)
            guess = suggest_field(text, registry)
            hint = f"，是否应为「{guess.header}」？" if guess else ""
            layout.warnings.append(f"第 {header_line} 行列「{text}」不是可识别的字段，已忽略{hint}")
            continue
        if m.field in seen:
            label = registry.by_key[m.field].label
            layout.ignored.append(text)
            if registry.refuse_duplicate_headers:
                layout.problems.append(
                    LayoutProblem(f"与「{seen[m.field]}」重复，都表示{label}", row=header_line, column=text)
                )
            else:
                layout.warnings.append(
                    f"第 {header_line} 行列「{text}」与列「{seen[m.field]}」都对应「{label}」，"
                    f"已使用前者「{seen[m.field]}」，忽略「{text}」"
                )
            continue
        seen[m.field] = text
        matched.append((c, text, m))
    if _units_row_cells(rows, header_row, matched, registry.anchor):
        layout.units_row = header_row + 1
    units_cells = rows[layout.units_row] if layout.units_row is not None else []
    for c, text, m in matched:
        layout.columns.append(_column_mapping(registry.by_key[m.field], c, text, m, units_cells, header_line, layout))
    for col in registry.required:
        if col.key not in seen:
            layout.problems.append(LayoutProblem(f"缺少必填列「{col.label}」", row=header_line))
    if registry.needs_figures and not any(col.field not in registry.identity for col in layout.columns):
        hints = [w for w in layout.warnings if "是否应为" in w]
        names = "和".join(registry.by_key[k].label for k in registry.identity)
        layout.problems.append(
            LayoutProblem(
                f"除{names}外没有识别出任何数据列，表头可能有错别字" + (f"（{'；'.join(hints)}）" if hints else ""),
                row=header_line,
            )
        )
    return layout


def _column_mapping(
    f: Column, c: int, text: str, m: HeaderMatch, units_cells: list[Any], header_line: int, layout: HeaderLayout
) -> ColumnMapping:
    row_unit = _cell_text(units_cells[c]) if c < len(units_cells) else ""
    if f.dimension is None:
        return ColumnMapping(c, text, f.key, None, 1.0, "none")
    candidates = []
    if m.unit:
        candidates.append((m.unit, "header", header_line))
    if row_unit:
        candidates.append((row_unit, "units_row", header_line + 1))
    factors = []
    for unit, source, line in candidates:
        factor = unit_factor(f.dimension, unit)
        if factor is None:
            layout.problems.append(
                LayoutProblem(
                    f"未知单位「{unit}」；「{f.label}」可用的单位：{'、'.join(known_units(f.dimension))}",
                    row=line,
                    column=text,
                )
            )
        factors.append((unit, source, factor))
    known = [(u, s, fac) for u, s, fac in factors if fac is not None]
    if len(known) == 2 and abs(known[0][2] - known[1][2]) > 1e-12 * max(known[0][2], known[1][2]):
        layout.problems.append(
            LayoutProblem(
                f"表头单位「{known[0][0]}」与单位行「{known[1][0]}」不一致",
                row=header_line + 1,
                column=text,
            )
        )
    if known:
        unit, source, factor = known[0]
        return ColumnMapping(c, text, f.key, unit, factor, source)
    canonical = CANONICAL_UNIT[f.dimension]
    if not candidates and f.dimension not in {"persons", "year"}:
        layout.warnings.append(f"列「{text}」未注明单位，按「{canonical}」读取")
    return ColumnMapping(c, text, f.key, canonical, 1.0, "assumed" if not candidates else "header")
