"""Volunteers, needs and one-to-one pairings through the service."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from sqlalchemy import func, select

from care.conftest import DAOLI_GRID, NANGANG_GRID, make_resident, make_volunteer, officer_of
from fangkong.care import errors
from fangkong.care.volunteers import service
from fangkong.care.volunteers.schemas import NeedIn, PairingCreate, VolunteerCreate
from fangkong.core.pagination import PageParams
from fangkong.models import AuditLog
from fangkong.models.care import CarePairing, Volunteer

OFFICER = officer_of("230102")


def pair(session, person_id, volunteer_id):
    data = PairingCreate(person_id=person_id, volunteer_id=volunteer_id)
    return service.pair(session, actor=OFFICER, data=data)


def test_register_volunteer_with_skills_and_areas(session, settings, districts):
    volunteer_id = make_volunteer(session, settings, skills=("legal_aid",))
    volunteer = session.get(Volunteer, volunteer_id)
    assert (volunteer.skills, volunteer.areas, volunteer.region_code) == (
        ["legal_aid"], ["230102001002"], "230102001002",
    )  # fmt: skip
    rows, _ = service.list_volunteers(
        session, actor=OFFICER, page=PageParams(), where=service.VolunteerFilter()
    )
    assert [r.id for r in rows] == [volunteer_id]
    assert "*" in rows[0].name and rows[0].phone and "*" in rows[0].phone
    assert not service.list_volunteers(
        session, actor=officer_of("230103"), page=PageParams(), where=service.VolunteerFilter()
    )[0]


def test_volunteer_bad_inputs(session, settings, districts):
    person = make_resident(session, settings)
    with pytest.raises(errors.UnknownPerson):
        service.register_volunteer(
            session, actor=OFFICER,
            data=VolunteerCreate(person_id=99999999, skills=["legal_aid"], areas=["230102001"]),
        )  # fmt: skip
    with pytest.raises(errors.UnknownSkill):
        service.register_volunteer(
            session, actor=OFFICER,
            data=VolunteerCreate(person_id=person.id, skills=["food"], areas=["230102001"]),
        )  # fmt: skip
    for area in ("230103001", "230102009"):
        with pytest.raises(errors.UnknownRegion):
            service.register_volunteer(
                session, actor=OFFICER,
                data=VolunteerCreate(person_id=person.id, skills=["legal_aid"], areas=[area]),
            )  # fmt: skip
    with pytest.raises(ValidationError):
        VolunteerCreate(person_id=person.id, skills=["legal_aid"], areas=[])
    assert session.scalar(select(func.count()).select_from(Volunteer)) == 0
    data = VolunteerCreate(person_id=person.id, skills=["legal_aid"], areas=["230102001"])
    service.register_volunteer(session, actor=OFFICER, data=data)
    with pytest.raises(errors.AlreadyVolunteer):
        service.register_volunteer(session, actor=OFFICER, data=data)


def test_only_vulnerable_residents_are_paired(session, settings, districts):
    volunteer_id = make_volunteer(session, settings)
    ordinary = make_resident(session, settings)
    with pytest.raises(errors.NotVulnerable):
        pair(session, ordinary.id, volunteer_id)
    service.set_need(session, actor=OFFICER, person_id=ordinary.id, data=NeedIn(dialysis=True))
    assert pair(session, ordinary.id, volunteer_id).active
    disabled = make_resident(session, settings, disabled=True)
    assert pair(session, disabled.id, volunteer_id).person_id == disabled.id


def test_a_second_active_pairing_is_refused_until_the_first_ends(session, settings, districts):
    person = make_resident(session, settings, elderly_alone=True)
    first, second = make_volunteer(session, settings), make_volunteer(session, settings)
    pairing = pair(session, person.id, first)
    with pytest.raises(errors.AlreadyPaired):
        pair(session, person.id, second)
    count = session.scalar(select(func.count()).select_from(CarePairing))
    assert count == 1
    service.end_pairing(session, actor=OFFICER, pairing_id=pairing.id)
    assert pair(session, person.id, second).volunteer_id == second
    actions = session.scalars(
        select(AuditLog.action).where(AuditLog.object_type == "care_pairing")
    ).all()
    assert actions == ["care.pairing_create", "care.pairing_end", "care.pairing_create"]


def test_inactive_or_faraway_volunteer_is_refused(session, settings, districts):
    person = make_resident(session, settings, elderly_alone=True)
    volunteer_id = make_volunteer(session, settings)
    service.set_volunteer_active(session, actor=OFFICER, volunteer_id=volunteer_id, active=False)
    with pytest.raises(errors.VolunteerInactive):
        pair(session, person.id, volunteer_id)
    city = officer_of("230100")
    faraway = make_volunteer(session, settings, NANGANG_GRID)
    with pytest.raises(errors.VolunteerNotInArea):
        service.pair(session, actor=city,
                     data=PairingCreate(person_id=person.id, volunteer_id=faraway))  # fmt: skip


def test_vulnerable_list_shows_flags_needs_and_pairing(session, settings, districts):
    alone = make_resident(session, settings, elderly_alone=True)
    bedridden = make_resident(session, settings)
    make_resident(session, settings)  # not vulnerable
    service.set_need(session, actor=OFFICER, person_id=bedridden.id, data=NeedIn(bedridden=True))
    pairing = pair(session, alone.id, make_volunteer(session, settings))
    rows, _ = service.list_vulnerable(session, actor=OFFICER, page=PageParams())
    found = {r.person_id: r for r in rows}
    assert set(found) == {alone.id, bedridden.id}
    assert found[alone.id].pairing_id == pairing.id and found[alone.id].elderly_alone
    assert found[bedridden.id].bedridden and found[bedridden.id].pairing_id is None
    assert found[alone.id].grid_code == DAOLI_GRID
