"""Space-time companions (时空伴随): the people at the same venue within the edition's margin."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from fangkong.config import Settings
from fangkong.core import clock
from fangkong.models.scan import Scan
from fangkong.policy import service as policy
from fangkong.scans import service
from fangkong.scans.errors import CompanionWindowInvalid
from scans.world import World, make_resident

T0 = datetime(2026, 11, 20, 2, 0, tzinfo=clock.now().tzinfo)


def scan(session: Session, venue_id: int, person_id: int, at: datetime) -> None:
    session.add(Scan(venue_id=venue_id, person_id=person_id, region_code="230102001002003",
                     scanned_at=at, decision="allow", colour="green", reasons=[], override=False,
                     source="bulk"))  # fmt: skip


@pytest.fixture
def visits(session: Session, settings: Settings, world: World) -> dict[str, int]:
    near, _ = make_resident(session, settings, name="张近")
    far, _ = make_resident(session, settings, name="赵远")
    elsewhere, _ = make_resident(session, settings, name="钱别")
    scan(session, world.shop.id, world.green.id, T0)
    scan(session, world.shop.id, near.id, T0 + timedelta(minutes=25))
    scan(session, world.shop.id, far.id, T0 + timedelta(minutes=45))
    scan(session, world.hospital.id, elsewhere.id, T0)
    session.commit()
    return {"near": near.id, "far": far.id, "elsewhere": elsewhere.id}


def test_companions_within_the_editions_margin(
    session: Session, settings: Settings, world: World, visits: dict[str, int]
) -> None:
    assert service.margin_minutes(session, settings) == 30
    [stay] = service.companions(session, settings, world.green.id, T0 - timedelta(hours=1),
                                T0 + timedelta(hours=1))  # fmt: skip
    assert stay.stay.venue_id == world.shop.id
    assert [(o.person_id, o.name) for o in stay.others] == [(visits["near"], "张*")]
    assert (stay.window_start, stay.window_end) == (T0 - timedelta(minutes=30),
                                                    T0 + timedelta(minutes=30))  # fmt: skip


def test_window_outside_the_stay_finds_nothing(
    session: Session, settings: Settings, world: World, visits: dict[str, int]
) -> None:
    assert service.companions(session, settings, world.green.id, T0 + timedelta(minutes=1),
                              T0 + timedelta(hours=1)) == []  # fmt: skip


def test_window_must_be_ordered_and_short(session: Session, settings: Settings) -> None:
    with pytest.raises(CompanionWindowInvalid):
        service.companions(session, settings, 1, T0, T0)
    with pytest.raises(CompanionWindowInvalid):
        service.companions(session, settings, 1, T0, T0 + timedelta(days=15))


def test_companions_api_is_scoped(
    app_client: TestClient, session: Session, world: World, visits: dict[str, int]
) -> None:
    params = {"person_id": str(world.green.id), "from": (T0 - timedelta(hours=1)).isoformat(),
              "to": (T0 + timedelta(hours=1)).isoformat()}  # fmt: skip
    answer = app_client.get("/api/v1/scans/companions", params=params, headers=world.officer)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["margin_minutes"] == 30
    assert body["margin_source"] == "contacts.same_place_window_minutes"
    assert [o["person_id"] for o in body["companions"][0]["others"]] == [visits["near"]]
    assert "王小明" not in answer.text and "张近" not in answer.text


def test_edition_margin_drives_the_answer(
    session: Session,
    settings: Settings,
    world: World,
    visits: dict[str, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    edition = policy.active_edition(session, default=settings.policy)
    wider = edition.contacts.model_copy(update={"same_place_window_minutes": 60})
    patched = edition.model_copy(update={"contacts": wider})
    monkeypatch.setattr(policy, "active_edition", lambda *_a, **_k: patched)
    [stay] = service.companions(session, settings, world.green.id, T0 - timedelta(hours=1),
                                T0 + timedelta(hours=1))  # fmt: skip
    assert {o.person_id for o in stay.others} == {visits["near"], visits["far"]}


def test_each_stay_has_its_own_companions_in_time_order(
    session: Session, settings: Settings, world: World, visits: dict[str, int]
) -> None:
    """Three stays: one with a companion, one alone, one with two; the margin's ends count."""
    later = T0 + timedelta(hours=3)
    scan(session, world.hospital.id, world.green.id, T0 + timedelta(hours=2))  # nobody there
    scan(session, world.far_shop.id, world.green.id, later)
    scan(session, world.far_shop.id, visits["far"], later + timedelta(minutes=30))  # the edge
    scan(session, world.far_shop.id, visits["elsewhere"], later - timedelta(minutes=10))
    scan(session, world.far_shop.id, visits["near"], later + timedelta(minutes=31))  # outside
    session.commit()
    found = service.companions(session, settings, world.green.id, T0 - timedelta(hours=1),
                               T0 + timedelta(hours=4))  # fmt: skip
    assert [(c.stay.venue_id, c.stay.scanned_at) for c in found] == [
        (world.shop.id, T0), (world.hospital.id, T0 + timedelta(hours=2)),
        (world.far_shop.id, later)]  # fmt: skip
    assert [[o.person_id for o in c.others] for c in found] == [
        [visits["near"]], [], [visits["elsewhere"], visits["far"]]]  # fmt: skip
    assert found[2].stay.venue_name == "远方商店"
