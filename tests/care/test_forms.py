"""The care entry forms: register a volunteer, record care needs, pair and end a pairing,
create a team, and on the team page record a visit, a hazard found and a hazard fixed. Each
shows, takes a good form (303, the row written) and re-renders a bad one (422, its values
kept, the error shown, nothing written)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from care.conftest import make_resident, make_team, make_volunteer
from care.test_views import csrf_of, login
from fangkong.core import clock
from fangkong.models.care import (
    CareHazard,
    CareNeed,
    CarePairing,
    CareTeam,
    CareVisit,
    Volunteer,
)

pytestmark = pytest.mark.usefixtures("districts")


def rows(session, model) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model))


def post(client, url: str, token: str, **data: str):
    return client.post(url, data={"csrf_token": token, **data}, follow_redirects=False)


def test_register_a_volunteer(app_client, session, settings):
    person = make_resident(session, settings)
    login(app_client, session)
    assert 'href="/care/volunteers/new"' in app_client.get("/care/volunteers").text
    page = app_client.get("/care/volunteers/new?lang=en")
    assert page.status_code == 200 and "Legal aid" in page.text
    token = csrf_of(page.text)
    no_skill = post(app_client, "/care/volunteers/new", token, person_id=str(person.id),
                    areas="230102001002")  # fmt: skip
    assert no_skill.status_code == 422 and 'data-code="care.form_invalid"' in no_skill.text
    assert 'value="230102001002"' in no_skill.text
    outside = post(app_client, "/care/volunteers/new", token, person_id=str(person.id),
                   areas="230103001002", skill_legal_aid="1")  # fmt: skip
    assert outside.status_code == 422 and 'data-code="care.unknown_region"' in outside.text
    assert 'name="skill_legal_aid" value="1" checked' in outside.text
    assert rows(session, Volunteer) == 0
    made = post(app_client, "/care/volunteers/new", token, person_id=str(person.id),
                areas="230102001002, 230102001", skill_legal_aid="1", skill_psych_support="1")  # fmt: skip
    assert made.status_code == 303 and made.headers["location"] == "/care/volunteers"
    volunteer = session.scalars(select(Volunteer)).one()
    assert volunteer.areas == ["230102001002", "230102001"]
    assert sorted(volunteer.skills) == ["legal_aid", "psych_support"]


def test_record_care_needs(app_client, session, settings):
    person = make_resident(session, settings)
    login(app_client, session)
    assert 'href="/care/needs"' in app_client.get("/care/pairings").text
    page = app_client.get(f"/care/needs?person_id={person.id}")
    assert page.status_code == 200 and f'value="{person.id}"' in page.text
    token = csrf_of(page.text)
    unknown = post(app_client, "/care/needs", token, person_id="99999999", dialysis="1",
                   note="每周三次")  # fmt: skip
    assert unknown.status_code == 422 and 'data-code="care.unknown_person"' in unknown.text
    assert 'value="每周三次"' in unknown.text and rows(session, CareNeed) == 0
    made = post(app_client, "/care/needs", token, person_id=str(person.id), dialysis="1")
    assert made.status_code == 303
    need = session.get(CareNeed, person.id)
    assert need.dialysis and not need.bedridden
    listed = app_client.get("/care/pairings?lang=en").text.split('data-testid="vulnerable"')[1]
    assert "Dialysis" in listed and f"/care/pairings/new?person_id={person.id}" in listed


def test_pair_and_end_a_pairing(app_client, session, settings):
    volunteer_id = make_volunteer(session, settings)
    elder = make_resident(session, settings, elderly_alone=True)
    young = make_resident(session, settings)
    login(app_client, session)
    page = app_client.get(f"/care/pairings/new?person_id={elder.id}")
    assert page.status_code == 200
    token = csrf_of(page.text)
    refused = post(app_client, "/care/pairings/new", token, person_id=str(young.id),
                   volunteer_id=str(volunteer_id))  # fmt: skip
    assert refused.status_code == 422 and 'data-code="care.not_vulnerable"' in refused.text
    assert f'value="{young.id}"' in refused.text
    garbled = post(app_client, "/care/pairings/new", token, person_id=str(elder.id),
                   volunteer_id="abc")  # fmt: skip
    assert garbled.status_code == 422 and rows(session, CarePairing) == 0
    made = post(app_client, "/care/pairings/new", token, person_id=str(elder.id),
                volunteer_id=str(volunteer_id))  # fmt: skip
    assert made.status_code == 303
    pairing = session.scalars(select(CarePairing)).one()
    listed = app_client.get("/care/pairings").text
    assert f'data-testid="end-pairing-{pairing.id}"' in listed
    missing = post(app_client, "/care/pairings/99999/end", token)
    assert missing.status_code == 404 and 'data-code="care.pairing_not_found"' in missing.text
    ended = post(app_client, f"/care/pairings/{pairing.id}/end", token)
    assert ended.status_code == 303
    session.refresh(pairing)
    assert not pairing.active and pairing.ended_at is not None


def test_create_a_team(app_client, session):
    login(app_client, session)
    assert 'href="/care/teams/new"' in app_client.get("/care/teams").text
    token = csrf_of(app_client.get("/care/teams/new").text)
    form = {"name": "道里包保组", "region_code": "230102001", "leader": "组长",
            "members": "甲、乙 丙", "duties": "卡口值守"}  # fmt: skip
    bad = post(app_client, "/care/teams/new", token, communities="230103001002", **form)
    assert bad.status_code == 422 and 'data-code="care.unknown_region"' in bad.text
    assert 'value="道里包保组"' in bad.text and rows(session, CareTeam) == 0
    empty = post(app_client, "/care/teams/new", token, communities="", **form)
    assert empty.status_code == 422 and 'data-code="care.form_invalid"' in empty.text
    made = post(app_client, "/care/teams/new", token, communities="230102001002", **form)
    assert made.status_code == 303
    team = session.scalars(select(CareTeam)).one()
    assert made.headers["location"] == f"/care/teams/{team.id}"
    assert team.members == ["甲", "乙", "丙"]


def test_visits_and_hazards_on_the_team_page(app_client, session):
    team_id = make_team(session)
    login(app_client, session)
    url = f"/care/teams/{team_id}"
    token = csrf_of(app_client.get(url).text)
    today = clock.local_today()
    future = (today + timedelta(days=2)).isoformat()
    late = post(app_client, f"{url}/visits", token, community_code="230102001002",
                visited_on=future, notes="入户走访")  # fmt: skip
    assert late.status_code == 422 and 'data-code="care.date_in_future"' in late.text
    assert 'value="入户走访"' in late.text and rows(session, CareVisit) == 0
    visit = post(app_client, f"{url}/visits", token, community_code="230102001002",
                 visited_on=today.isoformat(), notes="入户走访")  # fmt: skip
    assert visit.status_code == 303 and rows(session, CareVisit) == 1
    foreign = post(app_client, f"{url}/hazards", token, community_code="230102001003",
                   description="消防通道堵塞", found_on=today.isoformat())  # fmt: skip
    assert foreign.status_code == 422 and 'data-code="care.community_not_assigned"' in foreign.text
    assert rows(session, CareHazard) == 0
    found = post(app_client, f"{url}/hazards", token, community_code="230102001002",
                 description="消防通道堵塞", found_on=today.isoformat())  # fmt: skip
    assert found.status_code == 303
    hazard = session.scalars(select(CareHazard)).one()
    early = (today - timedelta(days=1)).isoformat()
    refused = post(app_client, f"{url}/hazards/{hazard.id}/fix", token, fixed_on=early,
                   note="已清理")  # fmt: skip
    assert refused.status_code == 422 and 'data-code="care.fixed_before_found"' in refused.text
    assert 'value="已清理"' in refused.text
    session.refresh(hazard)
    assert hazard.fixed_on is None
    wrong_team = post(app_client, f"/care/teams/{make_team(session)}/hazards/{hazard.id}/fix",
                      token, fixed_on=today.isoformat())  # fmt: skip
    assert wrong_team.status_code == 404
    fixed = post(app_client, f"{url}/hazards/{hazard.id}/fix", token, fixed_on=today.isoformat(),
                 note="已清理")  # fmt: skip
    assert fixed.status_code == 303
    session.refresh(hazard)
    assert hazard.fixed_on == today and hazard.fix_note == "已清理"
    shown = app_client.get(url).text
    assert "消防通道堵塞" in shown and "入户走访" in shown and 'data-testid="fix-form' not in shown
