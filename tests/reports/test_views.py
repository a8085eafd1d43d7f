"""The report pages in zh and en: the printable bulletin (its text, the no-data sentence, a
bad date shown on the page), the dashboard (figures linking to their lists, chart data in
attributes, the district drill-down), the NAV entries, and no page without ``reports.read``."""

from __future__ import annotations

import json
import re

import pytest

from factories import make_user, web_login
from fangkong.core import clock
from outbreak_world import DAOLI, NANGANG, OTHER_GRID, at, make_case, make_resident

pytestmark = pytest.mark.usefixtures("world")


def login(client, session, role="city_admin", region="230100", locale=None):
    user = make_user(session, role=role, region_code=region, locale=locale)
    session.commit()
    web_login(client, user.username)
    return user


def _cases(session, settings):
    make_case(session, make_resident(session, settings), kind="confirmed", confirmed_at=at(3, 10))
    make_case(session, make_resident(session, settings, grid=OTHER_GRID), kind="asymptomatic",
              confirmed_at=at(3, 11))  # fmt: skip
    session.commit()


def test_bulletin_page_zh(app_client, session, settings):
    _cases(session, settings)
    login(app_client, session)
    page = app_client.get("/reports/bulletin", params={"date": "2022-11-03"})
    assert page.status_code == 200
    assert "2022年11月3日6时至11月4日6时" in page.text and "新增本土确诊病例1例" in page.text
    assert 'data-testid="bulletin-districts"' in page.text and "data-print" in page.text
    assert 'href="/reports/dashboard"' in page.text


def test_bulletin_page_en_and_no_data(app_client, session):
    login(app_client, session, locale="en")
    page = app_client.get("/reports/bulletin", params={"date": "2022-11-03"})
    assert page.status_code == 200
    assert "No data for the period from 06:00 on 3 November 2022" in page.text
    assert 'data-testid="bulletin-figures"' not in page.text


def test_bulletin_page_bad_input(app_client, session):
    login(app_client, session)
    for params in ({"date": "2022-13-01"}, {"date": "1900-01-01"}):
        page = app_client.get("/reports/bulletin", params=params)
        assert page.status_code == 422 and 'data-code="report.bad_window"' in page.text


def test_dashboard_page(app_client, session, settings):
    _cases(session, settings)
    login(app_client, session, locale="en")
    with clock.frozen(at(4, 12)):
        page = app_client.get("/reports/dashboard")
    assert page.status_code == 200
    assert "New local confirmed cases" in page.text
    assert 'href="/cases?kind=confirmed&amp;district=230100"' in page.text
    match = re.search(r"data-days='([^']*)'", page.text)
    assert match and json.loads(match.group(1).replace("&#34;", '"'))[-1]["new_confirmed"] == 1
    assert f'href="/reports/dashboard?region={NANGANG}"' in page.text
    assert "/static/js/dashboard.js" in page.text and "<script>" not in page.text
    with clock.frozen(at(4, 12)):
        district = app_client.get("/reports/dashboard", params={"region": DAOLI})
    assert (
        district.status_code == 200
        and f'href="/reports/dashboard?region={NANGANG}"' not in district.text
    )


def test_dashboard_page_zh_and_scope(app_client, session, settings):
    _cases(session, settings)
    login(app_client, session, role="district_officer", region=DAOLI)
    page = app_client.get("/reports/dashboard")
    assert page.status_code == 200
    assert 'lang="zh-CN"' in page.text and 'data-key="new_confirmed"' in page.text
    assert 'href="/reports/bulletin"' in page.text
    assert app_client.get("/reports/dashboard", params={"region": NANGANG}).status_code == 404


def test_no_page_without_the_permission(app_client, session):
    login(app_client, session, role="grid_worker", region=DAOLI + "001002003")
    for path in ("/reports/bulletin", "/reports/dashboard"):
        assert app_client.get(path).status_code == 403
    assert 'href="/reports/dashboard"' not in app_client.get("/").text
