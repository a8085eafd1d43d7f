"""Request body limits: 413 problem+json before an oversized body is read.

Every route reads at most ``settings.max_body_bytes`` (1 MiB: JSON bodies and forms); a route
that takes a file declares its own limit with FastAPI's ``max_body_size=upload_limit(...)``.

FastAPI and Starlette enforce such limits themselves, but they answer a declared
``Content-Length`` above the limit with a plain-text 413 that they send past every exception
handler and middleware (no problem+json, no language, no security headers). So this middleware
applies the same limits first, with our error rendering: a declared length above the limit is
refused before anything is read, and a chunked body is cut off at the first chunk past it. The
route's own ``max_body_size`` is looked up only when a body is larger than the default, so small
requests pay one header lookup and a counter.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from fastapi.routing import iter_route_contexts
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fangkong.core import http

# Room for the multipart framing and the small fields beside the file (the CSRF token).
MULTIPART_OVERHEAD = 64 * 1024
HTTP_TOO_LARGE = 413


def upload_limit(file_bytes: int) -> int:
    """The body limit of a route that accepts one file of at most ``file_bytes``."""
    return file_bytes + MULTIPART_OVERHEAD


@dataclass(frozen=True, slots=True)
class DeclaredLimit:
    """A route's own ``max_body_size``, with what it takes to recognise the route's requests."""

    path: re.Pattern[str]
    methods: frozenset[str]
    limit: int

    def covers(self, scope: Scope) -> bool:
        return scope["method"] in self.methods and self.path.match(scope["path"]) is not None


def declared_limits(routes: Sequence[BaseRoute]) -> list[DeclaredLimit]:
    """The routes that declare ``max_body_size``, with their full paths (routers included)."""
    found = []
    for context in iter_route_contexts(routes):
        limit = getattr(context.original_route, "max_body_size", None)
        if limit is not None and context.path:
            regex, _, _ = compile_path(context.path)
            methods = frozenset(getattr(context.original_route, "methods", None) or ())
            found.append(DeclaredLimit(regex, methods, int(limit)))
    return found


def _declared_length(scope: Scope) -> int | None:
    value = Headers(scope=scope).get("content-length")
    return int(value) if value and value.isdigit() else None


def _refusal(scope: Scope) -> Response:
    code, title = http.HTTP_CODES[HTTP_TOO_LARGE]
    return http.problem(Request(scope), status=HTTP_TOO_LARGE, code=code, title=title, detail=None)


class BodyLimit:
    """ASGI middleware: refuse bodies above the limit of the route they are sent to."""

    def __init__(self, app: ASGIApp, *, default: int) -> None:
        self.app = app
        self.default = default
        self._declared: list[DeclaredLimit] | None = None  # read from the app's routes once

    def limit_for(self, scope: Scope) -> int:
        if self._declared is None:
            self._declared = declared_limits(scope["app"].router.routes)
        return next((d.limit for d in self._declared if d.covers(scope)), self.default)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _declared_length(scope)
        if declared is not None and declared > self.default and declared > self.limit_for(scope):
            await _refusal(scope)(scope, receive, send)
            return
        await self.app(scope, self._counting(scope, receive), send)

    def _counting(self, scope: Scope, receive: Receive) -> Receive:
        """``receive`` that stops the request once more bytes came than the route may read."""
        seen = 0

        async def receive_within_limit() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.default and seen > self.limit_for(scope):
                    # An HTTPException passes FastAPI's body parsing untouched and reaches
                    # the app's handler, which renders the problem (or the error page).
                    raise HTTPException(HTTP_TOO_LARGE)
            return message

        return receive_within_limit
