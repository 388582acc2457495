"""安全策略 (security policy): the password, log-in, session and retention rules in force, and who holds which
of the three administrators' duties, read-only for the security administrator (安全管理员)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from zonehero.edges.web.deps import SecurityAdmin, SettingsDep
from zonehero.edges.web.rendering import render
from zonehero.features.users.policy import security_policy

router = APIRouter(prefix="/admin", include_in_schema=False)


@router.get("/security", name="admin_security")
def security_page(request: Request, settings: SettingsDep, actor: SecurityAdmin) -> Response:
    return render(request, "admin/security.html", {"policy": security_policy(actor, settings)})
