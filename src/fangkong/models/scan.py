"""Scans (扫码): one row per entry at a venue, from a check-in, a door scanner or a bulk file.

No foreign keys on ``venue_id`` and ``person_id``: scans arrive at city-wide peaks and in
files of millions of rows, and a foreign key costs an index probe per row on every insert
(and a lock on the parent row on PostgreSQL). The writers resolve both ids before inserting
(the entry check through the place code and the personal code, the bulk ingest in bulk), and
a merged person's scans keep the old id, which the tracing queries follow through
``people.merged_into_id``. ``region_code`` is the venue's, copied so that scoping a list
needs no join.
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
        # A re-sent scan (same venue, person and instant) is the same scan: idempotent ingest.
        UniqueConstraint("venue_id", "person_id", "scanned_at", name="uq_scans_visit"),
        Index("ix_scans_person", "person_id", "scanned_at"),
        # Companions: who was at a venue in a time range, without touching the table.
        Index("ix_scans_venue_time", "venue_id", "scanned_at", "person_id"),
        # Scoped lists, newest first. Retention deletes by age once a day with a range scan;
        # no index of its own, every index slows the bulk ingest (PostgreSQL deployments
        # partition by day instead, ARCHITECTURE.md).
        Index("ix_scans_region_time", "region_code", "scanned_at"),
        retention(DeleteOlderThan("scanned_at", SCAN_WINDOW)),
    )
