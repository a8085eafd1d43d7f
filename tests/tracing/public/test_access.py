"""Who may call which publication route: 401 anonymous, 403 without the permission (an
epidemiologist reads but does not publish), 404 for another district's case or publication;
the public page and API need no login and show no personal data; the self-check is a
citizen's own (a staff token is 401)."""

from __future__ import annotations

import pytest

from factories import make_user, web_login
from fangkong.models import Person
from fangkong.people.protect import Protector
from outbreak_world import NANGANG
from tracing.public.helpers import CASE_NAME, HOME, case_with_places, publish_all

PUBLICATIONS = "/api/v1/publications"


@pytest.fixture
def records(session, settings, staff):
    case = case_with_places(session, settings)
    publication = publish_all(session, case)
    session.commit()
    return {"case": case.id, "publication": publication.id, "person": case.person_id}


def routes(ids):
    return {
        "read": [("GET", PUBLICATIONS, None)],
        "publish": [("POST", PUBLICATIONS, {"case_id": ids["case"]}),
                    ("POST", f"{PUBLICATIONS}/{ids['publication']}/withdraw", None)],
    }  # fmt: skip


def test_anonymous_is_401(app_client, records):
    for method, url, body in [r for group in routes(records).values() for r in group]:
        assert app_client.request(method, url, json=body).status_code == 401, (method, url)
    assert app_client.get("/api/v1/me/self-check").status_code == 401


@pytest.mark.parametrize(("group", "role"), [
    ("read", "sampler"), ("publish", "epi"), ("publish", "isolation"), ("publish", "worker"),
])  # fmt: skip
def test_without_the_permission_is_403(app_client, staff, records, group, role):
    for method, url, body in routes(records)[group]:
        response = app_client.request(method, url, json=body, headers=staff[role])
        assert response.status_code == 403, (method, url, role, response.text)


def test_other_district_is_404_and_lists_nothing(app_client, staff, records):
    for method, url, body in routes(records)["publish"]:
        response = app_client.request(method, url, json=body, headers=staff["nangang"])
        assert response.status_code == 404, (method, url, response.text)
    assert app_client.get(PUBLICATIONS, headers=staff["nangang"]).json()["items"] == []


def test_staff_token_is_not_a_citizen(app_client, staff, records):
    assert app_client.get("/api/v1/me/self-check", headers=staff["officer"]).status_code == 401


def test_the_public_page_needs_no_login_and_shows_no_personal_data(
    app_client, session, settings, records
):
    person = session.get(Person, records["person"])
    number = Protector(settings.data_key_bytes).open_id(person.id_number_enc)
    for url in ("/public/trajectories", "/api/v1/public/trajectories"):
        response = app_client.get(url)
        assert response.status_code == 200 and "光影影院" in response.text, url
        for secret in (CASE_NAME, number, number[-4:] + '"', "13700001234", HOME):
            assert secret not in response.text, (url, secret)


def test_pages_need_their_permission(app_client, session, records):
    assert app_client.get("/tracing/publications", follow_redirects=False).status_code in (302, 303)
    assert app_client.get("/me/self-check", follow_redirects=False).status_code in (302, 303)
    sampler = make_user(session, role="sampler", region_code="230102")
    session.commit()
    web_login(app_client, sampler.username)
    assert app_client.get("/tracing/publications").status_code == 403


def test_a_district_officer_sees_only_their_districts_publications(app_client, session, records):
    officer = make_user(session, role="district_officer", region_code=NANGANG)
    session.commit()
    web_login(app_client, officer.username)
    page = app_client.get("/tracing/publications")
    assert page.status_code == 200 and "光影影院" not in page.text
