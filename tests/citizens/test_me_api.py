"""``/api/v1/me``: the signed-in citizen's own record, code, scans and appeals, and no one else's."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from citizens.conftest import sign_in
from citizens.factories import make_resident, negative_test, raise_fact
from fangkong.citizens import personal_code
from fangkong.core import clock
from fangkong.healthcode.schemas import ReasonView
from fangkong.policy import service as policy
from fangkong.policy.types import Reason

CODE = "/api/v1/me/health-code"
APPEALS = "/api/v1/me/appeals"


@pytest.fixture
def neighbour(app_client, session, settings, codes, resident) -> dict[str, str]:
    """A second resident, signed in: their data must never show to the first."""
    make_resident(session, settings, name="李雷", phone="13987654321")
    session.commit()
    return {"Authorization": f"Bearer {sign_in(app_client, codes, '13987654321')}"}


def test_me_shows_the_masked_record(app_client, citizen, resident):
    body = app_client.get("/api/v1/me", headers=citizen).json()
    assert body["person_id"] == resident.person.id
    assert body["name"] == "王*明" and body["phone"] == "138****5678"
    assert resident.phone not in str(body)


def test_the_health_code_carries_a_fresh_payload(app_client, citizen, resident, settings, session):
    edition = policy.active_edition(session, default=settings.policy)
    lifetime = edition.health_code.qr_lifetime_minutes
    at = clock.now().replace(microsecond=0)
    with clock.frozen(at):
        body = app_client.get(CODE, headers=citizen).json()
    assert body["colour"] == "green" and body["reasons"] == [] and body["manual"] is False
    assert body["name"] == "王*明" and body["last_negative_test_at"] is None
    expires_at = datetime.fromisoformat(body["expires_at"])
    assert expires_at == at + timedelta(minutes=lifetime)
    opened = personal_code.open_payload(settings, body["qr_payload"], at)
    assert opened.person_id == resident.person.id and opened.expires_at == expires_at


def test_the_health_code_shows_reasons_and_the_latest_negative_test(
    app_client, citizen, resident, session
):
    sampled = datetime(2026, 11, 29, 2, 0, tzinfo=UTC)
    raise_fact(session, resident.person.id, Reason.CONTACT_SECONDARY)
    negative_test(session, resident.person.id, sampled)
    session.commit()
    body = app_client.get(CODE, headers=citizen | {"Accept-Language": "en"}).json()
    assert body["colour"] == "yellow"
    assert [r["code"] for r in body["reasons"]] == [Reason.CONTACT_SECONDARY.value]
    assert datetime.fromisoformat(body["last_negative_test_at"]) == sampled
    assert body["reasons"][0]["message"] == ReasonView(Reason.CONTACT_SECONDARY.value).message("en")


def test_each_citizen_sees_only_their_own_code(app_client, citizen, neighbour, settings):
    mine = app_client.get(CODE, headers=citizen).json()
    theirs = app_client.get(CODE, headers=neighbour).json()
    assert mine["name"] == "王*明" and theirs["name"] == "李*"
    now = clock.now()
    assert (
        personal_code.open_payload(settings, mine["qr_payload"], now).person_id
        != personal_code.open_payload(settings, theirs["qr_payload"], now).person_id
    )


def test_appeals_are_filed_and_listed_for_their_citizen_only(app_client, citizen, neighbour):
    assert app_client.get(APPEALS, headers=citizen).json() == []
    filed = app_client.post(APPEALS, json={"text": "我已经解除隔离"}, headers=citizen)
    assert filed.status_code == 201, filed.text
    assert filed.json()["status"] == "open" and filed.json()["text"] == "我已经解除隔离"
    [listed] = app_client.get(APPEALS, headers=citizen).json()
    assert listed["id"] == filed.json()["id"]
    assert app_client.get(APPEALS, headers=neighbour).json() == []


@pytest.mark.parametrize("text", ["", "   ", "x" * 1001, "bad\x00text"])
def test_a_bad_appeal_is_refused(app_client, citizen, text):
    response = app_client.post(APPEALS, json={"text": text}, headers=citizen)
    assert response.status_code == 422
    assert app_client.get(APPEALS, headers=citizen).json() == []


def test_scans_list_is_the_citizens_own(app_client, citizen, neighbour):
    assert app_client.get("/api/v1/me/scans", headers=citizen).json() == []
    assert app_client.get("/api/v1/me/scans", headers=neighbour).json() == []


@pytest.mark.parametrize("url", ["/api/v1/me", CODE, "/api/v1/me/scans", APPEALS])
def test_nobody_signed_in_gets_401(app_client, url):
    response = app_client.get(url)
    assert response.status_code == 401 and response.json()["code"] == "citizen.not_signed_in"
    garbage = app_client.get(url, headers={"Authorization": "Bearer fkc_nonsense"})
    assert garbage.status_code == 401
