"""The app factory: ``create_app(settings) -> FastAPI``."""

from __future__ import annotations

import random
import uuid
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from importlib.resources import files
from typing import Any

from asgi_correlation_id import CorrelationIdMiddleware
from fastapi import Depends, FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from fangkong import deployment, site
from fangkong.arrivals import api as arrivals_api
from fangkong.arrivals import views as arrivals_views
from fangkong.audit import api as audit_api
from fangkong.audit import views as audit_views
from fangkong.auth import api as auth_api
from fangkong.auth import views as auth_views
from fangkong.auth.dependencies import LoginRedirect, csrf_token
from fangkong.auth.permissions import Perm
from fangkong.auth.tokens import UserStateCache, VerifiedTokens
from fangkong.care import api as care_api
from fangkong.care import views as care_views
from fangkong.cases import api as cases_api
from fangkong.cases import views as cases_views
from fangkong.citizens import api as citizens_api
from fangkong.citizens import views as citizens_views
from fangkong.config import Settings
from fangkong.core import http, i18n, warmup
from fangkong.core.bodylimit import BodyLimit
from fangkong.core.errors import N_
from fangkong.core.headers import SecurityHeaders, inline_script_hashes
from fangkong.core.overload import InflightLimit, OverloadGuard
from fangkong.core.ratelimit import RateLimiter
from fangkong.core.templating import make_templates
from fangkong.core.web import refuse_nul_in_query
from fangkong.db import Database, make_engine
from fangkong.exports import api as exports_api
from fangkong.exports import views as exports_views
from fangkong.exports import worker as exports_worker
from fangkong.healthcode import api as healthcode_api
from fangkong.healthcode import views as healthcode_views
from fangkong.people import api as people_api
from fangkong.people import views as people_views
from fangkong.policy import api as policy_api
from fangkong.policy import views as policy_views
from fangkong.policy.loader import available_editions
from fangkong.quarantine import api as quarantine_api
from fangkong.quarantine import views as quarantine_views
from fangkong.regions import api as regions_api
from fangkong.regions import views as regions_views
from fangkong.reports import api as reports_api
from fangkong.reports import views as reports_views
from fangkong.retention import api as retention_api
from fangkong.retention import views as retention_views
from fangkong.scans import api as scans_api
from fangkong.scans import dependencies as scans_dependencies
from fangkong.scans import views as scans_views
from fangkong.sentinel import api as sentinel_api
from fangkong.sentinel import views as sentinel_views
from fangkong.supervision import api as supervision_api
from fangkong.supervision import views as supervision_views
from fangkong.testing import api as testing_api
from fangkong.testing import views as testing_views
from fangkong.tracing import api as tracing_api
from fangkong.tracing import views as tracing_views
from fangkong.vaccination import api as vaccination_api
from fangkong.vaccination import views as vaccination_views
from fangkong.venues import api as venues_api
from fangkong.venues import views as venues_views

