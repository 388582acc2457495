"""The land rule (用地面积认定): each enterprise's land in a year from parcels and leases.

The one place the rule lives; the command, the store, the 公示 and the map read its result.

For year Y an enterprise's land = the parcels it holds − the area it lets out + the area it rents, in m², then
in 亩 (1 亩 = 10000/15 m²). A lease counts by the days of Y it covers, both dates inclusive, ÷ the days of Y (an
open end runs to the end of Y); with ``pro_rata`` off a lease covering any day of Y counts the whole year. A
sublet needs nothing special: its lessor loses what its lessee gains. The options of :class:`LandRules`:

- ``lessor_keeps``: leases move nothing (the holder keeps its land; tenants appear with their leases at 0);
- ``exclude_under_construction``: a 在建 parcel counts 0, and so do the leases on it;
- ``shared_parcels = "share"``: the leases of a parcel may add up to more than its area (floor space let in a
  multi-storey building); on each day the parcel's area is then split among its tenants in proportion to their
  leased areas (factor area ÷ Σ leased, applied to the sublets on it too) and the holder keeps nothing; while they
  add up to less, the holder keeps the rest as in "separate". Whole-year counting (``pro_rata`` off) can make
  leases that follow each other overlap within the year; they are split the same way in every mode;
- ``shared_parcels = "merge"``: figures as in "separate", and every parcel with a lease in Y joins its holder and
  its tenants into one evaluated unit (合并评价; units sharing an enterprise are one unit); each member's record
  names the unit, its members and its area, and the member's ``below_minimum`` is the unit's;
- ``minimum_mu``: an enterprise (a unit) with less land is flagged ``below_minimum``; the figure is not changed.

Before deriving, :func:`check_land` refuses what no rule can count, each problem at its record's row: a parcel
number given twice or a parcel without area, a lease on a parcel not in the register, an end before the start, a
lessor letting to itself, no area, the holder's leases of one parcel adding up at some time to more than the parcel
(overlapping leases; allowed under "share"), and a tenant subletting at some time more than it rents on that parcel.
"""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Iterable, Sequence

from zonehero.core.domain.units import SQUARE_METRES_PER_MU
from zonehero.core.land.explain import EnterpriseLand, LandAreas, LeaseLine, MergedUnit, ParcelLine
from zonehero.core.land.model import DEFAULT_LAND_RULES, LandRules, Lease, Parcel, ParcelStatus
from zonehero.core.land.registry import lease_row_problems
from zonehero.errors import InputError, InputProblem

AREA_TOLERANCE = 1e-9
"""Relative slack when comparing sums of areas (0.1 + 0.2 m² must not exceed 0.3 m²)."""

_ONE_DAY = dt.timedelta(days=1)


def _problem(lease: Lease, message: str, key: str) -> InputProblem:
    if lease.origin is not None:
        return lease.origin.problem(message, key)
    return InputProblem(f"{lease.name}：{message}")


def _parcel_problem(parcel: Parcel, message: str, key: str) -> InputProblem:
    if parcel.origin is not None:
        return parcel.origin.problem(message, key)
    return InputProblem(f"宗地「{parcel.number}」：{message}")


def _rows(leases: Iterable[Lease]) -> str:
    """How a message names other leases: their rows when read from a file, else their names."""
    names = [f"第 {lease.origin.row} 行" if lease.origin and lease.origin.row else lease.name for lease in leases]
    return "、".join(names)


def _exceeds(total: float, limit: float) -> bool:
    return total > limit * (1 + AREA_TOLERANCE) + AREA_TOLERANCE


