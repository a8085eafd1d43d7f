"""Bearer tokens: ``POST /api/v1/auth/token``, ``GET /api/v1/auth/me``, lockout, second factor,
expiry, forgery, revocation through the token epoch, and the problem+json answers."""

from __future__ import annotations

import base64
import functools
import json
from datetime import UTC, datetime, timedelta

import jwt
import pyotp
import pytest
from cachetools import TTLCache

from factories import PASSWORD, auth_headers, make_tree, make_user
from fangkong.auth import service, tokens
from fangkong.auth.permissions import permissions_of
from fangkong.auth.schemas import UserUpdate
from fangkong.core import clock, security

T0 = datetime(2022, 6, 1, 8, 0, tzinfo=UTC)
TOKEN_URL = "/api/v1/auth/token"
ME_URL = "/api/v1/auth/me"


def assert_problem(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == code
    assert body["status"] == status
    assert body["type"].endswith(code)
    assert body["title"] and body["detail"]
    return body


def login(client, username: str, password: str = PASSWORD, otp: str | None = None, **params):
    data = {"username": username, "password": password}
    if otp is not None:
        data["otp"] = otp
    return client.post(TOKEN_URL, data=data, params=params)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


@pytest.fixture
def settings(settings):
    """Fewer allowed failures than the default, to spare argon2 work; the code reads the setting."""
    return settings.model_copy(update={"login_max_failures": 3})


@pytest.fixture
def sampler(session):
    user = make_user(session, role="sampler", region_code="230102")
    session.commit()
    return user


@pytest.fixture
def officer(session):
    user = make_user(session, role="district_officer", region_code="230102")
    session.commit()
    return user


# --- password login ----------------------------------------------------------------------


def test_right_password_gives_a_bearer_token_for_me(app_client, settings, sampler):
    response = login(app_client, sampler.username)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == settings.access_token_minutes * 60
    me = app_client.get(ME_URL, headers=bearer(body["access_token"]))
    assert me.status_code == 200
    assert me.json() == {
        "id": sampler.id,
        "username": sampler.username,
        "role": "sampler",
        "region_code": "230102",
        "permissions": sorted(permissions_of("sampler")),
        "locale": None,
    }


def test_me_lists_the_permissions_of_the_role(app_client, settings, officer):
    me = app_client.get(ME_URL, headers=auth_headers(settings, officer)).json()
    assert me["role"] == "district_officer"
    assert me["region_code"] == "230102"
    assert me["permissions"] == sorted(permissions_of("district_officer"))
    assert {"users.read", "users.manage"} <= set(me["permissions"])


def test_wrong_password_and_unknown_user_get_the_same_answer(app_client, sampler):
    wrong = assert_problem(
        login(app_client, sampler.username, "not-the-password"), 401, "auth.invalid_credentials"
    )
    unknown = assert_problem(login(app_client, "nobody-here"), 401, "auth.invalid_credentials")
    assert wrong == unknown


def test_inactive_user_cannot_log_in(app_client, session):
    user = make_user(session, role="sampler", is_active=False)
    session.commit()
    assert_problem(login(app_client, user.username), 401, "auth.invalid_credentials")


def test_missing_form_field_is_invalid_input(app_client, sampler):
    response = app_client.post(TOKEN_URL, data={"username": sampler.username})
    body = assert_problem(response, 422, "request.invalid")
    assert any(error["field"].endswith("password") for error in body["errors"])


# --- lockout -----------------------------------------------------------------------------


def test_lockout_after_max_failures_even_with_the_right_password(app_client, settings, sampler):
    with clock.frozen(T0):
        for _ in range(settings.login_max_failures):
            assert_problem(
                login(app_client, sampler.username, "wrong-password"),
                401,
                "auth.invalid_credentials",
            )
        assert_problem(login(app_client, sampler.username), 429, "auth.locked_out")
    window = timedelta(minutes=settings.login_failure_window_minutes)
    with clock.frozen(T0 + window - timedelta(seconds=1)):
        assert_problem(login(app_client, sampler.username), 429, "auth.locked_out")
    with clock.frozen(T0 + window + timedelta(seconds=1)):
        assert login(app_client, sampler.username).status_code == 200


def test_failures_outside_the_window_do_not_lock(app_client, settings, sampler):
    window = timedelta(minutes=settings.login_failure_window_minutes)
    for i in range(settings.login_max_failures):
        # each failure is a window and a bit after the previous one
        with clock.frozen(T0 + i * (window + timedelta(seconds=1))):
            login(app_client, sampler.username, "wrong-password")
    with clock.frozen(T0 + settings.login_max_failures * window):
        assert login(app_client, sampler.username).status_code == 200


def test_success_clears_earlier_failures(app_client, settings, sampler):
    with clock.frozen(T0):
        for _ in range(settings.login_max_failures - 1):
            login(app_client, sampler.username, "wrong-password")
        assert login(app_client, sampler.username).status_code == 200
        # one more failure would reach the limit had the success not cleared the earlier ones
        login(app_client, sampler.username, "wrong-password")
        assert login(app_client, sampler.username).status_code == 200


def test_unknown_usernames_lock_out_alike(app_client, settings):
    with clock.frozen(T0):
        for _ in range(settings.login_max_failures):
            assert_problem(login(app_client, "ghost"), 401, "auth.invalid_credentials")
        assert_problem(login(app_client, "ghost"), 429, "auth.locked_out")


# --- second factor -----------------------------------------------------------------------


@pytest.fixture
def totp_user(session, settings):
    secret = pyotp.random_base32()
    user = make_user(session, role="epidemiologist", totp_secret=secret, settings=settings)
    session.commit()
    return user, pyotp.TOTP(secret)


def wrong_code(totp: pyotp.TOTP, at: datetime) -> str:
    """A six-digit code valid for none of the steps the server accepts at ``at``."""
    steps = (at + timedelta(seconds=totp.interval * drift) for drift in (-1, 0, 1))
    valid = {totp.at(step) for step in steps}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in valid)


