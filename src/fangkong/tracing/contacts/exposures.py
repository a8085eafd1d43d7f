"""Queries of the sources contacts are generated from (repository level): household members,
a person's scans and the people scanned at the same venue (the covering index
``uq_scans_visit (venue_id, scanned_at, person_id)``: index-only per stay), travel records of
the same trip, active cases, and when a close contact was put under control.

The scans domain's "space-time companions" service is built for one person on a page (it
masks names and caps the window); generation needs raw ids for many stays, so it runs the same
two statements here on the same indexes rather than copying rows out through that service.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fangkong.models import Person
from fangkong.models.cases import Case
from fangkong.models.person import PersonStatus
from fangkong.models.quarantine import Placement
from fangkong.models.scan import Scan
from fangkong.models.tracing import TravelRecord
from fangkong.models.venue import Venue

OPEN_CASE_STATUSES = ("pending", "active")


def household_members(session: Session, person_id: int) -> Sequence[Any]:
    """The other active members of the person's household: (id, grid_code, household_id)."""
    household = select(Person.household_id).where(Person.id == person_id).scalar_subquery()
    statement = select(Person.id, Person.grid_code, Person.household_id).where(
        Person.household_id == household,
        Person.id != person_id,
        Person.status == PersonStatus.ACTIVE,
    )
    return session.execute(statement).all()


def stays(session: Session, person_id: int, start: datetime, end: datetime) -> Sequence[Any]:
    """The person's scans in [start, end): (venue_id, venue_name, scanned_at)."""
    statement = (
        select(Scan.venue_id, Venue.name.label("venue_name"), Scan.scanned_at)
        .outerjoin(Venue, Venue.id == Scan.venue_id)
        .where(Scan.person_id == person_id, Scan.scanned_at >= start, Scan.scanned_at < end)
        .order_by(Scan.scanned_at)
    )
    return session.execute(statement).all()


def at_venue(session: Session, venue_id: int, start: datetime, end: datetime) -> Sequence[Any]:
    """Who was scanned at a venue in [start, end]: (person_id, scanned_at), index-only."""
    statement = select(Scan.person_id, Scan.scanned_at).where(
        Scan.venue_id == venue_id, Scan.scanned_at >= start, Scan.scanned_at <= end
    )
    return session.execute(statement).all()


def trips_of(session: Session, person_id: int, first: date, last: date) -> Sequence[TravelRecord]:
    statement = select(TravelRecord).where(
        TravelRecord.person_id == person_id,
        TravelRecord.travel_on >= first,
        TravelRecord.travel_on <= last,
    )
    return session.scalars(statement).all()


def fellow_passengers(session: Session, trip: TravelRecord) -> Sequence[TravelRecord]:
    """Matched passengers of the same mode, number and day (ix_travel_records_trip)."""
    statement = select(TravelRecord).where(
        TravelRecord.mode == trip.mode,
        TravelRecord.number == trip.number,
        TravelRecord.travel_on == trip.travel_on,
        TravelRecord.person_id.is_not(None),
        TravelRecord.person_id != trip.person_id,
    )
    return session.scalars(statement).all()


def active_case_people(session: Session, person_ids: Iterable[int]) -> set[int]:
    wanted = list(set(person_ids))
    if not wanted:
        return set()
    statement = select(Case.person_id).where(
        Case.person_id.in_(wanted), Case.status.in_(OPEN_CASE_STATUSES)
    )
    return set(session.scalars(statement).all())


def grids_of(session: Session, person_ids: Iterable[int]) -> dict[int, str]:
    wanted = list(set(person_ids))
    if not wanted:
        return {}
    statement = select(Person.id, Person.grid_code).where(
        Person.id.in_(wanted), Person.status == PersonStatus.ACTIVE
    )
    return {row.id: row.grid_code for row in session.execute(statement)}


def controlled_at(session: Session, contact_id: int) -> datetime | None:
    """When the contact was put under control: the start of its first placement. A placement
    counts its period from day 0 (the last exposure) and may carry that as its start, but the
    person was not under control before the row was made: the later of the two."""
    statement = (
        select(Placement.starts_at, Placement.created_at)
        .where(Placement.contact_id == contact_id)
        .order_by(Placement.created_at)
        .limit(1)
    )
    first = session.execute(statement).first()
    return max(first.starts_at, first.created_at) if first else None


def open_case_of(session: Session, person_id: int) -> Case | None:
    """The person's latest pending or active case (a contact who turned positive)."""
    statement = (
        select(Case)
        .where(Case.person_id == person_id, Case.status.in_(OPEN_CASE_STATUSES))
        .order_by(Case.id.desc())
        .limit(1)
    )
    return session.scalars(statement).first()
