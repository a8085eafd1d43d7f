"""The contact pages in zh and en: the list with filters and bulk actions, a contact's page,
the investigation workspace (trajectory fragment, candidates by reason, the named form,
generate again) and the printable control notice; the person page's timeline."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from factories import make_user, web_login
from fangkong.core.principal import Principal
from fangkong.models.contacts import Contact
from fangkong.people import timeline
from fangkong.tracing.contacts import service
from fangkong.tracing.contacts import timeline as contact_timeline  # noqa: F401 - registers
from outbreak_world import ADMIN, DAOLI, at, make_case, make_resident
from tracing.contacts.helpers import EPI, activate, family, make_venue, scan

pytestmark = pytest.mark.usefixtures("world")


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match
    return match.group(1)


def login(client, session, role="epidemiologist", region=DAOLI):
    user = make_user(session, role=role, region_code=region)
    session.commit()
    web_login(client, user.username)
    return user


@pytest.fixture
def case(session, settings):
    activate(session, settings, "cn-9th-2022-06")
    a, _ = family(session, settings, "甲病例", "甲家属")
    b = make_resident(session, settings, name="乙食客")
    venue = make_venue(session, "老厨家饭店")
    scan(session, venue, a, at(2, 12))
    scan(session, venue, b, at(2, 12, 20))
    case = make_case(session, a, sampled_at=at(3, 8))
    session.commit()
    return case


def _ids(session):
    session.expire_all()
    return {c.person_id: c for c in session.scalars(select(Contact))}


def test_workspace_generate_and_confirm_from_the_page(app_client, session, case):
    login(app_client, session)
    page = app_client.get(f"/cases/{case.id}/investigation")
    assert page.status_code == 200 and case.case_no in page.text
    assert f'hx-get="/cases/{case.id}/trajectory/table"' in page.text
    token = csrf_of(page.text)
    made = app_client.post(f"/cases/{case.id}/investigation/generate",
                           data={"csrf_token": token}, follow_redirects=False)  # fmt: skip
    assert made.status_code == 303
    page = app_client.get(f"/cases/{case.id}/investigation?lang=en")
    assert "甲*属" in page.text and "乙*客" in page.text
    assert 'data-testid="group-household"' in page.text and "Same venue" in page.text
    ids = [c.id for c in _ids(session).values()]
    done = app_client.post("/tracing/contacts/decisions", follow_redirects=False, data={
        "csrf_token": token, "action": "confirm", "ids": [str(i) for i in ids],
        "back": f"/cases/{case.id}/investigation"})  # fmt: skip
    assert done.status_code == 303 and done.headers["location"].startswith(f"/cases/{case.id}/")
    assert {c.status for c in _ids(session).values()} == {"confirmed"}


def test_reject_without_a_reason_shows_the_error(app_client, session, case):
    service.generate(session, actor=EPI, case_id=case.id)
    session.commit()
    login(app_client, session)
    token = csrf_of(app_client.get("/tracing/contacts").text)
    ids = [str(c.id) for c in _ids(session).values()]
    bad = app_client.post("/tracing/contacts/decisions",
                          data={"csrf_token": token, "action": "reject", "ids": ids})  # fmt: skip
    assert bad.status_code == 422 and 'data-code="contact.reason_required"' in bad.text
    none = app_client.post("/tracing/contacts/decisions",
                           data={"csrf_token": token, "action": "confirm"})  # fmt: skip
    assert none.status_code == 422 and 'data-code="contact.form_invalid"' in none.text
    assert {c.status for c in _ids(session).values()} == {"candidate"}


def test_list_filters_and_detail(app_client, session, case):
    service.generate(session, actor=EPI, case_id=case.id)
    session.commit()
    login(app_client, session)
    listed = app_client.get("/tracing/contacts?reason=household&lang=en")
    assert listed.status_code == 200 and "甲*属" in listed.text and "乙*客" not in listed.text
    assert 'data-testid="bulk-print"' in listed.text
    contact = next(c for c in _ids(session).values())
    detail = app_client.get(f"/tracing/contacts/{contact.id}")
    assert detail.status_code == 200 and case.case_no in detail.text
    assert app_client.get("/tracing/contacts/99999999").status_code == 404


def test_named_form_by_id_number(app_client, session, settings, case):
    named = make_resident(session, settings, name="丁受访")
    session.commit()
    from fangkong.people.protect import Protector

    number = Protector(settings.data_key_bytes).open_id(named.id_number_enc)
    login(app_client, session)
    token = csrf_of(app_client.get(f"/cases/{case.id}/investigation").text)
    bad = app_client.post(f"/cases/{case.id}/investigation/named", data={
        "csrf_token": token, "kind": "id_number", "identifier": number, "contact_at": "bad"})  # fmt: skip
    assert bad.status_code == 422 and number not in bad.text
    ok = app_client.post(f"/cases/{case.id}/investigation/named", follow_redirects=False, data={
        "csrf_token": token, "kind": "id_number", "identifier": number,
        "contact_at": "2022-11-02T09:00"})  # fmt: skip
    assert ok.status_code == 303 and number not in ok.headers["location"]
    assert named.id in _ids(session)


def test_control_notice_counts_from_the_last_exposure(app_client, session, case):
    service.generate(session, actor=EPI, case_id=case.id)
    session.commit()
    contacts = _ids(session)
    ids = [c.id for c in contacts.values()]
    login(app_client, session)
    refused = app_client.get("/tracing/contacts/notice", params={"ids": ids})
    assert refused.status_code == 409
    token = csrf_of(app_client.get("/tracing/contacts").text)
    app_client.post("/tracing/contacts/decisions",
                    data={"csrf_token": token, "action": "confirm", "ids": [str(i) for i in ids]})  # fmt: skip
    notice = app_client.get("/tracing/contacts/notice", params={"ids": ids})
    assert notice.status_code == 200 and notice.text.count('data-testid="notice"') == 2
    # B's last exposure is 2 November 12:20: centralized isolation days 1-7 are 3-9 November,
    # home health monitoring 10-12 November (cn-9th-2022-06).
    assert "2022-11-03" in notice.text and "2022-11-09" in notice.text
    assert "2022-11-12" in notice.text and "乙食客" in notice.text


def test_timeline_names_the_case_and_the_decision(session, case):
    service.generate(session, actor=EPI, case_id=case.id)
    member_id = next(iter(_ids(session)))
    reader = Principal(id=None, username="r", role="epidemiologist", region_code=DAOLI,
                       permissions=frozenset({"tracing.read"}))  # fmt: skip
    found = [timeline.show(e, "en") for e in timeline.entries(session, reader, member_id)
             if e.domain == "tracing"]  # fmt: skip
    assert len(found) == 1 and case.case_no in found[0].text
    unread = timeline.entries(session, ADMIN, member_id)  # no tracing.read
    assert [e for e in unread if e.domain == "tracing"] == []
