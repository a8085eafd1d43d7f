"""The sentinel pages: the day's counts with alerts, the alert list, the grid's buyer list with
its "contacted" button (CSRF-checked, scoped), zh and en."""

from __future__ import annotations

import re
from datetime import date

from factories import make_user, web_login
from fangkong.core import clock
from fangkong.models.sentinel import DrugSale
from fangkong.sentinel import service
from fangkong.sentinel.schemas import SaleIn, VisitIn
from sentinel.conftest import DAOLI_GRID, activate, officer


def login(client, session, role="district_officer", region="230102"):
    user = make_user(session, role=role, region_code=region)
    session.commit()
    web_login(client, user.username)
    return user


def test_counts_page_in_both_languages(app_client, session, settings, world):
    data = VisitIn(venue_id=world.clinic, id_number=world.id_number, nat_taken=True)
    service.report_visit(session, settings, actor=officer("230102"), data=data)
    session.commit()
    login(app_client, session)
    today = clock.local_today().isoformat()
    zh = app_client.get(f"/sentinel?day={today}")
    assert zh.status_code == 200
    assert "发热门诊" in zh.text and "道里测试医院发热门诊" in zh.text
    assert "南岗测试医院" not in zh.text
    en = app_client.get(f"/sentinel?day={today}&lang=en")
    assert "Visits by district" in en.text and "No alert on this day." in en.text
    empty = app_client.get(f"/sentinel?day={date(2022, 1, 1).isoformat()}&lang=en")
    assert "No visits on this day." in empty.text
    assert app_client.get("/sentinel?day=tomorrow").status_code == 422
    alerts = app_client.get("/sentinel/alerts?lang=en")
    assert alerts.status_code == 200 and "No alerts." in alerts.text


def test_the_grid_worker_marks_a_buyer_contacted(app_client, session, settings, world):
    data = SaleIn(venue_id=world.pharmacy, id_number=world.id_number, drug_class="cough")
    sale = service.record_sale(session, settings, actor=officer("230102"), data=data)
    session.commit()
    login(app_client, session, role="grid_worker", region=DAOLI_GRID)
    page = app_client.get("/sentinel/follow-ups?lang=en")
    assert page.status_code == 200 and "Mark contacted" in page.text
    assert "李测试" not in page.text  # masked
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    url = f"/sentinel/follow-ups/{sale.id}/contacted"
    assert app_client.post(url, data={}, follow_redirects=False).status_code == 403
    done = app_client.post(url, data={"csrf_token": token}, follow_redirects=False)
    assert done.status_code == 303
    session.expire_all()
    assert session.get(DrugSale, sale.id).contacted_at is not None


def test_the_buyer_list_says_when_registration_is_abolished(app_client, session, settings, world):
    activate(session, settings, "harbin-2022-12")
    login(app_client, session, role="grid_worker", region=DAOLI_GRID)
    page = app_client.get("/sentinel/follow-ups?lang=en")
    assert 'data-testid="registration-off"' in page.text


def test_pages_need_the_permission(app_client, session, world):
    login(app_client, session, role="inspector")
    for url in ("/sentinel", "/sentinel/alerts", "/sentinel/follow-ups"):
        assert app_client.get(url).status_code == 403, url
