"""Engine and session factory. SQLite gets WAL, foreign keys and a busy timeout."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, cast

import orjson
import psycopg
from psycopg.types.json import Json, Jsonb
from sqlalchemy import JSON, Engine, Table, any_, bindparam, create_engine, event, func, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import QueryableAttribute, Session, make_transient_to_detached, sessionmaker
from sqlalchemy.sql.elements import ColumnElement

SQLITE_BUSY_TIMEOUT_MS = 5000
# Reads of the database file through a memory map rather than a read call per page: a day's
# 870,000 scans into a table of 30,000,000 went in 13 % faster (less time in the kernel). An
# upper bound of address space, not memory: the pages are the operating system's file cache.
SQLITE_MMAP_BYTES = 16 * 1024**3


def _sqlite_pragmas(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")
    cursor.close()


# The execution option of ``Database.reads``: its transactions only read.
READS_ONLY = "fangkong_reads_only"


def _sqlite_begin(connection: Connection) -> None:
    # IMMEDIATE: take SQLite's single write lock at BEGIN. A deferred transaction that reads
    # and then writes fails at once with SQLITE_BUSY when another connection wrote meanwhile
    # (the busy timeout does not apply to that upgrade); an immediate one waits its turn.
    # A transaction that only reads (``Database.reads``) takes no lock: in WAL mode it reads
    # one snapshot next to the writer instead of queueing behind it.
    if connection.get_execution_options().get(READS_ONLY):
        connection.exec_driver_sql("BEGIN")
    else:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def json_text(value: Any) -> str:
    """The text of a JSON column's value, by orjson: about seven times as fast as
    ``json.dumps`` (a day's secondary contacts write two documents each: their link's
    evidence and their audit row). Keys that are not strings are written as strings, as
    ``json.dumps`` writes them; text is UTF-8, not ``\\u`` escapes."""
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine whose JSON columns are written by ``json_text`` and read by orjson."""
    parsed = make_url(url)
    kwargs.setdefault("json_serializer", json_text)
    kwargs.setdefault("json_deserializer", orjson.loads)
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


# Measured on a people import of 1,000,000 rows: 2 MB (the default) ~100 µs of CPU per row in
# the writing process, 128 MB ~75 µs, 256 MB ~70 µs, 512 MB no better.
BULK_CACHE_KIB = 256 * 1024


@contextmanager
def sqlite_bulk_cache(connection: Connection, kib: int = BULK_CACHE_KIB) -> Iterator[None]:
    """On SQLite, a page cache of ``kib`` KiB on this connection while the block runs, the
    earlier size restored afterwards (elsewhere nothing). A bulk write into a large table
    updates indexes whose keys arrive out of order (keyed hashes, people, venues): with the
    default 2 MB cache most index pages are read back from the OS and written again for every
    few rows. Memory only, and given back when the block ends."""
    if connection.dialect.name != "sqlite":
        yield
        return
    before = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size = -{int(kib)}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size = {int(before or -2000)}")


class Database:
    """Owns the engine and hands out sessions; tests bind it to one rolled-back connection."""

    def __init__(self, bind: Engine | Connection, *, join_savepoint: bool = False) -> None:
        self.bind = bind
        extra: dict[str, Any] = (
            {"join_transaction_mode": "create_savepoint"} if join_savepoint else {}
        )
        self.sessions = sessionmaker(bind=bind, expire_on_commit=False, **extra)
        # Sessions that only read. On SQLite they do not wait for the write lock (a writer
        # holding it for a while made an API request's user look-up wait the whole busy
        # timeout, then fail: bench/BENCHMARKS.md); a flush in one is refused. A test's
        # connection is shared as it is (its options would change for every session).
        reading = bind.execution_options(**{READS_ONLY: True}) if isinstance(bind, Engine) else bind
        self.reads = sessionmaker(bind=reading, expire_on_commit=False, **extra)
        event.listen(self.reads, "before_flush", _refuse_flush)

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


def _refuse_flush(session: Session, _context: Any, _instances: Any) -> None:
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("a Database.reads() session only reads; use Database.sessions()")


