"""Who may call which risk-area route: reading needs ``zones.read`` (officers, grid workers,
epidemiologists), changes ``risk_areas.manage`` (city admins); 401 anonymous, 403 otherwise.
The list is national: a district officer reads every county's rows."""

from __future__ import annotations

import pytest

from arrivals.riskareas.helpers import API, BEIJING, csv_of, line
from arrivals.world import make_risk_area

READERS = ("admin", "officer", "street", "nangang", "worker", "other_worker", "epi")
NOT_READERS = ("gate", "operator", "sampler", "inspector")
MANAGERS = ("admin",)
NOT_MANAGERS = READERS[1:] + NOT_READERS


@pytest.fixture
def area_id(session):
    row = make_risk_area(session)
    session.commit()
    return row.id


def reads(area_id):
    check = {"province": "北京", "city": "北京", "district": "朝阳"}
    return [("GET", API, {}), ("GET", f"{API}/counts", {}), ("GET", f"{API}/check", check),
            ("GET", f"{API}/template.csv", {}), ("GET", f"{API}/template.xlsx", {}),
            ("GET", f"{API}/{area_id}", {})]  # fmt: skip


def changes(area_id):
    new = {"province": "上海", "city": "上海", "district": "浦东新区", "grade": "low"}
    body = {"rows": [new], "mode": "changes"}
    return [("POST", API, {"json": new}), ("POST", f"{API}/import", {"json": body}),
            ("POST", f"{API}/import", {"files": {"file": ("l.csv", csv_of(line(BEIJING, "", "高")))},
                                       "data": {"mode": "changes"}}),
            ("PATCH", f"{API}/{area_id}", {"json": {"area": "某小区", "note": "更正"}})]  # fmt: skip


def _call(client, method, url, kwargs, headers=None):
    kwargs = dict(kwargs)
    params = kwargs.pop("params", None) if method != "GET" else kwargs
    if method == "GET":
        return client.get(url, params=params, headers=headers or {})
    return client.request(method, url, headers=headers or {}, **kwargs)


def test_anonymous_is_401(app_client, area_id):
    for method, url, kwargs in reads(area_id) + changes(area_id):
        response = _call(app_client, method, url, kwargs)
        assert response.status_code == 401, (method, url)
        assert response.json()["code"] == "auth.required"


@pytest.mark.parametrize("role", READERS)
def test_readers_get_200(app_client, staff, area_id, role):
    for method, url, kwargs in reads(area_id):
        response = _call(app_client, method, url, kwargs, staff[role])
        assert response.status_code == 200, (role, url, response.text)


@pytest.mark.parametrize("role", NOT_READERS)
def test_others_cannot_read(app_client, staff, area_id, role):
    for method, url, kwargs in reads(area_id):
        response = _call(app_client, method, url, kwargs, staff[role])
        assert response.status_code == 403, (role, url)
        assert response.json()["code"] == "auth.forbidden"


@pytest.mark.parametrize("role", NOT_MANAGERS)
def test_only_city_admins_change(app_client, staff, area_id, role):
    for method, url, kwargs in changes(area_id):
        response = _call(app_client, method, url, kwargs, staff[role])
        assert response.status_code == 403, (role, method, url)


def test_city_admin_changes(app_client, staff, area_id):
    expected = [201, 200, 200, 200]
    for (method, url, kwargs), status in zip(changes(area_id), expected, strict=True):
        response = _call(app_client, method, url, kwargs, staff["admin"])
        assert response.status_code == status, (method, url, response.text)


def test_the_list_is_national(app_client, staff, session):
    make_risk_area(session, county_code="310115", names=("上海市", "上海市", "浦东新区"))
    session.commit()
    items = app_client.get(API, headers=staff["nangang"]).json()["items"]
    assert [item["county_code"] for item in items] == ["310115"]
