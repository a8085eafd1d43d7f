"""The care pages: the request list (emergencies first, overdue filter), the new-request form
with its errors, the detail page's actions (a medical request offers no refusal), volunteers,
pairings and teams; zh and en; 404 outside the jurisdiction."""

from __future__ import annotations

import re

import pytest

from care.conftest import make_resident, make_team, make_volunteer, seal
from factories import make_user, web_login

pytestmark = pytest.mark.usefixtures("districts")


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match
    return match.group(1)


def login(client, session, region="230102"):
    user = make_user(session, role="district_officer", region_code=region)
    session.commit()
    web_login(client, user.username)
    return user


def test_new_request_form_list_and_actions(app_client, session, settings):
    person = make_resident(session, settings)
    outsider = make_resident(session, settings)
    seal(session)
    login(app_client, session)
    page = app_client.get("/care/requests/new")
    token = csrf_of(page.text)
    refused = app_client.post("/care/requests/new", data={
        "csrf_token": token, "person_id": "99999999", "kind": "food", "text": "米"})  # fmt: skip
    assert refused.status_code == 422 and 'data-code="care.unknown_person"' in refused.text
    assert 'value="99999999"' in refused.text
    for who, kind in ((person.id, "food"), (outsider.id, "medical")):
        made = app_client.post("/care/requests/new", follow_redirects=False, data={
            "csrf_token": token, "person_id": str(who), "kind": kind, "text": "需要帮助"})  # fmt: skip
        assert made.status_code == 303, made.text
    listed = app_client.get("/care/requests?lang=en")
    assert listed.status_code == 200  # emergencies first
    table = listed.text.split('data-testid="care-requests"')[1]
    assert table.index("Medical visit") < table.index("Food and daily supplies")
    medical_url = made.headers["location"]
    detail = app_client.get(f"{medical_url}?lang=en")
    assert 'data-testid="refuse-form"' not in detail.text and "Emergency" in detail.text
    food = app_client.get(
        medical_url.rsplit("/", 1)[0] + f"/{int(medical_url.rsplit('/', 1)[1]) - 1}"
    )
    assert 'data-testid="refuse-form"' in food.text
    done = app_client.post(f"{medical_url}/done", data={"csrf_token": token, "text": "已送医"},
                           follow_redirects=False)  # fmt: skip
    assert done.status_code == 303
    again = app_client.post(f"{medical_url}/start", data={"csrf_token": token})
    assert again.status_code == 409 and 'data-code="care.request_closed"' in again.text
    english = app_client.get("/care/requests?lang=en&overdue=yes")
    assert "Care requests" in english.text and "No care requests found." in english.text


def test_volunteer_pairing_and_team_pages(app_client, session, settings):
    volunteer_id = make_volunteer(session, settings)
    make_resident(session, settings, elderly_alone=True)
    team_id = make_team(session)
    login(app_client, session)
    volunteers = app_client.get("/care/volunteers?lang=en")
    assert volunteers.status_code == 200 and "Supply delivery" in volunteers.text
    assert f"<td>{volunteer_id}</td>" in volunteers.text
    pairings = app_client.get("/care/pairings?lang=en")
    assert "Elderly living alone" in pairings.text and "Not paired" in pairings.text
    team = app_client.get(f"/care/teams/{team_id}")
    assert team.status_code == 200 and "卡口值守" in team.text
    assert "230102包保工作组" in app_client.get("/care/teams").text


def test_other_district_pages_404(app_client, session, settings):
    team_id = make_team(session)
    login(app_client, session, region="230103")
    assert app_client.get(f"/care/teams/{team_id}").status_code == 404
    assert "230102包保工作组" not in app_client.get("/care/teams").text
