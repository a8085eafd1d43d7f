"""Every query of the scan domain. Lists start from ``readable(actor)``, the jurisdiction-scoped
statement; the hot-path statements are built once at import (``bindparam``) and return rows.

Venue names and person names are read by joining ``venues`` and ``people`` here (any
repository may read any table; only their owners write them).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Select, Table, bindparam, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from fangkong.core.pagination import PageParams, fetch_page
from fangkong.core.principal import Principal
from fangkong.core.scoping import within
from fangkong.models import Person, PersonStatus
from fangkong.models.scan import Scan
from fangkong.models.venue import Venue

SCANS = cast(Table, Scan.__table__)  # Core, not the ORM: plain rows, no identity map
HEX = re.compile(r"[0-9a-f]{1,128}")
UNIQUE_KEY = ("venue_id", "person_id", "scanned_at")
COLUMNS = (
    "venue_id", "person_id", "region_code", "scanned_at", "temperature", "mask", "decision",
    "colour", "reasons", "override", "source", "device", "batch", "created_at",
)  # fmt: skip

# Hot path: built once, executed with parameters (ARCHITECTURE.md, "Hot paths").
PERSON_BY_ID_HASH = select(Person.id, Person.status, Person.merged_into_id).where(
    Person.id_number_hash == bindparam("hash")
)
_PG_INSERT = (
    postgresql.insert(SCANS)
    .on_conflict_do_nothing(index_elements=list(UNIQUE_KEY))
    .returning(SCANS.c.id)
)
_SQLITE_INSERT = (
    sqlite.insert(SCANS)
    .on_conflict_do_nothing(index_elements=list(UNIQUE_KEY))
    .returning(SCANS.c.id)
)


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def person_by_id_hash(session: Session, lookup_hash: str) -> int | None:
    """The person with that ID number's keyed hash (a merged record answers the kept one)."""
    row = session.execute(PERSON_BY_ID_HASH, {"hash": lookup_hash}).first()
    if row is None:
        return None
    if row.status == PersonStatus.MERGED and row.merged_into_id is not None:
        return int(row.merged_into_id)
    return int(row.id)


def insert_scan(session: Session, values: dict[str, Any]) -> int | None:
    """Insert one scan; None when the same visit (venue, person, instant) is already there."""
    statement = _PG_INSERT if _dialect(session) == "postgresql" else _SQLITE_INSERT
    return session.connection().execute(statement, values).scalar()


def insert_many(session: Session, rows: Sequence[dict[str, Any]]) -> int:
    """Insert a batch, skipping visits already stored; the number of rows actually inserted.

    Below the ORM and below SQLAlchemy's per-row parameter processing (which costs more than
    the insert itself at bulk sizes): SQLite gets one driver ``executemany`` with values in
    the column types' stored form; PostgreSQL gets a ``COPY`` into a temporary table and one
    ``INSERT ... SELECT ... ON CONFLICT DO NOTHING``. Either way the count comes from the
    driver: a skipped conflict changes no row.
    """
    if not rows:
        return 0
    if _dialect(session) == "postgresql":
        return _copy_insert(session, rows)
    return _sqlite_insert(session, rows)


SQLITE_CACHE_KIB = 65536
_COLUMN_LIST = ", ".join(COLUMNS)
_CONFLICT = f"ON CONFLICT ({', '.join(UNIQUE_KEY)}) DO NOTHING"
# Built from the constant column names above, never from input.
_PLACES = ", ".join("?" * len(COLUMNS))
_SQLITE_MANY = f"INSERT INTO scans ({_COLUMN_LIST}) VALUES ({_PLACES}) {_CONFLICT}"  # noqa: S608
_PG_SELECT = f"SELECT {_COLUMN_LIST} FROM scans WITH NO DATA"  # noqa: S608
_PG_STAGE = f"CREATE TEMP TABLE IF NOT EXISTS scans_ingest ON COMMIT DROP AS {_PG_SELECT}"
_PG_MOVE = (
    f"INSERT INTO scans ({_COLUMN_LIST}) "  # noqa: S608
    f"SELECT {_COLUMN_LIST} FROM scans_ingest {_CONFLICT}"
)


