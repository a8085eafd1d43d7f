"""PATCH bodies: a field left out stays as it is; ``null`` clears only what may be empty.

Found by the API fuzz: ``null`` for a flag, the name, the grid or a household's address reached
the database as NULL and answered 500.
"""

from __future__ import annotations

import pytest

from factories import person_payload

GRID = "230102001002003"


@pytest.fixture
def person(app_client, officer):
    household = app_client.post(
        "/api/v1/households", json={"grid_code": GRID, "address": "楼1"}, headers=officer
    ).json()
    body = person_payload(GRID, 5, household_id=household["id"], elderly_alone=True)
    response = app_client.post("/api/v1/people", json=body, headers=officer)
    assert response.status_code == 201, response.text
    return response.json()


@pytest.mark.parametrize("field", ["name", "grid_code", "elderly_alone", "from_abroad"])
def test_person_null_for_a_required_field_is_422(app_client, officer, person, field):
    url = f"/api/v1/people/{person['id']}"
    response = app_client.patch(url, json={field: None}, headers=officer)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == f"body.{field}"
    after = app_client.get(url, headers=officer).json()
    assert after[field] == person[field]


def test_person_null_clears_phone_address_and_household(app_client, officer, person):
    url = f"/api/v1/people/{person['id']}"
    body = {"phone": None, "address": None, "household_id": None}
    response = app_client.patch(url, json=body, headers=officer)
    assert response.status_code == 200, response.text
    assert {key: response.json()[key] for key in body} == body
    assert response.json()["elderly_alone"] is True


def test_household_null_address_is_422_and_null_head_clears(app_client, officer, person):
    url = f"/api/v1/households/{person['household_id']}"
    response = app_client.patch(url, json={"address": None}, headers=officer)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == "body.address"
    cleared = app_client.patch(url, json={"head_id": None}, headers=officer)
    assert cleared.status_code == 200, cleared.text
    assert (cleared.json()["address"], cleared.json()["head_id"]) == ("楼1", None)
