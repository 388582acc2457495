"""The demo zone's 低效用地台账 and 一企一方案: every final run gets a register, its D-class firms plans, and the
newest register a few measures in each state (done, in progress, open, overdue at each 督办 level) so the board shows
what a year of work looks like. Everything goes through the lowland service, as the analyst and a unit would do it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from zonehero.clock import today
from zonehero.features.lowland import service as lowland
from zonehero.features.roles import Actor

PLAN_UNIT = "经济发展局"
"""The unit the demo's plans (一企一方案) go to."""
OTHER_UNITS = ("自然资源分局", "招商服务中心")


@dataclass(frozen=True)
class LowlandSeed:
    """What was seeded: cases and plans per year, measures added."""

    cases: dict[int, int]
    plans: dict[int, int]
    measures: int


# (kind, what, days from today to the deadline, status): overdue by 10 (责任单位), 45 (包挂领导), 75 (管委会主任) days,
# one in progress, one done, one still ahead.
_MEASURES: tuple[tuple[str, str, int, str], ...] = (
    ("takeback", "闲置厂房腾退收储，纳入园区土地储备", -75, "open"),
    ("upgrade", "实施智能化技改，提高单位用地产出", -45, "in_progress"),
    ("merger", "引导与产业链上游企业兼并重组", -10, "open"),
    ("redevelop", "原厂区二次开发为标准厂房", 60, "in_progress"),
    ("upgrade", "淘汰落后产能，新上高附加值产线", -20, "done"),
    ("redevelop", "低效用地“工改工”再开发", 120, "open"),
)


def seed_demo_lowland(
    session: Session, analyst: Actor, final_runs: Sequence[int], *, unit_name: str, as_of: date | None = None
) -> LowlandSeed:
    """A register and the plans of every final run in ``final_runs`` (oldest first); measures on the newest."""
    day = as_of or today()
    cases: dict[int, int] = {}
    plans: dict[int, int] = {}
    for run_id in final_runs:
        built = lowland.build_register(
            session, analyst, run_id, owner_unit=PLAN_UNIT, deadline=day + timedelta(days=180)
        )
        cases[built.year], plans[built.year] = built.cases, built.plans_added
    if not final_runs:
        return LowlandSeed(cases, plans, 0)
    year = max(cases)
    items = lowland.register(session, analyst, year, as_of=day, page_size=len(_MEASURES)).items
    units = (unit_name, *OTHER_UNITS)
    added = 0
    for index, (case, (kind, what, offset, status)) in enumerate(zip(items, _MEASURES, strict=False)):
        measure_id = lowland.add_measure(
            session,
            analyst,
            case.id,
            kind=kind,
            description=what,
            owner_unit=units[index % len(units)],
            deadline=day + timedelta(days=offset),
            raised_on=day - timedelta(days=120),
        )
        added += 1
        if status != "open":
            resolution = "已完成并验收" if status == "done" else "正在推进"
            lowland.update_measure(
                session, analyst, measure_id, status=status, resolution=resolution, done_on=day - timedelta(days=5)
            )
    # One plan under way, so the plans board shows a plan in each state.
    year_plans = lowland.plans(session, analyst, year, as_of=day).items
    if year_plans:
        lowland.update_plan(session, analyst, year_plans[0].id, status="in_progress", measures="技改扩能；盘活闲置厂房")
    return LowlandSeed(cases, plans, added)
