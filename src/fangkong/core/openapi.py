"""The problem+json answers every API operation may give, declared once in ``/openapi.json``.

FastAPI documents only a route's success and a 422 of its own shape (``HTTPValidationError``),
while the app answers every error as RFC 9457 problem+json (``core/http.py``). This hook
rewrites the generated document so that each operation under ``/api/`` lists the error statuses
it can answer, with the one ``ProblemDetails`` schema they share: a client generator and the
API fuzz (tests/harness/test_fuzz.py) see what the app really sends.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI

API_PREFIX = "/api/"
PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_REF = {"$ref": "#/components/schemas/ProblemDetails"}
FASTAPI_VALIDATION_SCHEMAS = ("HTTPValidationError", "ValidationError")

PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "ProblemDetails",
    "description": "RFC 9457 problem details; `code` is stable, `title`/`detail` are translated.",
    "type": "object",
    "required": ["type", "title", "status", "detail", "code"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "detail": {"type": "string"},
        "code": {"type": "string"},
        "errors": {
            "type": "array",
            "description": "One entry per invalid field or row.",
            "items": {"type": "object"},
        },
    },
    "additionalProperties": True,
}

DESCRIPTIONS = {
    "400": "The request is malformed (e.g. an unreadable multipart body).",
    "401": "Not logged in, or the credentials or token are not valid.",
    "403": "The caller's role does not allow this action.",
    "404": "The record does not exist or is outside the caller's jurisdiction.",
    "409": "The change conflicts with an existing record.",
    "413": "The request body is too large.",
    "422": "The request contains invalid data.",
    "429": "Too many requests (rate limit or locked account); try again later.",
    "500": "An internal error; it has been logged.",
    "503": "The server is busy or unavailable; try again in a moment.",
}
RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before trying again.",
        "schema": {"type": "integer", "minimum": 0},
    }
}
WITH_RETRY_AFTER = ("429", "503")
# Any API call may lack a valid token or permission (the login form refuses credentials).
ALWAYS = ("401", "403", "422", "429", "500", "503")
WITH_SECURITY = ("404",)  # records outside the caller's jurisdiction answer 404
WITH_BODY = ("400", "413")
READ_METHODS = frozenset({"get", "head", "options"})


def _statuses(method: str, operation: dict[str, Any]) -> list[str]:
    statuses = list(ALWAYS)
    if operation.get("security"):
        statuses += WITH_SECURITY
    if "requestBody" in operation:
        statuses += WITH_BODY
    if method not in READ_METHODS:
        statuses.append("409")
    return sorted(statuses)


def _problem_response(status: str) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": DESCRIPTIONS[status],
        "content": {PROBLEM_MEDIA_TYPE: {"schema": PROBLEM_REF}},
    }
    if status in WITH_RETRY_AFTER:
        response["headers"] = RETRY_AFTER
    return response


def declare_problems(document: dict[str, Any]) -> dict[str, Any]:
    """Add the problem answers to every ``/api/`` operation of an OpenAPI ``document``."""
    for path, operations in document.get("paths", {}).items():
        if not path.startswith(API_PREFIX):
            continue
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for status in _statuses(method, operation):
                responses[status] = _problem_response(status)
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas["ProblemDetails"] = PROBLEM_SCHEMA
    _drop_unused(schemas, json.dumps(document["paths"]))
    return document


def _drop_unused(schemas: dict[str, Any], paths_text: str) -> None:
    """FastAPI's own 422 schemas, once no operation refers to them any more."""
    for name in FASTAPI_VALIDATION_SCHEMAS:
        if f'"#/components/schemas/{name}"' not in paths_text:
            schemas.pop(name, None)


def install(app: FastAPI) -> None:
    """Make ``app.openapi()`` return the document with the problem answers declared."""
    generate: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = declare_problems(generate())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
