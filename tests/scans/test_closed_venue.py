"""A venue the command office closed (暂停营业) refuses every check-in, the citizen's own and
the door staff's, but for an emergency at a hospital; the closure's own times decide."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from fangkong.core import clock
from fangkong.core.principal import SYSTEM
from fangkong.policy.types import VenueType
from fangkong.venues import service as venues
from fangkong.venues.schemas import ClosureIn, VenueRef
from scans.world import World, citizen_headers

ENTRY = "/api/v1/entry-check"


def close(session: Session, venue_id: int, **until: object) -> None:
    data = ClosureIn(reason="病例活动轨迹涉及 终末消毒", **until)
    venues.close_venue(session, actor=SYSTEM, venue_id=venue_id, data=data)
    session.commit()


def test_a_closed_venue_refuses_a_green_code_at_the_door(
    app_client: TestClient, session: Session, world: World
) -> None:
    close(session, world.shop.id)
    body = {"place_code": world.tokens["红旗超市"], "id_number": world.green_id}
    answer = app_client.post(ENTRY, json=body, headers=world.officer)
    assert answer.status_code == 200, answer.text
    found = answer.json()
    assert (found["decision"], found["colour"]) == ("deny", "green")
    assert [r["code"] for r in found["reasons"]] == ["entry.venue_closed"]


def test_a_citizens_own_check_in_at_a_closed_venue_is_refused(
    app_client: TestClient, session: Session, world: World
) -> None:
    close(session, world.shop.id, until=clock.now() + timedelta(days=2))
    headers = citizen_headers(session, world.green.id)
    session.commit()
    answer = app_client.post("/api/v1/scans", headers=headers,
                             json={"place_code": world.tokens["红旗超市"]})  # fmt: skip
    assert answer.json()["decision"] == "deny"


def test_an_emergency_at_a_closed_hospital_is_an_override(
    app_client: TestClient, session: Session, world: World
) -> None:
    close(session, world.hospital.id)
    body = {"place_code": world.tokens["第一医院"], "id_number": world.green_id,
            "emergency": True}  # fmt: skip
    answer = app_client.post(ENTRY, json=body, headers=world.officer).json()
    assert (answer["decision"], answer["override"]) == ("allow", True)
    assert [r["code"] for r in answer["reasons"]] == [
        "entry.venue_closed", "entry.nat_missing", "entry.emergency_override"]  # fmt: skip


def test_a_closure_holds_from_its_start_until_its_end() -> None:
    now = clock.now()
    ref = VenueRef(id=1, name="店", type=VenueType.SHOP, region_code="230102",
                   address="", closed_since=now, closed_until=now + timedelta(hours=2))  # fmt: skip
    assert not ref.closed_at(now - timedelta(seconds=1))
    assert ref.closed_at(now) and ref.closed_at(now + timedelta(hours=1, minutes=59))
    assert not ref.closed_at(now + timedelta(hours=2))
    open_ended = VenueRef(id=1, name="店", type=VenueType.SHOP, region_code="230102",
                          address="", closed_since=now)  # fmt: skip
    assert open_ended.closed_at(now + timedelta(days=400))
    never = VenueRef(id=1, name="店", type=VenueType.SHOP, region_code="230102", address="")
    assert not never.closed_at(now)
