"""401 anonymous, 403 without the permission, 404 in another district (or another operator's
venue), on every sentinel route."""

from __future__ import annotations

import pytest

from factories import auth_headers, make_user
from sentinel.conftest import API

READS = ["/sites", "/visits", "/sales", "/follow-ups", "/counts", "/alerts"]


def writes(world):
    return [
        ("/sites", {"venue_id": world.clinic, "kind": "fever_clinic"}),
        ("/visits", {"venue_id": world.clinic, "id_number": world.id_number}),
        ("/sales", {"venue_id": world.pharmacy, "id_number": world.id_number,
                    "drug_class": "cough"}),
        ("/alerts/compute", None),
        ("/follow-ups/1/contacted", None),
    ]  # fmt: skip


def test_anonymous_is_401(app_client, world):
    for path in READS:
        response = app_client.get(API + path)
        assert response.status_code == 401, path
        assert response.json()["code"] == "auth.required"
    for path, body in writes(world):
        assert app_client.post(API + path, json=body).status_code == 401, path


@pytest.mark.parametrize("role", ["lab", "citizen", "inspector", "sampler"])
def test_roles_without_sentinel_permissions_get_403(app_client, session, settings, world, role):
    headers = auth_headers(settings, make_user(session, role=role, region_code="230102"))
    session.commit()
    for path in READS:
        response = app_client.get(API + path, headers=headers)
        assert response.status_code == 403, (role, path)
        assert response.json()["code"] == "auth.forbidden"
    for path, body in writes(world):
        assert app_client.post(API + path, json=body, headers=headers).status_code == 403, path


def test_readers_cannot_report_or_manage(app_client, world):
    worker = world.headers["worker"]
    for path, body in writes(world)[:4]:
        assert app_client.post(API + path, json=body, headers=worker).status_code == 403, path


def test_operators_report_but_do_not_read_lists(app_client, world):
    operator = world.headers["operator"]
    assert app_client.get(f"{API}/visits", headers=operator).status_code == 403
    body = {"venue_id": world.pharmacy, "id_number": world.id_number, "drug_class": "cough"}
    assert app_client.post(f"{API}/sales", json=body, headers=operator).status_code == 201


def test_another_district_is_404(app_client, world):
    nangang = world.headers["nangang"]
    cases = [
        ("/visits", {"venue_id": world.clinic, "id_number": world.id_number}),
        ("/sales", {"venue_id": world.pharmacy, "id_number": world.id_number,
                    "drug_class": "cough"}),
    ]  # fmt: skip
    for path, body in cases:
        response = app_client.post(API + path, json=body, headers=nangang)
        assert response.status_code == 404, path
        assert response.json()["code"] == "sentinel.site_not_found"
    sale = {"venue_id": world.pharmacy, "id_number": world.id_number, "drug_class": "cough"}
    made = app_client.post(f"{API}/sales", json=sale, headers=world.headers["daoli"]).json()
    url = f"{API}/follow-ups/{made['id']}/contacted"
    assert app_client.post(url, headers=nangang).status_code == 404
    sites = app_client.get(f"{API}/sites", headers=nangang).json()["items"]
    assert {s["venue_id"] for s in sites} == {world.nangang_clinic, world.nangang_pharmacy}
    venue = {"venue_id": world.clinic, "kind": "fever_clinic"}
    response = app_client.post(f"{API}/sites", json=venue, headers=nangang)
    assert response.status_code == 404
