"""领导驾驶舱 (the leader's cockpit): the zone's figures of a year beside last year's, decided once here.

The landing page of leaders and staff. Every figure is read from what a run kept when it was made (its class
counts, its per-status counts and its zone figures, :mod:`zonehero.features.runs.aggregates`), so a view costs the
same for a zone of 40 enterprises as for one of 40,000: no result row is loaded. Year-on-year compares the chosen
run with last year's final run (上年定稿批次), the list leaders are held to.

The four lists (四个一批) and the targets (年度目标) are of the calendar year of today, which is what a leader
follows now; the evaluation year is usually the year before (2025's figures are evaluated in 2026).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal
from urllib.parse import urlencode

from sqlalchemy.orm import Session

from zonehero.core.domain import numbers
from zonehero.core.domain.fields import FIELDS_BY_KEY
from zonehero.core.schedule.lists import LIST_LABELS, year_lists
from zonehero.features.goals import service as goals
from zonehero.features.goals.schemas import TargetsRead
from zonehero.features.projects import service as projects
from zonehero.features.roles import Actor, require_staff
from zonehero.features.runs import service as runs
from zonehero.features.runs import summary
from zonehero.features.runs.schemas import RunRead
from zonehero.features.runs.summary import ClassRow
from zonehero.features.zone import service as zone

Kind = Literal["count", "per_mu", "area", "money", "rate"]
"""How a card's figure is read: 家, 万元/亩, 亩, a total in 万元 (亿元 from 10,000), a share (one decimal %)."""

PER_MU_UNIT = f"{FIELDS_BY_KEY['tax'].unit}/{FIELDS_BY_KEY['land_area_mu'].unit}"
"""The unit of the zone's 亩均 figures: sums of the input fields (万元 over 亩), whatever a scheme calls them."""

SCORED = ("evaluated", "vetoed")
"""The enterprises a run grades (a vetoed one is D): the 参评企业 of the cards, as the annual report counts them."""

DIVISIONS_SHOWN = 12
"""Industry divisions in the 亩均税收 chart: the largest by enterprises scored; the rest would be unreadable."""

MIN_DIVISION_SIZE = 2
"""A division of one enterprise shows that enterprise's own 亩均税收: left out of the chart."""


@dataclass(frozen=True)
class Kpi:
    """One card: the figure of the chosen run, the same figure of last year's final run, and where it comes from."""

    key: str
    label: str
    kind: Kind
    value: float | None
    previous: float | None = None
    href: str | None = None
    note: str | None = None
    unit: str = ""
    """家 / 个 for counts, 万元/亩 for the 亩均 figures, 亩 for land; money and rates carry their own."""
    higher_is_better: bool = True
    """False for the D count: fewer D enterprises is the good direction of the change."""
    compared_year: int | None = None
    """The year ``previous`` is of, when it is not the one before the card's section (targets in January)."""

    @property
    def change(self) -> float | None:
        """This year minus last year; None without both."""
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous

    @property
    def improved(self) -> bool | None:
        """Whether the change goes the good way; None without a change or when there is none."""
        change = self.change
        if not change:
            return None
        return (change > 0) == self.higher_is_better

    @property
    def change_ratio(self) -> float | None:
        """The change as a share of last year's figure (0.05 = +5%); None when last year's is missing or 0."""
        change = self.change
        if change is None or not self.previous:
            return None
        return change / abs(self.previous)


@dataclass(frozen=True)
class DivisionBar:
    """An industry division (GB/T 4754 大类) and its 亩均税收 (Σ tax / Σ land of its scored enterprises)."""

    division: str
    name: str
    scored: int
    tax_per_mu: float


@dataclass(frozen=True)
class ChainRow:
    """An industry chain (产业链) of the zone profile with the projects tagged to it."""

    chain: str
    projects: int
    investment: float


@dataclass(frozen=True)
class TrendPoint:
    """One year's final run: the zone's 亩均 figures and its A and D counts."""

    year: int
    run_id: int
    tax_per_mu: float | None
    value_added_per_mu: float | None
    evaluated: int
    class_a: int
    class_d: int


@dataclass(frozen=True)
class Cockpit:
    """What the cockpit shows of one run (and of the projects and targets of ``today``'s year)."""

    run: RunRead
    previous: RunRead | None
    kpis: list[Kpi]
    plan_kpis: list[Kpi]
    """四个一批 and 年度目标 of the calendar year, against last year at the same day (lists) or month (targets)."""
    plan_year: int
    targets: TargetsRead
    """The goals of :func:`targets_year` with their progress (each at its latest reported month)."""
    class_rows: list[ClassRow]
    divisions: list[DivisionBar]
    chains: list[ChainRow]
    enterprises_carry_chain: bool
    """False today: enterprises are not tagged with a chain, so 亩均税收 by chain cannot be computed."""
    trend: list[TrendPoint]
    notes: list[str] = field(default_factory=list)


