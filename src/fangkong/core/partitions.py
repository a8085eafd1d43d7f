"""Tables range-partitioned by local day on PostgreSQL (SQLite: plain tables, every call a no-op).

A partitioned table ``t`` (``scans``) keeps one partition per Asia/Shanghai day,
``partitions.t_YYYYMMDD`` holding ``[local midnight, next local midnight)`` of its instant
column, and ``partitions.t_default`` for any instant no day partition covers (a scanner's
backfill of a day older than the partitions made). The partitions live in their own schema,
out of the way of the application's tables (and of the models-and-migrations comparison).

Why: a bulk ingest of today's scans touches only today's partition, whose indexes are small
enough to stay in memory, instead of random pages of indexes over the whole retention window;
and retention drops a day's partition instead of deleting its rows one by one.

Day partitions are made ahead by the ``scan_partitions`` job (and by the migration that
partitions a table); creating one takes a short exclusive lock on the parent table, so the
request path never does it: a row without its day's partition goes to the default one.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, text

from fangkong.core.clock import LOCAL_TZ

SCHEMA = "partitions"
_NAME = re.compile(r"[a-z_]{1,40}")
_DAY = re.compile(r"_(\d{8})$")


def _checked(table: str) -> str:
    if not _NAME.fullmatch(table):  # names are our own constants, never input
        raise ValueError(f"not a table name: {table!r}")
    return table


def day_bounds(day: date, tz: ZoneInfo = LOCAL_TZ) -> tuple[datetime, datetime]:
    """``[local midnight of day, local midnight of the next day)`` as aware instants."""
    start = datetime.combine(day, time(0), tzinfo=tz)
    return start, datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz)


def day_name(table: str, day: date) -> str:
    return f"{_checked(table)}_{day:%Y%m%d}"


def is_partitioned(connection: Connection, table: str) -> bool:
    if connection.dialect.name != "postgresql":
        return False
    found = connection.execute(
        text("SELECT relkind FROM pg_class WHERE oid = to_regclass(:t)"), {"t": _checked(table)}
    ).scalar()
    return found == "p"


def days(connection: Connection, table: str) -> list[date]:
    """The days that have a partition, oldest first."""
    if not is_partitioned(connection, table):
        return []
    names = connection.execute(
        text(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = to_regclass(:t)"
        ),
        {"t": _checked(table)},
    ).scalars()
    found = [_DAY.search(name) for name in names]
    return sorted(datetime.strptime(m.group(1), "%Y%m%d").date() for m in found if m)


def ensure_days(connection: Connection, table: str, column: str, first: date, last: date) -> int:
    """Make the missing day partitions of ``first``..``last``; how many were made.

    Rows of those days waiting in the default partition move into their day's partition (a
    new partition may not overlap rows of the default one). Serialized per table by a
    transaction-scoped advisory lock; in the caller's transaction.
    """
    if not is_partitioned(connection, table):
        return 0
    table, column = _checked(table), _checked(column)
    connection.execute(text("SELECT pg_advisory_xact_lock(hashtext(:k))"), {"k": f"part:{table}"})
    have = set(days(connection, table))
    made = 0
    day = first
    while day <= last:
        if day not in have:
            _create_day(connection, table, column, day)
            made += 1
        day += timedelta(days=1)
    return made


def _create_day(connection: Connection, table: str, column: str, day: date) -> None:
    start, end = day_bounds(day)
    name, default = day_name(table, day), f"{SCHEMA}.{table}_default"
    bounds = {"start": start, "end": end}
    # Built from checked names and a date, never from input.
    in_day = f"{column} >= :start AND {column} < :end"
    waiting = connection.execute(
        text(f"SELECT EXISTS (SELECT 1 FROM {default} WHERE {in_day})"),  # noqa: S608
        bounds,
    ).scalar()
    if waiting:
        connection.execute(
            text(
                f"CREATE TEMP TABLE partition_move ON COMMIT DROP AS WITH moved AS "  # noqa: S608
                f"(DELETE FROM {default} WHERE {in_day} RETURNING *) SELECT * FROM moved"
            ),
            bounds,
        )
    connection.execute(
        text(
            f"CREATE TABLE {SCHEMA}.{name} PARTITION OF {table} "
            f"FOR VALUES FROM ('{start.isoformat()}') TO ('{end.isoformat()}')"
        )
    )
    if waiting:
        connection.execute(text(f"INSERT INTO {table} SELECT * FROM partition_move"))  # noqa: S608
        connection.execute(text("DROP TABLE partition_move"))


def drop_days_before(connection: Connection, table: str, cutoff: datetime) -> int:
    """Drop the day partitions that end at or before ``cutoff``; the rows they held."""
    if not is_partitioned(connection, table):
        return 0
    gone = 0
    for day in days(connection, table):
        if day_bounds(day)[1] > cutoff:
            break
        name = f"{SCHEMA}.{day_name(table, day)}"
        gone += int(connection.execute(text(f"SELECT count(*) FROM {name}")).scalar_one())  # noqa: S608
        connection.execute(text(f"DROP TABLE {name}"))
    return gone
