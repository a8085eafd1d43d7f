"""No query parameter may carry U+0000: a 422 naming it, never a driver error.

Found by the API fuzz on PostgreSQL, whose text cannot hold NUL: ``?q=%00`` on the people,
regions and users lists and the audit filters answered 500.
"""

from __future__ import annotations

import pytest

from factories import make_user

URLS = [
    "/api/v1/people?q=a%00",
    "/api/v1/regions?q=%00",
    "/api/v1/users?q=%00&role=sampler",
    "/api/v1/audit?action=%00",
    "/api/v1/audit?object_type=x%00y",
    "/api/v1/audit?object_id=%00",
]


@pytest.mark.parametrize("url", URLS)
def test_a_nul_in_a_query_parameter_is_422_naming_it(app_client, admin, url):
    response = app_client.get(url, headers=admin)
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["code"] == "request.invalid"
    name = url.split("?")[1].split("=")[0] if "%00&" not in url else "q"
    assert [error["field"] for error in body["errors"]] == [f"query.{name}"]


def test_other_escapes_pass(app_client, admin):
    response = app_client.get("/api/v1/regions?q=%2500", headers=admin)  # the text "%00"
    assert response.status_code == 200, response.text
    assert app_client.get("/api/v1/regions?q=%E9%81%93", headers=admin).status_code == 200


def test_pages_refuse_it_too(app_client):
    response = app_client.get("/login?next=%00")
    assert response.status_code == 422
    assert "text/html" in response.headers["content-type"]


def test_a_display_name_with_a_control_character_is_422(app_client, session, admin):
    worker = make_user(session, role="grid_worker", region_code="230102001002003")
    session.commit()
    for name in ("a\x00", "换\n行"):
        url = f"/api/v1/users/{worker.id}"
        response = app_client.patch(url, json={"display_name": name}, headers=admin)
        assert response.status_code == 422, response.text
