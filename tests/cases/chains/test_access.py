"""Who may use the chains: 401 anonymous, 403 without the permission, 404 for another
district's case or link, and a handed-over case's links visible to its new owner."""

from __future__ import annotations

from fangkong.models.cases import CaseLink
from outbreak_world import OTHER_GRID, at, make_case, make_resident

API = "/api/v1/chains"


def _records(session, settings):
    a = make_case(session, make_resident(session, settings), sampled_at=at(3))
    b = make_case(session, make_resident(session, settings), sampled_at=at(4))
    link = CaseLink(infector_id=a.id, infectee_id=b.id, via="venue", certainty="probable")
    session.add(link)
    session.commit()
    return a, b, link


def test_anonymous_and_roles(app_client, session, settings, staff):
    a, b, link = _records(session, settings)
    body = {"infector_id": b.id, "infectee_id": a.id, "via": "other"}
    calls = [("GET", API, None), ("GET", f"{API}/links?case_id={a.id}", None),
             ("POST", f"{API}/links", body), ("DELETE", f"{API}/links/{link.id}", None)]  # fmt: skip
    for method, url, payload in calls:
        assert app_client.request(method, url, json=payload).status_code == 401, url
        for role in ("worker", "sampler"):
            response = app_client.request(method, url, json=payload, headers=staff[role])
            assert response.status_code == 403, (role, url)
        if method != "GET":
            response = app_client.request(method, url, json=payload, headers=staff["isolation"])
            assert response.status_code == 403, url


def test_another_district_gets_404_until_handed_over(app_client, session, settings, staff, users):
    _, b, link = _records(session, settings)
    other = staff["nangang_epi"]
    assert (
        app_client.get(f"{API}/links", params={"case_id": b.id}, headers=other).status_code == 404
    )
    assert app_client.delete(f"{API}/links/{link.id}", headers=other).status_code == 404
    far = make_case(session, make_resident(session, settings, grid=OTHER_GRID), sampled_at=at(5))
    session.commit()
    body = {"infector_id": far.id, "infectee_id": b.id, "via": "other"}
    assert app_client.post(f"{API}/links", json=body, headers=other).status_code == 404
    handed = app_client.post(f"/api/v1/cases/{b.id}/hand-over",
                             json={"owner_id": users["nangang_epi"].id}, headers=staff["epi"])  # fmt: skip
    assert handed.status_code == 200
    links = app_client.get(f"{API}/links", params={"case_id": b.id}, headers=other)
    assert links.status_code == 200 and [x["id"] for x in links.json()] == [link.id]
    assert [row[0] for row in app_client.get(API, headers=other).json()["c"]] == [b.id, far.id]