def test_second_factor_required_checked_and_not_replayable(app_client, totp_user):
    user, totp = totp_user
    with clock.frozen(T0):
        code = totp.at(T0)
        assert_problem(login(app_client, user.username), 401, "auth.otp_required")
        wrong = wrong_code(totp, T0)
        assert_problem(login(app_client, user.username, otp=wrong), 401, "auth.invalid_otp")
        response = login(app_client, user.username, otp=code)
        assert response.status_code == 200, response.text
        me = app_client.get(ME_URL, headers=bearer(response.json()["access_token"]))
        assert me.json()["username"] == user.username
        assert_problem(login(app_client, user.username, otp=code), 401, "auth.invalid_otp")
    # the next time step's code is fresh and works
    later = T0 + timedelta(seconds=totp.interval)
    with clock.frozen(later):
        assert login(app_client, user.username, otp=totp.at(later)).status_code == 200


def test_code_of_the_previous_step_is_accepted_once(app_client, totp_user):
    user, totp = totp_user
    with clock.frozen(T0):
        previous = totp.at(T0 - timedelta(seconds=totp.interval))
        assert login(app_client, user.username, otp=previous).status_code == 200
        # an older step than the one used last is a replay too
        assert_problem(login(app_client, user.username, otp=previous), 401, "auth.invalid_otp")


def test_wrong_password_with_right_code_is_invalid_credentials(app_client, totp_user):
    user, totp = totp_user
    with clock.frozen(T0):
        response = login(app_client, user.username, "wrong-password", otp=totp.at(T0))
        assert_problem(response, 401, "auth.invalid_credentials")
        # the code was not consumed by the failed attempt
        assert login(app_client, user.username, otp=totp.at(T0)).status_code == 200


def test_wrong_codes_count_towards_lockout(app_client, settings, totp_user):
    user, totp = totp_user
    with clock.frozen(T0):
        for _ in range(settings.login_max_failures):
            login(app_client, user.username, otp=wrong_code(totp, T0))
        assert_problem(login(app_client, user.username, otp=totp.at(T0)), 429, "auth.locked_out")


# --- token validity ----------------------------------------------------------------------


