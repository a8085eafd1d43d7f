"""The /health-code pages: counts and list, a person's code, four eyes through the forms."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from factories import make_user, web_login
from fangkong.core.events import publish
from fangkong.core.pagination import PageParams
from fangkong.core.principal import Principal
from fangkong.healthcode import service
from fangkong.healthcode.events import FactRaised
from fangkong.main import create_app
from fangkong.policy.types import Reason


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def login(client, session, role="district_officer", region="230102"):
    user = make_user(session, role=role, region_code=region)
    session.commit()
    web_login(client, user.username)
    return user


def test_overview_and_person_page(app_client, session, make_person):
    person = make_person(name="赵小六")
    publish(session, FactRaised(person.id, Reason.CONTACT_CLOSE, source="tracing", ref="c"))
    service.file_appeal(session, person.id, "请核实")
    session.commit()
    login(app_client, session)
    page = app_client.get("/health-code")
    assert page.status_code == 200
    assert 'data-testid="count-red">1<' in page.text
    assert "赵*六" in page.text and "赵小六" not in page.text
    assert "请核实" in page.text
    green = app_client.get("/health-code?colour=green").text
    assert "赵*六" not in green.split('data-testid="codes"')[1].split("</table>")[0]
    detail = app_client.get(f"/health-code/people/{person.id}")
    assert detail.status_code == 200 and 'data-colour="red"' in detail.text
    assert app_client.get("/health-code/people/99999999").status_code == 404


def test_four_eyes_through_the_forms(app_client, settings, db, session, make_person):
    person = make_person()
    session.commit()
    login(app_client, session)
    page = app_client.get(f"/health-code/people/{person.id}")
    form = {"csrf_token": csrf_of(page.text), "person_id": str(person.id), "colour": "yellow",
            "reason": "人工复核"}  # fmt: skip
    proposed = app_client.post("/health-code/change-requests", data=form, follow_redirects=False)
    assert proposed.status_code == 303
    [change], _ = service.list_changes(session, actor=_any_admin(), page=_first())
    own = app_client.post(
        f"/health-code/change-requests/{change.id}/approve",
        data={"csrf_token": form["csrf_token"]},
    )
    assert own.status_code == 403
    with TestClient(create_app(settings, database=db)) as second:
        login(second, session)
        token = csrf_of(second.get("/health-code").text)
        approved = second.post(
            f"/health-code/change-requests/{change.id}/approve",
            data={"csrf_token": token},
            follow_redirects=False,
        )
        assert approved.status_code == 303
    assert service.code_card(session, settings, person.id).manual


def test_pages_need_login_and_permission(app_client, session, world):
    assert app_client.get("/health-code", follow_redirects=False).status_code in (302, 303, 307)
    login(app_client, session, role="lab")
    assert app_client.get("/health-code").status_code == 403


def _any_admin() -> Principal:
    return Principal(id=None, username="t", role="city_admin", region_code="230100")


def _first() -> PageParams:
    return PageParams(limit=10)


def test_an_appeal_is_decided_through_the_form(app_client, settings, session, make_person):
    person = make_person()
    publish(session, FactRaised(person.id, Reason.ZONE_SEALED, source="zones", ref="z"))
    appeal = service.file_appeal(session, person.id, "已搬离")
    session.commit()
    login(app_client, session)
    token = csrf_of(app_client.get("/health-code").text)
    form = {"csrf_token": token, "decision": "rejected", "text": "核实仍居住", "fact_id": "",
            "colour": ""}  # fmt: skip
    decided = app_client.post(
        f"/health-code/appeals/{appeal.id}/decide", data=form, follow_redirects=False
    )
    assert decided.status_code == 303, decided.text
    [view] = service.appeals_of(session, person.id)
    assert (view.status, view.decision_text) == ("rejected", "核实仍居住")
