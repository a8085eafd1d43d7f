"""Who is calling: bearer principals for the API, session principals for pages, CSRF, permissions.

The API dependency is ``async`` and reads verified tokens and user state from per-worker caches
(``tokens.py``), so authenticated hot paths stay on the event loop; only a cache miss queries
the database, in the thread pool.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from typing import Annotated
from urllib.parse import quote, urlsplit

from fastapi import Depends, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPBearer

from fangkong.auth import service, tokens
from fangkong.auth.errors import CsrfInvalid
from fangkong.auth.permissions import Perm
from fangkong.core.errors import NotAuthenticated, PermissionDenied
from fangkong.core.principal import Principal
from fangkong.core.web import DbSession
from fangkong.db import Database

SESSION_COOKIE = "fk_session"
CSRF_COOKIE = "fk_csrf"


class BearerPrincipal(HTTPBearer):
    """The API's one auth dependency: bearer token → ``Principal``, and the permission check.

    One dependency level instead of three (bearer scheme, principal, permission): each level
    costs FastAPI about as much as verifying a cached token (bench/README.md).
    """

    def __init__(self, permission: Perm | None = None) -> None:
        super().__init__(auto_error=False, scheme_name="HTTPBearer")
        self.permission = permission

    async def __call__(self, request: Request) -> Principal:  # type: ignore[override]
        credentials = await super().__call__(request)
        if credentials is None:
            raise NotAuthenticated()
        principal = await _principal_for(request, credentials.credentials)
        if self.permission is not None and not principal.can(self.permission):
            raise PermissionDenied()
        request.state.user_locale = principal.locale
        return principal


async def _principal_for(request: Request, token: str) -> Principal:
    app_state = request.app.state
    claims = app_state.verified_tokens.claims(app_state.settings, token)
    user_id = int(claims["sub"])
    # One read, not "in" then "get": an entry that expires between the two would reject a
    # valid token. A user that no longer exists is simply looked up again.
    state = app_state.user_cache.get(user_id)
    if state is None:
        state = await run_in_threadpool(_load_state, app_state.db, user_id)
        app_state.user_cache.put(user_id, state)
    return tokens.principal_from(claims, state)


def _load_state(db: Database, user_id: int) -> tokens.UserState | None:
    with db.reads() as session:  # never queued behind SQLite's writer (the scans' writer)
        return tokens.load_state(session, user_id)


ApiPrincipal = Annotated[Principal, Depends(BearerPrincipal())]
UsersRead = Annotated[Principal, Depends(BearerPrincipal(Perm.USERS_READ))]
UsersManage = Annotated[Principal, Depends(BearerPrincipal(Perm.USERS_MANAGE))]
AuditRead = Annotated[Principal, Depends(BearerPrincipal(Perm.AUDIT_READ))]
RegionsRead = Annotated[Principal, Depends(BearerPrincipal(Perm.REGIONS_READ))]
RegionsManage = Annotated[Principal, Depends(BearerPrincipal(Perm.REGIONS_MANAGE))]
PolicyRead = Annotated[Principal, Depends(BearerPrincipal(Perm.POLICY_READ))]
PolicyManage = Annotated[Principal, Depends(BearerPrincipal(Perm.POLICY_MANAGE))]
PeopleRead = Annotated[Principal, Depends(BearerPrincipal(Perm.PEOPLE_READ))]
PeopleWrite = Annotated[Principal, Depends(BearerPrincipal(Perm.PEOPLE_WRITE))]
PeopleAccessLog = Annotated[Principal, Depends(BearerPrincipal(Perm.PEOPLE_ACCESS_LOG))]
PeopleMerge = Annotated[Principal, Depends(BearerPrincipal(Perm.PEOPLE_MERGE))]


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
    if _cross_site(request):
        raise CsrfInvalid()
    sent = csrf_token_field or request.headers.get("x-csrf-token") or ""
    expected = csrf_token(request)
    if not expected or not hmac.compare_digest(sent, expected):
        raise CsrfInvalid()


def _cross_site(request: Request) -> bool:
    """A form posted from another site, as the browser reports it (Fetch metadata, Origin).

    The token already stops forgery; this also stops a planted pre-login cookie (login CSRF)."""
    if request.headers.get("sec-fetch-site") == "cross-site":
        return True
    origin = request.headers.get("origin")
    return bool(origin) and origin != "null" and urlsplit(origin).netloc != request.url.netloc


CsrfChecked = Depends(check_csrf)
