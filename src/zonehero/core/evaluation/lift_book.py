"""A run's 升类路径 for every enterprise as one table, kept with the run and read back one enterprise at a time.

Why a table: :func:`lift_batch.lift_all` answers every enterprise at once; a notice or the enterprise page then
needs one enterprise's answer, and computing again per request would cost the whole zone each time. One row per
option (an enterprise without options has one row with the option columns null) in Arrow IPC, zstd-compressed:
the Chinese sentences repeat and compress well, and the book indexes the rows by USCC once when read.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

import polars as pl

from zonehero.core.evaluation.lift import LiftExplanation, LiftOption

HEAD = ("uscc", "name", "group", "status", "current_class", "target_class", "summary")
OPTION = (
    "figure",
    "label",
    "direction",
    "unit",
    "current",
    "required",
    "change",
    "change_pct",
    "reachable",
    "option_target",
    "reached_class",
    "new_total",
    "new_rank",
    "verified",
    "message",
)
SCHEMA: dict[str, Any] = {
    **dict.fromkeys(HEAD, pl.String),
    **dict.fromkeys(OPTION, pl.String),
    **dict.fromkeys(("current", "required", "change", "change_pct", "new_total"), pl.Float64),
    "reachable": pl.Boolean,
    "verified": pl.Boolean,
    "new_rank": pl.Int64,
}


def to_bytes(explanations: Mapping[str, LiftExplanation]) -> bytes:
    """The explanations as one compressed Arrow IPC table."""
    rows: list[tuple[Any, ...]] = []
    for e in explanations.values():
        head = (e.uscc, e.name, e.group, e.status, e.current_class, e.target_class, e.summary)
        if not e.options:
            rows.append((*head, *(None,) * len(OPTION)))
        for o in e.options:
            option = (o.figure, o.label, o.direction, o.unit, o.current, o.required, o.change, o.change_pct)
            rows.append(
                (
                    *head,
                    *option,
                    o.reachable,
                    o.target_class,
                    o.reached_class,
                    o.new_total,
                    o.new_rank,
                    o.verified,
                    o.message,
                )
            )
    frame = pl.DataFrame(rows, schema=SCHEMA, orient="row")
    buffer = io.BytesIO()
    frame.write_ipc(buffer, compression="zstd")
    return buffer.getvalue()


class LiftBook:
    """The kept explanations of a run, looked up by USCC."""

    def __init__(self, data: bytes) -> None:
        self.frame = pl.read_ipc(io.BytesIO(data))
        usccs = self.frame["uscc"].to_list()
        self.spans: dict[str, tuple[int, int]] = {}
        for i, uscc in enumerate(usccs):
            start, length = self.spans.get(uscc, (i, 0))
            self.spans[uscc] = (start, length + 1)

    def __len__(self) -> int:
        return len(self.spans)

    def get(self, uscc: str) -> LiftExplanation | None:
        """The enterprise's explanation, or None when it was not in the run."""
        span = self.spans.get(uscc)
        if span is None:
            return None
        rows = self.frame.slice(span[0], span[1]).to_dicts()
        first = rows[0]
        options = [
            LiftOption(
                figure=r["figure"],
                label=r["label"],
                direction=r["direction"],
                unit=r["unit"],
                current=r["current"],
                required=r["required"],
                change=r["change"],
                change_pct=r["change_pct"],
                reachable=bool(r["reachable"]),
                target_class=r["option_target"],
                reached_class=r["reached_class"],
                new_total=r["new_total"],
                new_rank=r["new_rank"],
                verified=bool(r["verified"]),
                message=r["message"],
            )
            for r in rows
            if r["figure"] is not None
        ]
        return LiftExplanation(
            uscc=first["uscc"],
            name=first["name"],
            group=first["group"],
            status=first["status"],
            current_class=first["current_class"],
            target_class=first["target_class"],
            summary=first["summary"],
            options=options,
        )
