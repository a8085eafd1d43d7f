"""A served worker resolves its routes when it starts (``core.warmup``), so no user's first
request to a router waits for FastAPI to work its routes out; test apps do not (they share a
table resolved once per process, tests/shared_routes.py)."""

from __future__ import annotations

import asyncio

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
    app = create_app(settings.model_copy(update={"env": env}), database=db)
    with TestClient(app, raise_server_exceptions=False):
        pass
    assert calls == [app] * resolved