def _m2(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _starts(leases: Iterable[Lease]) -> list[dt.date]:
    return sorted({lease.start for lease in leases})


def check_land(
    parcels: Sequence[Parcel], leases: Sequence[Lease], rules: LandRules = DEFAULT_LAND_RULES
) -> list[InputProblem]:
    """Every problem that stops the derivation (see the module doc); empty when the records can be counted."""
    by_no: dict[str, Parcel] = {}
    problems: list[InputProblem] = []
    for parcel in parcels:
        if parcel.number in by_no:
            problems.append(_parcel_problem(parcel, f"宗地编号「{parcel.number}」重复", "parcel_no"))
        if not parcel.area_m2 > 0:
            problems.append(_parcel_problem(parcel, "宗地面积须大于 0", "area_m2"))
        by_no.setdefault(parcel.number, parcel)
    on_parcel: dict[str, list[Lease]] = defaultdict(list)
    for lease in leases:
        row = lease_row_problems(lease)
        problems += [_problem(lease, message, key) for key, message in row]
        if lease.parcel_no not in by_no:
            problems.append(_problem(lease, f"宗地编号「{lease.parcel_no}」不在宗地表中", "parcel_no"))
        elif not row:
            on_parcel[lease.parcel_no].append(lease)
    for number, its in on_parcel.items():
        parcel = by_no[number]
        holder_leases = [lease for lease in its if lease.lessor_uscc == parcel.holder_uscc]
        if rules.shared_parcels != "share":
            problems += _overlaps(parcel, holder_leases)
        for lessor in sorted({lease.lessor_uscc for lease in its} - {parcel.holder_uscc}):
            problems += _over_letting(parcel, lessor, its)
    return problems


def _overlaps(parcel: Parcel, leases: list[Lease]) -> list[InputProblem]:
    """The first day the holder's leases of ``parcel`` together exceed its area, at the lease starting that day."""
    for day in _starts(leases):
        active = [lease for lease in leases if lease.covers(day)]
        total = sum(lease.area_on(parcel) for lease in active)
        if _exceeds(total, parcel.area_m2):
            last = max(active, key=lambda lease: (lease.start, lease.origin.row if lease.origin else 0))
            others = [lease for lease in active if lease is not last]
            with_others = f"与{_rows(others)}的租赁" if others else ""
            message = (
                f"租赁重叠：宗地「{parcel.number}」自 {day.isoformat()} 起{with_others}同时有效，"
                f"合计租赁面积 {_m2(total)} 平方米超过宗地面积 {_m2(parcel.area_m2)} 平方米"
            )
            return [_problem(last, message, "area_m2" if last.area_m2 is not None else "share")]
    return []


def _over_letting(parcel: Parcel, lessor: str, leases: list[Lease]) -> list[InputProblem]:
    """The first day ``lessor`` (not the holder) lets out more of ``parcel`` than it rents there."""
    out = [lease for lease in leases if lease.lessor_uscc == lessor]
    rented = [lease for lease in leases if lease.lessee_uscc == lessor]
    days = set(_starts(out)) | {lease.end + _ONE_DAY for lease in rented if lease.end is not None}
    for day in sorted(days):
        letting = [lease for lease in out if lease.covers(day)]
        if not letting:
            continue
        let = sum(lease.area_on(parcel) for lease in letting)
        held = sum(lease.area_on(parcel) for lease in rented if lease.covers(day))
        if _exceeds(let, held):
            last = max(letting, key=lambda lease: (lease.start, lease.origin.row if lease.origin else 0))
            message = (
                f"出租方 {lessor} 在宗地「{parcel.number}」上 {day.isoformat()} 出租 {_m2(let)} 平方米，"
                f"超过其当时承租的 {_m2(held)} 平方米（非权利人只能转租所承租的面积）"
            )
            return [_problem(last, message, "lessor_uscc")]
    return []


def derive_land(
    parcels: Sequence[Parcel], leases: Sequence[Lease], year: int, rules: LandRules = DEFAULT_LAND_RULES
) -> LandAreas:
    """Each enterprise's land in ``year`` under ``rules``; InputError with every problem of :func:`check_land`."""
    problems = check_land(parcels, leases, rules)
    if problems:
        raise InputError(problems)
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    days_in_year = 366 if calendar.isleap(year) else 365
    parcel_lines: dict[str, list[ParcelLine]] = defaultdict(list)
    lease_lines: dict[str, list[LeaseLine]] = defaultdict(list)
    links: list[tuple[str, str, str]] = []  # (parcel, lessor, lessee) of each lease counted in the year
    on_parcel: dict[str, list[Lease]] = defaultdict(list)
    for lease in leases:
        on_parcel[lease.parcel_no].append(lease)
    for parcel in sorted(parcels, key=lambda p: p.number):
        excluded = rules.exclude_under_construction and parcel.status is ParcelStatus.UNDER_CONSTRUCTION
        parcel_lines[parcel.holder_uscc].append(
            ParcelLine(
                parcel.number,
                parcel.area_m2,
                parcel.status,
                0.0 if excluded else parcel.area_m2,
                "在建宗地不计" if excluded else "",
            )
        )
        periods: dict[int, tuple[dt.date, dt.date, int]] = {}
        for i, lease in enumerate(on_parcel.get(parcel.number, [])):
            start, end = max(lease.start, first), min(lease.end or last, last)
            if start <= end:
                covered = (end - start).days + 1
                periods[i] = (start, end, covered) if rules.pro_rata else (first, last, covered)
        its = on_parcel.get(parcel.number, [])
        day_weights, shared = _day_weights(parcel, its, periods, last)
        for i, (_start, _end, covered) in sorted(periods.items(), key=lambda kv: (its[kv[0]].start, kv[0])):
            lease = its[i]
            counted = 0.0 if excluded or rules.lessor_keeps else lease.area_on(parcel) * day_weights[i] / days_in_year
            note = _lease_note(rules, excluded, shared[i])
            for uscc, direction, other, sign in (
                (lease.lessor_uscc, "out", lease.lessee_uscc, -1.0),
                (lease.lessee_uscc, "in", lease.lessor_uscc, 1.0),
            ):
                lease_lines[uscc].append(
                    LeaseLine(
                        parcel_no=parcel.number,
                        contract_no=lease.contract_no,
                        counterparty=other,
                        direction="out" if direction == "out" else "in",
                        area_m2=lease.area_on(parcel),
                        days_covered=covered,
                        days_in_year=days_in_year,
                        counted_m2=sign * counted if counted else 0.0,
                        note=note,
                    )
                )
            links.append((parcel.number, lease.lessor_uscc, lease.lessee_uscc))
    usccs = sorted(set(parcel_lines) | set(lease_lines))
    minimum_m2 = rules.minimum_mu * SQUARE_METRES_PER_MU
    draft = {
        uscc: EnterpriseLand(uscc, tuple(parcel_lines[uscc]), tuple(lease_lines[uscc]), below_minimum=False)
        for uscc in usccs
    }
    units: list[MergedUnit] = []
    unit_of: dict[str, MergedUnit] = {}
    if rules.shared_parcels == "merge":
        for members, numbers in _components(links):
            area = sum(draft[u].land_area_m2 for u in members)
            merged = MergedUnit(tuple(members), tuple(numbers), area, _below(area, minimum_m2, rules))
            units.append(merged)
            unit_of.update(dict.fromkeys(members, merged))
    enterprises = []
    for uscc in usccs:
        e, unit = draft[uscc], unit_of.get(uscc)
        below = unit.below_minimum if unit is not None else _below(e.land_area_m2, minimum_m2, rules)
        enterprises.append(EnterpriseLand(uscc, e.parcels, e.leases, below, unit))
    return LandAreas(year, rules, tuple(enterprises), tuple(units))


def _below(area_m2: float, minimum_m2: float, rules: LandRules) -> bool:
    return rules.minimum_mu > 0 and area_m2 < minimum_m2 * (1 - AREA_TOLERANCE)


def _day_weights(
    parcel: Parcel, leases: list[Lease], periods: dict[int, tuple[dt.date, dt.date, int]], last: dt.date
) -> tuple[dict[int, float], dict[int, bool]]:
    """Per lease (by index): Σ over its counted days of the parcel's split factor, and whether a split applied.

    The factor is 1 while the holder's leases running that day fit in the parcel, else area ÷ Σ leased (see the
    module doc); with factor 1 throughout the weight is the whole number of days, so nothing is lost to rounding.
    """
    bounds = {last + _ONE_DAY}
    for start, end, _ in periods.values():
        bounds |= {start, end + _ONE_DAY}
    points = sorted(bounds)
    weights = dict.fromkeys(periods, 0.0)
    shared = dict.fromkeys(periods, False)
    for a, b in itertools.pairwise(points):
        active = [i for i, (start, end, _) in periods.items() if start <= a <= end]
        if not active:
            continue
        leased = sum(leases[i].area_on(parcel) for i in active if leases[i].lessor_uscc == parcel.holder_uscc)
        factor = parcel.area_m2 / leased if _exceeds(leased, parcel.area_m2) else 1.0
        for i in active:
            weights[i] += factor * (b - a).days
            shared[i] = shared[i] or factor != 1.0
    return weights, shared


def _lease_note(rules: LandRules, excluded: bool, shared: bool) -> str:
    if excluded:
        return "在建宗地不计"
    if rules.lessor_keeps:
        return "出租土地计入出租方"
    notes = []
    if not rules.pro_rata:
        notes.append("按整年计")
    if shared:
        notes.append("按租赁面积比例分摊宗地面积")
    return "；".join(notes)


def _components(links: list[tuple[str, str, str]]) -> list[tuple[list[str], list[str]]]:
    """(members, parcels) of each group of enterprises joined by leases, sorted; a union-find over the links."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for _number, lessor, lessee in links:
        root_a, root_b = find(lessor), find(lessee)
        if root_a != root_b:
            parent[max(root_a, root_b)] = min(root_a, root_b)
    members: dict[str, set[str]] = defaultdict(set)
    numbers: dict[str, set[str]] = defaultdict(set)
    for number, lessor, lessee in links:
        root = find(lessor)
        members[root] |= {lessor, lessee}
        numbers[root].add(number)
    return sorted((sorted(members[root]), sorted(numbers[root])) for root in members)
