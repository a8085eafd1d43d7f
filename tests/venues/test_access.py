"""Who may see and change which venues: 401 anonymous, 403 without the permission, 404 in
another district, and a venue operator sees only the venues it operates."""

from __future__ import annotations

import pytest

from factories import auth_headers, make_user
from venues.conftest import API, DAOLI_GRID, NANGANG_GRID


@pytest.fixture
def world(app_client, officers):
    made = {}
    for name, grid in (("daoli", DAOLI_GRID), ("nangang", NANGANG_GRID)):
        body = {"name": f"{name}超市", "type": "supermarket", "region_code": grid}
        made[name] = app_client.post(API, json=body, headers=officers[name]).json()
    return made


def read_urls(venue_id: int) -> list[str]:
    return [
        API,
        f"{API}/{venue_id}",
        f"{API}/{venue_id}/place-code.png",
        f"{API}/{venue_id}/place-code.svg",
    ]


def test_anonymous_is_401(app_client, world):
    venue_id = world["daoli"]["id"]
    for url in [*read_urls(venue_id), f"{API}/{venue_id}/operators", f"{API}/import-template"]:
        response = app_client.get(url)
        assert response.status_code == 401, url
        assert response.json()["code"] == "auth.required"
    for url in (API, f"{API}/{venue_id}/deactivate", f"{API}/{venue_id}/place-code/rotate"):
        assert app_client.post(url, json={}).status_code == 401, url


@pytest.mark.parametrize("role", ["lab", "citizen", "inspector", "sampler"])
def test_roles_without_venues_read_get_403(app_client, session, settings, world, role):
    headers = auth_headers(settings, make_user(session, role=role, region_code="230102"))
    session.commit()
    for url in read_urls(world["daoli"]["id"]):
        response = app_client.get(url, headers=headers)
        assert response.status_code == 403, url
        assert response.json()["code"] == "auth.forbidden"


@pytest.mark.parametrize("role", ["epidemiologist", "grid_worker"])
def test_readers_cannot_change(app_client, session, settings, world, role):
    headers = auth_headers(settings, make_user(session, role=role, region_code="230102"))
    session.commit()
    venue_id = world["daoli"]["id"]
    assert app_client.get(f"{API}/{venue_id}", headers=headers).status_code == 200
    body = {"name": "新", "type": "shop", "region_code": DAOLI_GRID}
    assert app_client.post(API, json=body, headers=headers).status_code == 403
    assert (
        app_client.patch(f"{API}/{venue_id}", json={"name": "x"}, headers=headers).status_code
        == 403
    )
    assert app_client.post(f"{API}/{venue_id}/deactivate", headers=headers).status_code == 403


def test_other_district_answers_404(app_client, officers, world):
    headers = officers["daoli"]
    venue_id = world["nangang"]["id"]
    for url in [*read_urls(venue_id)[1:], f"{API}/{venue_id}/operators"]:
        response = app_client.get(url, headers=headers)
        assert response.status_code == 404, url
        assert response.json()["code"] == "venue.not_found"
    for url in (f"{API}/{venue_id}/deactivate", f"{API}/{venue_id}/place-code/rotate"):
        assert app_client.post(url, headers=headers).status_code == 404, url
    assert (
        app_client.patch(f"{API}/{venue_id}", json={"name": "x"}, headers=headers).status_code
        == 404
    )
    listed = app_client.get(API, headers=headers).json()["items"]
    assert [v["id"] for v in listed] == [world["daoli"]["id"]]


def test_operator_sees_only_the_venues_it_operates(app_client, session, settings, officers, world):
    other = app_client.post(
        API,
        json={"name": "另一家", "type": "shop", "region_code": DAOLI_GRID},
        headers=officers["daoli"],
    ).json()
    operator = make_user(session, role="venue_operator", region_code=DAOLI_GRID)
    session.commit()
    mine = world["daoli"]["id"]
    app_client.post(
        f"{API}/{mine}/operators", json={"user_id": operator.id}, headers=officers["daoli"]
    )
    headers = auth_headers(settings, operator)
    listed = app_client.get(API, headers=headers).json()["items"]
    assert [v["id"] for v in listed] == [mine]
    assert app_client.get(f"{API}/{mine}", headers=headers).status_code == 200
    for venue_id in (other["id"], world["nangang"]["id"]):
        for url in read_urls(venue_id)[1:]:
            assert app_client.get(url, headers=headers).status_code == 404, url
    assert app_client.get(f"{API}/{mine}/operators", headers=headers).status_code == 403
