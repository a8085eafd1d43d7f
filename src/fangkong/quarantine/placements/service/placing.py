"""Placing people under control: from a confirmed contact (day 0 = the last exposure), from an
arrival (day 0 = the arrival), or by an officer's decision; moving day 0 when a later
confirmation moves the last exposure; cancelling a placement that has not started; transfer
to hospital when the person turns positive.

Centralized placements wait as ``pending`` until a room is assigned; home measures start
``active`` at once. ``PlacementStarted`` is published when the placement is made (the person
is under control from then, waiting for transfer to a site or not).
"""

from __future__ import annotations

from datetime import datetime

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
    edition_now,
    ended,
    recount,
    set_schedule,
    snapshot,
    started,
    write_audit,
)

WEIGHT = {
    Measure.HOME_MONITORING.value: 1,
    Measure.HOME_ISOLATION.value: 2,
    Measure.CENTRALIZED.value: 3,
}
PLACED = tuple(m.value for m in schedule.PLACED_MEASURES)


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
    pending = period.measure == Measure.CENTRALIZED.value and links.get("follows_id") is None
    placement = Placement(
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
    session.add(placement)
    session.flush()
    set_schedule(session, placement, day0_at)
    write_audit(session, actor, "placement.create", placement, None)
    started(session, placement)
    recount(session, [placement.region_code])
    return placement


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
    open_now = [p for p in repository.open_for_contact(session, contact_id) if p.follows_id is None]
    for placement in open_now:
        if placement.day0_at != last_exposure_at:
            before = snapshot(placement)
            set_schedule(session, placement, last_exposure_at)
            write_audit(session, SYSTEM, "placement.reschedule", placement, before)
    if open_now:
        return open_now[0]
    if repository.open_for_contact(session, contact_id):
        return None  # the follow-on period is running: the first one was released
    edition = edition_now(session)
    periods = schedule.contact_periods(edition, degree)
    person = repository.person(session, person_id)
    if not periods or person is None:
        return None
    return new_placement(
        session,
        SYSTEM,
        person,
        periods[0],
        basis="contact",
        day0_at=last_exposure_at,
        edition_id=edition.id,
        contact_id=contact_id,
    )


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
