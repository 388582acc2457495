"""What the zone settings form sends and shows."""

from __future__ import annotations

from pydantic import BaseModel


class ZoneForm(BaseModel):
    """The settings page's fields (chains one per line in the form, a list here)."""

    name: str
    timezone: str
    industry_chains: list[str]
    notice_period: int
    notice_working_days: bool
