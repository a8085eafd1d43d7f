"""Security headers on every response: CSP, framing, sniffing, referrer, permissions, HSTS.

The values are built with ``secure`` (its builders validate each directive). Its own middleware
applies one fixed set to every response; here the set depends on the request: HSTS only when
the request came over TLS (the ``https`` scheme, which uvicorn's ``proxy_headers`` takes from a
trusted proxy's ``X-Forwarded-Proto``), and a page whose inline script we ship (Swagger UI's
start-up script on ``/docs``) gets that one script's hash, never ``'unsafe-inline'``.

The pages load scripts and styles only from ``/static``; htmx is told not to inject its
indicator ``<style>`` (``base.html``). ``img-src`` allows ``data:`` because Pico and Swagger UI
draw their icons as inline SVG data URLs.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable, Iterable, Mapping

import secure
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

HSTS_SECONDS = 365 * 24 * 3600
SELF = "'self'"
NONE = "'none'"
_INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.DOTALL)

Headers = list[tuple[bytes, bytes]]


def content_security_policy(*script_sources: str) -> secure.ContentSecurityPolicy:
    """Everything from this origin only; no plugins, no framing, forms post only here."""
    return (
        secure.ContentSecurityPolicy()
        .default_src(SELF)
        .script_src(SELF, *script_sources)
        .style_src(SELF)
        .img_src(SELF, "data:")
        .object_src(NONE)
        .base_uri(SELF)
        .form_action(SELF)
        .frame_ancestors(NONE)
    )


def permissions_policy() -> secure.PermissionsPolicy:
    """No powerful feature but the camera, which citizens use here to scan QR codes."""
    return (
        secure.PermissionsPolicy()
        .camera("self")
        .microphone()
        .geolocation()
        .payment()
        .usb()
        .serial()
        .hid()
        .midi()
        .display_capture()
        .browsing_topics()
    )


def inline_script_hashes(html: bytes) -> list[str]:
    """CSP source expressions (``'sha256-…'``) for each inline ``<script>`` of a page."""
    return [
        "'sha256-" + base64.b64encode(hashlib.sha256(body).digest()).decode() + "'"
        for body in _INLINE_SCRIPT.findall(html)
    ]


def _encoded(policy: secure.Secure) -> Headers:
    return [
        (name.lower().encode(), value.encode("latin-1")) for name, value in policy.headers.items()
    ]


def _header_set(csp: secure.ContentSecurityPolicy, *, tls: bool) -> Headers:
    policy = secure.Secure(
        csp=csp,
        permissions=permissions_policy(),
        referrer=secure.ReferrerPolicy().strict_origin_when_cross_origin(),
        xcto=secure.XContentTypeOptions(),
        xfo=secure.XFrameOptions().deny(),
        hsts=secure.StrictTransportSecurity().max_age(HSTS_SECONDS) if tls else None,
    )
    return _encoded(policy)


class SecurityHeaders:
    """ASGI middleware: set the headers on every HTTP response, replacing any a route set.

    ``script_hashes`` maps a path to the hashes of the inline scripts its page carries."""

    def __init__(
        self,
        app: ASGIApp,
        script_hashes: Mapping[str, Iterable[str]] | None = None,
        on_error: Callable[[Request, Exception], Response] | None = None,
    ):
        self.app = app
        self.on_error = on_error
        self._sets: dict[tuple[str | None, bool], Headers] = {}
        for tls in (False, True):
            self._sets[None, tls] = _header_set(content_security_policy(), tls=tls)
            for path, hashes in (script_hashes or {}).items():
                self._sets[path, tls] = _header_set(content_security_policy(*hashes), tls=tls)

    def headers_for(self, scope: Scope) -> Headers:
        tls = scope.get("scheme") == "https"
        return self._sets.get((scope["path"], tls)) or self._sets[None, tls]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = self.headers_for(scope)
        names = {name for name, _ in extra}

        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in names]
                message["headers"] = kept + extra
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception as exc:
            # An unhandled error is answered by the server-error middleware, which sits outside
            # every middleware added to the app: the 500 is sent from here instead, with the
            # headers; that middleware still logs it and sees the answer already started.
            if self.on_error is not None and not started:
                answer = self.on_error(Request(scope), exc)
                await answer(scope, receive, send_with_headers)
            raise
