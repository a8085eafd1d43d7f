"""Who may do what with zones: 401 anonymous, 403 without the permission (readers cannot
declare, officers cannot decide), 404 for another district's zone."""

from __future__ import annotations

import pytest

from arrivals.world import GRID, OTHER_GRID, make_resident, make_zone
from arrivals.zones.helpers import API


@pytest.fixture
def records(session, settings, staff):
    person = make_resident(session, settings)
    zone = make_zone(session, residents=(person,))
    other = make_zone(session, region=OTHER_GRID, name="南岗某小区")
    session.commit()
    return {"zone": zone.id, "other": other.id, "person": person.id}


def routes(r):
    zone = r["zone"]
    case = {"person_id": r["person"], "infected_at": "2022-11-01T08:00:00+08:00"}
    return [
        ("GET", API, None),
        ("POST", API, {"name": "新", "kind": "sealed", "region_code": GRID}),
        ("GET", f"{API}/announcement", None),
        ("GET", f"{API}/{zone}", None),
        ("PATCH", f"{API}/{zone}", {"note": "x"}),
        ("POST", f"{API}/{zone}/cases", case),
        ("POST", f"{API}/{zone}/decision", {"action": "lift", "note": "x"}),
        ("GET", f"{API}/{zone}/residents", None),
    ]


def call(client, method, url, body, headers=None):
    return client.request(method, url, json=body, headers=headers or {})


def test_anonymous_is_401(app_client, records):
    for method, url, body in routes(records):
        response = call(app_client, method, url, body)
        assert response.status_code == 401, (method, url)
        assert response.json()["code"] == "auth.required"


def test_roles_without_the_permission_are_403(app_client, staff, records):
    zone = records["zone"]
    manage = {("POST", API), ("PATCH", f"{API}/{zone}"), ("POST", f"{API}/{zone}/cases")}
    decide = ("POST", f"{API}/{zone}/decision")
    for method, url, body in routes(records):
        for role in ("inspector", "sampler", "operator", "gate"):
            assert call(app_client, method, url, body, staff[role]).status_code == 403, (role, url)
        if (method, url) in manage or (method, url) == decide:
            for role in ("worker", "epi"):
                assert call(app_client, method, url, body, staff[role]).status_code == 403, url
        elif method == "GET":
            assert call(app_client, method, url, body, staff["worker"]).status_code == 200, url
    response = call(app_client, *decide, {"action": "lift", "note": "x"}, staff["officer"])
    assert response.status_code == 403


def test_another_district_gets_404(app_client, staff, records):
    for method, url, body in routes(records):
        if url == API or url.endswith("/announcement"):
            continue
        response = call(app_client, method, url, body, staff["nangang"])
        assert response.status_code in (403, 404), (method, url, response.text)
        if not url.endswith("/decision"):  # deciding is the city's: 403 before the lookup
            assert response.status_code == 404 and response.json()["code"] == "zone.not_found"
    listed = call(app_client, "GET", API, None, staff["nangang"]).json()
    assert [z["id"] for z in listed["items"]] == [records["other"]]
    street = call(app_client, "GET", f"{API}/{records['other']}", None, staff["street"])
    assert street.status_code == 404
    assert (
        call(app_client, "GET", f"{API}/{records['zone']}", None, staff["street"]).status_code
        == 200
    )
