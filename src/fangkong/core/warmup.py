"""Routes resolved when a served worker starts, not on its users' first requests.

FastAPI works out an included router's routes (their dependencies, parameter and response
models) on the first request that reaches the router, once per app: on this machine about a
second for the first routers and several for the last ones, paid by whichever user first
opens a page of each. A served worker does it at start-up instead: one request, answered
inside the process without the middleware, to a path no route matches, walks every router.
"""

from __future__ import annotations

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
