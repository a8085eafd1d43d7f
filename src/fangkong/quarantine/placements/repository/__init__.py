"""Queries of placements. Every read a caller sees starts from ``placements(actor)``: the
placements of people in the actor's jurisdiction, or in a site there (a site officer sees who
is in their rooms). Handlers of other domains' events read by id with no actor (the system)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Exists, Select, and_, exists, func, or_, select, update
from sqlalchemy.orm import Session

from fangkong.core.iterables import batched
from fangkong.core.pagination import PageParams, fetch_page
from fangkong.core.principal import Principal
from fangkong.core.scoping import within
from fangkong.db import among
from fangkong.models import Person
from fangkong.models.arrivals import ArrivalTask, Trip
from fangkong.models.cases import Case
from fangkong.models.contacts import Contact
from fangkong.models.quarantine import CheckIn, IsolationSite, Placement, QuarantineTest, Room

OPEN = ("pending", "active")


@dataclass(frozen=True)
class PlacementFilter:
    measure: str | None = None
    status: str | None = None
    site_id: int | None = None
    grid: str | None = None  # a region-code prefix
    due_for_release: bool = False
    fever_from: float | None = None  # the edition's threshold when filtering on fever


def placements(actor: Principal) -> Select[Placement]:
    sites = select(IsolationSite.id).where(within(IsolationSite.region_code, actor.region_code))
    return select(Placement).where(
        or_(within(Placement.region_code, actor.region_code), Placement.site_id.in_(sites))
    )


def get(session: Session, actor: Principal, placement_id: int) -> Placement | None:
    statement = placements(actor).where(Placement.id == placement_id)
    return session.scalars(statement).one_or_none()


def by_id(session: Session, placement_id: int) -> Placement | None:
    return session.get(Placement, placement_id)


def _not_all_negative() -> Exists:
    return exists().where(
        QuarantineTest.placement_id == Placement.id,
        or_(QuarantineTest.status != "done", QuarantineTest.result != "negative"),
    )


def due_condition(now: datetime) -> ColumnElement[bool]:
    return and_(Placement.status == "active", Placement.ends_at <= now, ~_not_all_negative())


def _fever(threshold: float) -> Exists:
    return exists().where(CheckIn.placement_id == Placement.id, CheckIn.temperature >= threshold)


def page(
    session: Session, actor: Principal, where: PlacementFilter, params: PageParams, now: datetime
) -> tuple[Sequence[Placement], str | None]:
    statement = filtered(actor, where, now)
    return fetch_page(session, statement, Placement.id, params, descending=True)


def filtered(actor: Principal, where: PlacementFilter, now: datetime) -> Select[Placement]:
    """The list's statement: ``placements(actor)`` narrowed by the filters."""
    statement = placements(actor)
    for column, value in (
        (Placement.measure, where.measure),
        (Placement.status, where.status),
        (Placement.site_id, where.site_id),
    ):
        if value is not None:
            statement = statement.where(column == value)
    if where.grid:
        statement = statement.where(within(Placement.region_code, where.grid))
    if where.due_for_release:
        statement = statement.where(due_condition(now))
    if where.fever_from is not None:
        statement = statement.where(_fever(where.fever_from))
    return statement


# Columns of the placement export: the id (the keyset) and masked numbers only.
EXPORT_COLUMNS = (
    Placement.id, Person.name, Person.id_number_masked, Person.phone_masked, Placement.measure,
    Placement.basis, Placement.status, Placement.starts_at, Placement.ends_at, Placement.days,
    Placement.region_code, Placement.released_at, Placement.certificate_no,
)  # fmt: skip


def count_rows(session: Session, actor: Principal, where: PlacementFilter, now: datetime) -> int:
    statement = filtered(actor, where, now)
    counted = statement.with_only_columns(func.count(), maintain_column_froms=True)
    return int(session.scalar(counted) or 0)