def _sqlite_time(value: datetime) -> str:
    """SQLAlchemy's SQLite DATETIME storage form of a UTC instant (as ``UTCDateTime`` binds)."""
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def _sqlite_insert(session: Session, rows: Sequence[dict[str, Any]]) -> int:
    created = _sqlite_time(rows[0]["created_at"])
    values = [
        (
            r["venue_id"], r["person_id"], r["region_code"], _sqlite_time(r["scanned_at"]),
            r["temperature"], r["mask"], r["decision"], r["colour"],
            json.dumps(r["reasons"]) if r["reasons"] else "[]", r["override"], r["source"],
            r["device"], r["batch"], created,
        )
        for r in rows
    ]  # fmt: skip
    connection = session.connection()
    # The indexes of a large table outgrow SQLite's 2 MB default page cache, and every insert
    # then re-reads index pages; the connection's cache grows for the ingest (memory only).
    connection.exec_driver_sql(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
    return connection.exec_driver_sql(_SQLITE_MANY, values).rowcount


def _copy_insert(session: Session, rows: Sequence[dict[str, Any]]) -> int:
    connection = session.connection()
    connection.exec_driver_sql(_PG_STAGE)
    connection.exec_driver_sql("TRUNCATE scans_ingest")
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    with cursor.copy(f"COPY scans_ingest ({_COLUMN_LIST}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(
                [json.dumps(v) if isinstance(v, list) else v for v in (row[n] for n in COLUMNS)]
            )
    return connection.exec_driver_sql(_PG_MOVE).rowcount


def readable(actor: Principal) -> Select[Scan]:
    return select(Scan).where(within(Scan.region_code, actor.region_code))


def scans_page(
    session: Session,
    actor: Principal,
    page: PageParams,
    *,
    venue_id: int | None,
    person_id: int | None,
) -> tuple[Sequence[Scan], str | None]:
    statement = readable(actor)
    if venue_id is not None:
        statement = statement.where(Scan.venue_id == venue_id)
    if person_id is not None:
        statement = statement.where(Scan.person_id == person_id)
    return fetch_page(session, statement, Scan.id, page, descending=True)


def scans_of_person(session: Session, person_id: int, limit: int) -> Sequence[Any]:
    statement = (
        select(Scan.id, Scan.venue_id, Venue.name.label("venue_name"), Scan.scanned_at,
               Scan.decision, Scan.colour, Scan.reasons)
        .outerjoin(Venue, Venue.id == Scan.venue_id)
        .where(Scan.person_id == person_id)
        .order_by(Scan.scanned_at.desc())
        .limit(limit)
    )  # fmt: skip
    return session.execute(statement).all()


def stays(session: Session, person_id: int, start: datetime, end: datetime) -> Sequence[Any]:
    statement = (
        select(Scan.venue_id, Venue.name.label("venue_name"), Scan.scanned_at)
        .outerjoin(Venue, Venue.id == Scan.venue_id)
        .where(Scan.person_id == person_id, Scan.scanned_at >= start, Scan.scanned_at < end)
        .order_by(Scan.scanned_at)
    )
    return session.execute(statement).all()


def at_venue(
    session: Session, venue_id: int, start: datetime, end: datetime, exclude: int
) -> Sequence[Any]:
    """Who was scanned at a venue in [start, end]: served by ix_scans_venue_time alone."""
    statement = (
        select(Scan.person_id, Scan.scanned_at, Person.name)
        .outerjoin(Person, Person.id == Scan.person_id)
        .where(
            Scan.venue_id == venue_id,
            Scan.scanned_at >= start,
            Scan.scanned_at <= end,
            Scan.person_id != exclude,
        )
        .order_by(Scan.scanned_at)
    )
    return session.execute(statement).all()


def checkins_at(session: Session, venue_id: int, start: datetime, limit: int) -> Sequence[Any]:
    statement = (
        select(Scan.id, Scan.scanned_at, Scan.decision, Scan.colour, Scan.reasons, Scan.source,
               Scan.override, Person.name)
        .outerjoin(Person, Person.id == Scan.person_id)
        .where(Scan.venue_id == venue_id, Scan.scanned_at >= start)
        .order_by(Scan.scanned_at.desc())
        .limit(limit)
    )  # fmt: skip
    return session.execute(statement).all()


def venues_by_id(session: Session, ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    """id → (region_code, type) of active venues, in one query."""
    wanted = list(set(ids))
    if not wanted:
        return {}
    statement = select(Venue.id, Venue.region_code, Venue.type).where(
        Venue.id.in_(wanted), Venue.active.is_(True)
    )
    return {row.id: (row.region_code, row.type) for row in session.execute(statement)}


def people_by_id(session: Session, ids: Iterable[int]) -> set[int]:
    """Which of ``ids`` are people. The ids are inlined as integer literals: SQLAlchemy's
    expanding parameters cost more than the query itself for 10,000 of them."""
    wanted = sorted({int(i) for i in ids})
    if not wanted:
        return set()
    sql = f"SELECT id FROM people WHERE id IN ({','.join(map(str, wanted))})"  # noqa: S608 - ints
    return {row[0] for row in session.connection().exec_driver_sql(sql)}


def people_by_hash(session: Session, hashes: Iterable[str]) -> dict[str, int]:
    """Keyed hash → person (the kept one when merged); hashes are our own hex digests."""
    wanted = sorted(set(hashes))
    if not wanted:
        return {}
    if not all(HEX.fullmatch(h) for h in wanted):
        raise ValueError("a lookup hash must be hex")
    listed = ",".join(f"'{h}'" for h in wanted)
    sql = (
        f"SELECT id_number_hash, id, merged_into_id FROM people WHERE id_number_hash IN ({listed})"  # noqa: S608
    )
    return {row[0]: int(row[2] or row[1]) for row in session.connection().exec_driver_sql(sql)}


def venue_names(session: Session, ids: Iterable[int]) -> dict[int, str]:
    wanted = list(set(ids))
    if not wanted:
        return {}
    return dict(session.execute(select(Venue.id, Venue.name).where(Venue.id.in_(wanted))).all())
