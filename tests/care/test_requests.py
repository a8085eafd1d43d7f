"""Livelihood and one-to-one requests through the service: channel by kind, zone in force,
emergencies first and never refused, deadlines from settings, the status flow, overdue, and
nothing half written on bad input."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from care.conftest import (
    DAOLI_COMMUNITY,
    NANGANG_GRID,
    make_resident,
    make_volunteer,
    officer_of,
    seal,
)
from fangkong.care import errors
from fangkong.care.kinds import RequestKind
from fangkong.care.requests import service
from fangkong.care.requests.schemas import RequestCreate
from fangkong.care.volunteers import service as volunteers
from fangkong.care.volunteers.schemas import PairingCreate
from fangkong.core import clock
from fangkong.core.pagination import PageParams
from fangkong.models import AuditLog
from fangkong.models.care import CareRequest

OFFICER = officer_of("230102")


def ask(session, settings, person_id, kind="food", **extra):
    data = RequestCreate(person_id=person_id, kind=RequestKind(kind), text="需要米面油", **extra)
    return service.ask(session, actor=OFFICER, settings=settings, data=data)


def requests_in(session) -> int:
    return session.scalar(select(func.count()).select_from(CareRequest))


@pytest.fixture
def sealed_resident(session, settings, districts):
    person = make_resident(session, settings)
    seal(session)
    return person


def test_food_request_of_a_sealed_resident_is_taken(session, settings, sealed_resident):
    before = clock.now()
    request = ask(session, settings, sealed_resident.id)
    assert (request.channel, request.status, request.priority) == ("livelihood", "new", 1)
    assert request.zone_kind == "sealed" and request.zone_id is not None
    assert request.community_code == DAOLI_COMMUNITY
    hours = settings.care_hours_food
    assert before + timedelta(hours=hours) <= request.due_at <= clock.now() + timedelta(hours=hours)
    audit = session.scalars(select(AuditLog).where(AuditLog.action == "care.request_create")).one()
    assert audit.object_id == str(request.id)


def test_controlled_zone_counts_too(session, settings, districts):
    person = make_resident(session, settings)
    seal(session, kind="controlled")
    assert ask(session, settings, person.id, "medicine").zone_kind == "controlled"


def test_request_from_outside_any_zone_is_refused_with_a_code(session, settings, districts):
    person = make_resident(session, settings)
    with pytest.raises(errors.NotInZone):
        ask(session, settings, person.id, "food")
    assert requests_in(session) == 0


def test_precaution_zone_is_not_a_zone_for_requests(session, settings, districts):
    person = make_resident(session, settings)
    seal(session, kind="precaution")
    with pytest.raises(errors.NotInZone):
        ask(session, settings, person.id, "other")


def test_medical_emergency_is_taken_outside_zones_and_listed_first(session, settings, districts):
    person = make_resident(session, settings)
    seal(session)
    food = ask(session, settings, person.id, "food")
    other = make_resident(session, settings, NANGANG_GRID)
    medical = service.ask(
        session, actor=officer_of("230100"), settings=settings,
        data=RequestCreate(person_id=other.id, kind=RequestKind.MEDICAL, text="透析"),
    )  # fmt: skip
    assert medical.priority == 0 and medical.zone_id is None
    assert medical.due_at < food.due_at  # 2 h against 24 h by default
    rows, _ = service.list_requests(
        session, actor=officer_of("230100"), page=PageParams(), where=service.RequestFilter()
    )
    assert [r.id for r in rows] == [medical.id, food.id]
    assert rows[0].emergency is True


def test_unknown_person_and_other_district_person_are_refused(session, settings, districts):
    with pytest.raises(errors.UnknownPerson):
        ask(session, settings, 987654321, "medical")
    stranger = make_resident(session, settings, NANGANG_GRID)
    with pytest.raises(errors.UnknownPerson):
        ask(session, settings, stranger.id, "medical")
    assert requests_in(session) == 0


def test_deadline_in_the_past_is_refused(session, settings, sealed_resident):
    with pytest.raises(errors.DeadlineInPast):
        ask(session, settings, sealed_resident.id, due_at=clock.now() - timedelta(minutes=1))
    assert requests_in(session) == 0
    later = clock.now() + timedelta(hours=5)
    assert ask(session, settings, sealed_resident.id, due_at=later).due_at == later


def test_deadline_hours_come_from_settings(session, settings, sealed_resident):
    six = settings.model_copy(update={"care_hours_food": 6})
    request = ask(session, six, sealed_resident.id)
    assert request.due_at - request.created_at == pytest.approx(
        timedelta(hours=6), abs=timedelta(seconds=5)
    )


def test_status_flow_to_done_and_no_reopening(session, settings, sealed_resident):
    request = ask(session, settings, sealed_resident.id)
    volunteer_id = make_volunteer(session, settings)
    service.assign(session, actor=OFFICER, request_id=request.id, volunteer_id=volunteer_id)
    assert (request.status, request.volunteer_id) == ("assigned", volunteer_id)
    service.start(session, actor=OFFICER, request_id=request.id)
    service.complete(session, actor=OFFICER, request_id=request.id, outcome="已送达")
    assert request.status == "done" and request.done_at is not None
    for move in (
        lambda: service.assign(session, actor=OFFICER, request_id=request.id, volunteer_id=None),
        lambda: service.start(session, actor=OFFICER, request_id=request.id),
        lambda: service.complete(session, actor=OFFICER, request_id=request.id, outcome="again"),
        lambda: service.refuse(session, actor=OFFICER, request_id=request.id, reason="no"),
    ):
        with pytest.raises(errors.RequestClosed):
            move()
    assert request.status == "done" and request.outcome == "已送达"
    actions = session.scalars(
        select(AuditLog.action).where(AuditLog.object_type == "care_request")
    ).all()
    assert actions == ["care.request_create", "care.request_assign", "care.request_start",
                       "care.request_done"]  # fmt: skip


def test_start_needs_an_assignment(session, settings, sealed_resident):
    request = ask(session, settings, sealed_resident.id)
    with pytest.raises(errors.BadTransition):
        service.start(session, actor=OFFICER, request_id=request.id)


def test_medical_request_cannot_be_refused_only_done(session, settings, districts):
    person = make_resident(session, settings)
    request = ask(session, settings, person.id, "medical")
    with pytest.raises(errors.EmergencyNotRefusable):
        service.refuse(session, actor=OFFICER, request_id=request.id, reason="无车辆")
    assert request.status == "new"
    service.complete(session, actor=OFFICER, request_id=request.id, outcome="已送医")
    assert request.status == "done"


def test_ordinary_request_can_be_refused(session, settings, sealed_resident):
    request = ask(session, settings, sealed_resident.id, "other")
    service.refuse(session, actor=OFFICER, request_id=request.id, reason="重复诉求")
    assert (request.status, request.outcome) == ("refused", "重复诉求")


def test_overdue_lists_open_requests_past_their_deadline(session, settings, sealed_resident):
    late = ask(session, settings, sealed_resident.id)
    done = ask(session, settings, sealed_resident.id)
    service.complete(session, actor=OFFICER, request_id=done.id, outcome="ok")
    ask(session, settings, sealed_resident.id, due_at=clock.now() + timedelta(days=3))
    rows, _ = service.overdue(
        session, actor=OFFICER, page=PageParams(), at=clock.now() + timedelta(days=2)
    )
    assert [r.id for r in rows] == [late.id]
    assert rows[0].name.startswith("居") and "*" in rows[0].name  # masked


def test_service_request_needs_a_pairing_and_goes_to_the_volunteer(session, settings, districts):
    person = make_resident(session, settings, elderly_alone=True)
    with pytest.raises(errors.NotPaired):
        ask(session, settings, person.id, "nat_at_home")
    volunteer_id = make_volunteer(session, settings)
    volunteers.pair(
        session, actor=OFFICER, data=PairingCreate(person_id=person.id, volunteer_id=volunteer_id)
    )
    request = ask(session, settings, person.id, "nat_at_home")
    assert (request.channel, request.status, request.volunteer_id) == (
        "pairing", "assigned", volunteer_id,
    )  # fmt: skip
    assert request.due_at - request.created_at == pytest.approx(
        timedelta(hours=settings.care_hours_service), abs=timedelta(seconds=5)
    )


def test_other_district_cannot_see_or_move_a_request(session, settings, sealed_resident):
    request = ask(session, settings, sealed_resident.id)
    with pytest.raises(errors.RequestNotFound):
        service.get_request(session, actor=officer_of("230103"), request_id=request.id)
    with pytest.raises(errors.RequestNotFound):
        service.complete(session, actor=officer_of("230103"), request_id=request.id, outcome="x")
