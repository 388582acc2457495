"""A run's inputs kept with it (canonical frame and D-streak history) as Parquet bytes.

Parquet keeps every dtype and every float bit, so the frame read back hashes
to the run's ``input_hash`` and evaluates to the same result. zstd keeps a
province's 100,000 enterprises to a few megabytes.
"""

from __future__ import annotations

import io
from typing import Any

import polars as pl
from sqlalchemy.orm import Session

from zonehero.features.runs.models import RunInputs


def encode(frame: pl.DataFrame) -> bytes:
    """``frame`` as Parquet bytes (zstd)."""
    buffer = io.BytesIO()
    frame.write_parquet(buffer, compression="zstd")
    return buffer.getvalue()


def decode(data: bytes) -> pl.DataFrame:
    """The frame :func:`encode` wrote."""
    return pl.read_parquet(io.BytesIO(data))


def keep(
    session: Session,
    run_id: int,
    frame: pl.DataFrame,
    history: pl.DataFrame,
    lineage: pl.DataFrame,
    land: dict[str, Any] | None = None,
) -> None:
    """Store what draft run ``run_id`` was computed from, with each figure's source and the land derivation it used
    (allowed while it is a draft)."""
    row = RunInputs(run_id=run_id, frame=encode(frame), history=encode(history), lineage=encode(lineage), land=land)
    session.add(row)
    session.flush()


def kept_lineage(session: Session, run_id: int) -> pl.DataFrame | None:
    """The sources of the figures run ``run_id`` used; None for a run kept before lineage was (internal)."""
    row = session.get(RunInputs, run_id)
    return decode(row.lineage) if row is not None and row.lineage is not None else None


def kept_land(session: Session, run_id: int) -> dict[str, Any] | None:
    """The land derivation run ``run_id`` used (用地面积认定); None when its land was the given figures (internal)."""
    row = session.get(RunInputs, run_id)
    return row.land if row is not None and isinstance(row.land, dict) else None


def kept(session: Session, run_id: int) -> tuple[pl.DataFrame, pl.DataFrame] | None:
    """(frame, history) kept with run ``run_id``; None for a run made before inputs were kept.

    Internal (no actor): the caller has checked that the actor may see the run.
    """
    row = session.get(RunInputs, run_id)
    if row is None:
        return None
    return decode(row.frame), decode(row.history)
