"""Arrivals (抵返报备): the national risk-area list, checkpoints, arrival reports from three
channels, trips (a person's reports merged) and the tasks a trip creates.

- ``RiskArea`` (高/中/低风险区): one row per place and grade over a span of time; a new grade
  for the same place closes the old row (``effective_to``) and opens another, so "was this
  place high-risk on 3 March?" is one indexed query. Places are text as the national list
  prints them, keyed by the GB/T 2260 county code they lie in (``county_code``).
- ``Checkpoint`` (卡口、"三站一场"): highway exits, railway and coach stations, the airport;
  ``CheckpointStaff`` names the venue-operator accounts that scan there.
- ``ArrivalReport``: what one channel said of one arrival (self-report, a pushed list's row,
  a checkpoint scan). The identity number and phone are sealed as in ``people``
  (ciphertext, keyed hash, mask); ``person_id`` is null while no registered person matches.
- ``Trip``: the reports of one person within the edition's merge window, its origin matched
  against the risk areas in force on the travel days, and the edition's measure.
- ``ArrivalTask``: what a trip asks for, each with a deadline: the landing test (落地即检),
  the grid worker's screening (排查), and a quarantine placement where the measure needs
  one (the quarantine domain takes those up).

Risk areas and checkpoints hold no residents' data. Reports, trips and tasks name people and
are deleted once the emergency has ended and ``registry_days_after_end`` have passed.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from fangkong.core import clock
from fangkong.core.errors import N_
from fangkong.models.base import Base, CreatedAt, JSONType, region_code_type
from fangkong.models.retention import DeleteAfterEmergency, NotPurged, PolicyWindow, retention

BigId = BigInteger().with_variant(Integer, "sqlite")
WINDOW = PolicyWindow("registry_days_after_end")
PUBLIC_LIST = N_("the national risk-area list and checkpoints, not residents' data")


class RiskArea(CreatedAt, Base):
    """One place's grade over ``[effective_from, effective_to)``; ``effective_to`` null: in force.

    ``area`` is the sub-area as printed (a street, a compound, a village); empty when the grade
    covers the whole county. ``designated`` marks a medium grade set directly rather than
    lowered from high (the 9th edition lowers it after a different number of days).
    """

    __tablename__ = "risk_areas"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    province: Mapped[str] = mapped_column(String(20))
    city: Mapped[str] = mapped_column(String(40))
    district: Mapped[str] = mapped_column(String(40))
    county_code: Mapped[str] = mapped_column(String(6))  # GB/T 2260 code of the district
    area: Mapped[str] = mapped_column(String(200), default="")
    area_key: Mapped[str] = mapped_column(String(200), default="")  # normalised ``area``
    grade: Mapped[str] = mapped_column(String(8))  # a fangkong.policy.types.Grade value
    designated: Mapped[bool] = mapped_column(Boolean, default=False)
    effective_from: Mapped[datetime] = mapped_column()
    effective_to: Mapped[datetime | None] = mapped_column()
    source: Mapped[str] = mapped_column(String(8))  # import | manual
    batch_ref: Mapped[str | None] = mapped_column(String(64))  # the imported file's digest
    note: Mapped[str] = mapped_column(String(200), default="")
    created_by: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (
        Index("ix_risk_areas_place", "county_code", "area_key", "effective_from"),
        Index("ix_risk_areas_in_force", "effective_to", "grade"),
        retention(NotPurged(PUBLIC_LIST)),
    )


class Checkpoint(CreatedAt, Base):
    """卡口 or one of the "three stations and one airport" (三站一场)."""

    __tablename__ = "checkpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    # highway_exit | railway_station | coach_station | airport
    kind: Mapped[str] = mapped_column(String(16))
    region_code: Mapped[str] = mapped_column(region_code_type(), ForeignKey("regions.code"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    __table_args__ = (
        Index("ix_checkpoints_region_name", "region_code", "name", unique=True),
        retention(NotPurged(PUBLIC_LIST)),
    )


class CheckpointStaff(CreatedAt, Base):
    __tablename__ = "checkpoint_staff"

    checkpoint_id: Mapped[int] = mapped_column(
        ForeignKey("checkpoints.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )

    __table_args__ = (retention(NotPurged(PUBLIC_LIST)),)


class ArrivalReport(Base):
    """One channel's word on one arrival: ``self`` | ``pushed`` | ``checkpoint``."""

    __tablename__ = "arrival_reports"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    channel: Mapped[str] = mapped_column(String(12))
    person_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("people.id", ondelete="CASCADE")
    )
    trip_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("trips.id", ondelete="SET NULL"))
    name: Mapped[str | None] = mapped_column(String(50))
    id_number_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    # The keyed hashes are kept, not indexed: no query reads reports by them (migration 0026).
    id_number_hash: Mapped[str | None] = mapped_column(String(64))
    id_number_masked: Mapped[str | None] = mapped_column(String(32))
    phone_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    phone_hash: Mapped[str | None] = mapped_column(String(64))
    phone_masked: Mapped[str | None] = mapped_column(String(16))
    origin_province: Mapped[str] = mapped_column(String(20))
    origin_city: Mapped[str] = mapped_column(String(40))
    origin_district: Mapped[str] = mapped_column(String(40))
    origin_code: Mapped[str] = mapped_column(String(6))  # GB/T 2260 county code
    origin_area: Mapped[str] = mapped_column(String(200), default="")
    departed_on: Mapped[date | None] = mapped_column(Date)
    arrived_at: Mapped[datetime] = mapped_column()
    # car | train | plane | coach | ship | other
    transport: Mapped[str | None] = mapped_column(String(8))
    transport_no: Mapped[str | None] = mapped_column(String(20))  # flight, train or plate
    dest_address: Mapped[str] = mapped_column(String(200), default="")
    # The destination grid when known; the district of the checkpoint or the list otherwise.
    region_code: Mapped[str] = mapped_column(region_code_type())
    checkpoint_id: Mapped[int | None] = mapped_column(Integer)
    batch_ref: Mapped[str | None] = mapped_column(String(64))  # a pushed list's digest
    row_no: Mapped[int | None] = mapped_column(Integer)
    reported_by: Mapped[int | None] = mapped_column(Integer)  # the user, or null (citizen)
    reported_at: Mapped[datetime] = mapped_column(default=clock.now)

    __table_args__ = (
        Index("ix_arrival_reports_person", "person_id", "arrived_at"),
        Index("ix_arrival_reports_trip", "trip_id"),
        Index("ix_arrival_reports_region", "region_code", "reported_at"),
        Index("ix_arrival_reports_batch", "batch_ref", "row_no"),
        retention(DeleteAfterEmergency(WINDOW)),
    )


