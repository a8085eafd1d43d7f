"""A decision batch of confirmed contacts (``ContactsConfirmed``) placed together: each new
contact gets the placement ``ContactConfirmed`` would give it (measure and period by degree,
day 0 the last exposure, its test days, an audit row), a contact already placed has its day 0
moved instead of a second placement, and the grid's counts are recounted once."""

from __future__ import annotations

from datetime import date

import pytest

from fangkong.core import clock
from fangkong.core.events import _handlers
from fangkong.models import AuditLog, GridCounts
from fangkong.quarantine.placements import handlers, schedule
from fangkong.quarantine.placements.service.common import NewPlacement
from fangkong.tracing.events import ContactConfirmed, ContactsConfirmed
from outbreak_world import GRID, at, make_case, make_contact, make_resident
from quarantine.world import confirm, day_rows, placements_of, use_edition


@pytest.fixture(autouse=True)
def ninth(session):
    use_edition(session, "cn-9th-2022-06")


def _event(contact, last):
    return ContactConfirmed(contact.id, contact.person_id, contact.degree, last, "")


def _contacts(session, settings, *degrees):
    case = make_case(session, make_resident(session, settings, name="病例甲"))
    people = [make_resident(session, settings) for _ in degrees]
    return [
        make_contact(session, person, case, degree=degree, exposure_end_at=at(2, 20))
        for person, degree in zip(people, degrees, strict=True)
    ]


def test_the_batch_handler_is_subscribed():
    assert handlers.on_contacts_confirmed in _handlers[ContactsConfirmed]


def test_a_batch_places_each_contact_as_one_by_one_would(session, settings):
    close, secondary = _contacts(session, settings, "close", "secondary")
    with clock.frozen(at(2, 21)):
        batch = ContactsConfirmed((_event(close, at(2, 20)), _event(secondary, at(2, 18))))
        handlers.on_contacts_confirmed(session, batch)
    [central] = placements_of(session, close.person_id)
    [home] = placements_of(session, secondary.person_id)
    assert (central.measure, central.status, central.days) == ("centralized", "pending", 7)
    assert central.day0_at == at(2, 20) and central.contact_id == close.id
    assert (home.measure, home.status, home.basis) == ("home_isolation", "active", "contact")
    assert [t.day_no for t in day_rows(session, central)] == list(central.test_days)
    assert day_rows(session, central)[0].due_on == date(2022, 11, 3)
    audited = session.query(AuditLog).filter_by(action="placement.create").all()
    assert sorted(int(a.object_id) for a in audited) == sorted([central.id, home.id])
    assert session.get(GridCounts, GRID).home_isolated_or_monitored == 1


def test_a_contact_already_placed_has_day0_moved_not_a_second_placement(session, settings):
    placed, fresh = _contacts(session, settings, "close", "close")
    with clock.frozen(at(3, 9)):
        confirm(session, placed.id, placed.person_id, "close", at(2, 20))
        [first] = placements_of(session, placed.person_id)
        batch = ContactsConfirmed((_event(placed, at(3, 8)), _event(fresh, at(2, 20))))
        handlers.on_contacts_confirmed(session, batch)
    assert placements_of(session, placed.person_id) == [first]
    assert first.day0_at == at(3, 8)
    assert len(placements_of(session, fresh.person_id)) == 1


def test_an_empty_batch_places_nobody(session, settings):
    handlers.on_contacts_confirmed(session, ContactsConfirmed(()))
    assert session.query(AuditLog).filter_by(action="placement.create").count() == 0


def test_contacts_already_placed_are_rescheduled_together_keeping_sampled_days(session, settings):
    """Two placed contacts whose last exposure moved later in one batch: both day 0 move,
    their unsampled test days follow, a day already sampled stays, one audit row each."""
    first, second = _contacts(session, settings, "close", "close")
    with clock.frozen(at(3, 9)):
        for contact in (first, second):
            confirm(session, contact.id, contact.person_id, "close", at(2, 20))
        placed = [placements_of(session, c.person_id)[0] for c in (first, second)]
        sampled = next(t for t in day_rows(session, placed[0]) if t.day_no == 1)
        sampled.tube_id, sampled.sampled_at = 42, at(3, 9)
        session.flush()
        batch = ContactsConfirmed((_event(first, at(3, 8)), _event(second, at(3, 7))))
        handlers.on_contacts_confirmed(session, batch)
    assert [p.day0_at for p in placed] == [at(3, 8), at(3, 7)]
    for placement, day0 in zip(placed, (at(3, 8), at(3, 7)), strict=True):
        open_days = [t for t in day_rows(session, placement) if t.sampled_at is None]
        assert open_days and all(t.due_on == schedule.due_on(day0, t.day_no) for t in open_days)
    kept = {t.day_no: t for t in day_rows(session, placed[0])}[1]
    assert (kept.tube_id, kept.sampled_at) == (42, at(3, 9))
    rows = session.query(AuditLog).filter_by(action="placement.reschedule").all()
    assert sorted(int(r.object_id) for r in rows) == sorted(p.id for p in placed)


def test_a_bulk_placement_refuses_a_column_placements_do_not_have():
    """A batch's placements are plain objects (``NewPlacement``); a misspelled column is an
    error, as it is for a mapped ``Placement``, not a value silently left out of the row."""
    with pytest.raises(TypeError, match="trips_id"):
        NewPlacement(person_id=1, trips_id=2)
    assert NewPlacement(person_id=1, trip_id=2).trip_id == 2
