"""Scans (扫码): one row per entry at a venue, from a check-in, a door scanner or a bulk file.

No foreign keys on ``venue_id`` and ``person_id``: scans arrive at city-wide peaks and in
files of millions of rows, and a foreign key costs an index probe per row on every insert
(and a lock on the parent row on PostgreSQL). The writers resolve both ids before inserting
(the entry check through the place code and the personal code, the bulk ingest in bulk), and
a merged person's scans keep the old id, which the tracing queries follow through
``people.merged_into_id``. ``region_code`` is the venue's, copied so that scoping a list
needs no join.

On PostgreSQL the table is range-partitioned by Asia/Shanghai day (migration 0008,
``fangkong.core.partitions``): a day's bulk ingest keeps to that day's small indexes, and
retention drops whole days. There the primary key is (id, scanned_at), as a partitioned
table's keys must hold the partition column; ids still come from one sequence.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    ColumnElement,
    Float,
    Index,
    Integer,
    String,
    UniqueConstraint,
    func,
    literal_column,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from fangkong.core import clock
from fangkong.models.base import Base, JSONType, region_code_type
from fangkong.models.retention import DeleteOlderThan, SettingsWindow, retention

# Scans are kept ``retention_scans_days`` even during the emergency (tracing looks back).
SCAN_WINDOW = SettingsWindow("retention_scans_days")

# On SQLite a scan's day is the first ten characters of its stored instant, a UTC
# 'YYYY-MM-DD' (``UTCDateTime`` stores ISO text). The expression is written out with literal
# numbers: SQLite uses an index on an expression only for the very same expression, and a
# bound ``?`` for 1 or 10 would not be.
SCAN_DAY_SQL = "substr(scanned_at, 1, 10)"


class Scan(Base):
    __tablename__ = "scans"

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    venue_id: Mapped[int] = mapped_column(Integer)
    person_id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"))
    region_code: Mapped[str] = mapped_column(region_code_type())
    scanned_at: Mapped[datetime] = mapped_column()
    temperature: Mapped[float | None] = mapped_column(Float)
    mask: Mapped[bool | None] = mapped_column(Boolean)
    decision: Mapped[str] = mapped_column(String(8))  # allow | deny | manual
    colour: Mapped[str] = mapped_column(String(8))
    reasons: Mapped[list[Any]] = mapped_column(JSONType)  # reason codes, e.g. ["entry.fever"]
    override: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(String(16))  # checkin | door | bulk
    device: Mapped[str | None] = mapped_column(String(64))
    batch: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)

    __table_args__ = (
        # Four indexes, two of them cheap to keep up under a bulk ingest (keys that only grow):
        # - pk_scans (id): the ORM's identity; ids grow, every insert appends.
        # - uq_scans_visit (venue, instant, person): a re-sent scan (same venue, person and
        #   instant) is the same scan (idempotent ingest, ``ON CONFLICT``), and the same index
        #   answers "who was at this venue between t1 and t2" without touching the table
        #   (companions, today's check-ins at a venue).
        # - a person's stays and latest scans: on PostgreSQL ix_scans_person (person, instant)
        #   in each day partition; on SQLite, with no partitions, ix_scans_person_day (day,
        #   person, instant), so that a day's visits fill one new stretch of the index
        #   rather than changing pages all over it. Its queries name their days
        #   (``person_days``). SQLite cannot reflect an index on an expression: a batch
        #   migration that rebuilds ``scans`` on SQLite must create it again.
        # - ix_scans_region_id (region, id): jurisdiction-scoped lists paged by id, newest
        #   first; ids grow, so inserts append at one place per region.
        # Retention deletes by age once a day with one scan of the table: no index of its own.
        UniqueConstraint("venue_id", "scanned_at", "person_id", name="uq_scans_visit"),
        Index("ix_scans_person", "person_id", "scanned_at").ddl_if(dialect="postgresql"),
        Index("ix_scans_person_day", text(SCAN_DAY_SQL), "person_id", "scanned_at").ddl_if(
            dialect="sqlite"
        ),
        Index("ix_scans_region_id", "region_code", "id"),
        retention(DeleteOlderThan("scanned_at", SCAN_WINDOW)),
    )


def scan_day() -> ColumnElement[str]:
    """The scan's UTC day as SQLite stores it: the leading key of ``ix_scans_person_day``."""
    return func.substr(Scan.scanned_at, literal_column("1"), literal_column("10"))


def utc_days(first: datetime, last: datetime) -> list[str]:
    """The UTC days from ``first`` to ``last`` inclusive, as 'YYYY-MM-DD'."""
    day, end = first.astimezone(UTC).date(), last.astimezone(UTC).date()
    return [(day + timedelta(days=n)).isoformat() for n in range((end - day).days + 1)]


def person_days(dialect: str, first: datetime, last: datetime) -> tuple[ColumnElement[bool], ...]:
    """The condition that lets a person query of scans from ``first`` to ``last`` seek
    ``ix_scans_person_day`` on SQLite, one range per day; nothing on PostgreSQL, whose day
    partitions ``scanned_at`` alone prunes."""
    if dialect != "sqlite":
        return ()
    return (scan_day().in_(utc_days(first, last)),)
