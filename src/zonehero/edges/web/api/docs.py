"""The OpenAPI docs at ``/api/docs``, with Swagger UI served from ``static/vendor`` (no CDN, no inline script)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from zonehero.edges.web.rendering import render

router = APIRouter(include_in_schema=False)

OPENAPI_URL = "/api/openapi.json"


@router.get("/api/docs", name="api_docs")
def api_docs(request: Request) -> HTMLResponse:
    return render(request, "api_docs.html", {"openapi_url": OPENAPI_URL})
