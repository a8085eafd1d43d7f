"""Who may call which intake route: 401 anonymous, 403 without the permission, 404 for another
district's trip, report or checkpoint; citizens' routes refuse staff tokens."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from arrivals.intake.helpers import journey, self_report, trips_of
from arrivals.world import make_resident
from fangkong.models.arrivals import ArrivalReport, Checkpoint

ARRIVALS, TRIPS, CHECKPOINTS = "/api/v1/arrivals", "/api/v1/trips", "/api/v1/checkpoints"


@pytest.fixture
def records(app_client, session, settings, staff):
    person = make_resident(session, settings)
    self_report(session, person)
    [trip] = trips_of(session, person)
    unmatched = ArrivalReport(channel="pushed", origin_province="北京市", origin_city="北京市",
                              origin_district="朝阳区", origin_code="110105",
                              arrived_at=trip.arrived_at, region_code="230102")  # fmt: skip
    session.add(unmatched)
    checkpoint = session.scalars(select(Checkpoint)).one()
    session.commit()
    return {"trip": trip.id, "report": unmatched.id, "checkpoint": checkpoint.id,
            "person": person.id}  # fmt: skip


def routes(ids):
    trip, report, cp, person = ids["trip"], ids["report"], ids["checkpoint"], ids["person"]
    return {
        "read": [("GET", ARRIVALS, None), ("GET", TRIPS, None), ("GET", f"{TRIPS}/{trip}", None)],
        "manage": [
            ("POST", ARRIVALS, journey(person_id=person)),
            ("GET", f"{ARRIVALS}/unmatched", None),
            ("POST", f"{ARRIVALS}/unmatched/{report}/match", {"person_id": person}),
            ("GET", f"{ARRIVALS}/import/template", None),
            ("POST", f"{TRIPS}/{trip}/reclassify", {}),
            ("GET", CHECKPOINTS, None), ("GET", f"{CHECKPOINTS}/{cp}", None),
            ("POST", CHECKPOINTS, {"name": "x", "kind": "airport", "region_code": "230102"}),
            ("PATCH", f"{CHECKPOINTS}/{cp}", {"active": True}),
            ("POST", f"{CHECKPOINTS}/{cp}/staff", {"user_id": 1}),
            ("DELETE", f"{CHECKPOINTS}/{cp}/staff/1", None),
        ],
        "checkpoint": [("POST", f"{ARRIVALS}/checkpoint", journey(checkpoint_id=cp,
                                                                  id_number="1"))],
    }  # fmt: skip


def _call(client, method, url, body, headers=None):
    return client.request(method, url, json=body, headers=headers or {})


def test_anonymous_is_401(app_client, records):
    for method, url, body in [r for group in routes(records).values() for r in group]:
        response = _call(app_client, method, url, body)
        assert response.status_code == 401, (method, url)
    upload = app_client.post(f"{ARRIVALS}/import", files={"file": ("p.csv", b"x")})
    assert upload.status_code == 401
    assert app_client.get("/api/v1/me/arrivals").status_code == 401


@pytest.mark.parametrize(("group", "role"), [
    ("read", "gate"), ("read", "sampler"), ("manage", "worker"), ("manage", "gate"),
    ("manage", "epi"), ("checkpoint", "officer"), ("checkpoint", "worker"),
])  # fmt: skip
def test_without_the_permission_is_403(app_client, staff, records, group, role):
    for method, url, body in routes(records)[group]:
        response = _call(app_client, method, url, body, staff[role])
        assert response.status_code == 403, (method, url, role, response.text)


def test_other_district_is_404(app_client, staff, records):
    trip, report, cp = records["trip"], records["report"], records["checkpoint"]
    for method, url, body in [
        ("GET", f"{TRIPS}/{trip}", None), ("POST", f"{TRIPS}/{trip}/reclassify", {}),
        ("POST", f"{ARRIVALS}/unmatched/{report}/match", {"person_id": records["person"]}),
        ("GET", f"{CHECKPOINTS}/{cp}", None), ("PATCH", f"{CHECKPOINTS}/{cp}", {"active": False}),
    ]:  # fmt: skip
        response = _call(app_client, method, url, body, staff["nangang"])
        assert response.status_code == 404, (method, url, response.text)
    for url in (ARRIVALS, TRIPS, f"{ARRIVALS}/unmatched"):
        assert app_client.get(url, headers=staff["nangang"]).json()["items"] == []
    assert app_client.get(CHECKPOINTS, headers=staff["nangang"]).json() == []


def test_grid_worker_sees_own_grid_only(app_client, staff, records):
    assert len(app_client.get(TRIPS, headers=staff["worker"]).json()["items"]) == 1
    assert app_client.get(TRIPS, headers=staff["other_worker"]).json()["items"] == []


def test_staff_token_is_not_a_citizen(app_client, staff, records):
    assert app_client.get("/api/v1/me/arrivals", headers=staff["officer"]).status_code == 401


def test_pages_need_their_permission(app_client, session, records):
    from factories import make_user, web_login

    assert app_client.get("/arrivals", follow_redirects=False).status_code in (302, 303)
    assert app_client.get("/me/arrival", follow_redirects=False).status_code in (302, 303)
    sampler = make_user(session, role="sampler", region_code="230102")
    session.commit()
    web_login(app_client, sampler.username)
    for url in ("/arrivals", "/arrivals/unmatched", "/arrivals/checkpoints",
                "/arrivals/checkpoint", f"/arrivals/trips/{records['trip']}"):  # fmt: skip
        assert app_client.get(url).status_code == 403, url
