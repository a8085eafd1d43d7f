"""Closing a venue for a while and reopening it (暂停营业): the service's rules and audit, the
API with its problem codes and access, the CLI, and the detail page's forms in zh and en."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from factories import auth_headers, make_user
from fangkong.core import clock
from fangkong.models import AuditLog
from fangkong.venues import errors, service
from fangkong.venues.schemas import ClosureIn, ReopenIn
from venues.conftest import API, NANGANG_GRID, make_venue, officer_of
from venues.test_views import csrf_of, login

pytestmark = pytest.mark.usefixtures("districts")
DAOLI = officer_of("230102")
NOW = datetime(2022, 11, 10, 2, 0, tzinfo=UTC)


def closed(session, venue_id, **data):
    body = ClosureIn.model_validate({"reason": "病例活动轨迹涉及"} | data)
    return service.close_venue(session, actor=DAOLI, venue_id=venue_id, data=body)


def test_close_then_reopen_is_audited_and_ends_the_closure(session):
    venue = make_venue(session)
    with clock.frozen(NOW):
        closure = closed(session, venue.id, until=NOW + timedelta(days=3))
        assert service.closed_venue_ids(session, actor=DAOLI) == [venue.id]
        assert service.closure_in_force(session, actor=DAOLI, venue_id=venue.id) is closure
    assert (closure.starts_at, closure.ends_at) == (NOW, NOW + timedelta(days=3))
    later = NOW + timedelta(hours=5)
    with clock.frozen(later):
        service.reopen_venue(
            session, actor=DAOLI, venue_id=venue.id, data=ReopenIn(note="消毒完毕")
        )
        assert service.closed_venue_ids(session, actor=DAOLI) == []
    assert (closure.ends_at, closure.reopen_note) == (later, "消毒完毕")
    assert service.closed_venue_ids(session, actor=DAOLI, at=later - timedelta(hours=1)) == [
        venue.id
    ]
    rows = session.execute(select(AuditLog.action, AuditLog.after).where(
        AuditLog.object_id == str(venue.id), AuditLog.action.like("venue.%o%e%"))).all()  # fmt: skip
    assert [action for action, _ in rows] == ["venue.close", "venue.reopen"]
    assert rows[0][1]["reason"] == "病例活动轨迹涉及"


def test_closure_bad_input(session):
    venue = make_venue(session)
    other = make_venue(session, "南岗店", region_code=NANGANG_GRID)
    with clock.frozen(NOW):
        with pytest.raises(errors.ClosureEndsInPast):
            closed(session, venue.id, until=NOW - timedelta(minutes=1))
        with pytest.raises(errors.ClosureEndsInPast):
            closed(session, venue.id, until=datetime(2022, 11, 20, 6, 0))  # no time zone
        with pytest.raises(errors.NotClosed):
            service.reopen_venue(session, actor=DAOLI, venue_id=venue.id, data=ReopenIn())
        with pytest.raises(errors.VenueNotFound):
            closed(session, other.id)
        closed(session, venue.id)
        with pytest.raises(errors.AlreadyClosed):
            closed(session, venue.id)
    assert len(service.closures(session, actor=DAOLI, venue_id=venue.id)) == 1
    service.deactivate_venue(session, actor=DAOLI, venue_id=venue.id)
    with clock.frozen(NOW + timedelta(days=1)):
        service.reopen_venue(session, actor=DAOLI, venue_id=venue.id, data=ReopenIn())
        with pytest.raises(errors.VenueInactive):
            closed(session, venue.id)


def test_api_close_list_reopen_and_problem_codes(app_client, session, settings, officers):
    venue = make_venue(session)
    session.commit()
    headers, url = officers["daoli"], f"{API}/{venue.id}"
    past = (clock.now() - timedelta(hours=1)).isoformat()
    bad = [({}, 422, "request.invalid"), ({"reason": ""}, 422, "request.invalid"),
           ({"reason": "x" * 201}, 422, "request.invalid"),
           ({"reason": "r", "until": past}, 422, "venue.closure_ends_in_past")]  # fmt: skip
    for body, status, code in bad:
        answer = app_client.post(f"{url}/close", json=body, headers=headers)
        assert (answer.status_code, answer.json()["code"]) == (status, code), body
    made = app_client.post(f"{url}/close", json={"reason": "终末消毒"}, headers=headers)
    assert made.status_code == 201, made.text
    assert (made.json()["reason"], made.json()["ends_at"]) == ("终末消毒", None)
    again = app_client.post(f"{url}/close", json={"reason": "再次"}, headers=headers)
    assert (again.status_code, again.json()["code"]) == (409, "venue.already_closed")
    reopened = app_client.post(f"{url}/reopen", json={"note": "好了"}, headers=headers)
    assert reopened.status_code == 200 and reopened.json()["ends_at"] is not None
    twice = app_client.post(f"{url}/reopen", json={}, headers=headers)
    assert (twice.status_code, twice.json()["code"]) == (409, "venue.not_closed")
    listed = app_client.get(f"{url}/closures", headers=headers).json()
    assert [(c["reason"], c["reopen_note"]) for c in listed] == [("终末消毒", "好了")]


def test_api_access_to_closures(app_client, session, settings, officers):
    venue = make_venue(session)
    reader = auth_headers(settings, make_user(session, role="grid_worker", region_code="230102"))
    session.commit()
    url = f"{API}/{venue.id}"
    assert app_client.post(f"{url}/close", json={"reason": "r"}).status_code == 401
    assert app_client.get(f"{url}/closures", headers=reader).status_code == 200
    refused = app_client.post(f"{url}/close", json={"reason": "r"}, headers=reader)
    assert (refused.status_code, refused.json()["code"]) == (403, "auth.forbidden")
    elsewhere = app_client.post(f"{url}/close", json={"reason": "r"}, headers=officers["nangang"])
    assert (elsewhere.status_code, elsewhere.json()["code"]) == (404, "venue.not_found")
    assert app_client.get(f"{url}/closures", headers=officers["nangang"]).status_code == 404


def test_detail_page_closes_and_reopens(app_client, session):
    venue = make_venue(session)
    login(app_client, session)
    url = f"/venues/{venue.id}"
    page = app_client.get(url)
    assert 'data-testid="close-form"' in page.text and "从未暂停营业" in page.text
    token = csrf_of(page.text)
    empty = app_client.post(f"{url}/close", data={"csrf_token": token, "reason": ""})
    assert empty.status_code == 422 and 'data-error="reason"' in empty.text
    past = app_client.post(f"{url}/close", data={"csrf_token": token, "reason": "消毒",
                                                 "until": "2020-01-01T08:00"})  # fmt: skip
    assert past.status_code == 422 and 'data-error="until"' in past.text and "消毒" in past.text
    garbled = app_client.post(f"{url}/close", data={"csrf_token": token, "reason": "消毒",
                                                    "until": "明天"})  # fmt: skip
    assert garbled.status_code == 422 and 'data-error="until"' in garbled.text
    later = (clock.now() + timedelta(days=2)).astimezone(clock.LOCAL_TZ)
    made = app_client.post(f"{url}/close", follow_redirects=False, data={
        "csrf_token": token, "reason": "病例活动轨迹涉及", "until": f"{later:%Y-%m-%dT%H:%M}"})  # fmt: skip
    assert made.status_code == 303
    shown = app_client.get(url)
    assert (
        f"暂停营业至 {later:%Y-%m-%d %H:%M}" in shown.text
        and 'data-testid="reopen-form"' in shown.text
    )
    assert "Closed until" in app_client.get(url, params={"lang": "en"}).text
    app_client.post(f"{url}/reopen", data={"csrf_token": token, "note": "消毒完毕"})
    after = app_client.get(url).text
    assert 'data-testid="closed"' not in after and "消毒完毕" in after


def test_cli_close_reopen_and_bad_input(cli_home, tmp_path):
    regions = tmp_path / "regions.csv"
    regions.write_text("code,name,level,parent_code\n230104001,靖宇街道,street,230104\n",
                       encoding="utf-8")  # fmt: skip
    venues = tmp_path / "venues.csv"
    venues.write_text("名称,类型,区划代码,地址\n靖宇车站,station_airport,230104001,\n",
                      encoding="utf-8")  # fmt: skip
    cli_home.run(("regions", "import", regions))
    cli_home.run(("venues", "import", venues))
    [listed] = cli_home.run(("venues", "list", "--json"))
    venue_id = str(json.loads(listed.stdout)[0]["id"])
    [closing] = cli_home.run(("venues", "close", venue_id, "--reason", "终末消毒",
                              "--until", "2099-01-01T06:00+08:00"))  # fmt: skip
    [again] = cli_home.run(("venues", "close", venue_id, "--reason", "再次"))
    [reopening] = cli_home.run(("venues", "reopen", venue_id, "--note", "好了"))
    [twice] = cli_home.run(("venues", "reopen", venue_id))
    assert closing.returncode == 0, closing.stderr
    assert closing.stdout.strip().endswith("until 2099-01-01T06:00:00+08:00")
    assert reopening.returncode == 0 and reopening.stdout.strip() == f"venue {venue_id} reopened"
    bad = cli_home.run(
        ("venues", "close", venue_id, "--reason", "x", "--until", "tomorrow"),
        ("venues", "close", venue_id, "--reason", "x", "--until", "2099-01-01T06:00"),
        ("venues", "close", venue_id, "--reason", ""),
        ("venues", "close", "999999", "--reason", "x"),
    )
    for result, expected in zip([again, twice, *bad], [
        "venue.already_closed", "venue.not_closed", "ISO 8601", "offset", "reason",
        "venue.not_found"], strict=True):  # fmt: skip
        assert result.returncode == 2, (result.args, result.stderr)
        assert expected in result.stderr and len(result.stderr.strip().splitlines()) == 1
