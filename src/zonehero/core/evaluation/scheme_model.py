"""The parsed evaluation scheme (评价方案): immutable values, one class per TOML section.

A :class:`Scheme` is built only by :func:`zonehero.core.evaluation.scheme.parse_scheme`,
which validates everything, so the engine can trust every field. It keeps the
original TOML text and its sha256 so a run can be reproduced from what it stored.
Variations for what-if analysis go through :meth:`Scheme.with_changes`, which
re-serialises and re-validates, so a varied scheme is as trustworthy as a parsed one.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Literal, TypeVar

from zonehero.core.land.inefficient import DEFAULT_INEFFICIENT_RULES, InefficientLandRules
from zonehero.core.land.model import DEFAULT_LAND_RULES, LandRules

K = TypeVar("K")
V = TypeVar("V")

GROUPS: tuple[str, ...] = ("above", "below")
"""规上 / 规下: the two groups of spec §2, in display order."""

CLASS_KEYS: tuple[str, ...] = ("A", "B", "C", "D")

WEIGHT_TOTAL = 100.0
"""What each group's weights add up to in a version saved from the scheme pages (spec §4)."""

Direction = Literal["higher", "lower"]
BenchmarkMode = Literal["zone", "industry", "fixed"]
MissingPolicy = Literal["zero", "group_mean"]
ClassMode = Literal["quota", "threshold"]


class FrozenMap(Mapping[K, V]):
    """A read-only, hashable, picklable mapping that keeps insertion order."""

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[K, V] | None = None) -> None:
        self._data: dict[K, V] = dict(data or {})

    def __getitem__(self, key: K) -> V:
        return self._data[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        return hash(tuple(self._data.items()))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return dict(self._data) == dict(other)
        return NotImplemented

    def __repr__(self) -> str:
        return f"FrozenMap({self._data!r})"


@dataclass(frozen=True)
class SchemeInfo:
    """[scheme]: what this scheme is called."""

    name: str
    version: str
    description: str = ""


@dataclass(frozen=True)
class Scope:
    """[scope]: who is evaluated (spec §2)."""

    min_land_mu_below_scale: float
    above_scale_revenue: float
    exempt_years: int
    exempt_industry_prefixes: tuple[str, ...]
    veto_flags: tuple[str, ...]


@dataclass(frozen=True)
class Scoring:
    """[scoring]: benchmarks and scores (spec §5)."""

    cap: float
    benchmark_mode: BenchmarkMode
    benchmark_factor: float
    industry_min_count: int
    missing_policy: MissingPolicy


@dataclass(frozen=True)
class Indicator:
    """One indicator (指标) of a group: value = numerator / denominator × multiplier."""

    key: str
    label: str
    numerator: str
    denominator: str
    weight: float
    multiplier: float = 1.0
    direction: Direction = "higher"
    dimension: str = ""
    """论: 亩均 / 低碳 / 科技 / 人均 (display only)."""
    unit: str = ""


@dataclass(frozen=True)
class Group:
    """One group (above = 规上, below = 规下) and its indicators in display order."""

    key: str
    indicators: tuple[Indicator, ...]

    @property
    def total_weight(self) -> float:
        """Σ weights; the default scheme has 100 but a scheme may choose otherwise."""
        return sum(i.weight for i in self.indicators)

    def indicator(self, key: str) -> Indicator:
        """The indicator named ``key``; KeyError when the group has none."""
        for ind in self.indicators:
            if ind.key == key:
                return ind
        raise KeyError(key)


@dataclass(frozen=True)
class Bonus:
    """[bonus]: points for evaluated enterprises only, total capped at ``max_total``."""

    max_total: float
    flags: FrozenMap[str, float]
    zjtx_level: FrozenMap[str, float]


@dataclass(frozen=True)
class Classes:
    """[classes]: how total scores become A/B/C/D (spec §6)."""

    mode: ClassMode
    quota_a: int
    quota_b: int
    quota_c: int
    threshold_a: float
    threshold_b: float
    threshold_c: float
    vetoed_class: Literal["C", "D"] = "D"


@dataclass(frozen=True)
class CarbonGrade:
    """[carbon_grade]: 碳效等级 (spec §7a). Grade i+1 when K <= bounds[i]; above the last, len(bounds)+1."""

    industry_min_count: int
    bounds: tuple[float, ...]


@dataclass(frozen=True)
class Policy:
    """[policies.X]: the differentiated policies (差别化政策) of one class (spec §7)."""

    name: str
    electricity_surcharge: float = 0.0
    electricity_surcharge_by_consecutive_year: tuple[float, ...] = ()
    """D only: surcharge in the 1st, 2nd, … consecutive D year; the last applies from then on."""
    land_energy_quota: str = ""
    land_energy_quota_label: str = ""
    other: str = ""

    def surcharge_for_year(self, consecutive_year: int) -> float:
        """元/kWh in the ``consecutive_year``-th consecutive year of this class (1 = first)."""
        by_year = self.electricity_surcharge_by_consecutive_year
        if not by_year:
            return self.electricity_surcharge
        return by_year[min(max(consecutive_year, 1), len(by_year)) - 1]


@dataclass(frozen=True)
class Scheme:
    """A validated evaluation scheme plus the exact text it came from."""

    info: SchemeInfo
    scope: Scope
    scoring: Scoring
    groups: FrozenMap[str, Group]
    fixed_benchmarks: FrozenMap[str, FrozenMap[str, float]]
    """group -> indicator key -> benchmark, used when scoring.benchmark_mode == "fixed"."""
    bonus: Bonus
    classes: Classes
    carbon_grade: CarbonGrade
    policies: FrozenMap[str, Policy]
    text: str
    """The TOML text, stored with every run (reproducibility)."""
    digest: str
    """sha256 hex of ``text``."""
    land: LandRules | None = None
    """[land]: how parcels and leases become each enterprise's land (用地认定规则); None when the text has no
    ``[land]`` table (then the default rule applies, and the text, its digest and every result stay as they were)."""

    @property
    def land_rules(self) -> LandRules:
        """The scheme's land rules, the default rule when it states none."""
        return self.land if self.land is not None else DEFAULT_LAND_RULES

    inefficient_land: InefficientLandRules | None = None
    """[inefficient_land]: which land is inefficient (低效用地认定); None when the text has no such table (then the
    default rule applies, and the text and its digest stay as they were)."""

    @property
    def inefficient_rules(self) -> InefficientLandRules:
        """The scheme's 低效用地 rules, the default rule when it states none."""
        return self.inefficient_land if self.inefficient_land is not None else DEFAULT_INEFFICIENT_RULES

    @property
    def indicator_keys(self) -> tuple[str, ...]:
        """Every indicator key over all groups, first-seen order (the result's column order)."""
        seen: dict[str, None] = {}
        for group in self.groups.values():
            for ind in group.indicators:
                seen.setdefault(ind.key, None)
        return tuple(seen)

    @property
    def indicator_labels(self) -> dict[str, str]:
        """Chinese label of every indicator key (a key in several groups: the last group's label)."""
        return {ind.key: ind.label for group in self.groups.values() for ind in group.indicators}
