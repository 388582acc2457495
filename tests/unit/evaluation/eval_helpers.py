"""Small hand-built frames and schemes for the engine tests (numbers chosen to check on paper)."""

from __future__ import annotations

from typing import Any

import polars as pl

from zonehero.core.domain.fields import FIELDS_BY_KEY
from zonehero.core.domain.uscc import make_uscc
from zonehero.core.evaluation.inputs import field_dtype
from zonehero.core.evaluation.scheme import FrozenMap, Group, Indicator, Scheme, default_scheme
from zonehero.core.evaluation.scheme_variants import replace_sections, with_changes

YEAR = 2025


def uscc(i: int) -> str:
    """A valid USCC numbered ``i`` (so sorting by uscc sorts by i)."""
    return make_uscc(f"91350100MA{i:06d}")


def frame(rows: list[dict[str, Any]]) -> pl.DataFrame:
    """Canonical frame from row dicts; ``uscc`` defaults to uscc(row number), names to E<i>."""
    keys: list[str] = []
    for row in rows:
        for k in row:
            if k not in keys:
                keys.append(k)
    data: dict[str, list[Any]] = {"uscc": [], "name": []}
    for i, row in enumerate(rows, start=1):
        data["uscc"].append(row.get("uscc", uscc(i)))
        data["name"].append(row.get("name", f"E{i}"))
    for k in keys:
        if k in ("uscc", "name"):
            continue
        data[k] = [row.get(k) for row in rows]
    schema = {k: field_dtype(FIELDS_BY_KEY[k]) for k in data}
    return pl.DataFrame(data, schema=schema)


def below(tax: float, *, land: float = 10.0, revenue: float = 100.0, **extra: Any) -> dict[str, Any]:
    """A below-scale enterprise (规下): default land 10 亩, revenue 100 万元."""
    return {"above_scale": False, "land_area_mu": land, "tax": tax, "revenue": revenue, **extra}


def tax_only_scheme(cap: float = 2.0, **changes: Any) -> Scheme:
    """Default scheme, but both groups graded on tax_per_mu alone (weight 100), so totals are easy to follow."""
    base = default_scheme()
    tax = Indicator("tax_per_mu", "亩均税收", "tax", "land_area_mu", 100.0, unit="万元/亩")
    groups = FrozenMap({"above": Group("above", (tax,)), "below": Group("below", (tax,))})
    return with_changes(replace_sections(base, groups=groups), cap=cap, **changes)


def by_uscc(result_frame: pl.DataFrame, column: str) -> list[Any]:
    """``column`` in input numbering order (uscc(1), uscc(2), …)."""
    return result_frame.sort("uscc")[column].to_list()