def export_rows(
    session: Session, actor: Principal, where: PlacementFilter, now: datetime, *,
    after: int | None, limit: int,
) -> Sequence[Any]:  # fmt: skip
    """Up to ``limit`` rows of ``EXPORT_COLUMNS`` after the placement id ``after``."""
    statement = filtered(actor, where, now).with_only_columns(*EXPORT_COLUMNS)
    statement = statement.join(Person, Person.id == Placement.person_id)
    if after is not None:
        statement = statement.where(Placement.id < after)
    return session.execute(statement.order_by(Placement.id.desc()).limit(limit)).all()


def due_for_release(session: Session, actor: Principal, now: datetime) -> Sequence[Placement]:
    statement = placements(actor).where(due_condition(now)).order_by(Placement.ends_at)
    return session.scalars(statement).all()


def open_for_contact(session: Session, contact_id: int) -> Sequence[Placement]:
    statement = select(Placement).where(
        Placement.contact_id == contact_id, Placement.status.in_(OPEN)
    )
    return session.scalars(statement.order_by(Placement.id)).all()


def open_for_contacts(session: Session, contact_ids: Sequence[int]) -> dict[int, list[Placement]]:
    """``open_for_contact`` of many contacts: contact id → its open placements (only those
    that have any), 500 contacts a statement."""
    found: dict[int, list[Placement]] = {}
    for chunk in batched(sorted(set(contact_ids)), 500):
        statement = select(Placement).where(
            among(session, Placement.contact_id, chunk), Placement.status.in_(OPEN)
        )
        for placement in session.scalars(statement.order_by(Placement.id)):
            found.setdefault(placement.contact_id or 0, []).append(placement)
    return found


def open_for_trip(session: Session, trip_id: int) -> Sequence[Placement]:
    statement = select(Placement).where(Placement.trip_id == trip_id, Placement.status.in_(OPEN))
    return session.scalars(statement.order_by(Placement.id)).all()


def open_of_person(session: Session, person_id: int) -> Sequence[Placement]:
    statement = select(Placement).where(
        Placement.person_id == person_id, Placement.status.in_(OPEN)
    )
    return session.scalars(statement.order_by(Placement.id)).all()


def of_person(session: Session, person_id: int) -> Sequence[Placement]:
    statement = select(Placement).where(Placement.person_id == person_id)
    return session.scalars(statement.order_by(Placement.starts_at)).all()


def pending_in(session: Session, actor: Principal, ids: Sequence[int]) -> Sequence[Placement]:
    statement = placements(actor).where(Placement.id.in_(ids))
    return session.scalars(statement.order_by(Placement.household_id, Placement.id)).all()


# --- people, contacts, trips ----------------------------------------------------------------


def person(session: Session, person_id: int) -> Person | None:
    return session.get(Person, person_id)


def person_in_scope(session: Session, actor: Principal, person_id: int) -> Person | None:
    statement = select(Person).where(
        Person.id == person_id, within(Person.grid_code, actor.region_code)
    )
    return session.scalars(statement).one_or_none()


def people(session: Session, ids: Sequence[int]) -> dict[int, Person]:
    if not ids:
        return {}
    rows = session.scalars(select(Person).where(among(session, Person.id, set(ids))))
    return {p.id: p for p in rows}


def contact(session: Session, contact_id: int) -> Contact | None:
    return session.get(Contact, contact_id)


def trip(session: Session, trip_id: int) -> Trip | None:
    return session.get(Trip, trip_id)


def open_placement_task(session: Session, trip_id: int) -> ArrivalTask | None:
    statement = select(ArrivalTask).where(
        ArrivalTask.trip_id == trip_id,
        ArrivalTask.kind == "placement",
        ArrivalTask.status == "open",
    )
    return session.scalars(statement.order_by(ArrivalTask.id)).first()


# --- rooms --------------------------------------------------------------------------------


def room_in_scope(session: Session, actor: Principal, room_id: int) -> Room | None:
    statement = (
        select(Room)
        .join(IsolationSite, IsolationSite.id == Room.site_id)
        .where(Room.id == room_id, within(IsolationSite.region_code, actor.region_code))
    )
    return session.scalars(statement).one_or_none()


