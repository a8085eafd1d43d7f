"""Keep each auth test's writes inside its rolled-back transaction on SQLite too.

The root ``db`` fixture joins sessions to an outer transaction with savepoints. pysqlite, in
its legacy transaction mode, sends no BEGIN, so the first SAVEPOINT opens the transaction
itself and its RELEASE (every ``session.commit()`` and every request) commits for good: rows
leak into later tests (``make_tree`` then fails on the second test). Here the connection is put
in driver autocommit mode and BEGIN is sent explicitly (SQLAlchemy's documented pysqlite
recipe), so savepoints nest in a transaction that the rollback really undoes. PostgreSQL needs
none of this. Remove this file once the root fixture (or ``fangkong.db``) does the same.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from fangkong.db import Database


@pytest.fixture
def db(engine: Engine) -> Iterator[Database]:
    connection = engine.connect()
    driver = connection.connection.driver_connection
    # Only when the driver still runs its own legacy transactions; a fixed engine needs nothing.
    legacy_sqlite = engine.dialect.name == "sqlite" and driver.isolation_level is not None
    if legacy_sqlite:
        driver.isolation_level = None
    transaction = connection.begin()
    if legacy_sqlite:
        connection.exec_driver_sql("BEGIN")
    try:
        yield Database(connection, join_savepoint=True)
    finally:
        transaction.rollback()
        if legacy_sqlite:
            driver.isolation_level = ""
        connection.close()
