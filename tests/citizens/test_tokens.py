"""Citizen and staff authentication never stand in for each other; sessions end."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from factories import auth_headers, make_user
from fangkong.core import clock
from fangkong.models import AuditLog

STAFF_ME = "/api/v1/auth/me"


def test_a_citizen_token_is_no_staff_token(app_client, citizen):
    for url in (STAFF_ME, "/api/v1/people", "/api/v1/health-code/codes"):
        assert app_client.get(url, headers=citizen).status_code == 401, url


def test_a_staff_token_is_no_citizen_token(app_client, session, settings, resident):
    officer = make_user(session, role="city_admin", region_code="230100")
    session.commit()
    headers = auth_headers(settings, officer)
    assert app_client.get(STAFF_ME, headers=headers).status_code == 200
    response = app_client.get("/api/v1/me", headers=headers)
    assert response.status_code == 401 and response.json()["code"] == "citizen.not_signed_in"


def test_a_staff_web_session_is_no_citizen_session(app_client, session, resident):
    from factories import web_login

    officer = make_user(session, role="city_admin", region_code="230100")
    session.commit()
    web_login(app_client, officer.username)
    assert app_client.get("/api/v1/me").status_code == 401
    page = app_client.get("/me", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/me/login")


def test_a_session_expires(app_client, citizen, settings):
    later = clock.now() + timedelta(days=settings.citizen_session_days)
    assert app_client.get("/api/v1/me", headers=citizen).status_code == 200
    with clock.frozen(later):
        assert app_client.get("/api/v1/me", headers=citizen).status_code == 401


def test_signing_out_revokes_the_session(app_client, citizen, session, resident):
    token = citizen["Authorization"].split()[1]
    app_client.cookies.set("fk_citizen", token)
    page = app_client.get("/me/logout")
    csrf = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    response = app_client.post("/me/logout", data={"csrf_token": csrf}, follow_redirects=False)
    assert response.status_code == 303
    app_client.cookies.clear()
    assert app_client.get("/api/v1/me", headers=citizen).status_code == 401
    actions = session.scalars(select(AuditLog.action).where(AuditLog.action.like("citizen.%")))
    assert sorted(actions) == ["citizen.sign_in", "citizen.sign_out"]


def test_a_record_merged_away_signs_its_citizen_out(app_client, citizen, session, resident):
    from fangkong.models import PersonStatus

    resident.person.status = PersonStatus.MERGED
    session.commit()
    for url in ("/api/v1/me", "/api/v1/me/health-code", "/api/v1/me/scans", "/api/v1/me/appeals"):
        response = app_client.get(url, headers=citizen)
        assert response.status_code == 401, url
        assert response.json()["code"] == "citizen.not_signed_in"
