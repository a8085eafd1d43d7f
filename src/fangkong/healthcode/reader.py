"""The hot-path reader of the entry check: one person's colour, reasons, latest negative NAT,
birth date and plain name, in one prepared statement (rows, not entities).

Every answer is kept in a per-process bounded cache (the last answer per person). When the
database raises, or does not answer within ``settings.entry_check_timeout_ms`` (the pool wait
included), the reader answers the cached value marked ``stale=True``, or None if it never saw
the person. The query runs in a small pool of threads so the caller can stop waiting; when all
of them are busy (the database is stuck) it answers from the cache at once instead of queueing,
and recovers by itself as soon as queries return again.

A person with no ``health_codes`` row has never had a fact in force (every fact computes the
code at once), so they read as green with no reasons. A person merged away reads as None.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, fields, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, create_engine, select
from sqlalchemy.engine import Row

from fangkong.config import Settings
from fangkong.hotdb import DB_ERRORS, HotReader, Prepared
from fangkong.models import Person, PersonStatus
from fangkong.models.healthcode import HealthCode, NatNegative
from fangkong.policy.types import Colour

log = logging.getLogger(__name__)
CACHE_SIZE = 200_000
THREADS = 8
WARN_EVERY_SECONDS = 1.0

# Prepared once: SQLAlchemy caches its compiled form, and psycopg prepares it on the server
# after a few executions.
CODE_COLUMNS = (
    HealthCode.colour,
    HealthCode.reasons,
    NatNegative.sampled_at,
    Person.birth_date,
    Person.name,
)
LOOKUP = (
    select(*CODE_COLUMNS)
    .select_from(Person)
    .outerjoin(HealthCode, HealthCode.person_id == Person.id)
    .outerjoin(NatNegative, NatNegative.person_id == Person.id)
    .where(Person.id == bindparam("person_id"), Person.status == PersonStatus.ACTIVE)
)
# The person behind an ID number's keyed hash (a merged record points at the kept one), with
# the same columns as LOOKUP: a door that types an ID number costs one read, not two.
PERSON_BY_HASH = (
    select(Person.id, Person.status, Person.merged_into_id, *CODE_COLUMNS)
    .select_from(Person)
    .outerjoin(HealthCode, HealthCode.person_id == Person.id)
    .outerjoin(NatNegative, NatNegative.person_id == Person.id)
    .where(Person.id_number_hash == bindparam("hash"))
)


@dataclass(frozen=True)
class CodeSnapshot:
    colour: str
    reasons: tuple[str, ...]
    last_negative_sampled_at: datetime | None
    birth_date: date | None
    name: str | None  # plain: callers mask it (fangkong.core.masking.mask_person_name)
    stale: bool = False


SNAPSHOT_FIELDS = tuple(field.name for field in fields(CodeSnapshot))


@dataclass(frozen=True)
class Found:
    person_id: int
    snapshot: CodeSnapshot | None


class _Cache:
    """The last answer per person, least recently used out first; thread-safe.

    Entries are kept as plain tuples, not ``CodeSnapshot`` objects: a tuple of strings, dates
    and ``None`` is dropped from the garbage collector's tracking at its first pass, so a
    full cache (200,000 people) adds about 11 ms to a worker's full collections instead of 44
    (bench/BENCHMARKS.md); the snapshot is rebuilt on the rare read (a stale answer)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[int, tuple[Any, ...] | None] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, person_id: int, snapshot: CodeSnapshot | None) -> None:
        packed = None if snapshot is None else _packed(snapshot)
        with self._lock:
            self._items[person_id] = packed
            self._items.move_to_end(person_id)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def get(self, person_id: int) -> CodeSnapshot | None:
        with self._lock:
            packed = self._items.get(person_id)
        return None if packed is None else CodeSnapshot(*packed)


def _packed(snapshot: CodeSnapshot) -> tuple[Any, ...]:
    """The snapshot's fields in order, not copied (``dataclasses.astuple`` deep-copies)."""
    return tuple(getattr(snapshot, name) for name in SNAPSHOT_FIELDS)


def _snapshot(row: Row[Any] | tuple[Any, ...] | None) -> CodeSnapshot | None:
    if row is None:
        return None
    colour, reasons, sampled_at, birth_date, name = tuple(row)
    return CodeSnapshot(
        colour=colour or Colour.GREEN.value,
        reasons=tuple(reasons or ()),
        last_negative_sampled_at=sampled_at,
        birth_date=birth_date,
        name=name,
    )


