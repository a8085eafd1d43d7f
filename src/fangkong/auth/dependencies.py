"""Who is calling: bearer principals for the API, session principals for pages, CSRF, permissions.

The API dependency is ``async`` and reads user state from a per-worker cache (``tokens.py``),
so authenticated hot paths stay on the event loop without a thread-pool hop.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Awaitable, Callable
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, Form, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from fangkong.auth import service, tokens
from fangkong.auth.errors import CsrfInvalid
from fangkong.auth.permissions import Perm
from fangkong.config import Settings
from fangkong.core.errors import NotAuthenticated, PermissionDenied
from fangkong.core.principal import Principal
from fangkong.core.web import DbSession

SESSION_COOKIE = "fk_session"
CSRF_COOKIE = "fk_csrf"
_bearer = HTTPBearer(auto_error=False)


async def api_principal(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> Principal:
    if credentials is None:
        raise NotAuthenticated()
    settings: Settings = request.app.state.settings
    claims = tokens.decode(settings, credentials.credentials)
    cache: tokens.UserStateCache = request.app.state.user_cache
    user_id = int(claims["sub"])
    # One read, not "in" then "get": an entry that expires between the two would reject a
    # valid token. A user that no longer exists is simply looked up again.
    state = cache.get(user_id)
    if state is None:
        with request.app.state.db.sessions() as session:
            state = tokens.load_state(session, user_id)
        cache.put(user_id, state)
    principal = tokens.principal_from(claims, state)
    request.state.user_locale = principal.locale
    return principal


ApiPrincipal = Annotated[Principal, Depends(api_principal)]


def require(permission: Perm) -> Callable[[Principal], Awaitable[Principal]]:
    async def check(principal: ApiPrincipal) -> Principal:
        if not principal.can(permission):
            raise PermissionDenied()
        return principal

    return check


UsersRead = Annotated[Principal, Depends(require(Perm.USERS_READ))]
UsersManage = Annotated[Principal, Depends(require(Perm.USERS_MANAGE))]
AuditRead = Annotated[Principal, Depends(require(Perm.AUDIT_READ))]
RegionsRead = Annotated[Principal, Depends(require(Perm.REGIONS_READ))]
RegionsManage = Annotated[Principal, Depends(require(Perm.REGIONS_MANAGE))]
PolicyRead = Annotated[Principal, Depends(require(Perm.POLICY_READ))]
PolicyManage = Annotated[Principal, Depends(require(Perm.POLICY_MANAGE))]


class LoginRedirect(Exception):
    """Raised by page dependencies when nobody is logged in; answered with a redirect."""

    def __init__(self, next_url: str) -> None:
        super().__init__(next_url)
        self.location = "/login?next=" + quote(next_url, safe="/")


def optional_web_principal(request: Request, session: DbSession) -> Principal | None:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    principal = service.resolve_web_session(
        session, settings=request.app.state.settings, token=token
    )
    if principal is not None:
        request.state.user_locale = principal.locale
        request.state.principal = principal
    return principal


def web_principal(
    request: Request, principal: Annotated[Principal | None, Depends(optional_web_principal)]
) -> Principal:
    if principal is None:
        raise LoginRedirect(request.url.path)
    return principal


WebPrincipal = Annotated[Principal, Depends(web_principal)]
MaybeWebPrincipal = Annotated[Principal | None, Depends(optional_web_principal)]


def web_require(permission: Perm) -> Callable[[Principal], Principal]:
    def check(principal: WebPrincipal) -> Principal:
        if not principal.can(permission):
            raise PermissionDenied()
        return principal

    return check


def csrf_token(request: Request) -> str:
    """The token forms carry: an HMAC of the session (or pre-login) cookie."""
    seed = request.cookies.get(SESSION_COOKIE) or request.cookies.get(CSRF_COOKIE) or ""
    if not seed:
        seed = getattr(request.state, "csrf_seed", "")
    key = tokens.signing_key(request.app.state.settings, "csrf")
    return hmac.new(key, seed.encode(), hashlib.sha256).hexdigest() if seed else ""


def check_csrf(
    request: Request, csrf_token_field: Annotated[str | None, Form(alias="csrf_token")] = None
) -> None:
    sent = csrf_token_field or request.headers.get("x-csrf-token") or ""
    expected = csrf_token(request)
    if not expected or not hmac.compare_digest(sent, expected):
        raise CsrfInvalid()


CsrfChecked = Depends(check_csrf)
