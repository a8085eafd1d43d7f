"""Quarantine (隔离管控): isolation sites and rooms, and each person's period under control.

- ``IsolationSite`` (隔离点): a hotel, a facility or a makeshift hospital (方舱) with its
  ``Room`` rows; capacity is the sum of the rooms' beds. ``region_code`` is where it lies.
- ``Placement``: one period of one measure for one person — ``centralized`` (集中隔离, in a
  room), ``home_isolation`` (居家隔离) or ``home_monitoring`` (居家健康监测) — on the basis of a
  confirmed contact (``contact_id``), an arrival (``trip_id``, ``arrival_task_id``), a case or
  an officer's decision. ``day0_at`` is what the edition counts from (the last exposure, or
  the arrival), never the day the record was typed; ``ends_at`` and ``test_days`` are the
  edition's, copied when placed with ``edition_id``. ``status``: ``pending`` (waiting for a
  room or a transfer) → ``active`` → ``released`` (解除隔离, with a certificate number) |
  ``transferred`` (positive: to hospital) | ``cancelled``. A follow-on period (7 days
  centralized then 3 days home monitoring) is a second placement with ``follows_id``.
  ``household_id`` copies the person's household so that a room never holds two unrelated
  people; ``region_code`` is the person's grid (the grid worker's home-isolation lists).
- ``QuarantineTest``: one test day of a placement (``day_no`` counted from ``day0_at``),
  ``open`` → ``done`` (the tube and its result) | ``missed``.
- ``CheckIn``: a day's temperature and symptoms, by the person or the grid worker.

All name people: deleted once the emergency has ended and ``registry_days_after_end`` have
passed. Sites and rooms hold no residents' data and are kept.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from fangkong.core import clock
from fangkong.core.errors import N_
from fangkong.models.base import Base, CreatedAt, JSONType, region_code_type
from fangkong.models.retention import DeleteAfterEmergency, NotPurged, PolicyWindow, retention

BigId = BigInteger().with_variant(Integer, "sqlite")
WINDOW = PolicyWindow("registry_days_after_end")
FACILITIES = N_("isolation sites and rooms are facilities, not residents' data")


class IsolationSite(CreatedAt, Base):
    __tablename__ = "isolation_sites"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(12))  # hotel | facility | cabin (方舱)
    region_code: Mapped[str] = mapped_column(region_code_type(), ForeignKey("regions.code"))
    address: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(20), default="")  # the site's duty phone
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (
        Index("ix_isolation_sites_region_name", "region_code", "name", unique=True),
        retention(NotPurged(FACILITIES)),
    )


class Room(Base):
    __tablename__ = "rooms"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("isolation_sites.id", ondelete="CASCADE"))
    number: Mapped[str] = mapped_column(String(16))
    floor: Mapped[int | None] = mapped_column(SmallInteger)
    beds: Mapped[int] = mapped_column(SmallInteger, default=1)
    status: Mapped[str] = mapped_column(String(12), default="available")  # | cleaning | closed

    __table_args__ = (
        UniqueConstraint("site_id", "number", name="uq_rooms_site_number"),
        retention(NotPurged(FACILITIES)),
    )


class Placement(Base):
    __tablename__ = "placements"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    person_id: Mapped[int] = mapped_column(BigId, ForeignKey("people.id", ondelete="CASCADE"))
    measure: Mapped[str] = mapped_column(String(16))  # a fangkong.policy.types.Measure value
    basis: Mapped[str] = mapped_column(String(10))  # contact | arrival | case | manual
    contact_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("contacts.id", ondelete="SET NULL")
    )
    trip_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("trips.id", ondelete="SET NULL"))
    arrival_task_id: Mapped[int | None] = mapped_column(BigId)
    follows_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("placements.id", ondelete="SET NULL")
    )
    site_id: Mapped[int | None] = mapped_column(ForeignKey("isolation_sites.id"))
    room_id: Mapped[int | None] = mapped_column(ForeignKey("rooms.id"))
    household_id: Mapped[int | None] = mapped_column(BigId)
    day0_at: Mapped[datetime] = mapped_column()
    starts_at: Mapped[datetime] = mapped_column()
    ends_at: Mapped[datetime] = mapped_column()
    days: Mapped[int] = mapped_column(SmallInteger)
    test_days: Mapped[list[Any]] = mapped_column(JSONType)
    status: Mapped[str] = mapped_column(String(12), default="pending")
    region_code: Mapped[str] = mapped_column(region_code_type())  # the person's grid
    edition_id: Mapped[str] = mapped_column(String(64))
    released_at: Mapped[datetime | None] = mapped_column()
    certificate_no: Mapped[str | None] = mapped_column(String(32), unique=True)
    transferred_at: Mapped[datetime | None] = mapped_column()
    note: Mapped[str] = mapped_column(String(500), default="")
    created_by: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)

    __table_args__ = (
        Index("ix_placements_person", "person_id", "status"),
        # a trip's or a contact's placements in force (each classification, each decision)
        Index("ix_placements_trip", "trip_id", "status"),
        Index("ix_placements_contact", "contact_id", "status"),
        Index("ix_placements_region", "region_code", "status", "measure"),
        Index("ix_placements_room", "room_id", "status"),
        Index("ix_placements_site", "site_id", "status"),
        Index("ix_placements_due", "status", "ends_at"),
        # the counts in force by measure of a region (the command dashboard): index-only,
        # over the placements in force alone
        Index("ix_placements_in_force", "status", "region_code", "measure"),
        retention(DeleteAfterEmergency(WINDOW)),
    )


class QuarantineTest(Base):
    __tablename__ = "quarantine_tests"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    placement_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("placements.id", ondelete="CASCADE")
    )
    person_id: Mapped[int] = mapped_column(BigId, ForeignKey("people.id", ondelete="CASCADE"))
    day_no: Mapped[int] = mapped_column(SmallInteger)
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(8), default="open")  # open | done | missed
    tube_id: Mapped[int | None] = mapped_column(BigId)
    result: Mapped[str | None] = mapped_column(String(10))  # negative | positive
    sampled_at: Mapped[datetime | None] = mapped_column()

    __table_args__ = (
        UniqueConstraint("placement_id", "day_no", name="uq_quarantine_tests_day"),
        Index("ix_quarantine_tests_due", "status", "due_on"),
        Index("ix_quarantine_tests_person", "person_id", "status"),
        retention(DeleteAfterEmergency(WINDOW)),
    )


class CheckIn(Base):
    __tablename__ = "check_ins"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    placement_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("placements.id", ondelete="CASCADE")
    )
    on: Mapped[date] = mapped_column(Date)
    temperature: Mapped[float | None] = mapped_column(Float)
    symptoms: Mapped[list[Any]] = mapped_column(JSONType, default=list)
    by_person: Mapped[bool] = mapped_column(Boolean, default=False)
    recorded_by: Mapped[int | None] = mapped_column(Integer)
    recorded_at: Mapped[datetime] = mapped_column(default=clock.now)

    __table_args__ = (
        UniqueConstraint("placement_id", "on", name="uq_check_ins_day"),
        retention(DeleteAfterEmergency(WINDOW)),
    )
