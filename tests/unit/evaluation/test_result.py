"""The run's shape (§8): columns, order, records, input hash, and the engine's own input checks."""

from __future__ import annotations

import json

import polars as pl
import pytest
from eval_helpers import YEAR, below, frame, uscc

from zonehero.core.evaluation import default_scheme, evaluate
from zonehero.errors import InputError


def _zone() -> pl.DataFrame:
    return frame(
        [
            below(5.0),
            {"above_scale": True, "tax": 50.0, "land_area_mu": 10.0, "value_added": 100.0, "employees": 10},
            below(9.0),
            below(1.0, land=2.0),
            {"above_scale": True, "tax": 20.0, "land_area_mu": 10.0, "major_safety_accident": True},
            below(9.0),
        ]
    )


def test_every_indicator_has_four_columns_and_flags_are_lists() -> None:
    e = evaluate(_zone(), year=YEAR).enterprises
    for key in default_scheme().indicator_keys:
        for part in ("value", "benchmark", "ratio", "score"):
            assert f"{key}__{part}" in e.columns
    assert e.schema["flags"] == pl.List(pl.String)
    assert e.schema["rank"] == pl.Int64
    assert e.height == 6


def test_order_is_group_then_rank_then_uscc() -> None:
    e = evaluate(_zone(), year=YEAR).enterprises
    assert e.select("group", "rank", "uscc").rows() == [
        ("above", 1, uscc(2)),
        ("above", None, uscc(5)),
        ("below", 1, uscc(3)),
        ("below", 1, uscc(6)),
        ("below", 3, uscc(1)),
        (None, None, uscc(4)),
    ]


def test_records_follow_section_8() -> None:
    r = evaluate(_zone(), year=YEAR)
    records = r.to_records()
    json.dumps(records, allow_nan=False)  # JSON-safe
    first = records[0]
    assert {"uscc", "name", "group", "status", "total_score", "rank", "class", "carbon_grade", "indicators"} <= set(
        first
    )
    assert set(first["indicators"]) == set(default_scheme().indicator_keys)
    assert set(first["indicators"]["tax_per_mu"]) == {"value", "benchmark", "ratio", "score"}
    outside = next(rec for rec in records if rec["status"] == "out_of_scope")
    assert outside["class"] is None and outside["policy"] is None and outside["total_score"] is None
    assert outside["indicators"]["tax_per_mu"] == {"value": None, "benchmark": None, "ratio": None, "score": None}


def test_input_hash_ignores_row_order_but_not_values() -> None:
    f = _zone()
    h = evaluate(f, year=YEAR).input_hash
    assert evaluate(f.reverse(), year=YEAR).input_hash == h
    assert evaluate(f.with_columns(pl.col("tax") * 2), year=YEAR).input_hash != h
    # Absent optional columns mean the same as all-null ones.
    assert evaluate(f.with_columns(pl.lit(None, dtype=pl.Float64).alias("heat_gj")), year=YEAR).input_hash == h


def test_int_columns_are_accepted() -> None:
    f = _zone().with_columns(pl.col("tax").cast(pl.Int64), pl.col("land_area_mu").cast(pl.Int32))
    e = evaluate(f, year=YEAR).enterprises
    assert e.filter(pl.col("status") == "evaluated").height == 4


def test_duplicate_uscc_is_an_input_error() -> None:
    f = frame([below(1.0, uscc=uscc(1)), below(2.0, uscc=uscc(1)), below(3.0)])
    with pytest.raises(InputError) as info:
        evaluate(f, year=YEAR)
    assert uscc(1) in str(info.value)


def test_missing_uscc_column_is_an_input_error() -> None:
    with pytest.raises(InputError) as info:
        evaluate(pl.DataFrame({"tax": [1.0]}), year=YEAR)
    assert info.value.problems[0].column == "uscc"


def test_bad_history_is_an_input_error() -> None:
    with pytest.raises(InputError):
        evaluate(_zone(), year=YEAR, history=pl.DataFrame({"uscc": [uscc(1)]}))


def test_empty_frame_gives_an_empty_result() -> None:
    r = evaluate(frame([below(1.0)]).clear(), year=YEAR)
    assert r.enterprises.height == 0
    assert r.to_records() == []
    assert r.counts["count"].sum() == 0
