"""Who may call which trajectory route: 401 anonymous, 403 without the permission, 404 for a
case of another district (and for an entry of another case); the pages likewise; the
epidemiologist who owns a case handed to another district still reaches it."""

from __future__ import annotations

import pytest

from factories import make_user, web_login
from fangkong.models.tracing import InterviewEntry
from outbreak_world import NANGANG, at, make_case, make_resident

CASES, TRAVEL = "/api/v1/cases", "/api/v1/travel-records"


@pytest.fixture
def records(session, settings, staff):
    person = make_resident(session, settings)
    case = make_case(session, person)
    entry = InterviewEntry(case_id=case.id, place="超市", start_at=at(2, 9), end_at=at(2, 10),
                           region_code=case.region_code)  # fmt: skip
    session.add(entry)
    session.commit()
    return {"case": case.id, "entry": entry.id}


def routes(ids):
    case, entry = ids["case"], ids["entry"]
    body = {"place": "x", "start_at": at(2, 9).isoformat(), "end_at": at(2, 10).isoformat()}
    return {
        "read": [("GET", f"{CASES}/{case}/trajectory", None), ("GET", f"{CASES}/{case}/interview", None),
                 ("GET", TRAVEL, None)],
        "manage": [("POST", f"{CASES}/{case}/interview", body),
                   ("DELETE", f"{CASES}/{case}/interview/{entry}", None),
                   ("GET", f"{TRAVEL}/import/template", None)],
    }  # fmt: skip


def test_anonymous_is_401(app_client, records):
    for method, url, body in [r for group in routes(records).values() for r in group]:
        assert app_client.request(method, url, json=body).status_code == 401, (method, url)
    upload = app_client.post(f"{TRAVEL}/import", files={"file": ("p.csv", b"x")})
    assert upload.status_code == 401


@pytest.mark.parametrize(("group", "role"), [
    ("read", "sampler"), ("manage", "sampler"), ("manage", "isolation"), ("manage", "worker"),
])  # fmt: skip
def test_without_the_permission_is_403(app_client, staff, records, group, role):
    for method, url, body in routes(records)[group]:
        response = app_client.request(method, url, json=body, headers=staff[role])
        assert response.status_code == 403, (method, url, role, response.text)
    if group == "manage":
        upload = app_client.post(f"{TRAVEL}/import", files={"file": ("p.csv", b"x")},
                                 headers=staff[role])  # fmt: skip
        assert upload.status_code == 403


def test_other_district_is_404_and_lists_nothing(app_client, staff, records):
    for method, url, body in routes(records)["read"][:2] + routes(records)["manage"][:2]:
        response = app_client.request(method, url, json=body, headers=staff["nangang"])
        assert response.status_code == 404, (method, url, response.text)
    assert app_client.get(TRAVEL, headers=staff["nangang"]).json()["items"] == []


def test_an_entry_of_another_case_is_404(app_client, session, settings, staff, records):
    other = make_case(session, make_resident(session, settings))
    session.commit()
    url = f"{CASES}/{other.id}/interview/{records['entry']}"
    assert app_client.delete(url, headers=staff["epi"]).status_code == 404


def test_the_owner_of_a_handed_over_case_still_reaches_it(app_client, session, settings, staff):
    from factories import auth_headers

    owner = make_user(session, role="epidemiologist", region_code=NANGANG)
    person = make_resident(session, settings)  # lives in 道里区
    case = make_case(session, person, owner_id=owner.id)
    session.commit()
    response = app_client.get(
        f"{CASES}/{case.id}/trajectory", headers=auth_headers(settings, owner)
    )
    assert response.status_code == 200
    assert (
        app_client.get(f"{CASES}/{case.id}/trajectory", headers=staff["nangang"]).status_code == 404
    )


def test_pages_need_their_permission(app_client, session, records):
    case = records["case"]
    pages = (f"/cases/{case}/trajectory", f"/cases/{case}/trajectory/table", "/tracing/travel")
    for url in pages:
        assert app_client.get(url, follow_redirects=False).status_code in (302, 303), url
    sampler = make_user(session, role="sampler", region_code="230102")
    session.commit()
    web_login(app_client, sampler.username)
    for url in pages:
        assert app_client.get(url).status_code == 403, url


def test_pages_of_another_district_are_404(app_client, session, records):
    officer = make_user(session, role="district_officer", region_code=NANGANG)
    session.commit()
    web_login(app_client, officer.username)
    assert app_client.get(f"/cases/{records['case']}/trajectory").status_code == 404
