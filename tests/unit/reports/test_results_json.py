"""The JSON export is built in Polars for speed; it must equal the engine's own §8 records."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl

from zonehero.core.evaluation import evaluate
from zonehero.demo import generate_zone
from zonehero.reports.results import write_result


def test_json_export_equals_to_records(tmp_path: Path) -> None:
    frame = generate_zone(400, seed=7, years=(2025,))[2025]
    result = evaluate(frame, year=2025)
    out = tmp_path / "r.json"
    write_result(result, out)
    written = json.loads(out.read_text("utf-8"))
    expected = json.loads(json.dumps(result.to_records()))
    assert written == expected
    # The fixture covers the cases that need care: no class (no policy), flags, missing values.
    assert any(r["policy"] is None for r in written)
    assert any(r["flags"] for r in written)
    assert any(v["value"] is None for r in written for v in r["indicators"].values())


def test_infinite_ratio_is_written_as_null(tmp_path: Path) -> None:
    frame = generate_zone(60, seed=2, years=(2025,))[2025]
    result = evaluate(frame, year=2025)
    key = result.scheme.indicator_keys[0]
    poisoned = result.enterprises.with_columns(
        pl.when(pl.int_range(pl.len()) == 0)
        .then(float("inf"))
        .otherwise(pl.col(f"{key}__ratio"))
        .alias(f"{key}__ratio")
    )
    object.__setattr__(result, "enterprises", poisoned)
    out = tmp_path / "r.json"
    write_result(result, out)
    first = json.loads(out.read_text("utf-8"))[0]
    assert first["indicators"][key]["ratio"] is None
