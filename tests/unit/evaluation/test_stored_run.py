"""A stored run read back (features.runs.stored) is the engine result again; exports and documents share it."""

from __future__ import annotations

import math
from typing import Any

from eval_helpers import YEAR, below, frame
from run_reads import run_read

from zonehero.core.evaluation import evaluate
from zonehero.core.evaluation.result import EvaluationResult
from zonehero.features.runs.schemas import RunRead, RunResultRead
from zonehero.features.runs.stored import stored_result


def _result() -> EvaluationResult:
    return evaluate(
        frame(
            [
                below(5.0),
                {"above_scale": True, "tax": 50.0, "land_area_mu": 10.0, "value_added": 100.0, "employees": 10},
                below(9.0),
                below(1.0, land=2.0),
                {"above_scale": True, "tax": 20.0, "land_area_mu": 10.0, "major_safety_accident": True},
            ]
        ),
        year=YEAR,
    )


def _stored(result: EvaluationResult) -> tuple[RunRead, list[RunResultRead]]:
    run = run_read(
        7,
        result.year,
        input_hash=result.input_hash,
        benchmarks=result.benchmarks.to_dicts(),
        warnings=list(result.warnings),
        result_count=result.enterprises.height,
    )
    rows = [
        RunResultRead.model_validate(
            {**{k: record[k] for k in ("uscc", "name", "industry_code", "group", "status", "total_score", "rank")}}
            | {"run_id": 7, "class": record["class"], "carbon_grade": record["carbon_grade"], "record": record}
        )
        for record in result.to_records()
    ]
    return run, rows


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and not math.isfinite(a):
        a = None  # the stored record keeps a non-finite ratio as null (JSON)
    return a == b


def test_a_stored_run_reads_back_as_the_engine_result() -> None:
    result = _result()
    run, rows = _stored(result)
    back = stored_result(run, rows, result.scheme)
    assert back.year == result.year and back.warnings == result.warnings
    assert back.benchmarks.to_dicts() == result.benchmarks.to_dicts()
    assert back.to_records() == result.to_records()
    assert back.enterprises.height == result.enterprises.height
    for column in back.enterprises.columns:
        engine, stored = result.enterprises[column].to_list(), back.enterprises[column].to_list()
        assert all(_same(a, b) for a, b in zip(engine, stored, strict=True)), column


def test_every_engine_column_the_writers_read_is_kept() -> None:
    """The results workbook and the annual report read these; a reshaping that drops one fails here."""
    result = _result()
    run, rows = _stored(result)
    columns = set(stored_result(run, rows, result.scheme).enterprises.columns)
    engine = set(result.enterprises.columns)
    keys = result.scheme.indicator_keys
    wanted = {f"{k}__{p}" for k in keys for p in ("value", "benchmark", "ratio", "score")}
    wanted |= {"uscc", "name", "industry_code", "group", "status", "total_score", "bonus", "rank", "class", "flags"}
    assert wanted <= columns
    assert columns <= engine