# The menu: groups of pages (label, entries); an entry is (path, label, the permission it needs).
NavEntry = tuple[str, str, Perm | None]
NAV_GROUPS: tuple[tuple[str, tuple[NavEntry, ...]], ...] = (
    (N_("Registry"), (
        ("/regions", N_("Regions"), Perm.REGIONS_READ),
        ("/people", N_("People"), Perm.PEOPLE_READ),
        ("/counts", N_("Seven counts"), Perm.PEOPLE_READ),
        ("/worker-load", N_("Worker load"), Perm.PEOPLE_READ),
        ("/people/duplicates", N_("Duplicates"), Perm.PEOPLE_MERGE),
        ("/people/access-log", N_("Access log"), Perm.PEOPLE_ACCESS_LOG),
    )),
    (N_("Venues and health codes"), (
        ("/venues", N_("Venues"), Perm.VENUES_READ),
        ("/health-code", N_("Health codes"), Perm.HEALTH_CODE_READ),
        ("/scanner", N_("Scanner"), Perm.ENTRY_CHECK),
    )),
    (N_("Nucleic-acid testing"), (
        ("/testing", N_("Testing"), Perm.TESTING_READ),
        ("/testing/sampler", N_("Sampler"), Perm.TESTING_SAMPLE),
        ("/testing/lab", N_("Lab results"), Perm.TESTING_RESULTS),
    )),
    (N_("Arrivals and risk zones"), (
        ("/arrivals", N_("Arrivals"), Perm.ARRIVALS_READ),
        ("/arrivals/todo", N_("Arrivals to screen"), Perm.ARRIVALS_SCREEN),
        ("/arrivals/checkpoint", N_("Checkpoint"), Perm.ARRIVALS_CHECKPOINT),
        ("/risk-areas", N_("Risk areas"), Perm.ZONES_READ),
        ("/zones", N_("Zones"), Perm.ZONES_READ),
    )),
    (N_("Cases and tracing"), (
        ("/cases", N_("Cases"), Perm.CASES_READ),
        ("/clusters", N_("Clusters"), Perm.CASES_READ),
        ("/chains", N_("Transmission chains"), Perm.CASES_READ),
        ("/tracing/contacts", N_("Contacts"), Perm.TRACING_READ),
        ("/tracing/travel", N_("Passenger lists"), Perm.TRACING_READ),
        ("/tracing/publications", N_("Public trajectories"), Perm.TRACING_READ),
    )),
    (N_("Quarantine"), (
        ("/quarantine/sites", N_("Isolation sites"), Perm.QUARANTINE_READ),
        ("/quarantine/placements", N_("People under control"), Perm.QUARANTINE_READ),
        ("/quarantine/releases", N_("Release queue"), Perm.QUARANTINE_MANAGE),
    )),
    (N_("Vaccination and sentinels"), (
        ("/vaccination", N_("Vaccination"), Perm.VACCINATION_READ),
        ("/vaccination/outreach", N_("Vaccination outreach"), Perm.VACCINATION_READ),
        ("/sentinel", N_("Fever clinics"), Perm.SENTINEL_READ),
        ("/sentinel/follow-ups", N_("Four-drug buyers"), Perm.SENTINEL_READ),
        ("/sentinel/sites", N_("Sentinel sites"), Perm.SENTINEL_REPORT),
    )),
    (N_("Supervision and care"), (
        ("/supervision", N_("Supervision overview"), Perm.SUPERVISION_READ),
        ("/supervision/problems", N_("Problems and rectification"), Perm.SUPERVISION_READ),
        ("/supervision/video-points", N_("Video points"), Perm.SUPERVISION_READ),
        ("/care/requests", N_("Care requests"), Perm.CARE_READ),
    )),
    (N_("Command"), (
        ("/reports/dashboard", N_("Dashboard"), Perm.REPORTS_READ),
        ("/reports/bulletin", N_("Bulletin"), Perm.REPORTS_READ),
    )),
    (N_("Administration"), (
        ("/users", N_("Users"), Perm.USERS_READ),
        ("/exports", N_("My exports"), Perm.EXPORTS_REQUEST),
        ("/exports/approvals", N_("Export approvals"), Perm.EXPORTS_APPROVE),
        ("/audit", N_("Audit log"), Perm.AUDIT_READ),
        ("/policy", N_("Policy"), Perm.POLICY_READ),
        ("/emergency", N_("End of emergency"), Perm.EMERGENCY_MANAGE),
    )),
)  # fmt: skip
NAV = (("/", N_("Home"), None), *(entry for _, entries in NAV_GROUPS for entry in entries))
# Routes are matched in this order, router by router (FastAPI tries each route of an included
# router in turn): the door's entry check and check-in come first, so the hottest requests
# match at once instead of after every other domain's routes (bench/BENCHMARKS.md).
ROUTERS = (
    scans_api.router,
    site.router,
    auth_api.router,
    auth_views.router,
    people_api.router,
    people_views.router,
    regions_api.router,
    regions_views.router,
    policy_api.router,
    policy_views.router,
    audit_api.router,
    audit_views.router,
    retention_api.router,
    retention_views.router,
    venues_api.router,
    venues_views.router,
    healthcode_api.router,
    healthcode_views.router,
    citizens_api.router,
    citizens_views.router,
    scans_views.router,
    testing_api.router,
    testing_views.router,
    arrivals_api.router,
    arrivals_views.router,
    cases_api.router,
    cases_views.router,
    tracing_api.router,
    tracing_views.router,
    quarantine_api.router,
    quarantine_views.router,
    exports_api.router,
    exports_views.router,
    reports_api.router,
    reports_views.router,
    vaccination_api.router,
    vaccination_views.router,
    sentinel_api.router,
    sentinel_views.router,
    supervision_api.router,
    supervision_views.router,
    care_api.router,
    care_views.router,
)


