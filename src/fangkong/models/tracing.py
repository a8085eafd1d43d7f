"""Tracing (流调溯源): what a case's trajectory is built from, and its public version.

- ``TravelRecord``: one passenger of a flight, train, coach or ship on one day, imported from
  a carrier's list (carriage and seat, ``seat_row`` parsed for the edition's seat rule). The
  identity number and phone are sealed as in ``people``; ``person_id`` null while unmatched.
  ``region_code`` scopes it: the matched person's grid, else the importer's region.
- ``InterviewEntry``: what the epidemiologist writes down in the interview (流调): a place and
  a span of time, optionally a venue; it joins the scans, trips and travel records of the
  automatic trajectory (those are read where they live, not copied).
- ``Publication`` and ``PublishedStop``: a case's anonymised public trajectory (no name, no
  ID: a label such as 病例3 and places and times), which citizens' own scans are checked
  against; ``withdrawn_at`` takes it down.

Travel records and interviews name people, and a publication points at its
case: all are deleted once the emergency has ended and ``registry_days_after_end`` have
passed.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from fangkong.core import clock
from fangkong.models.base import Base, CreatedAt, region_code_type
from fangkong.models.retention import DeleteAfterEmergency, PolicyWindow, retention

BigId = BigInteger().with_variant(Integer, "sqlite")
WINDOW = PolicyWindow("registry_days_after_end")


class TravelRecord(CreatedAt, Base):
    __tablename__ = "travel_records"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    mode: Mapped[str] = mapped_column(String(8))  # flight | train | coach | ship
    number: Mapped[str] = mapped_column(String(16))  # CA1234, G1234 (upper case)
    travel_on: Mapped[date] = mapped_column(Date)
    departed_at: Mapped[datetime | None] = mapped_column()
    arrived_at: Mapped[datetime | None] = mapped_column()
    from_station: Mapped[str] = mapped_column(String(40), default="")
    to_station: Mapped[str] = mapped_column(String(40), default="")
    carriage: Mapped[str] = mapped_column(
        String(8), default=""
    )  # train carriage (车厢); "" on a plane
    seat: Mapped[str] = mapped_column(String(8), default="")  # as printed: 12A, 05F
    seat_row: Mapped[int | None] = mapped_column(SmallInteger)
    person_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("people.id", ondelete="CASCADE")
    )
    name: Mapped[str] = mapped_column(String(50), default="")
    id_number_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    id_number_hash: Mapped[str | None] = mapped_column(String(64))
    id_number_masked: Mapped[str | None] = mapped_column(String(32))
    phone_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    phone_hash: Mapped[str | None] = mapped_column(String(64))
    phone_masked: Mapped[str | None] = mapped_column(String(16))
    carrier: Mapped[str] = mapped_column(String(40), default="")
    region_code: Mapped[str] = mapped_column(region_code_type())
    batch_ref: Mapped[str | None] = mapped_column(String(64))
    row_no: Mapped[int | None] = mapped_column(Integer)
    created_by: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (
        Index("ix_travel_records_trip", "mode", "number", "travel_on", "carriage", "seat_row"),
        Index("ix_travel_records_person", "person_id", "travel_on"),
        Index("ix_travel_records_id_hash", "id_number_hash", "travel_on"),
        Index("ix_travel_records_phone_hash", "phone_hash", "travel_on"),
        Index("ix_travel_records_batch", "batch_ref", "row_no"),
        Index("ix_travel_records_region", "region_code", "id"),
        retention(DeleteAfterEmergency(WINDOW)),
    )


class InterviewEntry(CreatedAt, Base):
    __tablename__ = "interview_entries"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[int] = mapped_column(BigId, ForeignKey("cases.id", ondelete="CASCADE"))
    start_at: Mapped[datetime] = mapped_column()
    end_at: Mapped[datetime] = mapped_column()
    place: Mapped[str] = mapped_column(String(200))
    venue_id: Mapped[int | None] = mapped_column(Integer)
    region_code: Mapped[str | None] = mapped_column(region_code_type())
    activity: Mapped[str] = mapped_column(String(200), default="")
    created_by: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (
        Index("ix_interview_entries_case", "case_id", "start_at"),
        retention(DeleteAfterEmergency(WINDOW)),
    )


class Publication(CreatedAt, Base):
    __tablename__ = "publications"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("cases.id", ondelete="SET NULL"))
    label: Mapped[str] = mapped_column(String(40))  # 病例3 / Case 3: never a name
    region_code: Mapped[str] = mapped_column(region_code_type())
    published_at: Mapped[datetime] = mapped_column(default=clock.now)
    published_by: Mapped[int | None] = mapped_column(Integer)
    withdrawn_at: Mapped[datetime | None] = mapped_column()

    __table_args__ = (
        Index("ix_publications_region", "region_code", "published_at"),
        retention(DeleteAfterEmergency(WINDOW)),
    )


class PublishedStop(Base):
    __tablename__ = "published_stops"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    publication_id: Mapped[int] = mapped_column(ForeignKey("publications.id", ondelete="CASCADE"))
    start_at: Mapped[datetime] = mapped_column()
    end_at: Mapped[datetime] = mapped_column()
    place: Mapped[str] = mapped_column(String(200))
    venue_id: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (
        Index("ix_published_stops_publication", "publication_id", "start_at"),
        Index("ix_published_stops_venue", "venue_id", "start_at"),
        retention(DeleteAfterEmergency(WINDOW)),
    )
