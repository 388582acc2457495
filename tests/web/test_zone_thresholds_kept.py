"""A save of the 园区概况 page (which does not edit the 招商 thresholds yet) keeps the zone's own thresholds."""

from __future__ import annotations

from sqlalchemy.orm import Session

from zonehero.features.roles import SYSTEM
from zonehero.features.zone import repository
from zonehero.features.zone import service as zone
from zonehero.features.zone.schemas import ZoneForm


def test_a_page_save_keeps_the_investment_thresholds(db: Session) -> None:
    repository.put(db, "investment_over_1e8 = 5000\nrule_5020_min_projects = 3\n", "sysadmin")
    form = ZoneForm(
        name="赣江新区",
        timezone="Asia/Shanghai",
        industry_chains=["新能源"],
        notice_period=5,
        notice_working_days=False,
    )
    saved = zone.save_profile(db, SYSTEM, form)
    assert saved.investment.over_1e8 == 5000 and saved.investment.rule_5020_min_projects == 3
    again = zone.get_profile(db)
    assert again.name == "赣江新区" and again.investment == saved.investment
