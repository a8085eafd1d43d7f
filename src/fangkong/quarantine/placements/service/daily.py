"""The days of a placement: test days sampled (a tube) and done (a negative single tube), a
test not sampled by the end of its day ``missed``, and the daily check-in (temperature and
symptoms) by the person or by the grid worker or site officer — one a day, a second replaces
the first. A fever is the edition's ``venues.fever_from_celsius`` or above."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy.orm import Session

from fangkong.audit import service as audit
from fangkong.core import clock
from fangkong.core.iterables import batched
from fangkong.core.principal import SYSTEM, Principal
from fangkong.models.quarantine import CheckIn, Placement
from fangkong.quarantine.placements import errors, repository
from fangkong.quarantine.placements.schemas import CheckInIn
from fangkong.quarantine.placements.service.common import edition_now, get_placement

CITIZEN = Principal(id=None, username="citizen", role="citizen", region_code="")
LOOKUP_CHUNK = 5_000  # people per IN list


def _local_day(at: datetime) -> date:
    return at.astimezone(clock.LOCAL_TZ).date()


def tests_sampled(session: Session, person_ids: Sequence[int], tube_id: int, at: datetime) -> int:
    """A tube sampled these people: their open tests due that day are sampled."""
    return tests_sampled_many(session, [(person_ids, tube_id, at)])


def tests_sampled_many(
    session: Session, tubes: Sequence[tuple[Sequence[int], int, datetime]]
) -> int:
    """``tests_sampled`` of many tubes (a bulk sampling): each day's open tests of all their
    people read at once; a person sampled twice takes the later tube."""
    by_day: dict[date, dict[int, tuple[int, datetime]]] = {}
    for people, tube_id, at in tubes:
        for person_id in people:
            by_day.setdefault(_local_day(at), {})[person_id] = (tube_id, at)
    count = 0
    for day, sampled in by_day.items():
        for chunk in batched(sorted(sampled), LOOKUP_CHUNK):
            for test in repository.open_tests_on(session, chunk, day):
                test.tube_id, test.sampled_at = sampled[test.person_id]
                count += 1
    session.flush()
    return count


def test_negative(session: Session, person_id: int, sampled_at: datetime) -> int:
    """A negative single tube sampled on a test day: that day's test is done, negative."""
    tests = repository.open_tests_on(session, [person_id], _local_day(sampled_at))
    for test in tests:
        test.status, test.result = "done", "negative"
        test.sampled_at = test.sampled_at or sampled_at
    session.flush()
    if tests:
        audit.record(
            session,
            actor=SYSTEM,
            action="placement.test_negative",
            object_type="person",
            object_id=person_id,
            after={"days": [t.day_no for t in tests]},
        )
    return len(tests)


def mark_missed(session: Session, *, today: date) -> int:
    """Tests due before ``today`` and never sampled are missed (the daily job)."""
    missed = repository.mark_missed(session, today)
    if missed:
        audit.record(
            session,
            actor=SYSTEM,
            action="placement.tests_missed",
            object_type="quarantine_tests",
            object_id=str(today),
            after={"missed": missed},
        )
    return missed


def _record(
    session: Session, actor: Principal, placement: Placement, data: CheckInIn, by_person: bool
) -> CheckIn:
    if placement.status != "active":
        raise errors.NotActive()
    day = data.on or clock.local_today()
    row = repository.check_in_on(session, placement.id, day)
    before = None if row is None else {"temperature": row.temperature, "symptoms": row.symptoms}
    if row is None:
        row = CheckIn(placement_id=placement.id, on=day)
        session.add(row)
    row.temperature, row.symptoms, row.by_person = data.temperature, list(data.symptoms), by_person
    row.recorded_by, row.recorded_at = actor.id, clock.now()
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="placement.check_in",
        object_type="placement",
        object_id=placement.id,
        region_code=placement.region_code,
        before=before,
        after={"on": str(day), "temperature": row.temperature, "symptoms": row.symptoms},
    )
    return row


def check_in(session: Session, *, actor: Principal, placement_id: int, data: CheckInIn) -> CheckIn:
    """By the grid worker or the site officer, on the placement page."""
    placement = get_placement(session, actor=actor, placement_id=placement_id)
    return _record(session, actor, placement, data, by_person=False)


def self_check_in(session: Session, *, person_id: int, data: CheckInIn) -> CheckIn:
    """By the person (a signed-in citizen): their active placement."""
    active = [p for p in repository.open_of_person(session, person_id) if p.status == "active"]
    if not active:
        raise errors.PlacementNotFound()
    return _record(session, CITIZEN, active[0], data, by_person=True)


def fever_from(session: Session) -> float:
    return float(edition_now(session).venues.fever_from_celsius)
