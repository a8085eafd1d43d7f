"""Infector links: added with history and audit, removed; a self link, a duplicate, an infectee
sampled before the infector's trace-back window opened and a cycle are refused, writing
nothing."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from cases.helpers import counts
from fangkong.models.cases import CaseEvent
from outbreak_world import OTHER_GRID, at, make_case, make_resident

LINKS = "/api/v1/chains/links"


def _link(client, headers, a, b, **extra):
    body = {"infector_id": a.id, "infectee_id": b.id, "via": "household"} | extra
    return client.post(LINKS, json=body, headers=headers)


def _three(session, settings):
    people = [make_resident(session, settings) for _ in range(3)]
    cases = [make_case(session, p, sampled_at=at(3 + n, 8)) for n, p in enumerate(people)]
    session.commit()
    return cases


def test_add_list_and_remove(app_client, session, settings, staff):
    a, b, _ = _three(session, settings)
    made = _link(app_client, staff["epi"], a, b, certainty="confirmed", note="同住")
    assert made.status_code == 201, made.text
    link = made.json()
    assert (link["infector_id"], link["infectee_id"], link["certainty"]) == (
        a.id,
        b.id,
        "confirmed",
    )
    listed = app_client.get(LINKS, params={"case_id": b.id}, headers=staff["epi"]).json()
    assert [x["id"] for x in listed] == [link["id"]]
    steps = session.scalars(select(CaseEvent.case_id).where(CaseEvent.kind == "linked")).all()
    assert sorted(steps) == sorted([a.id, b.id])
    gone = app_client.delete(f"{LINKS}/{link['id']}", headers=staff["epi"])
    assert gone.status_code == 204
    assert app_client.get(LINKS, params={"case_id": b.id}, headers=staff["epi"]).json() == []
    again = app_client.delete(f"{LINKS}/{link['id']}", headers=staff["epi"])
    assert (again.status_code, again.json()["code"]) == (404, "chain.link_not_found")


def test_refused_links_write_nothing(app_client, session, settings, staff):
    a, b, c = _three(session, settings)
    assert _link(app_client, staff["epi"], a, b).status_code == 201
    assert _link(app_client, staff["epi"], b, c).status_code == 201
    early = make_case(
        session, make_resident(session, settings), sampled_at=at(1, 8) - timedelta(days=10)
    )
    session.commit()
    before = counts(session)
    for infector, infectee, status, code in (
        (a, a, 422, "chain.self_link"),
        (a, b, 409, "chain.duplicate_link"),
        (c, a, 422, "chain.cycle"),
        (c, early, 422, "chain.before_window"),  # long before c's window opened
    ):  # fmt: skip
        response = _link(app_client, staff["epi"], infector, infectee)
        assert (response.status_code, response.json()["code"]) == (status, code), code
    assert counts(session) == before


def test_a_link_to_another_districts_case_is_404(app_client, session, settings, staff):
    a, _, _ = _three(session, settings)
    far = make_case(session, make_resident(session, settings, grid=OTHER_GRID), sampled_at=at(5))
    session.commit()
    response = _link(app_client, staff["epi"], a, far)
    assert (response.status_code, response.json()["code"]) == (404, "case.not_found")
