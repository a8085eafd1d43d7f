"""Pages: the login form with CSRF, the session cookie, logout, idle expiry, redirects for
anonymous visitors, and the users page with its create form."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from factories import PASSWORD, make_tree, make_user, web_login
from fangkong.auth import service
from fangkong.core import clock, security
from fangkong.models import AuditLog, Base, User, WebSession

T0 = datetime(2022, 6, 1, 8, 0, tzinfo=UTC)
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]*)"')


def csrf_of(html: str) -> str:
    token = CSRF_RE.search(html)
    assert token, "no csrf_token field on the page"
    return token.group(1)


def set_cookies(response) -> dict[str, str]:
    """Set-Cookie headers by cookie name (the whole header line, lower-cased)."""
    return {h.split("=", 1)[0]: h.lower() for h in response.headers.get_list("set-cookie")}


def counts(session) -> tuple[int, int]:
    return (
        session.scalar(select(func.count()).select_from(User)),
        session.scalar(select(func.count()).select_from(AuditLog)),
    )


def error_code(html: str) -> str | None:
    found = re.search(r'role="alert" data-code="([^"]+)"', html)
    return found.group(1) if found else None


@pytest.fixture
def officer(session):
    make_tree(session)
    user = make_user(session, role="district_officer", region_code="230102", username="daoli-off")
    session.commit()
    return user


def sign_in(client, session, user) -> None:
    """Open a session as the login form does after checking the password, minus argon2's cost
    (the form itself is tested above; this is for tests about what a session may do)."""
    client.cookies.set("fk_session", service.start_web_session(session, user=user))
    session.commit()


def post_login(client, username: str, password: str = PASSWORD, **extra):
    token = csrf_of(client.get("/login").text)
    data = {"username": username, "password": password, "csrf_token": token} | extra
    return client.post("/login", data=data, follow_redirects=False)


# --- login form and CSRF -----------------------------------------------------------------


def test_login_page_sets_a_csrf_cookie_and_token(app_client):
    response = app_client.get("/login")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    cookie = set_cookies(response)["fk_csrf"]
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert len(csrf_of(response.text)) == 64
    # the token stays the same while the pre-login cookie does
    assert csrf_of(app_client.get("/login").text) == csrf_of(response.text)


@pytest.mark.parametrize("token", [None, "", "0" * 64, "forged"])
def test_login_without_the_right_csrf_token_is_refused(app_client, session, officer, token):
    app_client.get("/login")
    data = {"username": officer.username, "password": PASSWORD}
    if token is not None:
        data["csrf_token"] = token
    response = app_client.post("/login", data=data, follow_redirects=False)
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("text/html")
    assert error_code(response.text) == "auth.csrf_invalid"
    assert "fk_session" not in set_cookies(response)
    assert session.scalar(select(func.count()).select_from(WebSession)) == 0


def test_csrf_token_of_another_browser_is_refused(app_client, settings, db, officer):
    from fastapi.testclient import TestClient

    with TestClient(app_client.app) as other:
        foreign = csrf_of(other.get("/login").text)
    app_client.get("/login")
    data = {"username": officer.username, "password": PASSWORD, "csrf_token": foreign}
    response = app_client.post("/login", data=data, follow_redirects=False)
    assert response.status_code == 403 and error_code(response.text) == "auth.csrf_invalid"


def test_right_login_sets_an_httponly_lax_session_cookie(app_client, officer):
    response = post_login(app_client, officer.username)
    assert response.status_code == 303
    assert response.headers["location"] == "/"
    cookie = set_cookies(response)["fk_session"]
    assert "httponly" in cookie and "samesite=lax" in cookie and "path=/" in cookie


def test_login_redirects_to_next_but_only_inside_the_site(app_client, officer):
    response = post_login(app_client, officer.username, next="/users")
    assert response.headers["location"] == "/users"
    app_client.cookies.clear()
    response = post_login(app_client, officer.username, next="//evil.example/steal")
    assert response.headers["location"] == "/"


def test_wrong_password_rerenders_the_form(app_client, session, officer):
    response = post_login(app_client, officer.username, "wrong-password")
    assert response.status_code == 401
    assert error_code(response.text) == "auth.invalid_credentials"
    assert f'value="{officer.username}"' in response.text  # the username is kept
    assert csrf_of(response.text)
    assert "fk_session" not in set_cookies(response)
    assert app_client.get("/", follow_redirects=False).status_code == 303


def test_second_factor_on_the_form(app_client, session, settings):
    import pyotp

    secret = pyotp.random_base32()
    user = make_user(session, role="epidemiologist", totp_secret=secret, settings=settings)
    session.commit()
    with clock.frozen(T0):
        missing = post_login(app_client, user.username)
        assert missing.status_code == 401 and error_code(missing.text) == "auth.otp_required"
        ok = post_login(app_client, user.username, otp=pyotp.TOTP(secret).at(T0))
        assert ok.status_code == 303


# --- the session -------------------------------------------------------------------------


def test_home_page_shows_the_role(app_client, session, officer):
    sign_in(app_client, session, officer)
    page = app_client.get("/")
    assert page.status_code == 200
    assert '<strong data-testid="role">区县工作人员</strong>' in page.text
    assert "230102" in page.text
    english = app_client.get("/", params={"lang": "en"})
    assert '<strong data-testid="role">District officer</strong>' in english.text


def test_logout_ends_the_session(app_client, session, officer):
    sign_in(app_client, session, officer)
    cookie = app_client.cookies["fk_session"]
    page = app_client.get("/users")
    assert page.status_code == 200
    response = app_client.post(
        "/logout", data={"csrf_token": csrf_of(page.text)}, follow_redirects=False
    )
    assert response.status_code == 303 and response.headers["location"] == "/login"
    after = app_client.get("/", follow_redirects=False)
    assert after.status_code == 303 and after.headers["location"] == "/login?next=/"
    # the server forgot it too: the old cookie, sent again, opens nothing
    app_client.cookies.set("fk_session", cookie)
    assert app_client.get("/users", follow_redirects=False).status_code == 303


def test_logout_needs_csrf(app_client, session, officer):
    sign_in(app_client, session, officer)
    response = app_client.post("/logout", data={"csrf_token": "nope"}, follow_redirects=False)
    assert response.status_code == 403 and error_code(response.text) == "auth.csrf_invalid"
    assert app_client.get("/users", follow_redirects=False).status_code == 200


@pytest.mark.parametrize(
    ("path", "location"), [("/", "/login?next=/"), ("/users", "/login?next=/users")]
)
def test_anonymous_visitors_are_sent_to_login(app_client, path, location):
    response = app_client.get(path, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == location
    htmx = app_client.get(path, headers={"HX-Request": "true"}, follow_redirects=False)
    assert htmx.status_code == 204 and htmx.headers["hx-redirect"] == location


def test_unknown_session_cookie_is_anonymous(app_client):
    app_client.cookies.set("fk_session", security.new_token())
    assert app_client.get("/", follow_redirects=False).status_code == 303


def test_idle_session_ends(app_client, session, settings, officer):
    idle = timedelta(minutes=settings.session_idle_minutes)
    with clock.frozen(T0):
        sign_in(app_client, session, officer)
    # activity keeps it alive past the idle limit counted from the login ...
    with clock.frozen(T0 + idle - timedelta(minutes=1)):
        assert app_client.get("/users", follow_redirects=False).status_code == 200
    with clock.frozen(T0 + 2 * idle - timedelta(minutes=2)):
        assert app_client.get("/users", follow_redirects=False).status_code == 200
    # ... and more than the limit without a request ends it
    with clock.frozen(T0 + 3 * idle):
        response = app_client.get("/users", follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"] == "/login?next=/users"


def test_session_cookie_is_only_stored_as_its_hash(app_client, session, officer):
    web_login(app_client, officer.username)  # the real form, cookie and all
    assert app_client.get("/users").status_code == 200
    token = app_client.cookies["fk_session"]
    stored = session.scalars(select(WebSession.token_hash)).all()
    assert stored == [security.sha256_hex(token)]
    for table in Base.metadata.sorted_tables:
        for row in session.execute(select(table)):
            assert token not in repr(tuple(row)), table.name


def test_password_change_ends_web_sessions(app_client, session, settings, officer):
    from factories import auth_headers

    other = make_user(session, role="street_officer", region_code="230102001")
    session.commit()
    sign_in(app_client, session, other)
    assert app_client.get("/users", follow_redirects=False).status_code == 200
    response = app_client.patch(
        f"/api/v1/users/{other.id}",
        json={"password": "a-new-pass-1"},
        headers=auth_headers(settings, officer),
    )
    assert response.status_code == 200
    assert app_client.get("/users", follow_redirects=False).status_code == 303


# --- the users page ----------------------------------------------------------------------


def test_users_page_lists_the_jurisdiction(app_client, session, officer):
    make_user(session, role="sampler", region_code="230102001", username="daoli-sampler")
    make_user(session, role="sampler", region_code="230103", username="nangang-sampler")
    session.commit()
    sign_in(app_client, session, officer)
    page = app_client.get("/users")
    assert page.status_code == 200
    assert "daoli-sampler" in page.text and "daoli-off" in page.text
    assert "nangang-sampler" not in page.text
    rows = app_client.get("/users", params={"q": "daoli-s"}, headers={"HX-Request": "true"})
    assert "daoli-sampler" in rows.text and "daoli-off" not in rows.text
    assert "<html" not in rows.text  # a partial for htmx


def test_users_page_needs_users_read(app_client, session):
    sampler = make_user(session, role="sampler", region_code="230102")
    session.commit()
    sign_in(app_client, session, sampler)
    response = app_client.get("/users")
    assert response.status_code == 403 and error_code(response.text) == "auth.forbidden"


def _create_form(client, **fields) -> tuple[dict, str]:
    token = csrf_of(client.get("/users").text)
    data = {
        "username": "form-user",
        "display_name": "表单用户",
        "role": "sampler",
        "region_code": "230102001",
        "password": "a-good-password-1",
        "csrf_token": token,
    } | fields
    return data, token


def test_create_form_creates_a_user(app_client, session, officer):
    sign_in(app_client, session, officer)
    data, _ = _create_form(app_client, role="epidemiologist")
    response = app_client.post("/users", data=data)
    assert response.status_code == 201, response.text
    assert 'data-testid="user-created"' in response.text
    assert "otpauth://totp/" in response.text
    user = session.scalars(select(User).where(User.username == "form-user")).one()
    assert (user.role, user.region_code, user.totp_enabled) == ("epidemiologist", "230102001", True)
    audit = session.scalars(
        select(AuditLog).where(AuditLog.action == "user.create", AuditLog.object_id == str(user.id))
    ).one()
    assert audit.actor_id == officer.id


def test_create_form_for_a_role_without_second_factor(app_client, session, officer):
    sign_in(app_client, session, officer)
    data, _ = _create_form(app_client)
    response = app_client.post("/users", data=data)
    assert response.status_code == 201
    assert "otpauth://" not in response.text


@pytest.mark.parametrize(
    ("fields", "invalid"),
    [
        ({"username": "Bad Name"}, "username"),
        ({"username": "u" * 65}, "username"),
        ({"password": "short"}, "password"),
        ({"region_code": "2301"}, "region_code"),
        ({"display_name": " "}, "display_name"),
    ],
    ids=["username_chars", "username_long", "password_short", "region_format", "name_blank"],
)
def test_create_form_shows_field_errors_and_writes_nothing(
    app_client, session, officer, fields, invalid
):
    sign_in(app_client, session, officer)
    data, _ = _create_form(app_client, **fields)
    before = counts(session)
    response = app_client.post("/users", data=data)
    assert response.status_code == 422
    field = re.search(rf'<input name="{invalid}"[^>]*>', response.text)
    assert field and 'aria-invalid="true"' in field.group(0)
    others = {"username", "display_name", "region_code", "password"} - {invalid}
    for name in others:
        tag = re.search(rf'<input name="{name}"[^>]*>', response.text)
        assert tag and "aria-invalid" not in tag.group(0), name
    assert counts(session) == before
    # what was typed is kept, the password is not echoed
    if invalid != "username":
        assert 'value="form-user"' in response.text
    assert "a-good-password-1" not in response.text


@pytest.mark.parametrize(
    ("fields", "code", "status"),
    [
        ({"username": "daoli-off"}, "user.duplicate_username", 409),
        ({"region_code": "230103"}, "region.unknown", 422),
        ({"role": "city_admin"}, "user.role_not_assignable", 403),
    ],
)
def test_create_form_shows_domain_errors_and_writes_nothing(
    app_client, session, officer, fields, code, status
):
    sign_in(app_client, session, officer)
    data, _ = _create_form(app_client, **fields)
    before = counts(session)
    response = app_client.post("/users", data=data)
    assert response.status_code == status
    assert error_code(response.text) == code
    assert counts(session) == before


def test_create_form_needs_csrf(app_client, session, officer):
    sign_in(app_client, session, officer)
    data, _ = _create_form(app_client, csrf_token="wrong")
    before = counts(session)
    response = app_client.post("/users", data=data)
    assert response.status_code == 403 and error_code(response.text) == "auth.csrf_invalid"
    assert counts(session) == before


def test_users_page_deactivates_and_reactivates_a_user(app_client, session, officer):
    target = make_user(session, role="sampler", region_code="230102001", username="to-toggle")
    session.commit()
    sign_in(app_client, session, officer)
    page = app_client.get("/users")
    assert 'data-testid="toggle-to-toggle"' in page.text
    assert 'data-testid="toggle-daoli-off"' not in page.text  # nobody deactivates themselves
    token = csrf_of(page.text)
    off = app_client.post(
        f"/users/{target.id}/active",
        data={"active": "false", "csrf_token": token},
        follow_redirects=False,
    )
    assert off.status_code == 303
    session.expire_all()
    assert session.get(User, target.id).is_active is False
    audit = session.scalars(select(AuditLog).where(AuditLog.action == "user.update")).all()
    assert audit[-1].before["is_active"] is True and audit[-1].after["is_active"] is False
    on = app_client.post(
        f"/users/{target.id}/active",
        data={"active": "true", "csrf_token": token},
        follow_redirects=False,
    )
    assert on.status_code == 303
    session.expire_all()
    assert session.get(User, target.id).is_active is True


def test_users_page_toggle_needs_csrf_and_refuses_self_and_other_districts(
    app_client, session, officer
):
    other = make_user(session, role="sampler", region_code="230103", username="nangang-sampler")
    session.commit()
    sign_in(app_client, session, officer)
    token = csrf_of(app_client.get("/users").text)
    assert app_client.post(f"/users/{other.id}/active", data={"active": "false"}).status_code == 403
    assert (
        app_client.post(
            f"/users/{officer.id}/active", data={"active": "false", "csrf_token": token}
        ).status_code
        == 403
    )
    assert (
        app_client.post(
            f"/users/{other.id}/active", data={"active": "false", "csrf_token": token}
        ).status_code
        == 404
    )
    session.expire_all()
    assert (
        session.get(User, other.id).is_active is True
        and session.get(User, officer.id).is_active is True
    )


def test_users_page_enrols_a_new_second_factor(app_client, session, officer, settings):
    target = make_user(session, role="grid_worker", region_code="230102001", username="lost-phone")
    session.commit()
    sign_in(app_client, session, officer)
    token = csrf_of(app_client.get("/users").text)
    response = app_client.post(f"/users/{target.id}/totp", data={"csrf_token": token})
    assert response.status_code == 200 and 'data-testid="totp-enrolled"' in response.text
    uri = re.search(r"otpauth://[^<\s]+", response.text).group(0)
    session.expire_all()
    stored = session.get(User, target.id)
    secret = security.decrypt(settings.data_key_bytes, stored.totp_secret, context=b"totp").decode()
    assert f"secret={secret}" in uri.replace("&amp;", "&")


def test_new_second_factor_ends_the_users_browser_sessions(app_client, session, officer):
    target = make_user(session, role="grid_worker", region_code="230102001", username="phone-lost")
    session.commit()
    stolen = service.start_web_session(session, user=target)
    session.commit()
    sign_in(app_client, session, officer)
    token = csrf_of(app_client.get("/users").text)
    assert (
        app_client.post(f"/users/{target.id}/totp", data={"csrf_token": token}).status_code == 200
    )
    session.expire_all()
    assert session.get(WebSession, security.sha256_hex(stolen)) is None


@pytest.mark.parametrize(
    "headers",
    [{"Sec-Fetch-Site": "cross-site"}, {"Origin": "https://evil.example"}],
)
def test_cross_site_form_posts_are_refused_even_with_a_valid_token(app_client, session, headers):
    """Login CSRF with a planted pre-login cookie: the token matches, the browser's origin does not."""
    make_user(session, username="victim-login")
    session.commit()
    token = csrf_of(app_client.get("/login").text)
    data = {"username": "victim-login", "password": PASSWORD, "csrf_token": token}
    response = app_client.post("/login", data=data, headers=headers, follow_redirects=False)
    assert response.status_code == 403 and error_code_of_problem(response) == "auth.csrf_invalid"
    assert "fk_session" not in response.cookies


def error_code_of_problem(response) -> str | None:
    found = re.search(r'data-code="([^"]+)"', response.text)
    return found.group(1) if found else None


def test_same_origin_login_works_and_drops_the_pre_login_cookie(app_client, session):
    make_user(session, username="same-origin")
    session.commit()
    token = csrf_of(app_client.get("/login").text)
    data = {"username": "same-origin", "password": PASSWORD, "csrf_token": token}
    headers = {"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"}
    response = app_client.post("/login", data=data, headers=headers, follow_redirects=False)
    assert response.status_code == 303
    cookies = response.headers.get_list("set-cookie")
    [dropped] = [c for c in cookies if c.startswith("fk_csrf=")]
    assert "Max-Age=0" in dropped
    assert any(c.startswith("fk_session=") for c in cookies)


def test_cookies_are_secure_in_production_by_default(settings):
    assert settings.model_copy(update={"env": "production"}).cookies_secure is True
    assert settings.cookies_secure is False  # test mode
    assert (
        settings.model_copy(update={"env": "production", "secure_cookies": False}).cookies_secure
        is False
    )
