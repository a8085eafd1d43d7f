"""Appeals (申诉): a citizen files one (the citizens domain calls the service); an officer with
``health_code.appeals`` lists them in their jurisdiction and decides, audited."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from fangkong.core.events import publish
from fangkong.healthcode import service
from fangkong.healthcode.errors import AppealText
from fangkong.healthcode.events import FactRaised
from fangkong.models import AuditLog
from fangkong.models.healthcode import HealthFact
from fangkong.people.errors import PersonNotFound
from fangkong.policy.types import Reason

API = "/api/v1/health-code"
NANGANG_GRID = "230103001002003"


@pytest.fixture
def appealed(session, make_person):
    person = make_person()
    publish(session, FactRaised(person.id, Reason.SPACE_TIME_COMPANION, source="scans", ref="s1"))
    appeal = service.file_appeal(session, person.id, "  我当时不在现场  ")
    session.commit()
    fact = session.scalars(select(HealthFact).where(HealthFact.person_id == person.id)).one()
    return person, appeal, fact


def test_file_and_list_a_citizens_appeals(session, appealed, make_person):
    person, appeal, _ = appealed
    assert appeal.text == "我当时不在现场" and appeal.status == "open"
    assert [a.id for a in service.appeals_of(session, person.id)] == [appeal.id]
    assert service.appeals_of(session, make_person().id) == []
    with pytest.raises(AppealText):
        service.file_appeal(session, person.id, "   ")
    with pytest.raises(AppealText):
        service.file_appeal(session, person.id, "x" * 1001)
    with pytest.raises(PersonNotFound):
        service.file_appeal(session, 99_999_999, "text")


def test_upheld_appeal_ends_the_disputed_fact(app_client, session, officers, appealed):
    person, appeal, fact = appealed
    listed = app_client.get(f"{API}/appeals", headers=officers["a"]).json()["items"]
    assert [a["id"] for a in listed] == [appeal.id]
    body = {"decision": "upheld", "text": "核实不在现场", "fact_id": fact.id}
    decided = app_client.post(f"{API}/appeals/{appeal.id}/decide", json=body, headers=officers["a"])
    assert decided.status_code == 200, decided.text
    assert decided.json()["ended_fact_id"] == fact.id
    code = app_client.get(f"{API}/people/{person.id}", headers=officers["a"]).json()
    assert code["colour"] == "green"
    [view] = service.appeals_of(session, person.id)
    assert (view.status, view.decision_text) == ("upheld", "核实不在现场")
    again = app_client.post(f"{API}/appeals/{appeal.id}/decide", json=body, headers=officers["b"])
    assert (again.status_code, again.json()["code"]) == (409, "health_code.appeal_decided")
    audited = session.scalars(select(AuditLog.action).where(AuditLog.object_type == "code_appeal"))
    assert sorted(audited) == ["health_code.appeal_decide", "health_code.appeal_file"]


def test_upheld_appeal_can_propose_a_change_for_a_second_officer(
    app_client, session, officers, appealed
):
    person, appeal, _ = appealed
    body = {"decision": "upheld", "text": "改为绿码", "colour": "green"}
    decided = app_client.post(f"{API}/appeals/{appeal.id}/decide", json=body, headers=officers["a"])
    change_id = decided.json()["change_request_id"]
    assert change_id
    code = app_client.get(f"{API}/people/{person.id}", headers=officers["a"]).json()
    assert code["colour"] == "yellow"  # a proposal only
    app_client.post(f"{API}/change-requests/{change_id}/approve", headers=officers["b"])
    assert app_client.get(f"{API}/people/{person.id}", headers=officers["a"]).json()["manual"]


def test_rejected_appeal_and_bad_decisions(app_client, session, officers, appealed):
    person, appeal, fact = appealed
    url = f"{API}/appeals/{appeal.id}/decide"
    for body in (
        {"decision": "upheld", "text": "缺少处理方式"},
        {"decision": "upheld", "text": "两种", "fact_id": fact.id, "colour": "green"},
        {"decision": "rejected", "text": "驳回", "fact_id": fact.id},
    ):
        response = app_client.post(url, json=body, headers=officers["a"])
        assert (response.status_code, response.json()["code"]) == (422, "health_code.appeal_remedy")
    rejected = app_client.post(
        url, json={"decision": "rejected", "text": "核实在现场"}, headers=officers["a"]
    )
    assert rejected.json()["status"] == "rejected"
    code = app_client.get(f"{API}/people/{person.id}", headers=officers["a"]).json()
    assert code["colour"] == "yellow"


def test_appeals_are_scoped_and_need_the_permission(
    app_client, session, officers, appealed, make_person
):
    _, appeal, _ = appealed
    other = make_person(NANGANG_GRID)
    service.file_appeal(session, other.id, "南岗申诉")
    session.commit()
    assert (
        app_client.get(f"{API}/appeals", headers=officers["nangang"]).json()["items"][0]["text"]
        == "南岗申诉"
    )
    body = {"decision": "rejected", "text": "x"}
    outside = app_client.post(
        f"{API}/appeals/{appeal.id}/decide", json=body, headers=officers["nangang"]
    )
    assert (outside.status_code, outside.json()["code"]) == (404, "health_code.appeal_not_found")
    assert app_client.get(f"{API}/appeals", headers=officers["worker"]).status_code == 403
