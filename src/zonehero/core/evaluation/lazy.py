"""How the engine runs its lazy Polars plans.

Polars 2 defaults to the streaming engine. The evaluation plan is dominated
by window expressions (over group / industry division), ranks and a final
sort, which the in-memory engine runs faster: on 500,000 enterprises about
0.8 s against 1.9 s wall time on 2 cores (measured with
benchmarks/bench_engine.py's synthetic zone). So every collect goes through here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final, Literal

import polars as pl

ENGINE: Final[Literal["in-memory"]] = "in-memory"


def collect(plan: pl.LazyFrame) -> pl.DataFrame:
    """Run one plan with the engine's chosen Polars engine."""
    return plan.collect(engine=ENGINE)


def collect_all(plans: Iterable[pl.LazyFrame]) -> list[pl.DataFrame]:
    """Run several independent plans together (shared scans, parallel)."""
    return pl.collect_all(list(plans), engine=ENGINE)
