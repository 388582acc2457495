"""Merging several departments' files by USCC: priorities, conflicts, lineage.

The same figure from two sources with different values is a conflict. It
is resolved by a stated rule (an explicit priority list, else the default
department for the field, else file order) and reported with both sources,
never silently. Every stored value keeps the file, sheet, row, column and
department it came from.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from zonehero.core.domain.fields import ENERGY_BREAKDOWN_KEYS, FIELDS, FIELDS_BY_KEY
from zonehero.core.domain.names import name_key
from zonehero.core.ingest.result import (
    CONFLICT_SCHEMA,
    LINEAGE_SCHEMA,
    ImportResult,
    SourceRead,
    field_lineage,
    only_source_long,
)

NUMBER_TOLERANCE = 1e-9
"""Relative difference under which two figures are the same (after unit conversion)."""

DEFAULT_PRIORITY: dict[str, tuple[str, ...]] = {
    "tax": ("税务局",),
    "land_area_mu": ("自然资源局",),
    "electricity_10k_kwh": ("供电公司",),
    "energy_tce": ("供电公司", "统计局"),
    **{k: ("供电公司", "统计局") for k in ENERGY_BREAKDOWN_KEYS if k != "electricity_10k_kwh"},
    "co2_t": ("生态环境局", "供电公司"),
    "revenue": ("统计局", "税务局"),
    "value_added": ("统计局",),
    "employees": ("统计局",),
    "rd_expense": ("科技局", "统计局"),
    "above_scale": ("统计局",),
    "industry_code": ("统计局",),
    "high_tech": ("科技局",),
    "zjtx_level": ("工信局",),
    "major_safety_accident": ("应急管理局",),
    "major_env_violation": ("生态环境局",),
}
"""Field -> departments whose figure wins by default, first first."""


@dataclass(frozen=True)
class _Rank:
    tier: int
    """0: named in the caller's priority list; 1: a default department for the field; 2: neither."""
    position: int
    source: int

    @property
    def key(self) -> int:
        return self.tier * 1_000_000 + self.position * 1_000 + self.source


def _matches(entry: str, src: SourceRead) -> bool:
    e = entry.strip().lower()
    info = src.info
    return e in {info.department.lower(), info.file.lower(), Path(info.file).stem.lower(), info.path.lower()} or (
        Path(e).name == info.file.lower()
    )


def _rank(field_key: str, index: int, src: SourceRead, priority: Sequence[str] | None) -> _Rank:
    if priority:
        for pos, entry in enumerate(priority):
            if _matches(entry, src):
                return _Rank(0, pos, index)
    defaults = DEFAULT_PRIORITY.get(field_key, ())
    if src.info.department in defaults:
        return _Rank(1, defaults.index(src.info.department), index)
    return _Rank(2, 0, index)


def _rule(field_key: str, chosen: _Rank, other: _Rank, priority: Sequence[str] | None) -> str:
    label = FIELDS_BY_KEY[field_key].label
    if (chosen.tier, chosen.position) == (other.tier, other.position):
        return "优先级相同，取导入时先列出的文件"
    if chosen.tier == 0:
        return f"按指定的来源优先级：{' > '.join(priority or [])}"
    return f"按默认优先级：「{label}」以{'、'.join(DEFAULT_PRIORITY[field_key])}数据为准"


def _source_label(src: SourceRead) -> str:
    sheet = f"[{src.info.sheet}]" if src.info.sheet else ""
    return f"{src.info.department}「{src.info.file}」{sheet}第"


def _long(field_key: str, sources: Sequence[SourceRead], ranks: dict[int, _Rank]) -> pl.DataFrame:
    """(uscc, value, row, src, rank) of every non-null value of the field, all sources."""
    parts = [
        pl.DataFrame(
            {
                "uscc": src.frame["uscc"],
                "value": src.frame[field_key],
                "row": src.rows,
                "src": pl.Series([i] * src.frame.height, dtype=pl.Int64),
                "rank": pl.Series([ranks[i].key] * src.frame.height, dtype=pl.Int64),
            }
        )
        for i, src in enumerate(sources)
        if field_key in src.frame.columns
    ]
    return pl.concat(parts).filter(pl.col("value").is_not_null())


def _differs(field_key: str, other: pl.DataFrame) -> pl.DataFrame:
    """Rows of ``other`` whose value really differs from chosen_value."""
    f = FIELDS_BY_KEY[field_key]
    if f.type in {"number", "integer"}:
        a, b = pl.col("value"), pl.col("chosen_value")
        return other.filter((a - b).abs() > NUMBER_TOLERANCE * pl.max_horizontal(a.abs(), b.abs()))
    candidates = other.filter(pl.col("value") != pl.col("chosen_value"))
    if field_key == "name" and candidates.height:
        same = [
            name_key(v) == name_key(c)
            for v, c in zip(candidates["value"].to_list(), candidates["chosen_value"].to_list(), strict=True)
        ]
        candidates = candidates.filter(~pl.Series(same, dtype=pl.Boolean))
    return candidates


