"""Queries of the sources contacts are generated from (repository level): household members,
people's scans and the people scanned at the same venues (the covering index
``uq_scans_visit (venue_id, scanned_at, person_id)``: index-only, many stays to a statement),
travel records of the same trip, active cases, and when close contacts were put under control.
Each takes many people at once: a batch of confirmed close contacts costs a few statements,
not a few per contact.

The scans domain's "space-time companions" service is built for one person on a page (it
masks names and caps the window); generation needs raw ids for many stays, so it runs the same
two statements here on the same indexes rather than copying rows out through that service.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import Select, and_, bindparam, or_, select
from sqlalchemy.orm import Session, aliased

from fangkong.models import Person
from fangkong.models.cases import Case
from fangkong.models.person import PersonStatus
from fangkong.models.quarantine import Placement
from fangkong.models.scan import Scan, scan_day, utc_days
from fangkong.models.tracing import TravelRecord
from fangkong.models.venue import Venue

OPEN_CASE_STATUSES = ("pending", "active")


Span = tuple[datetime, datetime]
CHUNK = 500  # ids per IN list
# ids per IN list of a plain key lookup: a batch's secondary contacts name tens of thousands
# of people, more than a statement may bind (SQLite 32,766, PostgreSQL 65,535 parameters)
LOOKUP_CHUNK = 10_000
RANGES = 200  # venue ranges per statement: an OR of index ranges, well under SQLite's depth


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for first in range(0, len(items), size):
        yield items[first : first + size]


def household_members(session: Session, person_ids: Iterable[int]) -> dict[int, list[Any]]:
    """The other active members of each person's household: person id → [(id, grid_code,
    household_id)]."""
    found: dict[int, list[Any]] = defaultdict(list)
    for chunk in chunks(sorted(set(person_ids))):
        for row in session.execute(_household_members(), {"ids": list(chunk)}):
            found[row.of].append(row)
    return found


@cache
def _household_members() -> Select[int, int, str, int | None]:
    """The statement of ``household_members``, built once (an aliased self-join costs more to
    build than to run for one case's household); ``ids`` expands to the people asked for."""
    me, other = aliased(Person), aliased(Person)
    return (
        select(me.id.label("of"), other.id, other.grid_code, other.household_id)
        .join(other, other.household_id == me.household_id)
        .where(me.id.in_(bindparam("ids", expanding=True)), other.id != me.id,
               other.status == PersonStatus.ACTIVE)
    )  # fmt: skip


def stays(session: Session, spans: Mapping[int, Span]) -> dict[int, list[Any]]:
    """Each person's scans in its span [start, end): person id → [(venue_id, venue_name,
    scanned_at)] in time order. The people are read 500 at a time over the spans' union."""
    found: dict[int, list[Any]] = defaultdict(list)
    sqlite = session.get_bind().dialect.name == "sqlite"
    for chunk in chunks(sorted(spans)):
        values: dict[str, Any] = {"ids": list(chunk), "first": min(spans[p][0] for p in chunk),
                                  "last": max(spans[p][1] for p in chunk)}  # fmt: skip
        if sqlite:
            values["days"] = utc_days(values["first"], values["last"])
        for row in session.execute(_stays(sqlite), values):
            start, end = spans[row.person_id]
            if start <= row.scanned_at < end:
                found[row.person_id].append(row)
    return found


@cache
def _stays(sqlite: bool) -> Select[int, int | None, str | None, datetime]:
    """The statement of ``stays``, built once: the people ``ids`` from ``first`` to ``last``;
    on SQLite also on their UTC ``days``, the leading key of ``ix_scans_person_day``."""
    at = Scan.scanned_at.type
    on_days = (scan_day().in_(bindparam("days", expanding=True)),) if sqlite else ()
    return (
        select(Scan.person_id, Scan.venue_id, Venue.name.label("venue_name"), Scan.scanned_at)
        .outerjoin(Venue, Venue.id == Scan.venue_id)
        .where(Scan.person_id.in_(bindparam("ids", expanding=True)),
               Scan.scanned_at >= bindparam("first", type_=at),
               Scan.scanned_at < bindparam("last", type_=at), *on_days)
        .order_by(Scan.person_id, Scan.scanned_at)
    )  # fmt: skip


def at_venues(session: Session, ranges: Iterable[tuple[int, datetime, datetime]]) -> list[Any]:
    """Who was scanned at each venue in its [start, end]: (venue_id, person_id, scanned_at),
    index-only (``uq_scans_visit``), 200 ranges to a statement."""
    found: list[Any] = []
    for chunk in chunks(sorted(set(ranges)), RANGES):
        values = {f"{name}{n}": value for n, row in enumerate(chunk)
                  for name, value in zip("vse", row, strict=True)}  # fmt: skip
        found.extend(session.execute(_venue_ranges(len(chunk)), values))
    return found


@cache
def _venue_ranges(size: int) -> Select[int, int, datetime]:
    """The statement of ``size`` venue ranges, built once per size: its parameters are named
    ``v0, s0, e0, v1 …`` (building the OR of a few hundred ranges anew for every chunk cost
    more than running it)."""
    inside = or_(*(and_(Scan.venue_id == bindparam(f"v{n}"),
                        Scan.scanned_at >= bindparam(f"s{n}", type_=Scan.scanned_at.type),
                        Scan.scanned_at <= bindparam(f"e{n}", type_=Scan.scanned_at.type))
                   for n in range(size)))  # fmt: skip
    return select(Scan.venue_id, Scan.person_id, Scan.scanned_at).where(inside)


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
    found: set[int] = set()
    for chunk in chunks(sorted(set(person_ids)), LOOKUP_CHUNK):
        statement = select(Case.person_id).where(
            Case.person_id.in_(chunk), Case.status.in_(OPEN_CASE_STATUSES)
        )
        found.update(session.scalars(statement))
    return found


def grids_of(session: Session, person_ids: Iterable[int]) -> dict[int, str]:
    found: dict[int, str] = {}
    for chunk in chunks(sorted(set(person_ids)), LOOKUP_CHUNK):
        statement = select(Person.id, Person.grid_code).where(
            Person.id.in_(chunk), Person.status == PersonStatus.ACTIVE
        )
        found.update((row.id, row.grid_code) for row in session.execute(statement))
    return found


def controlled_at(session: Session, contact_ids: Iterable[int]) -> dict[int, datetime]:
    """When each contact was put under control: the start of its first placement. A placement
    counts its period from day 0 (the last exposure) and may carry that as its start, but the
    person was not under control before the row was made: the later of the two."""
    found: dict[int, datetime] = {}
    for chunk in chunks(sorted(set(contact_ids))):
        statement = (
            select(Placement.contact_id, Placement.starts_at, Placement.created_at)
            .where(Placement.contact_id.in_(chunk))
            .order_by(Placement.contact_id, Placement.created_at.desc())
        )
        for row in session.execute(statement):  # the first placement of each comes last
            found[row.contact_id] = max(row.starts_at, row.created_at)
    return found


def open_case_of(session: Session, person_id: int) -> Case | None:
    """The person's latest pending or active case (a contact who turned positive)."""
    statement = (
        select(Case)
        .where(Case.person_id == person_id, Case.status.in_(OPEN_CASE_STATUSES))
        .order_by(Case.id.desc())
        .limit(1)
    )
    return session.scalars(statement).first()
