"""Who may call which results route: 401 anonymous, 403 without the permission, 404 for another
district's lab or conflict."""

from __future__ import annotations

import pytest

from testing.results.helpers import API, line, staffed_lab
from testing.world import make_resident, make_tube


@pytest.fixture
def records(app_client, session, settings, staff):
    lab = staffed_lab(session)
    tube = make_tube(session, [make_resident(session, settings)])
    session.commit()
    app_client.post(f"{API}/results", json={"results": [line(tube, "阴性")]}, headers=staff["lab"])
    app_client.post(f"{API}/results", json={"results": [line(tube, "阳性", ct_n=20)]},
                    headers=staff["lab"])  # fmt: skip
    [conflict] = app_client.get(f"{API}/results/conflicts", headers=staff["officer"]).json()
    return {"lab": lab.id, "conflict": conflict["id"]}


def routes(ids):
    lab, conflict = ids["lab"], ids["conflict"]
    return {
        "results": [
            ("GET", f"{API}/labs", None), ("GET", f"{API}/labs/{lab}", None),
            ("GET", f"{API}/labs/{lab}/turnaround", None),
            ("POST", f"{API}/tubes/receive", {"lab_id": lab, "barcodes": ["12345678"]}),
            ("POST", f"{API}/results", {"lab_id": lab, "results": []}),
            ("GET", f"{API}/results/template", None),
        ],
        "manage": [
            ("POST", f"{API}/labs", {"name": "x", "region_code": "230102"}),
            ("PATCH", f"{API}/labs/{lab}", {"address": "x"}),
            ("GET", f"{API}/labs/{lab}/members", None),
            ("POST", f"{API}/labs/{lab}/members", {"user_id": 1}),
            ("DELETE", f"{API}/labs/{lab}/members/1", None),
            ("GET", f"{API}/results/conflicts", None),
            ("POST", f"{API}/results/conflicts/{conflict}/resolve", {"action": "keep"}),
        ],
        "read": [("GET", f"{API}/tasks", None)],
    }  # fmt: skip


def _call(client, method, url, body, headers=None):
    return client.request(method, url, json=body, headers=headers or {})


def test_anonymous_is_401(app_client, records):
    for method, url, body in [r for group in routes(records).values() for r in group]:
        response = _call(app_client, method, url, body)
        assert response.status_code == 401, (method, url)
        assert response.json()["code"] == "auth.required"
    upload = app_client.post(f"{API}/results/upload", files={"file": ("r.csv", b"x")})
    assert upload.status_code == 401


@pytest.mark.parametrize(("group", "role"), [
    ("results", "worker"), ("results", "sampler"), ("results", "inspector"),
    ("manage", "lab"), ("manage", "worker"), ("manage", "sampler"),
    ("read", "lab"), ("read", "sampler"), ("read", "inspector"),
])  # fmt: skip
def test_roles_without_the_permission_get_403(app_client, staff, records, group, role):
    for method, url, body in routes(records)[group]:
        response = _call(app_client, method, url, body, staff[role])
        assert response.status_code == 403, (role, method, url)
        assert response.json()["code"] == "auth.forbidden"


def test_another_districts_officer_gets_404(app_client, staff, records):
    lab, conflict = records["lab"], records["conflict"]
    for method, url, body in [
        ("GET", f"{API}/labs/{lab}", None),
        ("GET", f"{API}/labs/{lab}/turnaround", None),
        ("PATCH", f"{API}/labs/{lab}", {"address": "x"}),
        ("GET", f"{API}/labs/{lab}/members", None),
        ("POST", f"{API}/tubes/receive", {"lab_id": lab, "barcodes": ["12345678"]}),
        ("POST", f"{API}/results/conflicts/{conflict}/resolve", {"action": "keep"}),
    ]:
        response = _call(app_client, method, url, body, staff["nangang"])
        assert response.status_code == 404, (method, url)
    listed = app_client.get(f"{API}/labs", headers=staff["nangang"]).json()
    assert listed == []
    assert app_client.get(f"{API}/results/conflicts", headers=staff["nangang"]).json() == []
