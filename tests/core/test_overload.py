"""The overload guard admits up to N requests in flight, lets others wait briefly, refuses the rest.

Slots are held by an inner app that blocks on an event until the test lets it go, so every
case is decided by the order of events, never by how fast the machine is.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import httpx2 as httpx

from fangkong.config import Settings
from fangkong.core.overload import InflightLimit, Overloaded, OverloadGuard
from fangkong.main import create_app
from loops import awaited
from shared_routes import with_shared_routes

BASE = "http://testserver"
DEADLOCK_S = 60


class HeldApp:
    """An inner ASGI app whose requests stay in flight until ``release`` is set."""

    def __init__(self) -> None:
        self.release = asyncio.Event()
        self.entered = 0

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        self.entered += 1
        await self.release.wait()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})


def run(test: Callable[[], Awaitable[None]]) -> None:
    # A guard against a deadlock (a broken guard would hold a request forever), not a speed check.
    awaited(asyncio.wait_for(test(), timeout=DEADLOCK_S))


async def until(condition: Callable[[], bool]) -> None:
    """Yield to the loop until ``condition`` holds (the other tasks have reached their await)."""
    for _ in range(1000):
        if condition():
            return
        await asyncio.sleep(0)
    raise AssertionError("condition never held")


def guarded(inner: Any, *, slots: int, wait_s: float) -> tuple[InflightLimit, httpx.AsyncClient]:
    limit = InflightLimit(slots, wait_s)
    transport = httpx.ASGITransport(app=OverloadGuard(inner, limit=limit))
    return limit, httpx.AsyncClient(transport=transport, base_url=BASE)


def assert_overloaded(response: httpx.Response) -> None:
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["retry-after"] == "1"
    body = response.json()
    assert body["code"] == "server.overloaded" == Overloaded.code
    assert body["status"] == 503
    assert body["type"].endswith("/server.overloaded")


def test_requests_beyond_the_slots_are_refused_and_admitted_again_once_slots_free() -> None:
    async def scenario() -> None:
        inner = HeldApp()
        limit, client = guarded(inner, slots=2, wait_s=0.01)
        async with client:
            holders = [asyncio.create_task(client.get("/api/v1/people")) for _ in range(2)]
            await until(lambda: inner.entered == 2)
            assert_overloaded(await client.get("/api/v1/people?lang=en"))
            assert inner.entered == 2  # the refused request never reached the app
            inner.release.set()
            assert [r.status_code for r in await asyncio.gather(*holders)] == [200, 200]
            after = await client.get("/api/v1/people")
        assert after.status_code == 200 and after.text == "ok"
        assert (limit.admitted, limit.refused) == (3, 1)

    run(scenario)


def test_a_request_waiting_for_a_slot_is_admitted_when_one_frees_in_time() -> None:
    async def scenario() -> None:
        inner = HeldApp()
        limit, client = guarded(inner, slots=1, wait_s=60.0)
        async with client:
            first = asyncio.create_task(client.get("/api/v1/people"))
            await until(lambda: inner.entered == 1)
            second = asyncio.create_task(client.get("/api/v1/people"))
            for _ in range(20):  # let the second request reach its wait for a slot
                await asyncio.sleep(0)
            assert inner.entered == 1
            inner.release.set()
            statuses = [r.status_code for r in await asyncio.gather(first, second)]
        assert statuses == [200, 200]
        assert (limit.admitted, limit.refused) == (2, 0)
        assert inner.entered == 2

    run(scenario)


def test_without_a_wait_a_full_worker_refuses_at_once() -> None:
    async def scenario() -> None:
        inner = HeldApp()
        limit, client = guarded(inner, slots=1, wait_s=0)
        async with client:
            holder = asyncio.create_task(client.get("/api/v1/regions"))
            await until(lambda: inner.entered == 1)
            assert_overloaded(await client.get("/api/v1/regions"))
            inner.release.set()
            assert (await holder).status_code == 200
        assert limit.refused == 1

    run(scenario)


def test_health_checks_and_static_files_pass_when_every_slot_is_taken() -> None:
    async def scenario() -> None:
        inner = HeldApp()
        limit, client = guarded(inner, slots=1, wait_s=0)
        async with client:
            holder = asyncio.create_task(client.get("/api/v1/people"))
            await until(lambda: inner.entered == 1)
            exempt = [
                asyncio.create_task(client.get(path))
                for path in ("/healthz", "/readyz", "/static/app.css")
            ]
            await until(lambda: inner.entered == 4)  # all three reached the app
            inner.release.set()
            statuses = [r.status_code for r in await asyncio.gather(holder, *exempt)]
        assert statuses == [200, 200, 200, 200]
        assert (limit.admitted, limit.refused) == (1, 0)

    run(scenario)


def test_a_free_slot_is_taken_without_waiting_and_given_back() -> None:
    async def scenario() -> None:
        inner = HeldApp()
        inner.release.set()
        limit, client = guarded(inner, slots=1, wait_s=0)
        async with client:
            statuses = [(await client.get("/api/v1/people")).status_code for _ in range(5)]
        assert statuses == [200] * 5
        assert (limit.admitted, limit.refused) == (5, 0)

    run(scenario)


def _app(settings: Settings, db: Any, **overrides: Any) -> Any:
    return with_shared_routes(create_app(settings.model_copy(update=overrides), database=db))


def test_the_app_refuses_api_and_pages_in_the_callers_language_when_full(
    settings: Settings, db: Any
) -> None:
    app = _app(settings, db, max_inflight=1, inflight_wait_ms=0)
    limit: InflightLimit = app.state.inflight

    async def scenario() -> None:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=BASE) as client:
            assert await limit.acquire()  # the one slot is busy
            api = await client.get("/api/v1/auth/me", headers={"Accept-Language": "en"})
            page = await client.get("/login?lang=en")
            health = await client.get("/healthz")
            limit.release()
            free = await client.get("/api/v1/auth/me")
        assert_overloaded(api)
        assert api.json()["title"] == "The server is busy; please try again in a moment."
        assert api.headers["x-request-id"]
        assert page.status_code == 503 and page.headers["content-type"].startswith("text/html")
        assert "The server is busy" in page.text
        assert health.status_code == 200
        assert free.status_code == 401  # admitted: the route itself answers

    run(scenario)


def test_max_inflight_zero_turns_the_guard_off(settings: Settings, db: Any) -> None:
    app = _app(settings, db, max_inflight=0)
    assert not hasattr(app.state, "inflight")
    assert OverloadGuard not in [m.cls for m in app.user_middleware]
    guarded_app = _app(settings, db, max_inflight=3, inflight_wait_ms=120)
    limit = guarded_app.state.inflight
    assert (limit.max_inflight, limit.wait_s) == (3, 0.12)
