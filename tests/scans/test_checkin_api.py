"""``POST /api/v1/scans`` (the citizen's own check-in), the list and the citizen's scans."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fangkong.core import clock
from fangkong.models.scan import Scan
from fangkong.scans import service
from scans.world import World, citizen_headers

SCANS = "/api/v1/scans"


def count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Scan)) or 0


def test_citizen_checks_in_and_sees_the_colour(
    app_client: TestClient, session: Session, world: World
) -> None:
    headers = citizen_headers(session, world.green.id)
    session.commit()
    answer = app_client.post(SCANS, headers=headers,
                             json={"place_code": world.tokens["红旗超市"], "temperature": 36.4})  # fmt: skip
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["decision"], body["colour"], body["venue_name"]) == ("allow", "green", "红旗超市")
    row = session.get(Scan, body["scan_id"])
    assert row is not None
    assert (row.source, row.person_id, row.region_code) == ("checkin", world.green.id,
                                                            world.shop.region_code)  # fmt: skip
    [view] = service.scans_of_person(session, world.green.id)
    assert (view.venue_name, view.decision) == ("红旗超市", "allow")


def test_scan_time_in_the_future_is_refused(
    app_client: TestClient, session: Session, world: World
) -> None:
    headers = citizen_headers(session, world.green.id)
    session.commit()
    later = (clock.now() + timedelta(minutes=10)).isoformat()
    answer = app_client.post(SCANS, headers=headers,
                             json={"place_code": world.tokens["红旗超市"], "scanned_at": later})  # fmt: skip
    assert answer.status_code == 422
    assert answer.json()["code"] == "scan.time_in_future"
    assert count(session) == 0


def test_an_offline_phones_earlier_time_is_kept(
    app_client: TestClient, session: Session, world: World
) -> None:
    headers = citizen_headers(session, world.green.id)
    session.commit()
    earlier = clock.now() - timedelta(minutes=20)
    answer = app_client.post(SCANS, headers=headers,
                             json={"place_code": world.tokens["红旗超市"],
                                   "scanned_at": earlier.isoformat()})  # fmt: skip
    row = session.get(Scan, answer.json()["scan_id"])
    assert row is not None and row.scanned_at == earlier


def test_without_a_citizen_session_is_401(app_client: TestClient, world: World) -> None:
    answer = app_client.post(SCANS, json={"place_code": world.tokens["红旗超市"]})
    assert answer.status_code == 401
    assert answer.json()["code"] == "citizen.not_signed_in"


def test_a_staff_token_is_not_a_citizen(app_client: TestClient, world: World) -> None:
    answer = app_client.post(SCANS, headers=world.officer,
                             json={"place_code": world.tokens["红旗超市"]})  # fmt: skip
    assert answer.status_code == 401


def test_closed_venue_refuses_its_place_code(
    app_client: TestClient, session: Session, world: World
) -> None:
    headers = citizen_headers(session, world.green.id)
    world.shop.active = False
    session.commit()
    answer = app_client.post(SCANS, headers=headers, json={"place_code": world.tokens["红旗超市"]})
    assert answer.status_code == 404
    assert answer.json()["code"] == "venue.place_code_invalid"


def test_list_is_scoped_to_the_district(
    app_client: TestClient, session: Session, world: World
) -> None:
    for venue in (world.shop, world.far_shop):
        session.add(Scan(venue_id=venue.id, person_id=world.green.id, region_code=venue.region_code,
                         scanned_at=clock.now(), decision="allow", colour="green", reasons=[],
                         override=False, source="bulk"))  # fmt: skip
    session.commit()
    answer = app_client.get(SCANS, headers=world.officer)
    assert answer.status_code == 200
    assert [item["venue_id"] for item in answer.json()["items"]] == [world.shop.id]


def test_a_venue_id_beyond_32_bits_is_422(app_client: TestClient, world: World) -> None:
    """venues.id (and scans.venue_id) are INTEGER: a larger filter is bad input, not a query
    PostgreSQL would fail with "integer out of range"."""
    too_big = app_client.get(SCANS, params={"venue_id": 2**31}, headers=world.officer)
    largest = app_client.get(SCANS, params={"venue_id": 2**31 - 1}, headers=world.officer)
    assert (too_big.status_code, largest.status_code) == (422, 200)
    assert largest.json()["items"] == []
