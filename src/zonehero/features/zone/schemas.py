"""What the zone settings form sends and shows."""

from __future__ import annotations

from pydantic import BaseModel


class ZoneForm(BaseModel):
    """The settings page's fields (chains one per line in the form, a list here).

    ``notice_period`` is kept as typed when it is not a whole number, so the profile's own check answers it
    in Chinese beside the form instead of a framework message.
    """

    name: str
    timezone: str
    industry_chains: list[str]
    notice_period: int | str
    notice_working_days: bool
