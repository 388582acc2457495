"""The JSON export is serialised in slices on a thread pool; the file must be what one write_json gives."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from zonehero.core.evaluation import evaluate
from zonehero.demo import generate_zone
from zonehero.reports.results import _write_json, records_frame


@pytest.mark.parametrize("chunk_rows", [1, 7, 150, 399, 400, 10_000])
def test_sliced_json_is_byte_for_byte_one_write_json(tmp_path: Path, chunk_rows: int) -> None:
    result = evaluate(generate_zone(400, seed=7, years=(2025,))[2025], year=2025)
    whole = io.BytesIO()
    records_frame(result).write_json(whole)
    out = tmp_path / "r.json"
    _write_json(result, out, chunk_rows=chunk_rows)
    assert out.read_bytes() == whole.getvalue()


def test_no_enterprises_is_an_empty_array(tmp_path: Path) -> None:
    result = evaluate(generate_zone(50, seed=3, years=(2025,))[2025], year=2025)
    object.__setattr__(result, "enterprises", result.enterprises.clear())
    out = tmp_path / "r.json"
    _write_json(result, out, chunk_rows=10)
    assert out.read_bytes() == b"[]"
