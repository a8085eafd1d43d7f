"""Who may reach which citizens route: citizens their own data only, door staff the check."""

from __future__ import annotations

import pytest

from citizens.conftest import sign_in
from citizens.factories import make_resident
from factories import auth_headers, make_user

ME_URLS = ["/api/v1/me", "/api/v1/me/health-code", "/api/v1/me/scans", "/api/v1/me/appeals"]
VERIFY = "/api/v1/health-code/verify"
VERIFIERS = ["venue_operator", "city_admin", "district_officer"]


@pytest.mark.parametrize("url", ME_URLS)
def test_anonymous_gets_401(app_client, url):
    response = app_client.get(url)
    assert response.status_code == 401 and response.json()["code"] == "citizen.not_signed_in"


@pytest.mark.parametrize("role", ["city_admin", "district_officer", "grid_worker", "citizen"])
def test_staff_tokens_of_every_role_get_401_on_citizen_routes(app_client, session, settings, role):
    user = make_user(session, role=role, region_code="230102")
    session.commit()
    headers = auth_headers(settings, user)
    for url in ME_URLS:
        assert app_client.get(url, headers=headers).status_code == 401, url
    appeal = app_client.post("/api/v1/me/appeals", json={"text": "x"}, headers=headers)
    assert appeal.status_code == 401


def test_who_may_verify_follows_the_permission(app_client, session, settings, citizen):
    from fangkong.auth.permissions import Perm, permissions_of

    for role in ("venue_operator", "lab", "sampler", "grid_worker", "city_admin", "inspector"):
        payload = app_client.get("/api/v1/me/health-code", headers=citizen).json()["qr_payload"]
        user = make_user(session, role=role, region_code="230102")
        session.commit()
        response = app_client.post(
            VERIFY, json={"payload": payload}, headers=auth_headers(settings, user)
        )
        expected = 200 if Perm.HEALTH_CODE_VERIFY in permissions_of(role) else 403
        assert response.status_code == expected, role


def test_a_citizen_never_reaches_another_person(app_client, session, settings, codes, citizen):
    other = make_resident(session, settings, name="张三丰", phone="13700001234")
    session.commit()
    theirs = {"Authorization": f"Bearer {sign_in(app_client, codes, '13700001234')}"}
    mine = app_client.get("/api/v1/me", headers=citizen).json()
    assert mine["person_id"] != other.id
    assert app_client.get("/api/v1/me", headers=theirs).json()["person_id"] == other.id
    # No route takes a person id from a citizen: a query or body naming one is ignored.
    response = app_client.get(f"/api/v1/me/health-code?person_id={other.id}", headers=citizen)
    assert response.json()["name"] == "王*明"
    assert (
        app_client.post(
            "/api/v1/me/appeals", json={"text": "x", "person_id": other.id}, headers=citizen
        ).status_code
        == 422
    )


def test_staff_pages_do_not_open_with_a_citizen_cookie(app_client, citizen):
    app_client.cookies.set("fk_citizen", citizen["Authorization"].split()[1])
    response = app_client.get("/people", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
