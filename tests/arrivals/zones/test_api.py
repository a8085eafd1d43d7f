"""``/api/v1/zones``: declare, list with filters, detail with countdown, edit, cases, decisions,
residents (masked) and the day's announcement; bad input is a problem+json with nothing
written."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from arrivals.world import ADMIN, DAOLI, GRID, NANGANG, OTHER_GRID, make_resident
from arrivals.zones.helpers import API, counts, household, local
from fangkong.arrivals.zones import service
from fangkong.arrivals.zones.schemas import DecisionIn, ZoneCreate
from fangkong.core import clock
from fangkong.core.principal import Principal

OFFICER = Principal(id=7, username="officer", role="district_officer", region_code=DAOLI)
OTHER = Principal(id=9, username="nangang", role="district_officer", region_code=NANGANG)


@pytest.fixture
def people(session, settings, staff):
    made = [make_resident(session, settings, name="王小明"), make_resident(session, settings)]
    household(session, made[:1], "道里区中央大街12号")
    session.commit()
    return made


def test_declare_read_edit_link_and_decide(app_client, session, staff, people):
    body = {"name": "中央大街12号楼", "kind": "sealed", "addresses": ["道里区中央大街12号"]}
    made = app_client.post(API, json=body, headers=staff["officer"])
    assert made.status_code == 201, made.text
    zone = made.json()
    assert zone["resident_count"] == 1 and zone["countdown"]["days_without_infection"] == 0
    assert zone["areas"] == [{"region_code": None, "address": "道里区中央大街12号"}]
    url = f"{API}/{zone['id']}"
    edited = app_client.patch(url, json={"note": "3单元"}, headers=staff["officer"])
    assert edited.json()["note"] == "3单元" and edited.json()["history"][-1]["action"] == "edited"
    infected = (clock.now() - timedelta(hours=5)).isoformat()
    case = {"person_id": people[0].id, "infected_at": infected, "case_ref": "哈-1"}
    linked = app_client.post(f"{url}/cases", json=case, headers=staff["officer"])
    assert linked.status_code == 200
    [shown] = linked.json()["cases"]
    assert shown["case_ref"] == "哈-1" and shown["name"] != "王小明" and "*" in shown["name"]
    listed = app_client.get(f"{url}/residents", headers=staff["officer"]).json()
    [resident] = listed["items"]
    assert "*" in resident["id_number"] and resident["person_id"] == people[0].id
    refused = app_client.post(f"{url}/decision", json={"action": "lift", "note": "x"},
                              headers=staff["officer"])  # fmt: skip
    assert refused.status_code == 403
    no_note = app_client.post(f"{url}/decision", json={"action": "lift"}, headers=staff["admin"])
    assert no_note.status_code == 422 and no_note.json()["code"] == "zone.note_required"
    lifted = app_client.post(f"{url}/decision", json={"action": "lift", "note": "解封"},
                             headers=staff["admin"])  # fmt: skip
    assert lifted.json()["status"] == "lifted" and lifted.json()["countdown"] is None


def test_list_filters_and_jurisdiction(app_client, session, staff, people):
    sealed = service.declare(session, actor=OFFICER,
                             data=ZoneCreate(name="甲", kind="sealed", region_code=GRID))  # fmt: skip
    controlled = service.declare(session, actor=OFFICER,
                                 data=ZoneCreate(name="乙", kind="controlled", region_code=GRID))  # fmt: skip
    controlled.pending = "proposed_downgrade"
    service.declare(session, actor=OTHER,
                    data=ZoneCreate(name="丙", kind="sealed", region_code=OTHER_GRID))  # fmt: skip
    session.commit()

    def ids(params, who="officer"):
        response = app_client.get(API, params=params, headers=staff[who])
        assert response.status_code == 200, response.text
        return [z["id"] for z in response.json()["items"]]

    assert ids({}) == [controlled.id, sealed.id]
    assert ids({"kind": "sealed"}) == [sealed.id]
    assert ids({"pending": "true"}) == [controlled.id]
    assert ids({"region": NANGANG}) == []
    assert len(ids({}, "admin")) == 3
    assert ids({"limit": 1})[0] == controlled.id
    bad = app_client.get(API, params={"kind": "red"}, headers=staff["officer"])
    assert bad.status_code == 422


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"region_code": DAOLI + "001009"}, 422, "zone.unknown_region"),
        ({"region_code": NANGANG + "001"}, 403, "zone.region_out_of_jurisdiction"),
        ({}, 422, "zone.no_area"),
        ({"addresses": ["不存在路1号"]}, 422, "zone.address_unmatched"),
        ({"region_code": GRID, "cases": [{"person_id": 99999999, "infected_at": "2022-11-01T08:00:00+08:00"}]},
         422, "zone.unknown_person"),
        ({"region_code": GRID, "kind": "red"}, 422, "request.invalid"),
        ({"region_code": GRID, "cases": [{"person_id": 1, "infected_at": "2022-11-01T08:00:00"}]},
         422, "request.invalid"),
        ({"region_code": DAOLI}, 422, "zone.region_level"),
    ],
)  # fmt: skip
def test_bad_declarations(app_client, session, staff, people, body, status, code):
    before = counts(session)
    response = app_client.post(API, json={"name": "坏", "kind": "sealed"} | body,
                               headers=staff["officer"])  # fmt: skip
    assert response.status_code == status, response.text
    assert response.json()["code"] == code
    session.expire_all()
    assert counts(session) == before


def test_the_announcement_counts_the_day_from_six_to_six(app_client, session, staff):
    day = date(2022, 11, 20)

    def zone(name, kind, declared_on, region=GRID, actor=OFFICER):
        with clock.frozen(local(declared_on)):
            data = ZoneCreate(name=name, kind=kind, region_code=region)
            return service.declare(session, actor=actor, data=data)

    def decide(made, at, **decision):
        with clock.frozen(at):
            service.decide(session, actor=ADMIN, zone_id=made.id, data=DecisionIn(**decision))

    before = date(2022, 11, 10)
    decide(zone("甲", "sealed", before), local(day, 10), action="lift", note="解封")
    decide(zone("乙", "sealed", before), local(day, 12), action="downgrade", note="降级")
    zone("丙", "sealed", date(2022, 11, 12))
    decide(zone("丁", "controlled", before), local(day + timedelta(days=1), 7), action="lift",
           note="次日解除")  # fmt: skip
    decide(zone("戊", "controlled", before), local(day - timedelta(days=1), 9), action="lift",
           note="前日解除")  # fmt: skip
    decide(zone("己", "sealed", before), local(day + timedelta(days=1), 5, 59), action="lift",
           note="五时五十九分")  # fmt: skip
    zone("庚", "sealed", day + timedelta(days=1))
    zone("辛", "sealed", before, region=OTHER_GRID, actor=OTHER)
    session.commit()
    response = app_client.get(f"{API}/announcement", params={"date": "2022-11-20"},
                              headers=staff["officer"])  # fmt: skip
    assert response.status_code == 200, response.text
    text = response.json()
    assert (
        text["zh"]
        == "11月20日6时至21日6时，解除封控区3处，尚有封控区1处；解除管控区0处，尚有管控区2处。"
    )
    assert text["en"] == (
        "From 06:00 on 20 November to 06:00 on 21 November: 3 sealed zones lifted, "
        "1 sealed zone remaining; 0 controlled zones lifted, 2 controlled zones remaining."
    )
    city = app_client.get(f"{API}/announcement", params={"date": "2022-11-20"},
                          headers=staff["admin"]).json()  # fmt: skip
    assert city["zh"].endswith("尚有封控区2处；解除管控区0处，尚有管控区2处。")
    month_end = app_client.get(f"{API}/announcement", params={"date": "2022-11-30"},
                               headers=staff["officer"]).json()  # fmt: skip
    assert month_end["zh"].startswith("11月30日6时至12月1日6时，")
    bad = app_client.get(f"{API}/announcement", params={"date": "2022-13-01"},
                         headers=staff["officer"])  # fmt: skip
    assert bad.status_code == 422
    for extreme in ("0001-01-01", "9999-12-31"):
        far = app_client.get(f"{API}/announcement", params={"date": extreme},
                             headers=staff["officer"])  # fmt: skip
        assert far.status_code == 422 and far.json()["code"] == "zone.bad_date"


def test_residents_are_paginated_and_masked(app_client, session, settings, staff):
    made = [make_resident(session, settings, name=f"居民{i}") for i in range(3)]
    zone = service.declare(session, actor=OFFICER,
                           data=ZoneCreate(name="甲", kind="precaution", region_code=GRID))  # fmt: skip
    session.commit()
    url = f"{API}/{zone.id}/residents"
    first = app_client.get(url, params={"limit": 2}, headers=staff["worker"]).json()
    second = app_client.get(url, params={"limit": 2, "cursor": first["next_cursor"]},
                            headers=staff["worker"]).json()  # fmt: skip
    seen = [r["person_id"] for r in first["items"] + second["items"]]
    assert seen == sorted(p.id for p in made) and second["next_cursor"] is None
    assert all(r["name"].startswith("居") and "*" in r["name"] for r in first["items"])