def merge_sources(sources: Sequence[SourceRead], priority: Sequence[str] | None = None) -> ImportResult:
    """Merge parsed files by USCC; each field's value comes from the best-ranked source that has one.

    A field only one file provides is taken from it as is (a USCC is unique
    within a file, so there is nothing to choose between): those columns are
    joined once per file, not once per field, and a single file is the
    merged frame itself. The lineage is left as a query until asked for.
    """
    all_codes = pl.concat([s.frame["uscc"] for s in sources]).unique(maintain_order=True)
    lineage_parts: list[pl.LazyFrame] = []
    conflict_parts: list[pl.DataFrame] = []
    chosen_columns: list[pl.DataFrame] = []
    only_from: dict[int, list[str]] = {}
    labels = [_source_label(s) for s in sources]
    for f in FIELDS:
        providers = [i for i, s in enumerate(sources) if f.key in s.frame.columns]
        if f.key == "uscc" or not providers:
            continue
        if len(providers) == 1:
            only = providers[0]
            only_from.setdefault(only, []).append(f.key)
            lineage_parts.append(field_lineage(f.key, only_source_long(f.key, only, sources[only]), sources))
            continue
        ranks = {i: _rank(f.key, i, s, priority) for i, s in enumerate(sources)}
        long = _long(f.key, sources, ranks)
        chosen = long.sort("rank").unique("uscc", keep="first", maintain_order=True)
        chosen_columns.append(chosen.select("uscc", pl.col("value").alias(f.key)))
        lineage_parts.append(field_lineage(f.key, chosen.lazy(), sources))
        conflict_parts += _conflicts(f.key, long, chosen, ranks, labels, priority)
    parts = [sources[i].frame.select("uscc", *keys) for i, keys in only_from.items()] + chosen_columns
    if len(sources) == 1 and not chosen_columns:
        frame = parts[0] if parts else pl.DataFrame({"uscc": all_codes})
    else:
        frame = pl.DataFrame({"uscc": all_codes})
        for part in parts:
            frame = frame.join(part, on="uscc", how="left", maintain_order="left")
    if "name" not in frame.columns:
        frame = frame.with_columns(pl.lit(None, dtype=pl.String).alias("name"))
    order = [f.key for f in FIELDS if f.key in frame.columns]
    return ImportResult(
        frame=frame.select(order),
        lineage_plan=pl.concat(lineage_parts) if lineage_parts else pl.LazyFrame(schema=LINEAGE_SCHEMA),
        conflicts=pl.concat(conflict_parts) if conflict_parts else pl.DataFrame(schema=CONFLICT_SCHEMA),
        sources=[s.info for s in sources],
        warnings=[w for s in sources for w in s.warnings],
    )


def _conflicts(
    field_key: str,
    long: pl.DataFrame,
    chosen: pl.DataFrame,
    ranks: dict[int, _Rank],
    labels: list[str],
    priority: Sequence[str] | None,
) -> list[pl.DataFrame]:
    other = long.join(
        chosen.select("uscc", chosen_value="value", chosen_src="src", chosen_row="row"),
        on="uscc",
        how="inner",
        maintain_order="left",
    ).filter(pl.col("src") != pl.col("chosen_src"))
    other = _differs(field_key, other)
    if other.height == 0:
        return []
    pairs = other.select("chosen_src", "src").unique()
    rules = pl.DataFrame(
        {
            "chosen_src": pairs["chosen_src"],
            "src": pairs["src"],
            "rule": [
                _rule(field_key, ranks[c], ranks[o], priority)
                for c, o in zip(pairs["chosen_src"].to_list(), pairs["src"].to_list(), strict=True)
            ],
        }
    )
    by_index = dict(enumerate(labels))
    out = (
        other.join(rules, on=["chosen_src", "src"], how="left", maintain_order="left")
        .with_columns(
            chosen_label=pl.col("chosen_src").replace_strict(by_index, return_dtype=pl.String),
            other_label=pl.col("src").replace_strict(by_index, return_dtype=pl.String),
        )
        .select(
            "uscc",
            pl.lit(field_key).alias("field"),
            pl.col("chosen_value").cast(pl.String),
            pl.format("{}{}行", "chosen_label", "chosen_row").alias("chosen_source"),
            pl.col("value").cast(pl.String).alias("other_value"),
            pl.format("{}{}行", "other_label", "row").alias("other_source"),
            "rule",
        )
        .cast(CONFLICT_SCHEMA)  # type: ignore[arg-type]
    )
    return [out]
