"""Rate limits of the entry check and check-in: per scanning device and per venue.

They count in the app's limiter storage (``core.ratelimit``: Redis when configured, else the
worker's memory) under their own names, with the windows of ``rate_limit_scan_device`` and
``rate_limit_scan_venue``. Over a limit: 429 with ``Retry-After``. A failing Redis lets the
request through, as for the other limits.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from fastapi import Request
from limits import RateLimitItem, parse_many

from fangkong.config import Settings
from fangkong.core.principal import Principal
from fangkong.core.ratelimit import limiter

log = logging.getLogger(__name__)
DEVICE_HEADER = "x-device-id"


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


def device_key(request: Request, actor: Principal | None, fallback: str) -> str:
    """The scanner's own id when it sends one, else the signed-in user (or ``fallback``)."""
    device = request.headers.get(DEVICE_HEADER, "").strip()[:64]
    if device:
        return f"device:{device}"
    return f"user:{actor.id}" if actor is not None else fallback


async def _hit(request: Request, items: tuple[RateLimitItem, ...], kind: str, key: str) -> None:
    await limiter(request).hit_items(items, kind, key)
