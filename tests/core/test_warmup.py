"""A served worker resolves its routes when it starts (``core.warmup``), so no user's first
request to a router waits for FastAPI to work its routes out, and then freezes its heap; test
apps do neither (they share a table resolved once per process, tests/shared_routes.py)."""

from __future__ import annotations

import asyncio
import gc
import weakref

import pytest
from fastapi.testclient import TestClient

from fangkong.core import warmup
from fangkong.main import create_app


def test_the_probe_walks_every_router_and_changes_nothing(settings, db):
    app = create_app(settings, database=db)
    assert asyncio.run(warmup.resolve_routes(app)) == 404
    with TestClient(app, raise_server_exceptions=False) as client:
        assert client.get("/healthz").status_code == 200
        assert client.get("/api/v1/care/requests").status_code == 401  # a late router still answers


@pytest.mark.parametrize(("env", "resolved"), [("demo", 1), ("test", 0)])
def test_a_served_worker_resolves_at_start_up(settings, db, monkeypatch, env, resolved):
    calls: list[object] = []

    async def recorded(app):
        calls.append(app)
        return 404

    monkeypatch.setattr(warmup, "resolve_routes", recorded)
    monkeypatch.setattr(warmup, "freeze_heap", lambda: calls.append("frozen") or 1)
    served = settings.model_copy(update={"env": env, "export_worker": False})  # not this test's
    app = create_app(served, database=db)
    with TestClient(app, raise_server_exceptions=False):
        pass
    assert calls == [app, "frozen"] * resolved


class _Node:
    link: object = None


def test_the_frozen_heap_is_left_out_of_full_collections():
    """What exists when the heap is frozen is no longer walked by the collector; what is made
    afterwards is, and garbage cycles made afterwards are still collected."""
    try:
        frozen = warmup.freeze_heap()
        assert frozen > 1_000 and gc.get_freeze_count() == frozen
        cycle = _Node()
        cycle.link = cycle
        alive = weakref.ref(cycle)
        del cycle
        gc.collect()  # (another thread's allocations may have collected it already)
        assert alive() is None  # the new cycle is gone, found without walking the frozen heap
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()
    assert gc.get_freeze_count() == 0
