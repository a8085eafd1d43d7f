"""Who may see and change which people, households and ledgers: 401, 403, and 404 outside."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from factories import auth_headers, make_tree, make_user, person_payload, resident_id
from fangkong.auth.permissions import permissions_of
from fangkong.core.principal import Principal
from fangkong.models import DuplicateCandidate, PersonAccess
from fangkong.people import errors, service
from fangkong.people.protect import Protector

API = "/api/v1/people"
DAOLI_GRID = "230102001002003"
NANGANG_GRID = "230103001002003"
READ_URLS = [
    API,
    f"{API}/1",
    f"{API}/access-log",
    f"{API}/duplicates",
    "/api/v1/households",
    "/api/v1/households/1",
    "/api/v1/regions/230102/counts",
    f"/api/v1/regions/{DAOLI_GRID}/ledger",
    f"/api/v1/regions/{DAOLI_GRID}/ledger.xlsx",
    "/api/v1/regions/230102/worker-load",
]


@pytest.fixture
def world(app_client, session, settings):
    """A person and a household in each of 道里区 and 南岗区, made by each district's officer."""
    make_tree(session, "230102")
    make_tree(session, "230103")
    daoli = make_user(session, role="district_officer", region_code="230102")
    nangang = make_user(session, role="district_officer", region_code="230103")
    session.commit()
    made = {}
    for name, user, grid, seed in (
        ("daoli", daoli, DAOLI_GRID, 1),
        ("nangang", nangang, NANGANG_GRID, 2),
    ):
        headers = auth_headers(settings, user)
        household = app_client.post(
            "/api/v1/households", json={"grid_code": grid, "address": "楼1"}, headers=headers
        ).json()
        person = app_client.post(
            API, json=person_payload(grid, seed, household_id=household["id"]), headers=headers
        ).json()
        made[name] = {"headers": headers, "person": person, "household": household}
    return made


def test_anonymous_is_401_everywhere(app_client):
    for url in READ_URLS:
        response = app_client.get(url)
        assert response.status_code == 401, url
        assert response.json()["code"] == "auth.required"
    for url in (API, f"{API}/search", "/api/v1/households", f"{API}/duplicates/1/merge"):
        assert app_client.post(url, json={}).status_code == 401, url


@pytest.mark.parametrize("role", ["lab", "citizen", "venue_operator", "inspector"])
def test_roles_without_people_read_get_403(app_client, session, settings, role):
    user = make_user(session, role=role, region_code="230102")
    session.commit()
    headers = auth_headers(settings, user)
    for url in READ_URLS:
        response = app_client.get(url, headers=headers)
        assert response.status_code == 403, url
    body = {"id_number": resident_id(1)}
    assert app_client.post(f"{API}/search", json=body, headers=headers).status_code == 403


@pytest.mark.parametrize("role", ["sampler", "epidemiologist"])
def test_readers_cannot_write(app_client, session, settings, world, role):
    user = make_user(session, role=role, region_code="230102")
    session.commit()
    headers = auth_headers(settings, user)
    assert app_client.get(API, headers=headers).status_code == 200
    assert (
        app_client.post(API, json=person_payload(DAOLI_GRID, 9), headers=headers).status_code == 403
    )
    person_id = world["daoli"]["person"]["id"]
    assert (
        app_client.patch(f"{API}/{person_id}", json={"name": "改"}, headers=headers).status_code
        == 403
    )


def test_grid_worker_sees_only_the_access_log_it_may(app_client, session, settings, world):
    worker = make_user(session, role="grid_worker", region_code=DAOLI_GRID)
    session.commit()
    headers = auth_headers(settings, worker)
    assert app_client.get(f"{API}/access-log", headers=headers).status_code == 403
    assert app_client.get(f"{API}/duplicates", headers=headers).status_code == 403
    listed = app_client.get(API, headers=headers).json()["items"]
    assert [p["id"] for p in listed] == [world["daoli"]["person"]["id"]]


