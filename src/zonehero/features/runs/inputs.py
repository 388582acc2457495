"""A run's inputs kept with it (canonical frame and D-streak history) as Parquet bytes.

Parquet keeps every dtype and every float bit, so the frame read back hashes
to the run's ``input_hash`` and evaluates to the same result. zstd keeps a
province's 100,000 enterprises to a few megabytes.
"""

from __future__ import annotations

import io
from typing import Any

import polars as pl
from sqlalchemy import select
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


def kept_land_of(session: Session, run_id: int, uscc: str) -> tuple[bool, dict[str, Any] | None]:
    """(whether run ``run_id`` derived land from parcels, the record of ``uscc`` in that derivation: derived, or
    under ``corrected``) (internal).

    Only the enterprise's part of the kept JSON is read, in the database: the whole derivation of a province, and
    the row's Parquet blobs beside it, cost an enterprise page hundreds of milliseconds at 100,000 enterprises.
    """
    land = RunInputs.land
    found = session.execute(
        select(land.is_not(None), land[("enterprises", uscc)], land[("corrected", uscc)]).where(
            RunInputs.run_id == run_id
        )
    ).one_or_none()
    if found is None or not found[0]:
        return False, None
    record = found[1] or found[2]
    return True, record if isinstance(record, dict) else None


def kept(session: Session, run_id: int) -> tuple[pl.DataFrame, pl.DataFrame] | None:
    """(frame, history) kept with run ``run_id``; None for a run made before inputs were kept.

    Internal (no actor): the caller has checked that the actor may see the run.
    """
    row = session.get(RunInputs, run_id)
    if row is None:
        return None
    return decode(row.frame), decode(row.history)
