"""The publication pages: the officers' list with its publish form and withdraw button, the
public page by district (zh by default, en on request), publishing from the trajectory page
with ticked stops, and the citizen's self-check page."""

from __future__ import annotations

from factories import make_user, web_login
from fangkong.models.venue import Venue
from outbreak_world import at, make_resident
from testing.citizen.helpers import citizen_token
from tracing.public.helpers import case_with_places, publish_all
from tracing.trajectories.helpers import make_scan


def _token(page: str) -> str:
    return page.split('name="csrf_token" value="')[1].split('"', maxsplit=1)[0]


def test_publish_from_the_trajectory_page_then_withdraw(app_client, session, settings, world):
    case = case_with_places(session, settings)
    officer = make_user(session, role="district_officer", region_code="230102")
    session.commit()
    web_login(app_client, officer.username)
    page = app_client.get(f"/cases/{case.id}/trajectory")
    assert 'data-testid="publish-form"' in page.text
    ref = page.text.split('name="refs" value="')[1].split('"')[0]
    form = {"csrf_token": _token(page.text), "case_id": str(case.id), "label": "", "refs": [ref]}
    published = app_client.post("/tracing/publications", data=form)
    assert published.status_code == 200 and 'data-testid="published"' in published.text
    assert "病例1" in published.text and "老街饺子馆" in published.text
    pid = published.text.split('<tr data-id="')[1].split('"')[0]
    withdrawn = app_client.post(f"/tracing/publications/{pid}/withdraw",
                                data={"csrf_token": _token(published.text)}, follow_redirects=False)  # fmt: skip
    assert withdrawn.status_code == 303
    assert "Withdraw" not in app_client.get("/tracing/publications?lang=en").text


def test_publishing_an_unknown_case_shows_the_error(app_client, session, world):
    officer = make_user(session, role="district_officer", region_code="230102")
    session.commit()
    web_login(app_client, officer.username)
    page = app_client.get("/tracing/publications")
    form = {"csrf_token": _token(page.text), "case_id": "99999999"}
    response = app_client.post("/tracing/publications", data=form)
    assert response.status_code == 404 and 'data-code="trajectory.case_not_found"' in response.text


def test_public_page_by_district_in_both_languages(app_client, session, settings, world):
    publish_all(session, case_with_places(session, settings))
    session.commit()
    zh = app_client.get("/public/trajectories")
    assert (
        zh.status_code == 200 and 'data-testid="district-230102"' in zh.text and "道里区" in zh.text
    )
    en = app_client.get("/public/trajectories?lang=en")
    assert "Published trajectories of cases" in en.text


def test_self_check_page_shows_the_citizens_match(app_client, session, settings, world):
    publish_all(session, case_with_places(session, settings))
    cinema = session.query(Venue).filter_by(name="光影影院").one()
    citizen = make_resident(session, settings, name="自查居民")
    make_scan(session, citizen, cinema, at(2, 19, 10))
    app_client.cookies.set("fk_citizen", citizen_token(session, citizen))
    session.commit()
    page = app_client.get("/me/self-check?lang=en")
    assert page.status_code == 200 and 'data-testid="self-check-matches"' in page.text
    assert "光影影院" in page.text and "病例1" in page.text