def test_token_expires_after_access_token_minutes(app_client, settings, sampler):
    lifetime = timedelta(minutes=settings.access_token_minutes)
    with clock.frozen(T0):
        token = login(app_client, sampler.username).json()["access_token"]
        assert app_client.get(ME_URL, headers=bearer(token)).status_code == 200
    with clock.frozen(T0 + lifetime - timedelta(seconds=1)):
        assert app_client.get(ME_URL, headers=bearer(token)).status_code == 200
    with clock.frozen(T0 + lifetime):
        assert_problem(app_client.get(ME_URL, headers=bearer(token)), 401, "auth.token_expired")


def test_token_issued_now_is_expired_once_the_clock_moves_on(app_client, settings, sampler):
    headers = auth_headers(settings, sampler)
    later = clock.now() + timedelta(minutes=settings.access_token_minutes, seconds=1)
    with clock.frozen(later):
        assert_problem(app_client.get(ME_URL, headers=headers), 401, "auth.token_expired")


def _claims(user) -> dict:
    issued = clock.now()
    return {
        "sub": str(user.id),
        "typ": "access",
        "ep": user.token_epoch,
        "iat": int(issued.timestamp()),
        "exp": int((issued + timedelta(minutes=5)).timestamp()),
    }


def _forged_tokens(settings, user) -> dict[str, str]:
    claims = _claims(user)
    genuine = tokens.issue(settings, user)
    header, payload, signature = genuine.split(".")
    extended = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    extended["exp"] += 24 * 3600  # a day more than was signed
    none = b64({"alg": "none", "typ": "JWT"})
    other_key = base64.urlsafe_b64decode(security.new_key())
    jwt_key = tokens.signing_key(settings, "jwt")
    return {
        "other_key": jwt.encode(claims, other_key, algorithm="HS256"),
        "raw_secret_key": jwt.encode(claims, settings.secret_key_bytes, algorithm="HS256"),
        "tampered_payload": f"{header}.{b64(extended)}.{signature}",
        "tampered_subject": f"{header}.{b64(claims | {'sub': str(user.id + 1)})}.{signature}",
        "alg_none": f"{none}.{b64(claims)}.",
        "alg_none_with_signature": f"{none}.{b64(claims)}.{signature}",
        "wrong_type": jwt.encode(claims | {"typ": "refresh"}, jwt_key, algorithm="HS256"),
        "non_numeric_sub": jwt.encode(claims | {"sub": "admin"}, jwt_key, algorithm="HS256"),
        "missing_epoch": jwt.encode(
            {k: v for k, v in claims.items() if k != "ep"}, jwt_key, algorithm="HS256"
        ),
        "unknown_user": jwt.encode(claims | {"sub": "987654321"}, jwt_key, algorithm="HS256"),
        "garbage": "not-a-jwt",
    }


FORGERIES = [
    "other_key",
    "raw_secret_key",
    "tampered_payload",
    "tampered_subject",
    "alg_none",
    "alg_none_with_signature",
    "wrong_type",
    "non_numeric_sub",
    "missing_epoch",
    "unknown_user",
    "garbage",
]


@pytest.mark.parametrize("kind", FORGERIES)
def test_forged_tokens_are_invalid(app_client, settings, sampler, kind):
    token = _forged_tokens(settings, sampler)[kind]
    assert_problem(app_client.get(ME_URL, headers=bearer(token)), 401, "auth.token_invalid")


def test_genuine_token_built_like_the_forgeries_is_accepted(app_client, settings, sampler):
    """The forgeries above fail for what was forged, not because of how they were built."""
    token = jwt.encode(_claims(sampler), tokens.signing_key(settings, "jwt"), algorithm="HS256")
    assert app_client.get(ME_URL, headers=bearer(token)).status_code == 200


@pytest.mark.parametrize("header", [None, "Bearer", "Basic dXNlcjpwYXNz", "Token abc"])
def test_no_bearer_credentials_means_auth_required(app_client, header):
    headers = {"Authorization": header} if header else {}
    assert_problem(app_client.get(ME_URL, headers=headers), 401, "auth.required")


# --- revocation: the token epoch and the per-worker cache --------------------------------


def _actor(user):
    return service.principal_of(user)


