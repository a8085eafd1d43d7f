"""Hot-path reads from ``async`` code: Core selects compiled once, run with the raw driver.

ARCHITECTURE.md ("Hot paths") measured what each layer costs a request on this machine: a
thread-pool hop, an ORM session, a ``select()`` built per request. The entry check reads one
person a request, so here it does so with none of them:

- **PostgreSQL**: a small ``psycopg_pool.AsyncConnectionPool`` of the worker's own
  (autocommit, statements prepared on the server from the first execution), awaited on the
  event loop, so a worker overlaps many reads while the server answers;
- **SQLite**: one connection of the worker's own, outside any transaction (in WAL mode one
  SELECT reads one consistent snapshot next to a writer), run on the event loop itself: a
  read of a few pages from the page cache costs less than the hop to a thread would;
- **a Database bound to one connection** (the tests' rolled-back transaction): that
  connection, so a test sees what it has not committed.

Each ``Prepared`` keeps the SQL text, the parameter order and defaults, and the columns'
result processors, so rows come back exactly as SQLAlchemy would have returned them.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Mapping
from enum import Enum
from typing import Any

import psycopg
from psycopg import AsyncConnection
from psycopg_pool import AsyncConnectionPool
from sqlalchemy import Connection, Engine, Select
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import SQLAlchemyError

POOL_MIN = 2
# What a failed read raises, whichever path ran it (callers answer stale, or 503).
DB_ERRORS = (SQLAlchemyError, sqlite3.Error, psycopg.Error, OSError, TimeoutError)


class Prepared:
    """One Core select, compiled once for one dialect."""

    def __init__(
        self, statement: Select[*tuple[Any, ...]], dialect: Dialect, example: Mapping[str, Any]
    ):
        compiled = statement.compile(dialect=dialect)
        self.statement = statement
        self.sql = str(compiled)
        self.positional = compiled.positiontup is not None
        self.names = list(compiled.positiontup or ())
        self.defaults = {
            name: value.value if isinstance(value, Enum) else value
            for name, value in compiled.construct_params(dict(example)).items()
        }
        self.processors = [
            column.type.dialect_impl(dialect).result_processor(dialect, None)
            for column in statement.selected_columns
        ]

    def parameters(self, values: Mapping[str, Any]) -> list[Any] | dict[str, Any]:
        merged = self.defaults | dict(values)
        if self.positional:
            return [merged[name] for name in self.names]
        return merged

    def row(self, raw: tuple[Any, ...] | None) -> tuple[Any, ...] | None:
        if raw is None:
            return None
        return tuple(p(v) if p else v for p, v in zip(self.processors, raw, strict=True))


class HotReader:
    """Runs ``Prepared`` selects for one process; ``first`` answers the first row or None.

    ``first`` raises what the driver raises, and ``TimeoutError`` after ``timeout`` seconds
    (the wait for a pooled connection included) on PostgreSQL; callers decide what a failed
    read answers."""

    def __init__(self, bind: Engine | Connection, *, pool_size: int, timeout: float) -> None:
        self.bind = bind
        self.dialect = bind.dialect
        self.timeout = timeout
        self.pool_size = pool_size
        self._sqlite: sqlite3.Connection | None = None
        self._pool: AsyncConnectionPool[AsyncConnection[tuple[Any, ...]]] | None = None
        self._opening = asyncio.Lock()

    def prepare(self, statement: Select[*tuple[Any, ...]], example: Mapping[str, Any]) -> Prepared:
        return Prepared(statement, self.dialect, example)

    async def first(self, prepared: Prepared, values: Mapping[str, Any]) -> tuple[Any, ...] | None:
        rows = await self._rows(prepared, values, many=False)
        return rows[0] if rows else None

    async def all(self, prepared: Prepared, values: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        return await self._rows(prepared, values, many=True)

    async def _rows(
        self, prepared: Prepared, values: Mapping[str, Any], *, many: bool
    ) -> list[tuple[Any, ...]]:
        if isinstance(self.bind, Connection):
            result = self.bind.execute(prepared.statement, dict(values))
            return [tuple(row) for row in (result.all() if many else result.fetchmany(1))]
        raw: list[tuple[Any, ...] | None]
        if self.dialect.name == "sqlite":
            raw = self._sqlite_rows(prepared, values, many=many)
        else:
            async with asyncio.timeout(self.timeout):
                pool = await self._open_pool()
                async with pool.connection() as connection:
                    cursor = await connection.execute(prepared.sql, prepared.parameters(values))
                    raw = list(await cursor.fetchall()) if many else [await cursor.fetchone()]
        return [row for row in map(prepared.row, raw) if row is not None]

    def _sqlite_rows(
        self, prepared: Prepared, values: Mapping[str, Any], *, many: bool
    ) -> list[tuple[Any, ...] | None]:
        if self._sqlite is None:
            assert isinstance(self.bind, Engine)
            # A DBAPI connection taken out of SQLAlchemy's pool for good: the engine's connect
            # hook has set WAL and the busy timeout; in autocommit mode nothing opens a BEGIN.
            raw = self.bind.raw_connection()
            raw.detach()
            self._sqlite = raw.dbapi_connection  # type: ignore[assignment]
        assert self._sqlite is not None
        cursor = self._sqlite.execute(prepared.sql, prepared.parameters(values))
        try:
            return list(cursor.fetchall()) if many else [cursor.fetchone()]
        finally:
            cursor.close()

    async def _open_pool(self) -> AsyncConnectionPool[AsyncConnection[tuple[Any, ...]]]:
        if self._pool is None:
            assert isinstance(self.bind, Engine)
            url = self.bind.url.set(drivername="postgresql")
            self._pool = AsyncConnectionPool(
                url.render_as_string(hide_password=False),
                min_size=min(POOL_MIN, self.pool_size),
                max_size=self.pool_size,
                kwargs={"autocommit": True, "prepare_threshold": 0},
                open=False,
            )
        if self._pool.closed:
            async with self._opening:
                if self._pool.closed:
                    await self._pool.open()
        return self._pool

    async def aclose(self) -> None:
        if self._pool is not None:
            await self._pool.close()
            self._pool = None
        self.close_sqlite()

    def close_sqlite(self) -> None:
        if self._sqlite is not None:
            self._sqlite.close()
            self._sqlite = None
