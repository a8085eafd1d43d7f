"""Keep each test's writes inside its rolled-back transaction on SQLite too.

The root ``db`` fixture joins sessions to an outer transaction with savepoints. pysqlite (in
its legacy transaction mode) sends no BEGIN, so a SAVEPOINT opens the transaction itself and
its RELEASE, on every ``session.commit()`` and every request, commits for good: rows leak
into later tests. Here the connection is put in driver autocommit mode and BEGIN is sent
explicitly (SQLAlchemy's documented pysqlite recipe), so savepoints nest inside a transaction
that the rollback really undoes. PostgreSQL needs nothing of this.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from fangkong.db import Database


@pytest.fixture
def db(engine: Engine) -> Iterator[Database]:
    connection = engine.connect()
    sqlite = engine.dialect.name == "sqlite"
    if sqlite:
        connection.connection.driver_connection.isolation_level = None  # type: ignore[union-attr]
    transaction = connection.begin()
    if sqlite:
        connection.exec_driver_sql("BEGIN")
    try:
        yield Database(connection, join_savepoint=True)
    finally:
        transaction.rollback()
        if sqlite:
            connection.connection.driver_connection.isolation_level = ""  # type: ignore[union-attr]
        connection.close()
