"""Placing people under control: from a confirmed contact (day 0 = the last exposure), from an
arrival (day 0 = the arrival), or by an officer's decision; moving day 0 when a later
confirmation moves the last exposure; cancelling a placement that has not started; transfer
to hospital when the person turns positive.

Centralized placements wait as ``pending`` until a room is assigned; home measures start
``active`` at once. ``PlacementStarted`` is published when the placement is made (the person
is under control from then, waiting for transfer to a site or not).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy.orm import Session

from fangkong.arrivals.screening import service as screening
from fangkong.core import clock
from fangkong.core.principal import SYSTEM, Principal
from fangkong.models import Person
from fangkong.models.quarantine import Placement
from fangkong.policy.types import Measure
from fangkong.quarantine.placements import errors, repository, schedule
from fangkong.quarantine.placements.schemas import PlacementCreate
from fangkong.quarantine.placements.service.common import (
    AnyPlacement,
    NewPlacement,
    edition_now,
    ended,
    recount,
    set_schedule,
    set_schedules,
    snapshot,
    started,
    store_new,
    write_audit,
)

WEIGHT = {
    Measure.HOME_MONITORING.value: 1,
    Measure.HOME_ISOLATION.value: 2,
    Measure.CENTRALIZED.value: 3,
}
PLACED = tuple(m.value for m in schedule.PLACED_MEASURES)


class ContactTerms(NamedTuple):
    """What placing a confirmed contact takes (``ContactConfirmed``'s fields)."""

    contact_id: int
    person_id: int
    degree: str
    last_exposure_at: datetime


def new_placement(
    session: Session,
    actor: Principal,
    person: Person,
    period: schedule.Period,
    *,
    basis: str,
    day0_at: datetime,
    edition_id: str,
    **links: int | None,
) -> Placement:
    """A placement of ``period`` from ``day0_at``, its test days, the audit row and the event."""
    placement = Placement(**_values(actor, person, period, basis=basis, day0_at=day0_at,
                                    edition_id=edition_id, **links))  # fmt: skip
    session.add(placement)
    session.flush()
    set_schedule(session, placement, day0_at)
    write_audit(session, actor, "placement.create", placement, None)
    started(session, placement)
    recount(session, [placement.region_code])
    return placement


def _new(person: Person, period: schedule.Period, **terms: Any) -> NewPlacement:
    """A placement by the system for a bulk path (``store_new``); ``terms`` as ``_values``."""
    return NewPlacement(**_values(SYSTEM, person, period, **terms))


def _values(
    actor: Principal,
    person: Person,
    period: schedule.Period,
    *,
    basis: str,
    day0_at: datetime,
    edition_id: str,
    **links: int | None,
) -> dict[str, Any]:
    """A new placement's column values (a mapped ``Placement`` or a ``NewPlacement``)."""
    pending = period.measure == Measure.CENTRALIZED.value and links.get("follows_id") is None
    return dict(
        person_id=person.id,
        measure=period.measure,
        basis=basis,
        household_id=person.household_id,
        day0_at=day0_at,
        starts_at=day0_at,
        ends_at=schedule.ends_at(day0_at, period.days),
        days=period.days,
        test_days=list(period.test_days),
        region_code=person.grid_code,
        status="pending" if pending else "active",
        edition_id=edition_id,
        created_by=actor.id,
        note="",
        **links,
    )


def cancel(session: Session, actor: Principal, placement: Placement, note: str) -> None:
    before = snapshot(placement)
    placement.status, placement.note = "cancelled", note
    session.flush()
    write_audit(session, actor, "placement.cancel", placement, before)
    ended(session, placement)
    recount(session, [placement.region_code])


# --- contacts -----------------------------------------------------------------------------


def place_contact(
    session: Session, *, contact_id: int, person_id: int, degree: str, last_exposure_at: datetime
) -> Placement | None:
    """Idempotent per contact: the open placement's day 0 moves, or a new one is made."""
    terms = ContactTerms(contact_id, person_id, degree, last_exposure_at)
    moves: dict[int, tuple[Placement, datetime]] = {}
    placed = _place_or_move(session, terms, repository.open_for_contact(session, contact_id), moves)
    _reschedule(session, list(moves.values()))
    return placed


def _place_or_move(
    session: Session, terms: ContactTerms, placements: Sequence[Placement],
    moves: dict[int, tuple[Placement, datetime]],
) -> Placement | None:  # fmt: skip
    """``place_contact`` given the contact's open placements (a follow-on period included);
    the placements whose day 0 moves are added to ``moves``."""
    open_now = [p for p in placements if p.follows_id is None]
    for placement in open_now:
        if placement.day0_at != terms.last_exposure_at:
            moves[placement.id] = (placement, terms.last_exposure_at)
    if open_now:
        return open_now[0]
    if placements:
        return None  # the follow-on period is running: the first one was released
    edition = edition_now(session)
    periods = schedule.contact_periods(edition, terms.degree)
    person = repository.person(session, terms.person_id)
    if not periods or person is None:
        return None
    return new_placement(
        session,
        SYSTEM,
        person,
        periods[0],
        basis="contact",
        day0_at=terms.last_exposure_at,
        edition_id=edition.id,
        contact_id=terms.contact_id,
    )


def _reschedule(session: Session, moves: Sequence[tuple[Placement, datetime]]) -> None:
    """The placements' day 0 moved together, a ``placement.reschedule`` audit row each."""
    if not moves:
        return
    before = [snapshot(placement) for placement, _ in moves]
    set_schedules(session, moves)
    for (placement, _), was in zip(moves, before, strict=True):
        write_audit(session, SYSTEM, "placement.reschedule", placement, was)


def place_contacts(session: Session, confirmed: Sequence[ContactTerms]) -> list[AnyPlacement]:
    """``place_contact`` for a decision batch: the open placements of all the contacts read at
    once; the day 0 of those placed already moved together, the others' placements made
    together (one insert, one recount). The new placements returned are not in the
    session."""
    having = repository.open_for_contacts(session, [c.contact_id for c in confirmed])
    made: list[AnyPlacement] = []
    moves: dict[int, tuple[Placement, datetime]] = {}
    for terms in (c for c in confirmed if c.contact_id in having):
        placement = _place_or_move(session, terms, having[terms.contact_id], moves)
        made.extend([placement] if placement is not None else [])
    _reschedule(session, list(moves.values()))
    return made + _place_fresh_contacts(
        session, [c for c in confirmed if c.contact_id not in having]
    )


def _place_fresh_contacts(
    session: Session, confirmed: Sequence[ContactTerms]
) -> list[NewPlacement]:
    edition = edition_now(session)
    people = repository.people_homes(session, [c.person_id for c in confirmed])
    placements = []
    for terms in confirmed:
        periods = schedule.contact_periods(edition, terms.degree)
        if periods and terms.person_id in people:
            placements.append(_new(
                people[terms.person_id], periods[0], basis="contact",
                day0_at=terms.last_exposure_at, edition_id=edition.id,
                contact_id=terms.contact_id,
            ))  # fmt: skip
    store_new(session, placements)
    return placements


def cancel_contact(session: Session, *, contact_id: int, status: str) -> int:
    """The contact was closed: a placement that has not started is cancelled."""
    pending = [p for p in repository.open_for_contact(session, contact_id) if p.status == "pending"]
    for placement in pending:
        cancel(session, SYSTEM, placement, f"contact {status}")
    return len(pending)


# --- arrivals -----------------------------------------------------------------------------


def place_trip(session: Session, *, trip_id: int, measure: str) -> Placement | None:
    """A classified trip: its measure placed from the arrival; a lighter measure cancels a
    pending placement of a heavier one."""
    trip = repository.trip(session, trip_id)
    if trip is None:
        return None
    current = repository.open_for_trip(session, trip_id)
    for placement in current:
        if placement.status == "pending" and WEIGHT.get(measure, 0) < WEIGHT[placement.measure]:
            cancel(session, SYSTEM, placement, f"trip reclassified: {measure}")
    if measure not in PLACED or any(p.status != "cancelled" for p in current):
        return None
    person = repository.person(session, trip.person_id)
    if person is None:
        return None
    period = schedule.Period(measure, trip.measure_days, tuple(trip.test_days))
    placement = new_placement(
        session,
        SYSTEM,
        person,
        period,
        basis="arrival",
        day0_at=trip.arrived_at,
        edition_id=trip.edition_id,
        trip_id=trip.id,
    )
    if placement.status == "active":
        screening.placement_done(
            session, trip_id=trip.id, placement_ref=f"placement:{placement.id}"
        )
    return placement


def place_trips(
    session: Session, classified: Sequence[tuple[int, str, bool]]
) -> list[AnyPlacement]:
    """``place_trip`` for a batch of classified trips ``(trip_id, measure, new)`` (a pushed
    list's chunk): a trip with an open placement goes the one-by-one way; the others whose
    measure is placed get theirs made together (one flush, one recount, their placement tasks
    done). Only the trips that existed before (``new`` false) are looked up for placements: a
    chunk's new trips are most of it, and on PostgreSQL that look-up, in a table growing in the
    same transaction, ran as a sequential scan once its plan was cached (10.7 s of the
    server's time in one 100,000-row list)."""
    older = [trip_id for trip_id, _, new in classified if not new]
    having = repository.trips_with_open(session, older)
    made: list[AnyPlacement] = []
    fresh: dict[int, str] = {}
    for trip_id, measure, _new in classified:
        if trip_id in having:
            placement = place_trip(session, trip_id=trip_id, measure=measure)
            made.extend([placement] if placement is not None else [])
        elif measure in PLACED:
            fresh[trip_id] = measure
    return made + _place_fresh(session, fresh)


def _place_fresh(session: Session, measures: dict[int, str]) -> list[NewPlacement]:
    """New placements of trips that have none open: what ``place_trip`` makes, in bulk (Core
    inserts: the ORM would insert them one by one on SQLite to learn each id). The placements
    returned are not in the session."""
    if not measures:
        return []
    trips = repository.trip_terms(session, list(measures))
    people = repository.people_homes(session, [trip.person_id for trip in trips.values()])
    placements = [
        _new(people[trip.person_id],  # a row: id, household, grid
             schedule.Period(measures[trip.id], trip.measure_days, tuple(trip.test_days)),
             basis="arrival", day0_at=trip.arrived_at, edition_id=trip.edition_id,
             trip_id=trip.id)
        for trip in (trips[trip_id] for trip_id in measures if trip_id in trips)
        if trip.person_id in people
    ]  # fmt: skip
    store_new(session, placements)
    done = {p.trip_id: f"placement:{p.id}" for p in placements
            if p.status == "active" and p.trip_id is not None}  # fmt: skip
    screening.placements_done(session, done)
    return placements


# --- by hand ------------------------------------------------------------------------------


def place(session: Session, *, actor: Principal, data: PlacementCreate) -> Placement:
    person = repository.person_in_scope(session, actor, data.person_id)
    if person is None:
        raise errors.PersonNotFound()
    if data.day0_at > clock.now():
        raise errors.Day0InFuture()
    measure = data.measure.value
    if any(p.measure == measure for p in repository.open_of_person(session, person.id)):
        raise errors.AlreadyPlaced()
    tests = tuple(data.test_days)
    placement = new_placement(
        session,
        actor,
        person,
        schedule.Period(measure, data.days, tests),
        basis="manual",
        day0_at=data.day0_at,
        edition_id=edition_now(session).id,
    )
    placement.note = data.note
    return placement


# --- cases ----------------------------------------------------------------------------------


def transfer_person(session: Session, *, person_id: int) -> int:
    """The person turned positive: every open placement ends ``transferred``; the room frees."""
    now = clock.now()
    moved = repository.open_of_person(session, person_id)
    for placement in moved:
        before = snapshot(placement)
        placement.status, placement.transferred_at = "transferred", now
        session.flush()
        write_audit(session, SYSTEM, "placement.transfer", placement, before)
        ended(session, placement)
    recount(session, [p.region_code for p in moved] or [])
    return len(moved)
