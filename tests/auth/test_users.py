"""``/api/v1/users``: create inside the jurisdiction (with audit and TOTP enrolment), reject bad
input without writing anything, list with filters and cursor pages, change with audit."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pyotp
import pytest
from sqlalchemy import func, select

from factories import PASSWORD, auth_headers, make_tree, make_user, totp_secret_of
from fangkong.auth.permissions import requires_totp
from fangkong.core import clock, security
from fangkong.models import AuditLog, User

USERS = "/api/v1/users"
NEW_PASSWORD = "a-good-password-1"


def assert_problem(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert (body["code"], body["status"]) == (code, status)
    return body


def counts(session) -> tuple[int, int]:
    users = session.scalar(select(func.count()).select_from(User))
    audits = session.scalar(select(func.count()).select_from(AuditLog))
    return users, audits


def audit_rows(session, action: str, user_id: int) -> list[AuditLog]:
    statement = (
        select(AuditLog)
        .where(AuditLog.action == action, AuditLog.object_id == str(user_id))
        .order_by(AuditLog.id)
    )
    return list(session.scalars(statement))


def new_user(**overrides) -> dict:
    return {
        "username": "new-user",
        "display_name": "新用户",
        "role": "sampler",
        "region_code": "230102",
        "password": NEW_PASSWORD,
    } | overrides


@pytest.fixture
def tree(session):
    return make_tree(session)  # street 230102001, community 230102001002, grid 230102001002003


@pytest.fixture
def officer(session, tree):
    user = make_user(session, role="district_officer", region_code="230102")
    session.commit()
    return user


@pytest.fixture
def headers(settings, officer):
    return auth_headers(settings, officer)


# --- create ------------------------------------------------------------------------------

# Where each role may sit (ROLE_LEVELS); roles not listed there go to the grid.
REGION_OF_ROLE = {
    "district_officer": "230102",
    "street_officer": "230102001",
    "grid_worker": "230102001002",
}


def _region_for(role: str) -> str:
    return REGION_OF_ROLE.get(role, "230102001002003")


@pytest.mark.parametrize(
    "role",
    ["sampler", "citizen", "epidemiologist", "grid_worker", "street_officer", "district_officer"],
)
def test_create_user_in_own_district(app_client, session, headers, role):
    region = _region_for(role)
    response = app_client.post(USERS, json=new_user(role=role, region_code=region), headers=headers)
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["username"], body["role"], body["region_code"]) == ("new-user", role, region)
    assert body["is_active"] is True and body["display_name"] == "新用户"
    assert body["totp_enabled"] is requires_totp(role)
    if requires_totp(role):
        assert body["otpauth_uri"].startswith("otpauth://totp/")
        assert "issuer=fangkong" in body["otpauth_uri"]
    else:
        assert body["otpauth_uri"] is None
    stored = session.get(User, body["id"])
    assert stored.password_hash.startswith("$argon2") and NEW_PASSWORD not in stored.password_hash


def test_create_writes_a_masked_audit_row(app_client, session, officer, headers):
    response = app_client.post(USERS, json=new_user(role="epidemiologist"), headers=headers)
    created = response.json()
    [row] = audit_rows(session, "user.create", created["id"])
    assert (row.actor_id, row.actor_name) == (officer.id, officer.username)
    assert (row.object_type, row.region_code) == ("user", "230102")
    assert row.before is None
    assert row.after == {
        "username": "new-user",
        "display_name": "新用户",
        "role": "epidemiologist",
        "region_code": "230102",
        "is_active": True,
        "locale": None,
        "totp_enabled": True,
    }
    stored = session.get(User, created["id"])
    text = json.dumps(row.after, ensure_ascii=False)
    assert stored.password_hash not in text and NEW_PASSWORD not in text
    assert totp_secret_of(created["otpauth_uri"]) not in text


def test_enrolled_second_factor_is_the_one_login_checks(app_client, headers):
    created = app_client.post(USERS, json=new_user(role="epidemiologist"), headers=headers)
    uri = created.json()["otpauth_uri"]
    at = datetime(2022, 6, 1, 8, 0, tzinfo=UTC)
    form = {"username": "new-user", "password": NEW_PASSWORD}
    with clock.frozen(at):
        missing = app_client.post("/api/v1/auth/token", data=form)
        assert_problem(missing, 401, "auth.otp_required")
        code = pyotp.TOTP(totp_secret_of(uri)).at(at)
        response = app_client.post("/api/v1/auth/token", data=form | {"otp": code})
    assert response.status_code == 200, response.text


def test_city_admin_may_create_a_city_admin(app_client, session, settings):
    admin = make_user(session, role="city_admin", region_code="230100")
    session.commit()
    body = new_user(role="city_admin", region_code="230100")
    response = app_client.post(USERS, json=body, headers=auth_headers(settings, admin))
    assert response.status_code == 201, response.text
    assert response.json()["otpauth_uri"].startswith("otpauth://")


# --- bad input writes nothing ------------------------------------------------------------

ACTORS = {
    "district": ("district_officer", "230102"),
    "street": ("street_officer", "230102001"),
    "city": ("city_admin", "230100"),
}
BAD_CREATES = {
    "duplicate_username": ("district", {"username": "taken"}, 409, "user.duplicate_username"),
    "unknown_region": ("district", {"region_code": "230102999"}, 422, "region.unknown"),
    "other_district": ("district", {"region_code": "230103"}, 422, "region.unknown"),
    "city_from_district": ("district", {"region_code": "230100"}, 422, "region.unknown"),
    "outside_street": ("street", {"region_code": "230102"}, 422, "region.unknown"),
    "street_creates_district_officer": (
        "street",
        {"role": "district_officer", "region_code": "230102"},
        403,
        "user.role_not_assignable",
    ),
    "street_creates_epidemiologist": (
        "street",
        {"role": "epidemiologist", "region_code": "230102001"},
        403,
        "user.role_not_assignable",
    ),
    "district_creates_city_admin": (
        "district",
        {"role": "city_admin", "region_code": "230102"},
        403,
        "user.role_not_assignable",
    ),
    "district_officer_at_city": (
        "city",
        {"role": "district_officer", "region_code": "230100"},
        422,
        "user.region_level_mismatch",
    ),
    "street_officer_at_district": (
        "district",
        {"role": "street_officer", "region_code": "230102"},
        422,
        "user.region_level_mismatch",
    ),
    "grid_worker_at_district": (
        "district",
        {"role": "grid_worker", "region_code": "230102"},
        422,
        "user.region_level_mismatch",
    ),
    "username_too_long": ("district", {"username": "u" * 65}, 422, "request.invalid"),
    "username_too_short": ("district", {"username": "ab"}, 422, "request.invalid"),
    "username_uppercase": ("district", {"username": "NewUser"}, 422, "request.invalid"),
    "username_with_space": ("district", {"username": "new user"}, 422, "request.invalid"),
    "display_name_too_long": ("district", {"display_name": "名" * 65}, 422, "request.invalid"),
    "display_name_blank": ("district", {"display_name": "   "}, 422, "request.invalid"),
    "password_too_short": ("district", {"password": "x" * 9}, 422, "request.invalid"),
    "password_too_long": ("district", {"password": "x" * 129}, 422, "request.invalid"),
    "role_unknown": ("district", {"role": "superuser"}, 422, "request.invalid"),
    "role_wrong_type": ("district", {"role": 5}, 422, "request.invalid"),
    "region_wrong_type": ("district", {"region_code": 230102}, 422, "request.invalid"),
    "region_malformed": ("district", {"region_code": "2301021"}, 422, "request.invalid"),
    "username_wrong_type": ("district", {"username": ["new-user"]}, 422, "request.invalid"),
    "locale_unknown": ("district", {"locale": "fr"}, 422, "request.invalid"),
    "extra_field": ("district", {"is_admin": True}, 422, "request.invalid"),
    "password_missing": ("district", {"password": None}, 422, "request.invalid"),
}


@pytest.mark.parametrize("case", BAD_CREATES.keys())
def test_bad_create_answers_problem_and_writes_nothing(app_client, session, settings, tree, case):
    actor_key, overrides, status, code = BAD_CREATES[case]
    role, region = ACTORS[actor_key]
    actor = make_user(session, role=role, region_code=region)
    make_user(session, role="sampler", username="taken")
    session.commit()
    body = {k: v for k, v in new_user(**overrides).items() if v is not None}
    before = counts(session)
    response = app_client.post(USERS, json=body, headers=auth_headers(settings, actor))
    problem = assert_problem(response, status, code)
    if code == "request.invalid":
        assert problem["errors"], problem
    assert counts(session) == before


@pytest.mark.parametrize(
    "raw",
    ['{"username": "new-user",', "not json", "[]", '"a string"', ""],
    ids=["truncated", "not_json", "array", "string", "empty"],
)
def test_malformed_json_body(app_client, session, headers, raw):
    before = counts(session)
    response = app_client.post(
        USERS, content=raw.encode(), headers=headers | {"Content-Type": "application/json"}
    )
    assert_problem(response, 422, "request.invalid")
    assert counts(session) == before


def test_errors_name_the_offending_field(app_client, headers):
    response = app_client.post(USERS, json=new_user(password="short"), headers=headers)
    body = assert_problem(response, 422, "request.invalid")
    assert [e["field"] for e in body["errors"]] == ["body.password"]


# --- list --------------------------------------------------------------------------------


def _list(client, headers, **params) -> dict:
    response = client.get(USERS, params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def _names(page: dict) -> set[str]:
    return {item["username"] for item in page["items"]}


@pytest.fixture
def population(session, officer):
    """Users in and around 道里区 (230102); the officer sees only the ones inside."""
    inside = {
        "alpha-1": ("sampler", "230102001"),
        "alpha-2": ("epidemiologist", "230102"),
        "a_b-1": ("sampler", "230102001002003"),
        "axb-1": ("citizen", "230102001002"),
        "beta-1": ("sampler", "230102"),
    }
    for name, (role, region) in inside.items():
        make_user(session, username=name, role=role, region_code=region)
    make_user(session, username="alpha-9", role="sampler", region_code="230103")
    make_user(session, username="alpha-city", role="city_admin", region_code="230100")
    make_user(session, username="beta-off", role="sampler", region_code="230102", is_active=False)
    session.commit()
    return set(inside) | {"beta-off", officer.username}


def test_list_shows_only_the_jurisdiction(app_client, headers, population):
    page = _list(app_client, headers)
    assert _names(page) == population
    assert page["next_cursor"] is None
    assert {item["region_code"][:6] for item in page["items"]} == {"230102"}


def test_list_filters(app_client, headers, population):
    assert _names(_list(app_client, headers, q="alpha")) == {"alpha-1", "alpha-2"}
    assert _names(_list(app_client, headers, q="a_b")) == {"a_b-1"}  # "_" is no wildcard
    assert _names(_list(app_client, headers, q="%")) == set()
    assert _names(_list(app_client, headers, role="sampler")) == {
        "alpha-1",
        "a_b-1",
        "beta-1",
        "beta-off",
    }
    assert _names(_list(app_client, headers, region="230102001")) == {"alpha-1", "a_b-1", "axb-1"}
    assert _names(_list(app_client, headers, region="230102001002003")) == {"a_b-1"}
    assert _names(_list(app_client, headers, active="false")) == {"beta-off"}
    assert _names(_list(app_client, headers, q="beta", active="true")) == {"beta-1"}
    assert _names(_list(app_client, headers, q="alpha", role="epidemiologist")) == {"alpha-2"}


def test_list_pages_with_cursor(app_client, session, headers, officer):
    for i in range(8):
        make_user(session, username=f"page-{i:02d}", role="sampler", region_code="230102")
    make_user(session, username="page-other", role="sampler", region_code="230104")
    session.commit()
    seen: list[str] = []
    pages = 0
    cursor = None
    while True:
        params = {"limit": 3} | ({"cursor": cursor} if cursor else {})
        page = _list(app_client, headers, **params)
        assert 1 <= len(page["items"]) <= 3
        seen += [item["username"] for item in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert pages == 3  # 9 users, 3 a page: no empty page at the end
    assert len(seen) == len(set(seen))
    assert set(seen) == {f"page-{i:02d}" for i in range(8)} | {officer.username}
    ids = [u["id"] for u in _list(app_client, headers, limit=500)["items"]]
    assert ids == sorted(ids)


def test_cursor_survives_filters(app_client, session, headers, population):
    first = _list(app_client, headers, role="sampler", limit=2)
    assert len(first["items"]) == 2 and first["next_cursor"]
    rest = _list(app_client, headers, role="sampler", limit=2, cursor=first["next_cursor"])
    assert _names(first) | _names(rest) == {"alpha-1", "a_b-1", "beta-1", "beta-off"}
    assert not _names(first) & _names(rest)
    assert rest["next_cursor"] is None


@pytest.mark.parametrize("cursor", ["not-a-cursor!", "e30", "W10", "WzEsMl0", "%%%"])
def test_invalid_cursor(app_client, headers, cursor):
    response = app_client.get(USERS, params={"cursor": cursor}, headers=headers)
    assert_problem(response, 422, "pagination.invalid_cursor")


@pytest.mark.parametrize(
    "params",
    [
        {"limit": 0},
        {"limit": 501},
        {"limit": -1},
        {"limit": "x"},
        {"cursor": "c" * 201},
        {"region": "23x"},
        {"q": "q" * 65},
        {"active": "maybe"},
    ],
)
def test_invalid_list_parameters(app_client, headers, params):
    body = assert_problem(
        app_client.get(USERS, params=params, headers=headers), 422, "request.invalid"
    )
    assert body["errors"][0]["field"] == "query." + next(iter(params))


def test_limit_bounds_are_inclusive(app_client, headers, population):
    assert len(_list(app_client, headers, limit=1)["items"]) == 1
    assert _names(_list(app_client, headers, limit=500)) == population


# --- get and change ----------------------------------------------------------------------


@pytest.fixture
def sampler(session, officer):
    user = make_user(session, role="sampler", region_code="230102", username="sampler-1")
    session.commit()
    return user


def test_get_user(app_client, headers, sampler):
    body = app_client.get(f"{USERS}/{sampler.id}", headers=headers).json()
    assert (body["id"], body["username"], body["role"]) == (sampler.id, "sampler-1", "sampler")
    assert "password_hash" not in body and "totp_secret" not in body
    assert_problem(app_client.get(f"{USERS}/987654321", headers=headers), 404, "not_found")


def test_patch_changes_role_region_active_with_audit(
    app_client, session, officer, headers, sampler
):
    epoch = sampler.token_epoch
    changes = {"role": "epidemiologist", "region_code": "230102001", "is_active": False}
    response = app_client.patch(f"{USERS}/{sampler.id}", json=changes, headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["role"], body["region_code"], body["is_active"]) == (
        "epidemiologist",
        "230102001",
        False,
    )
    session.expire_all()
    stored = session.get(User, sampler.id)
    assert (stored.role, stored.region_code, stored.is_active) == (
        "epidemiologist",
        "230102001",
        False,
    )
    assert stored.token_epoch == epoch + 1
    [row] = audit_rows(session, "user.update", sampler.id)
    assert row.actor_id == officer.id
    changed = {k: (row.before[k], row.after[k]) for k in row.after if row.before[k] != row.after[k]}
    assert changed == {
        "role": ("sampler", "epidemiologist"),
        "region_code": ("230102", "230102001"),
        "is_active": (True, False),
    }


def test_patch_password_is_not_audited_in_clear(app_client, session, headers, sampler):
    response = app_client.patch(
        f"{USERS}/{sampler.id}", json={"password": NEW_PASSWORD}, headers=headers
    )
    assert response.status_code == 200
    session.expire_all()
    stored = session.get(User, sampler.id)
    assert security.verify_password(stored.password_hash, NEW_PASSWORD)
    [row] = audit_rows(session, "user.update", sampler.id)
    text = json.dumps([row.before, row.after])
    assert NEW_PASSWORD not in text and stored.password_hash not in text and "$argon2" not in text


def test_patch_locale_may_be_cleared(app_client, session, headers, sampler):
    url = f"{USERS}/{sampler.id}"
    assert app_client.patch(url, json={"locale": "en"}, headers=headers).json()["locale"] == "en"
    assert app_client.patch(url, json={"locale": None}, headers=headers).json()["locale"] is None


BAD_PATCHES = {
    "other_district": ({"region_code": "230103"}, 422, "region.unknown"),
    "city": ({"region_code": "230100"}, 422, "region.unknown"),
    "role_not_assignable": ({"role": "city_admin"}, 403, "user.role_not_assignable"),
    "level_mismatch": ({"role": "street_officer"}, 422, "user.region_level_mismatch"),
    "null_role": ({"role": None}, 422, "request.invalid"),
    "null_active": ({"is_active": None}, 422, "request.invalid"),
    "null_display_name": ({"display_name": None}, 422, "request.invalid"),
    "null_region": ({"region_code": None}, 422, "request.invalid"),
    "null_password": ({"password": None}, 422, "request.invalid"),
    "short_password": ({"password": "short"}, 422, "request.invalid"),
    "active_wrong_type": ({"is_active": "perhaps"}, 422, "request.invalid"),
    "extra_field": ({"token_epoch": 0}, 422, "request.invalid"),
    "username_not_changeable": ({"username": "renamed"}, 422, "request.invalid"),
}


@pytest.mark.parametrize("case", BAD_PATCHES.keys())
def test_bad_patch_changes_nothing(app_client, session, headers, sampler, case):
    changes, status, code = BAD_PATCHES[case]
    before = counts(session)
    epoch = sampler.token_epoch
    response = app_client.patch(f"{USERS}/{sampler.id}", json=changes, headers=headers)
    assert_problem(response, status, code)
    assert counts(session) == before
    session.expire_all()
    stored = session.get(User, sampler.id)
    assert (stored.role, stored.region_code, stored.is_active, stored.token_epoch) == (
        "sampler",
        "230102",
        True,
        epoch,
    )


def test_street_officer_may_not_change_a_role_it_cannot_assign(app_client, session, settings, tree):
    street = make_user(session, role="street_officer", region_code="230102001")
    epi = make_user(session, role="epidemiologist", region_code="230102001")
    grid = make_user(session, role="grid_worker", region_code="230102001")
    session.commit()
    headers = auth_headers(settings, street)
    response = app_client.patch(f"{USERS}/{epi.id}", json={"is_active": False}, headers=headers)
    assert_problem(response, 403, "user.not_manageable")
    response = app_client.patch(
        f"{USERS}/{grid.id}", json={"role": "epidemiologist"}, headers=headers
    )
    assert_problem(response, 403, "user.role_not_assignable")
    response = app_client.patch(f"{USERS}/{grid.id}", json={"role": "sampler"}, headers=headers)
    assert response.status_code == 200 and response.json()["role"] == "sampler"


def test_deactivated_user_cannot_log_in(app_client, headers, sampler):
    app_client.patch(f"{USERS}/{sampler.id}", json={"is_active": False}, headers=headers)
    response = app_client.post(
        "/api/v1/auth/token", data={"username": sampler.username, "password": PASSWORD}
    )
    assert_problem(response, 401, "auth.invalid_credentials")


def test_an_officer_cannot_take_over_a_peer_or_recredential_themselves(
    app_client, session, settings
):
    """Peers of one rank (and oneself) are not manageable: no password or second-factor reset."""
    own = make_user(session, role="district_officer", region_code="230102", username="off-a")
    peer = make_user(session, role="district_officer", region_code="230102", username="off-b")
    session.commit()
    headers = auth_headers(settings, own)
    before = counts(session)
    for target in (peer, own):
        reset = app_client.patch(
            f"{USERS}/{target.id}", json={"password": "attacker-pass-1"}, headers=headers
        )
        assert_problem(reset, 403, "user.not_manageable")
        totp = app_client.post(f"{USERS}/{target.id}/totp", headers=headers)
        assert_problem(totp, 403, "user.not_manageable")
        off = app_client.patch(f"{USERS}/{target.id}", json={"is_active": False}, headers=headers)
        assert_problem(off, 403, "user.not_manageable")
    assert counts(session) == before


def test_managers_manage_lower_ranks_and_resets_are_audited(app_client, session, settings):
    admin = make_user(session, role="city_admin", region_code="230100", username="chief")
    officer = make_user(session, role="district_officer", region_code="230102", username="off-c")
    session.commit()
    response = app_client.patch(
        f"{USERS}/{officer.id}",
        json={"password": "a-new-password-1"},
        headers=auth_headers(settings, admin),
    )
    assert response.status_code == 200
    row = session.scalars(select(AuditLog).where(AuditLog.action == "user.update")).all()[-1]
    assert row.after["password_changed"] is True and "password" not in row.after
    enrolled = app_client.post(f"{USERS}/{officer.id}/totp", headers=auth_headers(settings, admin))
    assert enrolled.status_code == 200
    row = session.scalars(select(AuditLog).where(AuditLog.action == "user.enrol_totp")).all()[-1]
    assert row.after["totp_reenrolled"] is True
