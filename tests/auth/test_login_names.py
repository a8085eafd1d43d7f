"""A login name no account can have is refused as wrong credentials, not stored.

Found by the API fuzz on PostgreSQL: ``username=%00`` reached the login lock and the failure
log, whose text cannot hold NUL, and answered 500.
"""

from __future__ import annotations

from sqlalchemy import func, select

from factories import make_tree, make_user
from fangkong.models import LoginAttempt


def test_a_nul_in_the_username_is_invalid_credentials(app_client, session):
    make_tree(session, "230102")
    make_user(session, username="officer1")
    session.commit()
    for username in ("\x00", "officer1\x00"):
        data = {"username": username, "password": "test-password-1"}
        response = app_client.post("/api/v1/auth/token", data=data)
        assert response.status_code == 401, response.text
        assert response.json()["code"] == "auth.invalid_credentials"
    assert session.scalar(select(func.count()).select_from(LoginAttempt)) == 0


def test_the_login_page_says_wrong_credentials_too(app_client):
    page = app_client.get("/login")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    data = {"username": "\x00", "password": "x", "csrf_token": token}
    response = app_client.post("/login", data=data, follow_redirects=False)
    assert response.status_code in {200, 401}, response.text
    assert 'name="username"' in response.text
