"""低效用地认定: which enterprises and parcels are inefficient land, and what their land would yield (the potential).

The rules are the optional ``[inefficient_land]`` table of an evaluation scheme (:class:`InefficientLandRules`; a
scheme without it uses the defaults below). They read plain records, so the same rule serves the register, a test
and any later caller:

* an :class:`EnterpriseFact` per enterprise of a run (its class, land, tax and 亩均税收, the zone benchmark of its
  group), for the two enterprise rules: D 类 (``d_class``) and 亩均税收 below ``tax_per_mu_share`` of the benchmark;
* the parcels of :mod:`zonehero.core.land.model` (may be empty: then the two parcel rules find nothing), for 闲置
  (``idle_parcels``: a parcel whose status is 闲置) and 批而未用 (``unused_supplied_land``: a parcel supplied, i.e.
  with a 取得日期, at least ``unused_years`` before the year's end and still not in use).

The potential (挖潜空间) of a case is the tax its land would yield at the zone's benchmark 亩均税收 less the tax it
paid, floored at 0: ``land_mu × benchmark − tax``. It lives here, in one function, so the register, its total and the
pages cannot disagree. Pure: imports only other cores and ``zonehero.errors``.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from zonehero.core.land.model import Parcel, ParcelStatus, square_metres_to_mu


@dataclass(frozen=True)
class InefficientLandRules:
    """低效用地认定规则: the ``[inefficient_land]`` table of a scheme; the defaults are the default rule."""

    d_class: bool = True
    """A D-class enterprise of the run is a case (D 类企业)."""
    tax_per_mu_share: float = 0.5
    """An evaluated enterprise whose 亩均税收 is below this share (0-1) of its group's zone benchmark is a case; 0
    turns the rule off."""
    idle_parcels: bool = True
    """A parcel whose status is 闲置 is a case of its holder."""
    unused_supplied_land: bool = True
    """A parcel supplied (取得日期 set) at least ``unused_years`` years before the year's end and not in use (在建 or
    闲置) is a case of its holder (批而未用)."""
    unused_years: float = 2.0
    """How long supplied land may stay unused before it counts (年)."""


DEFAULT_INEFFICIENT_RULES = InefficientLandRules()

INEFFICIENT_RULE_LABELS: dict[str, str] = {
    "d_class": "D 类企业认定为低效用地",
    "tax_per_mu_share": "亩均税收低于基准的比例",
    "idle_parcels": "闲置宗地认定为低效用地",
    "unused_supplied_land": "批而未用土地认定为低效用地",
    "unused_years": "批而未用年限（年）",
}
"""The Chinese name of each key of ``[inefficient_land]`` (the scheme's version diff)."""


class Reason(enum.StrEnum):
    """Why a case is on the register."""

    D_CLASS = "d_class"
    LOW_TAX_PER_MU = "low_tax_per_mu"
    IDLE = "idle"
    UNUSED = "unused"

    @property
    def label(self) -> str:
        """Chinese name: D 类, 亩均税收低于基准, 闲置, 批而未用."""
        return REASON_LABELS[self]


REASON_LABELS: dict[Reason, str] = {
    Reason.D_CLASS: "D 类",
    Reason.LOW_TAX_PER_MU: "亩均税收低于基准",
    Reason.IDLE: "闲置",
    Reason.UNUSED: "批而未用",
}


@dataclass(frozen=True)
class EnterpriseFact:
    """One enterprise of a run as the rules read it (land in 亩, tax in 万元, benchmark in 万元/亩)."""

    uscc: str
    name: str | None = None
    group: str | None = None
    class_: str | None = None
    status: str = "evaluated"
    land_mu: float | None = None
    tax: float | None = None
    tax_per_mu: float | None = None
    benchmark: float | None = None
    """The zone-wide benchmark 亩均税收 of the enterprise's group in the run (区域基准值)."""


@dataclass(frozen=True)
class InefficientCase:
    """One case of the register: an enterprise (or a parcel holder), why, its land, tax and potential."""

    uscc: str
    name: str | None
    group: str | None
    class_: str | None
    reasons: tuple[Reason, ...]
    parcels: tuple[str, ...]
    land_mu: float
    tax: float
    tax_per_mu: float | None
    benchmark: float | None
    potential: float
    share_of_benchmark: float | None = field(default=None)
    """The enterprise's 亩均税收 ÷ benchmark (shown as x%); None without both."""


def potential(land_mu: float, benchmark: float | None, tax: float | None) -> float:
    """The tax ``land_mu`` would yield at ``benchmark`` less ``tax`` paid, floored at 0 (0 without a benchmark)."""
    if benchmark is None or land_mu <= 0:
        return 0.0
    return max(0.0, land_mu * benchmark - (tax or 0.0))


def is_low_tax_per_mu(fact: EnterpriseFact, share: float) -> bool:
    """亩均税收 strictly below ``share`` × the benchmark (an enterprise not evaluated, or without both, is not)."""
    if not share or fact.status != "evaluated" or fact.tax_per_mu is None or fact.benchmark is None:
        return False
    return fact.tax_per_mu < share * fact.benchmark


def is_unused_supplied(parcel: Parcel, year: int, years: float) -> bool:
    """批而未用: supplied at least ``years`` before 31 December of ``year`` and not in use."""
    if parcel.status is ParcelStatus.IN_USE or parcel.acquired is None:
        return False
    return (dt.date(year, 12, 31) - parcel.acquired).days >= years * 365


def find_cases(
    facts: Iterable[EnterpriseFact],
    parcels: Sequence[Parcel],
    rules: InefficientLandRules,
    year: int,
    *,
    default_benchmark: float | None = None,
) -> list[InefficientCase]:
    """The register of ``year``: one case per enterprise any rule marks, most potential first (ties by USCC).

    A parcel rule adds its reason and the parcel number to its holder's case; a holder not in the run gets a case of
    its own with the parcels' area as land, no tax, and ``default_benchmark`` (the zone benchmark of 规上) for its
    potential. An enterprise flagged by a parcel keeps its evaluated land (which includes the parcel) when it has
    one.
    """
    by_uscc: dict[str, EnterpriseFact] = {f.uscc: f for f in facts}
    reasons: dict[str, list[Reason]] = {}
    parcel_nos: dict[str, list[str]] = {}
    parcel_mu: dict[str, float] = {}

    def mark(uscc: str, reason: Reason) -> None:
        found = reasons.setdefault(uscc, [])
        if reason not in found:
            found.append(reason)

    for fact in by_uscc.values():
        if rules.d_class and fact.class_ == "D":
            mark(fact.uscc, Reason.D_CLASS)
        if is_low_tax_per_mu(fact, rules.tax_per_mu_share):
            mark(fact.uscc, Reason.LOW_TAX_PER_MU)
    for parcel in parcels:
        hit: list[Reason] = []
        if rules.idle_parcels and parcel.status is ParcelStatus.IDLE:
            hit.append(Reason.IDLE)
        if rules.unused_supplied_land and is_unused_supplied(parcel, year, rules.unused_years):
            hit.append(Reason.UNUSED)
        for reason in hit:
            mark(parcel.holder_uscc, reason)
        if hit:
            parcel_nos.setdefault(parcel.holder_uscc, []).append(parcel.number)
            parcel_mu[parcel.holder_uscc] = parcel_mu.get(parcel.holder_uscc, 0.0) + square_metres_to_mu(parcel.area_m2)

    cases = []
    for uscc, why in reasons.items():
        fact = by_uscc.get(uscc) or EnterpriseFact(uscc=uscc, status="absent", benchmark=default_benchmark)
        land = fact.land_mu if fact.land_mu is not None else parcel_mu.get(uscc, 0.0)
        tax = fact.tax or 0.0
        share = fact.tax_per_mu / fact.benchmark if fact.tax_per_mu is not None and fact.benchmark else None
        cases.append(
            InefficientCase(
                uscc=uscc,
                name=fact.name,
                group=fact.group,
                class_=fact.class_,
                reasons=tuple(sorted(why, key=list(Reason).index)),
                parcels=tuple(sorted(parcel_nos.get(uscc, []))),
                land_mu=land,
                tax=tax,
                tax_per_mu=fact.tax_per_mu,
                benchmark=fact.benchmark,
                potential=potential(land, fact.benchmark, tax),
                share_of_benchmark=share,
            )
        )
    cases.sort(key=lambda c: (-c.potential, c.uscc))
    return cases


def total_potential(cases: Iterable[InefficientCase]) -> float:
    """The zone's potential: the sum over its cases."""
    return sum(c.potential for c in cases)


def benchmark_by_group(benchmarks: Iterable[Mapping[str, object]], indicator: str = "tax_per_mu") -> dict[str, float]:
    """The zone-wide benchmark of ``indicator`` per group from a run's benchmark rows (industry rows left out)."""
    out: dict[str, float] = {}
    for b in benchmarks:
        if b.get("industry_division") or b.get("indicator") != indicator:
            continue
        value = b.get("benchmark")
        if isinstance(value, int | float) and not isinstance(value, bool) and b.get("group"):
            out[str(b["group"])] = float(value)
    return out


class Outcome(enum.StrEnum):
    """Whether a D-class plan worked, read from the next year's final run."""

    IMPROVED = "improved"
    NOT_IMPROVED = "not_improved"
    NO_RESULT = "no_result"

    @property
    def label(self) -> str:
        """Chinese name: 已提升, 未提升, 尚无下一年度结果."""
        return {"improved": "已提升", "not_improved": "未提升", "no_result": "尚无下一年度结果"}[self.value]


CLASS_ORDER = ("A", "B", "C", "D")


def plan_outcome(class_before: str | None, class_after: str | None, *, has_next: bool) -> Outcome:
    """已提升 when the next year's class is better than the plan year's (a D firm now A, B or C); 未提升 when it is
    the same or worse, or the enterprise has no class in the next run (vetoed, out of scope); 尚无下一年度结果
    without a next final run holding the enterprise."""
    if not has_next:
        return Outcome.NO_RESULT
    if class_after not in CLASS_ORDER:
        return Outcome.NOT_IMPROVED
    before = CLASS_ORDER.index(class_before) if class_before in CLASS_ORDER else len(CLASS_ORDER) - 1
    return Outcome.IMPROVED if CLASS_ORDER.index(class_after) < before else Outcome.NOT_IMPROVED
