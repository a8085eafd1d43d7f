"""The audit log API and page: city administrators only, filters, cursor pages, no secrets."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from factories import PASSWORD, auth_headers, make_region, make_user, totp_secret_of, web_login
from fangkong.audit import service as audit
from fangkong.auth.service import principal_of
from fangkong.core import clock
from fangkong.models import AuditLog, User

API = "/api/v1/audit"
T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
SHANGHAI = timezone(timedelta(hours=8))


@pytest.fixture
def admin(session):
    user = make_user(session, role="city_admin", region_code="230100")
    session.commit()
    return user


@pytest.fixture
def entries(session, admin):
    """Five rows an hour apart, by two actors, on users and regions."""
    other = principal_of(make_user(session, role="district_officer", region_code="230102"))
    me = principal_of(admin)
    plan = [
        (me, "region.create", "region", "230102001"),
        (other, "region.rename", "region", "230102001"),
        (me, "user.create", "user", "42"),
        (other, "region.create", "region", "230102002"),
        (me, "user.update", "user", "42"),
    ]
    rows = []
    for hour, (actor, action, object_type, object_id) in enumerate(plan):
        with clock.frozen(T0 + timedelta(hours=hour)):
            rows.append(
                audit.record(
                    session,
                    actor=actor,
                    action=action,
                    object_type=object_type,
                    object_id=object_id,
                    region_code="230102",
                )
            )
            session.flush()  # ``at`` defaults to clock.now() when the row is flushed
    session.commit()
    return rows


def ids(response) -> list[int]:
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


def test_entries_newest_first_with_every_field(app_client, settings, admin, entries):
    response = app_client.get(API, headers=auth_headers(settings, admin))
    assert ids(response) == [row.id for row in reversed(entries)]
    newest = response.json()["items"][0]
    assert newest["action"] == "user.update"
    assert newest["actor_id"] == admin.id and newest["actor_name"] == admin.username
    assert (newest["object_type"], newest["object_id"]) == ("user", "42")
    assert newest["region_code"] == "230102"
    assert datetime.fromisoformat(newest["at"]) == T0 + timedelta(hours=4)
    assert response.json()["next_cursor"] is None


def test_filters(app_client, settings, admin, entries):
    headers = auth_headers(settings, admin)
    first, second, third, fourth, fifth = (row.id for row in entries)

    def query(**params: object) -> list[int]:
        return ids(app_client.get(API, params=params, headers=headers))

    assert query(actor_id=admin.id) == [fifth, third, first]
    assert query(actor_id=entries[1].actor_id) == [fourth, second]
    assert query(action="region.create") == [fourth, first]
    assert query(object_type="user") == [fifth, third]
    assert query(object_type="region", object_id="230102001") == [second, first]
    assert query(action="region.create", actor_id=admin.id) == [first]
    assert query(action="nothing.like.this") == []
    assert query(actor_id=999_999) == []


def test_since_and_until_are_instants_in_any_offset(app_client, settings, admin, entries):
    headers = auth_headers(settings, admin)
    first, second, third, fourth, _ = (row.id for row in entries)

    def query(**params: datetime) -> list[int]:
        return ids(
            app_client.get(
                API, params={k: v.isoformat() for k, v in params.items()}, headers=headers
            )
        )

    assert query(since=T0 + timedelta(hours=3))[-1] == fourth  # since is inclusive
    assert query(until=T0 + timedelta(hours=1)) == [first]  # until is exclusive
    assert query(since=T0 + timedelta(hours=1), until=T0 + timedelta(hours=3)) == [third, second]
    # 17:00 in Shanghai is 09:00 UTC: the same instant as T0 + 1 h.
    local = datetime(2026, 3, 1, 17, 0, tzinfo=SHANGHAI)
    assert query(since=local, until=local + timedelta(hours=2)) == [third, second]
    assert query(since=T0 + timedelta(days=1)) == []


@pytest.mark.parametrize("naive", ["2026-03-01T08:00:00", "2026-03-01"])
def test_naive_datetimes_are_422(app_client, settings, admin, naive):
    for name in ("since", "until"):
        response = app_client.get(API, params={name: naive}, headers=auth_headers(settings, admin))
        assert response.status_code == 422, (name, naive)
        problem = response.json()
        assert problem["code"] == "request.invalid"
        assert problem["errors"][0]["field"] == f"query.{name}"


def test_cursor_pages_cover_everything_once(app_client, settings, admin, entries):
    headers = auth_headers(settings, admin)
    seen: list[int] = []
    cursor = None
    pages = 0
    while True:
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        body = app_client.get(API, params=params, headers=headers).json()
        assert len(body["items"]) <= 2
        seen += [item["id"] for item in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert pages == 3
    assert seen == [row.id for row in reversed(entries)]
    # The cursor composes with filters.
    page = app_client.get(
        API, params={"limit": 1, "action": "region.create"}, headers=headers
    ).json()
    rest = app_client.get(
        API,
        params={"limit": 1, "action": "region.create", "cursor": page["next_cursor"]},
        headers=headers,
    ).json()
    assert [i["id"] for i in page["items"] + rest["items"]] == [entries[3].id, entries[0].id]


def test_bad_paging_is_422(app_client, settings, admin):
    headers = auth_headers(settings, admin)
    assert app_client.get(API, params={"limit": 501}, headers=headers).status_code == 422
    bad = app_client.get(API, params={"cursor": "not-a-cursor"}, headers=headers)
    assert bad.status_code == 422 and bad.json()["code"] == "pagination.invalid_cursor"


@pytest.mark.parametrize("role", ["district_officer", "street_officer", "epidemiologist", "lab"])
def test_only_city_admins_read_the_audit_log(app_client, session, settings, role):
    region = {"street_officer": "230102001"}.get(role, "230102")
    if role == "street_officer":
        make_region(session, "230102001")
    user = make_user(session, role=role, region_code=region)
    session.commit()
    response = app_client.get(API, headers=auth_headers(settings, user))
    assert response.status_code == 403
    assert response.json()["code"] == "auth.forbidden"


def test_anonymous_is_401(app_client):
    assert app_client.get(API).status_code == 401


def test_audit_rows_never_hold_passwords_or_totp_secrets(app_client, session, settings, admin):
    headers = auth_headers(settings, admin)
    new_password = "another-secret-pass-9"
    data = {
        "username": "zhangsan",
        "display_name": "张三",
        "role": "district_officer",
        "region_code": "230102",
        "password": PASSWORD,
    }
    created = app_client.post("/api/v1/users", json=data, headers=headers)
    assert created.status_code == 201, created.text
    user_id = created.json()["id"]
    first_secret = totp_secret_of(created.json()["otpauth_uri"])
    changed = app_client.patch(
        f"/api/v1/users/{user_id}", json={"password": new_password}, headers=headers
    )
    assert changed.status_code == 200, changed.text
    enrolled = app_client.post(f"/api/v1/users/{user_id}/totp", headers=headers)
    assert enrolled.status_code == 200, enrolled.text
    second_secret = totp_secret_of(enrolled.json()["otpauth_uri"])

    session.expire_all()
    user = session.get(User, user_id)
    forbidden = [
        PASSWORD,
        new_password,
        user.password_hash,
        first_secret,
        second_secret,
        user.totp_secret.hex(),
        "$argon2",
    ]
    rows = session.scalars(select(AuditLog).where(AuditLog.object_id == str(user_id))).all()
    assert {row.action for row in rows} == {"user.create", "user.update", "user.enrol_totp"}
    dumped = json.dumps([[row.before, row.after] for row in rows], ensure_ascii=False)
    served = app_client.get(API, params={"object_type": "user"}, headers=headers).text
    for secret in forbidden:
        assert secret not in dumped
        assert secret not in served
    for row in rows:
        for snapshot in (row.before or {}, row.after or {}):
            assert not {"password", "password_hash", "totp_secret"} & snapshot.keys()
    enrol = next(row for row in rows if row.action == "user.enrol_totp")
    assert enrol.after["totp_enabled"] is True


def test_record_redacts_secret_fields_and_masks_personal_ones(session, admin):
    row = audit.record(
        session,
        actor=principal_of(admin),
        action="test.secrets",
        object_type="user",
        object_id=1,
        before={"password_hash": "$argon2id$v=19$abc", "totp_secret": b"raw", "name": "张三"},
        after={
            "password": "hunter2-hunter2",
            "otp": "123456",
            "token": "tok",
            "id_number": "230102199001011234",
            "phone": "13812345678",
            "at": T0,
        },
    )
    session.flush()
    session.expire(row)
    assert row.before == {
        "password_hash": "[redacted]",
        "totp_secret": "[redacted]",
        "name": "张三",
    }
    assert row.after == {
        "password": "[redacted]",
        "otp": "[redacted]",
        "token": "[redacted]",
        "id_number": "2301**********1234",
        "phone": "138****5678",
        "at": T0.isoformat(),
    }
    assert row.object_id == "1" and row.actor_id == admin.id


def test_audit_page_for_a_city_admin(app_client, session, admin, entries):
    web_login(app_client, admin.username)
    page = app_client.get("/audit")
    assert page.status_code == 200
    for action in ("region.create", "region.rename", "user.create", "user.update"):
        assert action in page.text
    # Times are shown in Asia/Shanghai: 08:00 UTC is 16:00.
    assert "2026-03-01 16:00:00" in page.text
    filtered = app_client.get("/audit", params={"action": "region.rename"})
    assert "<code>region.rename</code>" in filtered.text
    assert "<code>user.create</code>" not in filtered.text


def test_audit_page_is_refused_to_a_district_officer(app_client, session):
    officer = make_user(session, role="district_officer", region_code="230102")
    session.commit()
    web_login(app_client, officer.username)
    response = app_client.get("/audit")
    assert response.status_code == 403
    assert "<code>auth.login</code>" not in response.text
