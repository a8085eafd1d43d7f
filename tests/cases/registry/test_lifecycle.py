"""Manual cases, classification, conversion once, transfer by the edition's placements,
outcomes that close the case for good, hand-over, clusters; history and audit for each."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from cases.helpers import API, counts, open_reasons
from fangkong.core import clock
from fangkong.models import AuditLog
from fangkong.models.cases import Case, CaseEvent
from fangkong.policy.types import Reason
from outbreak_world import OTHER_GRID, at, make_case, make_resident

NOW = at(10, 12)


@pytest.fixture(autouse=True)
def _now():
    with clock.frozen(NOW):
        yield


def _create(client, headers, person, **extra):
    body = {"person_id": person.id, "kind": "confirmed",
            "sampled_at": at(9, 8).isoformat(), "onset_on": "2022-11-08"} | extra  # fmt: skip
    return client.post(API, json=body, headers=headers)


def test_create_by_hand(app_client, session, settings, staff, users):
    person = make_resident(session, settings)
    session.commit()
    response = _create(app_client, staff["epi"], person, channel="fever_clinic", source="antigen")
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["case_no"] == "2022-1110-0001" and body["status"] == "active"
    assert (body["channel"], body["source"], body["reported_on"]) == ("fever_clinic", "antigen",
                                                                      "2022-11-10")  # fmt: skip
    assert body["owner_id"] == users["epi"].id
    assert "王" not in body["person_name"] or "*" in body["person_name"]
    assert Reason.CASE_POSITIVE.value in open_reasons(session, person.id)
    assert [e["kind"] for e in body["history"]] == ["created"]
    assert session.scalar(select(AuditLog.id).where(AuditLog.action == "case.create"))


def test_case_numbers_count_per_official_day(app_client, session, settings, staff):
    people = [make_resident(session, settings) for _ in range(2)]
    session.commit()
    early = at(10, 5, 59).isoformat()  # before 06:00: still the 9th's official day
    first = _create(app_client, staff["epi"], people[0], confirmed_at=early).json()
    second = _create(app_client, staff["epi"], people[1]).json()
    assert (first["case_no"], first["reported_on"]) == ("2022-1109-0001", "2022-11-09")
    assert (second["case_no"], second["reported_on"]) == ("2022-1110-0001", "2022-11-10")


@pytest.mark.parametrize(
    ("extra", "status", "code"),
    [
        ({"onset_on": "2022-11-11"}, 422, "case.in_future"),
        ({"sampled_at": at(11, 8).isoformat()}, 422, "case.in_future"),
        ({"onset_on": "2022-11-10", "confirmed_at": at(9, 20).isoformat()}, 422,
         "case.onset_after_confirmation"),
        ({"channel": "telepathy"}, 422, "request.invalid"),
    ],
)  # fmt: skip
def test_bad_input_writes_nothing(app_client, session, settings, staff, extra, status, code):
    person = make_resident(session, settings)
    session.commit()
    before = counts(session)
    response = _create(app_client, staff["epi"], person, **extra)
    assert (response.status_code, response.json()["code"]) == (status, code)
    assert counts(session) == before


def test_unknown_person(app_client, session, settings, staff):
    other = make_resident(session, settings, grid=OTHER_GRID)
    session.commit()
    for person_id in (99_999_999, other.id):  # none, or outside the jurisdiction
        body = {"person_id": person_id, "kind": "confirmed", "sampled_at": at(9).isoformat()}
        response = app_client.post(API, json=body, headers=staff["epi"])
        assert (response.status_code, response.json()["code"]) == (422, "case.unknown_person")


def test_a_second_open_case_is_refused(app_client, session, settings, staff):
    person = make_resident(session, settings)
    make_case(session, person)
    session.commit()
    response = _create(app_client, staff["epi"], person)
    assert (response.status_code, response.json()["code"]) == (409, "case.open_case_exists")


def _post(client, headers, case_id, step, body):
    return client.post(f"{API}/{case_id}/{step}", json=body, headers=headers)


def test_classify_once_then_convert_once(app_client, session, settings, staff):
    person = make_resident(session, settings)
    case = make_case(session, person, kind=None, status="pending")
    session.commit()
    ok = _post(app_client, staff["epi"], case.id, "classify", {"kind": "asymptomatic"})
    assert ok.status_code == 200 and ok.json()["status"] == "active"
    again = _post(app_client, staff["epi"], case.id, "classify", {"kind": "confirmed"})
    assert (again.status_code, again.json()["code"]) == (409, "case.not_pending")
    late = _post(app_client, staff["epi"], case.id, "convert", {"onset_on": "2022-11-11"})
    assert (late.status_code, late.json()["code"]) == (422, "case.in_future")
    converted = _post(app_client, staff["epi"], case.id, "convert", {"onset_on": "2022-11-09"})
    assert converted.status_code == 200
    assert converted.json()["kind"] == "confirmed" and converted.json()["converted_at"]
    twice = _post(app_client, staff["epi"], case.id, "convert", {})
    assert (twice.status_code, twice.json()["code"]) == (409, "case.already_confirmed")


def test_onset_after_confirmation_on_classify(app_client, session, settings, staff):
    person = make_resident(session, settings)
    case = make_case(session, person, kind=None, status="pending")
    session.commit()
    with clock.frozen(at(9, 12)):
        response = _post(app_client, staff["epi"], case.id, "classify",
                         {"kind": "confirmed", "onset_on": "2022-11-10"})  # fmt: skip
    assert response.json()["code"] in ("case.in_future", "case.onset_after_confirmation")
    assert response.status_code == 422


def test_transfer_follows_the_edition(app_client, session, settings, staff):
    person = make_resident(session, settings)
    case = make_case(session, person)  # the 9th edition: centralized or hospital, never home
    session.commit()
    bad = _post(app_client, staff["epi"], case.id, "transfer",
                {"placement": "home", "hospital": "居家"})  # fmt: skip
    assert (bad.status_code, bad.json()["code"]) == (422, "case.bad_placement")
    good = _post(app_client, staff["epi"], case.id, "transfer",
                 {"placement": "centralized", "hospital": "方舱医院"})  # fmt: skip
    assert good.status_code == 200 and good.json()["transferred_at"]


def test_a_closed_case_cannot_change(app_client, session, settings, staff):
    person = make_resident(session, settings)
    case = make_case(session, person, kind="confirmed")
    session.commit()
    closed = _post(app_client, staff["epi"], case.id, "outcome", {"outcome": "discharged"})
    assert closed.status_code == 200 and closed.json()["status"] == "discharged"
    assert Reason.CASE_POSITIVE.value not in open_reasons(session, person.id)
    for step, body in (("outcome", {"outcome": "died"}), ("convert", {}),
                       ("transfer", {"placement": "hospital", "hospital": "x"})):  # fmt: skip
        response = _post(app_client, staff["epi"], case.id, step, body)
        assert (response.status_code, response.json()["code"]) == (409, "case.closed")


def test_hand_over_to_another_district(app_client, session, settings, staff, users):
    person = make_resident(session, settings)
    case = make_case(session, person)
    session.commit()
    url = f"{API}/{case.id}"
    assert app_client.get(url, headers=staff["nangang_epi"]).status_code == 404
    body = {"owner_id": users["nangang_epi"].id, "note": "工作地在南岗"}
    assert _post(app_client, staff["epi"], case.id, "hand-over", body).status_code == 200
    seen = app_client.get(url, headers=staff["nangang_epi"])
    assert seen.status_code == 200 and seen.json()["region_code"] == person.grid_code
    assert app_client.get(url, headers=staff["epi"]).status_code == 200  # region still covers
    assert app_client.get(url, headers=staff["nangang"]).status_code == 404  # owner only
    bad = _post(app_client, staff["epi"], case.id, "hand-over", {"owner_id": 2**31 - 1})
    assert (bad.status_code, bad.json()["code"]) == (422, "case.unknown_owner")
    kinds = session.scalars(select(CaseEvent.kind).where(CaseEvent.case_id == case.id)).all()
    assert "handed_over" in kinds


def test_clusters(app_client, session, settings, staff):
    people = [make_resident(session, settings) for _ in range(3)]
    cases = [make_case(session, p, kind=k) for p, k in zip(people, ("confirmed", "asymptomatic",
                                                                    "confirmed"), strict=True)]  # fmt: skip
    session.commit()
    made = app_client.post("/api/v1/clusters", json={"name": "某超市聚集"}, headers=staff["epi"])
    assert made.status_code == 201
    cluster_id = made.json()["id"]
    for case in cases:
        put = app_client.put(f"{API}/{case.id}/cluster", json={"cluster_id": cluster_id},
                             headers=staff["epi"])  # fmt: skip
        assert put.status_code == 200 and put.json()["cluster_name"] == "某超市聚集"
    app_client.put(f"{API}/{cases[2].id}/cluster", json={"cluster_id": None}, headers=staff["epi"])
    renamed = app_client.patch(f"/api/v1/clusters/{cluster_id}", json={"name": "某超市聚集疫情"},
                               headers=staff["epi"])  # fmt: skip
    assert renamed.json()["name"] == "某超市聚集疫情"
    [listed] = app_client.get("/api/v1/clusters", headers=staff["epi"]).json()["items"]
    assert (listed["cases"], listed["confirmed"], listed["asymptomatic"]) == (2, 1, 1)
    assert app_client.get("/api/v1/clusters", headers=staff["nangang"]).json()["items"] == []
    filtered = app_client.get(API, params={"cluster_id": cluster_id}, headers=staff["epi"])
    assert {c["id"] for c in filtered.json()["items"]} == {cases[0].id, cases[1].id}


def test_list_filters(app_client, session, settings, staff):
    people = [make_resident(session, settings) for _ in range(2)]
    first = make_case(session, people[0], kind="confirmed", reported_on=date(2022, 11, 3))
    make_case(session, people[1], kind="asymptomatic", reported_on=date(2022, 11, 5))
    session.commit()
    got = app_client.get(API, params={"kind": "confirmed", "reported_to": "2022-11-04"},
                         headers=staff["epi"]).json()["items"]  # fmt: skip
    assert [c["id"] for c in got] == [first.id]
    one = app_client.get(API, params={"limit": 1}, headers=staff["epi"]).json()
    assert len(one["items"]) == 1 and one["next_cursor"]
    assert session.get(Case, first.id) is not None and timedelta(0) == timedelta(0)
