"""``POST /api/v1/entry-check``: decisions, the scan written, every bad input of the issue."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fangkong.config import Settings
from fangkong.core import clock
from fangkong.models.healthcode import HealthFact
from fangkong.models.scan import Scan
from fangkong.policy.types import Reason
from scans.world import World, negative_test, personal_qr

ENTRY = "/api/v1/entry-check"


def scans(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Scan)) or 0


def check(client: TestClient, world: World, headers: dict[str, str], **body: object):
    payload = {"place_code": world.tokens["红旗超市"]} | body
    return client.post(ENTRY, json=payload, headers=headers)


def test_green_code_is_let_in_and_recorded(
    app_client: TestClient, session: Session, settings: Settings, world: World
) -> None:
    code = personal_qr(settings, world.green.id)
    answer = check(app_client, world, world.operator_headers, personal_code=code,
                   temperature=36.5, mask=True)  # fmt: skip
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["decision"] == "allow"
    assert body["colour"] == "green"
    assert body["recorded"] is True
    assert body["person_name"] == "王*明"
    row = session.get(Scan, body["scan_id"])
    assert row is not None
    assert (row.venue_id, row.person_id, row.source) == (world.shop.id, world.green.id, "door")
    assert (row.temperature, row.mask, row.decision) == (36.5, True, "allow")


def test_red_code_is_refused_with_its_reason(
    app_client: TestClient, settings: Settings, world: World
) -> None:
    answer = check(
        app_client, world, world.officer, personal_code=personal_qr(settings, world.red.id)
    )
    body = answer.json()
    assert body["decision"] == "deny"
    assert body["colour"] == "red"
    assert [r["code"] for r in body["reasons"]] == ["entry.code_not_green"]
    assert body["reasons"][0]["message"]


def test_id_number_is_looked_up_by_its_keyed_hash(app_client: TestClient, world: World) -> None:
    answer = check(app_client, world, world.officer, id_number=world.green_id)
    assert answer.status_code == 200, answer.text
    assert answer.json()["decision"] == "allow"


def test_unknown_id_number_is_404(app_client: TestClient, world: World) -> None:
    answer = check(app_client, world, world.officer, id_number="230102199001011234")
    assert answer.status_code == 404
    assert answer.json()["code"] == "scan.person_unknown"


def test_hospital_needs_a_recent_negative_test(
    app_client: TestClient, session: Session, settings: Settings, world: World
) -> None:
    body = {"place_code": world.tokens["第一医院"], "id_number": world.green_id}
    missing = app_client.post(ENTRY, json=body, headers=world.officer).json()
    assert missing["decision"] == "deny"
    assert [r["code"] for r in missing["reasons"]] == ["entry.nat_missing"]
    negative_test(session, world.green.id, clock.now() - timedelta(hours=20))
    session.commit()
    recent = app_client.post(ENTRY, json=body, headers=world.officer).json()
    assert recent["decision"] == "allow", recent


def test_emergency_at_a_hospital_is_an_override(
    app_client: TestClient, settings: Settings, world: World
) -> None:
    body = {"place_code": world.tokens["第一医院"], "id_number": world.green_id,
            "emergency": True}  # fmt: skip
    answer = app_client.post(ENTRY, json=body, headers=world.officer).json()
    assert answer["decision"] == "allow"
    assert answer["override"] is True
    codes = [r["code"] for r in answer["reasons"]]
    assert codes == ["entry.nat_missing", "entry.emergency_override"]


def test_fever_is_refused_and_raises_the_sentinel_fact(
    app_client: TestClient, session: Session, settings: Settings, world: World
) -> None:
    answer = check(app_client, world, world.officer, id_number=world.green_id, temperature=38.2)
    body = answer.json()
    assert body["decision"] == "deny"
    assert [r["code"] for r in body["reasons"]] == ["entry.fever"]
    fact = session.scalars(select(HealthFact).where(HealthFact.person_id == world.green.id)).one()
    assert fact.reason == Reason.FEVER_PENDING_TEST
    assert (fact.source, fact.ref) == ("entry_check", f"scan:{body['scan_id']}")


def test_temperature_outside_30_to_45_is_422_and_writes_nothing(
    app_client: TestClient, session: Session, world: World
) -> None:
    for value in (29.9, 45.1):
        answer = check(app_client, world, world.officer, id_number=world.green_id,
                       temperature=value)  # fmt: skip
        assert answer.status_code == 422
        assert answer.json()["code"] == "scan.temperature_out_of_range"
    assert scans(session) == 0


def test_forged_place_code_is_refused(
    app_client: TestClient, session: Session, world: World
) -> None:
    token = world.tokens["红旗超市"]
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    answer = check(app_client, world, world.officer, id_number=world.green_id, place_code=forged)
    assert answer.status_code == 404
    assert answer.json()["code"] == "venue.place_code_invalid"
    assert scans(session) == 0


def test_forged_expired_and_replayed_personal_codes(
    app_client: TestClient, session: Session, settings: Settings, world: World
) -> None:
    code = personal_qr(settings, world.green.id)
    forged = check(app_client, world, world.officer, personal_code=code[:-3] + "abc")
    assert forged.json()["code"] == "health_code.qr_invalid"
    with clock.frozen(clock.now() - timedelta(minutes=30)):
        old = personal_qr(settings, world.green.id, minutes=5)
    expired = check(app_client, world, world.officer, personal_code=old)
    assert expired.json()["code"] == "health_code.qr_expired"
    assert check(app_client, world, world.officer, personal_code=code).status_code == 200
    replayed = check(app_client, world, world.officer, personal_code=code)
    assert replayed.status_code == 409
    assert replayed.json()["code"] == "health_code.qr_replayed"
    assert scans(session) == 1


def test_one_of_personal_code_and_id_number(app_client: TestClient, world: World) -> None:
    neither = check(app_client, world, world.officer)
    assert neither.status_code == 422
    assert neither.json()["code"] == "scan.person_required"


def test_operator_only_at_its_own_venues(app_client: TestClient, world: World) -> None:
    own = check(app_client, world, world.operator_headers, id_number=world.green_id)
    assert own.status_code == 200
    other = check(app_client, world, world.operator_headers, id_number=world.green_id,
                  place_code=world.tokens["第一医院"])  # fmt: skip
    assert other.status_code == 404
    assert other.json()["code"] == "scan.venue_not_operated"


def test_officer_not_at_another_districts_venue(app_client: TestClient, world: World) -> None:
    answer = check(app_client, world, world.officer, id_number=world.green_id,
                   place_code=world.tokens["远方商店"])  # fmt: skip
    assert answer.status_code == 404
