"""The four lists of year Y as of date D (四个一批), exactly as the spec defines them.

For each milestone M (签约, 开工, 投产):

- **list**: planned M date in Y, plus 结转 (carried over): planned before
  1 January Y and not reached before 1 January Y.
- **achieved**: actual M date in Y and on or before D, on the list or not;
  those not on the list are 超计划 (ahead).
- **rate**: achieved members of the list / size of the list; None when empty.
- **late**: members of the list whose planned M date is before D with no
  actual M date on or before D.

Membership follows the planned date literally: a project planned to start in
Y but that already started in Y-1 is on Y's list, is not achieved in Y (its
actual date is not in Y) and is not late (it has an actual date before D).

谋划一批: no actual signing date on or before D and added on or before D (a
project without an added date counts as added long ago).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from zonehero.core.schedule.model import MILESTONE_ORDER, MilestoneKind, Project
from zonehero.errors import InputError

LIST_LABELS: dict[str, str] = {kind.value: f"{kind.label}一批" for kind in MILESTONE_ORDER}
"""签约一批, 开工一批, 投产一批 by milestone key: the names every page, briefing and command prints."""


def check_as_of(year: int, as_of: date) -> None:
    """Refuse an as-of date outside the year being scheduled."""
    if as_of.year != year:
        raise InputError(f"截至日期 {as_of.isoformat()} 不在 {year} 年内")


def _codes(projects: Iterable[Project]) -> list[str]:
    return sorted(p.code for p in projects)


def _investment(projects: Iterable[Project]) -> float:
    return math.fsum(p.investment for p in projects)


@dataclass(frozen=True)
class MilestoneList:
    """One of 签约一批 / 开工一批 / 投产一批 with its achievement as of a date.

    Each group is a tuple of projects sorted by code; ``achieved`` includes
    the ``ahead`` ones, ``achieved_on_list`` does not.
    """

    milestone: MilestoneKind
    year: int
    as_of: date
    list: tuple[Project, ...]
    carried_over: tuple[Project, ...]
    achieved: tuple[Project, ...]
    achieved_on_list: tuple[Project, ...]
    ahead: tuple[Project, ...]
    late: tuple[Project, ...]

    @property
    def rate(self) -> float | None:
        """Achieved members of the list over the size of the list; None for an empty list."""
        if not self.list:
            return None
        return len(self.achieved_on_list) / len(self.list)

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of the CLI and API: code lists (sorted), counts, investment sums (万元)."""
        out: dict[str, Any] = {}
        groups = {
            "list": self.list,
            "carried_over": self.carried_over,
            "achieved": self.achieved,
            "achieved_on_list": self.achieved_on_list,
            "ahead": self.ahead,
            "late": self.late,
        }
        for name, projects in groups.items():
            out[name] = _codes(projects)
        out["rate"] = self.rate
        for name, projects in groups.items():
            out[f"{name}_count"] = len(projects)
            out[f"{name}_investment"] = _investment(projects)
        return out


def milestone_list(projects: Sequence[Project], milestone: MilestoneKind, year: int, as_of: date) -> MilestoneList:
    """Compute the list of ``milestone`` for ``year`` as of ``as_of`` (which must fall in ``year``)."""
    check_as_of(year, as_of)
    jan1 = date(year, 1, 1)
    on_list: list[Project] = []
    carried: list[Project] = []
    achieved: list[Project] = []
    late: list[Project] = []
    for p in projects:
        m = p.milestone(milestone)
        member = False
        if m.planned is not None:
            if m.planned.year == year:
                member = True
            elif m.planned < jan1 and not (m.actual is not None and m.actual < jan1):
                member = True
                carried.append(p)
        if member:
            on_list.append(p)
            if m.planned is not None and m.planned < as_of and not m.reached_by(as_of):
                late.append(p)
        if m.actual is not None and m.actual.year == year and m.actual <= as_of:
            achieved.append(p)
    list_codes = {p.code for p in on_list}
    achieved_on_list = [p for p in achieved if p.code in list_codes]
    ahead = [p for p in achieved if p.code not in list_codes]

    def ordered(items: list[Project]) -> tuple[Project, ...]:
        return tuple(sorted(items, key=lambda p: p.code))

    return MilestoneList(
        milestone=milestone,
        year=year,
        as_of=as_of,
        list=ordered(on_list),
        carried_over=ordered(carried),
        achieved=ordered(achieved),
        achieved_on_list=ordered(achieved_on_list),
        ahead=ordered(ahead),
        late=ordered(late),
    )


@dataclass(frozen=True)
class PlanningList:
    """谋划一批: projects not yet signed as of D; ``added_in_year`` are those of them added in Y.

    ``new_in_year`` counts every project added in Y on or before D, including
    those signed since (新谋划项目数), which the planning list no longer holds.
    """

    year: int
    as_of: date
    list: tuple[Project, ...]
    added_in_year: tuple[Project, ...]
    new_in_year: tuple[Project, ...]

    def to_dict(self) -> dict[str, Any]:
        """The JSON object: ``list`` (codes), ``list_investment``, ``added_in_year`` (a count) and the rest."""
        return {
            "list": _codes(self.list),
            "list_count": len(self.list),
            "list_investment": _investment(self.list),
            "added_in_year": len(self.added_in_year),
            "added_in_year_codes": _codes(self.added_in_year),
            "added_in_year_investment": _investment(self.added_in_year),
            "new_in_year": len(self.new_in_year),
            "new_in_year_investment": _investment(self.new_in_year),
        }


def planning_list(projects: Sequence[Project], year: int, as_of: date) -> PlanningList:
    """Compute 谋划一批 for ``year`` as of ``as_of``."""
    check_as_of(year, as_of)

    def added_in_year(p: Project) -> bool:
        return p.added_date is not None and p.added_date.year == year and p.added_date <= as_of

    members = [
        p for p in projects if not p.signing.reached_by(as_of) and (p.added_date is None or p.added_date <= as_of)
    ]
    members.sort(key=lambda p: p.code)
    return PlanningList(
        year=year,
        as_of=as_of,
        list=tuple(members),
        added_in_year=tuple(p for p in members if added_in_year(p)),
        new_in_year=tuple(sorted((p for p in projects if added_in_year(p)), key=lambda p: p.code)),
    )


@dataclass(frozen=True)
class YearLists:
    """The four lists of a year as of a date."""

    year: int
    as_of: date
    signing: MilestoneList
    construction: MilestoneList
    production: MilestoneList
    planning: PlanningList

    def milestone_lists(self) -> tuple[MilestoneList, ...]:
        """签约, 开工, 投产 in order."""
        return (self.signing, self.construction, self.production)

    def to_dict(self) -> dict[str, Any]:
        """``{"signing": …, "construction": …, "production": …, "planning": …}``."""
        return {
            "signing": self.signing.to_dict(),
            "construction": self.construction.to_dict(),
            "production": self.production.to_dict(),
            "planning": self.planning.to_dict(),
        }


def year_lists(projects: Sequence[Project], year: int, as_of: date) -> YearLists:
    """The four lists of ``year`` as of ``as_of``; refuses an as-of date outside the year."""
    check_as_of(year, as_of)
    by_kind = {kind: milestone_list(projects, kind, year, as_of) for kind in MILESTONE_ORDER}
    return YearLists(
        year=year,
        as_of=as_of,
        signing=by_kind[MilestoneKind.SIGNING],
        construction=by_kind[MilestoneKind.CONSTRUCTION],
        production=by_kind[MilestoneKind.PRODUCTION],
        planning=planning_list(projects, year, as_of),
    )
