"""园区概况 (zone settings): the zone's name, time zone, industry chains and 公示 rule, for the system administrator."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from zonehero.edges.web.deps import AccountAdmin, SessionDep
from zonehero.edges.web.errors import kind_of
from zonehero.edges.web.rendering import flash, render
from zonehero.errors import InputError
from zonehero.features.zone import service as zone
from zonehero.features.zone.schemas import ZoneForm

router = APIRouter(prefix="/admin", include_in_schema=False)


def _form_of(profile_form: ZoneForm) -> dict[str, object]:
    return {**profile_form.model_dump(), "industry_chains": "\n".join(profile_form.industry_chains)}


@router.get("/zone", name="admin_zone")
def zone_page(request: Request, session: SessionDep, actor: AccountAdmin) -> Response:
    """The current profile in a form (the built-in defaults until an administrator saves one)."""
    profile = zone.get_profile(session)
    form = ZoneForm(
        name=profile.name,
        timezone=profile.timezone,
        industry_chains=list(profile.industry_chains),
        notice_period=profile.notice_period,
        notice_working_days=profile.notice_working_days,
    )
    context = {
        "form": _form_of(form),
        "problems": [],
        "years": sorted(profile.calendar.years),
        "calendar_warning": zone.calendar_warning(profile),
    }
    return render(request, "admin/zone.html", context)


@router.post("/zone", name="admin_zone_save")
def zone_save(
    request: Request,
    session: SessionDep,
    actor: AccountAdmin,
    name: Annotated[str, Form()],
    timezone: Annotated[str, Form()],
    industry_chains: Annotated[str, Form()],
    notice_period: Annotated[str, Form()],
    notice_working_days: Annotated[bool, Form()] = False,
) -> Response:
    """Save the profile; every problem comes back next to the form (422), nothing saved.

    The fields are taken as typed (the request size limit bounds them) so that the profile's own checks,
    in Chinese, answer a bad length or number beside the form.
    """
    chains = [line.strip() for line in industry_chains.replace("、", "\n").splitlines() if line.strip()]
    form = ZoneForm(
        name=name.strip(),
        timezone=timezone.strip(),
        industry_chains=chains,
        notice_period=notice_period,
        notice_working_days=notice_working_days,
    )
    try:
        zone.save_profile(session, actor, form)
    except InputError as exc:
        context = {"form": _form_of(form), "problems": [p.message for p in exc.problems], "years": []}
        return render(request, "admin/zone.html", context, status_code=kind_of(exc).status)
    flash(request, "园区概况已保存")
    return RedirectResponse("/admin/zone", status_code=303)
