"""The citizen's own vaccination record on the code page (read-only)."""

from __future__ import annotations

import logging
from datetime import date

import pytest

from citizens.conftest import SENDER_LOG, Codes
from citizens.factories import make_resident as make_citizen
from fangkong.citizens import service as citizens
from fangkong.citizens.schemas import Citizen
from vaccination.conftest import DAOLI_GRID, give

pytestmark = pytest.mark.usefixtures("vaccines")


def _csrf(html: str) -> str:
    return html.split('name="csrf_token" value="')[1].split('"', maxsplit=1)[0]


def _sign_in(client, codes: Codes, phone: str) -> None:
    login = client.get("/me/login?next=/me")
    sent = client.post(
        "/me/login/code", data={"phone": phone, "next": "/me", "csrf_token": _csrf(login.text)}
    )
    done = client.post(
        "/me/login",
        data={"phone": phone, "code": codes.last(), "next": "/me",
              "csrf_token": _csrf(sent.text)},
        follow_redirects=False,
    )  # fmt: skip
    assert done.status_code == 303, done.text


def test_the_code_page_shows_the_citizens_own_doses(app_client, session, settings, caplog):
    caplog.set_level(logging.INFO, logger=SENDER_LOG)
    person = make_citizen(session, settings, name="接种市民", phone="13812340001", grid=DAOLI_GRID)
    other = make_citizen(session, settings, name="别人", phone="13812340002", grid=DAOLI_GRID)
    give(session, person, 1, date(2021, 4, 1))
    give(session, other, 1, date(2021, 4, 2), vaccine="ADV5")
    session.commit()
    record = citizens.my_vaccination(session, Citizen(person_id=person.id, session_id=0))
    assert [d.given_on for d in record.doses] == [date(2021, 4, 1)]
    _sign_in(app_client, Codes(caplog), "13812340001")
    page = app_client.get("/me?lang=en")
    assert page.status_code == 200
    section = page.text.split('data-testid="my-vaccination"')[1].split("</section>")[0]
    assert "2021-04-01" in section and "灭活疫苗" in section
    assert "Series incomplete" in section
    assert "2021-04-02" not in section and "腺病毒" not in section
