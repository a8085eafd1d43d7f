"""Rate limits on login, search and exports, counted with ``limits`` in a moving window.

A limit such as ``10/minute`` means at most 10 requests in any 60 seconds, and ``Retry-After``
says exactly when the oldest of them leaves the window.

The limiter lives on ``app.state`` (built in ``create_app``), so every app, and every test app,
starts with fresh counters. With ``settings.redis_url`` the counts are kept in Redis, shared by
every worker and machine; without it each worker counts in its own memory, which is right for
the single-process demo only. Signed-in callers are counted per user, anonymous ones (login) per
client address, and login attempts also per username, so one address cannot try many accounts
and many addresses cannot hammer one account.

Going over a limit answers 429 with ``Retry-After`` (problem+json ``request.rate_limited`` on
the API, the error page on pages). When Redis cannot be reached the limits still hold: the
worker counts in its own memory (as without Redis) for ``REDIS_RETRY_S`` seconds, logs it once,
then tries Redis again. A dead Redis thus costs one failed call per worker every few seconds,
never a wait on every request, and never lets a flood through.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any, get_args

from fastapi import Form, Request
from limits import RateLimitItem, parse_many
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.errors import StorageError
from starlette.exceptions import HTTPException

from fangkong.config import Settings
from fangkong.core.principal import Principal

log = logging.getLogger(__name__)
HTTP_TOO_MANY_REQUESTS = 429
REDIS_RETRY_S = 5.0  # how long a worker counts in memory after Redis failed


class Kind(StrEnum):
    """What is counted; also the first part of every counter's key."""

    LOGIN = "login"
    LOGIN_ADDRESS = "login_address"
    SEARCH = "search"
    EXPORT = "export"


def _storage(settings: Settings) -> Storage:
    if not settings.redis_url:
        return MemoryStorage()
    return RedisStorage(
        settings.redis_url,
        implementation="redispy",
        key_prefix="fangkong-limits",
        wrap_exceptions=True,
    )


def _rules(settings: Settings) -> dict[Kind, list[RateLimitItem]]:
    return {
        Kind.LOGIN: parse_many(settings.rate_limit_login),
        Kind.LOGIN_ADDRESS: parse_many(settings.rate_limit_login_address),
        Kind.SEARCH: parse_many(settings.rate_limit_search),
        Kind.EXPORT: parse_many(settings.rate_limit_export),
    }


@dataclass
class RateLimiter:
    strategy: MovingWindowRateLimiter
    rules: Mapping[Kind, list[RateLimitItem]]
    # The worker's own counts while the shared storage fails (None without Redis: the
    # strategy already counts in memory).
    fallback: MovingWindowRateLimiter | None = None
    shared_again_at: float = 0.0  # time.monotonic() when Redis is tried again

    @classmethod
    def from_settings(cls, settings: Settings) -> RateLimiter:
        fallback = MovingWindowRateLimiter(MemoryStorage()) if settings.redis_url else None
        return cls(MovingWindowRateLimiter(_storage(settings)), _rules(settings), fallback)

    async def hit(self, kind: Kind, key: str) -> None:
        """Count one request of ``kind`` by ``key``; 429 when a limit is used up."""
        await self.hit_items(self.rules[kind], kind.value, key)

    async def hit_items(self, items: Iterable[RateLimitItem], name: str, key: str) -> None:
        """Count one request against ``items`` (limits a domain reads from its own settings)
        under the counter ``name`` by ``key``; 429 with ``Retry-After`` when one is used up."""
        for item in items:
            wait = await self._wait_after_hit(item, name, key)
            if wait is not None:
                raise HTTPException(HTTP_TOO_MANY_REQUESTS, headers={"Retry-After": str(wait)})

    async def _wait_after_hit(self, item: RateLimitItem, name: str, key: str) -> int | None:
        """None when the hit fits the limit, else the seconds until it would; in the worker's
        memory while the shared storage is failing."""
        if self.fallback is None or time.monotonic() >= self.shared_again_at:
            try:
                return await _wait(self.strategy, item, name, key)
            except StorageError:
                if self.fallback is None:
                    raise
                log.warning("rate limit storage failed; counting in this worker for %.0f s",
                            REDIS_RETRY_S)  # fmt: skip
                self.shared_again_at = time.monotonic() + REDIS_RETRY_S
        return await _wait(self.fallback, item, name, key)


async def _wait(
    strategy: MovingWindowRateLimiter, item: RateLimitItem, name: str, key: str
) -> int | None:
    if await strategy.hit(item, name, key):
        return None
    stats = await strategy.get_window_stats(item, name, key)
    return max(1, math.ceil(stats.reset_time - time.time()))


def limiter(request: Request) -> RateLimiter:
    rate_limiter: RateLimiter = request.app.state.rate_limiter
    return rate_limiter


def client_address(request: Request) -> str:
    """The caller's address (a trusted proxy's ``X-Forwarded-For`` when uvicorn honours it)."""
    return request.client.host if request.client else "unknown"


async def login_attempt(request: Request, username: Annotated[str, Form(max_length=64)]) -> None:
    """Count a login attempt by address and by username (a dependency of both login routes)."""
    await limiter(request).hit(Kind.LOGIN_ADDRESS, client_address(request))
    await limiter(request).hit(Kind.LOGIN, username.strip().casefold())


def per_user(
    kind: Kind, authenticated: Any, *, only_with_query: str | None = None
) -> Callable[..., Awaitable[Principal]]:
    """A dependency that authenticates as ``authenticated`` does, then counts for that user.

    ``authenticated`` is a route's principal alias (``Annotated[Principal, Depends(...)]``), so
    the caller is known before anything is counted and an anonymous request stays a 401.
    With ``only_with_query`` only requests carrying that query parameter are counted (a list
    is a search only when it has a name query)."""
    depends = get_args(authenticated)[1]

    async def counted(request: Request, principal: Principal = depends) -> Principal:
        if only_with_query is None or request.query_params.get(only_with_query):
            await limiter(request).hit(kind, f"user:{principal.id}")
        return principal

    return counted
