"""The round and key-group routes over HTTP: create, read, close, coverage, the untested and
the overdue lists and their exports; bad input is problem+json with a stable code."""

from __future__ import annotations

import io
from datetime import timedelta

from openpyxl import load_workbook

from fangkong.core import clock
from fangkong.models.person import KeyGroup
from fangkong.models.testing import Campaign
from testing.campaigns.helpers import API, GROUPS, join_group
from testing.world import DAOLI, GRID, NANGANG, OTHER_GRID, make_resident, make_tube


def body(**changes):
    today = clock.local_today()
    data = {"name": "第二轮全员核酸", "regions": [DAOLI], "starts_on": str(today),
            "ends_on": str(today + timedelta(days=1))}  # fmt: skip
    return data | changes


def test_create_read_close(app_client, session, settings, staff):
    make_resident(session, settings)
    session.commit()
    made = app_client.post(API, json=body(), headers=staff["officer"])
    assert made.status_code == 201, made.text
    got = made.json()
    assert (got["regions"], got["status"], got["target_population"]) == ([DAOLI], "open", 1)
    url = f"{API}/{got['id']}"
    assert app_client.get(url, headers=staff["worker"]).json() == got
    listed = app_client.get(API, headers=staff["officer"]).json()
    assert [c["id"] for c in listed["items"]] == [got["id"]]
    closed = app_client.post(f"{url}/close", headers=staff["officer"])
    assert closed.json()["status"] == "closed"
    again = app_client.post(f"{url}/close", headers=staff["officer"])
    assert (again.status_code, again.json()["code"]) == (409, "testing.campaign_closed")
    refreshed = app_client.post(f"{url}/refresh-target", headers=staff["officer"])
    assert refreshed.json()["target_population"] == 1


def test_bad_bodies_answer_problem_json_codes(app_client, staff):
    today = clock.local_today()
    cases = [
        (body(name=""), "request.invalid"),
        (body(regions=[]), "request.invalid"),
        (body(regions=["23010"]), "request.invalid"),
        (body(starts_on="tomorrow"), "request.invalid"),
        (body(regions=[NANGANG]), "testing.campaign_region_out_of_jurisdiction"),
        (body(regions=["230102009009009"]), "testing.campaign_unknown_region"),
        (body(ends_on=str(today - timedelta(days=1))), "testing.campaign_invalid_dates"),
    ]
    for data, code in cases:
        response = app_client.post(API, json=data, headers=staff["officer"])
        assert response.status_code == 422, (data, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["code"] == code, data
    zh = app_client.post(API, json=body(regions=[NANGANG]), headers=staff["officer"])
    en = app_client.post(f"{API}?lang=en", json=body(regions=[NANGANG]), headers=staff["officer"])
    assert zh.json()["title"] != en.json()["title"]


def test_coverage_and_the_untested(app_client, session, settings, staff):
    people = [make_resident(session, settings) for _ in range(3)]
    session.commit()
    campaign_id = app_client.post(API, json=body(), headers=staff["officer"]).json()["id"]
    make_tube(session, people[:2], campaign=session.get(Campaign, campaign_id), status="resulted")
    session.commit()
    url = f"{API}/{campaign_id}"
    grid = app_client.get(f"{url}/coverage?level=grid", headers=staff["officer"]).json()
    assert [(r["code"], r["target"], r["sampled"], r["tested"]) for r in grid["rows"]] == [
        (GRID, 3, 2, 2)
    ]
    assert grid["totals"]["coverage"] == 66.67
    bad = app_client.get(f"{url}/coverage?level=planet", headers=staff["officer"])
    assert (bad.status_code, bad.json()["code"]) == (422, "request.invalid")
    untested = app_client.get(f"{url}/untested", headers=staff["worker"]).json()
    assert [p["person_id"] for p in untested["items"]] == [people[2].id]
    assert "**********" in untested["items"][0]["id_number"]
    other = app_client.get(f"{url}/untested?grid={OTHER_GRID}", headers=staff["worker"])
    assert (other.status_code, other.json()["code"]) == (404, "testing.grid_not_found")
    sheet = app_client.get(f"{url}/untested.xlsx", headers=staff["worker"])
    assert sheet.headers["content-type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "网格" and len(rows) == 2


def test_key_groups_and_the_overdue(app_client, session, settings, staff):
    person = make_resident(session, settings, name="李冷链")
    join_group(session, person, KeyGroup.COLD_CHAIN)
    session.commit()
    groups = app_client.get(GROUPS, headers=staff["officer"]).json()
    cold = next(g for g in groups if g["id"] == "port_cold_chain_workers")
    assert (cold["members"], cold["required"]) == (1, True)
    overdue = app_client.get(f"{GROUPS}/overdue", headers=staff["officer"]).json()
    assert [(m["person_id"], m["name"], m["days_overdue"]) for m in overdue["items"]] == [
        (person.id, "李*链", None)
    ]
    summary = app_client.get(f"{GROUPS}/overdue/summary", headers=staff["officer"]).json()
    assert summary["by_region"] == [{"key": GRID[:9], "name": "区划001", "overdue": 1}]
    outside = app_client.get(f"{GROUPS}/overdue?region={NANGANG}", headers=staff["officer"])
    assert outside.json()["code"] == "testing.key_group_region_out_of_jurisdiction"
    unknown = app_client.get(f"{GROUPS}/overdue?group=astronauts", headers=staff["officer"])
    assert (unknown.status_code, unknown.json()["code"]) == (422, "testing.unknown_key_group")
    sheet = app_client.get(f"{GROUPS}/overdue.xlsx?lang=en", headers=staff["officer"])
    rows = list(load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "Key group" and rows[1][7] == "never"