class Trip(Base):
    """One person's arrival: the merged reports, the matched origin grade and the measure.

    ``grade`` is the worst grade in force at the origin on the travel days (``none`` when no
    area of the county was listed); ``affected_county`` is set when the origin was not itself
    listed but its county had a high or medium area (the "low-risk area of an affected county"
    rule). ``measure``, ``measure_days`` and ``test_days`` are the edition's, copied when
    classified, with the ``edition_id``. ``status``: ``open`` until screened, then ``screened``;
    ``closed`` once the measure's days are over.
    """

    __tablename__ = "trips"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    person_id: Mapped[int] = mapped_column(BigId, ForeignKey("people.id", ondelete="CASCADE"))
    origin_province: Mapped[str] = mapped_column(String(20))
    origin_city: Mapped[str] = mapped_column(String(40))
    origin_district: Mapped[str] = mapped_column(String(40))
    origin_code: Mapped[str] = mapped_column(String(6))
    origin_area: Mapped[str] = mapped_column(String(200), default="")
    departed_on: Mapped[date | None] = mapped_column(Date)
    arrived_at: Mapped[datetime] = mapped_column()
    channels: Mapped[list[Any]] = mapped_column(JSONType)  # the channels heard, in order
    report_count: Mapped[int] = mapped_column(SmallInteger, default=1)
    grade: Mapped[str] = mapped_column(String(8))  # high | medium | low | none
    affected_county: Mapped[bool] = mapped_column(Boolean, default=False)
    matched_area_ids: Mapped[list[Any]] = mapped_column(JSONType)
    measure: Mapped[str] = mapped_column(String(16))  # a fangkong.policy.types.Measure value
    measure_days: Mapped[int] = mapped_column(SmallInteger, default=0)
    test_days: Mapped[list[Any]] = mapped_column(JSONType)
    measure_ends_at: Mapped[datetime | None] = mapped_column()
    edition_id: Mapped[str] = mapped_column(String(64))
    grid_code: Mapped[str] = mapped_column(region_code_type())  # where the person stays
    status: Mapped[str] = mapped_column(String(10), default="open")  # open | screened | closed
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    classified_at: Mapped[datetime] = mapped_column(default=clock.now)

    __table_args__ = (
        Index("ix_trips_person", "person_id", "arrived_at"),
        Index("ix_trips_grid", "grid_code", "arrived_at"),
        # grid_code and id: a day's trips read from the index only (screening figures)
        Index("ix_trips_grade", "grade", "arrived_at", "grid_code", "id"),
        retention(DeleteAfterEmergency(WINDOW)),
    )


