"""Indicator values (spec §4): numerator / denominator × multiplier, per the row's group.

An indicator key may appear in both groups (tax_per_mu does) with its own
definition in each; every expression here picks the definition of the row's
group with a when/then chain over the (two) groups, so it stays vectorised.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import polars as pl

from zonehero.core.evaluation.scheme_model import GROUPS, Indicator, Scheme
from zonehero.core.evaluation.status import GROUP_CODE


@dataclass(frozen=True)
class IndicatorColumns:
    """Names of the internal and output columns of one indicator key."""

    key: str

    @property
    def applies(self) -> str:
        """Bool: the row's group has this indicator."""
        return f"_app__{self.key}"

    @property
    def numerator(self) -> str:
        return f"_num__{self.key}"

    @property
    def denominator(self) -> str:
        return f"_den__{self.key}"

    @property
    def has_value(self) -> str:
        """Bool: numerator and denominator present and denominator > 0."""
        return f"_has__{self.key}"

    @property
    def value(self) -> str:
        return f"{self.key}__value"

    @property
    def benchmark(self) -> str:
        return f"{self.key}__benchmark"

    @property
    def ratio(self) -> str:
        return f"{self.key}__ratio"

    @property
    def score(self) -> str:
        return f"{self.key}__score"


def definitions(scheme: Scheme) -> dict[str, dict[str, Indicator]]:
    """indicator key -> group -> its definition there, in the scheme's first-seen key order."""
    defs: dict[str, dict[str, Indicator]] = {key: {} for key in scheme.indicator_keys}
    for group_key, group in scheme.groups.items():
        for ind in group.indicators:
            defs[ind.key][group_key] = ind
    return defs


def by_group(per_group: dict[str, Indicator], make: Callable[[Indicator], pl.Expr]) -> pl.Expr:
    """``make(definition)`` of the row's group; null for rows of a group without this indicator."""
    items = list(per_group.items())
    group_key, ind = items[0]
    chain: Any = pl.when(pl.col(GROUP_CODE) == GROUPS.index(group_key)).then(make(ind))
    for group_key, ind in items[1:]:
        chain = chain.when(pl.col(GROUP_CODE) == GROUPS.index(group_key)).then(make(ind))
    return chain.otherwise(None)


def value_columns(defs: dict[str, dict[str, Indicator]]) -> list[list[pl.Expr]]:
    """Two stages of expressions: numerator/denominator/applies, then has_value and value."""
    first: list[pl.Expr] = []
    second: list[pl.Expr] = []
    for key, per_group in defs.items():
        c = IndicatorColumns(key)
        first += [
            pl.col(GROUP_CODE).is_in([GROUPS.index(g) for g in per_group]).fill_null(False).alias(c.applies),
            by_group(per_group, lambda i: pl.col(i.numerator)).cast(pl.Float64).alias(c.numerator),
            by_group(per_group, lambda i: pl.col(i.denominator)).cast(pl.Float64).alias(c.denominator),
        ]
        has = (
            pl.col(c.numerator).is_not_null() & pl.col(c.denominator).is_not_null() & (pl.col(c.denominator) > 0)
        ).fill_null(False)
        multiplier = by_group(per_group, lambda i: pl.lit(i.multiplier, dtype=pl.Float64))
        second += [
            has.alias(c.has_value),
            pl.when(has).then(pl.col(c.numerator) / pl.col(c.denominator) * multiplier).alias(c.value),
        ]
    return [first, second]
