"""Read and change the zone profile; the one place the web app gets its zone's name, chains, clock and 公示 rule."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from zonehero import clock
from zonehero.core.zone import ZoneProfile, default_zone, parse_zone
from zonehero.core.zone.profile import zone_from_mapping, zone_toml
from zonehero.features.audit import service as audit
from zonehero.features.roles import Actor, require_account_admin
from zonehero.features.zone import repository
from zonehero.features.zone.schemas import ZoneForm

SOURCE = "园区概况"


def get_profile(session: Session) -> ZoneProfile:
    """The stored profile, or the built-in default before an administrator saved one."""
    row = repository.get(session)
    return parse_zone(row.text, source=SOURCE) if row is not None else default_zone()


def calendar_warning(profile: ZoneProfile) -> str | None:
    """The warning a page shows beside the 公示 rule when the working-day calendar lacks this year (else None)."""
    return profile.calendar_warning(clock.today())


def install_clock(session: Session) -> ZoneProfile:
    """Read the process clock in the stored zone's time zone (at start-up and after a save); the profile."""
    profile = get_profile(session)
    clock.use_timezone(profile.timezone)
    return profile


def _mapping(form: ZoneForm) -> dict[str, Any]:
    period = form.notice_period
    if isinstance(period, str) and period.strip().isdigit():
        period = int(period.strip())
    return {
        "name": form.name,
        "timezone": form.timezone,
        "industry_chains": list(form.industry_chains),
        "notice_period": period,
        "notice_working_days": form.notice_working_days,
    }


def _state(profile: ZoneProfile) -> dict[str, object]:
    return {
        "name": profile.name,
        "timezone": profile.timezone,
        "industry_chains": list(profile.industry_chains),
        "notice_period": profile.notice_period,
        "notice_working_days": profile.notice_working_days,
    }


def save_profile(session: Session, actor: Actor, form: ZoneForm) -> ZoneProfile:
    """Validate and keep the administrator's profile (InputError naming each bad field; nothing saved then)."""
    require_account_admin(actor)
    before = get_profile(session)
    # The page does not edit the 招商 thresholds and lead clocks yet; a save keeps the stored ones.
    kept = {
        "investment_over_1e8": before.investment.over_1e8,
        "investment_over_1e9": before.investment.over_1e9,
        "investment_over_5e9": before.investment.over_5e9,
        "rule_5020_min_projects": before.investment.rule_5020_min_projects,
        "lead_respond_days": before.lead_clocks.respond_days,
        "lead_judge_days": before.lead_clocks.judge_days,
        "lead_tell_source_days": before.lead_clocks.tell_source_days,
        "lead_follow_up_days": before.lead_clocks.follow_up_days,
    }
    profile = zone_from_mapping({**kept, **_mapping(form)}, source=SOURCE)
    repository.put(session, zone_toml(profile), actor.username)
    audit.record(session, actor, "zone.update", "zone_profile", "1", before=_state(before), after=_state(profile))
    clock.use_timezone(profile.timezone)
    return profile