@pytest.mark.parametrize(
    "changes",
    [
        {"is_active": False},
        {"password": "a-new-password-2"},
        {"role": "epidemiologist"},
        {"region_code": "230102001"},
    ],
    ids=["deactivated", "password", "role", "region"],
)
def test_token_rejected_after_the_user_changes(
    app_client, session, settings, officer, sampler, changes
):
    make_tree(session)  # the street 230102001 for the region change
    session.commit()
    headers = auth_headers(settings, sampler)
    assert app_client.get(ME_URL, headers=headers).status_code == 200
    response = app_client.patch(
        f"/api/v1/users/{sampler.id}", json=changes, headers=auth_headers(settings, officer)
    )
    assert response.status_code == 200, response.text
    app_client.app.state.user_cache.clear()  # skip this worker's few-seconds cache
    assert_problem(app_client.get(ME_URL, headers=headers), 401, "auth.token_invalid")


def test_new_password_works_and_old_one_does_not(app_client, session, settings, officer, sampler):
    service.update_user(
        session,
        actor=_actor(officer),
        user_id=sampler.id,
        changes=UserUpdate(password="a-new-password-2"),
    )
    session.commit()
    assert_problem(login(app_client, sampler.username), 401, "auth.invalid_credentials")
    token = login(app_client, sampler.username, "a-new-password-2").json()["access_token"]
    assert app_client.get(ME_URL, headers=bearer(token)).status_code == 200


def test_display_name_change_keeps_tokens_valid(app_client, session, settings, officer, sampler):
    headers = auth_headers(settings, sampler)
    service.update_user(
        session,
        actor=_actor(officer),
        user_id=sampler.id,
        changes=UserUpdate(display_name="新名字"),
    )
    session.commit()
    app_client.app.state.user_cache.clear()
    assert app_client.get(ME_URL, headers=headers).status_code == 200


class FakeTimer:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_cache_bound_is_what_delays_revocation(
    app_client, session, settings, officer, sampler, monkeypatch
):
    timer = FakeTimer()
    monkeypatch.setattr(tokens, "TTLCache", functools.partial(TTLCache, timer=timer))
    app_client.app.state.user_cache = tokens.UserStateCache(settings.auth_cache_seconds)
    headers = auth_headers(settings, sampler)
    assert app_client.get(ME_URL, headers=headers).status_code == 200  # state now cached
    service.update_user(
        session, actor=_actor(officer), user_id=sampler.id, changes=UserUpdate(is_active=False)
    )
    session.commit()
    timer.now += settings.auth_cache_seconds - 0.1
    assert app_client.get(ME_URL, headers=headers).status_code == 200  # stale, within the bound
    timer.now += 0.2
    assert_problem(app_client.get(ME_URL, headers=headers), 401, "auth.token_invalid")


def test_cache_entry_expiring_between_lookups_does_not_reject(app_client, settings, sampler):
    """A worker's cache entry may run out at any instant; a valid token must still pass."""

    class ExpiringCache(tokens.UserStateCache):
        def __contains__(self, user_id: int) -> bool:
            found = user_id in self._cache
            self.clear()  # the entry's time runs out right after any membership check
            return found

    app_client.app.state.user_cache = ExpiringCache(settings.auth_cache_seconds)
    headers = auth_headers(settings, sampler)
    for _ in range(3):
        assert app_client.get(ME_URL, headers=headers).status_code == 200


# --- problem+json and language -----------------------------------------------------------


def test_titles_follow_the_request_language(app_client, sampler):
    zh = assert_problem(
        login(app_client, sampler.username, "wrong-password"), 401, "auth.invalid_credentials"
    )
    assert zh["title"] == "用户名或密码错误。"
    en = login(app_client, sampler.username, "wrong-password", lang="en").json()
    assert en["title"] == "Wrong username or password."
    assert en["code"] == zh["code"]
    header_en = app_client.get(ME_URL, headers={"Accept-Language": "en-US,en;q=0.9"}).json()
    assert header_en["title"] == "Please log in."
    forced_zh = app_client.get(
        ME_URL, params={"lang": "zh"}, headers={"Accept-Language": "en"}
    ).json()
    assert forced_zh["title"] == "请先登录。"


def test_token_errors_in_english(app_client):
    body = app_client.get(ME_URL, params={"lang": "en"}, headers=bearer("x.y.z")).json()
    assert body == {
        "type": "https://fangkong.invalid/problems/auth.token_invalid",
        "title": "The access token is invalid.",
        "status": 401,
        "detail": "The access token is invalid.",
        "code": "auth.token_invalid",
    }
