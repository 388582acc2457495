"""The 公示 list of a run: who is in which class, in the customary order, and the 公示 period.

Shared by the PDF (:mod:`zonehero.reports.pdf.publiclist`) and the workbook
(:mod:`zonehero.reports.publiclist_xlsx`) so both print the same rows.
Enterprises with a class are listed, grouped by class (A to D), within a
class by group (规上 first) and rank; vetoed ones close their class with the
note 一票否决.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from zonehero.core.domain.classes import CLASSES, GROUP_LABELS
from zonehero.core.evaluation.scheme_model import GROUPS
from zonehero.core.zone import NoticePeriod
from zonehero.reports.annual_figures import EvaluationLike


@dataclass(frozen=True)
class PublicRow:
    """One line of the list; ``number`` runs through the whole list (序号)."""

    number: int
    name: str
    uscc: str
    group: str
    total_score: float | None
    cls: str
    note: str

    @property
    def group_label(self) -> str:
        """规上 / 规下."""
        return GROUP_LABELS.get(self.group, self.group)


@dataclass(frozen=True)
class PublicPeriod:
    """When the list is published (the run's 公示, described by the zone's rule) and where to send objections."""

    notice: NoticePeriod
    contact: str

    @property
    def start(self) -> date:
        return self.notice.start

    @property
    def end(self) -> date:
        return self.notice.end


def public_rows(result: EvaluationLike) -> dict[str, list[PublicRow]]:
    """Class → rows in print order; every class key is present (empty list when none)."""
    e = result.enterprises.filter(pl.col("class").is_not_null())
    order = {g: i for i, g in enumerate(GROUPS)}
    e = e.with_columns(
        pl.col("group").replace_strict(order, default=len(order), return_dtype=pl.Int64).alias("_g"),
        (pl.col("status") == "vetoed").alias("_v"),
    ).sort(["class", "_g", "_v", "rank", "uscc"], nulls_last=True)
    out: dict[str, list[PublicRow]] = {c: [] for c in CLASSES}
    for number, r in enumerate(e.iter_rows(named=True), start=1):
        out.setdefault(r["class"], []).append(
            PublicRow(
                number=number,
                name=r["name"] or "",
                uscc=r["uscc"],
                group=r["group"] or "",
                total_score=r["total_score"],
                cls=r["class"],
                note="一票否决" if r["status"] == "vetoed" else "",
            )
        )
    return out
