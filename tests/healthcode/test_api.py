"""The officers' API: a person's code with reasons, facts and history; lists and counts; facts
and negative tests; the errors each bad request gets."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from fangkong.core import clock
from fangkong.core.events import publish
from fangkong.healthcode.events import FactRaised
from fangkong.models import AuditLog
from fangkong.policy.types import Reason

API = "/api/v1/health-code"
NANGANG_GRID = "230103001002003"


def test_a_person_code_shows_reasons_facts_and_history(app_client, session, officers, make_person):
    person = make_person(name="王小明")
    publish(session, FactRaised(person.id, Reason.CONTACT_CLOSE, source="tracing", ref="c-1"))
    session.commit()
    response = app_client.get(f"{API}/people/{person.id}", headers=officers["a"])
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["colour"] == "red" and body["name"] == "王*明"
    assert body["reasons"][0]["code"] == "contact.close"
    assert [f["ref"] for f in body["facts"]] == ["c-1"]
    assert [h["colour"] for h in body["history"]] == ["red"]
    english = app_client.get(f"{API}/people/{person.id}?lang=en", headers=officers["a"]).json()
    assert english["reasons"][0]["message"] == "Close contact under isolation"


def test_add_and_end_a_fact_through_the_api(app_client, session, officers, make_person):
    person = make_person()
    session.commit()
    url = f"{API}/people/{person.id}/facts"
    added = app_client.post(
        url, json={"reason": "zone.sealed", "ref": "z-9"}, headers=officers["a"]
    )
    assert added.status_code == 201, added.text
    fact_id = added.json()["id"]
    assert (
        app_client.get(f"{API}/people/{person.id}", headers=officers["a"]).json()["colour"] == "red"
    )
    ended = app_client.post(f"{url}/{fact_id}/end", headers=officers["a"])
    assert ended.status_code == 200 and ended.json()["ended_at"]
    again = app_client.post(f"{url}/{fact_id}/end", headers=officers["a"])
    assert (again.status_code, again.json()["code"]) == (409, "health_code.fact_ended")
    code = app_client.get(f"{API}/people/{person.id}", headers=officers["a"]).json()
    assert code["colour"] == "green"
    actions = session.scalars(select(AuditLog.action).where(AuditLog.object_type == "health_fact"))
    assert sorted(actions) == ["health_code.fact_end", "health_code.fact_raise"]


def test_bad_fact_requests(app_client, session, officers, make_person):
    person = make_person()
    session.commit()
    url = f"{API}/people/{person.id}/facts"
    unknown = app_client.post(url, json={"reason": "no.such", "ref": "x"}, headers=officers["a"])
    assert (unknown.status_code, unknown.json()["code"]) == (422, "request.invalid")
    past = (clock.now() - timedelta(hours=1)).isoformat()
    late = app_client.post(
        url, json={"reason": "zone.sealed", "ref": "x", "until": past}, headers=officers["a"]
    )
    assert (late.status_code, late.json()["code"]) == (422, "health_code.until_in_past")
    missing = app_client.post(f"{url}/99999999/end", headers=officers["a"])
    assert (missing.status_code, missing.json()["code"]) == (404, "health_code.fact_not_found")
    nobody = app_client.get(f"{API}/people/99999999", headers=officers["a"])
    assert (nobody.status_code, nobody.json()["code"]) == (404, "person.not_found")


def test_negative_tests(app_client, session, officers, make_person):
    person = make_person()
    session.commit()
    sampled = datetime(2024, 5, 1, 1, 0, tzinfo=UTC)
    body = {"person_id": person.id, "sampled_at": sampled.isoformat()}
    response = app_client.post(f"{API}/negative-tests", json=body, headers=officers["a"])
    assert response.status_code == 201, response.text
    code = app_client.get(f"{API}/people/{person.id}", headers=officers["a"]).json()
    assert code["last_negative_sampled_at"].startswith("2024-05-01T01:00")
    future = {"person_id": person.id, "sampled_at": (clock.now() + timedelta(days=1)).isoformat()}
    refused = app_client.post(f"{API}/negative-tests", json=future, headers=officers["a"])
    assert (refused.status_code, refused.json()["code"]) == (422, "health_code.sampled_in_future")
    naive = {"person_id": person.id, "sampled_at": "2024-05-01T01:00:00"}
    assert (
        app_client.post(f"{API}/negative-tests", json=naive, headers=officers["a"]).status_code
        == 422
    )


def test_list_and_counts_by_colour_stay_in_the_jurisdiction(
    app_client, session, officers, make_person
):
    red, green, outside = make_person(), make_person(), make_person(NANGANG_GRID)
    for person in (red, outside):
        publish(session, FactRaised(person.id, Reason.CASE_POSITIVE, source="cases", ref="p"))
    session.commit()
    app_client.get(f"{API}/people/{green.id}", headers=officers["a"])  # computes the code
    counts = app_client.get(f"{API}/counts", headers=officers["a"]).json()
    assert counts == {"red": 1, "yellow": 0, "green": 1}
    listed = app_client.get(f"{API}/codes?colour=red", headers=officers["a"]).json()
    assert [item["person_id"] for item in listed["items"]] == [red.id]
    everything = app_client.get(f"{API}/codes?limit=1", headers=officers["a"]).json()
    assert len(everything["items"]) == 1 and everything["next_cursor"]
    bad = app_client.get(f"{API}/codes?colour=blue", headers=officers["a"])
    assert bad.status_code == 422
