"""Who may do what in quarantine: 401 anonymous; 403 without the permission (a sampler has
none; grid workers and epidemiologists only read, grid workers also check in); 404 for another
district's site, room and placement."""

from __future__ import annotations

import pytest

from fangkong.models.quarantine import Room
from outbreak_world import OTHER_GRID, make_placement, make_resident, make_site

SITES = "/api/v1/quarantine/sites"
PLACEMENTS = "/api/v1/quarantine/placements"


@pytest.fixture
def records(session, settings, staff):
    site = make_site(session, rooms=1)
    room = session.query(Room).filter_by(site_id=site.id).one()
    person = make_resident(session, settings)
    placement = make_placement(session, person, measure="home_isolation")
    pending = make_placement(session, make_resident(session, settings), status="pending")
    theirs = make_site(session, name="南岗隔离点", region="230103", rooms=1)
    their_room = session.query(Room).filter_by(site_id=theirs.id).one()
    their_placement = make_placement(session, make_resident(session, settings, grid=OTHER_GRID))
    session.commit()
    return {
        "site": site.id,
        "room": room.id,
        "placement": placement.id,
        "pending": pending.id,
        "person": person.id,
        "their_site": theirs.id,
        "their_room": their_room.id,
        "their_placement": their_placement.id,
    }


def routes(r):
    site, room, placement = r["site"], r["room"], r["placement"]
    return [
        ("GET", SITES, None, "read"),
        ("POST", SITES, {"name": "新隔离点", "kind": "hotel", "region_code": "230102"}, "manage"),
        ("GET", f"{SITES}/{site}", None, "read"),
        ("PATCH", f"{SITES}/{site}", {"phone": "0451"}, "manage"),
        ("POST", f"{SITES}/{site}/rooms", {"numbers": "901"}, "manage"),
        ("PATCH", f"{SITES}/{site}/rooms/{room}", {"beds": 2}, "manage"),
        ("GET", PLACEMENTS, None, "read"),
        (
            "POST",
            PLACEMENTS,
            {
                "person_id": r["person"],
                "measure": "home_monitoring",
                "days": 3,
                "day0_at": "2022-11-02T20:00:00+08:00",
            },
            "manage",
        ),
        (
            "POST",
            f"{PLACEMENTS}/assign",
            {"site_id": site, "placement_ids": [r["pending"]]},
            "manage",
        ),
        ("GET", f"{PLACEMENTS}/releases", None, "read"),
        ("GET", f"{PLACEMENTS}/{placement}", None, "read"),
        ("POST", f"{PLACEMENTS}/{r['pending']}/room", {"room_id": room}, "manage"),
        ("PUT", f"{PLACEMENTS}/{placement}/check-in", {"temperature": 36.6}, "checkin"),
        ("POST", f"{PLACEMENTS}/{placement}/release", None, "manage"),
    ]


def call(client, method, url, body, headers=None):
    return client.request(method, url, json=body, headers=headers or {})


def test_anonymous_is_401(app_client, records):
    for method, url, body, _ in routes(records):
        response = call(app_client, method, url, body)
        assert response.status_code == 401, (method, url)


def test_roles_without_the_permission_are_403(app_client, staff, records):
    for method, url, body, needs in routes(records):
        assert call(app_client, method, url, body, staff["sampler"]).status_code == 403, url
        if needs != "read":
            assert call(app_client, method, url, body, staff["epi"]).status_code == 403, url
        if needs == "manage":
            assert call(app_client, method, url, body, staff["worker"]).status_code == 403, url


def test_another_districts_records_are_404(app_client, staff, records):
    r = records
    officer = staff["officer"]
    for method, url, body in [
        ("GET", f"{SITES}/{r['their_site']}", None),
        ("PATCH", f"{SITES}/{r['their_site']}", {"phone": "1"}),
        ("POST", f"{SITES}/{r['their_site']}/rooms", {"numbers": "902"}),
        ("PATCH", f"{SITES}/{r['their_site']}/rooms/{r['their_room']}", {"beds": 2}),
        ("GET", f"{PLACEMENTS}/{r['their_placement']}", None),
        ("PUT", f"{PLACEMENTS}/{r['their_placement']}/check-in", {"temperature": 36.6}),
        ("POST", f"{PLACEMENTS}/{r['their_placement']}/release", None),
        ("POST", f"{PLACEMENTS}/{r['pending']}/room", {"room_id": r["their_room"]}),
        ("POST", f"{PLACEMENTS}/assign", {"site_id": r["their_site"], "placement_ids": [1]}),
    ]:
        assert call(app_client, method, url, body, officer).status_code == 404, url
    listed = call(app_client, "GET", PLACEMENTS, None, staff["nangang"]).json()["items"]
    assert [p["id"] for p in listed] == [r["their_placement"]]
    sites = call(app_client, "GET", SITES, None, staff["nangang"]).json()["items"]
    assert [s["id"] for s in sites] == [r["their_site"]]