def shell_context(request: Request) -> dict[str, Any]:
    principal = getattr(request.state, "principal", None)

    def shown(entries: Iterable[NavEntry]) -> list[tuple[str, str]]:
        return [(href, label) for href, label, perm in entries
                if principal and (perm is None or principal.can(perm))]  # fmt: skip

    groups = [(label, links) for label, entries in NAV_GROUPS if (links := shown(entries))]
    return {
        "principal": principal,
        "nav": shown(NAV),
        "nav_groups": groups,
        "csrf_token": csrf_token(request),
        "path": request.url.path,
    }


def _lifespan(settings: Settings, db: Database, *, served: bool) -> Any:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if settings.env == "production":
            with db.sessions() as session:
                deployment.check_production(session, settings)
        exports_worker.start(app)  # the export worker thread (docs/exports.md)
        if served:  # tests share routes resolved once, and keep the collector as it is
            await warmup.resolve_routes(app)
            _load_before_traffic(app)
            warmup.freeze_heap()
        yield
        # What domains started on first use (the entry check's scan writer and read pools).
        for hook in app.state.shutdown_hooks:
            await hook()

    return lifespan


def _load_before_traffic(app: FastAPI) -> None:
    """What the first requests would otherwise load while others wait behind them on the
    event loop (bench/BENCHMARKS.md: 200 to 500 ms each): both catalogs (the first problem
    answer parsed one), the policy editions, and the entry check's per-process state."""
    for locale in i18n.SUPPORTED_LOCALES:
        i18n.translations(locale)
    available_editions()  # every shipped edition, parsed once per process
    scans_dependencies.hotpath_for(app.state)


def _request_id() -> str:
    """A request's id for the logs: unique, not secret, so drawn from Python's generator and
    not the kernel's (``uuid4`` asks the kernel once a request, a system call the busiest
    routes feel; bench/BENCHMARKS.md)."""
    return uuid.UUID(int=random.getrandbits(128), version=4).hex


def _login_redirect(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, LoginRedirect)
    if request.headers.get("hx-request") == "true":
        return Response(status_code=204, headers={"HX-Redirect": exc.location})
    return RedirectResponse(exc.location, status_code=303)


def _docs_script_hashes() -> list[str]:
    """Swagger UI starts from one inline script; the CSP of /docs allows exactly that one."""
    return inline_script_hashes(bytes(site.api_docs().body))


def create_app(
    settings: Settings | None = None, *, database: Database | None = None, served: bool = False
) -> FastAPI:
    """The app. ``served``: a worker of ``fangkong serve``, which resolves its routes, loads
    what its first requests would and freezes its start-up heap before taking traffic
    (``core.warmup``), whatever the settings' ``env``."""
    settings = settings or Settings()
    deployment.check_keys(settings)
    db = database or Database(make_engine(settings.database_url))
    app = FastAPI(
        title="fangkong 防控",
        version="0.1.0",
        lifespan=_lifespan(settings, db, served=served),
        docs_url=None,  # served by site.py from vendored files
        redoc_url=None,
        dependencies=[Depends(refuse_nul_in_query)],
    )
    app.state.settings = settings
    app.state.db = db
    app.state.user_cache = UserStateCache(settings.auth_cache_seconds)
    app.state.verified_tokens = VerifiedTokens(settings.access_token_minutes * 60)
    app.state.templates = make_templates([shell_context])
    app.state.rate_limiter = RateLimiter.from_settings(settings)
    # Async callables run at shutdown, appended by what starts on first use.
    app.state.shutdown_hooks = []
    http.install(app)
    app.add_exception_handler(LoginRedirect, _login_redirect)
    if settings.max_inflight:  # inside the request id, so a refusal carries one too
        limit = InflightLimit(settings.max_inflight, settings.inflight_wait_ms / 1000)
        app.state.inflight = limit
        app.add_middleware(OverloadGuard, limit=limit)
    app.add_middleware(CorrelationIdMiddleware, header_name="X-Request-ID", generator=_request_id)
    app.add_middleware(BodyLimit, default=settings.max_body_bytes)  # routes may raise it
    # Outermost, so that every response, a refusal too, carries them.
    app.add_middleware(
        SecurityHeaders,
        script_hashes={"/docs": _docs_script_hashes()},
        on_error=http.server_error,
    )
    app.mount("/static", StaticFiles(directory=str(files("fangkong") / "static")), name="static")
    for router in ROUTERS:
        app.include_router(router)
    return app


def app_from_env() -> FastAPI:
    """Factory for ``uvicorn --factory`` (used by ``fangkong serve``): settings from the env."""
    return create_app(Settings(), served=True)
