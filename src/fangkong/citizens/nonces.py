"""The replay guard of personal codes: each code's nonce is claimed once, until it expires.

With ``settings.redis_url`` the claim is a Redis ``SET NX EX`` shared by every worker; without
Redis (or when Redis cannot be reached) it is an insert into ``code_nonces`` that ignores a
duplicate, so a second claim of the same nonce inserts nothing. The retention job purges
expired nonces.
"""

from __future__ import annotations

import asyncio
import logging
import math
from datetime import datetime
from functools import lru_cache

import redis
import redis.asyncio as aioredis
from sqlalchemy.orm import Session

from fangkong.citizens import repository
from fangkong.citizens.errors import PersonalCodeReplayed
from fangkong.config import Settings
from fangkong.core import clock

log = logging.getLogger(__name__)
KEY_PREFIX = "fangkong:qr-nonce:"
REDIS_TIMEOUT_S = 0.2


@lru_cache(maxsize=4)
def _client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_timeout=0.2, socket_connect_timeout=0.2)


def redis_for(settings: Settings) -> redis.Redis | None:
    """The process's Redis client for nonces, or None without ``settings.redis_url``."""
    return _client(settings.redis_url) if settings.redis_url else None


def claim(
    session: Session, redis_or_none: redis.Redis | None, nonce: str, expires_at: datetime
) -> None:
    """Record ``nonce`` as used until ``expires_at``; ``PersonalCodeReplayed`` if it was."""
    if redis_or_none is not None:
        try:
            if _claim_in_redis(redis_or_none, nonce, expires_at):
                return
            raise PersonalCodeReplayed()
        except redis.RedisError as exc:
            log.warning("nonce store redis failed (%s); using the database", type(exc).__name__)
    if not repository.insert_nonce(session, nonce, expires_at):
        raise PersonalCodeReplayed()


def _claim_in_redis(client: redis.Redis, nonce: str, expires_at: datetime) -> bool:
    return bool(client.set(KEY_PREFIX + nonce, b"1", nx=True, ex=_seconds_left(expires_at)))


def async_redis_for(settings: Settings) -> aioredis.Redis | None:
    """A Redis client for async callers (one per app: its connections belong to one loop)."""
    if not settings.redis_url:
        return None
    # No per-read socket timeout (each would arm a timer on the event loop): callers bound
    # a whole call with ``asyncio.timeout(REDIS_TIMEOUT_S)``.
    return aioredis.Redis.from_url(settings.redis_url, socket_connect_timeout=REDIS_TIMEOUT_S)


async def claim_in_redis(client: aioredis.Redis, nonce: str, expires_at: datetime) -> bool | None:
    """``claim`` in Redis from async code: True when claimed now, False when it was already
    (a replay), None when Redis failed (the caller claims in the database instead)."""
    try:
        async with asyncio.timeout(REDIS_TIMEOUT_S):
            claimed = await client.set(
                KEY_PREFIX + nonce, b"1", nx=True, ex=_seconds_left(expires_at)
            )
    except (redis.RedisError, TimeoutError) as exc:
        log.warning("nonce store redis failed (%s); using the database", type(exc).__name__)
        return None
    return bool(claimed)


def _seconds_left(expires_at: datetime) -> int:
    return max(1, math.ceil((expires_at - clock.now()).total_seconds()))
