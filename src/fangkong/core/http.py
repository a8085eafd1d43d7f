"""Errors as RFC 9457 problem+json for the API, and as an error partial for htmx requests."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from fangkong.core import i18n, openapi
from fangkong.core.errors import N_, DomainError, InvalidInput
from fangkong.core.web import request_locale

log = logging.getLogger(__name__)
PROBLEM_TYPE = "https://fangkong.invalid/problems/"
HTTP_UNAUTHORIZED = 401

HTTP_CODES = {
    400: ("request.bad", N_("The request is malformed.")),
    401: ("auth.required", N_("Please log in.")),
    403: ("auth.forbidden", N_("Your role does not allow this action.")),
    404: ("not_found", N_("The record does not exist or is outside your jurisdiction.")),
    405: ("request.method_not_allowed", N_("This method is not allowed here.")),
    413: ("request.too_large", N_("The request body is too large.")),
    429: ("request.rate_limited", N_("Too many requests; try again later.")),
    500: ("server.error", N_("An internal error occurred; it has been logged.")),
    503: ("server.unavailable", N_("The service is temporarily unavailable.")),
}


def problem(
    request: Request, *, status: int, code: str, title: str, detail: str | None, **extra: Any
) -> Response:
    locale = request_locale(request)
    body = {
        "type": PROBLEM_TYPE + code,
        "title": i18n.gettext(locale, title),
        "status": status,
        "detail": i18n.gettext(locale, detail) if detail else i18n.gettext(locale, title),
        "code": code,
        **extra,
    }
    if _wants_html(request):
        return _error_partial(request, body)
    response = JSONResponse(body, status_code=status, media_type="application/problem+json")
    if status == HTTP_UNAUTHORIZED:
        response.headers["WWW-Authenticate"] = "Bearer"
    return response


def _wants_html(request: Request) -> bool:
    return request.headers.get("hx-request") == "true" or not request.url.path.startswith("/api/")


def _error_partial(request: Request, body: dict[str, Any]) -> Response:
    templates = request.app.state.templates
    htmx = request.headers.get("hx-request") == "true"
    name = "partials/error.html" if htmx else "error_page.html"
    response: Response = templates.TemplateResponse(
        request, name, {"problem": body}, status_code=body["status"]
    )
    if htmx:
        response.headers["HX-Retarget"] = "#flash"
        response.headers["HX-Reswap"] = "innerHTML"
    return response


def _domain_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DomainError)
    extra: dict[str, Any] = {}
    if isinstance(exc, InvalidInput) and exc.errors:
        extra["errors"] = exc.errors
    return problem(
        request, status=exc.status, code=exc.code, title=exc.title, detail=exc.detail, **extra
    )


def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {"field": ".".join(str(p) for p in err["loc"]), "message": err["msg"], "type": err["type"]}
        for err in exc.errors()
    ]
    return problem(
        request,
        status=422,
        code=InvalidInput.code,
        title=InvalidInput.title,
        detail=None,
        errors=errors,
    )


def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    code, title = HTTP_CODES.get(exc.status_code, ("request.error", N_("The request failed.")))
    if exc.status_code in HTTP_CODES and exc.detail and exc.status_code >= 500:
        log.error("http error %s: %s", exc.status_code, exc.detail)
    response = problem(request, status=exc.status_code, code=code, title=title, detail=None)
    response.headers.update(exc.headers or {})
    return response


def server_error(request: Request, exc: Exception) -> Response:
    """The 500 answer (problem+json), without logging: ``SecurityHeaders`` sends it."""
    code, title = HTTP_CODES[500]
    return problem(request, status=500, code=code, title=title, detail=None)


def _unhandled(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return server_error(request, exc)


def install(app: FastAPI) -> None:
    openapi.install(app)  # declares these problem answers in /openapi.json
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unhandled)