def class_rows(run: RunRead) -> list[ClassRow]:
    """Enterprises per class per group: the run page's table (:func:`runs.summary.class_table`)."""
    return summary.class_table(run.counts)


def _class_total(run: RunRead, cls: str) -> int:
    return sum(row.counts[cls] for row in class_rows(run))


def _scored(session: Session, actor: Actor, run: RunRead) -> int:
    per_group = runs.status_counts(session, actor, run.id)
    return sum(int(n) for statuses in per_group.values() for status, n in statuses.items() if status in SCORED)


def _enterprise_link(year: int, **filters: str) -> str:
    return "/enterprises?" + urlencode({"year": year, **filters})


def _run_kpis(session: Session, actor: Actor, run: RunRead, previous: RunRead | None) -> list[Kpi]:
    now = runs.zone_figures(session, actor, run.id)["totals"]
    before = runs.zone_figures(session, actor, previous.id)["totals"] if previous is not None else {}

    def prev(key: str) -> float | None:
        value = before.get(key)
        return float(value) if isinstance(value, int | float) else None

    run_href = f"/runs/{run.id}"
    return [
        Kpi(
            "scored",
            "参评企业",
            "count",
            _scored(session, actor, run),
            _scored(session, actor, previous) if previous is not None else None,
            href=_enterprise_link(run.year),
            note=f"纳入评价数据 {numbers.count(run.result_count)} 家",
            unit="家",
        ),
        Kpi(
            "class_a",
            "A 类企业",
            "count",
            _class_total(run, "A"),
            _class_total(previous, "A") if previous is not None else None,
            href=_enterprise_link(run.year, **{"class": "A"}),
            unit="家",
        ),
        Kpi(
            "class_d",
            "D 类企业",
            "count",
            _class_total(run, "D"),
            _class_total(previous, "D") if previous is not None else None,
            href=_enterprise_link(run.year, **{"class": "D"}),
            unit="家",
            higher_is_better=False,
        ),
        Kpi(
            "tax_per_mu",
            "亩均税收",
            "per_mu",
            now.get("tax_per_mu"),
            prev("tax_per_mu"),
            href=run_href,
            note="参评企业实缴税金合计 ÷ 用地面积合计",
            unit=PER_MU_UNIT,
        ),
        Kpi(
            "value_added_per_mu",
            "亩均增加值",
            "per_mu",
            now.get("value_added_per_mu"),
            prev("value_added_per_mu"),
            href=run_href,
            note="参评企业工业增加值合计 ÷ 用地面积合计",
            unit=PER_MU_UNIT,
        ),
        Kpi(
            "land_mu",
            "用地面积",
            "area",
            now.get("land_mu"),
            prev("land_mu"),
            href=run_href,
            note="参评企业合计",
            unit=FIELDS_BY_KEY["land_area_mu"].unit or "亩",
        ),
        Kpi("tax", "实缴税金", "money", now.get("tax"), prev("tax"), href=run_href, note="参评企业合计"),
    ]


def targets_year(session: Session, actor: Actor, today: date) -> int:
    """The year whose goals the cockpit shows: this year's, else the newest year before it that has goals.

    Goals are usually set early in the year; in January the leader still follows last year's.
    """
    years = [y for y in goals.goal_years(session, actor) if y <= today.year]
    return today.year if today.year in years or not years else max(years)


def _on_track_share(targets: TargetsRead | None) -> float | None:
    """The share of judged goals on course (无数据 goals are not judged); None without any judged goal."""
    if targets is None:
        return None
    judged = [i for i in targets.items if i.status != "no_data"]
    return sum(1 for i in judged if i.status == "on_track") / len(judged) if judged else None


def _targets_kpi(targets: TargetsRead, previous: TargetsRead | None) -> Kpi:
    on_track = sum(1 for i in targets.items if i.status == "on_track")
    return Kpi(
        "targets",
        f"{targets.year} 年度目标进度正常",
        "rate",
        _on_track_share(targets),
        _on_track_share(previous),
        href=f"/targets?year={targets.year}",
        compared_year=targets.year - 1,
        note=(
            f"{numbers.count(len(targets.items))} 项目标中 {numbers.count(on_track)} 项正常，"
            f"{numbers.count(len(targets.off_course))} 项预警或滞后"
            if targets.items
            else "尚未设定年度目标"
        ),
    )


