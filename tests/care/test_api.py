"""The care API end to end: problem+json with stable codes for each bad input the issue names,
nothing written; the flow of a request; pairings; teams."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from care.conftest import API, make_resident, make_team, make_volunteer, seal
from fangkong.core import clock
from fangkong.models.care import CarePairing, CareRequest


@pytest.fixture
def world(session, settings, officers):
    person = make_resident(session, settings)
    seal(session)
    elder = make_resident(session, settings, elderly_alone=True)
    made = {"person": person.id, "elder": elder.id, "volunteer": make_volunteer(session, settings),
            "team": make_team(session)}  # fmt: skip
    session.commit()
    return made


def problem(response, status, code):
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == code


def count(session, table) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(table))


def test_request_flow_and_bad_transitions(app_client, session, officers, world):
    daoli = officers["daoli"]
    made = app_client.post(f"{API}/requests", headers=daoli,
                           json={"person_id": world["person"], "kind": "food", "text": "米"})  # fmt: skip
    assert made.status_code == 201 and made.json()["zone_kind"] == "sealed"
    url = f"{API}/requests/{made.json()['id']}"
    assert "*" in made.json()["name"]
    problem(app_client.post(f"{url}/start", headers=daoli), 409, "care.bad_transition")
    body = {"volunteer_id": world["volunteer"]}
    assert app_client.post(f"{url}/assign", json=body, headers=daoli).json()["status"] == "assigned"
    assert app_client.post(f"{url}/start", headers=daoli).json()["status"] == "in_progress"
    done = app_client.post(f"{url}/done", json={"outcome": "已送达"}, headers=daoli).json()
    assert done["status"] == "done" and done["overdue"] is False
    problem(app_client.post(f"{url}/assign", json={}, headers=daoli), 409, "care.request_closed")
    problem(app_client.post(f"{url}/refuse", json={"reason": "x"}, headers=daoli), 409,
            "care.request_closed")  # fmt: skip
    assert app_client.get(url, headers=daoli).json()["status"] == "done"


def test_bad_requests_write_nothing(app_client, session, officers, world):
    daoli = officers["daoli"]
    past = (clock.now() - timedelta(hours=1)).isoformat()
    for body, status, code in (
        ({"person_id": 99999999, "kind": "medical", "text": "急"}, 422, "care.unknown_person"),
        ({"person_id": world["person"], "kind": "food", "text": "米", "due_at": past}, 422,
         "care.deadline_in_past"),
        ({"person_id": world["elder"], "kind": "food", "text": "米"}, 422, "care.not_in_zone"),
        ({"person_id": world["elder"], "kind": "legal_aid", "text": "咨询"}, 422, "care.not_paired"),
        ({"person_id": world["person"], "kind": "food", "text": ""}, 422, "request.invalid"),
    ):  # fmt: skip
        problem(app_client.post(f"{API}/requests", json=body, headers=daoli), status, code)
    assert count(session, CareRequest) == 0


def test_medical_emergency_refused_answers_409(app_client, officers, world):
    daoli = officers["daoli"]
    made = app_client.post(f"{API}/requests", headers=daoli,
                           json={"person_id": world["elder"], "kind": "medical", "text": "急诊"})  # fmt: skip
    assert made.status_code == 201 and made.json()["emergency"] is True
    url = f"{API}/requests/{made.json()['id']}"
    problem(app_client.post(f"{url}/refuse", json={"reason": "无车"}, headers=daoli), 409,
            "care.emergency_not_refusable")  # fmt: skip
    assert app_client.get(url, headers=daoli).json()["status"] == "new"
    overdue = app_client.get(f"{API}/requests", params={"overdue": "true"}, headers=daoli)
    assert overdue.json()["items"] == []


def test_second_active_pairing_answers_409(app_client, session, settings, officers, world):
    daoli = officers["daoli"]
    body = {"person_id": world["elder"], "volunteer_id": world["volunteer"]}
    first = app_client.post(f"{API}/pairings", json=body, headers=daoli)
    assert first.status_code == 201
    problem(app_client.post(f"{API}/pairings", json=body, headers=daoli), 409,
            "care.already_paired")  # fmt: skip
    assert count(session, CarePairing) == 1
    service = app_client.post(f"{API}/requests", headers=daoli, json={
        "person_id": world["elder"], "kind": "supply_delivery", "text": "送菜"})  # fmt: skip
    assert service.json()["volunteer_id"] == world["volunteer"]
    ended = app_client.post(f"{API}/pairings/{first.json()['id']}/end", headers=daoli)
    assert ended.json()["active"] is False


def test_needs_and_vulnerable_list(app_client, officers, world):
    daoli = officers["daoli"]
    saved = app_client.put(f"{API}/needs/{world['person']}", json={"dialysis": True},
                           headers=daoli)  # fmt: skip
    assert saved.status_code == 200 and saved.json()["dialysis"] is True
    listed = app_client.get(f"{API}/vulnerable", headers=daoli).json()["items"]
    assert {r["person_id"] for r in listed} == {world["person"], world["elder"]}
    problem(app_client.put(f"{API}/needs/99999999", json={}, headers=daoli), 422,
            "care.unknown_person")  # fmt: skip


def test_team_visit_hazard_fix(app_client, officers, world):
    daoli, team = officers["daoli"], world["team"]
    today = clock.local_today().isoformat()
    visit = app_client.post(f"{API}/teams/{team}/visits", headers=daoli,
                            json={"community_code": "230102001002", "visited_on": today})  # fmt: skip
    assert visit.status_code == 201
    hazard = app_client.post(f"{API}/teams/{team}/hazards", headers=daoli, json={
        "community_code": "230102001002", "description": "消防通道堵塞", "found_on": today})  # fmt: skip
    fixed = app_client.post(f"{API}/hazards/{hazard.json()['id']}/fix", headers=daoli,
                            json={"fixed_on": today, "note": "已清理"})  # fmt: skip
    assert fixed.json()["fixed_on"] == today
    detail = app_client.get(f"{API}/teams/{team}", headers=daoli).json()
    assert (detail["visits"], detail["hazards_found"], detail["hazards_fixed"]) == (1, 1, 1)
    problem(app_client.post(f"{API}/teams", headers=daoli, json={
        "name": "组", "region_code": "230102001", "leader": "甲",
        "communities": ["230102001"]}), 422, "care.not_a_community")  # fmt: skip
