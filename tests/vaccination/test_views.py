"""The vaccination pages: coverage, the outreach list, a person's record and the dose form
(bad input re-rendered with its error, nothing written), zh and en, 404 outside."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from factories import make_user, web_login
from fangkong.models.vaccination import Dose
from vaccination.conftest import DAOLI_GRID, NANGANG_GRID, give, make_resident

pytestmark = pytest.mark.usefixtures("vaccines")


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match
    return match.group(1)


def _login(client, session, role="district_officer", region="230102"):
    user = make_user(session, role=role, region_code=region)
    session.commit()
    web_login(client, user.username)


def test_coverage_and_outreach_pages(app_client, session, settings):
    done = make_resident(session, settings, born=date(1990, 1, 1))
    make_resident(session, settings, born=date(1991, 1, 1))
    give(session, done, 1, date(2021, 4, 1))
    _login(app_client, session)
    page = app_client.get("/vaccination?on=2022-12-01")
    assert page.status_code == 200
    table = page.text.split('data-testid="coverage"')[1]
    assert "230102" in table and "18-59" in table and "50.0%" in table
    english = app_client.get("/vaccination?lang=en")
    assert "Vaccination coverage" in english.text and "Series complete" in english.text
    outreach = app_client.get(f"/vaccination/outreach?grid={DAOLI_GRID}&on=2022-12-01&lang=en")
    rows = outreach.text.split('data-testid="outreach"')[1]
    assert rows.count("<tr>") == 3  # the head, the unvaccinated and the incomplete
    assert "Never vaccinated" in rows and "Series incomplete" in rows
    assert app_client.get("/vaccination/outreach?grid=abc").status_code == 422


def test_record_a_dose_by_form(app_client, session, settings):
    person = make_resident(session, settings, born=date(1990, 1, 1))
    _login(app_client, session)
    url = f"/vaccination/people/{person.id}"
    page = app_client.get(url)
    assert page.status_code == 200 and 'data-testid="dose-form"' in page.text
    form = {"vaccine_code": "INACT", "dose_number": "1", "given_on": "1980-01-01",
            "site": "站A", "batch": "B1", "csrf_token": _csrf(page.text)}  # fmt: skip
    refused = app_client.post(f"{url}/doses", data=form)
    assert refused.status_code == 422
    assert 'data-code="vaccination.dose_before_birth"' in refused.text
    assert 'value="站A"' in refused.text  # the form keeps its values
    assert session.scalar(select(func.count()).select_from(Dose)) == 0
    empty = app_client.post(f"{url}/doses", data=form | {"dose_number": "x"})
    assert empty.status_code == 422
    made = app_client.post(
        f"{url}/doses", data=form | {"given_on": "2021-04-01"}, follow_redirects=False
    )
    assert made.status_code == 303 and made.headers["location"] == url
    shown = app_client.get(url).text.split('data-testid="doses"')[1]
    assert "2021-04-01" in shown and "灭活疫苗" in shown


def test_grid_worker_reads_without_the_form_and_other_districts_are_404(
    app_client, session, settings
):
    person = make_resident(session, settings, born=date(1990, 1, 1))
    south = make_resident(session, settings, born=date(1990, 1, 1), grid=NANGANG_GRID)
    _login(app_client, session, role="grid_worker", region=DAOLI_GRID)
    page = app_client.get(f"/vaccination/people/{person.id}")
    assert page.status_code == 200 and 'data-testid="dose-form"' not in page.text
    assert app_client.get(f"/vaccination/people/{south.id}").status_code == 404
