"""The zone pages in zh and en: the list (pending proposals first for deciders), the
declaration form with inline errors, a zone's detail with its countdown and decision buttons,
and the announcement."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from arrivals.world import DAOLI, GRID, make_resident, make_zone
from factories import make_user, web_login
from fangkong.core import clock
from fangkong.models.zones import Zone, ZoneCase

pytestmark = pytest.mark.usefixtures("world")


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match
    return match.group(1)


def login(client, session, role="district_officer", region=DAOLI):
    user = make_user(session, role=role, region_code=region)
    session.commit()
    web_login(client, user.username)
    return user


def test_declare_from_the_form_and_see_the_detail(app_client, session, settings):
    person = make_resident(session, settings)
    login(app_client, session)
    form = app_client.get("/zones/new")
    assert form.status_code == 200 and 'name="addresses"' in form.text
    token = csrf_of(form.text)
    bad = app_client.post("/zones/new", data={"csrf_token": token, "name": "某小区",
                                               "kind": "sealed", "region_code": DAOLI + "001009"})  # fmt: skip
    assert bad.status_code == 422 and 'data-code="zone.unknown_region"' in bad.text
    assert 'value="某小区"' in bad.text and session.query(Zone).count() == 0
    infected = (clock.now() - timedelta(hours=2)).astimezone(clock.LOCAL_TZ)
    cases = f"{person.id}, {infected:%Y-%m-%d %H:%M}, 哈-7"
    made = app_client.post("/zones/new", data={"csrf_token": token, "name": "某小区",
                                                "kind": "sealed", "region_code": GRID, "cases": cases},
                           follow_redirects=False)  # fmt: skip
    assert made.status_code == 303
    page = app_client.get(made.headers["location"] + "?lang=en")
    assert page.status_code == 200
    assert 'data-testid="countdown"' in page.text and "Sealed zone" in page.text
    assert "哈-7" in page.text and 'data-testid="decisions"' not in page.text
    assert ">1</strong>" in page.text  # the resident count
    zone = session.query(Zone).one()
    assert session.get(ZoneCase, (zone.id, person.id)) is not None
    zh = app_client.get(made.headers["location"] + "?lang=zh")
    assert zh.status_code == 200 and 'lang="zh' in zh.text


def test_pending_first_for_deciders_and_the_decision_buttons(app_client, session, settings):
    person = make_resident(session, settings)
    plain = make_zone(session, name="平常小区")
    waiting = make_zone(session, name="待批小区", residents=(person,))
    waiting.pending = "proposed_lift"
    login(app_client, session, role="city_admin", region="230100")
    listing = app_client.get("/zones?lang=en")
    assert listing.status_code == 200
    pending = listing.text.split('data-testid="pending-table"')[1].split("</table>")[0]
    assert "待批小区" in pending and "平常小区" not in pending
    assert "Proposed for lifting" in listing.text and "days without infection" in listing.text
    page = app_client.get(f"/zones/{waiting.id}?lang=en")
    assert 'data-testid="approve"' in page.text and 'data-testid="reject"' in page.text
    token = csrf_of(page.text)
    lifted = app_client.post(f"/zones/{plain.id}/decision",
                             data={"csrf_token": token, "action": "lift"})  # fmt: skip
    assert lifted.status_code == 422 and 'data-code="zone.note_required"' in lifted.text
    done = app_client.post(f"/zones/{waiting.id}/decision",
                           data={"csrf_token": token, "action": "approve"}, follow_redirects=False)  # fmt: skip
    assert done.status_code == 303
    session.expire_all()
    assert session.get(Zone, waiting.id).status == "lifted"


def test_officers_see_no_pending_section_and_readers_no_form(app_client, session):
    zone = make_zone(session, name="待批小区")
    zone.pending = "proposed_lift"
    login(app_client, session)
    assert 'data-testid="pending-zones"' not in app_client.get("/zones").text
    login(app_client, session, role="grid_worker", region=GRID)
    listing = app_client.get("/zones")
    assert listing.status_code == 200 and "待批小区" in listing.text
    assert 'data-testid="new-zone"' not in listing.text
    assert app_client.get("/zones/new").status_code == 403


def test_the_announcement_page_in_both_languages(app_client, session):
    login(app_client, session)
    page = app_client.get("/zones/announcement", params={"date": "2022-11-20", "lang": "en"})
    assert page.status_code == 200
    assert "11月20日6时至21日6时，解除封控区0处，尚有封控区0处" in page.text
    assert "From 06:00 on 20 November" in page.text
    bad = app_client.get("/zones/announcement", params={"date": "20-11-2022"})
    assert bad.status_code == 422 and 'data-code="zone.bad_date"' in bad.text
