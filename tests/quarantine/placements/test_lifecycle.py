"""A placement's life: test days sampled, done negative or missed; check-ins; release only
when the period is over and every test negative; transfer when positive; placements from
arrivals (the trip's task done) and from contacts (day 0 moved, cancelled when closed); the two
control counts of the grid."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from arrivals.world import make_trip
from fangkong.arrivals.events import TripClassified
from fangkong.cases.events import CaseReported, CasesReported
from fangkong.core import clock
from fangkong.core.errors import DomainError
from fangkong.core.events import _handlers
from fangkong.healthcode.events import NegativeTest
from fangkong.models import GridCounts
from fangkong.models.arrivals import ArrivalTask
from fangkong.quarantine.placements import handlers, service
from fangkong.quarantine.placements.schemas import CheckInIn
from fangkong.testing.events import PeopleSampled, TubesSampled
from fangkong.tracing.events import ContactClosed, ContactConfirmed
from outbreak_world import GRID, at, make_case, make_placement, make_resident
from quarantine.world import (
    DISTRICT_OFFICER,
    all_negative,
    confirm,
    confirmed_contact,
    day_rows,
    placements_of,
    use_edition,
)


@pytest.fixture(autouse=True)
def ninth(session):
    use_edition(session, "cn-9th-2022-06")


def code_of(call):
    with pytest.raises(DomainError) as caught:
        call()
    return caught.value.code


def release(session, placement):
    return service.release(session, actor=DISTRICT_OFFICER, placement_id=placement.id)


def test_every_handler_is_subscribed():
    for event, handler in (
        (ContactConfirmed, handlers.on_contact_confirmed),
        (ContactClosed, handlers.on_contact_closed),
        (TripClassified, handlers.on_trip_classified),
        (CasesReported, handlers.on_cases_reported),
        (PeopleSampled, handlers.on_people_sampled),
        (TubesSampled, handlers.on_tubes_sampled),
        (NegativeTest, handlers.on_negative_test),
    ):
        assert handler in _handlers[event]


def test_release_early_then_with_a_test_missing_then_released(session, settings):
    placement = make_placement(
        session,
        make_resident(session, settings),
        measure="home_isolation",
        days=7,
        test_days=(1, 4, 7),
    )
    service.recount(session, [GRID])  # the factory wrote no day rows: schedule them
    from fangkong.quarantine.placements.service.common import set_schedule

    set_schedule(session, placement, placement.day0_at)
    with clock.frozen(at(8, 12)):
        assert code_of(lambda: release(session, placement)) == "quarantine.release_early"
    with clock.frozen(at(10, 12)):
        assert code_of(lambda: release(session, placement)) == "quarantine.tests_missing"
        assert service.release_queue(session, actor=DISTRICT_OFFICER) == []
        all_negative(session, placement)
        assert [p.id for p in service.release_queue(session, actor=DISTRICT_OFFICER)] == [
            placement.id
        ]
        release(session, placement)
    assert placement.status == "released" and placement.certificate_no.startswith("JC20221110")
    assert code_of(lambda: release(session, placement)) == "quarantine.not_active"


def test_test_days_sampled_negative_and_missed(session, settings):
    with clock.frozen(at(2, 21)):
        person, _ = confirmed_contact(session, settings)
    [placement] = placements_of(session, person.id)
    handlers.on_people_sampled(session, PeopleSampled((person.id,), 42, at(3, 9)))
    handlers.on_negative_test(session, NegativeTest(person.id, at(3, 9), "lab"))
    handlers.on_people_sampled(session, PeopleSampled((person.id,), 43, at(4, 9)))
    assert service.mark_missed(session, today=date(2022, 11, 6)) == 1  # day 3, never sampled
    days = {t.day_no: (t.status, t.result, t.tube_id) for t in day_rows(session, placement)}
    assert days[1] == ("done", "negative", 42)
    assert days[2] == ("open", None, 43)  # sampled, result to come
    assert days[3] == ("missed", None, None) and days[5] == ("open", None, None)


def test_a_bulk_sampling_marks_each_persons_test_day(session, settings):
    with clock.frozen(at(2, 21)):
        first, _ = confirmed_contact(session, settings)
        second, _ = confirmed_contact(session, settings)
    handlers.on_tubes_sampled(session, TubesSampled((
        PeopleSampled((first.id,), 51, at(3, 9)), PeopleSampled((second.id,), 52, at(3, 10)))))  # fmt: skip
    for person, tube in ((first, 51), (second, 52)):
        [placement] = placements_of(session, person.id)
        days = {t.day_no: (t.status, t.tube_id) for t in day_rows(session, placement)}
        assert days[1] == ("open", tube) and days[2] == ("open", None)


def test_check_ins_one_a_day_and_the_fever_flag(session, settings):
    placement = make_placement(session, make_resident(session, settings), measure="home_isolation")
    with clock.frozen(at(4, 9)):
        service.check_in(
            session,
            actor=DISTRICT_OFFICER,
            placement_id=placement.id,
            data=CheckInIn(temperature=36.5),
        )
        service.check_in(
            session,
            actor=DISTRICT_OFFICER,
            placement_id=placement.id,
            data=CheckInIn(temperature=37.8, symptoms=["咳嗽"]),
        )
        detail = service.detail(session, actor=DISTRICT_OFFICER, placement_id=placement.id)
        feverish = service.PlacementFilter(fever_from=service.fever_from(session))
        listed, _ = service.list_placements(
            session, actor=DISTRICT_OFFICER, page=service_page(), where=feverish
        )
    [row] = detail.check_ins
    assert (row.temperature, row.symptoms, row.fever) == (37.8, ["咳嗽"], True)
    assert detail.fever and [p.id for p in listed] == [placement.id]
    with pytest.raises(ValueError):
        CheckInIn(temperature=43)


def service_page():
    from fangkong.core.pagination import PageParams

    return PageParams(limit=50)


def test_transfer_when_positive_frees_the_room_and_counts(session, settings):
    person = make_resident(session, settings)
    central = make_placement(session, person, room_id=None)
    service.recount(session, [GRID])
    assert session.get(GridCounts, GRID).positives_and_centrally_isolated == 1
    case = make_case(session, person)
    reported = CaseReported(case.id, person.id, None, at(3, 8), None, GRID, "quarantine")
    handlers.on_cases_reported(session, CasesReported((reported,)))
    assert central.status == "transferred" and central.transferred_at is not None
    counts = session.get(GridCounts, GRID)
    assert counts.positives_and_centrally_isolated == 1  # now the case, not the placement
    assert counts.home_isolated_or_monitored == 0


def test_home_counts_follow_placements(session, settings):
    person = make_resident(session, settings)
    with clock.frozen(at(2, 21)):
        confirmed_contact(session, settings, degree="secondary")
    assert session.get(GridCounts, GRID).home_isolated_or_monitored == 1
    assert person.id  # a second resident of the grid is not counted


def test_a_later_confirmation_moves_day0_and_open_tests(session, settings):
    with clock.frozen(at(3, 9)):
        person, contact = confirmed_contact(session, settings)
        [placement] = placements_of(session, person.id)
        confirm(session, contact.id, person.id, "close", at(3, 18))
    assert placements_of(session, person.id) == [placement]
    assert placement.day0_at == at(3, 18) and placement.ends_at == at(10, 18)
    assert day_rows(session, placement)[0].due_on == date(2022, 11, 4)


def test_contact_closed_cancels_a_pending_placement(session, settings):
    person, contact = confirmed_contact(session, settings)
    handlers.on_contact_closed(session, ContactClosed(contact.id, person.id, "close", "rejected"))
    [placement] = placements_of(session, person.id)
    assert placement.status == "cancelled"


def test_arrival_placed_from_the_arrival_and_its_task_done(session, settings):
    person = make_resident(session, settings)
    trip = make_trip(
        session,
        person,
        arrived_at=at(5, 7),
        grade="high",
        measure="home_isolation",
        kinds=("placement",),
    )
    trip.measure_days, trip.test_days = 7, [1, 3, 7]
    session.flush()
    handlers.on_trip_classified(
        session, TripClassified(trip.id, person.id, "high", "home_isolation")
    )
    [placement] = placements_of(session, person.id)
    assert (placement.basis, placement.status, placement.day0_at) == ("arrival", "active", at(5, 7))
    assert placement.ends_at == at(5, 7) + timedelta(days=7)
    task = session.query(ArrivalTask).filter_by(trip_id=trip.id, kind="placement").one()
    assert task.status == "done" and task.done_ref == f"placement:{placement.id}"


def test_reclassified_lighter_cancels_a_pending_centralized_placement(session, settings):
    person = make_resident(session, settings)
    trip = make_trip(session, person, arrived_at=at(5, 7), grade="high", measure="centralized")
    trip.measure_days, trip.test_days = 7, [1, 7]
    session.flush()
    handlers.on_trip_classified(session, TripClassified(trip.id, person.id, "high", "centralized"))
    handlers.on_trip_classified(session, TripClassified(trip.id, person.id, "low", "none"))
    [placement] = placements_of(session, person.id)
    assert (placement.measure, placement.status) == ("centralized", "cancelled")


def test_released_follow_on_for_the_released_period(session, settings):
    person, _ = confirmed_contact(session, settings)
    [placement] = placements_of(session, person.id)
    placement.status = "active"
    all_negative(session, placement)
    with clock.frozen(placement.ends_at):
        release(session, placement)
    first, then = placements_of(session, person.id)
    assert then.measure == "home_monitoring" and then.follows_id == first.id
    assert session.get(GridCounts, GRID).home_isolated_or_monitored == 1


def test_timeline_shows_placed_room_released_and_transferred(session, settings):
    from dataclasses import replace

    from fangkong.quarantine.placements.timeline import placements as timeline

    person = make_resident(session, settings)
    make_placement(session, person, room_id=None, released_at=at(9, 21))
    make_placement(session, person, status="transferred", transferred_at=at(12, 8))
    reader = replace(DISTRICT_OFFICER, permissions=frozenset({"quarantine.read"}))
    texts = [e.text for e in timeline(session, reader, person.id)]
    assert texts.count("Placed under %(measure)s") == 2
    assert "Released from %(measure)s" in texts and "Transferred to hospital" in texts
    assert list(timeline(session, DISTRICT_OFFICER, person.id)) == []  # no permission


def test_people_recount_keeps_the_control_counts(session, settings):
    from fangkong.people.service import recount_grids

    make_placement(session, make_resident(session, settings), measure="home_monitoring")
    service.recount(session, [GRID])
    recount_grids(session, [GRID])
    counts = session.get(GridCounts, GRID)
    assert (counts.residents, counts.home_isolated_or_monitored) == (1, 1)


def test_the_daily_job_marks_missed_tests_and_recounts(session, settings):
    import fangkong.quarantine.jobs  # noqa: F401 - registers the jobs
    from fangkong.jobs.registry import registered

    with clock.frozen(at(2, 21)):
        person, _ = confirmed_contact(session, settings, degree="secondary")
    job = registered()["quarantine.daily"]
    result = job.func(session, settings, date(2022, 11, 7))
    assert result["missed"] == 2 and result["grids"] >= 1  # days 1 and 4 were never sampled
    statuses = [t.status for t in day_rows(session, placements_of(session, person.id)[0])]
    assert statuses == ["missed", "missed", "open"]
    assert job.func(session, settings, date(2022, 11, 7))["missed"] == 0  # idempotent
