"""The sentinel pages added for issue 11 parts 2–3: the sites page, the entry forms of a
fever-clinic visit and a four-drug sale (CSRF, 422 re-render with values kept, nothing
written), and the visitors' follow-up tab with its "contacted" button."""

from __future__ import annotations

import re

from factories import make_user, web_login
from fangkong.models.sentinel import DrugSale, FeverVisit
from fangkong.sentinel import service
from fangkong.sentinel.schemas import VisitIn
from fangkong.venues import service as venues
from sentinel.conftest import DAOLI_GRID, DAOLI_GRID_2, activate, count, officer


def login(client, session, role="district_officer", region="230102"):
    user = make_user(session, role=role, region_code=region)
    session.commit()
    web_login(client, user.username)
    return user


def operator_login(client, session, world):
    """An operator of the 道里 clinic and pharmacy, signed in on the pages."""
    user = login(client, session, role="venue_operator", region=DAOLI_GRID)
    for venue_id in (world.clinic, world.pharmacy):
        venues.add_operator(session, actor=officer("230102"), venue_id=venue_id, user_id=user.id)
    session.commit()


def csrf(text):
    return re.search(r'name="csrf_token" value="([^"]+)"', text).group(1)


def test_the_sites_page_lists_the_jurisdiction(app_client, session, world):
    login(app_client, session)
    page = app_client.get("/sentinel/sites?lang=en")
    assert page.status_code == 200
    assert "道里测试医院发热门诊" in page.text and "道里测试药店" in page.text
    assert "南岗测试医院" not in page.text
    assert 'data-testid="new-visit"' in page.text
    assert 'data-testid="sentinel_sites-export"' in page.text
    pharmacies = app_client.get("/sentinel/sites?kind=pharmacy")
    assert "道里测试药店" in pharmacies.text and "道里测试医院发热门诊" not in pharmacies.text
    assert 'name="params.kind" value="pharmacy"' in pharmacies.text
    assert app_client.get("/sentinel/sites?kind=school").status_code == 422


def test_the_operator_sees_its_own_sites_and_no_export(app_client, session, world):
    operator_login(app_client, session, world)
    page = app_client.get("/sentinel/sites")
    assert page.status_code == 200 and "道里测试药店" in page.text
    assert "sentinel_sites-export" not in page.text
    assert app_client.get("/sentinel/follow-ups/visits").status_code == 403


