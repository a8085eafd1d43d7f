"""``POST /api/v1/health-code/verify``: door staff check a presented personal code."""

from __future__ import annotations

import logging
from datetime import timedelta

from citizens.factories import raise_fact
from factories import auth_headers, make_user
from fangkong.core import clock
from fangkong.policy.types import Reason

VERIFY = "/api/v1/health-code/verify"
CODE = "/api/v1/me/health-code"


def _payload(client, citizen) -> str:
    response = client.get(CODE, headers=citizen)
    assert response.status_code == 200, response.text
    payload: str = response.json()["qr_payload"]
    return payload


def test_a_fresh_code_answers_the_masked_name_and_colour(app_client, citizen, door):
    response = app_client.post(
        VERIFY, json={"payload": _payload(app_client, citizen)}, headers=door
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["name"] == "王*明" and body["colour"] == "green"
    assert body["reasons"] == [] and body["stale"] is False
    assert "person_id" not in body


def test_the_colour_and_reasons_follow_the_health_code(
    app_client, citizen, door, session, resident
):
    raise_fact(session, resident.person.id, Reason.FEVER_PENDING_TEST)
    session.commit()
    response = app_client.post(
        VERIFY,
        json={"payload": _payload(app_client, citizen)},
        headers=door | {"Accept-Language": "en"},
    )
    body = response.json()
    assert body["colour"] == "yellow"
    assert [r["code"] for r in body["reasons"]] == [Reason.FEVER_PENDING_TEST.value]
    assert body["reasons"][0]["message"]


def test_a_code_is_accepted_once(app_client, citizen, door):
    payload = _payload(app_client, citizen)
    assert app_client.post(VERIFY, json={"payload": payload}, headers=door).status_code == 200
    again = app_client.post(VERIFY, json={"payload": payload}, headers=door)
    assert again.status_code == 409 and again.json()["code"] == "health_code.qr_replayed"


def test_a_tampered_code_is_refused(app_client, citizen, door):
    payload = _payload(app_client, citizen)
    tampered = payload[:10] + ("A" if payload[10] != "A" else "B") + payload[11:]
    response = app_client.post(VERIFY, json={"payload": tampered}, headers=door)
    assert response.status_code == 400 and response.json()["code"] == "health_code.qr_invalid"
    assert response.headers["content-type"].startswith("application/problem+json")


def test_an_expired_code_is_refused(app_client, citizen, door):
    response = app_client.get(CODE, headers=citizen)
    payload, lifetime = response.json()["qr_payload"], response.json()["expires_at"]
    assert lifetime
    with clock.frozen(clock.now() + timedelta(minutes=5, seconds=1)):
        expired = app_client.post(VERIFY, json={"payload": payload}, headers=door)
    assert expired.status_code == 400 and expired.json()["code"] == "health_code.qr_expired"


def test_verification_logs_no_personal_data(app_client, citizen, door, resident, caplog):
    caplog.set_level(logging.DEBUG)
    payload = _payload(app_client, citizen)
    app_client.post(VERIFY, json={"payload": payload}, headers=door)
    app_client.post(VERIFY, json={"payload": payload}, headers=door)
    text = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("fangkong"))
    assert "personal code verified" in text and "health_code.qr_replayed" in text
    for secret in (resident.person.name, "王*明", resident.phone, payload):
        assert secret not in text


def test_only_staff_with_the_permission_verify(app_client, citizen, session, settings):
    payload = _payload(app_client, citizen)
    assert app_client.post(VERIFY, json={"payload": payload}).status_code == 401
    assert app_client.post(VERIFY, json={"payload": payload}, headers=citizen).status_code == 401
    lab = make_user(session, role="lab", region_code="230102")
    session.commit()
    refused = app_client.post(
        VERIFY, json={"payload": payload}, headers=auth_headers(settings, lab)
    )
    assert refused.status_code == 403


def test_an_empty_or_huge_payload_is_a_422(app_client, door):
    for payload in ("", "A" * 201):
        response = app_client.post(VERIFY, json={"payload": payload}, headers=door)
        assert response.status_code == 422
