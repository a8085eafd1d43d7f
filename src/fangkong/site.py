"""The shell of the site: health and readiness, the home page, the language switch."""

from __future__ import annotations

from typing import Annotated

from alembic.runtime.migration import MigrationContext
from fastapi import APIRouter, Query, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from sqlalchemy.exc import SQLAlchemyError

from fangkong.auth.dependencies import WebPrincipal
from fangkong.core import i18n
from fangkong.core.templating import render
from fangkong.core.web import local_path
from fangkong.db import Database
from fangkong.migrate import head_revisions

router = APIRouter(include_in_schema=True, tags=["site"])
LANG_COOKIE_SECONDS = 365 * 24 * 3600


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", responses={503: {"description": "database down or migrations behind"}})
def readyz(request: Request) -> JSONResponse:
    db: Database = request.app.state.db
    try:
        with db.sessions() as session:
            context = MigrationContext.configure(session.connection())
            current = set(context.get_current_heads())
    except SQLAlchemyError:
        return JSONResponse({"status": "database_unavailable"}, status_code=503)
    if current != head_revisions():
        return JSONResponse({"status": "migrations_behind"}, status_code=503)
    return JSONResponse({"status": "ready"})


@router.get("/", include_in_schema=False)
def home(request: Request, principal: WebPrincipal) -> Response:
    return render(request, "home.html", {"principal": principal})


@router.get("/docs", include_in_schema=False)
def api_docs() -> HTMLResponse:
    """Swagger UI from the vendored files: the API docs work without reaching a CDN."""
    return get_swagger_ui_html(
        openapi_url="/openapi.json",
        title="fangkong 防控 API",
        swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
        swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
        swagger_favicon_url="/static/favicon.svg",
    )


@router.get("/lang/{code}", include_in_schema=False)
def switch_language(
    code: str, next_url: Annotated[str, Query(alias="next", max_length=200)] = "/"
) -> Response:
    locale = i18n.normalize(code) or i18n.DEFAULT_LOCALE
    response = RedirectResponse(local_path(next_url), status_code=303)
    response.set_cookie("lang", locale, max_age=LANG_COOKIE_SECONDS, httponly=True, samesite="lax")
    return response
