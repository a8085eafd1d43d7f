"""The round and key-group pages: list, the new-round form (errors keep the values), coverage
with its drill-down and chart data, the untested list and export, the overdue list with
filters; zh and en; 404 for another district's round, 403 without the permission."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest

from factories import make_user, web_login
from fangkong.models.person import KeyGroup
from testing.campaigns.helpers import join_group, new_round
from testing.world import DAOLI, GRID, NANGANG, make_resident, make_tube

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


def chart_rows(html: str) -> list[dict]:
    match = re.search(r"data-rows='([^']*)'", html)
    assert match
    return json.loads(unescape(match.group(1)))


def test_new_round_form_and_list(app_client, session, settings):
    make_resident(session, settings)
    login(app_client, session)
    form = app_client.get("/testing/campaigns/new")
    token = csrf_of(form.text)
    data = {"csrf_token": token, "name": "第三轮", "regions": NANGANG,
            "starts_on": "2024-05-01", "ends_on": "2024-05-01"}  # fmt: skip
    bad = app_client.post("/testing/campaigns/new", data=data)
    assert bad.status_code == 422
    assert 'data-error="regions"' in bad.text and 'value="第三轮"' in bad.text
    late = app_client.post(
        "/testing/campaigns/new", data=data | {"regions": DAOLI, "ends_on": "2024-04-30"}
    )
    assert 'data-error="ends_on"' in late.text
    made = app_client.post(
        "/testing/campaigns/new",
        data=data | {"regions": f"{DAOLI}, {GRID}"},
        follow_redirects=False,
    )
    assert made.status_code == 303
    listed = app_client.get("/testing/campaigns")
    assert "第三轮" in listed.text and 'href="/testing/campaigns/new"' in listed.text
    assert "Screening rounds" in app_client.get("/testing/campaigns?lang=en").text


def test_coverage_drills_down_and_the_untested(app_client, session, settings):
    people = [make_resident(session, settings) for _ in range(4)]
    campaign = new_round(session)
    make_tube(session, people[:3], campaign=campaign)
    login(app_client, session)
    url = f"/testing/campaigns/{campaign.id}"
    top = app_client.get(url)
    assert top.status_code == 200
    assert [(r["code"], r["sampled"], r["href"]) for r in chart_rows(top.text)] == [
        (DAOLI, 3, f"{url}?region={DAOLI}")
    ]
    assert "/static/js/coverage.js" in top.text
    grid = app_client.get(url, params={"region": GRID[:12]})
    assert [(r["code"], r["coverage"], r["href"]) for r in chart_rows(grid.text)] == [
        (GRID, 75.0, None)
    ]
    script = app_client.get("/static/js/coverage.js")
    assert (
        script.headers["content-type"].startswith("text/javascript")
        and "echarts.init" in script.text
    )
    untested = app_client.get(f"{url}/untested")
    assert f'data-person="{people[3].id}"' in untested.text and people[3].name not in untested.text
    export = app_client.get(f"{url}/untested.xlsx")
    assert export.headers["content-type"].startswith("application/vnd.openxmlformats")
    english = app_client.get(url, params={"lang": "en"})
    assert "Not yet tested" in english.text


def test_overdue_page_filters(app_client, session, settings):
    person = make_resident(session, settings, name="赵冷链")
    join_group(session, person, KeyGroup.COLD_CHAIN)
    login(app_client, session)
    page = app_client.get("/testing/key-groups/overdue")
    assert page.status_code == 200
    assert f'data-person="{person.id}"' in page.text and "赵*链" in page.text
    riders = app_client.get("/testing/key-groups/overdue", params={"group": "delivery_riders"})
    assert f'data-person="{person.id}"' not in riders.text
    unknown = app_client.get("/testing/key-groups/overdue", params={"group": "astronauts"})
    assert unknown.status_code == 422 and 'data-code="testing.unknown_key_group"' in unknown.text
    assert app_client.get("/testing/key-groups/overdue.xlsx").status_code == 200


def test_pages_are_scoped(app_client, session):
    campaign = new_round(session)
    login(app_client, session, region=NANGANG)
    assert app_client.get(f"/testing/campaigns/{campaign.id}").status_code == 404
    assert app_client.get(f"/testing/campaigns/{campaign.id}/untested").status_code == 404
    assert "第一轮全员核酸" not in app_client.get("/testing/campaigns").text


def test_readers_cannot_open_the_form(app_client, session):
    login(app_client, session, role="grid_worker", region=GRID)
    assert app_client.get("/testing/campaigns").status_code == 200
    assert app_client.get("/testing/campaigns/new").status_code == 403
    login(app_client, session, role="lab")
    assert app_client.get("/testing/campaigns").status_code == 403
