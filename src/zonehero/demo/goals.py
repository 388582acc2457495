"""The demo zone's goals (演示目标): the city's 四八目标 plus total tax and investment, with monthly actuals.

四八目标: the zone's economy at 4% of the province's (a ``level`` goal in %)
and growing 8% (industrial value added growth, ``level``, %). Total tax is
set 8% above the year before's stored total; investment completed from a
zone-sized plan. Monthly actuals are demo values (noted 演示数据 on each
entry): year-to-date totals follow a seasonal pattern towards the stored
yearly figure, and December of a complete year is computed from the stored
figures by the goals service, as a zone would do it. The last demo year
stops at September and its investment runs behind, so the page has a goal
off course to show.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from sqlalchemy.orm import Session

from zonehero.features.enterprises import service as enterprises
from zonehero.features.goals import service as goals
from zonehero.features.goals.schemas import GoalWrite
from zonehero.features.roles import Actor

SEASONAL_SHARE: tuple[float, ...] = (0.07, 0.06, 0.08, 0.08, 0.08, 0.09, 0.08, 0.08, 0.09, 0.09, 0.09, 0.11)
"""Share of a year's flow that falls in each month (sums to 1)."""
DEMO_NOTE = "演示数据"
LAST_YEAR_MONTHS = 9


def _cumulative(month: int) -> float:
    return sum(SEASONAL_SHARE[:month])


def _total_tax(session: Session, year: int) -> float | None:
    frame = enterprises.year_frame(session, year)
    if "tax" not in frame.columns or frame["tax"].null_count() == frame.height:
        return None
    return float(frame["tax"].sum())


def seed_demo_goals(session: Session, actor: Actor, years: Sequence[int], *, seed: int = 1) -> None:
    """Set the demo goals of every year in ``years`` and report their monthly actuals (as ``actor``)."""
    rng = random.Random(seed)
    for index, year in enumerate(years):
        last = index == len(years) - 1
        months = LAST_YEAR_MONTHS if last else 12
        tax_now = _total_tax(session, year) or 0.0
        tax_before = _total_tax(session, year - 1)
        tax_goal = round((tax_before * 1.08 if tax_before else tax_now * 1.05), -1)
        investment_goal = round(max(tax_now, 1.0) * 2.5, -2)
        made = {
            key: goals.create_goal(session, actor, year, data)
            for key, data in (
                (
                    "economy_share",
                    GoalWrite(key="economy_share", label="经济总量占全省比重", value=4.0, unit="%", kind="level"),
                ),
                (
                    "value_added_growth",
                    GoalWrite(key="value_added_growth", label="工业增加值增速", value=8.0, unit="%", kind="level"),
                ),
                ("total_tax", GoalWrite(key="total_tax", label="税收总额", value=tax_goal, unit="万元")),
                (
                    "investment_completed",
                    GoalWrite(
                        key="investment_completed", label="固定资产投资完成额", value=investment_goal, unit="万元"
                    ),
                ),
            )
        }
        invest_pace = 0.82 if last else 1.02
        for month in range(1, months + 1):
            computed_later = month == 12 and not last
            entries = {
                "economy_share": round(3.78 + 0.02 * month + rng.uniform(-0.05, 0.05), 2),
                "investment_completed": round(
                    investment_goal * _cumulative(month) * invest_pace * rng.uniform(0.98, 1.02), 1
                ),
            }
            if not computed_later:
                entries["total_tax"] = round(tax_now * _cumulative(month) * rng.uniform(0.97, 1.03), 1)
                entries["value_added_growth"] = round(7.4 + rng.uniform(-0.8, 1.0), 1)
            for key, value in entries.items():
                goals.record_actual(session, actor, made[key].id, month=month, value=value, note=DEMO_NOTE)
        if not last:
            done = goals.compute_actuals(session, actor, year, month=12)
            for key in done.skipped:  # no previous year to compute a growth from: report it by hand
                if key == "value_added_growth":
                    value = round(7.4 + rng.uniform(-0.8, 1.0), 1)
                    goals.record_actual(session, actor, made[key].id, month=12, value=value, note=DEMO_NOTE)
