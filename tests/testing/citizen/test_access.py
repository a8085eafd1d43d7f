"""Who reaches which route: 401 anonymous, 403 without ``testing.read``, 404 for a report of
another district; a citizen sees only their own results, reports and tasks, and a staff token
is not a citizen token (nor the other way round)."""

from __future__ import annotations

import pytest

from testing.citizen.helpers import ANTIGEN, PLAN, REPORTS, RESULTS, citizen_headers, report
from testing.world import OTHER_GRID, make_resident, make_tube

STAFF_GETS = (f"{PLAN}?prevalence=0.01&people=100", REPORTS, "/api/v1/testing/summary")
CITIZEN_GETS = (RESULTS, ANTIGEN)


@pytest.fixture
def reports(app_client, session, settings, staff):
    """One report of a citizen in 道里区 and one in 南岗区; their ids and headers."""
    daoli = make_resident(session, settings, name="钱一")
    nangang = make_resident(session, settings, name="钱二", grid=OTHER_GRID)
    make_tube(session, [daoli])
    heads = {"daoli": citizen_headers(session, daoli), "nangang": citizen_headers(session, nangang)}
    session.commit()
    made = {k: report(app_client, h, result="positive").json()["id"] for k, h in heads.items()}
    return made, heads


def record_urls(report_id: int) -> list[str]:
    return [f"{REPORTS}/{report_id}", f"{REPORTS}/{report_id}/photo"]


def test_anonymous_is_401(app_client, reports):
    made, _ = reports
    for url in [*STAFF_GETS, *CITIZEN_GETS, *record_urls(made["daoli"])]:
        response = app_client.get(url)
        assert response.status_code == 401, url
    assert report(app_client, {}).status_code == 401


@pytest.mark.parametrize("role", ["sampler", "lab", "inspector"])
def test_roles_without_testing_read_get_403(app_client, staff, reports, role):
    made, _ = reports
    for url in [*STAFF_GETS, *record_urls(made["daoli"])]:
        response = app_client.get(url, headers=staff[role])
        assert response.status_code == 403, url
        assert response.json()["code"] == "auth.forbidden"


def test_other_district_gets_404(app_client, staff, reports):
    made, _ = reports
    for url in record_urls(made["daoli"]):
        response = app_client.get(url, headers=staff["nangang"])
        assert response.status_code == 404, url
        assert response.json()["code"] == "testing.antigen.not_found"
        assert app_client.get(url, headers=staff["officer"]).status_code == 200
    listed = app_client.get(REPORTS, headers=staff["nangang"]).json()["items"]
    assert [r["id"] for r in listed] == [made["nangang"]]
    # A grid worker sees their own grid only.
    assert app_client.get(record_urls(made["nangang"])[0], headers=staff["worker"]).status_code == (
        404
    )


def test_citizens_see_only_their_own(app_client, reports):
    made, heads = reports
    for name, headers in heads.items():
        mine = app_client.get(ANTIGEN, headers=headers).json()
        assert [r["id"] for r in mine] == [made[name]]
        tasks = app_client.get(RESULTS, headers=headers).json()["open_tasks"]
        assert len(tasks) == 1
    assert len(app_client.get(RESULTS, headers=heads["daoli"]).json()["results"]) == 1
    assert app_client.get(RESULTS, headers=heads["nangang"]).json()["results"] == []


def test_staff_and_citizen_tokens_do_not_mix(app_client, staff, reports):
    _, heads = reports
    for url in STAFF_GETS:
        assert app_client.get(url, headers=heads["daoli"]).status_code == 401, url
    for url in CITIZEN_GETS:
        assert app_client.get(url, headers=staff["officer"]).status_code == 401, url


def test_pages(app_client, reports):
    for url in ("/testing", "/testing/pool-plan", "/testing/antigen"):
        response = app_client.get(url, follow_redirects=False)
        assert response.status_code in (303, 302, 307), url
        assert "/login" in response.headers["location"]
    for url in ("/me/testing", "/me/testing/antigen"):
        response = app_client.get(url, follow_redirects=False)
        assert response.status_code in (303, 302, 307), url
        assert response.headers["location"].startswith("/me/login")
