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

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, Float, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from fangkong.core import clock
from fangkong.models.base import Base, JSONType, region_code_type
from fangkong.models.retention import DeleteOlderThan, SettingsWindow, retention

# Scans are kept ``retention_scans_days`` even during the emergency (tracing looks back).
SCAN_WINDOW = SettingsWindow("retention_scans_days")


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
        # - ix_scans_person (person, instant): a person's stays and latest scans.
        # - ix_scans_region_id (region, id): jurisdiction-scoped lists paged by id, newest
        #   first; ids grow, so inserts append at one place per region.
        # Retention deletes by age once a day with one scan of the table: no index of its own.
        UniqueConstraint("venue_id", "scanned_at", "person_id", name="uq_scans_visit"),
        Index("ix_scans_person", "person_id", "scanned_at"),
        Index("ix_scans_region_id", "region_code", "id"),
        retention(DeleteOlderThan("scanned_at", SCAN_WINDOW)),
    )