def occupants(session: Session, room_id: int) -> Sequence[Placement]:
    statement = select(Placement).where(Placement.room_id == room_id, Placement.status.in_(OPEN))
    return session.scalars(statement).all()


def open_rooms(session: Session, site_id: int) -> Sequence[tuple[Room, int, int | None]]:
    """(room, occupied beds, the household in it) of the site's available rooms, in order."""
    taken = (
        select(
            Placement.room_id, func.count().label("n"), func.max(Placement.household_id).label("h")
        )
        .where(Placement.status.in_(OPEN), Placement.room_id.is_not(None))
        .group_by(Placement.room_id)
        .subquery()
    )
    statement = (
        select(Room, func.coalesce(taken.c.n, 0), taken.c.h)
        .outerjoin(taken, taken.c.room_id == Room.id)
        .where(Room.site_id == site_id, Room.status == "available")
        .order_by(Room.floor, Room.number)
    )
    return [(row[0], int(row[1]), row[2]) for row in session.execute(statement)]


def free_rooms(session: Session, actor: Principal) -> Sequence[tuple[Room, IsolationSite, int]]:
    """(room, site, free beds) of the active sites in the jurisdiction, rooms with a free bed."""
    taken = (
        select(Placement.room_id, func.count().label("n"))
        .where(Placement.status.in_(OPEN), Placement.room_id.is_not(None))
        .group_by(Placement.room_id)
        .subquery()
    )
    free = Room.beds - func.coalesce(taken.c.n, 0)
    statement = (
        select(Room, IsolationSite, free)
        .join(IsolationSite, IsolationSite.id == Room.site_id)
        .outerjoin(taken, taken.c.room_id == Room.id)
        .where(
            within(IsolationSite.region_code, actor.region_code),
            IsolationSite.active,
            Room.status == "available",
            free > 0,
        )
        .order_by(IsolationSite.name, Room.number)
        .limit(500)
    )
    return [(row[0], row[1], int(row[2])) for row in session.execute(statement)]


def site(session: Session, site_id: int) -> IsolationSite | None:
    return session.get(IsolationSite, site_id)


def room(session: Session, room_id: int) -> Room | None:
    return session.get(Room, room_id)


# --- tests and check-ins ----------------------------------------------------------------------


def test_days_of(session: Session, placement_ids: Sequence[int]) -> dict[int, set[int]]:
    """Placement id → the day numbers of its test rows, 500 placements a statement."""
    found: dict[int, set[int]] = {}
    for chunk in batched(placement_ids, 500):
        statement = select(QuarantineTest.placement_id, QuarantineTest.day_no).where(
            among(session, QuarantineTest.placement_id, chunk)
        )
        for placement_id, day_no in session.execute(statement):
            found.setdefault(placement_id, set()).add(day_no)
    return found


def tests_of(session: Session, placement_id: int) -> Sequence[QuarantineTest]:
    statement = select(QuarantineTest).where(QuarantineTest.placement_id == placement_id)
    return session.scalars(statement.order_by(QuarantineTest.day_no)).all()


def open_tests_on(
    session: Session, person_ids: Sequence[int], day: date
) -> Sequence[QuarantineTest]:
    statement = select(QuarantineTest).where(
        among(session, QuarantineTest.person_id, person_ids),
        QuarantineTest.due_on == day,
        QuarantineTest.status == "open",
    )
    return session.scalars(statement).all()


def sampled_tests_on(session: Session, person_id: int, day: date) -> Sequence[QuarantineTest]:
    statement = select(QuarantineTest).where(
        QuarantineTest.person_id == person_id,
        QuarantineTest.due_on == day,
        QuarantineTest.status == "open",
        QuarantineTest.sampled_at.is_not(None),
    )
    return session.scalars(statement).all()


def mark_missed(session: Session, before: date) -> int:
    """Open tests due before ``before`` with no sample: missed (one UPDATE)."""
    statement = (
        update(QuarantineTest)
        .where(
            QuarantineTest.status == "open",
            QuarantineTest.due_on < before,
            QuarantineTest.sampled_at.is_(None),
        )
        .values(status="missed")
    )
    return int(session.execute(statement).rowcount or 0)  # type: ignore[attr-defined]


