"""The application factory: ``create_app(settings)`` builds everything; nothing happens at import time.

The lifespan builds the engine and session factory (or takes a factory given
by tests) and disposes of the engine at shutdown. Middleware, outermost
first: trusted proxy headers (when ``trusted_proxies`` is set) → the request's origin for the audit log →
security headers (HSTS over TLS) → signed session cookie (an opaque token; the server-side session
decides) → unexpected-error page →
request size limit (a body over ``request_max_bytes`` is answered 413 before
any route reads it). Every route depends on the CSRF check. Routers are
listed in :data:`PAGE_ROUTERS` and :data:`API_ROUTERS`; feature pages add
theirs there.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import APIRouter, Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy.orm import Session, sessionmaker
from starlette.middleware.sessions import SessionMiddleware

from zonehero import __version__
from zonehero.config import Settings, load_settings
from zonehero.core.ingest.guard import ReadLimits, use_limits
from zonehero.db.session import make_engine, session_factory, unit_of_work
from zonehero.edges.web.api import auth as api_auth
from zonehero.edges.web.api import collection as api_collection
from zonehero.edges.web.api import confirmations as api_confirmations
from zonehero.edges.web.api import decision as api_decision
from zonehero.edges.web.api import docs as api_docs
from zonehero.edges.web.api import enterprises as api_enterprises
from zonehero.edges.web.api import jobs as api_jobs
from zonehero.edges.web.api import land_notice as api_land_notice
from zonehero.edges.web.api import lowland as api_lowland
from zonehero.edges.web.api import projects as api_projects
from zonehero.edges.web.api import runs as api_runs
from zonehero.edges.web.api import todo as api_todo
from zonehero.edges.web.body_limit import BodySizeLimitMiddleware
from zonehero.edges.web.errors import UnexpectedErrorMiddleware, install_error_handlers
from zonehero.edges.web.origin import install_origin
from zonehero.edges.web.pages import admin as admin_pages
from zonehero.edges.web.pages import assets as asset_pages
from zonehero.edges.web.pages import auth as auth_pages
from zonehero.edges.web.pages import chains as chain_pages
from zonehero.edges.web.pages import collection as collection_pages
from zonehero.edges.web.pages import confirmations as confirmation_pages
from zonehero.edges.web.pages import cultivation as cultivation_pages
from zonehero.edges.web.pages import dashboard as dashboard_pages
from zonehero.edges.web.pages import documents as document_pages
from zonehero.edges.web.pages import enterprises as enterprise_pages
from zonehero.edges.web.pages import evaluation as evaluation_pages
from zonehero.edges.web.pages import imports as import_pages
from zonehero.edges.web.pages import investment as investment_pages
from zonehero.edges.web.pages import jobs as job_pages
from zonehero.edges.web.pages import land as land_pages
from zonehero.edges.web.pages import land_notice as land_notice_pages
from zonehero.edges.web.pages import lowland as lowland_pages
from zonehero.edges.web.pages import projects as project_pages
from zonehero.edges.web.pages import schemes as scheme_pages
from zonehero.edges.web.pages import security_policy as security_policy_pages
from zonehero.edges.web.pages import sessions as session_pages
from zonehero.edges.web.pages import targets as target_pages
from zonehero.edges.web.pages import todo as todo_pages
from zonehero.edges.web.pages import whatif as whatif_pages
from zonehero.edges.web.pages import zone as zone_pages
from zonehero.edges.web.rendering import build_templates
from zonehero.edges.web.security import SecurityHeadersMiddleware, session_middleware_options, verify_csrf
from zonehero.features.zone import service as zone
from zonehero.reports.pdf.fonts import use_font

STATIC_DIR = Path(__file__).resolve().parent / "static"

PAGE_ROUTERS: tuple[APIRouter, ...] = (
    auth_pages.router,
    admin_pages.router,
    session_pages.router,
    zone_pages.router,
    security_policy_pages.router,
    asset_pages.router,
    dashboard_pages.router,
    enterprise_pages.router,
    import_pages.router,
    collection_pages.router,
    land_notice_pages.router,
    land_pages.router,
    evaluation_pages.router,
    scheme_pages.router,
    project_pages.router,
    cultivation_pages.router,
    target_pages.router,
    chain_pages.router,
    whatif_pages.router,
    document_pages.router,
    job_pages.router,
    todo_pages.router,
    confirmation_pages.router,
    lowland_pages.router,
    investment_pages.router,
)
"""HTML pages (not in the OpenAPI schema)."""

API_ROUTERS: tuple[APIRouter, ...] = (
    api_auth.router,
    api_docs.router,
    api_enterprises.router,
    api_runs.router,
    api_projects.router,
    api_decision.router,
    api_jobs.router,
    api_todo.router,
    api_collection.router,
    api_confirmations.router,
    api_land_notice.router,
    api_lowland.router,
)
"""``/healthz`` and ``/api/...``."""


def create_app(
    settings: Settings | None = None,
    *,
    sessions: sessionmaker[Session] | None = None,
    secure_cookies: bool | None = None,
) -> FastAPI:
    """The web application for ``settings`` (from the environment when None).

    ``sessions`` replaces the session factory the lifespan would build from
    ``settings.database_url`` (tests bind it to a rolled-back connection).
    ``secure_cookies`` decides the ``Secure`` flag of the session cookie; None
    takes ``settings.cookies_secure`` (``ZONEHERO_SECURE_COOKIES``, else on in
    production).
    """
    settings = settings or load_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if sessions is not None:
            app.state.session_factory = sessions
            yield
            return
        engine = make_engine(settings.database_url)
        app.state.session_factory = session_factory(engine)
        with unit_of_work(app.state.session_factory) as session:
            zone.install_clock(session)
        try:
            yield
        finally:
            engine.dispose()

    app = FastAPI(
        title="zonehero API",
        version=__version__,
        description="开发区「四个论英雄」评价平台的 JSON 接口。先 `POST /api/login`，"
        "之后的修改类请求须带 `X-CSRF-Token` 请求头（取自登录结果或 `GET /api/me`）。",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=api_docs.OPENAPI_URL,
        dependencies=[Depends(verify_csrf)],
    )
    app.state.settings = settings
    app.state.templates = build_templates()
    use_font(settings.cjk_font)
    use_limits(
        ReadLimits(
            max_rows=settings.import_max_rows,
            max_cells=settings.import_max_cells,
            max_uncompressed_bytes=settings.import_max_unpacked_bytes,
            max_compression_ratio=settings.import_max_zip_ratio,
        )
    )

    install_error_handlers(app)
    # add_middleware puts each new one outside the previous: the last added runs first.
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.request_max_bytes)
    app.add_middleware(UnexpectedErrorMiddleware)
    app.add_middleware(
        SessionMiddleware,
        **session_middleware_options(
            settings.resolved_secret_key(),
            settings.session_max_age_seconds,
            secure=settings.cookies_secure if secure_cookies is None else secure_cookies,
        ),
    )
    app.add_middleware(SecurityHeadersMiddleware)
    install_origin(app, settings.trusted_proxies)  # outermost: the audit log's client address for everything inside

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for router in (*PAGE_ROUTERS, *API_ROUTERS):
        app.include_router(router)
    return app
