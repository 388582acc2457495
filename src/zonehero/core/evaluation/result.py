"""What an evaluation run produces (spec §8): per-enterprise frame, benchmarks, counts, warnings."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import polars as pl

from zonehero.core.evaluation.inputs import input_hash
from zonehero.core.evaluation.scheme_model import CLASS_KEYS, GROUPS, Scheme

POLICY_FIELDS: dict[str, str] = {
    "name": "policy_name",
    "electricity_surcharge": "electricity_surcharge",
    "land_energy_quota": "land_energy_quota",
    "land_energy_quota_label": "land_energy_quota_label",
    "other": "policy_other",
}
"""§8 policy object key -> enterprises column."""


def _clean(value: Any) -> Any:
    """JSON-safe scalar: non-finite floats (a lower-is-better ratio at value 0 is +inf) become None."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


@dataclass(frozen=True)
class EvaluationResult:
    """One evaluation run.

    ``enterprises`` has one row per input row, ordered by group (above, below,
    none), rank (unranked last), uscc. Indicator columns are
    ``<key>__value|benchmark|ratio|score`` for every indicator key of the
    scheme, null where not applicable. ``inputs`` is the canonical input frame
    the run was computed from, sorted by uscc (for explanations and reproduction).
    """

    enterprises: pl.DataFrame
    benchmarks: pl.DataFrame
    warnings: list[str]
    scheme: Scheme
    year: int
    inputs: pl.DataFrame = field(repr=False)

    @cached_property
    def input_hash(self) -> str:
        """sha256 of the canonical input, independent of row order (computed on first use, ≈0.2 s per 500k rows)."""
        return input_hash(self.inputs)

    @cached_property
    def counts(self) -> pl.DataFrame:
        """Enterprises per group and class (columns group, class, count; zeros included; vetoed in their class)."""
        grid = pl.DataFrame(
            {"group": [g for g in GROUPS for _ in CLASS_KEYS], "class": [c for _ in GROUPS for c in CLASS_KEYS]}
        )
        found = (
            self.enterprises.filter(pl.col("class").is_not_null())
            .group_by(["group", "class"])
            .agg(pl.len().cast(pl.Int64).alias("count"))
        )
        return grid.join(found, on=["group", "class"], how="left", maintain_order="left").with_columns(
            pl.col("count").fill_null(0)
        )

    def indicator_keys(self) -> tuple[str, ...]:
        """The scheme's indicator keys in column order."""
        return self.scheme.indicator_keys

    def to_records(self) -> list[dict[str, Any]]:
        """The §8 JSON objects, one per enterprise, in the frame's order; None where missing."""
        keys = self.indicator_keys()
        records: list[dict[str, Any]] = []
        for row in self.enterprises.iter_rows(named=True):
            has_policy = row.get("class") is not None
            records.append(
                {
                    "uscc": row["uscc"],
                    "name": row["name"],
                    "industry_code": row["industry_code"],
                    "group": row["group"],
                    "status": row["status"],
                    "total_score": _clean(row["total_score"]),
                    "rank": row["rank"],
                    "class": row["class"],
                    "carbon_grade": row["carbon_grade"],
                    "bonus": _clean(row["bonus"]),
                    "indicators": {
                        key: {part: _clean(row[f"{key}__{part}"]) for part in ("value", "benchmark", "ratio", "score")}
                        for key in keys
                    },
                    "flags": list(row["flags"] or []),
                    "policy": ({name: _clean(row[col]) for name, col in POLICY_FIELDS.items()} if has_policy else None),
                }
            )
        return records

    def enterprise(self, uscc: str) -> dict[str, Any] | None:
        """The enterprises row of ``uscc`` as a dict, or None."""
        rows = self.enterprises.filter(pl.col("uscc") == uscc)
        return rows.row(0, named=True) if rows.height else None
