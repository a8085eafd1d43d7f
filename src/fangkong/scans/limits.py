"""Rate limits of the entry check and check-in: per scanning device and per venue.

They count in the app's limiter storage (``core.ratelimit``: Redis when configured, else the
worker's memory) under their own names, with the windows of ``rate_limit_scan_device`` and
``rate_limit_scan_venue``. Over a limit: 429 with ``Retry-After``. While Redis fails they are
counted in the worker's memory, as the other limits are.

The API's entry check takes one Redis round trip for all of it (``admit``): a Lua script
checks the device's and the venue's counters, counts the request in both, and claims the
personal code's nonce (citizens.nonces) only when both limits pass, atomically. Those
counters are fixed windows (``INCR`` on a key per window, expiring with it) rather than the
moving windows of ``limits``: a device may then get up to twice its limit across a window's
edge, the price of one round trip instead of three on the busiest route (bench/BENCHMARKS.md).
Without Redis, or when the script fails, the entry check counts as the other routes do and
the nonce is claimed on its own.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from dataclasses import dataclass, replace
from functools import lru_cache

import redis.asyncio as aioredis
from fastapi import Request
from limits import RateLimitItem, parse_many
from redis.commands.core import AsyncScript
from redis.exceptions import RedisError
from starlette.exceptions import HTTPException

from fangkong.citizens.errors import PersonalCodeReplayed
from fangkong.citizens.nonces import KEY_PREFIX as NONCE_PREFIX
from fangkong.citizens.nonces import REDIS_TIMEOUT_S
from fangkong.config import Settings
from fangkong.core.principal import Principal
from fangkong.core.ratelimit import HTTP_TOO_MANY_REQUESTS, limiter
from fangkong.scans.checks import EntryRequest

log = logging.getLogger(__name__)
DEVICE_HEADER = "x-device-id"
COUNTER_PREFIX = "fangkong:scan-limit:"
REPLAYED = -1
# KEYS: the counters, then the nonce key when ARGV[1] is "1". ARGV: has-nonce, the nonce's
# seconds, then per counter its limit and its window in seconds. Answers {0, 0} when admitted,
# {i, ms} when counter i is used up for ms more, {-1, 0} when the nonce was claimed before.
GATE = """
local counters = #KEYS - tonumber(ARGV[1])
for i = 1, counters do
  local used = tonumber(redis.call('GET', KEYS[i]) or '0')
  if used >= tonumber(ARGV[2 * i + 1]) then
    return {i, redis.call('PTTL', KEYS[i])}
  end
end
for i = 1, counters do
  if redis.call('INCR', KEYS[i]) == 1 then
    redis.call('EXPIRE', KEYS[i], ARGV[2 * i + 2])
  end
end
if ARGV[1] == '1' and not redis.call('SET', KEYS[#KEYS], '1', 'NX', 'EX', ARGV[2]) then
  return {-1, 0}
end
return {0, 0}
"""


@dataclass(frozen=True)
class ScanLimits:
    device: tuple[RateLimitItem, ...]
    venue: tuple[RateLimitItem, ...]

    @classmethod
    def from_settings(cls, settings: Settings) -> ScanLimits:
        return cls(
            tuple(parse_many(settings.rate_limit_scan_device)),
            tuple(parse_many(settings.rate_limit_scan_venue)),
        )

    async def hit_device(self, request: Request, key: str) -> None:
        await _hit(request, self.device, "scan_device", key)

    async def hit_venue(self, request: Request, venue_id: int) -> None:
        await _hit(request, self.venue, "scan_venue", str(venue_id))

    async def admit(
        self,
        request: Request,
        client: aioredis.Redis | None,
        device: str,
        venue_id: int,
        entry: EntryRequest,
    ) -> EntryRequest:
        """Count the entry check and claim its nonce in one Redis round trip; ``entry``
        without its nonce when claimed here. 429 over a limit, 409 for a replayed code."""
        if client is not None:
            try:
                async with asyncio.timeout(REDIS_TIMEOUT_S):
                    answer = await self._gate(client, device, venue_id, entry)
            except (RedisError, TimeoutError):
                log.warning("scan gate: redis failed; counting the slow way")
            else:
                return _admitted(answer, entry)
        await self.hit_device(request, device)
        await self.hit_venue(request, venue_id)
        return entry

    async def _gate(
        self, client: aioredis.Redis, device: str, venue_id: int, entry: EntryRequest
    ) -> list[int]:
        now = time.time()
        keys, argv = [], ["1" if entry.nonce else "0", str(_seconds_left(entry, now))]
        for name, who, items in (("device", device, self.device), ("venue", venue_id, self.venue)):
            for item in items:
                seconds = item.get_expiry()
                window = int(now // seconds)
                keys.append(f"{COUNTER_PREFIX}{name}:{item.amount}/{seconds}:{who}:{window}")
                argv += [str(item.amount), str(seconds)]
        if entry.nonce:
            keys.append(NONCE_PREFIX + entry.nonce[0])
        answer: list[int] = await _script(client)(keys=keys, args=argv)
        return answer


def device_key(request: Request, actor: Principal | None, fallback: str) -> str:
    """The scanner's own id when it sends one, else the signed-in user (or ``fallback``)."""
    device = request.headers.get(DEVICE_HEADER, "").strip()[:64]
    if device:
        return f"device:{device}"
    return f"user:{actor.id}" if actor is not None else fallback


@lru_cache(maxsize=8)
def _script(client: aioredis.Redis) -> AsyncScript:
    """The gate registered with ``client`` (EVALSHA; loaded again if Redis restarted)."""
    return client.register_script(GATE)


def _admitted(answer: list[int], entry: EntryRequest) -> EntryRequest:
    which, wait_ms = int(answer[0]), int(answer[1])
    if which == REPLAYED:
        raise PersonalCodeReplayed()
    if which > 0:
        wait = max(1, math.ceil(wait_ms / 1000))
        raise HTTPException(HTTP_TOO_MANY_REQUESTS, headers={"Retry-After": str(wait)})
    return replace(entry, nonce=None)


def _seconds_left(entry: EntryRequest, now: float) -> int:
    if entry.nonce is None:
        return 0
    return max(1, math.ceil(entry.nonce[1].timestamp() - now))


async def _hit(request: Request, items: tuple[RateLimitItem, ...], kind: str, key: str) -> None:
    await limiter(request).hit_items(items, kind, key)
