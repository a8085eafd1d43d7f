"""Who may do what with cases: 401 anonymous, 403 without the permission (grid workers and
samplers hold no cases grant; isolation officers only read), 404 for another district's case,
and the handed-over case visible to its new owner."""

from __future__ import annotations

import pytest

from cases.helpers import API
from outbreak_world import OTHER_GRID, at, make_case, make_resident


@pytest.fixture
def records(session, settings, users):
    person = make_resident(session, settings)
    case = make_case(session, person)
    other = make_case(session, make_resident(session, settings, grid=OTHER_GRID))
    session.commit()
    return {"case": case.id, "other": other.id, "person": person.id}


def routes(r):
    case = f"{API}/{r['case']}"
    return [
        ("GET", API, None), ("GET", f"{API}/counts", None),
        ("POST", API, {"person_id": r["person"], "kind": "confirmed",
                       "sampled_at": at(3).isoformat()}),
        ("POST", f"{API}/line-list", {"text": "身份证号\t类型"}),
        ("GET", case, None), ("POST", f"{case}/classify", {"kind": "confirmed"}),
        ("POST", f"{case}/convert", {}), ("POST", f"{case}/outcome", {"outcome": "released"}),
        ("POST", f"{case}/transfer", {"placement": "hospital", "hospital": "定点医院"}),
        ("POST", f"{case}/hand-over", {"owner_id": 1}), ("PUT", f"{case}/cluster", {"cluster_id": None}),
        ("GET", "/api/v1/clusters", None), ("POST", "/api/v1/clusters", {"name": "x"}),
    ]  # fmt: skip


def call(client, method, url, body, headers=None):
    return client.request(method, url, json=body, headers=headers or {})


def test_anonymous_is_401(app_client, records):
    for method, url, body in routes(records):
        response = call(app_client, method, url, body)
        assert response.status_code == 401, (method, url)


def test_roles_without_the_permission_are_403(app_client, staff, records):
    for method, url, body in routes(records):
        for role in ("worker", "sampler"):
            assert call(app_client, method, url, body, staff[role]).status_code == 403, (role, url)
        if method != "GET":
            assert call(app_client, method, url, body, staff["isolation"]).status_code == 403, url
        else:
            assert call(app_client, method, url, body, staff["isolation"]).status_code == 200, url


def test_another_district_gets_404(app_client, staff, records):
    for method, url, body in routes(records):
        if f"/{records['case']}" not in url:
            continue
        response = call(app_client, method, url, body, staff["nangang"])
        assert response.status_code == 404, (method, url, response.text)
        assert response.json()["code"] == "case.not_found"
    listed = call(app_client, "GET", API, None, staff["nangang"]).json()
    assert [c["id"] for c in listed["items"]] == [records["other"]]
    assert (
        call(app_client, "GET", f"{API}/{records['case']}", None, staff["street"]).status_code
        == 200
    )


def test_the_new_owner_sees_the_handed_over_case(app_client, staff, users, records):
    url = f"{API}/{records['case']}"
    assert call(app_client, "GET", url, None, staff["nangang_epi"]).status_code == 404
    body = {"owner_id": users["nangang_epi"].id}
    assert call(app_client, "POST", f"{url}/hand-over", body, staff["epi"]).status_code == 200
    assert call(app_client, "GET", url, None, staff["nangang_epi"]).status_code == 200
    listed = call(app_client, "GET", API, None, staff["nangang_epi"]).json()["items"]
    assert {c["id"] for c in listed} == {records["case"], records["other"]}