def test_the_operator_reports_a_visit_on_the_form(app_client, session, world):
    operator_login(app_client, session, world)
    form = app_client.get("/sentinel/visits/new?lang=en")
    assert form.status_code == 200 and "道里测试医院发热门诊" in form.text
    assert "南岗测试医院" not in form.text
    good = {"csrf_token": csrf(form.text), "venue_id": str(world.clinic),
            "id_number": world.id_number, "temperature": "38.2", "symptom.fever": "on",
            "symptom.cough": "on", "nat_taken": "on"}  # fmt: skip
    assert (
        app_client.post("/sentinel/visits/new", data=good | {"csrf_token": ""}).status_code == 403
    )
    done = app_client.post("/sentinel/visits/new", data=good, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/sentinel/visits/new?done=1"
    visit = session.query(FeverVisit).one()
    assert (visit.person_id, visit.symptoms, visit.temperature, visit.nat_taken) == (
        world.person, ["fever", "cough"], 38.2, True)  # fmt: skip
    assert 'data-testid="reported"' in app_client.get(done.headers["location"]).text


def test_a_bad_visit_is_shown_again_and_writes_nothing(app_client, session, world):
    login(app_client, session)
    token = csrf(app_client.get("/sentinel/visits/new").text)
    base = {"csrf_token": token, "venue_id": str(world.clinic), "id_number": world.id_number,
            "symptom.fever": "on"}  # fmt: skip
    cases = [
        ({"temperature": "50"}, "sentinel.invalid_temperature"),
        ({"temperature": "warm"}, "sentinel.form_invalid"),
        ({"id_number": "230102199013011234"}, "sentinel.invalid_id_number"),
        ({"venue_id": str(world.pharmacy)}, "sentinel.wrong_site_kind"),
        ({"venue_id": ""}, "sentinel.form_invalid"),
    ]
    for change, code in cases:
        page = app_client.post("/sentinel/visits/new?lang=en", data=base | change)
        assert page.status_code == 422, (change, page.status_code)
        assert f'data-code="{code}"' in page.text, change
        assert (
            f'value="{base["id_number"] if "id_number" not in change else change["id_number"]}"'
            in page.text
        )
        assert 'name="symptom.fever" value="on" checked' in page.text
    nangang = base | {"venue_id": str(world.nangang_clinic)}
    assert app_client.post("/sentinel/visits/new", data=nangang).status_code == 404
    assert count(session, FeverVisit) == 0


def test_the_sale_form_records_and_refuses(app_client, session, world):
    login(app_client, session)
    form = app_client.get("/sentinel/sales/new?lang=en")
    assert form.status_code == 200 and "Antiviral" in form.text
    good = {"csrf_token": csrf(form.text), "venue_id": str(world.pharmacy),
            "id_number": world.neighbour_id_number, "drug_class": "antiviral",
            "quantity": "2"}  # fmt: skip
    bad = app_client.post("/sentinel/sales/new?lang=en", data=good | {"drug_class": "vitamins"})
    assert bad.status_code == 422
    assert 'data-code="sentinel.unknown_drug_class"' in bad.text
    assert f'value="{world.neighbour_id_number}"' in bad.text
    zero = app_client.post("/sentinel/sales/new", data=good | {"quantity": "0"})
    assert zero.status_code == 422 and 'data-code="sentinel.invalid_quantity"' in zero.text
    assert count(session, DrugSale) == 0
    done = app_client.post("/sentinel/sales/new", data=good, follow_redirects=False)
    assert done.status_code == 303
    sale = session.query(DrugSale).one()
    assert (sale.person_id, sale.drug_class, sale.quantity) == (world.neighbour, "antiviral", 2)


def test_no_sale_once_registration_is_abolished(app_client, session, settings, world):
    activate(session, settings, "harbin-2022-12")
    login(app_client, session)
    form = app_client.get("/sentinel/sales/new")
    assert 'data-testid="registration-off"' in form.text
    data = {"csrf_token": csrf(form.text), "venue_id": str(world.pharmacy),
            "id_number": world.id_number, "drug_class": "cough"}  # fmt: skip
    refused = app_client.post("/sentinel/sales/new", data=data)
    assert refused.status_code == 409
    assert 'data-code="sentinel.registration_not_in_force"' in refused.text
    assert count(session, DrugSale) == 0


def test_forms_need_the_report_permission(app_client, session, world):
    login(app_client, session, role="grid_worker", region=DAOLI_GRID)
    for url in ("/sentinel/visits/new", "/sentinel/sales/new"):
        assert app_client.get(url).status_code == 403, url
    assert app_client.get("/sentinel/sites").status_code == 200


def test_the_worker_marks_a_visitor_contacted_on_the_page(app_client, session, settings, world):
    data = VisitIn(venue_id=world.clinic, id_number=world.id_number, nat_taken=False)
    made = service.report_visit(session, settings, actor=officer("230102"), data=data)
    session.commit()
    login(app_client, session, role="grid_worker", region=DAOLI_GRID)
    page = app_client.get("/sentinel/follow-ups/visits?lang=en")
    assert page.status_code == 200 and "Mark contacted" in page.text
    assert "李测试" not in page.text and "道里测试医院发热门诊" in page.text
    assert 'href="/sentinel/follow-ups"' in page.text  # the buyers' tab
    url = f"/sentinel/follow-ups/visits/{made.id}/contacted"
    assert app_client.post(url, data={}, follow_redirects=False).status_code == 403
    done = app_client.post(url, data={"csrf_token": csrf(page.text)}, follow_redirects=False)
    assert done.status_code == 303
    session.expire_all()
    assert session.get(FeverVisit, made.id).contacted_at is not None
    assert "Mark contacted" not in app_client.get("/sentinel/follow-ups/visits?lang=en").text
    assert (
        app_client.get("/sentinel/follow-ups/visits?open_only=yes&lang=en").text.count(
            "No visitors to follow up."
        )
        == 1
    )
    assert app_client.get("/sentinel/follow-ups/visits?grid=23x").status_code == 422


def test_another_grid_cannot_mark_the_visitor(app_client, session, settings, world):
    data = VisitIn(venue_id=world.clinic, id_number=world.id_number)
    made = service.report_visit(session, settings, actor=officer("230102"), data=data)
    session.commit()
    login(app_client, session, role="grid_worker", region=DAOLI_GRID_2)
    page = app_client.get("/sentinel/follow-ups/visits")
    assert "道里测试医院发热门诊" not in page.text
    url = f"/sentinel/follow-ups/visits/{made.id}/contacted"
    response = app_client.post(url, data={"csrf_token": csrf(page.text)}, follow_redirects=False)
    assert response.status_code == 404
    session.expire_all()
    assert session.get(FeverVisit, made.id).contacted_at is None


def test_the_counts_page_offers_the_day_exports(app_client, session, world):
    login(app_client, session)
    page = app_client.get("/sentinel?day=2022-12-01")
    assert 'data-testid="fever_visits-export"' in page.text
    assert 'data-testid="drug_sales-export"' in page.text
    assert 'name="params.day" value="2022-12-01"' in page.text
