"""Deadlines and escalation (问责): an open screening past due goes to the street at the
edition's ``street_after_hours`` and to the district at ``district_after_hours``; the overdue
fact is raised once; a second run changes nothing. Time is frozen with ``clock.frozen``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from arrivals.screening.helpers import open_facts, task_of
from arrivals.world import make_resident, make_trip
from fangkong.arrivals.screening import service
from fangkong.core import clock
from fangkong.healthcode import service as healthcode
from fangkong.models import AuditLog

ARRIVED = datetime(2026, 3, 3, 2, 0, tzinfo=UTC)


def _rules(session):
    return healthcode.current_edition(session).arrivals


def test_escalation_follows_the_editions_hours(session, settings, world):
    person = make_resident(session, settings)
    rules = _rules(session)
    due_hours = rules.screening_deadline_hours
    with clock.frozen(ARRIVED):
        trip = make_trip(session, person, arrived_at=ARRIVED, due_hours=due_hours)
    task = task_of(session, trip, "screening")
    due = task.due_at
    street_at = due + timedelta(hours=rules.escalation.street_after_hours)
    district_at = due + timedelta(hours=rules.escalation.district_after_hours)

    with clock.frozen(due - timedelta(minutes=1)):
        assert service.escalate(session).model_dump() == {"street": 0, "district": 0,
                                                          "facts_raised": 0}  # fmt: skip
    with clock.frozen(max(street_at, due + timedelta(minutes=1))):
        first = service.escalate(session)
    session.refresh(task)
    assert (first.street, first.district, first.facts_raised) == (1, 0, 1)
    assert task.escalation == "street" and task.escalated_at == max(
        street_at, due + timedelta(minutes=1)
    )
    assert [f.ref for f in open_facts(session, person.id)] == [f"trip:{trip.id}"]
    landing = task_of(session, trip, "landing_test")
    assert landing.escalation == "none"  # only screenings are escalated

    with clock.frozen(district_at - timedelta(minutes=1)):
        assert service.escalate(session).model_dump() == {"street": 0, "district": 0,
                                                          "facts_raised": 0}  # fmt: skip
    with clock.frozen(district_at):
        second = service.escalate(session)
        again = service.escalate(session)
    session.refresh(task)
    assert (second.street, second.district, second.facts_raised) == (0, 1, 0)
    assert (again.street, again.district, again.facts_raised) == (0, 0, 0)
    assert task.escalation == "district" and task.escalated_at == district_at
    assert len(open_facts(session, person.id)) == 1
    rows = session.scalars(select(AuditLog).where(AuditLog.action == "arrivals.task.escalate"))
    assert len(list(rows)) == 2


def test_done_tasks_are_never_escalated(session, settings, world):
    person = make_resident(session, settings)
    trip = make_trip(session, person, arrived_at=clock.now() - timedelta(days=3))
    task = task_of(session, trip, "screening")
    task.status = "done"
    session.flush()
    assert service.escalate(session).model_dump() == {"street": 0, "district": 0,
                                                      "facts_raised": 0}  # fmt: skip
    assert open_facts(session, person.id) == []


def test_a_long_overdue_task_goes_straight_to_the_district(session, settings, world):
    person = make_resident(session, settings)
    hours = _rules(session).escalation.district_after_hours + 1
    trip = make_trip(session, person, arrived_at=clock.now() - timedelta(hours=hours),
                     due_hours=0)  # fmt: skip
    out = service.escalate(session)
    assert (out.street, out.district) == (0, 1)
    assert task_of(session, trip, "screening").escalation == "district"


def test_the_jobs_run_the_services(session, settings, world):
    from fangkong.arrivals.screening import jobs

    person = make_resident(session, settings)
    trip = make_trip(session, person, arrived_at=clock.now() - timedelta(hours=30))
    assert jobs.escalate(session, settings, clock.local_today())["facts_raised"] == 1
    assert jobs.landing_tests(session, settings, clock.local_today()) == {"closed": 0}
    due_day = task_of(session, trip, "screening").due_at.astimezone(clock.LOCAL_TZ).date()
    recorded = jobs.accountability(session, settings, due_day + timedelta(days=1))
    assert recorded["date"] == due_day.isoformat()
    district = next(r for r in recorded["rows"] if r["level"] == "district")
    assert (district["due"], district["overdue"]) == (1, 1)
