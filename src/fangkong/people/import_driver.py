"""Bulk writes of the people import through the database driver, inside the session's
transaction: ``executemany`` of one prepared statement on SQLite, ``COPY`` (binary) and
``UPDATE ... FROM unnest(arrays)`` on PostgreSQL; ids reserved a batch at a time.

Rows are tuples in the order of their ``columns``; ``constants`` (timestamps, a status) complete
every row and are converted once. On SQLite each value still goes through its column type's
bind processor (dates and UTC times become the strings SQLAlchemy writes); psycopg adapts
Python values itself. So the rows hold exactly what an ORM insert would store.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Connection,
    Date,
    DateTime,
    Enum,
    Integer,
    LargeBinary,
    String,
    Table,
    TypeDecorator,
    text,
)
from sqlalchemy.orm import Session
from sqlalchemy.schema import AddConstraint, DropConstraint

from fangkong.db import sqlite_bulk_cache
from fangkong.people.import_store import max_id

# While a large file loads into a smaller table, only the indexes its lookups use stay; the others
# are built again at the end (sorted, once), which on 1,000,000 people saves more than it costs.
MATCH_KEY_INDEX = "ix_people_match_key"
KEPT_WHILE_LOADING = frozenset({"ix_people_id_number_hash", MATCH_KEY_INDEX})
# The foreign keys a first load into an empty registry drops on PostgreSQL and adds again at the
# end (see ``deferred_foreign_keys``): those between people and households, which the load holds
# alone anyway. Not those to ``regions``: dropping them would lock every region (and with them
# every page and API call that reads one) until the load commits.
CHECKED_AFTER_FIRST_LOAD = frozenset(
    {"fk_people_household_id_households", "fk_households_head_id_people"}
)
# For those rebuilds on PostgreSQL, for this transaction only (the default is 64 MB).
BUILD_MEMORY = "256MB"

_NEXT_IDS = text(
    "SELECT array_agg(nextval(pg_get_serial_sequence(:table, 'id'))) FROM generate_series(1, :n)"
)


_SKIP_IDS = text(
    "SELECT setval(pg_get_serial_sequence(:table, 'id'), "
    "nextval(pg_get_serial_sequence(:table, 'id')) + :n)"
)


@contextmanager
def bulk_cache(session: Session, *, large: bool) -> Iterator[None]:
    """For a large import on SQLite, a larger page cache while it runs; restored afterwards.

    Inserting into the people table updates six indexes, three of them on random keyed hashes,
    so each row touches pages all over the file. Only for large files (the CLI's): a server
    process would keep the memory after an upload.
    """
    if not large:
        yield
        return
    with sqlite_bulk_cache(session.connection()):
        yield


@contextmanager
def deferred_indexes(
    session: Session, table: Table, *, rows_expected: int, keep: frozenset[str]
) -> Iterator[bool]:
    """Load ``rows_expected`` rows into ``table`` with its secondary indexes other than ``keep``
    dropped, and build them again afterwards; yields whether it did.

    Only when the load is larger than the table (its highest id bounds its rows): a city's
    first load, not a district's update. Inserting a row updates every index, and an index on
    random values (names, keyed hashes) touches a different page for each row; building it
    once at the end sorts instead. Everything happens in the caller's transaction, so a failed
    load that is rolled back gets its indexes back. Meanwhile the table is locked: on
    PostgreSQL other sessions' queries on it wait until the load commits.
    """
    dropped = [index for index in table.indexes if index.name not in keep]
    if not dropped or rows_expected <= max_id(session, table):
        yield False
        return
    connection = session.connection()
    for index in dropped:
        index.drop(connection)
    yield True
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"SET LOCAL maintenance_work_mem = '{BUILD_MEMORY}'")
    for index in dropped:
        index.create(connection)
    if connection.dialect.name == "postgresql":
        # Fresh statistics: the planner would otherwise see the table as it was before.
        connection.exec_driver_sql(
            f"ANALYZE {connection.dialect.identifier_preparer.quote(table.name)}"
        )


@contextmanager
def deferred_foreign_keys(
    session: Session, tables: Iterable[Table], *, names: frozenset[str]
) -> Iterator[bool]:
    """On PostgreSQL, the foreign keys of ``tables`` named in ``names`` dropped while the
    caller loads, and added back afterwards; yields whether it dropped any.

    PostgreSQL checks a foreign key with a trigger per inserted or updated row, which looks up
    the referenced row and locks it (``FOR KEY SHARE``): for a person, its grid and its
    household, more server time than inserting the row itself. Adding the key back checks
    every row in one join, and fails (so the caller's transaction rolls back, with the keys)
    if any row has no referenced row. Dropping a key locks both of its tables (even against
    reads) until the transaction ends, which is why only keys among tables the load already
    holds belong in ``names``.
    SQLite's checks are a cheap index lookup, and it cannot drop a constraint: left alone.
    """
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        yield False
        return
    dropped = [
        key for table in tables for key in table.foreign_key_constraints if key.name in names
    ]
    for key in dropped:
        connection.execute(DropConstraint(key))
    yield bool(dropped)
    for key in dropped:
        connection.execute(AddConstraint(key))


def reserve_ids(session: Session, table: Table, count: int, *, held: bool = False) -> list[int]:
    """``count`` fresh ids for ``table``: from its sequence on PostgreSQL; on SQLite above the
    current maximum, which is safe because the import's transaction began IMMEDIATE and holds
    the database's only write lock until it ends.

    ``held``: this transaction holds ``table`` exclusively (its indexes were dropped), so no
    other session can draw from its sequence meanwhile, and the sequence is moved once instead
    of once per id (each ``nextval`` costs the server a few microseconds)."""
    if count == 0:
        return []
    if session.get_bind().dialect.name == "postgresql":
        if held:
            last: int = session.scalar(_SKIP_IDS, {"table": table.name, "n": count - 1})
            return list(range(last - count + 1, last + 1))
        ids: list[int] = session.scalar(_NEXT_IDS, {"table": table.name, "n": count})
        return sorted(ids)
    start = max_id(session, table) + 1
    return list(range(start, start + count))


def insert_rows(
    session: Session,
    table: Table,
    columns: Sequence[str],
    rows: Sequence[tuple[Any, ...]],
    constants: Mapping[str, Any],
) -> None:
    """Insert ``rows`` (tuples in the order of ``columns``), each completed by ``constants``."""
    if not rows:
        return
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        _copy(connection, table, columns, rows, constants)
    else:
        _executemany(connection, table, columns, rows, constants)


def _column_list(connection: Connection, table: Table, names: Iterable[str]) -> str:
    quote = connection.dialect.identifier_preparer.quote
    return f"{quote(table.name)} ({', '.join(quote(name) for name in names)})"


def _copy(
    connection: Connection,
    table: Table,
    columns: Sequence[str],
    rows: Sequence[tuple[Any, ...]],
    constants: Mapping[str, Any],
) -> None:
    fixed = _fixed(connection, table, constants)
    names = (*columns, *constants)
    target = _column_list(connection, table, names)
    psycopg_connection: Any = connection.connection.driver_connection
    cursor = psycopg_connection.cursor()
    # Binary: no text round trip of ciphertexts (hex), dates and times on either side.
    with cursor.copy(f"COPY {target} FROM STDIN (FORMAT BINARY)") as copy:
        copy.set_types([_binary_type(table.c[name].type) for name in names])
        for row in rows:
            copy.write_row(row + fixed)


def _binary_type(column_type: Any) -> str:
    """The PostgreSQL type psycopg must send a column's values as, in a binary COPY."""
    for kind, name in _BINARY_TYPES:
        if isinstance(column_type, kind):
            return name
    raise TypeError(f"no binary COPY type for {column_type!r}")


def _executemany(
    connection: Connection,
    table: Table,
    columns: Sequence[str],
    rows: Sequence[tuple[Any, ...]],
    constants: Mapping[str, Any],
) -> None:
    fixed = _fixed(connection, table, constants)
    converters = [
        (index, convert)
        for index, name in enumerate(columns)
        if (convert := _converter(table, name, connection)) is not _as_is
    ]
    if converters:
        completed = [_converted(row, converters, fixed) for row in rows]
    else:
        completed = [row + fixed for row in rows]
    target = _column_list(connection, table, (*columns, *constants))
    marks = ", ".join("?" * (len(columns) + len(constants)))
    # Identifiers come from the table's metadata, every value is a bound parameter.
    sql = f"INSERT INTO {target} VALUES ({marks})"  # noqa: S608
    connection.exec_driver_sql(sql, completed)


Convert = Callable[[Any], Any]
_BINARY_TYPES: tuple[tuple[type[Any], str], ...] = (
    (BigInteger, "int8"),
    (Integer, "int4"),
    (Enum, "text"),  # before String: an Enum is a String
    (String, "text"),
    (LargeBinary, "bytea"),
    (Boolean, "bool"),
    (DateTime, "timestamptz"),
    (Date, "date"),
    (TypeDecorator, "timestamptz"),  # UTCDateTime, the only decorated type these tables use
)
# sqlite3 stores bool as 0/1 and bytes as a BLOB already, and enum values arrive as strings.
_DRIVER_NATIVE = (Boolean, Enum, LargeBinary)


def _as_is(value: Any) -> Any:
    return value


def _converter(table: Table, name: str, connection: Connection) -> Convert:
    dialect = connection.dialect
    column_type = table.c[name].type
    if isinstance(column_type, _DRIVER_NATIVE):
        return _as_is
    processor: Convert | None = column_type.dialect_impl(dialect).bind_processor(dialect)
    if processor is None:
        return _as_is
    if type(column_type) is Date and all(processor(d) == d.isoformat() for d in _SAMPLE_DATES):
        # SQLite's date processor formats a dict per value (1.3 µs, a people row's costliest
        # step in this process); its default format is ISO 8601, which ``isoformat`` writes.
        return date.isoformat
    return processor


# Four-digit years (ISO pads them, as the default storage format does) and two-digit days.
_SAMPLE_DATES = (date(1, 1, 1), date(987, 6, 5), date(1990, 12, 31), date(9999, 12, 31))


def _converted(
    row: tuple[Any, ...], converters: list[tuple[int, Convert]], fixed: tuple[Any, ...]
) -> tuple[Any, ...]:
    """The row with its values converted, and the constants after them."""
    values = [*row, *fixed]
    for index, convert in converters:
        if values[index] is not None:
            values[index] = convert(values[index])
    return tuple(values)


def update_rows(
    session: Session,
    table: Table,
    columns: Sequence[str],
    rows: Sequence[tuple[Any, ...]],
    constants: Mapping[str, Any],
) -> None:
    """``UPDATE table SET columns, constants WHERE id = ...`` for each row ``(*values, id)``,
    through the driver like ``insert_rows``: on SQLite an executemany, on PostgreSQL one
    ``UPDATE ... FROM unnest(arrays)`` (one round trip, not one per row)."""
    if not rows:
        return
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        _update_from_arrays(connection, table, columns, rows, constants)
        return
    quote = connection.dialect.identifier_preparer.quote
    fixed = _fixed(connection, table, constants)
    assignments = ", ".join(f"{quote(name)} = ?" for name in (*columns, *constants))
    # Identifiers come from the table's metadata, every value is a bound parameter.
    sql = f"UPDATE {quote(table.name)} SET {assignments} WHERE id = ?"  # noqa: S608
    connection.exec_driver_sql(sql, [row[:-1] + fixed + row[-1:] for row in rows])


def _update_from_arrays(
    connection: Connection,
    table: Table,
    columns: Sequence[str],
    rows: Sequence[tuple[Any, ...]],
    constants: Mapping[str, Any],
) -> None:
    dialect, quote = connection.dialect, connection.dialect.identifier_preparer.quote
    names = (*columns, "id")
    arrays = ", ".join(
        f"CAST(%s AS {table.c[name].type.compile(dialect=dialect)}[])" for name in names
    )
    assignments = ", ".join(
        [f"{quote(name)} = k.{quote(name)}" for name in columns]
        + [f"{quote(name)} = %s" for name in constants]
    )
    target = quote(table.name)
    # Identifiers come from the table's metadata, every value is a bound parameter.
    sql = (
        f"UPDATE {target} SET {assignments} FROM unnest({arrays}) "  # noqa: S608
        f"AS k ({', '.join(quote(name) for name in names)}) WHERE {target}.id = k.id"
    )
    columns_of_rows = [list(values) for values in zip(*rows, strict=True)]
    connection.exec_driver_sql(sql, (*constants.values(), *columns_of_rows))


def _fixed(connection: Connection, table: Table, constants: Mapping[str, Any]) -> tuple[Any, ...]:
    """The constants as the driver takes them (converted once, not once per row)."""
    if connection.dialect.name == "postgresql":
        return tuple(constants.values())
    return tuple(
        None if v is None else _converter(table, name, connection)(v)
        for name, v in constants.items()
    )
