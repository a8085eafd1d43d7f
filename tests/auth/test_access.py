"""Access to ``/api/v1/users``: anonymous → 401, a role without the permission → 403, another
district's user → 404 (never 403, never listed), the city sees every district."""

from __future__ import annotations

import pytest

from factories import auth_headers, make_user

USERS = "/api/v1/users"
NEW_USER = {
    "username": "someone-new",
    "display_name": "新人",
    "role": "sampler",
    "region_code": "230102",
    "password": "a-good-password-1",
}


def assert_problem(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == code
    return response.json()


@pytest.fixture
def people(session):
    """A user each in 道里区 230102 and 南岗区 230103, their district officers, a city admin."""
    made = {
        "daoli": make_user(session, role="sampler", region_code="230102", username="daoli-sampler"),
        "nangang": make_user(
            session, role="sampler", region_code="230103", username="nangang-sampler"
        ),
        "daoli_officer": make_user(session, role="district_officer", region_code="230102"),
        "nangang_officer": make_user(session, role="district_officer", region_code="230103"),
        "city": make_user(session, role="city_admin", region_code="230100"),
    }
    session.commit()
    return made


def _requests(user_id: int) -> list[tuple[str, str, dict | None]]:
    return [
        ("GET", USERS, None),
        ("POST", USERS, NEW_USER),
        ("GET", f"{USERS}/{user_id}", None),
        ("PATCH", f"{USERS}/{user_id}", {"display_name": "改名"}),
    ]


def test_anonymous_gets_401(app_client, people):
    for method, url, body in _requests(people["daoli"].id):
        response = app_client.request(method, url, json=body)
        assert_problem(response, 401, "auth.required")


@pytest.mark.parametrize(
    "role",
    [
        "sampler",
        "citizen",
        "lab",
        "epidemiologist",
        "grid_worker",
        "venue_operator",
        "inspector",
        "isolation_officer",
    ],
)
def test_roles_without_users_read_get_403(app_client, session, settings, people, role):
    user = make_user(session, role=role, region_code="230102")
    session.commit()
    headers = auth_headers(settings, user)
    for method, url, body in _requests(people["daoli"].id):
        response = app_client.request(method, url, json=body, headers=headers)
        assert_problem(response, 403, "auth.forbidden")


def test_other_district_user_is_404_like_a_missing_one(app_client, settings, people):
    headers = auth_headers(settings, people["daoli_officer"])
    target = people["nangang"].id
    for method, url in (("GET", f"{USERS}/{target}"), ("PATCH", f"{USERS}/{target}")):
        body = {"is_active": False} if method == "PATCH" else None
        hidden = app_client.request(method, url, json=body, headers=headers)
        missing = app_client.request(method, f"{USERS}/987654321", json=body, headers=headers)
        assert assert_problem(hidden, 404, "not_found") == assert_problem(missing, 404, "not_found")
    # the PATCH did nothing: the other district's officer still sees the user active
    other = auth_headers(settings, people["nangang_officer"])
    assert app_client.get(f"{USERS}/{target}", headers=other).json()["is_active"] is True


def test_other_district_users_never_listed(app_client, settings, people):
    headers = auth_headers(settings, people["daoli_officer"])
    listed = app_client.get(USERS, params={"limit": 500}, headers=headers).json()["items"]
    names = {u["username"] for u in listed}
    assert "daoli-sampler" in names and "nangang-sampler" not in names
    assert all(u["region_code"].startswith("230102") for u in listed)
    for params in (
        {"region": "230103"},
        {"region": "2301"},
        {"region": "23"},
        {"q": "nangang"},
        {"role": "city_admin"},
    ):
        items = app_client.get(USERS, params=params, headers=headers).json()["items"]
        assert all(u["region_code"].startswith("230102") for u in items), params
        assert "nangang-sampler" not in {u["username"] for u in items}


def test_city_admin_sees_both_districts(app_client, settings, people):
    headers = auth_headers(settings, people["city"])
    names = {
        u["username"]
        for u in app_client.get(USERS, params={"limit": 500}, headers=headers).json()["items"]
    }
    assert {"daoli-sampler", "nangang-sampler"} <= names
    for key in ("daoli", "nangang"):
        response = app_client.get(f"{USERS}/{people[key].id}", headers=headers)
        assert response.status_code == 200
        assert response.json()["username"] == people[key].username
    only_nangang = app_client.get(USERS, params={"region": "230103"}, headers=headers).json()
    assert {u["region_code"] for u in only_nangang["items"]} == {"230103"}


def test_district_officer_cannot_see_the_city_admin(app_client, settings, people):
    headers = auth_headers(settings, people["daoli_officer"])
    response = app_client.get(f"{USERS}/{people['city'].id}", headers=headers)
    assert_problem(response, 404, "not_found")
