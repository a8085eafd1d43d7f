"""Per-process caches of the hot path: resolved place codes, operators' venues, the edition.

Each entry lives ``ttl`` seconds; after that the next request reads it again. When that read
fails (the database is down or slow), the old entry is served on: a venue, an operator's
venues and the active edition change rarely, and a door keeps working on what it last knew.
The caches hang on ``app.state``: one per worker process and per test app, never shared
module state (ARCHITECTURE.md, "Scale beyond one machine"). Two threads missing at once both
read the row; only the bookkeeping of the entries is locked.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from sqlalchemy.exc import SQLAlchemyError

K = TypeVar("K")
V = TypeVar("V")


class Unavailable(Exception):
    """The database failed and nothing was cached for that key."""


@dataclass
class TtlCache(Generic[K, V]):
    ttl: float
    size: int = 10_000
    _entries: OrderedDict[K, tuple[float, V]] = field(default_factory=OrderedDict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self, key: K, load: Callable[[K], V]) -> V:
        """The cached value, reloaded when older than ``ttl``; the old one if reloading fails."""
        found = self.fresh(key)
        if found is not None:
            return found
        entry = self._entries.get(key)
        try:
            value = load(key)
        except SQLAlchemyError as exc:
            if entry is None:
                raise Unavailable() from exc
            return entry[1]
        self.put(key, value)
        return value

    def fresh(self, key: K) -> V | None:
        """The entry when younger than ``ttl``, else None (no load: the async path's test)."""
        entry = self._entries.get(key)
        if entry is not None and time.monotonic() - entry[0] < self.ttl:
            return entry[1]
        return None

    def last(self, key: K) -> V | None:
        """The entry of any age, or None (what to serve while the database fails)."""
        entry = self._entries.get(key)
        return entry[1] if entry is not None else None

    def put(self, key: K, value: V) -> None:
        with self._lock:
            self._entries[key] = (time.monotonic(), value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
