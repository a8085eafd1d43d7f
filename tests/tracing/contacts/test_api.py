"""The JSON routes: a case's contacts, generation (idempotent), a person named by ID number
(never in a URL), the list with filters and pagination, a contact, bulk decisions (all or
nothing) and the line-list paste (per-line refusals)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from fangkong.models.contacts import Contact, ContactLink
from outbreak_world import OTHER_GRID, at, make_case, make_resident
from tracing.contacts.helpers import CASES, CONTACTS, family, make_venue, scan


@pytest.fixture
def traced(session, settings, staff):
    a, member = family(session, settings, "甲病例", "甲家属")
    b = make_resident(session, settings, name="乙食客", phone="13800000001")
    far = make_resident(session, settings, name="丙外区", grid=OTHER_GRID)
    venue = make_venue(session, "老厨家饭店")
    scan(session, venue, a, at(2, 12))
    scan(session, venue, b, at(2, 12, 20))
    scan(session, venue, far, at(2, 12, 10))
    case = make_case(session, a, sampled_at=at(3, 8))
    session.commit()
    return {"case": case, "a": a, "member": member, "b": b, "far": far}


def _generate(client, staff, case_id):
    response = client.post(f"{CASES}/{case_id}/contacts/generate", headers=staff["epi"])
    assert response.status_code == 200, response.text
    return response.json()


def test_generation_is_idempotent(app_client, session, staff, traced):
    first = _generate(app_client, staff, traced["case"].id)
    assert first == {"case_id": traced["case"].id, "candidates": 3, "new_links": 3}
    again = _generate(app_client, staff, traced["case"].id)
    assert again["new_links"] == 0
    assert session.scalar(select(func.count()).select_from(ContactLink)) == 3
    assert session.scalar(select(func.count()).select_from(Contact)) == 3


def test_case_contacts_list_masks_numbers(app_client, staff, traced):
    _generate(app_client, staff, traced["case"].id)
    response = app_client.get(f"{CASES}/{traced['case'].id}/contacts", headers=staff["epi"])
    items = response.json()["items"]
    names = {i["name"] for i in items}
    assert names == {"甲*属", "乙*客", "丙*区"}  # names masked as in every list
    assert "甲家属" not in response.text
    assert all("*" in i["id_number_masked"] for i in items)
    far = next(i for i in items if i["name"] == "丙*区")
    assert far["handed_over"] is True and far["owner_region"] == "230102"
    assert traced["b"].id_number_masked in {i["id_number_masked"] for i in items}


def test_the_list_filters_and_pages(app_client, staff, traced):
    _generate(app_client, staff, traced["case"].id)
    first = app_client.get(CONTACTS, params={"limit": 2}, headers=staff["epi"]).json()
    assert len(first["items"]) == 2 and first["next_cursor"]
    rest = app_client.get(CONTACTS, params={"limit": 2, "cursor": first["next_cursor"]},
                          headers=staff["epi"]).json()  # fmt: skip
    assert len(rest["items"]) == 1 and rest["next_cursor"] is None
    venue = app_client.get(CONTACTS, params={"reason": "venue"}, headers=staff["epi"]).json()
    assert {i["name"] for i in venue["items"]} == {"乙*客", "丙*区"}
    grid = app_client.get(CONTACTS, params={"grid": OTHER_GRID}, headers=staff["epi"]).json()
    assert [i["name"] for i in grid["items"]] == ["丙*区"]
    by_case = app_client.get(CONTACTS, params={"case": traced["case"].id, "status": "candidate",
                                               "degree": "close"}, headers=staff["epi"])  # fmt: skip
    assert len(by_case.json()["items"]) == 3


def test_named_by_id_number_in_the_body(app_client, session, staff, traced, settings):
    named = make_resident(session, settings, name="丁受访")
    session.commit()
    number = _id_number(session, settings, named)
    body = {"id_number": number, "contact_at": "2022-11-02T09:00:00+08:00", "note": "同事"}
    response = app_client.post(f"{CASES}/{traced['case'].id}/contacts", json=body,
                               headers=staff["epi"])  # fmt: skip
    assert response.status_code == 201, response.text
    detail = response.json()
    assert detail["name"] == "丁受访" and detail["links"][0]["reason"] == "interview"
    assert number not in response.text
    again = app_client.post(f"{CASES}/{traced['case'].id}/contacts", json=body,
                            headers=staff["epi"])  # fmt: skip
    assert again.json()["id"] == detail["id"]
    assert len(again.json()["links"]) == 1


def _id_number(session, settings, person):
    from fangkong.people.protect import Protector

    return Protector(settings.data_key_bytes).open_id(person.id_number_enc)


def test_named_person_bad_inputs(app_client, staff, traced):
    url = f"{CASES}/{traced['case'].id}/contacts"
    cases = [
        ({"contact_at": "2022-11-02T09:00:00+08:00"}, "contact.one_identifier"),
        ({"person_id": 99999999, "contact_at": "2022-11-02T09:00:00+08:00"},
         "contact.person_unknown"),
        ({"person_id": traced["a"].id, "contact_at": "2022-11-02T09:00:00+08:00"},
         "contact.is_case_person"),
        ({"person_id": traced["b"].id, "contact_at": "2999-01-01T09:00:00+08:00"},
         "contact.time_in_future"),
    ]  # fmt: skip
    for body, code in cases:
        response = app_client.post(url, json=body, headers=staff["epi"])
        assert response.status_code == 422, body
        assert response.json()["code"] == code


def test_bulk_decisions_are_all_or_nothing(app_client, session, staff, traced):
    _generate(app_client, staff, traced["case"].id)
    ids = [c.id for c in session.scalars(select(Contact).order_by(Contact.id))]
    missing = app_client.post(f"{CONTACTS}/decisions", headers=staff["epi"],
                              json={"action": "confirm", "ids": [*ids, 99999999]})  # fmt: skip
    assert missing.status_code == 404 and missing.json()["code"] == "contact.not_found"
    session.expire_all()
    assert {c.status for c in session.scalars(select(Contact))} == {"candidate"}
    done = app_client.post(f"{CONTACTS}/decisions", headers=staff["epi"],
                           json={"action": "confirm", "ids": ids})  # fmt: skip
    assert done.status_code == 200 and done.json()["count"] == 3
    twice = app_client.post(f"{CONTACTS}/decisions", headers=staff["epi"],
                            json={"action": "confirm", "ids": ids[:1]})  # fmt: skip
    assert twice.status_code == 409 and twice.json()["code"] == "contact.not_candidate"


def test_reject_needs_a_reason_and_notify_needs_confirmed(app_client, session, staff, traced):
    _generate(app_client, staff, traced["case"].id)
    ids = [c.id for c in session.scalars(select(Contact).order_by(Contact.id))]
    bare = app_client.post(f"{CONTACTS}/decisions", headers=staff["epi"],
                           json={"action": "reject", "ids": ids})  # fmt: skip
    assert bare.json()["code"] == "contact.reason_required"
    notify = app_client.post(f"{CONTACTS}/decisions", headers=staff["epi"],
                             json={"action": "notify", "ids": ids})  # fmt: skip
    assert notify.status_code == 409 and notify.json()["code"] == "contact.not_confirmed"
    ok = app_client.post(f"{CONTACTS}/decisions", headers=staff["epi"],
                         json={"action": "reject", "ids": ids, "reason": "未同时在场"})  # fmt: skip
    assert ok.status_code == 200
    detail = app_client.get(f"{CONTACTS}/{ids[0]}", headers=staff["epi"]).json()
    assert detail["status"] == "rejected" and detail["reject_reason"] == "未同时在场"
    assert _generate(app_client, staff, traced["case"].id)["new_links"] == 0


def test_line_list_accepts_and_refuses_line_by_line(app_client, session, settings, staff, traced):
    number = _id_number(session, settings, traced["b"])
    case_no = traced["case"].case_no
    text = "\n".join([
        "姓名,证件号码或电话,病例编号,原因,接触时间",
        f"乙食客,{number},{case_no},interview,2022-11-02 09:00",
        f"乙食客,13800000001,{case_no},household,2022-11-02 10:00",
        f"错名字,{number},{case_no},interview,2022-11-02 09:00",
        f"乙食客,{number},NO-SUCH,interview,2022-11-02 09:00",
        f"乙食客,{number},{case_no},swimming,2022-11-02 09:00",
        f"乙食客,{number},{case_no},interview,2999-11-02 09:00",
        f"甲病例,{_id_number(session, settings, traced['a'])},{case_no},interview,2022-11-02 09:00",
        "only,three,fields",
    ])  # fmt: skip
    response = app_client.post(f"{CONTACTS}/line-list", json={"text": text}, headers=staff["epi"])
    report = response.json()
    assert response.status_code == 200, response.text
    assert report["accepted"] == 2 and report["rejected"] == 6
    codes = [(r["line"], r["code"]) for r in report["rejected_lines"]]
    assert codes == [(4, "contact.name_mismatch"), (5, "contact.case_not_found"),
                     (6, "contact.bad_reason"), (7, "contact.time_in_future"),
                     (8, "contact.is_case_person"), (9, "contact.bad_line")]  # fmt: skip
    assert all(r["message"] for r in report["rejected_lines"])
    assert number not in response.text
    contact = session.scalars(select(Contact).where(Contact.person_id == traced["b"].id)).one()
    reasons = {link.reason for link in session.scalars(
        select(ContactLink).where(ContactLink.contact_id == contact.id))}  # fmt: skip
    assert reasons == {"interview", "household"}
