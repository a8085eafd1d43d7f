"""The pages of property companies and communities: the lists (search, filters, paging,
export form), the new-company and new-community forms, a company's page with its credit
actions and the form to record one; permissions and district scoping."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from fangkong.models.supervision import CreditAction, PropertyCommunity, PropertyCompany
from supervision.conftest import (
    DAOLI_COMMUNITY,
    NANGANG_COMMUNITY,
    credit_code,
    make_community,
    make_company,
)
from supervision.pages import login, post_form

pytestmark = pytest.mark.usefixtures("districts")
GOOD_CODE = credit_code("91230102MA7K8L9M0")


def count(session, model) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model))


def test_company_list_searches_and_pages(app_client, session, settings):
    make_company(session, settings, "安居物业", body="91230102MA1B2C3D4")
    make_company(session, settings, "乐家物业", body="91230102MA1B2C3D5")
    make_company(session, settings, "南岗物业", district="230103", body="91230103MA1B2C3D6")
    login(app_client, session)
    page = app_client.get("/supervision/companies")
    table = page.text.split('data-testid="companies"')[1]
    assert "安居物业" in table and "乐家物业" in table and "南岗物业" not in table
    found = app_client.get("/supervision/companies", params={"q": "乐家"})
    assert "乐家物业" in found.text and "安居物业" not in found.text.split("<tbody>")[1]
    by_code = app_client.get("/supervision/companies", params={"q": "91230102ma1b2c3d4"})
    assert "安居物业" in by_code.text.split("<tbody>")[1]
    assert 'data-testid="companies-export"' in page.text
    assert 'value="property_companies"' in page.text


def test_company_list_pages_keep_the_filter(app_client, session, settings, monkeypatch):
    monkeypatch.setattr("fangkong.supervision.companies.views.PAGE_SIZE", 1)
    make_company(session, settings, "甲物业", body="91230102MA1B2C3D4")
    make_company(session, settings, "乙物业", body="91230102MA1B2C3D5")
    login(app_client, session)
    first = app_client.get("/supervision/companies", params={"q": "物业"})
    link = first.text.split('data-testid="next-page"')[0].rsplit('href="', 1)[1].split('"')[0]
    assert "q=" in link
    second = app_client.get(link.replace("&amp;", "&"))
    assert "乙物业" in second.text and "甲物业" not in second.text.split("<tbody>")[1]


def test_new_company_form(app_client, session):
    login(app_client, session)
    assert app_client.get("/supervision/companies/new").status_code == 200
    good = {"name": "新物业", "credit_code": GOOD_CODE, "region_code": "230102", "contact": "王"}
    answer = post_form(app_client, "/supervision/companies/new", "/supervision/companies/new", good)
    assert answer.status_code == 303
    made = session.scalars(select(PropertyCompany).where(PropertyCompany.name == "新物业")).one()
    assert answer.headers["location"] == f"/supervision/companies/{made.id}"
    assert made.credit_score == 100


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"credit_code": GOOD_CODE[:-1] + ("0" if GOOD_CODE[-1] != "0" else "1")},
         "supervision.invalid_credit_code"),
        ({"region_code": "230103"}, "supervision.region_out_of_jurisdiction"),
        ({"name": ""}, "supervision.form_invalid"),
    ],
)  # fmt: skip
def test_new_company_form_refuses_bad_input(app_client, session, change, code):
    login(app_client, session)
    form = {"name": "坏物业", "credit_code": GOOD_CODE, "region_code": "230102"} | change
    answer = post_form(app_client, "/supervision/companies/new", "/supervision/companies/new", form)
    assert answer.status_code == 422
    assert f'data-code="{code}"' in answer.text
    assert f'value="{form["credit_code"]}"' in answer.text  # the values are kept
    assert count(session, PropertyCompany) == 0


def test_company_page_and_credit_action(app_client, session, settings):
    company = make_company(session, settings)
    make_community(session, "阳光花园", company_id=company.id)
    session.commit()
    login(app_client, session)
    page = app_client.get(f"/supervision/companies/{company.id}")
    assert page.status_code == 200 and "阳光花园" in page.text
    assert 'data-testid="credit-form"' in page.text
    path = f"/supervision/companies/{company.id}"
    form = {"kind": "deduction", "points": "5", "reason": "门岗无人值守"}
    answer = post_form(app_client, path, f"{path}/credit", form)
    assert answer.status_code == 303
    session.expire_all()
    assert session.get(PropertyCompany, company.id).credit_score == 95
    shown = app_client.get(path)
    assert "门岗无人值守" in shown.text.split('data-testid="credit-actions"')[1]


def test_credit_form_refuses_bad_input(app_client, session, settings):
    company = make_company(session, settings)
    session.commit()
    login(app_client, session)
    path = f"/supervision/companies/{company.id}"
    answer = post_form(app_client, path, f"{path}/credit", {"kind": "summons", "points": "-3",
                                                             "reason": "约谈负责人"})  # fmt: skip
    assert answer.status_code == 422 and 'data-code="supervision.form_invalid"' in answer.text
    assert "约谈负责人" in answer.text
    assert count(session, CreditAction) == 0
    session.expire_all()
    assert session.get(PropertyCompany, company.id).credit_score == 100


def test_inspector_reads_companies_but_does_not_manage(app_client, session, settings):
    company = make_company(session, settings)
    session.commit()
    login(app_client, session, role="inspector")
    page = app_client.get(f"/supervision/companies/{company.id}")
    assert page.status_code == 200 and 'data-testid="credit-form"' not in page.text
    assert app_client.get("/supervision/companies/new").status_code == 403
    assert app_client.get("/supervision/communities/new").status_code == 403


def test_officer_of_another_district_cannot_see_the_company(app_client, session, settings):
    company = make_company(session, settings)
    session.commit()
    login(app_client, session, region_code="230103")
    assert app_client.get(f"/supervision/companies/{company.id}").status_code == 404
    assert "安居物业" not in app_client.get("/supervision/companies").text


def test_community_list_filters(app_client, session, settings):
    company = make_company(session, settings)
    make_community(session, "甲小区", company_id=company.id)
    make_community(session, "乙小区", region_code="230102001002003")
    make_community(session, "南岗小区", region_code=NANGANG_COMMUNITY)
    login(app_client, session)
    page = app_client.get("/supervision/communities")
    table = page.text.split('data-testid="communities"')[1]
    assert "甲小区" in table and "乙小区" in table and "南岗小区" not in table
    by_company = app_client.get("/supervision/communities", params={"company_id": company.id})
    assert "乙小区" not in by_company.text.split("<tbody>")[1]
    by_grid = app_client.get("/supervision/communities", params={"region": "230102001002003"})
    assert "甲小区" not in by_grid.text.split("<tbody>")[1]
    assert app_client.get("/supervision/communities", params={"region": "x"}).status_code == 422


def test_new_community_form(app_client, session, settings):
    company = make_company(session, settings)
    session.commit()
    login(app_client, session)
    page = f"/supervision/communities/new?company_id={company.id}"
    assert app_client.get(page).status_code == 200
    form = {"name": "新小区", "region_code": DAOLI_COMMUNITY, "address": "一号路",
            "company_id": str(company.id)}  # fmt: skip
    answer = post_form(app_client, page, "/supervision/communities/new", form)
    assert answer.status_code == 303
    made = session.scalars(select(PropertyCommunity)).one()
    assert (made.name, made.company_id, made.address) == ("新小区", company.id, "一号路")


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"region_code": "230102001"}, "supervision.region_not_community"),
        ({"region_code": NANGANG_COMMUNITY}, "supervision.region_out_of_jurisdiction"),
        ({"company_id": "999999"}, "supervision.unknown_company"),
        ({"company_id": "abc"}, "supervision.form_invalid"),
    ],
)
def test_new_community_form_refuses_bad_input(app_client, session, change, code):
    login(app_client, session)
    form = {"name": "坏小区", "region_code": DAOLI_COMMUNITY} | change
    page = "/supervision/communities/new"
    answer = post_form(app_client, page, page, form)
    assert answer.status_code == 422 and f'data-code="{code}"' in answer.text
    assert 'value="坏小区"' in answer.text
    assert count(session, PropertyCommunity) == 0


def test_forms_need_the_csrf_token(app_client, session):
    login(app_client, session)
    form = {"name": "新物业", "credit_code": GOOD_CODE, "region_code": "230102"}
    answer = app_client.post("/supervision/companies/new", data=form, follow_redirects=False)
    assert answer.status_code == 403
    assert count(session, PropertyCompany) == 0
