"""Queries of trajectories. A case is readable when it lies inside the actor's jurisdiction or
the actor owns its investigation (a case handed over keeps its epidemiologist); passenger
records are scoped by their ``region_code``. Scans, trips and venues are read where they live
(any repository may read any table; only their owners write them)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, or_, select
from sqlalchemy.orm import Session

from fangkong.core.pagination import PageParams, fetch_page
from fangkong.core.principal import Principal
from fangkong.core.scoping import within
from fangkong.models import Household, Person
from fangkong.models.arrivals import Trip
from fangkong.models.cases import Case
from fangkong.models.scan import Scan, person_days
from fangkong.models.tracing import InterviewEntry, TravelRecord
from fangkong.models.venue import Venue

CHUNK = 500


def readable_cases(actor: Principal) -> Select[Case]:
    """The one jurisdiction-scoped statement of cases as tracing reads them."""
    rule: ColumnElement[bool] = within(Case.region_code, actor.region_code)
    if actor.id is not None:
        rule = or_(rule, Case.owner_id == actor.id)
    return select(Case).where(rule)


def case(session: Session, actor: Principal, case_id: int) -> Case | None:
    return session.scalars(readable_cases(actor).where(Case.id == case_id)).first()


def person(session: Session, person_id: int) -> Person | None:
    return session.get(Person, person_id)


def household_address(session: Session, household_id: int | None) -> str:
    if household_id is None:
        return ""
    found = session.get(Household, household_id)
    return found.address if found is not None else ""


def identities(session: Session, person_id: int) -> list[int]:
    """The person and every record merged into it (a merged person's scans keep the old id)."""
    merged = select(Person.id).where(Person.merged_into_id == person_id)
    return [person_id, *session.scalars(merged)]


def scans(session: Session, person_ids: Sequence[int], start: datetime, end: datetime) -> Any:
    statement = (
        select(Scan.id, Scan.venue_id, Scan.scanned_at, Venue.name, Venue.address)
        .outerjoin(Venue, Venue.id == Scan.venue_id)
        .where(
            Scan.person_id.in_(person_ids),
            Scan.scanned_at >= start,
            Scan.scanned_at <= end,
            *person_days(session.get_bind().dialect.name, start, end),
        )
        .order_by(Scan.scanned_at, Scan.id)
    )
    return session.execute(statement).all()


def trips(session: Session, person_ids: Sequence[int], start: datetime, end: datetime) -> Any:
    statement = select(Trip).where(
        Trip.person_id.in_(person_ids), Trip.arrived_at >= start, Trip.arrived_at <= end
    )
    return session.scalars(statement.order_by(Trip.arrived_at, Trip.id)).all()


def travel(
    session: Session, person_ids: Sequence[int], first: date, last: date
) -> Sequence[TravelRecord]:
    statement = select(TravelRecord).where(
        TravelRecord.person_id.in_(person_ids),
        TravelRecord.travel_on >= first,
        TravelRecord.travel_on <= last,
    )
    return session.scalars(statement.order_by(TravelRecord.travel_on, TravelRecord.id)).all()


def travel_of_person(session: Session, person_id: int, limit: int = 50) -> Sequence[TravelRecord]:
    statement = (select(TravelRecord).where(TravelRecord.person_id == person_id)
                 .order_by(TravelRecord.travel_on.desc()).limit(limit))  # fmt: skip
    return session.scalars(statement).all()


def interview(session: Session, case_id: int) -> Sequence[InterviewEntry]:
    statement = select(InterviewEntry).where(InterviewEntry.case_id == case_id)
    return session.scalars(statement.order_by(InterviewEntry.start_at, InterviewEntry.id)).all()


def interview_entry(session: Session, case_id: int, entry_id: int) -> InterviewEntry | None:
    found = session.get(InterviewEntry, entry_id)
    return found if found is not None and found.case_id == case_id else None


def venue(session: Session, venue_id: int) -> Venue | None:
    return session.get(Venue, venue_id)


@dataclass(frozen=True)
class TravelFilter:
    mode: str | None = None
    number: str | None = None
    travel_on: date | None = None
    matched: bool | None = None


def travel_page(
    session: Session, actor: Principal, where: TravelFilter, page: PageParams
) -> tuple[Sequence[TravelRecord], str | None]:
    statement = select(TravelRecord).where(within(TravelRecord.region_code, actor.region_code))
    if where.mode:
        statement = statement.where(TravelRecord.mode == where.mode)
    if where.number:
        statement = statement.where(TravelRecord.number == where.number)
    if where.travel_on:
        statement = statement.where(TravelRecord.travel_on == where.travel_on)
    if where.matched is not None:
        column = TravelRecord.person_id
        statement = statement.where(column.is_not(None) if where.matched else column.is_(None))
    return fetch_page(session, statement, TravelRecord.id, page, descending=True)


def stored_keys(
    session: Session, column: str, hashes: Collection[str]
) -> set[tuple[str, str, date, str]]:
    """(mode, number, day, identity) of the passengers already stored under these ID-number
    (``column`` ``id_number_hash``) or phone (``phone_hash``) hashes; the identity is the ID
    hash, and ``phone:`` with the phone hash (a list naming the passenger by phone only meets
    a record that also had the ID number)."""
    found: set[tuple[str, str, date, str]] = set()
    wanted = sorted(set(hashes))
    attribute = getattr(TravelRecord, column)
    columns = (TravelRecord.mode, TravelRecord.number, TravelRecord.travel_on,
               TravelRecord.id_number_hash, TravelRecord.phone_hash)  # fmt: skip
    for i in range(0, len(wanted), CHUNK):
        statement = select(*columns).where(attribute.in_(wanted[i : i + CHUNK]))
        for mode, number, day, id_hash, phone_hash in session.execute(statement):
            found.update((mode, number, day, who) for who in (id_hash, f"phone:{phone_hash}")
                         if who and who != "phone:None")  # fmt: skip
    return found
