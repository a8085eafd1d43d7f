"""The sampling API: sites (list, create, change, queue, the public board) and tubes (open,
add by code or ID number in the body, remove, seal, list, detail), problem+json errors in
zh and en, and nothing written by a refused request."""

from __future__ import annotations

import pytest

from fangkong.core import clock
from fangkong.people.protect import Protector
from testing.sampling.helpers import code_of, counts
from testing.world import GRID, make_campaign, make_resident, make_site, next_barcode

SITES = "/api/v1/testing/sites"
TUBES = "/api/v1/testing/tubes"


@pytest.fixture
def site(session, staff):
    made = make_site(session)
    session.commit()
    return made


def open_tube(client, staff, site, **extra):
    body = {"barcode": next_barcode(), "site_id": site.id, **extra}
    return client.post(TUBES, json=body, headers=staff["sampler"])


def test_sites_crud_and_queue(app_client, staff):
    body = {
        "name": "中央大街采样点",
        "region_code": GRID,
        "opens_at": "07:00",
        "capacity_per_hour": 60,
    }
    created = app_client.post(SITES, json=body, headers=staff["officer"])
    assert created.status_code == 201, created.text
    site = created.json()
    assert (site["opens_at"], site["closes_at"], site["queue_status"]) == (
        "07:00",
        "20:00",
        "normal",
    )
    changed = app_client.patch(
        f"{SITES}/{site['id']}", json={"address": "中央大街2号"}, headers=staff["officer"]
    )
    assert changed.json()["address"] == "中央大街2号"
    queue = {"status": "busy", "length": 30}
    reported = app_client.put(f"{SITES}/{site['id']}/queue", json=queue, headers=staff["sampler"])
    assert reported.json()["queue_length"] == 30 and reported.json()["queue_updated_at"]
    listed = app_client.get(SITES, params={"q": "中央", "active": True}, headers=staff["sampler"])
    assert [s["id"] for s in listed.json()["items"]] == [site["id"]]
    board = app_client.get(f"{SITES}/queue", params={"region": "230102"})
    assert board.status_code == 200
    [row] = board.json()
    assert (row["name"], row["wait_minutes"], row["queue_status"]) == ("中央大街采样点", 30, "busy")
    assert set(row) == {
        "id", "name", "region_code", "address", "opens_at", "closes_at", "open_now",
        "queue_status", "queue_length", "wait_minutes", "queue_updated_at",
    }  # fmt: skip
    gone = app_client.post(f"{SITES}/{site['id']}/deactivate", headers=staff["officer"])
    assert gone.json()["active"] is False
    assert app_client.get(f"{SITES}/queue").json() == []


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"name": "", "region_code": GRID}, 422),
        ({"name": "x", "region_code": GRID, "opens_at": "25:00"}, 422),
        ({"name": "x", "region_code": GRID, "capacity_per_hour": 0}, 422),
        ({"name": "x", "region_code": "230103001002003"}, 422),
        ({"name": "x", "region_code": GRID, "extra": 1}, 422),
    ],
)
def test_bad_sites_answer_422(app_client, staff, body, status):
    response = app_client.post(SITES, json=body, headers=staff["officer"])
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/problem+json")


def test_sampling_a_pool_by_code_and_by_id_number(app_client, session, settings, staff, site):
    first, second = make_resident(session, settings), make_resident(session, settings, name="李雷")
    session.commit()
    opened = open_tube(app_client, staff, site)
    assert opened.status_code == 201, opened.text
    tube = opened.json()
    assert (tube["capacity"], tube["members"]) == (10, [])
    url = f"{TUBES}/{tube['id']}"
    by_code = app_client.post(f"{url}/members", json={"personal_code": code_of(settings, first)},
                              headers=staff["sampler"])  # fmt: skip
    assert by_code.status_code == 200, by_code.text
    number = Protector(settings.data_key_bytes).open_id(second.id_number_enc)
    by_id = app_client.post(f"{url}/members", json={"id_number": number}, headers=staff["sampler"])
    members = by_id.json()["members"]
    assert [m["name"] for m in members] == ["王*明", "李*"]
    assert number not in by_id.text and "*" in members[1]["id_number"]
    removed = app_client.delete(f"{url}/members/{first.id}", headers=staff["sampler"])
    assert removed.json()["member_count"] == 1
    sealed = app_client.post(f"{url}/seal", headers=staff["sampler"])
    assert sealed.json()["status"] == "sealed"
    detail = app_client.get(url, headers=staff["officer"]).json()
    assert detail["member_count"] == 1 and detail["sealed_at"]
    listed = app_client.get(TUBES, params={"status": "sealed", "site_id": site.id,
                                           "day": clock.local_today().isoformat()},
                            headers=staff["worker"])  # fmt: skip
    assert [t["id"] for t in listed.json()["items"]] == [tube["id"]]
    other_day = app_client.get(TUBES, params={"day": "2020-01-01"}, headers=staff["officer"])
    assert other_day.json()["items"] == []


def problem(response, status, code):
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == code
    return response.json()


def test_bad_tubes_answer_problems_and_write_nothing(app_client, session, settings, staff, site):
    person = make_resident(session, settings)
    campaign = make_campaign(session, starts_on=clock.local_today())
    session.commit()
    before = counts(session)
    good = next_barcode()
    bad = good[:-1] + str((int(good[-1]) + 1) % 10)
    problem(open_tube(app_client, staff, site, barcode=bad), 422, "testing.bad_barcode")
    problem(open_tube(app_client, staff, site, capacity=7), 422, "testing.pool_size_not_allowed")
    problem(open_tube(app_client, staff, site, kind="household"), 422, "testing.household_required")
    assert counts(session) == before
    tube = open_tube(app_client, staff, site, barcode=good, campaign_id=campaign.id).json()
    problem(open_tube(app_client, staff, site, barcode=good), 409, "testing.tube_exists")
    url = f"{TUBES}/{tube['id']}"
    code = {"personal_code": code_of(settings, person)}
    assert app_client.post(f"{url}/members", json=code, headers=staff["sampler"]).status_code == 200
    after_first = counts(session)
    problem(app_client.post(f"{url}/members", json=code, headers=staff["sampler"]), 409,
            "testing.already_in_tube")  # fmt: skip
    second = open_tube(app_client, staff, site, campaign_id=campaign.id).json()
    code = {"personal_code": code_of(settings, person)}
    problem(app_client.post(f"{TUBES}/{second['id']}/members", json=code, headers=staff["sampler"]),
            409, "testing.already_in_round")  # fmt: skip
    problem(app_client.post(f"{TUBES}/{second['id']}/seal", headers=staff["sampler"]), 409,
            "testing.tube_empty")  # fmt: skip
    problem(app_client.post(f"{TUBES}/{second['id']}/members", json={}, headers=staff["sampler"]),
            422, "testing.person_required")  # fmt: skip
    assert counts(session)[1] == after_first[1]
    english = app_client.post(f"{TUBES}/{second['id']}/seal?lang=en", headers=staff["sampler"])
    assert english.json()["detail"] == "An empty tube cannot be sealed."
