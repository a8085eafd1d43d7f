"""Running a coroutine from a synchronous test.

``awaited`` runs it with ``asyncio.run`` on a thread of its own. On Python 3.11 the test's
own thread is sometimes taken as running an event loop after earlier tests in the same
worker (``asyncio.run() cannot be called from a running event loop``, seen a few times in
CI, in tests that had run no loop themselves); a fresh thread starts with no such state."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


def awaited(coroutine: Coroutine[Any, Any, T]) -> T:
    """The coroutine's result, run on a loop of its own in a thread of its own."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