def test_other_jurisdiction_answers_404(app_client, world):
    headers = world["daoli"]["headers"]
    person_id = world["nangang"]["person"]["id"]
    household_id = world["nangang"]["household"]["id"]
    for url in (
        f"{API}/{person_id}",
        f"{API}/{person_id}?reveal=id_number",
        f"/api/v1/households/{household_id}",
        "/api/v1/regions/230103/counts",
        f"/api/v1/regions/{NANGANG_GRID}/ledger",
        f"/api/v1/regions/{NANGANG_GRID}/ledger.xlsx",
        "/api/v1/regions/230103/worker-load",
    ):
        response = app_client.get(url, headers=headers)
        assert response.status_code == 404, url
    assert (
        app_client.patch(f"{API}/{person_id}", json={"name": "x"}, headers=headers).status_code
        == 404
    )
    add = app_client.post(
        f"/api/v1/households/{household_id}/members",
        json={"person_id": world["daoli"]["person"]["id"]},
        headers=headers,
    )
    assert add.status_code == 404


def test_lists_and_search_never_cross_the_boundary(app_client, session, world):
    headers = world["daoli"]["headers"]
    people = app_client.get(API, headers=headers).json()["items"]
    assert {p["grid_code"] for p in people} == {DAOLI_GRID}
    households = app_client.get("/api/v1/households", headers=headers).json()["items"]
    assert {h["grid_code"] for h in households} == {DAOLI_GRID}
    region = app_client.get(f"{API}?region=230103", headers=headers).json()["items"]
    assert region == []
    found = app_client.post(f"{API}/search", json={"id_number": resident_id(2)}, headers=headers)
    assert found.status_code == 200 and found.json() == []
    logged = session.scalars(
        select(PersonAccess.person_id).where(PersonAccess.action == "search_id_number")
    ).all()
    assert logged == [None]  # the search is logged; nobody outside was "found"


def test_access_log_is_scoped(app_client, world):
    daoli = world["daoli"]
    app_client.get(f"{API}/{daoli['person']['id']}", headers=daoli["headers"])
    nangang = world["nangang"]
    app_client.get(f"{API}/{nangang['person']['id']}", headers=nangang["headers"])
    seen = app_client.get(f"{API}/access-log", headers=daoli["headers"]).json()["items"]
    assert {e["person_id"] for e in seen} == {daoli["person"]["id"]}


def test_duplicates_of_another_district_are_404(app_client, session, world):
    session.add(
        DuplicateCandidate(
            person_id=world["nangang"]["person"]["id"],
            other_id=world["nangang"]["person"]["id"],
            reason="name_birth_phone",
            region_code=NANGANG_GRID,
        )
    )
    session.commit()
    pair = session.scalars(select(DuplicateCandidate)).one()
    headers = world["daoli"]["headers"]
    assert app_client.get(f"{API}/duplicates/{pair.id}", headers=headers).status_code == 404
    merge = app_client.post(
        f"{API}/duplicates/{pair.id}/merge", json={"keep_id": pair.person_id}, headers=headers
    )
    assert merge.status_code == 404


def test_id_numbers_revealed_in_bulk_inside_the_jurisdiction_each_logged(session, settings, world):
    """``reveal_id_numbers``: a district officer gets the numbers of its own district's people
    (the other district's left out), one access-log row each; a role without the reveal
    permission gets none."""
    ids = [world["daoli"]["person"]["id"], world["nangang"]["person"]["id"]]
    officer = Principal(id=None, username="daoli", role="district_officer", region_code="230102",
                        permissions=permissions_of("district_officer"))  # fmt: skip
    protector = Protector(settings.data_key_bytes)
    before = len(session.scalars(select(PersonAccess)).all())
    shown = service.reveal_id_numbers(session, actor=officer, protector=protector, person_ids=ids)
    assert shown == {ids[0]: resident_id(1)}
    logged = session.scalars(select(PersonAccess).where(PersonAccess.username == "daoli")).all()
    assert [(row.action, row.person_id) for row in logged] == [("reveal_id_number", ids[0])]
    assert len(session.scalars(select(PersonAccess)).all()) == before + 1
    sampler = Principal(id=None, username="s", role="sampler", region_code="230102",
                        permissions=permissions_of("sampler"))  # fmt: skip
    with pytest.raises(errors.RevealNotAllowed):
        service.reveal_id_numbers(session, actor=sampler, protector=protector, person_ids=ids)
