"""Placements through the API: the list and its filters (masked names), placing by hand, a
room (and the full-room 409), bulk assignment, check-in (422 outside 35–42 °C), the release
queue, release (early: 409) and the detail."""

from __future__ import annotations

from datetime import timedelta

from fangkong.core import clock
from fangkong.models.quarantine import Room
from outbreak_world import OTHER_GRID, at, make_placement, make_resident, make_site
from quarantine.world import all_negative, use_edition

API = "/api/v1/quarantine/placements"


def test_list_filters_and_masks(app_client, session, settings, staff):
    person = make_resident(session, settings, name="李四光")
    home = make_placement(session, person, measure="home_isolation")
    make_placement(session, make_resident(session, settings), status="pending")
    make_placement(session, make_resident(session, settings, grid=OTHER_GRID))
    session.commit()
    everything = app_client.get(API, headers=staff["worker"]).json()["items"]
    assert len(everything) == 2 and "李四光" not in str(everything)
    homes = app_client.get(API, params={"measure": "home_isolation"}, headers=staff["worker"])
    assert [p["id"] for p in homes.json()["items"]] == [home.id]
    pending = app_client.get(API, params={"status": "pending"}, headers=staff["officer"])
    assert len(pending.json()["items"]) == 1
    assert (
        app_client.get(API, params={"grid": "23010300"}, headers=staff["officer"]).json()["items"]
        == []
    )
    assert app_client.get(API, params={"measure": "x"}, headers=staff["officer"]).status_code == 422


def test_place_by_hand_then_room_then_full(app_client, session, settings, staff):
    use_edition(session, "cn-9th-2022-06")
    site = make_site(session, rooms=1, beds=1)
    room = session.query(Room).filter_by(site_id=site.id).one()
    people = [make_resident(session, settings) for _ in range(2)]
    session.commit()
    ids = []
    for person in people:
        body = {
            "person_id": person.id,
            "measure": "centralized",
            "days": 7,
            "test_days": [1, 7],
            "day0_at": "2022-11-02T20:00:00+08:00",
        }
        created = app_client.post(API, json=body, headers=staff["isolation"])
        assert created.status_code == 201, created.text
        assert created.json()["status"] == "pending" and created.json()["basis"] == "manual"
        ids.append(created.json()["id"])
    first = app_client.post(
        f"{API}/{ids[0]}/room", json={"room_id": room.id}, headers=staff["isolation"]
    )
    assert first.status_code == 200 and first.json()["room_number"] == "801"
    full = app_client.post(
        f"{API}/{ids[1]}/room", json={"room_id": room.id}, headers=staff["isolation"]
    )
    assert full.status_code == 409 and full.json()["code"] == "quarantine.room_full"
    bulk = app_client.post(
        f"{API}/assign", json={"site_id": site.id, "placement_ids": ids}, headers=staff["isolation"]
    )
    assert bulk.status_code == 200
    assert {u["code"] for u in bulk.json()["unplaced"]} == {
        "quarantine.already_in_room",
        "quarantine.room_full",
    }


def test_place_by_hand_bad_inputs(app_client, session, settings, staff):
    theirs = make_resident(session, settings, grid=OTHER_GRID)
    mine = make_resident(session, settings)
    session.commit()
    body = {"measure": "home_isolation", "days": 7, "day0_at": "2022-11-02T20:00:00+08:00"}
    other = app_client.post(API, json=body | {"person_id": theirs.id}, headers=staff["officer"])
    assert other.status_code == 404 and other.json()["code"] == "quarantine.person_not_found"
    future = body | {"person_id": mine.id, "day0_at": "2999-01-01T00:00:00+08:00"}
    assert app_client.post(API, json=future, headers=staff["officer"]).json()["code"] == (
        "quarantine.day0_in_future"
    )
    beyond = body | {"person_id": mine.id, "test_days": [9]}
    assert app_client.post(API, json=beyond, headers=staff["officer"]).status_code == 422


def test_site_and_room_ids_beyond_32_bits_are_422(app_client, session, settings, staff):
    """Sites and rooms have INTEGER ids: a larger number is refused as bad input, never sent
    to the database (where PostgreSQL would fail the query with "integer out of range")."""
    person = make_resident(session, settings)
    placement = make_placement(session, person)
    session.commit()
    too_big = 2**31
    headers = staff["isolation"]
    room = app_client.post(f"{API}/{placement.id}/room", json={"room_id": too_big}, headers=headers)
    bulk = app_client.post(
        f"{API}/assign", json={"site_id": too_big, "placement_ids": [placement.id]}, headers=headers
    )
    listed = app_client.get(API, params={"site_id": too_big}, headers=headers)
    assert [room.status_code, bulk.status_code, listed.status_code] == [422, 422, 422]
    assert app_client.get(API, params={"site_id": too_big - 1}, headers=headers).status_code == 200


def test_check_in_release_queue_and_release(app_client, session, settings, staff):
    use_edition(session, "cn-9th-2022-06")
    placement = make_placement(
        session,
        make_resident(session, settings),
        measure="home_isolation",
        test_days=(),
        day0_at=clock.now() - timedelta(days=1),
    )
    session.commit()
    url = f"{API}/{placement.id}"
    hot = app_client.put(f"{url}/check-in", json={"temperature": 38.2}, headers=staff["worker"])
    assert hot.status_code == 200 and hot.json()["fever"] is True
    for bad in (34.9, 42.1):
        response = app_client.put(
            f"{url}/check-in", json={"temperature": bad}, headers=staff["worker"]
        )
        assert response.status_code == 422
    early = app_client.post(f"{url}/release", headers=staff["officer"])
    assert early.status_code == 409 and early.json()["code"] == "quarantine.release_early"
    placement.ends_at = clock.now() - timedelta(minutes=1)  # the period is over
    session.commit()
    queue = app_client.get(f"{API}/releases", headers=staff["officer"]).json()
    assert [p["id"] for p in queue] == [placement.id]
    done = app_client.post(f"{url}/release", headers=staff["officer"])
    assert done.status_code == 200 and done.json()["status"] == "released"
    assert done.json()["certificate_no"]


def test_release_with_a_test_missing_is_409(app_client, session, settings, staff):
    use_edition(session, "cn-9th-2022-06")
    placement = make_placement(session, make_resident(session, settings), day0_at=at(2, 20))
    from fangkong.quarantine.placements.service.common import set_schedule

    set_schedule(session, placement, placement.day0_at)
    session.commit()
    response = app_client.post(f"{API}/{placement.id}/release", headers=staff["officer"])
    assert response.status_code == 409 and response.json()["code"] == "quarantine.tests_missing"
    all_negative(session, placement)
    session.commit()
    response = app_client.post(f"{API}/{placement.id}/release", headers=staff["officer"])
    assert response.status_code == 200
