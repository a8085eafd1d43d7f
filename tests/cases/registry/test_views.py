"""The case pages in zh and en: the list with filters and the line-list box, the new-case form
with inline errors, the case file with its forms and links, the steps posted from the file,
and the clusters page."""

from __future__ import annotations

import re

import pytest

from factories import make_user, web_login
from fangkong.models.cases import Case
from outbreak_world import DAOLI, OTHER_GRID, at, make_case, make_resident

pytestmark = pytest.mark.usefixtures("world")


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match
    return match.group(1)


def login(client, session, role="epidemiologist", region=DAOLI, locale=None):
    user = make_user(session, role=role, region_code=region, locale=locale)
    session.commit()
    web_login(client, user.username)
    return user


def test_list_detail_and_steps(app_client, session, settings):
    person = make_resident(session, settings, name="冯病例")
    case = make_case(session, person, kind=None, status="pending")
    make_case(session, make_resident(session, settings, grid=OTHER_GRID))
    login(app_client, session)
    page = app_client.get("/cases", params={"status": "pending"})
    assert page.status_code == 200 and case.case_no in page.text and 'name="text"' in page.text
    assert page.text.count("data-case=") == 1
    file = app_client.get(f"/cases/{case.id}")
    assert file.status_code == 200
    assert "冯病例" not in file.text and "冯*" in file.text
    assert (
        f"/cases/{case.id}/investigation" in file.text
        and f"/cases/{case.id}/trajectory" in file.text
    )
    token = csrf_of(file.text)
    done = app_client.post(f"/cases/{case.id}/classify", data={"csrf_token": token,
                           "kind": "confirmed"}, follow_redirects=False)  # fmt: skip
    assert done.status_code == 303
    session.expire_all()
    assert session.get(Case, case.id).status == "active"
    bad = app_client.post(f"/cases/{case.id}/transfer", data={"csrf_token": token,
                          "placement": "home", "hospital": "家"})  # fmt: skip
    assert bad.status_code == 422 and 'data-code="case.bad_placement"' in bad.text


def test_new_case_form(app_client, session, settings):
    person = make_resident(session, settings)
    login(app_client, session)
    form = app_client.get("/cases/new")
    token = csrf_of(form.text)
    fields = {"csrf_token": token, "person_id": str(person.id), "kind": "confirmed",
              "sampled_at": "2022-11-09T08:00", "onset_on": "2022-11-10",
              "confirmed_at": "2022-11-09T20:00", "channel": "fever_clinic"}  # fmt: skip
    bad = app_client.post("/cases/new", data=fields)
    assert bad.status_code == 422 and "case.onset_after_confirmation" in bad.text
    good = app_client.post("/cases/new", data=fields | {"onset_on": "2022-11-08"},
                           follow_redirects=False)  # fmt: skip
    assert good.status_code == 303 and good.headers["location"].startswith("/cases/")


def test_line_list_box_and_clusters_page(app_client, session, settings):
    login(app_client, session, role="district_officer", locale="en")
    token = csrf_of(app_client.get("/clusters").text)
    made = app_client.post("/clusters", data={"csrf_token": token, "name": "Market cluster"},
                           follow_redirects=False)  # fmt: skip
    assert made.status_code == 303
    page = app_client.get("/clusters")
    assert "Market cluster" in page.text and "Clusters" in page.text
    refused = app_client.post("/cases/line-list", data={"csrf_token": token,
                              "text": "id_number\tkind\n230102199901010000\tconfirmed"})  # fmt: skip
    assert refused.status_code == 422 and "Nothing was written." in refused.text


def test_another_district_page_is_404(app_client, session, settings):
    far = make_case(session, make_resident(session, settings, grid=OTHER_GRID), sampled_at=at(2))
    login(app_client, session)
    assert app_client.get(f"/cases/{far.id}").status_code == 404
