"""Who the citizen is (bearer token or the ``fk_citizen`` cookie), the one-time-code rate
limits, the nonce store and the code sender. Citizen auth is separate from staff auth: a
staff token is never a citizen token (``tokens.SESSION_PREFIX``), nor the other way round."""

from __future__ import annotations

import logging
from typing import Annotated, Any
from urllib.parse import quote

import redis
from fastapi import Depends, Request
from fastapi.responses import Response
from limits import parse_many

from fangkong.auth.dependencies import CSRF_COOKIE, LoginRedirect
from fangkong.citizens import nonces, service
from fangkong.citizens.errors import NotSignedIn
from fangkong.citizens.schemas import Citizen
from fangkong.citizens.senders import Sender, sender_for
from fangkong.core import security
from fangkong.core.errors import InvalidInput
from fangkong.core.ratelimit import client_address, limiter
from fangkong.core.templating import render
from fangkong.core.web import DbSession, SettingsDep

__all__ = ["CITIZEN_COOKIE", "Citizen", "CurrentCitizen", "PageCitizen", "current_citizen"]
log = logging.getLogger(__name__)
CITIZEN_COOKIE = "fk_citizen"
BEARER = "bearer "


class CitizenLoginRedirect(LoginRedirect):
    """Answered like the staff login redirect (main.py's handler), to the citizens' sign-in."""

    def __init__(self, next_url: str) -> None:
        super().__init__(next_url)
        self.location = "/me/login?next=" + quote(next_url, safe="/")


def session_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if header[: len(BEARER)].lower() == BEARER:
        return header[len(BEARER) :].strip()
    return request.cookies.get(CITIZEN_COOKIE)


def optional_citizen(request: Request, session: DbSession) -> Citizen | None:
    token = session_token(request)
    return service.resolve(session, token) if token else None


def current_citizen(
    citizen: Annotated[Citizen | None, Depends(optional_citizen)],
) -> Citizen:
    if citizen is None:
        raise NotSignedIn()
    return citizen


def page_citizen(
    request: Request, citizen: Annotated[Citizen | None, Depends(optional_citizen)]
) -> Citizen:
    if citizen is None:
        raise CitizenLoginRedirect(request.url.path)
    return citizen


CurrentCitizen = Annotated[Citizen, Depends(current_citizen)]
MaybeCitizen = Annotated[Citizen | None, Depends(optional_citizen)]
PageCitizen = Annotated[Citizen, Depends(page_citizen)]


def get_redis(settings: SettingsDep) -> redis.Redis | None:
    return nonces.redis_for(settings)


def get_sender(settings: SettingsDep) -> Sender:
    return sender_for(settings)


NonceStore = Annotated[redis.Redis | None, Depends(get_redis)]
SenderDep = Annotated[Sender, Depends(get_sender)]


# --- rate limits of one-time codes ------------------------------------------------------------


async def _phone_of(request: Request) -> str | None:
    """The phone in the body (JSON or form): FastAPI has already read and cached the body."""
    body: Any
    if request.headers.get("content-type", "").startswith("application/json"):
        try:
            body = await request.json()
        except ValueError:
            return None
    else:
        body = await request.form()
    phone = body.get("phone") if hasattr(body, "get") else None
    return phone if isinstance(phone, str) else None


async def _hit(request: Request, rules: str, kind: str, key: str) -> None:
    await limiter(request).hit_items(parse_many(rules), kind, key)


async def otp_rate_limit(request: Request, settings: SettingsDep) -> None:
    """Count a code request per client address, then per phone (its keyed hash, never the
    number: the counters may live in Redis)."""
    await _hit(request, settings.rate_limit_otp_address, "otp_address", client_address(request))
    phone = await _phone_of(request)
    if phone:
        try:
            key = service.phone_hash(settings, phone)
        except InvalidInput:
            return  # the route answers 422
        await _hit(request, settings.rate_limit_otp, "otp_phone", key)


OtpRateLimited = Depends(otp_rate_limit)


async def token_rate_limit(request: Request, settings: SettingsDep) -> None:
    """Count sign-in tries per client address (each code also allows only a few tries)."""
    await _hit(request, settings.rate_limit_otp_address, "otp_token", client_address(request))


TokenRateLimited = Depends(token_rate_limit)


def citizen_page(
    request: Request, name: str, context: dict[str, Any], status_code: int = 200
) -> Response:
    """Render a page a citizen uses (no staff session): its forms carry a CSRF token bound to
    the ``fk_csrf`` cookie, set here on the first visit."""
    seed = request.cookies.get(CSRF_COOKIE) or security.new_token(16)
    request.state.csrf_seed = seed
    response = render(request, name, context, status_code=status_code)
    if CSRF_COOKIE not in request.cookies:
        secure = request.app.state.settings.cookies_secure
        response.set_cookie(CSRF_COOKIE, seed, httponly=True, samesite="lax", secure=secure)
    return response