class ArrivalTask(Base):
    """What a trip asks for: ``landing_test`` | ``screening`` | ``placement``.

    ``status``: ``open`` → ``done`` (``done_at``; ``done_ref`` names the tube or the
    screening), or ``cancelled`` when the trip is reclassified. ``escalation``: ``none`` →
    ``street`` → ``district`` as an overdue task goes unanswered (问责). ``grid_code`` scopes
    it: the grid worker of the destination does it; officers above see it.
    """

    __tablename__ = "arrival_tasks"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    trip_id: Mapped[int] = mapped_column(BigId, ForeignKey("trips.id", ondelete="CASCADE"))
    # the trip's person, copied (one range of ``ix_arrival_tasks_person``); no key to
    # ``people``: the one to ``trips`` deletes a task with its trip (migration 0027)
    person_id: Mapped[int] = mapped_column(BigId)
    kind: Mapped[str] = mapped_column(String(16))
    grid_code: Mapped[str] = mapped_column(region_code_type())
    # the trip's arrival, copied (it never changes): a day's tasks are one range of
    # ``ix_arrival_tasks_arrived`` rather than a join from the day's trips
    arrived_at: Mapped[datetime] = mapped_column()
    due_at: Mapped[datetime] = mapped_column()
    status: Mapped[str] = mapped_column(String(10), default="open")
    done_at: Mapped[datetime | None] = mapped_column()
    done_by: Mapped[int | None] = mapped_column(Integer)
    done_ref: Mapped[str | None] = mapped_column(String(64))
    outcome: Mapped[str | None] = mapped_column(String(16))  # screening: reached | unreachable …
    note: Mapped[str] = mapped_column(String(500), default="")
    escalation: Mapped[str] = mapped_column(String(10), default="none")
    escalated_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=clock.now)

    __table_args__ = (
        # the trailing columns cover the screening figures (the join from a day's trips; the
        # tasks due on a day, per grid or in a wide scope)
        Index(
            "ix_arrival_tasks_trip", "trip_id", "kind", "status", "due_at", "done_at", "grid_code"
        ),
        Index("ix_arrival_tasks_todo", "grid_code", "status", "due_at", "kind", "done_at"),
        Index("ix_arrival_tasks_due", "status", "due_at", "kind", "grid_code", "done_at"),
        Index("ix_arrival_tasks_person", "person_id", "status"),
        # screening figures of a wide scope: the tasks of each kind and status whose trips
        # arrived on a day, one range each
        Index(
            "ix_arrival_tasks_arrived",
            "kind",
            "status",
            "arrived_at",
            "grid_code",
            "due_at",
            "done_at",
        ),
        # screening figures: the open tasks per grid
        Index(
            "ix_arrival_tasks_open",
            "grid_code",
            "kind",
            "due_at",
            "escalation",
            "status",  # SQLite reads a partial index alone only if it holds its WHERE's columns
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
        retention(DeleteAfterEmergency(WINDOW)),
    )