def check_ins(session: Session, placement_id: int) -> Sequence[CheckIn]:
    statement = select(CheckIn).where(CheckIn.placement_id == placement_id)
    return session.scalars(statement.order_by(CheckIn.on.desc())).all()


def check_in_on(session: Session, placement_id: int, day: date) -> CheckIn | None:
    statement = select(CheckIn).where(CheckIn.placement_id == placement_id, CheckIn.on == day)
    return session.scalars(statement).one_or_none()


def fevered(session: Session, ids: Sequence[int], threshold: float) -> set[int]:
    if not ids:
        return set()
    statement = select(CheckIn.placement_id).where(
        CheckIn.placement_id.in_(ids), CheckIn.temperature >= threshold
    )
    return set(session.scalars(statement))


# --- the two control counts per grid -------------------------------------------------------


def control_counts(session: Session, grids: Sequence[str]) -> dict[str, tuple[int, int]]:
    """Per grid: (active home isolation + home monitoring, active cases + active centralized)."""
    home = _count_by_grid(
        session,
        Placement.region_code,
        grids,
        Placement.status == "active",
        Placement.measure.in_(("home_isolation", "home_monitoring")),
    )
    central = _count_by_grid(
        session,
        Placement.region_code,
        grids,
        Placement.status == "active",
        Placement.measure == "centralized",
    )
    cases = _count_by_grid(session, Case.region_code, grids, Case.status == "active")
    return {g: (home.get(g, 0), central.get(g, 0) + cases.get(g, 0)) for g in grids}


def _count_by_grid(session: Session, column, grids: Sequence[str], *where) -> dict[str, int]:  # type: ignore[no-untyped-def]
    statement = select(column, func.count()).where(column.in_(grids), *where).group_by(column)
    return {row[0]: int(row[1]) for row in session.execute(statement)}


def grids_with_placements(session: Session) -> list[str]:
    codes = set(session.scalars(select(Placement.region_code).distinct()))
    codes.update(session.scalars(select(Case.region_code).distinct()))
    return sorted(codes)


# --- bulk (a pushed list's classified trips) ---


def trips_with_open(session: Session, trip_ids: Sequence[int]) -> set[int]:
    """Which of these trips have an open placement (read 500 ids at a time)."""
    return _with_open(session, Placement.trip_id, trip_ids)


def _with_open(session: Session, column: Any, wanted: Sequence[int]) -> set[int]:
    ids, found = sorted(set(wanted)), set[int]()
    for start in range(0, len(ids), 500):
        statement = select(column).where(
            among(session, column, ids[start : start + 500]), Placement.status.in_(OPEN)
        )
        found.update(session.scalars(statement))
    return found


def trip_terms(session: Session, trip_ids: Sequence[int]) -> dict[int, Any]:
    """What a placement takes from each trip: id, person, arrival, measure days, test days and
    edition (read 500 ids at a time)."""
    ids, found = sorted(set(trip_ids)), dict[int, Any]()
    columns = (Trip.id, Trip.person_id, Trip.arrived_at, Trip.measure_days, Trip.test_days,
               Trip.edition_id)  # fmt: skip
    for start in range(0, len(ids), 500):
        statement = select(*columns).where(among(session, Trip.id, ids[start : start + 500]))
        found.update((row.id, row) for row in session.execute(statement))
    return found


def people_homes(session: Session, person_ids: Sequence[int]) -> dict[int, Any]:
    """Each person's id, household and grid (what a placement takes; 500 ids at a time)."""
    ids, found = sorted(set(person_ids)), dict[int, Any]()
    for start in range(0, len(ids), 500):
        statement = select(Person.id, Person.household_id, Person.grid_code).where(
            among(session, Person.id, ids[start : start + 500])
        )
        found.update((row.id, row) for row in session.execute(statement))
    return found
