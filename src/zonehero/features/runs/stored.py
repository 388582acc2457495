"""A stored run read back in the shape of the engine's result: the one reshaping for exports and documents.

The run's records (§8 JSON) become the engine's flat frame (value, benchmark, ratio and score per indicator,
policy columns), with the benchmark table, warnings, year and scheme, so the results workbook, the comparisons and
the annual report read a stored run exactly as the engine would have handed it over.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from zonehero.core.evaluation.result import POLICY_FIELDS
from zonehero.core.evaluation.scheme import Scheme
from zonehero.features.runs.schemas import RunRead, RunResultRead

PARTS = ("value", "benchmark", "ratio", "score")


@dataclass
class StoredRunResult:
    """A run read back from the store in the shape of ``zonehero.core.evaluation.EvaluationResult`` (ResultLike)."""

    enterprises: pl.DataFrame
    benchmarks: pl.DataFrame
    warnings: list[str]
    year: int
    scheme: Scheme
    records: list[dict[str, Any]]
    inputs: pl.DataFrame = field(default_factory=lambda: pl.DataFrame({"uscc": pl.Series([], dtype=pl.String)}))
    """Empty: a stored run keeps its inputs elsewhere (``runs.inputs_of``); comparisons need only the results."""

    def to_records(self) -> list[dict[str, Any]]:
        return self.records


def _flat(record: dict[str, Any], keys: Sequence[str]) -> dict[str, Any]:
    row: dict[str, Any] = {
        "uscc": record.get("uscc"),
        "name": record.get("name"),
        "industry_code": record.get("industry_code"),
        "group": record.get("group"),
        "status": record.get("status"),
        "total_score": record.get("total_score"),
        "bonus": record.get("bonus"),
        "rank": record.get("rank"),
        "class": record.get("class"),
        "carbon_grade": record.get("carbon_grade"),
        "flags": list(record.get("flags") or []),
    }
    indicators = record.get("indicators") or {}
    for key in keys:
        parts = indicators.get(key) or {}
        for part in PARTS:
            row[f"{key}__{part}"] = parts.get(part)
    policy = record.get("policy") or {}
    for name, column in POLICY_FIELDS.items():
        row[column] = policy.get(name)
    return row


def stored_result(run: RunRead, rows: Sequence[RunResultRead], scheme: Scheme) -> StoredRunResult:
    """The run's records (in the order given) as a ResultLike for the report writers."""
    keys = scheme.indicator_keys
    records = [r.record for r in rows]
    schema: dict[str, pl.DataType] = {
        "uscc": pl.String(),
        "name": pl.String(),
        "industry_code": pl.String(),
        "group": pl.String(),
        "status": pl.String(),
        "total_score": pl.Float64(),
        "bonus": pl.Float64(),
        "rank": pl.Int64(),
        "class": pl.String(),
        "carbon_grade": pl.Int64(),
        "flags": pl.List(pl.String()),
        **{f"{k}__{p}": pl.Float64() for k in keys for p in PARTS},
        "policy_name": pl.String(),
        "electricity_surcharge": pl.Float64(),
        "land_energy_quota": pl.String(),
        "land_energy_quota_label": pl.String(),
        "policy_other": pl.String(),
    }
    frame = pl.DataFrame([_flat(r, keys) for r in records], schema=schema, orient="row")
    benchmarks = pl.DataFrame(run.benchmarks) if run.benchmarks else pl.DataFrame()
    return StoredRunResult(frame, benchmarks, list(run.warnings), run.year, scheme, records)
