"""The demo files through the real importer give the generated zone back, with the one stated conflict.

Skipped only when ``zonehero.core.ingest`` cannot be imported (it is written in
parallel with the demo; on the merged branch this test must run).
"""

from __future__ import annotations

import polars as pl
import pytest

from zonehero.core.domain.fields import BOOL_KEYS, FIELDS
from zonehero.core.domain.names import name_key
from zonehero.demo import generate_zone, rd_conflict, write_demo_sources

ingest = pytest.importorskip("zonehero.core.ingest", reason="zonehero.core.ingest is not importable yet")

YEAR = 2025
ABSENT_ROWS_MEAN_FALSE = ("major_safety_accident", "major_env_violation")
"""The veto list names only vetoed firms; everyone else is absent from it, i.e. not vetoed."""


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[pl.DataFrame, object]:
    out = tmp_path_factory.mktemp("roundtrip")
    paths = write_demo_sources(out, 300, seed=1, year=YEAR)
    result = ingest.read_sources(paths)
    return generate_zone(300, seed=1, years=(YEAR,))[YEAR], result


def test_every_enterprise_and_figure_comes_back(imported: tuple[pl.DataFrame, object]) -> None:
    expected, result = imported
    got = result.frame.sort("uscc")  # type: ignore[attr-defined]
    assert got["uscc"].to_list() == expected["uscc"].to_list()
    for f in FIELDS:
        a = expected[f.key]
        if f.key not in got.columns:
            assert a.is_null().all(), f"{f.key} was generated but no file carries it"
            continue
        b = got[f.key]
        if f.key in ABSENT_ROWS_MEAN_FALSE:
            b = b.fill_null(False)
        if f.key == "name":
            assert [name_key(x) for x in a] == [name_key(x) for x in b]
        elif f.type in {"number", "integer", "year"}:
            a, b = a.cast(pl.Float64), b.cast(pl.Float64)
            assert (a.is_null() == b.is_null()).all(), f.key
            frame = pl.DataFrame({"a": a, "b": b}).drop_nulls()
            off = frame.filter((pl.col("a") - pl.col("b")).abs() > 1e-9 * pl.col("a").abs().clip(lower_bound=1.0))
            assert off.height == 0, (f.key, off.head())
        else:
            assert a.cast(pl.String).to_list() == b.cast(pl.String).to_list(), f.key
    assert set(BOOL_KEYS) <= set(got.columns)


def test_the_one_deliberate_conflict_is_reported_and_resolved_to_the_science_figure(
    imported: tuple[pl.DataFrame, object],
) -> None:
    expected, result = imported
    conflict = rd_conflict(expected)
    assert conflict is not None
    conflicts = result.conflicts  # type: ignore[attr-defined]
    assert conflicts.height == 1
    row = conflicts.row(0, named=True)
    assert (row["uscc"], row["field"]) == (conflict.uscc, "rd_expense")
    assert float(row["chosen_value"]) == pytest.approx(conflict.science_value)
    assert float(row["other_value"]) == pytest.approx(conflict.statistics_value)
    assert "科技局" in row["chosen_source"]
    assert "统计局" in row["other_source"]
