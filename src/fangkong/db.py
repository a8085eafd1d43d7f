"""Engine and session factory. SQLite gets WAL, foreign keys and a busy timeout."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.orm import Session, sessionmaker

SQLITE_BUSY_TIMEOUT_MS = 5000


def _sqlite_pragmas(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    # IMMEDIATE: take SQLite's single write lock at BEGIN. A deferred transaction that reads
    # and then writes fails at once with SQLITE_BUSY when another connection wrote meanwhile
    # (the busy timeout does not apply to that upgrade); an immediate one waits its turn.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str, **kwargs: Any) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        _ensure_sqlite_dir(parsed.database)
        kwargs.setdefault("connect_args", {"check_same_thread": False})
        engine = create_engine(parsed, **kwargs)
        # pysqlite begins transactions lazily and never for SAVEPOINT, so nested
        # transactions would commit for real; take BEGIN into our own hands (SQLAlchemy's
        # documented recipe), which also makes migrations' DDL transactional.
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(parsed, **kwargs)


def _ensure_sqlite_dir(database: str | None) -> None:
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)


class Database:
    """Owns the engine and hands out sessions; tests bind it to one rolled-back connection."""

    def __init__(self, bind: Engine | Connection, *, join_savepoint: bool = False) -> None:
        self.bind = bind
        extra: dict[str, Any] = (
            {"join_transaction_mode": "create_savepoint"} if join_savepoint else {}
        )
        self.sessions = sessionmaker(bind=bind, expire_on_commit=False, **extra)

    @property
    def engine(self) -> Engine:
        return self.bind if isinstance(self.bind, Engine) else self.bind.engine

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A unit of work for CLI commands and jobs: commit once at the end, or roll back."""
        with self.sessions() as session, session.begin():
            yield session
