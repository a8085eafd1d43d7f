"""Inputs that once crashed with a 500 (found in review) now answer 422 and write nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from factories import auth_headers, make_tree, make_user
from fangkong.models import Region, User

HUGE = 10**20


@pytest.fixture
def admin_headers(session, settings):
    make_tree(session)
    user = make_user(session, role="city_admin", region_code="230100")
    session.commit()
    return auth_headers(settings, user)


def assert_422(response, code="request.invalid"):
    assert response.status_code == 422, response.text
    assert response.json()["code"] == code


@pytest.mark.parametrize(
    ("method", "path", "kwargs"),
    [
        ("get", f"/api/v1/users/{HUGE}", {}),
        ("patch", f"/api/v1/users/{HUGE}", {"json": {"display_name": "x"}}),
        ("post", f"/api/v1/users/{HUGE}/totp", {}),
        ("delete", f"/api/v1/regions/230102001002003/workers/{HUGE}", {}),
        ("post", "/api/v1/regions/230102001002003/workers", {"json": {"user_id": HUGE}}),
        ("get", f"/api/v1/audit?actor_id={HUGE}", {}),
        ("get", "/api/v1/audit?since=9999-12-31T23:59:59-23:59", {}),
        ("get", "/api/v1/audit?until=0001-01-01T00:00:00%2B23:59", {}),
    ],
)
def test_out_of_range_numbers_and_times(app_client, admin_headers, method, path, kwargs):
    assert_422(getattr(app_client, method)(path, headers=admin_headers, **kwargs))


def test_cursor_with_a_lone_surrogate(app_client, admin_headers):
    response = app_client.get(
        "/api/v1/regions?parent=230102&cursor=WyJcdWQ4MDAiXQ", headers=admin_headers
    )
    assert_422(response, "pagination.invalid_cursor")


def test_csv_field_over_the_csv_limit_is_unreadable(app_client, session, admin_headers):
    before = session.scalar(select(func.count()).select_from(Region))
    content = "code,name,level,parent_code\n230102009," + "x" * 140_000 + ",street,230102\n"
    files = {"file": ("regions.csv", content.encode(), "text/csv")}
    assert_422(
        app_client.post("/api/v1/regions/import", files=files, headers=admin_headers),
        "import.unreadable_file",
    )
    assert session.scalar(select(func.count()).select_from(Region)) == before


@pytest.mark.parametrize("code", ["230102００９", "230102٠٠٩"])
def test_region_codes_are_ascii_digits_only(app_client, session, admin_headers, code):
    users = session.scalar(select(func.count()).select_from(User))
    region = app_client.post(
        "/api/v1/regions",
        json={"code": code, "name": "全角", "level": "street", "parent_code": "230102"},
        headers=admin_headers,
    )
    assert_422(region)
    user = app_client.post(
        "/api/v1/users",
        json={
            "username": "fullwidth",
            "display_name": "x",
            "role": "sampler",
            "region_code": code,
            "password": "a-good-password-1",
        },
        headers=admin_headers,
    )
    assert_422(user)
    assert session.scalar(select(func.count()).select_from(User)) == users
    assert session.get(Region, code) is None