def among(
    session: Session | Connection,
    column: ColumnElement[Any] | QueryableAttribute[Any],
    values: Iterable[Any],
) -> ColumnElement[bool]:
    """``column IN values`` for the long lists of a batch's look-ups. PostgreSQL gets the
    values as one array parameter (``column = ANY(%s)``, the form its planner turns an IN list
    into anyway): the client no longer parses, nor the server plans, a statement of hundreds
    of placeholders on every call (200 look-ups of 500 people by id: 1.45 s as IN, 0.47 s as
    ANY). SQLite has no arrays: a plain IN, kept by the callers' chunks under its limit of
    bound variables."""
    bind = session.get_bind() if isinstance(session, Session) else session
    if bind.dialect.name == "postgresql":
        return column == any_(bindparam(None, list(values), type_=ARRAY(column.type)))
    return column.in_(list(values))


def likely(session: Session | Connection, condition: ColumnElement[bool]) -> ColumnElement[bool]:
    """``condition``, marked on SQLite as true for most rows (its ``likely(X)``). SQLite plans
    without statistics of a table's values (none unless ``ANALYZE`` ran), so it takes an
    equality on an indexed column for a selective one: a status that most rows share then
    wins over a selective ``IN`` list on another index. Deleting the open tests of 500
    placements read every open test of the city that way, for each 500 (33 s of a 30-day
    outbreak on 1,000,000 people). PostgreSQL plans from its statistics: the condition as
    it is."""
    bind = session.get_bind() if isinstance(session, Session) else session
    if bind.dialect.name == "sqlite":
        return cast("ColumnElement[bool]", func.likely(condition))
    return condition


def bulk_insert(
    connection: Connection,
    table: Table,
    rows: list[dict[str, Any]],
    *,
    ids: list[int] | None = None,
) -> None:
    """Insert many ``rows`` (dicts with the same keys; with ``ids``, each row's ``id`` from
    that list, in order) into ``table``, each value bound as
    SQLAlchemy binds it (the column type's processor, applied only where the type has one)
    and the Python-side defaults of the columns the rows leave out filled in, as a Core insert
    does. PostgreSQL gets them by binary ``COPY``: the server then skips planning and
    executing one statement per row, and the client the statement's parameters (a pushed
    list's 180,000 arrival tasks took 6.6 s by ``executemany``); the binary format spares the
    client formatting every value as text (1.1 s for those tasks, 0.15 s in binary). SQLite:
    one ``executemany`` of positional rows (a Core insert builds and processes a dict of
    parameters per row: 180,000 arrival tasks into an empty table took 2.7-3.1 s that way,
    2.5-2.6 s positional)."""
    if not rows:
        return
    plan = _BulkPlan(connection.dialect, table, list(rows[0]), with_id=ids is not None)
    made = (plan.values(row) for row in rows) if ids is None else (
        plan.values(row, n) for row, n in zip(rows, ids, strict=True))  # fmt: skip
    if connection.dialect.name != "postgresql":
        connection.exec_driver_sql(plan.insert_sql(), list(made))
        return
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        with cursor.copy(plan.copy_sql()) as copy:
            copy.set_types([_copy_type(c, connection.dialect) for c in plan.columns])
            for values in made:
                copy.write_row(values)
    except psycopg.IntegrityError as error:  # as SQLAlchemy raises it for its statements
        raise IntegrityError(plan.copy_sql(), None, error) from error


