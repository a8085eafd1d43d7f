""" "Was this place high-risk on 3 March?": the grade in force then (by ``matching``), the rows
that decided it and the place's history, at several dates; the matching edge cases
(whole-county row, sub-area containment, affected county, window overlap); lists and counts."""

from __future__ import annotations

from datetime import UTC, datetime

from arrivals.riskareas.helpers import API
from arrivals.world import ORIGIN_CODE, make_risk_area
from fangkong.arrivals.riskareas import matching
from fangkong.core.clock import LOCAL_TZ

# midnight of each March day, Asia/Shanghai
MARCH = {day: datetime(2022, 3, day, tzinfo=LOCAL_TZ).astimezone(UTC) for day in range(1, 20)}
PLACE = {"province": "北京市", "city": "北京市", "district": "朝阳区"}


def _check(client, headers, on, area=""):
    response = client.get(f"{API}/check", params=PLACE | {"area": area, "on": on},
                          headers=headers)  # fmt: skip
    assert response.status_code == 200, response.text
    return response.json()


def test_before_during_after(app_client, session, staff):
    row = make_risk_area(session, area="建外街道某小区", effective_from=MARCH[3],
                         effective_to=MARCH[10])  # fmt: skip
    session.commit()
    ask = staff["worker"]
    before = _check(app_client, ask, "2022-03-02", "建外街道某小区")
    assert (before["grade"], before["deciding"]) == ("none", [])
    assert [r["id"] for r in before["history"]] == [row.id]
    during = _check(app_client, ask, "2022-03-03", "建外街道某小区")
    assert during["grade"] == "high" and [r["id"] for r in during["deciding"]] == [row.id]
    last_day = _check(app_client, ask, "2022-03-09 23:59", "建外街道某小区")
    assert last_day["grade"] == "high"
    after = _check(app_client, ask, "2022-03-10", "建外街道某小区")
    assert after["grade"] == "none"
    instant = _check(app_client, ask, "2022-03-10T00:00:00+08:00", "建外街道某小区")
    assert instant["grade"] == "none"


def test_whole_county_row_applies_to_every_area(app_client, session, staff):
    make_risk_area(session, grade="medium", effective_from=MARCH[1])
    session.commit()
    answer = _check(app_client, staff["officer"], "2022-03-05", "任何小区")
    assert (answer["grade"], answer["affected_county"]) == ("medium", False)


def test_sub_area_containment_both_ways(app_client, session, staff):
    make_risk_area(session, area="望京街道", effective_from=MARCH[1])
    session.commit()
    inside = _check(app_client, staff["officer"], "2022-03-05", "望京街道某小区 3号楼")
    assert inside["grade"] == "high"
    wider = _check(app_client, staff["officer"], "2022-03-05", "望京")
    assert wider["grade"] == "high"
    spaced = _check(app_client, staff["officer"], "2022-03-05", "望京　街道（某小区）")
    assert spaced["grade"] == "high"


def test_affected_county_and_unknown_area(app_client, session, staff):
    make_risk_area(session, area="望京街道", effective_from=MARCH[1])
    session.commit()
    elsewhere = _check(app_client, staff["officer"], "2022-03-05", "三里屯街道")
    assert (elsewhere["grade"], elsewhere["affected_county"]) == ("low", True)
    unknown = _check(app_client, staff["officer"], "2022-03-05")
    assert (unknown["grade"], unknown["affected_county"]) == ("low", True)


def test_worst_grade_wins_and_low_rows_do_not_affect(session):
    make_risk_area(session, grade="low", area="望京街道", effective_from=MARCH[1])
    high = make_risk_area(session, grade="high", area="望京街道某小区", effective_from=MARCH[1])
    make_risk_area(session, grade="low", area="三里屯", effective_from=MARCH[1],
                   county_code="110101", names=("北京市", "北京市", "东城区"))  # fmt: skip
    origin = matching.Origin(ORIGIN_CODE, "望京街道某小区", MARCH[4], MARCH[5])
    assert matching.match_one(session, origin) == matching.Match("high", False, (high.id,))
    only_low = matching.Origin("110101", "别处", MARCH[4], MARCH[5])
    assert matching.match_one(session, only_low).grade == "none"


def test_travel_window_overlap(session):
    """A row in force at any instant of [departed, arrived] counts; one ended at departure
    or starting after arrival does not."""
    ended = make_risk_area(session, area="甲", effective_from=MARCH[1], effective_to=MARCH[5])
    later = make_risk_area(session, area="乙", effective_from=MARCH[9])
    assert matching.match_one(session, matching.Origin(ORIGIN_CODE, "甲", MARCH[4], MARCH[8])) \
        == matching.Match("high", False, (ended.id,))  # fmt: skip
    assert matching.match_one(session, matching.Origin(ORIGIN_CODE, "甲", MARCH[5], MARCH[8])) \
        .grade == "none"  # fmt: skip
    assert matching.match_one(session, matching.Origin(ORIGIN_CODE, "乙", MARCH[6], MARCH[9])) \
        == matching.Match("high", False, (later.id,))  # fmt: skip


def test_check_bad_inputs(app_client, staff):
    unknown = app_client.get(f"{API}/check", params={"province": "火星", "district": "某区"},
                             headers=staff["officer"])  # fmt: skip
    assert (unknown.status_code, unknown.json()["code"]) == (422, "risk_area.unknown_place")
    bad_on = app_client.get(f"{API}/check", params=PLACE | {"on": "三月三日"},
                            headers=staff["officer"])  # fmt: skip
    assert (bad_on.status_code, bad_on.json()["code"]) == (422, "risk_area.bad_time")


def test_list_filters_and_counts(app_client, session, staff):
    high = make_risk_area(session, area="望京街道", effective_from=MARCH[1])
    low = make_risk_area(session, grade="low", effective_from=MARCH[1], county_code="310115",
                         names=("上海市", "上海市", "浦东新区"))  # fmt: skip
    old = make_risk_area(session, area="旧小区", effective_from=MARCH[1], effective_to=MARCH[3])
    session.commit()
    ask = staff["epi"]

    def ids(**params):
        response = app_client.get(API, params=params, headers=ask)
        assert response.status_code == 200, response.text
        return [item["id"] for item in response.json()["items"]]

    assert ids() == [low.id, high.id]
    assert ids(on="2022-03-02") == [old.id, low.id, high.id]
    assert ids(grade="low") == [low.id]
    assert ids(province="上海") == [low.id]
    assert ids(county="1101") == [high.id]
    assert ids(q="望京") == [high.id]
    assert ids(history="true", q="旧") == [old.id]
    first = app_client.get(API, params={"limit": 1}, headers=ask).json()
    assert len(first["items"]) == 1 and first["next_cursor"]
    rest = app_client.get(API, params={"limit": 1, "cursor": first["next_cursor"]}, headers=ask)
    assert [item["id"] for item in rest.json()["items"]] == [high.id]
    counts = app_client.get(f"{API}/counts", params={"on": "2022-03-02"}, headers=ask).json()
    assert (counts["high"], counts["medium"], counts["low"]) == (2, 0, 1)
