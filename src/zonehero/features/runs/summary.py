"""A run's summary as people read it first (评价概况): classes per group and the zone's benchmarks with units.

Both come from the run's own record (its counts and benchmarks, a few dozen rows kept with the run), so the summary
costs the same for ten enterprises as for thirty thousand. The run page and the dashboard print the same figures;
keeping the rule here means the two cannot disagree about how a class total or a benchmark's unit is found.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from zonehero.core.domain.classes import CLASSES, GROUP_LABELS
from zonehero.core.evaluation.scheme import Scheme, indicator_label_unit


@dataclass(frozen=True)
class ClassRow:
    """Enterprises per class in one group (规上 or 规下) of a run."""

    group: str
    label: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        """The group's classed enterprises (exempt and out-of-scope ones have no class)."""
        return sum(self.counts.values())


def class_table(counts: Iterable[Mapping[str, Any]]) -> list[ClassRow]:
    """One row per group: enterprises per class, from the run's own counts (``run.counts``)."""
    rows = []
    listed = list(counts)
    for group, label in GROUP_LABELS.items():
        per_class = dict.fromkeys(CLASSES, 0)
        for entry in listed:
            if entry.get("group") == group and entry.get("class") in per_class:
                per_class[entry["class"]] += int(entry.get("count") or 0)
        rows.append(ClassRow(group=group, label=label, counts=per_class))
    return rows


def zone_benchmarks(benchmarks: Iterable[Mapping[str, Any]], scheme: Scheme) -> list[dict[str, Any]]:
    """The zone-wide benchmarks (区域基准值), each with its indicator's label and unit from the run's scheme.

    Industry rows (分行业基准值) are left out: they are many and belong to the enterprise page, where the one that
    applied is shown beside the enterprise's figure.
    """
    rows = []
    for b in benchmarks:
        if b.get("industry_division"):
            continue
        label, unit = indicator_label_unit(scheme, str(b.get("indicator")))
        rows.append({**b, "label": b.get("label") or label, "unit": unit})
    return rows


def industry_benchmark_count(benchmarks: Iterable[Mapping[str, Any]]) -> int:
    """How many industry benchmarks the run used (0 unless its scheme benchmarks by industry)."""
    return sum(1 for b in benchmarks if b.get("industry_division"))
