"""The edition decides the schedule: the same confirmed contact gets 7 days centralized then 3
days home monitoring (9th), 5 centralized then 3 home isolation (20 measures), or 5 days home
isolation (new 10); a secondary contact 7 days home isolation (9th). Day 0 is the last exposure,
never the day the record was typed in."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from fangkong.core import clock
from fangkong.core.principal import SYSTEM
from fangkong.quarantine.placements import service
from fangkong.quarantine.placements.service import common
from outbreak_world import at
from plans import sqlite_plan, statements_on
from quarantine.world import all_negative, confirmed_contact, day_rows, placements_of, use_edition

TYPED_AT = at(9, 10)  # a week after the exposure: the record is typed in late


def _days(session, placement):
    return [t.day_no for t in day_rows(session, placement)]


def _release(session, placement):
    all_negative(session, placement)
    with clock.frozen(placement.ends_at + timedelta(hours=1)):
        service.release(session, actor=SYSTEM, placement_id=placement.id)
    return placements_of(session, placement.person_id)


@pytest.mark.parametrize(
    ("edition", "first", "then"),
    [
        ("cn-9th-2022-06", ("centralized", 7, [1, 2, 3, 5, 7]), ("home_monitoring", 3, [3])),
        ("cn-20-2022-11", ("centralized", 5, [1, 2, 3, 5]), ("home_isolation", 3, [1, 3])),
    ],
)
def test_close_contact_centralized_then_home(session, settings, edition, first, then):
    use_edition(session, edition)
    with clock.frozen(TYPED_AT):
        person, _ = confirmed_contact(session, settings)
    [placement] = placements_of(session, person.id)
    assert (placement.measure, placement.days, _days(session, placement)) == first
    assert placement.status == "pending" and placement.basis == "contact"
    assert placement.day0_at == at(2, 20) and placement.ends_at == at(2 + first[1], 20)
    assert day_rows(session, placement)[0].due_on == date(2022, 11, 3)
    placement.status = "active"  # a room was assigned
    first_period, follow = _release(session, placement)
    assert first_period.status == "released" and first_period.certificate_no
    assert (follow.measure, follow.days, _days(session, follow)) == then
    assert follow.follows_id == placement.id and follow.status == "active"
    assert follow.day0_at == placement.ends_at
    day3 = date(2022, 11, 2) + timedelta(days=first[1] + then[2][-1])
    assert day_rows(session, follow)[-1].due_on == day3


def test_close_contact_home_isolation_under_new10(session, settings):
    use_edition(session, "cn-new10-2022-12")
    with clock.frozen(TYPED_AT):
        person, _ = confirmed_contact(session, settings)
    [placement] = placements_of(session, person.id)
    assert (placement.measure, placement.days, _days(session, placement)) == (
        "home_isolation",
        5,
        [5],
    )
    assert placement.status == "active" and placement.day0_at == at(2, 20)
    [released] = _release(session, placement)
    assert released.status == "released"  # no follow-on under this edition


def test_secondary_contact_under_9th(session, settings):
    use_edition(session, "cn-9th-2022-06")
    with clock.frozen(TYPED_AT):
        person, _ = confirmed_contact(session, settings, degree="secondary")
    [placement] = placements_of(session, person.id)
    assert (placement.measure, placement.days, _days(session, placement)) == (
        "home_isolation",
        7,
        [1, 4, 7],
    )
    assert placement.ends_at == at(9, 20)


def test_secondary_contact_not_placed_under_20_measures(session, settings):
    use_edition(session, "cn-20-2022-11")
    person, _ = confirmed_contact(session, settings, degree="secondary")
    assert placements_of(session, person.id) == []


def test_moved_day0s_rewrite_the_open_tests_read_by_placement(session, settings):
    """The open tests of the placements whose day 0 moved are deleted by their placement key,
    never by reading every open test of the city (with two placements or more, SQLite took
    the status index for it)."""
    use_edition(session, "cn-20-2022-11")
    with clock.frozen(TYPED_AT):
        people = [confirmed_contact(session, settings)[0] for _ in range(2)]
    placements = [placements_of(session, person.id)[0] for person in people]
    before = [day_rows(session, placement)[0].due_on for placement in placements]
    moves = [(placement, placement.day0_at + timedelta(days=1)) for placement in placements]
    with statements_on(session, "quarantine_tests", "DELETE") as ran:
        common.set_schedules(session, moves)
    after = [day_rows(session, placement)[0].due_on for placement in placements]
    assert after == [day + timedelta(days=1) for day in before]
    [delete] = ran
    if session.get_bind().dialect.name == "sqlite":
        plan = sqlite_plan(session, delete)
        assert "(placement_id=?)" in plan and "ix_quarantine_tests_due" not in plan, plan
