"""The trajectory pages: the timeline table with the interview form (zh by default, en on
request), the htmx fragment, adding and deleting an entry through the form, and the passenger
list page with its upload."""

from __future__ import annotations

from factories import make_user, web_login
from outbreak_world import at, make_case, make_resident
from tracing.trajectories.helpers import make_scan, make_venue


def _login(app_client, session, role="epidemiologist"):
    user = make_user(session, role=role, region_code="230102")
    session.commit()
    web_login(app_client, user.username)


def _token(page: str) -> str:
    return page.split('name="csrf_token" value="')[1].split('"', maxsplit=1)[0]


def test_trajectory_page_table_and_interview_form(app_client, session, settings, world):
    person = make_resident(session, settings, name="页面病例")
    case = make_case(session, person)
    make_scan(session, person, make_venue(session, "道里商场"), at(2, 11))
    _login(app_client, session)
    page = app_client.get(f"/cases/{case.id}/trajectory")
    assert page.status_code == 200 and "道里商场" in page.text and 'lang="zh-CN"' in page.text
    assert 'data-testid="interview-form"' in page.text and "页面病例" not in page.text
    english = app_client.get(f"/cases/{case.id}/trajectory?lang=en")
    assert "Trajectory" in english.text and "Place-code scan" in english.text
    fragment = app_client.get(f"/cases/{case.id}/trajectory/table")
    assert fragment.text.lstrip().startswith('<div id="trajectory-table"')
    form = {"csrf_token": _token(page.text), "place": "社区诊所", "start_at": "2022-11-02T09:00",
            "end_at": "2022-11-02T09:30", "venue_id": "", "activity": "就诊"}  # fmt: skip
    added = app_client.post(f"/cases/{case.id}/trajectory/interview", data=form,
                            follow_redirects=False)  # fmt: skip
    assert added.status_code == 303
    page = app_client.get(f"/cases/{case.id}/trajectory")
    assert "社区诊所" in page.text
    ref = page.text.split('data-ref="interview:')[1].split('"')[0]
    deleted = app_client.post(f"/cases/{case.id}/trajectory/interview/{ref}/delete",
                              data={"csrf_token": _token(page.text)}, follow_redirects=False)  # fmt: skip
    assert deleted.status_code == 303
    assert "社区诊所" not in app_client.get(f"/cases/{case.id}/trajectory").text


def test_a_bad_interview_form_shows_its_error(app_client, session, settings, world):
    case = make_case(session, make_resident(session, settings))
    _login(app_client, session)
    page = app_client.get(f"/cases/{case.id}/trajectory")
    form = {"csrf_token": _token(page.text), "place": "某地", "start_at": "2022-11-02T10:00",
            "end_at": "2022-11-02T09:00", "venue_id": "", "activity": ""}  # fmt: skip
    response = app_client.post(f"/cases/{case.id}/trajectory/interview", data=form)
    assert (
        response.status_code == 422 and 'data-code="trajectory.end_before_start"' in response.text
    )


def test_travel_page_uploads_and_lists_masked(app_client, session, settings, world):
    _login(app_client, session, role="district_officer")
    page = app_client.get("/tracing/travel")
    assert page.status_code == 200 and 'data-testid="travel-import-form"' in page.text
    data = ("交通方式,班次/车次,日期,座位,手机号\n火车,G1234,2022-11-02,12F,13912345678\n"
            "火车,G1234,2022-11-02,12F,\n").encode()  # fmt: skip
    response = app_client.post("/tracing/travel/import", data={"csrf_token": _token(page.text)},
                               files={"file": ("g.csv", data, "text/csv")})  # fmt: skip
    assert response.status_code == 200 and "travel.identity_missing" in response.text
    listed = app_client.get("/tracing/travel?number=g1234")
    assert (
        "G1234" in listed.text and "13912345678" not in listed.text and "139****5678" in listed.text
    )
