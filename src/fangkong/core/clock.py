"""The only source of "now". Tests and the simulator move time with ``frozen``/``set_offset``.

The offset lives in a ContextVar so concurrent requests and test threads cannot disturb each
other; a simulator process sets it once for its whole run.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

_frozen: ContextVar[datetime | None] = ContextVar("fangkong_frozen_now", default=None)
_offset: ContextVar[timedelta] = ContextVar("fangkong_clock_offset", default=timedelta(0))
LOCAL_TZ = ZoneInfo("Asia/Shanghai")


def now() -> datetime:
    """Current instant, timezone-aware UTC."""
    frozen = _frozen.get()
    if frozen is not None:
        return frozen
    return datetime.now(UTC) + _offset.get()


def local_today(tz: ZoneInfo = LOCAL_TZ) -> date:
    return now().astimezone(tz).date()


def set_offset(offset: timedelta) -> None:
    _offset.set(offset)


@contextmanager
def frozen(at: datetime) -> Iterator[None]:
    """Freeze time at ``at`` (must be aware) inside the block."""
    if at.tzinfo is None:
        raise ValueError("frozen() needs a timezone-aware datetime")
    token = _frozen.set(at.astimezone(UTC))
    try:
        yield
    finally:
        _frozen.reset(token)
