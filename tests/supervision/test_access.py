"""Who may see and change supervision records: 401 anonymous, 403 without the permission,
404 in another district; an inspector inspects but does not manage companies."""

from __future__ import annotations

import pytest

from factories import auth_headers, make_user
from supervision.conftest import API, NANGANG_COMMUNITY, credit_code, results


@pytest.fixture
def world(app_client, users):
    officer = users["nangang"]
    body = {"name": "南岗物业", "credit_code": credit_code("91230103MA1B2C3D4"),
            "region_code": "230103"}  # fmt: skip
    company = app_client.post(f"{API}/companies", json=body, headers=officer).json()
    community = app_client.post(
        f"{API}/communities", json={"name": "南岗小区", "region_code": NANGANG_COMMUNITY},
        headers=officer,
    ).json()  # fmt: skip
    inspection = app_client.post(
        f"{API}/inspections", json={"community_id": community["id"], "results": results()},
        headers=officer,
    ).json()  # fmt: skip
    point = app_client.post(
        f"{API}/video-points", json={"name": "东门", "community_id": community["id"]},
        headers=officer,
    ).json()  # fmt: skip
    return {"company": company["id"], "community": community["id"],
            "inspection": inspection["id"], "point": point["id"]}  # fmt: skip


def detail_urls(ids) -> list[str]:
    return [
        f"{API}/companies/{ids['company']}",
        f"{API}/companies/{ids['company']}/credit",
        f"{API}/communities/{ids['community']}",
        f"{API}/inspections/{ids['inspection']}",
        f"{API}/video-points/{ids['point']}",
    ]


def test_anonymous_is_401(app_client, world):
    for url in [*detail_urls(world), f"{API}/companies", f"{API}/problems"]:
        response = app_client.get(url)
        assert (response.status_code, response.json()["code"]) == (401, "auth.required"), url


@pytest.mark.parametrize("role", ["lab", "citizen", "sampler", "grid_worker"])
def test_roles_without_supervision_read_get_403(app_client, session, settings, world, role):
    headers = auth_headers(settings, make_user(session, role=role, region_code="230103"))
    session.commit()
    for url in detail_urls(world):
        response = app_client.get(url, headers=headers)
        assert (response.status_code, response.json()["code"]) == (403, "auth.forbidden"), url


def test_inspector_inspects_but_does_not_manage(app_client, session, settings, world):
    headers = auth_headers(settings, make_user(session, role="inspector", region_code="230103"))
    session.commit()
    assert app_client.get(detail_urls(world)[0], headers=headers).status_code == 200
    body = {"kind": "summons", "reason": "约谈"}
    credit = app_client.post(f"{API}/companies/{world['company']}/credit", json=body,
                             headers=headers)  # fmt: skip
    assert credit.status_code == 403
    made = app_client.post(
        f"{API}/inspections", json={"community_id": world["community"], "results": results()},
        headers=headers,
    )  # fmt: skip
    assert made.status_code == 201


def test_other_district_answers_404(app_client, users, world):
    headers = users["daoli"]
    for url in detail_urls(world):
        response = app_client.get(url, headers=headers)
        assert response.status_code == 404, url
        assert response.json()["code"].startswith("supervision."), url
    body = {"kind": "summons", "reason": "约谈"}
    response = app_client.post(f"{API}/companies/{world['company']}/credit", json=body,
                               headers=headers)  # fmt: skip
    assert response.status_code == 404
    status = app_client.post(f"{API}/video-points/{world['point']}/status",
                             json={"status": "offline"}, headers=headers)  # fmt: skip
    assert status.status_code == 404
    for listing in ("companies", "communities", "inspections", "video-points"):
        assert app_client.get(f"{API}/{listing}", headers=headers).json()["items"] == []
