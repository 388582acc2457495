"""What an evaluation run produces (spec §8): per-enterprise frame, benchmarks, counts, warnings."""

from __future__ import annotations

from collections.abc import Sequence
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

INDICATOR_PARTS = ("value", "benchmark", "ratio", "score")
"""The parts of a record's indicator object, each from the column ``<key>__<part>``."""


def _finite(column: str) -> pl.Expr:
    """The column with non-finite floats as null: JSON has no inf (a lower-is-better ratio at value 0 is +inf)."""
    return pl.when(pl.col(column).is_finite()).then(pl.col(column)).otherwise(None).alias(column)


def record_frame(enterprises: pl.DataFrame, keys: Sequence[str]) -> pl.DataFrame:
    """The §8 records, one row per enterprise of ``enterprises`` with the indicator objects of ``keys``, as a nested
    frame: the one definition of a record, whether it becomes Python dicts, a JSON export or stored JSON.

    Built and serialised by Polars in native code: a Python dict per enterprise cost seconds at 100,000.
    """
    indicators = pl.struct(
        [pl.struct([_finite(f"{k}__{p}").alias(p) for p in INDICATOR_PARTS]).alias(k) for k in keys]
    ).alias("indicators")
    policy_fields = [
        (_finite(col) if enterprises.schema[col].is_float() else pl.col(col)).alias(name)
        for name, col in POLICY_FIELDS.items()
    ]
    policy = pl.when(pl.col("class").is_not_null()).then(pl.struct(policy_fields)).otherwise(None).alias("policy")
    return enterprises.select(
        "uscc",
        "name",
        "industry_code",
        "group",
        "status",
        _finite("total_score"),
        "rank",
        "class",
        "carbon_grade",
        _finite("bonus"),
        indicators,
        pl.col("flags").fill_null([]),
        policy,
    )


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

    def records_frame(self) -> pl.DataFrame:
        """The §8 records as a nested frame (:func:`record_frame`)."""
        return record_frame(self.enterprises, self.indicator_keys())

    def to_records(self) -> list[dict[str, Any]]:
        """The §8 JSON objects, one per enterprise, in the frame's order; None where missing."""
        return self.records_frame().to_dicts()

    def enterprise(self, uscc: str) -> dict[str, Any] | None:
        """The enterprises row of ``uscc`` as a dict, or None."""
        rows = self.enterprises.filter(pl.col("uscc") == uscc)
        return rows.row(0, named=True) if rows.height else None
