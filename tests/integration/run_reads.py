"""A stored run as services return it (``RunRead``), built without a database for tests of the rules above it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from zonehero.features.runs.schemas import RunRead


def run_read(run_id: int, year: int, status: str = "draft", **fields: Any) -> RunRead:
    """A run with empty counts and benchmarks unless ``fields`` gives them."""
    values: dict[str, Any] = {
        "id": run_id,
        "year": year,
        "scheme_version_id": 1,
        "scheme_digest": "d",
        "input_hash": "h",
        "status": status,
        "benchmarks": [],
        "counts": [],
        "warnings": [],
        "result_count": 0,
        "note": None,
        "source_run_id": None,
        "superseded_by_id": None,
        "created_by": None,
        "created_at": datetime(2026, 1, 1, tzinfo=UTC),
        "notice_start": None,
        "notice_end": None,
        "published_at": None,
        "finalized_at": None,
    }
    values.update(fields)
    return RunRead(**values)
