"""Sites and rooms through the API: create in the jurisdiction, rooms in bulk, occupancy, the
room grid (masked), a room closed for cleaning, deactivation, and the bad inputs."""

from __future__ import annotations

from outbreak_world import DAOLI, GRID, make_placement, make_resident, make_site

SITES = "/api/v1/quarantine/sites"


def _create(client, headers, **extra):
    body = {"name": "道里一号隔离酒店", "kind": "hotel", "region_code": DAOLI} | extra
    return client.post(SITES, json=body, headers=headers)


def test_create_site_and_rooms_in_bulk(app_client, staff):
    response = _create(app_client, staff["isolation"], address="友谊路1号")
    assert response.status_code == 201, response.text
    site = response.json()
    rooms = app_client.post(
        f"{SITES}/{site['id']}/rooms",
        json={"numbers": "801-830", "beds": 2},
        headers=staff["isolation"],
    )
    assert rooms.status_code == 201, rooms.text
    body = rooms.json()
    assert body["rooms"] == 30 and len(body["room_list"]) == 30
    assert body["occupancy"] == {
        "beds": 60,
        "occupied": 0,
        "free": 60,
        "closed_beds": 0,
        "pending": 0,
    }
    assert body["room_list"][0]["number"] == "801" and body["room_list"][0]["floor"] == 8
    again = app_client.post(
        f"{SITES}/{site['id']}/rooms", json={"numbers": "830, 831"}, headers=staff["isolation"]
    )
    assert again.status_code == 409 and again.json()["code"] == "quarantine.room_exists"


def test_occupancy_and_room_grid_are_masked(app_client, session, settings, staff):
    site = make_site(session, rooms=3, beds=2)
    person = make_resident(session, settings, name="张三丰")
    room = site_rooms(session, site)[0]
    make_placement(session, person, site_id=site.id, room_id=room.id)
    make_placement(session, make_resident(session, settings), status="pending")
    session.commit()
    listed = app_client.get(SITES, headers=staff["isolation"]).json()["items"]
    assert [s["occupancy"] for s in listed] == [
        {"beds": 6, "occupied": 1, "free": 5, "closed_beds": 0, "pending": 1}
    ]
    detail = app_client.get(f"{SITES}/{site.id}", headers=staff["officer"]).json()
    [occupant] = detail["room_list"][0]["occupants"]
    assert occupant["name"] != "张三丰" and occupant["name"].startswith("张")
    assert "张三丰" not in app_client.get(f"{SITES}/{site.id}", headers=staff["officer"]).text


def site_rooms(session, site):
    from fangkong.models.quarantine import Room

    return session.query(Room).filter_by(site_id=site.id).order_by(Room.number).all()


def test_close_a_room_for_cleaning_and_deactivate(app_client, session, staff):
    site = make_site(session, rooms=2)
    session.commit()
    room = site_rooms(session, site)[1]
    url = f"{SITES}/{site.id}/rooms/{room.id}"
    response = app_client.patch(url, json={"status": "cleaning"}, headers=staff["isolation"])
    assert response.status_code == 200 and response.json()["status"] == "cleaning"
    occupancy = app_client.get(f"{SITES}/{site.id}", headers=staff["isolation"]).json()["occupancy"]
    assert (occupancy["beds"], occupancy["closed_beds"]) == (1, 1)
    off = app_client.patch(f"{SITES}/{site.id}", json={"active": False}, headers=staff["officer"])
    assert off.status_code == 200 and off.json()["active"] is False
    only_active = app_client.get(SITES, params={"active": "true"}, headers=staff["officer"])
    assert only_active.json()["items"] == []


def test_a_room_with_people_cannot_close(app_client, session, settings, staff):
    site = make_site(session, rooms=1)
    room = site_rooms(session, site)[0]
    make_placement(session, make_resident(session, settings), site_id=site.id, room_id=room.id)
    session.commit()
    response = app_client.patch(
        f"{SITES}/{site.id}/rooms/{room.id}", json={"status": "closed"}, headers=staff["isolation"]
    )
    assert response.status_code == 409 and response.json()["code"] == "quarantine.room_occupied"


def test_bad_inputs(app_client, session, staff):
    assert _create(app_client, staff["officer"], region_code="230103").json()["code"] == (
        "quarantine.region_out_of_jurisdiction"
    )
    assert _create(app_client, staff["officer"], region_code="230102009").json()["code"] == (
        "quarantine.unknown_region"
    )
    assert _create(app_client, staff["officer"], region_code=GRID).status_code == 201
    dup = _create(app_client, staff["officer"], region_code=GRID)
    assert dup.status_code == 409 and dup.json()["code"] == "quarantine.site_exists"
    site = make_site(session, rooms=0)
    session.commit()
    for numbers in ("830-801", "1-900", "8@1", " "):
        bad = app_client.post(
            f"{SITES}/{site.id}/rooms", json={"numbers": numbers}, headers=staff["officer"]
        )
        assert bad.status_code == 422, numbers
    assert _create(app_client, staff["officer"], kind="tent").status_code == 422
