"""The quarantine pages in zh and en: sites with occupancy and the new-site form, the room
grid (masked names) and rooms added in bulk, the placement list with its filters and bulk
assignment, a placement's page with a check-in and a release error, the release queue, the
certificate, and the person's own check-in."""

from __future__ import annotations

import re
from datetime import timedelta

from factories import make_user, web_login
from fangkong.core import clock
from fangkong.models.quarantine import CheckIn, Room
from outbreak_world import DAOLI, make_placement, make_resident, make_site
from quarantine.world import use_edition


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match
    return match.group(1)


def login(client, session, role="district_officer", region=DAOLI):
    user = make_user(session, role=role, region_code=region)
    session.commit()
    web_login(client, user.username)
    return user


def test_sites_pages(app_client, session, settings):
    site = make_site(session, rooms=2, beds=2)
    room = session.query(Room).filter_by(site_id=site.id).first()
    make_placement(
        session, make_resident(session, settings, name="赵六一"), site_id=site.id, room_id=room.id
    )
    login(app_client, session)
    listing = app_client.get("/quarantine/sites")
    assert listing.status_code == 200 and "道里隔离酒店" in listing.text
    token = csrf_of(listing.text)
    bad = app_client.post(
        "/quarantine/sites",
        data={"csrf_token": token, "name": "新点", "kind": "hotel", "region_code": "230103"},
    )
    assert bad.status_code == 403 and "quarantine.region_out_of_jurisdiction" in bad.text
    page = app_client.get(f"/quarantine/sites/{site.id}")
    assert page.status_code == 200 and 'data-room="801"' in page.text
    assert "赵六一" not in page.text and "赵" in page.text
    added = app_client.post(
        f"/quarantine/sites/{site.id}/rooms",
        data={"csrf_token": token, "numbers": "901-903", "beds": "2"},
        follow_redirects=False,
    )
    assert added.status_code == 303
    assert 'data-room="903"' in app_client.get(f"/quarantine/sites/{site.id}").text
    edited = app_client.post(
        f"/quarantine/sites/{site.id}/edit",
        data={
            "csrf_token": token,
            "name": "道里二号隔离酒店",
            "kind": "facility",
            "address": "新址1号",
            "phone": "0451-1",
        },
    )
    assert edited.status_code == 200 and "道里二号隔离酒店" in edited.text
    off = app_client.post(
        f"/quarantine/sites/{site.id}/active", data={"csrf_token": token, "active": "0"}
    )
    session.refresh(site)
    assert off.status_code == 200 and site.active is False
    english = app_client.get("/quarantine/sites?lang=en")
    assert "Isolation sites" in english.text


def test_placement_pages_check_in_release_and_certificate(app_client, session, settings):
    use_edition(session, "cn-9th-2022-06")
    placement = make_placement(
        session,
        make_resident(session, settings),
        measure="home_isolation",
        test_days=(),
        day0_at=clock.now() - timedelta(days=1),
    )
    pending = make_placement(session, make_resident(session, settings), status="pending")
    site = make_site(session, rooms=3, beds=1)
    login(app_client, session)
    listing = app_client.get("/quarantine/placements", params={"measure": "home_isolation"})
    assert listing.status_code == 200 and f'data-placement="{placement.id}"' in listing.text
    assert f'data-placement="{pending.id}"' not in listing.text
    token = csrf_of(listing.text)
    assigned = app_client.post(
        "/quarantine/placements/assign",
        data={"csrf_token": token, "site_id": str(site.id), "placement_id": str(pending.id)},
    )
    assert assigned.status_code == 200 and "assign-result" in assigned.text
    url = f"/quarantine/placements/{placement.id}"
    checked = app_client.post(
        f"{url}/check-in",
        data={"csrf_token": token, "temperature": "38.1", "symptoms": "咳嗽，乏力"},
        follow_redirects=False,
    )
    assert checked.status_code == 303
    assert session.query(CheckIn).filter_by(placement_id=placement.id).one().symptoms == [
        "咳嗽",
        "乏力",
    ]
    hot = app_client.post(f"{url}/check-in", data={"csrf_token": token, "temperature": "44"})
    assert hot.status_code == 422
    early = app_client.post(f"{url}/release", data={"csrf_token": token})
    assert early.status_code == 409 and "quarantine.release_early" in early.text
    placement.ends_at = clock.now() - timedelta(minutes=1)
    session.commit()
    assert f'data-placement="{placement.id}"' in app_client.get("/quarantine/releases").text
    assert (
        app_client.post(
            f"{url}/release", data={"csrf_token": token}, follow_redirects=False
        ).status_code
        == 303
    )
    paper = app_client.get(f"{url}/certificate")
    session.refresh(placement)
    assert paper.status_code == 200 and placement.certificate_no in paper.text
    english = app_client.get(f"{url}/certificate?lang=en")
    assert "Notice of release from quarantine" in english.text


def test_the_pages_need_a_login(app_client):
    for path in ("/quarantine/sites", "/quarantine/placements", "/quarantine/releases"):
        assert app_client.get(path, follow_redirects=False).status_code in (302, 303, 401)
