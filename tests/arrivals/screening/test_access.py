"""Who may call which screening route: 401 anonymous, 403 without the permission, 404 for a
task of another district or grid, and nothing of another district in the figures."""

from __future__ import annotations

import pytest

from arrivals.screening.helpers import API, task_of
from arrivals.world import OTHER_GRID, make_resident, make_trip

PAGES = ("/arrivals/todo", "/arrivals/overdue", "/arrivals/accountability", "/arrivals/figures",
         "/arrivals/overview")  # fmt: skip


@pytest.fixture
def task_id(session, settings, staff):
    trip = make_trip(session, make_resident(session, settings, phone="13912345678"))
    make_trip(session, make_resident(session, settings, name="南岗人", grid=OTHER_GRID))
    session.commit()
    return task_of(session, trip, "screening").id


def routes(task):
    return {
        "read": [
            ("GET", f"{API}/tasks", None), ("GET", f"{API}/overdue", None),
            ("GET", f"{API}/accountability", None), ("GET", f"{API}/accountability.xlsx", None),
            ("GET", f"{API}/figures", None), ("GET", f"{API}/overview", None),
        ],
        "screen": [
            ("POST", f"{API}/tasks/{task}/screen", {"outcome": "informed"}),
            ("POST", f"{API}/tasks/{task}/phone", None),
        ],
    }  # fmt: skip


def _call(client, method, url, body, headers=None):
    return client.request(method, url, json=body, headers=headers or {})


def test_anonymous_is_401(app_client, task_id):
    for method, url, body in [r for group in routes(task_id).values() for r in group]:
        response = _call(app_client, method, url, body)
        assert response.status_code == 401, (method, url)
        assert response.json()["code"] == "auth.required"


@pytest.mark.parametrize(("group", "role"), [
    ("read", "inspector"), ("read", "sampler"), ("read", "gate"), ("read", "operator"),
    ("screen", "epi"), ("screen", "sampler"), ("screen", "gate"), ("screen", "inspector"),
])  # fmt: skip
def test_roles_without_the_permission_get_403(app_client, staff, task_id, group, role):
    for method, url, body in routes(task_id)[group]:
        response = _call(app_client, method, url, body, staff[role])
        assert response.status_code == 403, (role, method, url)
        assert response.json()["code"] == "auth.forbidden"


@pytest.mark.parametrize("role", ["nangang", "other_worker"])
def test_another_districts_task_is_404(app_client, staff, task_id, role):
    for method, url, body in routes(task_id)["screen"]:
        response = _call(app_client, method, url, body, staff[role])
        assert response.status_code == 404, (role, method, url)
        assert response.json()["code"] == "arrival.task_not_found"


def test_lists_and_figures_show_nothing_of_another_district(app_client, staff, task_id):
    tasks = app_client.get(f"{API}/tasks", headers=staff["nangang"]).json()["items"]
    assert len(tasks) == 2 and {t["grid_code"] for t in tasks} == {OTHER_GRID}
    for path in ("overview", "figures", "accountability"):
        body = app_client.get(f"{API}/{path}", headers=staff["nangang"]).text
        assert "230102" not in body, path
    overdue = app_client.get(f"{API}/overdue", params={"region": "230102"},
                             headers=staff["nangang"])  # fmt: skip
    assert overdue.status_code == 422


def test_pages_need_a_login_and_the_permission(app_client, session, staff):
    from factories import make_user, web_login

    for page in PAGES:
        response = app_client.get(page, follow_redirects=False)
        assert response.status_code in {302, 303, 401}, page
    inspector = make_user(session, role="inspector", region_code="230102")
    session.commit()
    web_login(app_client, inspector.username)
    for page in PAGES:
        assert app_client.get(page).status_code == 403, page