def same_day_last_year(day: date) -> date:
    """The date a year before (29 February → 28 February): where last year stood at this point of the year."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def _previous_targets(session: Session, actor: Actor, targets: TargetsRead) -> TargetsRead | None:
    """Last year's goals judged at the month this year's newest figure is of (the same point of the year), or None
    when either year has no goal or this year no figure yet."""
    months = [i.month for i in targets.items if i.status != "no_data"]
    if not months or targets.year - 1 not in goals.goal_years(session, actor):
        return None
    return goals.year_targets(session, actor, targets.year - 1, month=max(months))


def _plan_kpis(
    data: projects.ScheduleData,
    last_year: projects.ScheduleData,
    targets: TargetsRead,
    previous_targets: TargetsRead | None,
    today: date,
) -> list[Kpi]:
    """The rates of 签约/开工/投产一批 as of today and the share of the year's targets on course, each with last
    year's figure at the same day (the lists) or month (the targets) for the change."""
    lists = year_lists(data.projects, today.year, today)
    before = year_lists(last_year.projects, today.year - 1, same_day_last_year(today))
    previous_rates = {m.milestone: m.rate for m in before.milestone_lists()}
    lists_href = f"/projects/lists?year={today.year}"
    out = [
        Kpi(
            f"list_{m.milestone.value}",
            f"{LIST_LABELS[m.milestone.value]}完成率",
            "rate",
            m.rate,
            previous_rates.get(m.milestone),
            href=lists_href,
            note=f"计划 {numbers.count(len(m.list))} 个，已完成 {numbers.count(len(m.achieved_on_list))} 个",
        )
        for m in lists.milestone_lists()
    ]
    out.append(
        Kpi(
            "list_planning",
            "谋划一批",
            "count",
            len(lists.planning.list),
            len(before.planning.list),
            href=lists_href,
            note=f"本年新谋划 {numbers.count(len(lists.planning.new_in_year))} 个",
            unit="个",
        )
    )
    out.append(_targets_kpi(targets, previous_targets))
    return out


def _divisions(session: Session, actor: Actor, run: RunRead) -> list[DivisionBar]:
    rows = runs.zone_figures(session, actor, run.id)["divisions"]
    usable = [
        r
        for r in rows
        if r.get("division") and isinstance(r.get("tax_per_mu"), int | float) and r["scored"] >= MIN_DIVISION_SIZE
    ]
    largest = sorted(usable, key=lambda r: (-int(r["scored"]), str(r["division"])))[:DIVISIONS_SHOWN]
    bars = [DivisionBar(str(r["division"]), str(r["name"]), int(r["scored"]), float(r["tax_per_mu"])) for r in largest]
    return sorted(bars, key=lambda b: -b.tax_per_mu)


def _chains(session: Session, data: projects.ScheduleData) -> list[ChainRow]:
    """Projects and their total investment per chain of the zone profile (chains only projects use come after)."""
    known = list(zone.get_profile(session).industry_chains)
    per_chain: dict[str, list[float]] = {}
    for p in data.projects:
        if p.industry_chain:
            per_chain.setdefault(p.industry_chain, []).append(p.investment)
    order = [*known, *sorted(set(per_chain) - set(known))]
    return [ChainRow(c, len(per_chain.get(c, [])), float(sum(per_chain.get(c, [])))) for c in order]


def _trend(session: Session, actor: Actor, finals: Sequence[RunRead]) -> list[TrendPoint]:
    points = []
    for run in finals:
        totals = runs.zone_figures(session, actor, run.id)["totals"]
        points.append(
            TrendPoint(
                year=run.year,
                run_id=run.id,
                tax_per_mu=totals.get("tax_per_mu"),
                value_added_per_mu=totals.get("value_added_per_mu"),
                evaluated=_scored(session, actor, run),
                class_a=_class_total(run, "A"),
                class_d=_class_total(run, "D"),
            )
        )
    return points


def final_runs(all_runs: Sequence[RunRead]) -> list[RunRead]:
    """Each year's newest final run, oldest year first (a year's answer, as the trend shows it)."""
    newest: dict[int, RunRead] = {}
    for r in all_runs:
        if r.status == "final" and (r.year not in newest or r.id > newest[r.year].id):
            newest[r.year] = r
    return [newest[y] for y in sorted(newest)]


def cockpit(session: Session, actor: Actor, run: RunRead, all_runs: Sequence[RunRead], today: date) -> Cockpit:
    """The cockpit of ``run`` (staff only); ``all_runs`` gives last year's final run and the trend."""
    require_staff(actor)
    finals = final_runs(all_runs)
    previous = next((r for r in reversed(finals) if r.year == run.year - 1), None)
    schedule = projects.load(session, actor, today.year)
    targets = goals.year_targets(session, actor, targets_year(session, actor, today))
    notes = []
    if previous is None:
        notes.append(f"{run.year - 1} 年度没有定稿的评价批次，不显示同比变化")
    if run.status != "final":
        notes.append("所选批次尚未定稿，数字可能随公示和异议处理而变化")
    return Cockpit(
        run=run,
        previous=previous,
        kpis=_run_kpis(session, actor, run, previous),
        plan_kpis=_plan_kpis(
            schedule,
            projects.load(session, actor, today.year - 1),
            targets,
            _previous_targets(session, actor, targets),
            today,
        ),
        targets=targets,
        plan_year=today.year,
        class_rows=class_rows(run),
        divisions=_divisions(session, actor, run),
        chains=_chains(session, schedule),
        enterprises_carry_chain=False,
        trend=_trend(session, actor, finals),
        notes=notes,
    )
