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
from fangkong.quarantine.placements import handlers
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
