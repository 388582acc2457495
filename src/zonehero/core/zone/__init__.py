"""The zone profile and its working-day calendar (园区概况与工作日历): pure data and date arithmetic."""

from zonehero.core.zone.calendar import WorkCalendar, default_calendar
from zonehero.core.zone.profile import (
    InvestmentThresholds,
    NoticePeriod,
    ZoneProfile,
    default_zone,
    load_zone,
    parse_zone,
)

__all__ = [
    "InvestmentThresholds",
    "NoticePeriod",
    "WorkCalendar",
    "ZoneProfile",
    "default_calendar",
    "default_zone",
    "load_zone",
    "parse_zone",
]
