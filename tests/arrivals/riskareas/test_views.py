"""The risk-area pages as a user meets them: the list with counts, filters and "as of", the
import form with its refused rows, manual entry, the row's page with its history and the
end / grade / correct forms, the check page; zh by default, English on request; readers see
no forms."""

from __future__ import annotations

import re

from sqlalchemy import select

from arrivals.riskareas.helpers import BEIJING, csv_of, line
from arrivals.world import make_risk_area
from factories import make_user, web_login
from fangkong.core import i18n
from fangkong.models.arrivals import RiskArea


def zh(message: str) -> str:
    """The Chinese of a msgid (the msgid itself until the catalogs hold it)."""
    return i18n.gettext("zh_CN", message)


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match
    return match.group(1)


def _admin(client, session, settings):
    user = make_user(session, role="city_admin", region_code="230100", settings=settings)
    session.commit()
    web_login(client, user.username)


def test_list_page_zh_and_en(app_client, session, settings, world):
    make_risk_area(session, area="望京街道某小区")
    _admin(app_client, session, settings)
    page = app_client.get("/risk-areas")
    assert page.status_code == 200
    assert 'lang="zh-CN"' in page.text and "望京街道某小区" in page.text
    assert zh("Risk areas") in page.text and zh("Import the national list") in page.text
    assert 'data-testid="counts"' in page.text and 'data-testid="import-form"' in page.text
    english = app_client.get("/risk-areas?lang=en")
    assert "Risk areas" in english.text and "Import the national list" in english.text
    assert "High risk" in english.text
    assert "Until" in english.text and zh("Until") not in english.text  # macros in the locale
    filtered = app_client.get("/risk-areas?grade=low&on=2022-03-03")
    assert filtered.status_code == 200 and "望京街道某小区" not in filtered.text
    bad = app_client.get("/risk-areas?on=三月")
    assert 'data-testid="error"' in bad.text


def test_import_from_the_page_lists_rejected_lines(app_client, session, settings, world):
    _admin(app_client, session, settings)
    token = csrf_of(app_client.get("/risk-areas").text)
    data = csv_of(line(BEIJING, "A小区", "高"), line(("火星", "某市", "某区"), "", "高"))
    refused = app_client.post("/risk-areas/import", data={"csrf_token": token, "as_of": "2022-03-01"},
                              files={"file": ("list.csv", data, "text/csv")})  # fmt: skip
    assert refused.status_code == 422
    assert (
        'data-testid="rejected-lines"' in refused.text and "risk_area.unknown_place" in refused.text
    )
    assert session.scalars(select(RiskArea)).all() == []
    good = app_client.post("/risk-areas/import", data={"csrf_token": token, "as_of": "2022-03-01"},
                           files={"file": ("list.csv", csv_of(line(BEIJING, "A小区", "高")))})  # fmt: skip
    assert good.status_code == 200 and 'data-testid="import-report"' in good.text
    assert "A小区" in good.text


def test_manual_entry_and_corrections_from_the_pages(app_client, session, settings, world):
    _admin(app_client, session, settings)
    token = csrf_of(app_client.get("/risk-areas").text)
    form = {"csrf_token": token, "province": "北京", "city": "北京", "district": "朝阳",
            "area": "望京街道莱小区", "grade": "high", "effective_from": "2022-03-01"}  # fmt: skip
    made = app_client.post("/risk-areas/new", data=form, follow_redirects=False)
    assert made.status_code == 303, made.text
    url = made.headers["location"]
    detail = app_client.get(url)
    assert detail.status_code == 200 and 'data-testid="history"' in detail.text
    assert 'data-testid="correct-form"' in detail.text
    no_note = app_client.post(
        f"{url}/correct", data={"csrf_token": token, "area": "望京街道某小区"}
    )
    assert no_note.status_code == 422
    assert zh("Say why in a note: a correction needs one.") in no_note.text
    assert 'data-testid="error"' in no_note.text
    fixed = app_client.post(f"{url}/correct", data={"csrf_token": token, "area": "望京街道某小区",
                                                    "note": "笔误"}, follow_redirects=False)  # fmt: skip
    assert fixed.status_code == 303
    moved = app_client.post(f"{url}/grade", data={"csrf_token": token, "grade": "low",
                                                  "at": "2022-03-06"}, follow_redirects=False)  # fmt: skip
    assert moved.status_code == 303 and moved.headers["location"] != url
    successor = app_client.get(moved.headers["location"] + "?lang=en")
    assert "Low risk" in successor.text and "High risk" in successor.text  # the history
    ended = app_client.post(moved.headers["location"] + "/end",
                            data={"csrf_token": token, "effective_to": "2022-03-01"})  # fmt: skip
    assert ended.status_code == 422  # before its start
    bad = app_client.post("/risk-areas/new", data=form | {"province": "火星"})
    assert bad.status_code == 422 and 'data-testid="error"' in bad.text


def test_check_page(app_client, session, settings, world):
    make_risk_area(session, area="望京街道")
    user = make_user(session, role="grid_worker", region_code="230102001002003")
    session.commit()
    web_login(app_client, user.username)
    empty = app_client.get("/risk-areas/check")
    assert empty.status_code == 200 and 'data-testid="check-form"' in empty.text
    answer = app_client.get("/risk-areas/check", params={"province": "北京", "city": "北京",
                                                         "district": "朝阳", "area": "望京街道1号"})  # fmt: skip
    assert 'data-testid="answer"' in answer.text and zh("High risk") in answer.text
    english = app_client.get("/risk-areas/check", params={"province": "北京", "district": "朝阳",
                                                          "area": "三里屯", "lang": "en"})  # fmt: skip
    assert "Low risk" in english.text and "a county with high or medium" in english.text
    unknown = app_client.get("/risk-areas/check", params={"province": "火星", "district": "x"})
    assert unknown.status_code == 422 and 'data-testid="error"' in unknown.text
    listing = app_client.get("/risk-areas")
    assert listing.status_code == 200 and 'data-testid="import-form"' not in listing.text
    forbidden = app_client.post("/risk-areas/new", data={"csrf_token": csrf_of(listing.text),
                                                         "province": "北京", "district": "朝阳",
                                                         "grade": "high"})  # fmt: skip
    assert forbidden.status_code == 403


def test_template_downloads(app_client, session, settings, world):
    _admin(app_client, session, settings)
    csv = app_client.get("/risk-areas/template.csv")
    assert csv.content.decode("utf-8-sig").startswith("省,市,区县,区域,风险等级")
    assert app_client.get("/risk-areas/template.xlsx").content[:2] == b"PK"
