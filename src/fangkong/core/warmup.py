"""A served worker's start-up: routes resolved before its users' first requests, and the
heap that start-up built kept out of the garbage collector's full passes.

FastAPI works out an included router's routes (their dependencies, parameter and response
models) on the first request that reaches the router, once per app: on this machine about a
second for the first routers and several for the last ones, paid by whichever user first
opens a page of each. A served worker does it at start-up instead: one request, answered
inside the process without the middleware, to a path no route matches, walks every router.

Start-up leaves a few hundred thousand long-lived objects (modules, routes, models, templates,
policy editions). Python's collector walks all of them in each full collection, which a
worker's requests trigger every few seconds: 50 to 200 ms added to whichever request is
running (the command dashboard's p99 at 1,000,000 people was twice its median). Frozen
(``gc.freeze``) once start-up is done, they are no longer walked; what requests create is
collected as before.
"""

from __future__ import annotations

import gc
from collections.abc import MutableMapping
from typing import Any

from starlette.applications import Starlette

PROBE = "/__resolve-routes__"


async def resolve_routes(app: Starlette) -> int:
    """Walks every route of ``app`` once; the status the probe was answered with (404)."""
    answered: dict[str, int] = {}
    scope: dict[str, Any] = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
        "scheme": "http", "path": PROBE, "raw_path": PROBE.encode(), "root_path": "",
        "query_string": b"", "headers": [], "client": None, "server": None,
    }  # fmt: skip

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: MutableMapping[str, Any]) -> None:
        if message["type"] == "http.response.start":
            answered["status"] = message["status"]

    await app.router(scope, receive, send)
    return answered.get("status", 0)


def freeze_heap() -> int:
    """Collect start-up's garbage, then freeze what is left; how many objects were frozen."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
