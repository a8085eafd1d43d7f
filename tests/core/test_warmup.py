"""A served worker resolves its routes when it starts (``core.warmup``), so no user's first
request to a router waits for FastAPI to work its routes out, loads what first requests would
(catalogs, editions, the entry check's state), and then freezes its heap; test apps do none of
it (they share a table resolved once per process, tests/shared_routes.py)."""

from __future__ import annotations

import gc
import weakref

import pytest
from fastapi.testclient import TestClient

from fangkong import main
from fangkong.core import i18n, warmup
from fangkong.main import create_app
from loops import awaited


def test_the_probe_walks_every_router_and_changes_nothing(settings, db):
    app = create_app(settings, database=db)
    assert awaited(warmup.resolve_routes(app)) == 404
    with TestClient(app, raise_server_exceptions=False) as client:
        assert client.get("/healthz").status_code == 200
        assert client.get("/api/v1/care/requests").status_code == 401  # a late router still answers


@pytest.mark.parametrize(("env", "served"), [("demo", True), ("test", True), ("demo", False)])
def test_a_served_worker_resolves_at_start_up(settings, db, monkeypatch, env, served):
    """``fangkong serve`` makes served apps (``app_from_env``), whatever the env; the entry
    check's state exists before the first request, and the heap is frozen after it is made."""
    calls: list[object] = []

    async def recorded(app):
        calls.append(app)
        return 404

    def frozen():
        calls.append(("frozen", getattr(app.state, "scans_hotpath", None) is not None))
        return 1

    monkeypatch.setattr(warmup, "resolve_routes", recorded)
    monkeypatch.setattr(warmup, "freeze_heap", frozen)
    i18n.translations.cache_clear()
    configured = settings.model_copy(update={"env": env, "export_worker": False})
    app = create_app(configured, database=db, served=served)
    with TestClient(app, raise_server_exceptions=False):
        pass
    assert calls == ([app, ("frozen", True)] if served else [])
    loaded = i18n.translations.cache_info().currsize
    assert loaded == (len(i18n.SUPPORTED_LOCALES) if served else 0)


def test_the_served_factory_makes_a_served_app(monkeypatch):
    made: dict[str, object] = {}
    monkeypatch.setattr(main, "create_app", lambda settings, **kw: made.update(kw) or "app")
    monkeypatch.setattr(main, "Settings", lambda: "settings")
    assert main.app_from_env() == "app"
    assert made == {"served": True}


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
