"""Test apps share one resolved route table per test process.

FastAPI resolves the routes of each included router (dependencies, parameter and response
models) on an app's first request that reaches them, and it does so per app: with this app's
routers that costs about a second for the first routers and several for the last ones
(``care``), on every new app. The suite makes an app per test (``app_client``), so each test
paid it again. The route table does not depend on the settings or the database: ``create_app``
includes the same routers and the same static mount whatever they are. So the routes are
resolved once per process, on an app that never serves, and every test app takes that table;
its settings, state, middleware, lifespan and handlers stay its own (handlers find the app
through the request). Dependency overrides are read through the app the routes were resolved
on, so the test app shares that one mapping: an override set on the test app still applies.

An app whose route table differs from the shared one (another ``create_app``) keeps its own.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.routing import BaseRoute

from fangkong.config import Settings
from fangkong.core import security
from fangkong.main import create_app

# A path no route matches: answering it walks, and so resolves, every router.
_NOWHERE = "/__shared-routes-warm-up__"


@cache
def _resolved() -> FastAPI:
    keys = {"secret_key": security.new_key(), "data_key": security.new_key()}
    app = create_app(Settings(env="test", database_url="sqlite://", log_json=False, **keys))  # type: ignore[arg-type]
    client = TestClient(app, raise_server_exceptions=False)  # no lifespan: no worker starts
    assert client.get(_NOWHERE).status_code == 404
    return app


def _shape(routes: list[BaseRoute]) -> list[tuple[Any, ...]]:
    """What makes two route tables the same: the routers included, in order, and the mounts."""
    return [
        (
            type(route).__name__,
            id(getattr(route, "original_router", None)),
            getattr(route, "path", None),
        )
        for route in routes
    ]


def with_shared_routes(app: FastAPI) -> FastAPI:
    """``app`` with the process's resolved route table, when its own is the same table."""
    resolved = _resolved()
    if _shape(app.router.routes) != _shape(resolved.router.routes):
        return app
    app.router.routes[:] = resolved.router.routes
    app.dependency_overrides = resolved.dependency_overrides
    return app