class _BulkPlan:
    """The columns of a bulk insert (the rows' keys, ``id`` when given apart, then the
    defaulted ones) and how each row's values are made: the Python defaults called, the bind
    processors applied."""

    def __init__(self, dialect: Any, table: Table, given: list[str], *, with_id: bool) -> None:
        named = [*given, "id"] if with_id else given
        defaulted = [c for c in table.columns if c.name not in named and _python_default(c)]
        self.columns = [table.c[name] for name in named] + defaulted
        self.table, self.dialect, self.given = table, dialect, given
        self.binders = [(n, bind) for n, bind in enumerate(_binders(dialect, self.columns))
                        if bind is not None]  # fmt: skip
        self.fills = [_python_default(c) for c in defaulted]

    def values(self, row: dict[str, Any], *given_apart: Any) -> tuple[Any, ...]:
        values = [row[name] for name in self.given]
        values += given_apart
        values += [fill() for fill in self.fills]
        for n, bind in self.binders:
            if values[n] is not None:
                values[n] = bind(values[n])
        return tuple(values)

    def _names(self) -> tuple[str, str]:
        quote = self.dialect.identifier_preparer
        names = ", ".join(quote.quote(c.name) for c in self.columns)
        return quote.format_table(self.table), names

    def insert_sql(self) -> str:
        target, names = self._names()  # the table's own names, quoted by the dialect
        marks = ", ".join("?" * len(self.columns))
        return f"INSERT INTO {target} ({names}) VALUES ({marks})"  # noqa: S608

    def copy_sql(self) -> str:
        target, names = self._names()
        return f"COPY {target} ({names}) FROM STDIN (FORMAT BINARY)"


def _binders(dialect: Any, columns: list[Any]) -> list[Callable[[Any], Any] | None]:
    """Each column's bind processor; remembering (below) where it pays: JSON everywhere, and
    every processor on SQLite (its instants and days are written as text)."""
    sqlite = dialect.name == "sqlite"
    found: list[Callable[[Any], Any] | None] = []
    for column in columns:
        impl = column.type.dialect_impl(dialect)
        faster = getattr(column.type, "bulk_bind", None)  # UTCDateTime's, on SQLite
        bind = (faster and faster(dialect)) or impl.bind_processor(dialect)
        if bind is not None and (sqlite or isinstance(impl, JSON)):
            encode = None if sqlite else _json_encoder(dialect)
            bind = _remembering(bind, instants=sqlite, encode=encode)
        found.append(bind)
    return found


def _json_encoder(dialect: Any) -> Callable[[Any], Any]:
    """On PostgreSQL, a bound JSON value (psycopg's ``Json``/``Jsonb`` wrapper, which the
    driver serializes again each time it is written) made into one that carries its text,
    serialized once by the function the connection would use (the engine's
    ``json_serializer``, else ``json_text``): the rows of a bulk insert that share a list
    then share its text too (a pushed list's 84,000 trips have three JSON columns each)."""
    serialize = getattr(dialect, "_json_serializer", None) or json_text

    def encode(bound: Any) -> Any:
        if not isinstance(bound, Json | Jsonb):
            return bound
        text = (bound.dumps or serialize)(bound.obj)
        data = text.encode() if isinstance(text, str) else text  # as psycopg would send it
        return type(bound)(bound.obj, dumps=lambda _obj: data)

    return encode


def _remembering(
    bind: Callable[[Any], Any], *, instants: bool, encode: Callable[[Any], Any] | None = None
) -> Callable[[Any], Any]:
    """``bind``, applied once to each distinct short list (and with ``instants``, each instant
    and day) of one bulk insert. A batch's rows share many of them (``["pushed"]``, ``[]``,
    the instant they were made, a trip's arrival on each of its tasks), and binding one costs
    a microsecond or more where a dictionary hit costs a fraction of that: JSON, and instants
    and days as SQLite's text (on PostgreSQL they cost less than the look-up).

    The keys keep apart what binds differently though equal in Python: a datetime outside UTC
    goes with its offset (one instant in two zones is two keys: a column without a zone writes
    two wall times), a date as itself (it never equals a datetime), a list of strings and
    integers with its items' types (``[1]``, ``["1"]``; ``[True]`` and anything else are
    bound each time). ``encode`` (``_json_encoder``) is applied to a remembered bound value
    once, when it is first bound."""
    known: dict[Any, Any] = {}

    def process(value: Any) -> Any:
        kind = type(value)
        if instants and kind is datetime:
            key = value if value.tzinfo is UTC else (value, value.utcoffset())
        elif instants and kind is date:
            key = value
        elif kind is list and all(type(item) is str or type(item) is int for item in value):
            key = (*map(type, value), *value)
        else:
            return bind(value)
        try:
            return known[key]
        except KeyError:
            bound = bind(value) if encode is None else encode(bind(value))
            known[key] = bound
            return bound

    return process


