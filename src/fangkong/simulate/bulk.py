"""Bulk inserts for the simulator: ``executemany`` on SQLite, ``COPY`` on PostgreSQL.

Both write inside the session's transaction and store exactly what an ORM insert would: on
SQLite each value goes through the column type's own bind processor (dates and UTC times
become the strings SQLAlchemy writes), on PostgreSQL psycopg adapts the Python values.
Rows are tuples in the order of ``columns``; no defaults are filled in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Protocol

from sqlalchemy import Boolean, Connection, Enum, LargeBinary, Table, func, select
from sqlalchemy.orm import Session

from fangkong.db import sqlite_bulk_cache

# SQL here is built from table and column names of the metadata (quoted), never from input.
Row = tuple[Any, ...]
# sqlite3 stores bool as 0/1 and bytes as a BLOB, which is what these types' processors
# produce, and the simulator passes enum values as their strings: no conversion needed.
DRIVER_NATIVE = (Boolean, Enum, LargeBinary)
Processor = Callable[[Any], Any]


class BulkWriter(Protocol):
    def write(self, table: Table, columns: Sequence[str], rows: Sequence[Row]) -> None: ...

    def set_column(self, table: Table, column: str, values: Sequence[tuple[int, Any]]) -> None:
        """``UPDATE table SET column = value WHERE id = id`` for each (id, value)."""

    def finish(self, tables: Sequence[Table]) -> None:
        """After the last write: whatever the database needs before it is queried."""


@contextmanager
def writer_for(session: Session) -> Iterator[BulkWriter]:
    """The writer for the session's database, on the session's connection and transaction."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        yield PostgresWriter(connection)
        return
    # The unique hash indexes take inserts in random order: a bigger cache for the load only
    # cut a million people's write time by a third.
    with sqlite_bulk_cache(connection):
        yield SqliteWriter(connection)


class SqliteWriter:
    """``executemany`` of one prepared INSERT, values already converted for the driver."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.statements: dict[tuple[str, tuple[str, ...]], tuple[str, list[Any]]] = {}

    def write(self, table: Table, columns: Sequence[str], rows: Sequence[Row]) -> None:
        if not rows:
            return
        sql, converters = self._prepared(table, tuple(columns))
        if converters:
            rows = [_converted(row, converters) for row in rows]
        self.connection.exec_driver_sql(sql, list(rows))

    def set_column(self, table: Table, column: str, values: Sequence[tuple[int, Any]]) -> None:
        if values:
            quote = self.connection.dialect.identifier_preparer.quote
            sql = f"UPDATE {quote(table.name)} SET {quote(column)} = ? WHERE id = ?"  # noqa: S608
            self.connection.exec_driver_sql(sql, [(value, key) for key, value in values])

    def finish(self, tables: Sequence[Table]) -> None:
        """SQLite hands out ``max(id) + 1`` by itself: nothing to move on."""

    def _prepared(
        self, table: Table, columns: tuple[str, ...]
    ) -> tuple[str, list[tuple[int, Processor]]]:
        key = (table.name, columns)
        if key not in self.statements:
            dialect = self.connection.dialect
            quote = dialect.identifier_preparer.quote
            names = ", ".join(quote(name) for name in columns)
            marks = ", ".join("?" for _ in columns)
            sql = f"INSERT INTO {quote(table.name)} ({names}) VALUES ({marks})"  # noqa: S608
            converters = []
            for index, name in enumerate(columns):
                column_type = table.c[name].type
                processor = column_type.dialect_impl(dialect).bind_processor(dialect)
                if processor is not None and not isinstance(column_type, DRIVER_NATIVE):
                    converters.append((index, processor))
            self.statements[key] = (sql, converters)
        return self.statements[key]


def _converted(row: Row, converters: list[tuple[int, Processor]]) -> Row:
    values = list(row)
    for index, processor in converters:
        value = values[index]
        if value is not None:
            values[index] = processor(value)
    return tuple(values)


class PostgresWriter:
    """``COPY ... FROM STDIN`` through psycopg, in the session's transaction."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def write(self, table: Table, columns: Sequence[str], rows: Sequence[Row]) -> None:
        if not rows:
            return
        quote = self.connection.dialect.identifier_preparer.quote
        names = ", ".join(quote(name) for name in columns)
        with (
            self._driver().cursor() as cursor,
            cursor.copy(f"COPY {quote(table.name)} ({names}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)

    def set_column(self, table: Table, column: str, values: Sequence[tuple[int, Any]]) -> None:
        """One statement joining the table to two arrays by primary key."""
        if not values:
            return
        quote = self.connection.dialect.identifier_preparer.quote
        value_type = table.c[column].type.compile(self.connection.dialect)
        sql = (
            f"UPDATE {quote(table.name)} AS t SET {quote(column)} = v.value "  # noqa: S608
            f"FROM unnest(%s::bigint[], %s::{value_type}[]) AS v(id, value) WHERE t.id = v.id"
        )
        keys, new_values = zip(*values, strict=True)
        with self._driver().cursor() as cursor:
            cursor.execute(sql, (list(keys), list(new_values)))

    def _driver(self) -> Any:
        """The psycopg connection under the session's, in the same transaction."""
        return self.connection.connection.driver_connection

    def finish(self, tables: Sequence[Table]) -> None:
        """Statistics for the planner (autovacuum cannot see rows not yet committed, and the
        queries that follow would plan for empty tables), then move each table's id
        sequence past the ids written here."""
        quote = self.connection.dialect.identifier_preparer.quote
        for table in tables:
            self.connection.exec_driver_sql(f"ANALYZE {quote(table.name)}")
            next_id = select(func.coalesce(func.max(table.c.id), 0) + 1).scalar_subquery()
            sequence = func.pg_get_serial_sequence(table.name, "id")
            self.connection.execute(select(func.setval(sequence, next_id, False)))
