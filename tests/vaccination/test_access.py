"""Who may see and change vaccination data: 401 anonymous, 403 without the permission, 404 in
another district; grid workers read, officers record."""

from __future__ import annotations

from datetime import date

import pytest

from factories import auth_headers, make_user
from vaccination.conftest import API, DAOLI_GRID, NANGANG_GRID, make_resident


@pytest.fixture
def south_person(session, settings, officers):
    person = make_resident(session, settings, born=date(1990, 1, 1), grid=NANGANG_GRID)
    session.commit()
    return person


def _reads(person_id: int) -> list[str]:
    return [f"{API}/vaccines", f"{API}/people/{person_id}", f"{API}/coverage",
            f"{API}/outreach?grid={DAOLI_GRID}"]  # fmt: skip


def test_anonymous_is_401(app_client, south_person):
    for url in _reads(south_person.id):
        response = app_client.get(url)
        assert (response.status_code, response.json()["code"]) == (401, "auth.required"), url
    assert app_client.post(f"{API}/doses", json={}).status_code == 401


@pytest.mark.parametrize("role", ["lab", "citizen", "sampler", "venue_operator"])
def test_roles_without_vaccination_read_get_403(app_client, session, settings, south_person, role):
    headers = auth_headers(settings, make_user(session, role=role, region_code="230103"))
    session.commit()
    for url in _reads(south_person.id):
        response = app_client.get(url, headers=headers)
        assert (response.status_code, response.json()["code"]) == (403, "auth.forbidden"), url


def test_grid_worker_reads_but_cannot_record(app_client, session, settings, south_person):
    worker = make_user(session, role="grid_worker", region_code=NANGANG_GRID)
    session.commit()
    headers = auth_headers(settings, worker)
    assert app_client.get(f"{API}/people/{south_person.id}", headers=headers).status_code == 200
    rows = app_client.get(f"{API}/outreach?grid={NANGANG_GRID}", headers=headers).json()["items"]
    assert [r["person_id"] for r in rows] == [south_person.id]
    body = {"person_id": south_person.id, "vaccine_code": "INACT", "dose_number": 1,
            "given_on": "2021-04-01", "site": "站", "batch": "B"}  # fmt: skip
    assert app_client.post(f"{API}/doses", json=body, headers=headers).status_code == 403


def test_another_district_gets_404_and_sees_nothing(app_client, south_person, officers):
    headers = officers["daoli"]
    response = app_client.get(f"{API}/people/{south_person.id}", headers=headers)
    assert response.status_code == 404
    body = {"person_id": south_person.id, "vaccine_code": "INACT", "dose_number": 1,
            "given_on": "2021-04-01", "site": "站", "batch": "B"}  # fmt: skip
    assert app_client.post(f"{API}/doses", json=body, headers=headers).status_code == 404
    rows = app_client.get(f"{API}/outreach?grid={NANGANG_GRID}", headers=headers).json()["items"]
    assert rows == []
    cells = app_client.get(f"{API}/coverage", headers=headers).json()["cells"]
    assert {c["district"] for c in cells} <= {"230102"}
