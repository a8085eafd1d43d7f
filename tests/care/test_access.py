"""Who may see and change care records: 401 anonymous, 403 without the permission, 404 in
another district."""

from __future__ import annotations

import pytest

from care.conftest import API, make_resident, make_team, make_volunteer, seal
from factories import auth_headers, make_user


@pytest.fixture
def world(session, settings, officers):
    person = make_resident(session, settings)
    seal(session)
    session.commit()
    return {"person": person.id, "volunteer": make_volunteer(session, settings),
            "team": make_team(session)}  # fmt: skip


@pytest.fixture
def request_id(app_client, officers, world, session):
    session.commit()
    body = {"person_id": world["person"], "kind": "food", "text": "需要蔬菜"}
    response = app_client.post(f"{API}/requests", json=body, headers=officers["daoli"])
    assert response.status_code == 201, response.text
    return response.json()["id"]


def read_urls(world, request_id):
    return [
        f"{API}/requests", f"{API}/requests/{request_id}", f"{API}/volunteers",
        f"{API}/volunteers/{world['volunteer']}", f"{API}/pairings", f"{API}/vulnerable",
        f"{API}/teams", f"{API}/teams/{world['team']}", f"{API}/teams/{world['team']}/visits",
        f"{API}/teams/{world['team']}/hazards",
    ]  # fmt: skip


def test_anonymous_is_401(app_client, world, request_id):
    for url in read_urls(world, request_id):
        response = app_client.get(url)
        assert response.status_code == 401, url
        assert response.json()["code"] == "auth.required"
    response = app_client.post(f"{API}/requests/{request_id}/start")
    assert response.status_code == 401


@pytest.mark.parametrize("role", ["lab", "citizen", "inspector", "sampler"])
def test_roles_without_care_read_get_403(app_client, session, settings, world, request_id, role):
    headers = auth_headers(settings, make_user(session, role=role, region_code="230102"))
    session.commit()
    for url in read_urls(world, request_id):
        response = app_client.get(url, headers=headers)
        assert response.status_code == 403, url
        assert response.json()["code"] == "auth.forbidden"
    response = app_client.post(f"{API}/requests/{request_id}/start", headers=headers)
    assert response.status_code == 403


def test_other_district_gets_404(app_client, officers, world, request_id):
    nangang = officers["nangang"]
    for url in read_urls(world, request_id)[1::1]:
        if url.endswith(("requests", "volunteers", "pairings", "vulnerable", "teams")):
            assert app_client.get(url, headers=nangang).json()["items"] == [], url
            continue
        assert app_client.get(url, headers=nangang).status_code == 404, url
    for url, body in (
        (f"{API}/requests/{request_id}/done", {"outcome": "x"}),
        (f"{API}/requests/{request_id}/assign", {}),
        (f"{API}/volunteers/{world['volunteer']}/deactivate", None),
    ):
        assert app_client.post(url, json=body, headers=nangang).status_code == 404, url
    mine = app_client.get(f"{API}/requests/{request_id}", headers=officers["daoli"]).json()
    assert mine["status"] == "new"


def test_grid_worker_manages_requests(app_client, session, settings, world, request_id):
    worker = make_user(session, role="grid_worker", region_code="230102001002003")
    session.commit()
    headers = auth_headers(settings, worker)
    response = app_client.post(f"{API}/requests/{request_id}/assign", json={}, headers=headers)
    assert response.status_code == 200 and response.json()["status"] == "assigned"
