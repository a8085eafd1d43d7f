"""Who may do what with sites and tubes: 401 anonymous, 403 without the permission, 404 for
another district's records; the queue board is public."""

from __future__ import annotations

import pytest

from testing.world import OTHER_GRID, make_resident, make_site, make_tube, next_barcode

SITES = "/api/v1/testing/sites"
TUBES = "/api/v1/testing/tubes"


@pytest.fixture
def records(session, settings, staff):
    site = make_site(session)
    other_site = make_site(session, name="南岗采样点", region=OTHER_GRID)
    person = make_resident(session, settings)
    tube = make_tube(session, [person], site=site, status="open")
    session.commit()
    return {"site": site.id, "other_site": other_site.id, "tube": tube.id, "person": person.id}


def routes(r):
    """(method, url, body) of every sampling route that needs a signed-in user."""
    site, tube, person = r["site"], r["tube"], r["person"]
    return [
        ("GET", SITES, None),
        ("POST", SITES, {"name": "新", "region_code": OTHER_GRID}),
        ("GET", f"{SITES}/{site}", None),
        ("PATCH", f"{SITES}/{site}", {"address": "x"}),
        ("POST", f"{SITES}/{site}/deactivate", None),
        ("PUT", f"{SITES}/{site}/queue", {"status": "busy", "length": 1}),
        ("GET", TUBES, None),
        ("POST", TUBES, {"barcode": next_barcode(), "site_id": site}),
        ("GET", f"{TUBES}/{tube}", None),
        ("POST", f"{TUBES}/{tube}/members", {"id_number": "x"}),
        ("DELETE", f"{TUBES}/{tube}/members/{person}", None),
        ("POST", f"{TUBES}/{tube}/seal", None),
    ]


def call(client, method, url, body, headers=None):
    return client.request(method, url, json=body, headers=headers or {})


def test_anonymous_is_401_but_the_queue_board_is_public(app_client, records):
    for method, url, body in routes(records):
        response = call(app_client, method, url, body)
        assert response.status_code == 401, (method, url)
        assert response.json()["code"] == "auth.required"
    assert app_client.get(f"{SITES}/queue").status_code == 200


def test_roles_without_the_permission_are_403(app_client, staff, records):
    writes = {("POST", SITES), ("PATCH", f"{SITES}/{records['site']}"),
              ("POST", f"{SITES}/{records['site']}/deactivate")}  # fmt: skip
    for method, url, body in routes(records):
        assert call(app_client, method, url, body, staff["inspector"]).status_code == 403, url
        assert call(app_client, method, url, body, staff["lab"]).status_code == 403, url
        if (method, url) in writes:  # managing sites: officers only
            assert call(app_client, method, url, body, staff["sampler"]).status_code == 403, url
        elif method != "GET":  # sampling: samplers and officers, not readers
            assert call(app_client, method, url, body, staff["worker"]).status_code == 403, url


def test_another_district_gets_404(app_client, staff, records):
    for method, url, body in routes(records):
        if url in (SITES, TUBES):
            continue
        response = call(app_client, method, url, body, staff["nangang"])
        assert response.status_code == 404, (method, url, response.text)
    assert call(app_client, "GET", f"{SITES}/{records['other_site']}", None,
                staff["officer"]).status_code == 404  # fmt: skip
    tubes = call(app_client, "GET", TUBES, None, staff["nangang"]).json()
    sites = call(app_client, "GET", SITES, None, staff["nangang"]).json()
    assert tubes["items"] == [] and [s["id"] for s in sites["items"]] == [records["other_site"]]
    opened = call(app_client, "POST", TUBES, {"barcode": next_barcode(), "site_id": records["site"]},
                  staff["nangang"])  # fmt: skip
    assert opened.status_code == 404 and opened.json()["code"] == "testing.site_not_found"
