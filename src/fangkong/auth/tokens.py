"""Bearer access tokens: short-lived HS256 JWTs, checked against a per-worker user-state cache.

The authenticated hot path (every API call) must not pay an ORM round trip. A token carries
the user id, role, region and the user's ``token_epoch``. A worker keeps each user's current
state for ``auth_cache_seconds`` (default 5 s): deactivating a user, changing their role,
region or password bumps the epoch, so every worker refuses the user's old tokens within
that bound. Workers may disagree for at most those seconds, never longer.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache
from typing import Any

import jwt
from cachetools import TTLCache
from sqlalchemy import select
from sqlalchemy.orm import Session

from fangkong.auth.errors import TokenExpired, TokenInvalid
from fangkong.auth.permissions import permissions_of
from fangkong.config import Settings
from fangkong.core import clock
from fangkong.core.principal import Principal
from fangkong.models import User

ALGORITHM = "HS256"
USER_ID = re.compile(r"[1-9][0-9]{0,17}")  # a positive id that fits a 64-bit column
TOKEN_TYPE = "access"  # noqa: S105 - a claim value, not a secret


def signing_key(settings: Settings, purpose: str) -> bytes:
    """A key per purpose derived from the one secret key."""
    return _derive(settings.secret_key_bytes, purpose)


@lru_cache(maxsize=32)
def _derive(secret: bytes, purpose: str) -> bytes:
    return hmac.new(secret, f"fangkong:{purpose}".encode(), hashlib.sha256).digest()


@dataclass(frozen=True, slots=True)
class UserState:
    username: str
    role: str
    region_code: str
    locale: str | None
    token_epoch: int
    is_active: bool


def issue(settings: Settings, user: User) -> str:
    issued = clock.now()
    claims = {
        "sub": str(user.id),
        "typ": TOKEN_TYPE,
        "ep": user.token_epoch,
        "iat": issued,
        "exp": issued + timedelta(minutes=settings.access_token_minutes),
    }
    return jwt.encode(claims, signing_key(settings, "jwt"), algorithm=ALGORITHM)


def decode(settings: Settings, token: str) -> dict[str, Any]:
    """Verify signature, shape and expiry of an access token; its claims."""
    claims = _verify(settings, token)
    _check_expiry(claims)
    return claims


def _verify(settings: Settings, token: str) -> dict[str, Any]:
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            signing_key(settings, "jwt"),
            algorithms=[ALGORITHM],
            # Expiry is checked against core.clock, not PyJWT's wall clock, so that a moved
            # clock (tests, the simulator) judges tokens by the time it issued them at.
            options={
                "require": ["sub", "exp", "iat", "ep", "typ"],
                "verify_iat": False,
                "verify_exp": False,
            },
            leeway=0,
        )
    except jwt.PyJWTError as exc:
        raise TokenInvalid() from exc
    if claims["typ"] != TOKEN_TYPE or not (
        str(claims["sub"]).isascii() and str(claims["sub"]).isdigit()
    ):
        raise TokenInvalid()
    return claims


def _check_expiry(claims: dict[str, Any]) -> None:
    if int(claims["exp"]) <= clock.now().timestamp():
        raise TokenExpired()


class VerifiedTokens:
    """Per-worker cache of tokens whose signature was verified, keyed by the whole token.

    Verifying an HS256 JWT with PyJWT costs more than the rest of an authenticated request
    (bench/README.md). Only tokens that passed verification are cached; expiry is checked on
    every use, and revocation (the user-state epoch) is checked by the caller every request.
    """

    def __init__(self, ttl_seconds: float, maxsize: int = 20_000) -> None:
        self._cache: TTLCache[str, dict[str, Any]] = TTLCache(maxsize=maxsize, ttl=ttl_seconds)

    def claims(self, settings: Settings, token: str) -> dict[str, Any]:
        claims = self._cache.get(token)
        if claims is None:
            claims = _verify(settings, token)
            self._cache[token] = claims
        _check_expiry(claims)
        return claims


def load_state(session: Session, user_id: int) -> UserState | None:
    statement = select(
        User.username, User.role, User.region_code, User.locale, User.token_epoch, User.is_active
    ).where(User.id == user_id)
    row = session.execute(statement).first()
    return UserState(*row) if row else None


class UserStateCache:
    """Per-worker TTL cache of ``UserState`` by user id (used from the event loop only)."""

    def __init__(self, ttl_seconds: float) -> None:
        self._cache: TTLCache[int, UserState | None] = TTLCache(maxsize=50_000, ttl=ttl_seconds)

    def __contains__(self, user_id: int) -> bool:
        return user_id in self._cache

    def get(self, user_id: int) -> UserState | None:
        return self._cache.get(user_id)

    def put(self, user_id: int, state: UserState | None) -> None:
        self._cache[user_id] = state

    def clear(self) -> None:
        self._cache.clear()


def principal_from(claims: dict[str, Any], state: UserState | None) -> Principal:
    if state is None or not state.is_active or state.token_epoch != claims["ep"]:
        raise TokenInvalid()
    return Principal(
        id=int(claims["sub"]),
        username=state.username,
        role=state.role,
        region_code=state.region_code,
        permissions=permissions_of(state.role),
        locale=state.locale,
    )
