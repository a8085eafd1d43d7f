"""Who may do what with contacts: 401 anonymous, 403 without the permission, 404 for a case
or a contact outside the jurisdiction; a contact living in another district is handed over:
both districts see it, only the owner district decides (the other gets 403)."""

from __future__ import annotations

import pytest

from fangkong.core.pagination import PageParams
from fangkong.tracing.contacts import service
from outbreak_world import OTHER_GRID, at, make_case, make_resident
from tracing.contacts.helpers import CASES, CONTACTS, EPI, family, make_venue, scan


@pytest.fixture
def records(session, settings, staff):
    a, member = family(session, settings, "甲病例", "甲家属")
    far = make_resident(session, settings, name="丙南岗", grid=OTHER_GRID)
    venue = make_venue(session, "老厨家饭店")
    scan(session, venue, a, at(2, 12))
    scan(session, venue, far, at(2, 12, 10))
    case = make_case(session, a, sampled_at=at(3, 8))
    service.generate(session, actor=EPI, case_id=case.id)
    session.commit()
    rows, _ = service.list_contacts(session, actor=EPI, page=PageParams(limit=10),
                                    where=service.ContactFilter())  # fmt: skip
    by_person = {row.person_id: row.id for row in rows}
    return {"case": case.id, "member": by_person[member.id], "far": by_person[far.id]}


def routes(r):
    case, member = r["case"], r["member"]
    return [
        ("GET", f"{CASES}/{case}/contacts", None),
        ("POST", f"{CASES}/{case}/contacts/generate", None),
        ("POST", f"{CASES}/{case}/contacts", {"person_id": 1, "contact_at": "2022-11-02T09:00:00+08:00"}),
        ("GET", CONTACTS, None),
        ("GET", f"{CONTACTS}/{member}", None),
        ("POST", f"{CONTACTS}/decisions", {"action": "confirm", "ids": [member]}),
        ("POST", f"{CONTACTS}/line-list", {"text": "x"}),
    ]  # fmt: skip


def call(client, method, url, body, headers=None):
    return client.request(method, url, json=body, headers=headers or {})


def test_anonymous_is_401(app_client, records):
    for method, url, body in routes(records):
        response = call(app_client, method, url, body)
        assert response.status_code == 401, (method, url)


def test_roles_without_the_permission_are_403(app_client, staff, records):
    for method, url, body in routes(records):
        for role in ("sampler", "worker"):
            assert call(app_client, method, url, body, staff[role]).status_code == 403, (role, url)
        if method == "POST":
            assert call(app_client, method, url, body, staff["isolation"]).status_code == 403, url
        else:
            assert call(app_client, method, url, body, staff["isolation"]).status_code == 200, url


def test_another_districts_case_and_contact_are_404(app_client, staff, records):
    case = records["case"]
    for method, url in (("GET", f"{CASES}/{case}/contacts"),
                        ("POST", f"{CASES}/{case}/contacts/generate"),
                        ("GET", f"{CONTACTS}/{records['member']}")):  # fmt: skip
        response = call(app_client, method, url, None, staff["nangang_epi"])
        assert response.status_code == 404, url
    decision = {"action": "confirm", "ids": [records["member"]]}
    response = call(app_client, "POST", f"{CONTACTS}/decisions", decision, staff["nangang_epi"])
    assert response.status_code == 404 and response.json()["code"] == "contact.not_found"
    listed = app_client.get(CONTACTS, headers=staff["nangang_epi"]).json()["items"]
    assert [item["id"] for item in listed] == [records["far"]]


def test_a_handed_over_contact_is_seen_by_both_and_decided_by_the_owner(app_client, staff, records):
    far = records["far"]
    seen = app_client.get(f"{CONTACTS}/{far}", headers=staff["nangang_epi"])
    assert seen.status_code == 200 and seen.json()["handed_over"] is True
    decision = {"action": "confirm", "ids": [far]}
    refused = call(app_client, "POST", f"{CONTACTS}/decisions", decision, staff["nangang_epi"])
    assert refused.status_code == 403 and refused.json()["code"] == "contact.not_owner"
    mixed = {"action": "confirm", "ids": [far, records["member"]]}
    assert (
        call(app_client, "POST", f"{CONTACTS}/decisions", mixed, staff["nangang_epi"]).status_code
        == 404
    )
    done = call(app_client, "POST", f"{CONTACTS}/decisions", decision, staff["epi"])
    assert done.status_code == 200, done.text
