"""Signing in with a one-time code: the right code, wrong ones, expiry, tries, rate limits."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from fangkong.core import clock
from fangkong.models.citizen import CitizenOtp, CitizenSession

OTP = "/api/v1/citizen/otp"
TOKEN = "/api/v1/citizen/token"
UNKNOWN_PHONE = "13900001111"


def _token(client, phone: str, code: str):
    return client.post(TOKEN, json={"phone": phone, "code": code})


def _wrong(code: str) -> str:
    return "".join(str((int(c) + 1) % 10) for c in code)


def test_the_answer_is_the_same_for_residents_and_strangers(app_client, resident, codes):
    known = app_client.post(OTP, json={"phone": resident.phone})
    unknown = app_client.post(OTP, json={"phone": UNKNOWN_PHONE})
    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json() == {"status": "accepted", "expires_in_seconds": 300}
    assert len(codes.lines()) == 1  # only the resident's phone got a code


def test_the_right_code_signs_in_once(app_client, resident, codes, settings, session):
    app_client.post(OTP, json={"phone": resident.phone})
    code = codes.last()
    assert len(code) == settings.otp_length and code.isdigit()
    response = _token(app_client, resident.phone, code)
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer" and body["access_token"].startswith("fkc_")
    headers = {"Authorization": f"Bearer {body['access_token']}"}
    assert app_client.get("/api/v1/me", headers=headers).json()["person_id"] == resident.person.id
    again = _token(app_client, resident.phone, code)
    assert again.status_code == 400 and again.json()["code"] == "citizen.otp_invalid"
    stored = session.scalars(select(CitizenSession)).one()
    assert stored.token_hash != body["access_token"] and body["access_token"] not in str(
        stored.__dict__
    )


def test_codes_are_stored_hashed(app_client, resident, codes, session):
    app_client.post(OTP, json={"phone": resident.phone})
    row = session.scalars(select(CitizenOtp)).one()
    assert codes.last() not in row.code_hash and len(row.code_hash) == 64
    assert resident.phone not in row.phone_hash


def test_the_phone_may_be_written_with_the_country_code(app_client, resident, codes):
    app_client.post(OTP, json={"phone": "+86 138-1234-5678"})
    assert _token(app_client, resident.phone, codes.last()).status_code == 200


def test_a_wrong_code_counts_and_too_many_lock_the_code(app_client, resident, codes, settings):
    app_client.post(OTP, json={"phone": resident.phone})
    code = codes.last()
    for _ in range(settings.otp_max_attempts):
        response = _token(app_client, resident.phone, _wrong(code))
        assert response.status_code == 400 and response.json()["code"] == "citizen.otp_invalid"
    locked = _token(app_client, resident.phone, code)
    assert locked.status_code == 400
    assert locked.json()["code"] == "citizen.otp_too_many_attempts"
    app_client.post(OTP, json={"phone": resident.phone})  # a new code starts afresh
    assert _token(app_client, resident.phone, codes.last()).status_code == 200


def test_a_code_expires(app_client, resident, codes, settings):
    start = clock.now()
    with clock.frozen(start):
        app_client.post(OTP, json={"phone": resident.phone})
    code = codes.last()
    with clock.frozen(start + timedelta(minutes=settings.otp_minutes)):
        response = _token(app_client, resident.phone, code)
    assert response.status_code == 400 and response.json()["code"] == "citizen.otp_expired"
    with clock.frozen(start + timedelta(minutes=settings.otp_minutes, seconds=-1)):
        assert _token(app_client, resident.phone, code).status_code == 200


def test_only_the_newest_code_counts(app_client, resident, codes):
    app_client.post(OTP, json={"phone": resident.phone})
    first = codes.last()
    app_client.post(OTP, json={"phone": resident.phone})
    second = codes.last()
    if first != second:
        assert _token(app_client, resident.phone, first).status_code == 400
    assert _token(app_client, resident.phone, second).status_code == 200


def test_no_code_for_a_stranger_signs_in(app_client, resident, codes):
    app_client.post(OTP, json={"phone": UNKNOWN_PHONE})
    response = _token(app_client, UNKNOWN_PHONE, "123456")
    assert response.status_code == 400 and response.json()["code"] == "citizen.otp_invalid"


@pytest.mark.parametrize("phone", ["12345", "1381234567x", "23812345678"])
def test_a_malformed_phone_is_refused(app_client, phone):
    response = app_client.post(OTP, json={"phone": phone})
    assert response.status_code == 422 and response.json()["code"] == "person.invalid_phone"


def test_code_requests_are_limited_per_phone(app_client, resident, codes, settings):
    per_minute = int(settings.rate_limit_otp.split("/")[0])
    for _ in range(per_minute):
        assert app_client.post(OTP, json={"phone": resident.phone}).status_code == 202
    refused = app_client.post(OTP, json={"phone": resident.phone})
    assert refused.status_code == 429
    assert refused.json()["code"] == "request.rate_limited"
    assert int(refused.headers["Retry-After"]) >= 1
    # A stranger's phone is limited just the same: the limit tells nobody who is registered.
    for _ in range(per_minute):
        app_client.post(OTP, json={"phone": UNKNOWN_PHONE})
    assert app_client.post(OTP, json={"phone": UNKNOWN_PHONE}).status_code == 429
    assert len(codes.lines()) == per_minute


def test_code_requests_are_limited_per_address(settings, db, resident):
    from fastapi.testclient import TestClient

    from fangkong.main import create_app

    tight = settings.model_copy(update={"rate_limit_otp_address": "2/minute"})
    with TestClient(create_app(tight, database=db)) as client:
        for n in range(2):
            phone = f"1390000{n:04d}"
            assert client.post(OTP, json={"phone": phone}).status_code == 202
        refused = client.post(OTP, json={"phone": "13900009999"})
    assert refused.status_code == 429 and "Retry-After" in refused.headers


def test_sign_in_is_recorded_in_the_audit_log(app_client, resident, codes, session):
    from fangkong.models import AuditLog

    app_client.post(OTP, json={"phone": resident.phone})
    _token(app_client, resident.phone, codes.last())
    row = session.scalars(select(AuditLog).where(AuditLog.action == "citizen.sign_in")).one()
    assert row.actor_name == f"citizen:{resident.person.id}" and resident.phone not in str(
        row.after
    )
