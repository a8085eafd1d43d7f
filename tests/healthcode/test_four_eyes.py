"""Manual changes: one officer proposes, a different one approves or rejects; only an approval
changes the code, shown as a manual change; a proposer deciding their own request is refused."""

from __future__ import annotations

from sqlalchemy import select

from fangkong.core.events import publish
from fangkong.healthcode.events import FactRaised
from fangkong.models import AuditLog
from fangkong.policy.types import Reason

API = "/api/v1/health-code"


def _propose(client, headers, person_id, colour="green", **extra):
    body = {"person_id": person_id, "colour": colour, "reason": "核实为误判"} | extra
    response = client.post(f"{API}/change-requests", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def _code(client, headers, person_id):
    return client.get(f"{API}/people/{person_id}", headers=headers).json()


def test_a_second_officer_approves_and_the_code_changes(app_client, session, officers, make_person):
    person = make_person()
    publish(session, FactRaised(person.id, Reason.CONTACT_CLOSE, source="tracing", ref="c"))
    session.commit()
    change = _propose(app_client, officers["a"], person.id)
    assert _code(app_client, officers["a"], person.id)["colour"] == "red"  # not yet
    pending = app_client.get(f"{API}/change-requests", headers=officers["b"]).json()["items"]
    assert [c["id"] for c in pending] == [change["id"]]
    own = app_client.post(f"{API}/change-requests/{change['id']}/approve", headers=officers["a"])
    assert (own.status_code, own.json()["code"]) == (403, "health_code.four_eyes")
    approved = app_client.post(
        f"{API}/change-requests/{change['id']}/approve", json={"note": "同意"},
        headers=officers["b"],
    )  # fmt: skip
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    code = _code(app_client, officers["a"], person.id)
    assert (code["colour"], code["manual"]) == ("green", True)
    assert [r["code"] for r in code["reasons"]] == ["manual.change"]
    twice = app_client.post(f"{API}/change-requests/{change['id']}/reject", headers=officers["b"])
    assert (twice.status_code, twice.json()["code"]) == (409, "health_code.change_request_decided")
    actions = session.scalars(
        select(AuditLog.action).where(AuditLog.object_type == "code_change_request")
    ).all()
    assert sorted(actions) == ["health_code.change_approve", "health_code.change_propose"]


def test_a_rejection_changes_nothing(app_client, session, officers, make_person):
    person = make_person()
    session.commit()
    change = _propose(app_client, officers["a"], person.id, colour="red")
    own = app_client.post(f"{API}/change-requests/{change['id']}/reject", headers=officers["a"])
    assert own.status_code == 403
    rejected = app_client.post(
        f"{API}/change-requests/{change['id']}/reject", headers=officers["b"]
    )
    assert rejected.json()["status"] == "rejected"
    assert _code(app_client, officers["a"], person.id)["colour"] == "green"


def test_a_new_fact_ends_a_manual_change(app_client, session, officers, make_person):
    person = make_person()
    session.commit()
    change = _propose(app_client, officers["a"], person.id, colour="yellow")
    app_client.post(f"{API}/change-requests/{change['id']}/approve", headers=officers["b"])
    assert _code(app_client, officers["a"], person.id)["colour"] == "yellow"
    publish(session, FactRaised(person.id, Reason.CASE_POSITIVE, source="cases", ref="p"))
    session.commit()
    code = _code(app_client, officers["a"], person.id)
    assert (code["colour"], code["manual"]) == ("red", False)


def test_proposals_need_the_permission_and_the_jurisdiction(
    app_client, session, officers, make_person
):
    person = make_person()
    session.commit()
    body = {"person_id": person.id, "colour": "green", "reason": "x"}
    worker = app_client.post(f"{API}/change-requests", json=body, headers=officers["worker"])
    assert worker.status_code == 403
    outside = app_client.post(f"{API}/change-requests", json=body, headers=officers["nangang"])
    assert outside.status_code == 404
    change = _propose(app_client, officers["a"], person.id)
    approve = app_client.post(
        f"{API}/change-requests/{change['id']}/approve", headers=officers["nangang"]
    )
    assert (approve.status_code, approve.json()["code"]) == (
        404,
        "health_code.change_request_not_found",
    )
    empty = app_client.post(
        f"{API}/change-requests", json=body | {"reason": ""}, headers=officers["a"]
    )
    assert empty.status_code == 422
