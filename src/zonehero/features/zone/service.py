"""Read and change the zone profile; the one place the web app gets its zone's name, chains, clock and 公示 rule."""

from __future__ import annotations

import json

from sqlalchemy.orm import Session

from zonehero import clock
from zonehero.core.zone import ZoneProfile, default_zone, parse_zone
from zonehero.features.audit import service as audit
from zonehero.features.roles import Actor, require_admin
from zonehero.features.zone import repository
from zonehero.features.zone.schemas import ZoneForm

SOURCE = "园区概况"


def get_profile(session: Session) -> ZoneProfile:
    """The stored profile, or the built-in default before an administrator saved one."""
    row = repository.get(session)
    return parse_zone(row.text, source=SOURCE) if row is not None else default_zone()


def install_clock(session: Session) -> ZoneProfile:
    """Install the process clock in the stored zone's time zone (at start-up and after a save); the profile."""
    profile = get_profile(session)
    clock.use(clock.ZoneClock(profile.timezone))
    return profile


def _text(form: ZoneForm) -> str:
    # JSON strings are valid TOML basic strings, so names with quotes or backslashes survive.
    chains = ", ".join(json.dumps(c, ensure_ascii=False) for c in form.industry_chains)
    return (
        f"name = {json.dumps(form.name, ensure_ascii=False)}\n"
        f"timezone = {json.dumps(form.timezone)}\n"
        f"industry_chains = [{chains}]\n"
        f"notice_period = {form.notice_period}\n"
        f"notice_working_days = {'true' if form.notice_working_days else 'false'}\n"
    )


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
    require_admin(actor)
    before = get_profile(session)
    text = _text(form)
    profile = parse_zone(text, source=SOURCE)
    repository.put(session, text, actor.username)
    audit.record(session, actor, "zone.update", "zone_profile", "1", before=_state(before), after=_state(profile))
    clock.use(clock.ZoneClock(profile.timezone))
    return profile
