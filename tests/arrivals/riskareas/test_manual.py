"""Manual entry and corrections through the API, each audited: add a row, end it, change its
grade (closes and opens), correct a typo in its area (a note required); the bad inputs."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from arrivals.riskareas.helpers import API
from arrivals.world import make_risk_area
from fangkong.models import AuditLog
from fangkong.models.arrivals import RiskArea

NEW = {"province": "北京", "city": "北京", "district": "朝阳", "area": "望京街道某小区",
       "grade": "高", "effective_from": "2022-03-01 08:00", "note": "市指挥部通报"}  # fmt: skip


def _actions(session) -> list[str]:
    session.expire_all()
    return list(session.scalars(select(AuditLog.action).where(AuditLog.object_type == "risk_area")
                                .order_by(AuditLog.id)))  # fmt: skip


@pytest.fixture
def created(app_client, staff):
    response = app_client.post(API, json=NEW, headers=staff["admin"])
    assert response.status_code == 201, response.text
    return response.json()


def test_add_a_row(app_client, session, staff, created):
    assert (created["county_code"], created["grade"], created["source"]) == ("110105", "high",
                                                                             "manual")  # fmt: skip
    assert created["province"] == "北京市" and created["note"] == "市指挥部通报"
    assert datetime.fromisoformat(created["effective_from"]) == datetime(2022, 3, 1, 0,
                                                                          tzinfo=UTC)  # fmt: skip
    assert app_client.get(f"{API}/{created['id']}", headers=staff["worker"]).json() == created
    assert _actions(session) == ["risk_area.create"]


def test_end_a_row(app_client, session, staff, created):
    response = app_client.patch(f"{API}/{created['id']}", json={"effective_to": "2022-03-08"},
                                headers=staff["admin"])  # fmt: skip
    assert response.status_code == 200, response.text
    assert response.json()["effective_to"].startswith("2022-03-07T16:00")
    assert _actions(session) == ["risk_area.create", "risk_area.end"]


def test_change_the_grade_closes_and_opens(app_client, session, staff, created):
    response = app_client.patch(f"{API}/{created['id']}",
                                json={"grade": "low", "at": "2022-03-06", "note": "降级"},
                                headers=staff["admin"])  # fmt: skip
    assert response.status_code == 200, response.text
    successor = response.json()
    assert successor["id"] != created["id"] and successor["grade"] == "low"
    assert successor["area"] == created["area"] and successor["effective_to"] is None
    session.expire_all()
    old = session.get(RiskArea, created["id"])
    assert old.effective_to == datetime(2022, 3, 5, 16, tzinfo=UTC)
    assert old.effective_to.isoformat() == successor["effective_from"].replace("Z", "+00:00")
    assert _actions(session) == ["risk_area.create", "risk_area.end", "risk_area.grade"]


def test_correct_the_area_needs_a_note(app_client, session, staff, created):
    url = f"{API}/{created['id']}"
    refused = app_client.patch(url, json={"area": "望京街道某小区一期"}, headers=staff["admin"])
    assert (refused.status_code, refused.json()["code"]) == (422, "risk_area.note_required")
    fixed = app_client.patch(url, json={"area": "望京街道某小区一期", "note": "笔误"},
                             headers=staff["admin"])  # fmt: skip
    assert fixed.status_code == 200 and fixed.json()["area"] == "望京街道某小区一期"
    session.expire_all()
    row = session.get(RiskArea, created["id"])
    assert row.area_key == "望京街道某小区一期" and row.note == "笔误"
    audit = session.scalars(select(AuditLog).where(AuditLog.action == "risk_area.correct")).one()
    assert audit.before["area"] == "望京街道某小区" and audit.after["area"] == "望京街道某小区一期"


@pytest.mark.parametrize(("patch", "status", "code"), [
    ({"effective_to": "2022-02-01"}, 422, "risk_area.bad_dates"),
    ({"effective_to": "not a date"}, 422, "risk_area.bad_time"),
    ({"grade": "high", "at": "2022-03-06"}, 409, "risk_area.same_grade"),
    ({"grade": "low", "at": "2022-02-01"}, 409, "risk_area.not_in_force"),
    ({"grade": "severe"}, 422, "risk_area.bad_grade"),
    ({"grade": "low", "area": "x", "note": "y"}, 422, "risk_area.one_change"),
    ({}, 422, "risk_area.one_change"),
    ({"area": "x", "note": "y", "at": "2022-03-06"}, 422, "risk_area.one_change"),
    ({"colour": "red"}, 422, "request.invalid"),
])  # fmt: skip
def test_bad_changes_write_nothing(app_client, session, staff, created, patch, status, code):
    response = app_client.patch(f"{API}/{created['id']}", json=patch, headers=staff["admin"])
    assert (response.status_code, response.json()["code"]) == (status, code), response.text
    assert _actions(session) == ["risk_area.create"]
    assert session.scalars(select(RiskArea)).one().effective_to is None


@pytest.mark.parametrize(("change", "status", "code"), [
    ({"province": "火星"}, 422, "risk_area.unknown_place"),
    ({"grade": "极高"}, 422, "risk_area.bad_grade"),
    ({"effective_to": "2022-02-01"}, 422, "risk_area.bad_dates"),
    ({"district": ""}, 422, "request.invalid"),
])  # fmt: skip
def test_bad_entries(app_client, session, staff, change, status, code):
    response = app_client.post(API, json=NEW | change, headers=staff["admin"])
    assert (response.status_code, response.json()["code"]) == (status, code), response.text
    assert session.scalars(select(RiskArea)).all() == []


def test_a_place_listed_twice_is_refused(app_client, session, staff, created):
    again = app_client.post(API, json=NEW | {"effective_from": "2022-03-04"},
                            headers=staff["admin"])  # fmt: skip
    assert (again.status_code, again.json()["code"]) == (409, "risk_area.already_listed")


def test_medium_is_refused_where_the_edition_has_none(app_client, session, staff, settings):
    from fangkong.core.principal import SYSTEM
    from fangkong.policy import service as policy

    policy.activate(session, actor=SYSTEM, edition_id="cn-20-2022-11", default=settings.policy)
    session.commit()
    response = app_client.post(API, json=NEW | {"grade": "中"}, headers=staff["admin"])
    assert response.json()["code"] == "risk_area.grade_not_in_force"


def test_unknown_row(app_client, session, staff):
    make_risk_area(session)
    session.commit()
    response = app_client.get(f"{API}/2147483647", headers=staff["officer"])
    assert (response.status_code, response.json()["code"]) == (404, "risk_area.not_found")


def test_each_edit_publishes_one_change(app_client, staff, created):
    from fangkong.arrivals.events import RiskAreasChanged
    from fangkong.core import events

    heard: list[RiskAreasChanged] = []

    def handler(session, event):
        heard.append(event)

    events.subscribe(RiskAreasChanged)(handler)
    try:
        response = app_client.patch(f"{API}/{created['id']}", json={"grade": "low",
                                    "at": "2022-03-06"}, headers=staff["admin"])  # fmt: skip
        assert response.status_code == 200
    finally:
        events.unsubscribe(RiskAreasChanged, handler)
    [event] = heard
    assert event.county_codes == ("110105",) and event.end is None
    assert event.start == datetime(2022, 3, 5, 16, tzinfo=UTC)