class _SqliteLookup:
    """SQLite: the compiled lookup on the pool's DBAPI connection, outside a transaction.

    The engine's ``begin`` hook opens every SQLAlchemy transaction with ``BEGIN IMMEDIATE``
    (SQLite's one write lock), right for units of work but a needless queue for a single read:
    in autocommit mode one SELECT already reads one consistent snapshot (WAL), next to writers.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.prepared = Prepared(LOOKUP, engine.dialect, {"person_id": 0})

    def __call__(self, person_id: int) -> CodeSnapshot | None:
        raw = self.engine.raw_connection()
        try:
            cursor = raw.cursor()
            try:
                cursor.execute(
                    self.prepared.sql, self.prepared.parameters({"person_id": person_id})
                )
                row = cursor.fetchone()
            finally:
                cursor.close()
        finally:
            raw.close()
        return _snapshot(self.prepared.row(row))


def _reader_engine(engine: Engine, threads: int) -> Engine:
    """A pool of the reader's own (PostgreSQL): one connection per reader thread, so a busy app
    pool never delays a lookup; autocommit, as one SELECT needs no transaction (no BEGIN and
    ROLLBACK round trips); no pre-ping: a dropped connection fails one lookup, which answers
    from the cache, and is replaced."""
    return create_engine(
        engine.url,
        pool_size=threads,
        max_overflow=0,
        pool_pre_ping=False,
        isolation_level="AUTOCOMMIT",
    )


class CodeReader:
    def __init__(
        self,
        engine: Engine | Connection,
        settings: Settings,
        *,
        cache_size: int = CACHE_SIZE,
        threads: int = THREADS,
    ) -> None:
        self.bind = engine
        self._sqlite: _SqliteLookup | None = None
        self._own_engine: Engine | None = None
        if isinstance(engine, Engine) and engine.dialect.name == "sqlite":
            self._sqlite = _SqliteLookup(engine)
        elif isinstance(engine, Engine):
            self._own_engine = _reader_engine(engine, threads)
            self.bind = self._own_engine
        self.timeout = settings.entry_check_timeout_ms / 1000
        self.cache = _Cache(cache_size)
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="code-reader")
        self._slots = threading.BoundedSemaphore(threads)
        self._last_warning = -WARN_EVERY_SECONDS
        # The entry check's own path: awaited on the event loop, no thread (``hotdb``).
        self.hot = HotReader(engine, pool_size=threads, timeout=self.timeout)
        self._hot_lookup = self.hot.prepare(LOOKUP, {"person_id": 0})
        self._hot_by_hash = self.hot.prepare(PERSON_BY_HASH, {"hash": ""})

    async def lookup_async(self, person_id: int) -> CodeSnapshot | None:
        """``lookup`` for async callers: the same answers, stale from the cache on failure."""
        try:
            row = await self.hot.first(self._hot_lookup, {"person_id": person_id})
        except DB_ERRORS as exc:  # the door still gets an answer
            return self._stale(person_id, type(exc).__name__)
        snapshot = _snapshot(row)
        self.cache.put(person_id, snapshot)
        return snapshot

    async def person_by_hash(self, id_hash: str) -> Found | None:
        """The person of an ID number's keyed hash and their snapshot, or None when nobody
        has that number; raises what the database raises (there is nobody to answer for)."""
        row = await self.hot.first(self._hot_by_hash, {"hash": id_hash})
        if row is None:
            return None
        person_id, status, merged_into = row[:3]
        if status == PersonStatus.MERGED and merged_into is not None:
            return Found(int(merged_into), await self.lookup_async(int(merged_into)))
        snapshot = _snapshot(row[3:]) if status == PersonStatus.ACTIVE else None
        self.cache.put(int(person_id), snapshot)
        return Found(int(person_id), snapshot)

    def query(self, person_id: int) -> CodeSnapshot | None:
        """The database's answer, no cache, no timeout (raises what the database raises)."""
        if self._sqlite is not None:
            return self._sqlite(person_id)
        if isinstance(self.bind, Connection):
            return _snapshot(self.bind.execute(LOOKUP, {"person_id": person_id}).first())
        with self.bind.connect() as connection:
            return _snapshot(connection.execute(LOOKUP, {"person_id": person_id}).first())

    def _run(self, person_id: int) -> CodeSnapshot | None:
        try:
            return self.query(person_id)
        finally:
            self._slots.release()

    def lookup(self, person_id: int) -> CodeSnapshot | None:
        if not self._slots.acquire(blocking=False):
            return self._stale(person_id, "all reader threads are waiting on the database")
        try:
            future: Future[CodeSnapshot | None] = self._pool.submit(self._run, person_id)
        except RuntimeError:  # the pool was shut down
            self._slots.release()
            return self._stale(person_id, "reader closed")
        try:
            snapshot = future.result(timeout=self.timeout)
        except FutureTimeout:
            return self._stale(person_id, "timeout")
        except Exception as exc:  # the database failed: answer what we knew
            return self._stale(person_id, type(exc).__name__)
        self.cache.put(person_id, snapshot)
        return snapshot

    def _stale(self, person_id: int, why: str) -> CodeSnapshot | None:
        now = time.monotonic()
        if now - self._last_warning >= WARN_EVERY_SECONDS:  # no log flood under overload
            self._last_warning = now
            log.warning("health-code read answered from the cache", extra={"why": why})
        known = self.cache.get(person_id)
        return replace(known, stale=True) if known is not None else None

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        self.hot.close_sqlite()
        if self._own_engine is not None:
            self._own_engine.dispose()

    async def aclose(self) -> None:
        """``close``, and the async pool of the hot path (at the app's shutdown)."""
        await self.hot.aclose()
        self.close()
