"""User ids are 32-bit (``users.id`` is INTEGER): a larger one is a 422, on every route taking one.

Found by the API fuzz on PostgreSQL, where ``/api/v1/users/2147483648`` reached the driver and
answered 500 (integer out of range); SQLite, with 64-bit integers, hid it.
"""

from __future__ import annotations

TOO_LARGE = 2**31
LARGEST = 2**31 - 1
GRID = "230102001002003"


def _requests(user_id: int) -> list[tuple[str, str, dict | None]]:
    return [
        ("GET", f"/api/v1/users/{user_id}", None),
        ("PATCH", f"/api/v1/users/{user_id}", {}),
        ("POST", f"/api/v1/users/{user_id}/totp", None),
        ("GET", f"/api/v1/people/access-log?user_id={user_id}", None),
        ("GET", f"/api/v1/audit?actor_id={user_id}", None),
        ("POST", f"/api/v1/regions/{GRID}/workers", {"user_id": user_id}),
        ("DELETE", f"/api/v1/regions/{GRID}/workers/{user_id}", None),
    ]


def test_a_user_id_beyond_32_bits_is_invalid_input(app_client, admin):
    for method, url, body in _requests(TOO_LARGE):
        response = app_client.request(method, url, json=body, headers=admin)
        assert response.status_code == 422, (method, url, response.text)
        assert response.json()["code"] == "request.invalid"


def test_the_largest_user_id_is_looked_up(app_client, admin):
    for method, url, body in _requests(LARGEST):
        response = app_client.request(method, url, json=body, headers=admin)
        assert response.status_code in {200, 404, 422}, (method, url, response.text)
        if response.status_code == 422:  # a missing worker is named, not overflowed
            assert response.json()["code"] != "request.invalid", (method, url)
