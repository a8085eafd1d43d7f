"""The venue pages: list with filters, the new-venue form, detail (edit, operators, rotate,
deactivate, the check-ins element), the poster, zh and en, and 404 outside the jurisdiction."""

from __future__ import annotations

import re

import pytest
from fastapi import APIRouter
from sqlalchemy import select

from factories import make_user, web_login
from fangkong.config import Settings
from fangkong.models.venue import Venue, VenueOperator
from fangkong.venues import placecode
from fangkong.venues.dependencies import ReadableVenue
from venues.conftest import DAOLI_GRID, NANGANG_GRID, make_venue
from venues.test_placecode import decode_png

pytestmark = pytest.mark.usefixtures("districts")


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match
    return match.group(1)


def login(client, session, role="district_officer", region="230102"):
    user = make_user(session, role=role, region_code=region)
    session.commit()
    web_login(client, user.username)
    return user


def test_list_filters_and_links(app_client, session):
    make_venue(session, "中央大街超市")
    make_venue(session, "哈尔滨站", region_code="230102001")
    make_venue(session, "南岗店", region_code=NANGANG_GRID)
    login(app_client, session)
    page = app_client.get("/venues")
    assert page.status_code == 200
    assert "中央大街超市" in page.text and "哈尔滨站" in page.text and "南岗店" not in page.text
    assert 'href="/venues/new"' in page.text
    found = app_client.get("/venues", params={"q": "站", "type": "", "active": "yes"})
    assert "哈尔滨站" in found.text and "中央大街超市" not in found.text
    english = app_client.get("/venues", params={"lang": "en", "type": "supermarket"})
    assert "Venues" in english.text and "中央大街超市" in english.text
    assert app_client.get("/venues", params={"type": "spaceport"}).status_code == 422


def test_new_venue_form_creates_and_keeps_values_on_error(app_client, session):
    login(app_client, session)
    form = app_client.get("/venues/new")
    token = csrf_of(form.text)
    bad = app_client.post(
        "/venues/new",
        data={"csrf_token": token, "name": "新店", "type": "shop", "region_code": NANGANG_GRID},
    )
    assert bad.status_code == 422
    assert 'data-code="venue.region_out_of_jurisdiction"' in bad.text and "新店" in bad.text
    empty = app_client.post("/venues/new", data={"csrf_token": token, "name": "", "type": ""})
    assert empty.status_code == 422 and 'data-error="name"' in empty.text
    made = app_client.post(
        "/venues/new",
        data={"csrf_token": token, "name": "新店", "type": "shop", "region_code": DAOLI_GRID},
        follow_redirects=False,
    )
    assert made.status_code == 303
    venue = session.scalars(select(Venue).where(Venue.name == "新店")).one()
    assert made.headers["location"] == f"/venues/{venue.id}"


def test_detail_page_actions(app_client, session, settings: Settings):
    venue = make_venue(session)
    operator = make_user(session, role="venue_operator", region_code=DAOLI_GRID)
    login(app_client, session)
    url = f"/venues/{venue.id}"
    page = app_client.get(url)
    assert page.status_code == 200
    assert f'<div hx-get="/venues/{venue.id}/checkins" hx-trigger="load"></div>' in page.text
    assert operator.username in page.text  # a candidate to add
    token = csrf_of(page.text)
    edited = app_client.post(
        f"{url}/edit",
        data={"csrf_token": token, "name": "改名超市", "type": "market",
              "region_code": DAOLI_GRID, "address": "新址"},
        follow_redirects=False,
    )  # fmt: skip
    assert edited.status_code == 303
    bad = app_client.post(f"{url}/edit", data={"csrf_token": token, "name": "", "type": "x"})
    assert bad.status_code == 422 and 'data-error="name"' in bad.text
    app_client.post(f"{url}/operators", data={"csrf_token": token, "user_id": str(operator.id)})
    assert session.get(VenueOperator, (venue.id, operator.id)) is not None
    app_client.post(f"{url}/rotate", data={"csrf_token": token})
    png = app_client.get(f"{url}/place-code.png")
    assert placecode.parse(settings, decode_png(png.content).rsplit("/", 1)[1]) == (venue.id, 2)
    app_client.post(f"{url}/deactivate", data={"csrf_token": token})
    session.expire_all()
    closed = session.get(Venue, venue.id)
    assert (closed.name, closed.type, closed.active) == ("改名超市", "market", False)
    assert 'data-testid="inactive"' in app_client.get(url).text
    app_client.post(f"{url}/operators/{operator.id}/remove", data={"csrf_token": token})
    assert session.get(VenueOperator, (venue.id, operator.id)) is None


def test_forms_need_the_csrf_token(app_client, session):
    venue = make_venue(session)
    login(app_client, session)
    response = app_client.post(f"/venues/{venue.id}/rotate", data={})
    assert response.status_code == 403
    session.expire_all()
    assert session.get(Venue, venue.id).place_code_version == 1


def test_poster_has_the_name_qr_and_instruction(app_client, session):
    venue = make_venue(session, "哈尔滨站", region_code="230102001")
    login(app_client, session)
    poster = app_client.get(f"/venues/{venue.id}/poster")
    assert poster.status_code == 200
    assert "哈尔滨站" in poster.text and "<svg" in poster.text
    assert "请使用手机扫码登记" in poster.text and "Scan with your phone to check in" in poster.text
    assert "/static/css/venue-poster.css" in poster.text and "style=" not in poster.text


def test_other_district_and_anonymous(app_client, session):
    venue = make_venue(session, region_code=NANGANG_GRID)
    anonymous = app_client.get(f"/venues/{venue.id}", follow_redirects=False)
    assert anonymous.status_code in (302, 303)
    login(app_client, session)
    for path in ("", "/poster", "/place-code.svg", "/place-code.png"):
        assert app_client.get(f"/venues/{venue.id}{path}").status_code == 404, path


def test_operator_pages_show_only_its_venue_and_no_management(app_client, session):
    mine, other = make_venue(session, "我的店"), make_venue(session, "别人的店")
    user = make_user(session, role="venue_operator", region_code=DAOLI_GRID)
    session.add(VenueOperator(venue_id=mine.id, user_id=user.id))
    session.commit()
    web_login(app_client, user.username)
    listed = app_client.get("/venues").text
    assert "我的店" in listed and "别人的店" not in listed and "/venues/new" not in listed
    page = app_client.get(f"/venues/{mine.id}")
    assert page.status_code == 200 and 'data-testid="rotate"' not in page.text
    assert app_client.get(f"/venues/{other.id}").status_code == 404
    assert app_client.get("/venues/new").status_code == 403


def test_readable_venue_dependency_answers_404_outside(app_client, session):
    router = APIRouter()

    @router.get("/test-venue/{venue_id}")
    def probe(venue: ReadableVenue) -> dict[str, str]:
        return {"name": venue.name, "type": venue.type.value}

    app_client.app.include_router(router)
    routes = app_client.app.router.routes
    routes.insert(0, routes.pop())  # ahead of the site's catch-all pages
    inside, outside = make_venue(session), make_venue(session, region_code=NANGANG_GRID)
    login(app_client, session)
    got = app_client.get(f"/test-venue/{inside.id}")
    assert got.status_code == 200, got.text
    assert got.json() == {
        "name": "中央大街超市",
        "type": "supermarket",
    }
    assert app_client.get(f"/test-venue/{outside.id}").status_code == 404
