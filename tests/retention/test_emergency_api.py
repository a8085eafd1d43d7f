"""``/api/v1/emergency`` and the ``/emergency`` page: city admins end the emergency, undo it
while the countdown runs; everyone else is refused; bad dates are problem+json."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from factories import auth_headers, make_user, web_login
from fangkong.core import clock
from fangkong.models import AuditLog, EmergencyState
from retention.support import DAY0, T0

API = "/api/v1/emergency"
COUNTDOWN = 30  # registry_days_after_end of the default edition


@pytest.fixture
def admin(session, settings):
    user = make_user(session, role="city_admin", region_code="230100")
    session.commit()
    return auth_headers(settings, user)


def problem(response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == code


def emergency_audit(session) -> list[tuple[str, dict | None]]:
    rows = session.scalars(
        select(AuditLog).where(AuditLog.object_type == "emergency").order_by(AuditLog.id)
    )
    return [(row.action, row.after) for row in rows]


def test_anonymous_is_401(app_client):
    for method, url in [("GET", API), ("POST", f"{API}/end"), ("DELETE", f"{API}/end")]:
        problem(app_client.request(method, url), 401, "auth.required")
    assert app_client.get(f"{API}/retention-rules").status_code == 401


@pytest.mark.parametrize("role,region", [("district_officer", "230102"), ("grid_worker", "230102")])
def test_other_roles_are_403(app_client, session, settings, role, region):
    headers = auth_headers(settings, make_user(session, role=role, region_code=region))
    session.commit()
    problem(app_client.get(API, headers=headers), 403, "auth.forbidden")
    body = {"ended_on": DAY0.isoformat()}
    problem(app_client.post(f"{API}/end", json=body, headers=headers), 403, "auth.forbidden")
    problem(app_client.delete(f"{API}/end", headers=headers), 403, "auth.forbidden")
    assert session.get(EmergencyState, 1) is None


def test_end_then_undo(app_client, session, admin):
    with clock.frozen(T0):
        state = app_client.get(API, headers=admin).json()
        assert state == {
            "ended_on": None,
            "final_on": None,
            "countdown_days": COUNTDOWN,
            "can_undo": False,
        }
        ended = app_client.post(f"{API}/end", json={"ended_on": "2026-02-27"}, headers=admin)
        assert ended.status_code == 200, ended.text
        assert ended.json()["final_on"] == "2026-03-29" and ended.json()["can_undo"] is True
        problem(
            app_client.post(f"{API}/end", json={"ended_on": "2026-02-28"}, headers=admin),
            409,
            "emergency.already_ended",
        )
        undone = app_client.delete(f"{API}/end", headers=admin)
        assert undone.status_code == 200 and undone.json()["ended_on"] is None
        problem(app_client.delete(f"{API}/end", headers=admin), 409, "emergency.not_ended")
    after = {"ended_on": "2026-02-27", "final_on": "2026-03-29"}
    assert emergency_audit(session) == [
        ("emergency.end", after),
        ("emergency.undo_end", {"ended_on": None, "final_on": None}),
    ]


def test_undo_refused_once_the_countdown_ran_out(app_client, session, admin):
    with clock.frozen(T0):
        app_client.post(f"{API}/end", json={"ended_on": DAY0.isoformat()}, headers=admin)
    with clock.frozen(T0 + timedelta(days=COUNTDOWN)):
        assert app_client.get(API, headers=admin).json()["can_undo"] is False
        problem(app_client.delete(f"{API}/end", headers=admin), 409, "emergency.countdown_over")
    assert session.get(EmergencyState, 1).ended_on == DAY0


@pytest.mark.parametrize(
    "body,status,code",
    [
        ({"ended_on": "2026-02-30"}, 422, "request.invalid"),
        ({"ended_on": "yesterday"}, 422, "request.invalid"),
        ({}, 422, "request.invalid"),
        ({"ended_on": "2026-03-01", "extra": 1}, 422, "request.invalid"),
        ({"ended_on": "2026-03-02"}, 422, "emergency.end_in_future"),
        ({"ended_on": "2026-01-30"}, 422, "emergency.end_too_long_ago"),
    ],
)
def test_bad_dates_are_problems(app_client, session, admin, body, status, code):
    with clock.frozen(T0):
        problem(app_client.post(f"{API}/end", json=body, headers=admin), status, code)
    assert session.get(EmergencyState, 1) is None and emergency_audit(session) == []


def test_retention_rules_list_every_table(app_client, admin):
    rules = {r["table"]: r for r in app_client.get(f"{API}/retention-rules", headers=admin).json()}
    assert rules["people"]["action"] == "deidentify" and rules["people"]["amount"] == COUNTDOWN
    assert rules["people"]["after_emergency"] is True
    assert rules["audit_log"]["source"] == "FANGKONG_RETENTION_AUDIT_MASK_DAYS"
    assert rules["regions"]["action"] == "keep" and rules["regions"]["reason"]


def test_page_shows_the_switch_and_ends_and_undoes(app_client, session):
    admin = make_user(session, role="city_admin", region_code="230100")
    session.commit()
    web_login(app_client, admin.username)
    with clock.frozen(T0):
        page = app_client.get("/emergency")
        assert page.status_code == 200 and 'name="ended_on"' in page.text
        assert 'data-testid="retention-rules"' in page.text and "<code>people</code>" in page.text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        future = app_client.post(
            "/emergency/end", data={"ended_on": "2026-03-05", "csrf_token": token}
        )
        assert future.status_code == 422 and 'data-code="emergency.end_in_future"' in future.text
        ended = app_client.post(
            "/emergency/end",
            data={"ended_on": "2026-03-01", "csrf_token": token},
            follow_redirects=False,
        )
        assert ended.status_code == 303
        page = app_client.get("/emergency")
        assert 'data-testid="final-on">2026-03-31<' in page.text and "/emergency/undo" in page.text
        undone = app_client.post(
            "/emergency/undo", data={"csrf_token": token}, follow_redirects=False
        )
        assert undone.status_code == 303
    assert session.get(EmergencyState, 1).ended_on is None


def test_page_is_for_city_admins_only(app_client, session):
    officer = make_user(session, role="district_officer", region_code="230102")
    session.commit()
    assert app_client.get("/emergency", follow_redirects=False).status_code == 303  # to login
    web_login(app_client, officer.username)
    assert app_client.get("/emergency").status_code == 403
    assert 'href="/emergency"' not in app_client.get("/").text
