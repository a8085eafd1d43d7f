"""The sampler's phone page (site, round, open a tube, scan people, remove, seal, queue), the
officers' site pages and the public queue board: form posts, inline errors, zh and en."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from factories import make_user, web_login
from fangkong.core import clock
from fangkong.models.testing import SamplingSite, Tube
from fangkong.people.protect import Protector
from testing.sampling.helpers import code_of, counts, make_household
from testing.world import DAOLI, OTHER_GRID, make_campaign, make_resident, make_site, next_barcode

pytestmark = pytest.mark.usefixtures("world")


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match
    return match.group(1)


def login(client, session, role="sampler", region=DAOLI):
    user = make_user(session, role=role, region_code=region)
    session.commit()
    web_login(client, user.username)
    return user


@pytest.fixture
def site(session):
    made = make_site(session)
    session.commit()
    return made


def open_form(client, site, token, **extra):
    data = {"csrf_token": token, "site_id": site.id, "barcode": next_barcode(), **extra}
    return client.post("/testing/sampler/tubes", data=data, follow_redirects=False)


def test_sampler_fills_and_seals_a_tube(app_client, session, settings, site):
    person, other = make_resident(session, settings), make_resident(session, settings, name="李雷")
    campaign = make_campaign(session, starts_on=clock.local_today())
    session.commit()
    login(app_client, session)
    page = app_client.get("/testing/sampler", params={"site_id": site.id})
    assert page.status_code == 200 and campaign.name in page.text
    assert 'inputmode="numeric"' in page.text and "autofocus" in page.text
    token = csrf_of(page.text)
    opened = open_form(app_client, site, token, campaign_id=campaign.id, capacity="5")
    assert opened.status_code == 303
    tube_url = opened.headers["location"]
    added = app_client.post(f"{tube_url}/members", data={"csrf_token": token, "code": code_of(settings, person)},
                            follow_redirects=True)  # fmt: skip
    number = Protector(settings.data_key_bytes).open_id(other.id_number_enc)
    added = app_client.post(f"{tube_url}/members", data={"csrf_token": token, "code": number},
                            follow_redirects=True)  # fmt: skip
    assert "2 / 5" in added.text and "王*明" in added.text and "李*" in added.text
    assert number not in added.text
    again = app_client.post(f"{tube_url}/members", data={"csrf_token": token, "code": number})
    assert again.status_code == 409 and 'data-code="testing.already_in_tube"' in again.text
    removed = app_client.post(f"{tube_url}/members/{other.id}/remove", data={"csrf_token": token},
                              follow_redirects=True)  # fmt: skip
    assert "1 / 5" in removed.text
    sealed = app_client.post(f"{tube_url}/seal", data={"csrf_token": token}, follow_redirects=True)
    tube = session.scalars(select(Tube)).one()
    assert tube.status == "sealed" and tube.barcode in sealed.text
    assert 'data-testid="sampler-sealed"' in sealed.text


def test_sampler_form_errors_are_inline_and_write_nothing(app_client, session, settings, site):
    login(app_client, session)
    token = csrf_of(app_client.get("/testing/sampler").text)
    before = counts(session)
    good = next_barcode()
    bad = open_form(app_client, site, token, barcode=good[:-1] + str((int(good[-1]) + 1) % 10))
    assert bad.status_code == 422 and 'data-code="testing.bad_barcode"' in bad.text
    letters = open_form(app_client, site, token, barcode="abc")
    assert letters.status_code == 422 and 'data-code="testing.bad_barcode"' in letters.text
    size = open_form(app_client, site, token, capacity="7")
    assert size.status_code == 422 and 'data-code="testing.pool_size_not_allowed"' in size.text
    assert counts(session) == before
    first = open_form(app_client, site, token, barcode=good)
    resumed = open_form(app_client, site, token, barcode=good)  # an open tube: carry on
    assert resumed.headers["location"] == first.headers["location"]
    empty = app_client.post(f"{first.headers['location']}/seal", data={"csrf_token": token})
    assert empty.status_code == 409 and 'data-code="testing.tube_empty"' in empty.text
    english = app_client.post(f"{first.headers['location']}/members?lang=en",
                              data={"csrf_token": token, "code": "123"})  # fmt: skip
    assert english.status_code == 422 and "Personal code or ID number" in english.text


def test_household_tube_on_the_page(app_client, session, settings, site):
    family = [make_resident(session, settings) for _ in range(2)]
    household = make_household(session, family)
    session.commit()
    login(app_client, session)
    token = csrf_of(app_client.get("/testing/sampler").text)
    opened = open_form(app_client, site, token, kind="household", household_id=str(household.id))
    page = app_client.get(opened.headers["location"])
    assert "2 / 2" in page.text


def test_sampler_reports_the_queue(app_client, session, site):
    login(app_client, session)
    token = csrf_of(app_client.get("/testing/sampler").text)
    done = app_client.post("/testing/sampler/queue", data={"csrf_token": token, "site_id": site.id,
                                                           "status": "busy", "length": "40"})  # fmt: skip
    assert done.status_code == 200
    session.refresh(site)
    assert (site.queue_status, site.queue_length) == ("busy", 40)
    wrong = app_client.post("/testing/sampler/queue", data={"csrf_token": token, "site_id": site.id,
                                                            "status": "party"})  # fmt: skip
    assert wrong.status_code == 422


def test_pages_need_the_permission(app_client, session, site):
    for path in ("/testing/sampler", "/testing/sites"):
        anonymous = app_client.get(path, follow_redirects=False)
        assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")
    login(app_client, session, role="grid_worker", region="230102001002003")
    assert app_client.get("/testing/sampler").status_code == 403
    assert app_client.get("/testing/sites").status_code == 200


def test_officer_site_pages(app_client, session, site):
    other = make_site(session, name="南岗采样点", region=OTHER_GRID)
    session.commit()
    login(app_client, session, role="district_officer")
    listing = app_client.get("/testing/sites")
    assert site.name in listing.text and other.name not in listing.text
    token = csrf_of(listing.text)
    form = {"csrf_token": token, "name": "新采样点", "region_code": "230102001002003",
            "opens_at": "07:00", "closes_at": "19:00", "capacity_per_hour": "90"}  # fmt: skip
    created = app_client.post("/testing/sites", data=form, follow_redirects=False)
    assert created.status_code == 303
    made = session.scalars(select(SamplingSite).where(SamplingSite.name == "新采样点")).one()
    assert (made.opens_at, made.capacity_per_hour) == ("07:00", 90)
    twice = app_client.post("/testing/sites", data=form)
    assert twice.status_code == 409 and 'data-code="testing.site_duplicate_name"' in twice.text
    bad = app_client.post("/testing/sites", data=form | {"name": "x", "opens_at": "7"})
    assert bad.status_code == 422 and 'data-code="testing.site_form_invalid"' in bad.text
    edit = app_client.post(f"/testing/sites/{made.id}/edit", data=form | {"address": "新地址"},
                           follow_redirects=True)  # fmt: skip
    assert "新地址" in edit.text
    app_client.post(f"/testing/sites/{made.id}/deactivate", data={"csrf_token": token})
    session.refresh(made)
    assert made.active is False
    assert app_client.get(f"/testing/sites/{other.id}").status_code == 404
    assert "Sampling sites" in app_client.get("/testing/sites", params={"lang": "en"}).text


def test_public_queue_board(app_client, session, site):
    site.queue_length, site.capacity_per_hour = 60, 120
    make_site(session, name="南岗采样点", region=OTHER_GRID)
    session.commit()
    board = app_client.get("/testing/sites/queue")
    assert board.status_code == 200 and site.name in board.text and "南岗采样点" in board.text
    only = app_client.get("/testing/sites/queue", params={"region": DAOLI, "lang": "en"})
    assert site.name in only.text and "南岗采样点" not in only.text
    assert "Sampling sites: queues now" in only.text
    assert app_client.get("/testing/sites/queue", params={"region": "x"}).status_code == 422