def _copy_type(column: Any, dialect: Any) -> str:
    """The PostgreSQL type name of ``column`` for a binary COPY (``VARCHAR(16) COLLATE "C"``
    is ``varchar``; SQLAlchemy's ``FLOAT`` is PostgreSQL's ``double precision``)."""
    name = column.type.compile(dialect=dialect).split("(")[0].split(" COLLATE ")[0]
    name = name.strip().lower()
    return "float8" if name == "float" else name


def insert_objects(session: Session, objects: Sequence[Any]) -> None:
    """New ORM objects of one mapped class, their primary keys set, inserted by one
    ``bulk_insert`` without the unit of work, whose bookkeeping of each object costs more
    than its row (the sampled tubes of a simulated outbreak's key-group schedules). A column
    an object leaves unset takes its Python default, set on the object too, or NULL, so that
    nothing is left to load once ``attach_stored`` has made them the session's. For plain
    rows only: no relationship is cascaded and no flush event runs; a column with a
    server-side default must be set."""
    if not objects:
        return
    mapper = sa_inspect(type(objects[0]))
    table = mapper.local_table
    columns = [(mapper.get_property_by_column(column).key, column) for column in table.columns]
    rows = []
    for obj in objects:
        loaded = obj.__dict__
        for key, column in columns:
            if key not in loaded:
                if column.server_default is not None:
                    raise ValueError(f"{table.name}.{column.name} has a server default: set it")
                fill = _python_default(column)
                setattr(obj, key, fill() if fill else None)
        rows.append({column.name: loaded[key] for key, column in columns})
    bulk_insert(session.connection(), table, rows)


def attach_stored(session: Session, objects: Sequence[Any]) -> None:
    """Objects whose rows ``insert_objects`` wrote, attached to the session as if just
    loaded: persistent, nothing to flush. After the insert's savepoint, if it had one: a
    rolled-back savepoint would leave them in the session without their rows."""
    for obj in objects:
        make_transient_to_detached(obj)
        session.add(obj)


def _python_default(column: Any) -> Any:
    """A column's Python-side default as a function of nothing (None: it has none)."""
    default = column.default
    if default is None or not (default.is_scalar or default.is_callable):
        return None
    if default.is_scalar:
        return lambda value=default.arg: value
    return lambda function=default.arg: function(None)


def insert_with_ids(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> list[int]:
    """Insert ``rows`` into ``table`` (primary key ``id``) in bulk (``bulk_insert``); the new
    ids, in the rows' order.

    The ids are chosen first and sent with the rows, not read back by ``INSERT … RETURNING``:
    many rows returning their ids go as statements of a thousand rows each (SQLAlchemy's
    "insertmanyvalues"), on PostgreSQL each hundreds of kilobytes of SQL that the driver
    parses again, uncached (130 ms a statement for 1,000 trips: 13 s of a 100,000-row pushed
    list), and on SQLite in no set order. PostgreSQL draws them from the table's sequence in
    one query; SQLite counts on from the largest id, which is safe because its transactions
    hold the database's single write lock from their start (``BEGIN IMMEDIATE``, above)."""
    if not rows:
        return []
    ids = new_ids(connection, table, len(rows))
    bulk_insert(connection, table, rows, ids=ids)
    return ids


def new_ids(connection: Connection, table: Table, count: int) -> list[int]:
    """``count`` ids for new rows of ``table`` (primary key ``id``), drawn before the insert
    (see ``insert_with_ids``). ORM objects given them before a flush go in as one
    ``executemany``: without ids the ORM inserts them one at a time on SQLite, as it must read
    each new id back and SQLite's ``RETURNING`` of a batch comes in no set order."""
    if count <= 0:
        return []
    if connection.dialect.name == "postgresql":
        sequence = func.pg_get_serial_sequence(table.name, "id")
        return [int(n) for n in connection.scalars(
            select(func.nextval(sequence)).select_from(func.generate_series(1, count))
        )]  # fmt: skip
    first = int(connection.scalar(select(func.coalesce(func.max(table.c.id), 0))) or 0) + 1
    return list(range(first, first + count))
