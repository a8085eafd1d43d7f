"""``/api/v1/reports/bulletin`` and ``/api/v1/reports/dashboard``: the answers, bad input as
problem+json, 403 without ``reports.read``, and a district officer never reading another
district's numbers (``region`` outside the jurisdiction: 404, as the other domains answer)."""

from __future__ import annotations

from fangkong.core import clock
from outbreak_world import DAOLI, NANGANG, OTHER_GRID, at, make_case, make_resident

BULLETIN = "/api/v1/reports/bulletin"
DASHBOARD = "/api/v1/reports/dashboard"
DAY = {"date": "2022-11-03"}


def _cases(session, settings):
    make_case(session, make_resident(session, settings), kind="confirmed", confirmed_at=at(3, 10))
    far = make_resident(session, settings, grid=OTHER_GRID)
    make_case(session, far, kind="asymptomatic", confirmed_at=at(3, 11))
    make_case(session, make_resident(session, settings, grid=OTHER_GRID), kind="asymptomatic",
              confirmed_at=at(3, 12))  # fmt: skip
    session.commit()


def test_bulletin_of_a_day_and_of_a_window(app_client, session, settings, staff):
    _cases(session, settings)
    got = app_client.get(BULLETIN, params=DAY, headers=staff["admin"])
    assert got.status_code == 200
    body = got.json()
    assert body["figures"]["new_confirmed"] == 1 and body["figures"]["new_asymptomatic"] == 2
    assert body["text_zh"].startswith("2022年11月3日6时至11月4日6时，")
    assert body["start"].startswith("2022-11-02T22:00")
    window = {"start": "2022-11-03T00:00:00+08:00", "end": "2022-11-04T00:00:00+08:00"}
    span = app_client.get(BULLETIN, params=window, headers=staff["admin"]).json()
    assert span["date"] is None and span["text_zh"].startswith("2022年11月3日0时至24时，")
    near = app_client.get(BULLETIN, params=DAY | {"region": NANGANG}, headers=staff["admin"])
    assert near.json()["figures"]["new_asymptomatic"] == 2


def test_bad_input_is_a_problem(app_client, staff):
    for params, code in (
        ({"date": "2022-13-01"}, "request.invalid"),
        ({"date": "1900-01-01"}, "report.bad_window"),
        ({"start": "2022-11-03T00:00:00+08:00"}, "report.bad_window"),
        ({"start": "2022-11-04T00:00:00+08:00", "end": "2022-11-03T00:00:00+08:00"},
         "report.bad_window"),
        ({"region": "23x"}, "request.invalid"),
    ):  # fmt: skip
        got = app_client.get(BULLETIN, params=params, headers=staff["admin"])
        assert got.status_code == 422, params
        assert got.headers["content-type"].startswith("application/problem+json")
        assert got.json()["code"] == code


def test_no_data_is_a_sentence_not_an_error(app_client, staff):
    got = app_client.get(BULLETIN, params=DAY, headers=staff["admin"])
    assert got.status_code == 200 and got.json()["has_data"] is False
    assert "暂无疫情数据" in got.json()["text_zh"]


def test_permission(app_client, staff):
    for path in (BULLETIN, DASHBOARD):
        assert app_client.get(path, headers=staff["worker"]).status_code == 403
        assert app_client.get(path).status_code == 401
        for name in ("admin", "officer", "street", "epi"):
            assert app_client.get(path, headers=staff[name]).status_code == 200, (path, name)


def test_a_district_never_sees_another(app_client, session, settings, staff):
    _cases(session, settings)
    own = app_client.get(BULLETIN, params=DAY, headers=staff["officer"]).json()
    assert own["figures"]["new_asymptomatic"] == 0 and own["figures"]["new_confirmed"] == 1
    assert [d["code"] for d in own["districts"]] == [DAOLI]
    for path, params in ((BULLETIN, DAY), (DASHBOARD, {})):
        other = app_client.get(path, params=params | {"region": NANGANG},
                               headers=staff["officer"])  # fmt: skip
        assert other.status_code == 404
        assert other.json()["code"] == "report.region_not_found"
    with clock.frozen(at(4, 12)):
        board = app_client.get(DASHBOARD, headers=staff["officer"]).json()
    assert [d["code"] for d in board["districts"]] == [DAOLI]
    assert sum(p["new_asymptomatic"] for p in board["days"]) == 0
