"""Overload guard: at most N requests in flight per worker; the rest wait briefly, then 503.

Without a bound, a worker fed faster than it can answer queues every request (in the event
loop, then in the thread pool): every answer gets slower until clients time out, and the
requests it finally serves are ones their callers already gave up on. With a bound, requests
beyond it wait a short while for a slot and are otherwise refused at once with 503
problem+json (``server.overloaded``) and ``Retry-After``, which clients and load balancers
understand; the admitted ones keep their normal latency. uvicorn's ``--limit-concurrency``
counts connections rather than requests and answers plain text, hence this middleware.

The bound is per worker process (``FANGKONG_MAX_INFLIGHT``; 0 turns the guard off) and the
wait is ``FANGKONG_INFLIGHT_WAIT_MS``. The state is an ``InflightLimit`` on the app, made by
``create_app``: nothing lives at module level. Health checks and static files are never
refused: a load balancer must not take a busy worker for a dead one.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from fangkong.core.errors import N_, DomainError
from fangkong.core.http import problem

EXEMPT_PATHS = frozenset({"/healthz", "/readyz"})
EXEMPT_PREFIXES = ("/static/",)
RETRY_AFTER_SECONDS = 1


class Overloaded(DomainError):
    code = "server.overloaded"
    status = 503
    title = N_("The server is busy; please try again in a moment.")


@dataclass(slots=True)
class InflightLimit:
    """Slots for requests in flight in one worker, and how long a request may wait for one.

    The semaphore belongs to the event loop that first uses it; a new loop (a test client
    starts one per session) gets a fresh one, since asyncio primitives cannot cross loops.
    """

    max_inflight: int
    wait_s: float
    admitted: int = 0
    refused: int = 0
    _semaphore: asyncio.Semaphore | None = field(default=None, init=False, repr=False)
    _loop: asyncio.AbstractEventLoop | None = field(default=None, init=False, repr=False)

    def _slots(self) -> asyncio.Semaphore:
        loop = asyncio.get_running_loop()
        if self._semaphore is None or self._loop is not loop:
            self._semaphore, self._loop = asyncio.Semaphore(self.max_inflight), loop
        return self._semaphore

    async def acquire(self) -> bool:
        """Take a slot, waiting at most ``wait_s`` for one; False when none came free."""
        slots = self._slots()
        if slots.locked():
            if self.wait_s <= 0 or not await _acquire_within(slots, self.wait_s):
                self.refused += 1
                return False
        else:
            await slots.acquire()  # a free slot: returns without suspending
        self.admitted += 1
        return True

    def release(self) -> None:
        self._slots().release()


async def _acquire_within(slots: asyncio.Semaphore, wait_s: float) -> bool:
    try:
        async with asyncio.timeout(wait_s):
            await slots.acquire()
    except TimeoutError:
        return False
    return True


def is_exempt(path: str) -> bool:
    return path in EXEMPT_PATHS or path.startswith(EXEMPT_PREFIXES)


class OverloadGuard:
    """Pure ASGI middleware: admit through ``limit`` or answer 503 ``server.overloaded``."""

    def __init__(self, app: ASGIApp, *, limit: InflightLimit) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or is_exempt(scope["path"]):
            await self.app(scope, receive, send)
            return
        if not await self.limit.acquire():
            await refuse(scope, receive, send)
            return
        try:
            await self.app(scope, receive, send)
        finally:
            self.limit.release()


async def refuse(scope: Scope, receive: Receive, send: Send) -> None:
    """503 problem+json (an error page for browsers) in the request's language."""
    request = Request(scope, receive)
    response = problem(
        request,
        status=Overloaded.status,
        code=Overloaded.code,
        title=Overloaded.title,
        detail=None,
    )
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    await response(scope, receive, send)
