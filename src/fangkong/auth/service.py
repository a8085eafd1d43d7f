"""Verbs of the auth domain: create and change users, log in and out, second factor.

Services flush and never commit; the request, CLI command or job owns the transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import pyotp
from sqlalchemy import select
from sqlalchemy.orm import Session

from fangkong.audit import service as audit
from fangkong.auth import repository
from fangkong.auth.errors import (
    AccountNotManageable,
    DuplicateUsername,
    InvalidCredentials,
    InvalidOtp,
    LockedOut,
    OtpRequired,
    RegionLevelMismatch,
    RoleNotAssignable,
    TotpEnrolmentRequired,
)
from fangkong.auth.permissions import (
    ROLE_LEVELS,
    Role,
    may_assign,
    may_manage,
    permissions_of,
    requires_totp,
)
from fangkong.auth.schemas import UserCreate, UserFilters, UserUpdate
from fangkong.config import Settings
from fangkong.core import clock, security
from fangkong.core.errors import NotFound
from fangkong.core.pagination import PageParams
from fangkong.core.principal import Principal
from fangkong.models import LoginAttempt, User, WebSession
from fangkong.regions import service as regions

TOTP_ISSUER = "fangkong"
SESSION_TOUCH_SECONDS = 60
AUDITED_FIELDS = ("username", "display_name", "role", "region_code", "is_active", "locale")


def principal_of(user: User) -> Principal:
    return Principal(
        id=user.id,
        username=user.username,
        role=user.role,
        region_code=user.region_code,
        permissions=permissions_of(user.role),
        locale=user.locale,
    )


def snapshot(user: User) -> dict[str, Any]:
    return {field: getattr(user, field) for field in AUDITED_FIELDS} | {
        "totp_enabled": user.totp_enabled
    }


def _check_placement(session: Session, actor: Principal, role: str, region_code: str) -> None:
    if actor.role != "system" and not may_assign(actor.role, role):
        raise RoleNotAssignable()
    region = regions.require_region(session, actor=actor, code=region_code)
    levels = ROLE_LEVELS.get(Role(role))
    if levels is not None and region.level not in levels:
        raise RegionLevelMismatch()


def create_user(
    session: Session,
    *,
    actor: Principal,
    settings: Settings,
    data: UserCreate,
    is_demo: bool = False,
) -> tuple[User, str | None]:
    """Create a user inside the actor's jurisdiction; returns the otpauth URI when enrolled."""
    _check_placement(session, actor, data.role, data.region_code)
    if repository.by_username(session, data.username) is not None:
        raise DuplicateUsername()
    user = User(
        username=data.username,
        display_name=data.display_name,
        role=data.role.value,
        region_code=data.region_code,
        locale=data.locale,
        password_hash=security.hash_password(data.password.get_secret_value()),
        is_demo=is_demo,
    )
    uri = None if is_demo or not requires_totp(data.role) else _enrol(user, settings)
    session.add(user)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="user.create",
        object_type="user",
        object_id=user.id,
        region_code=user.region_code,
        after=snapshot(user),
    )
    return user, uri


def _enrol(user: User, settings: Settings) -> str:
    secret = pyotp.random_base32()
    user.totp_secret = security.encrypt(settings.data_key_bytes, secret.encode(), context=b"totp")
    user.totp_last_step = 0
    return pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=TOTP_ISSUER)


def manageable_user(session: Session, *, actor: Principal, user_id: int) -> User:
    """A user the actor may change: in scope, of a lower rank, and not the actor."""
    user = get_user(session, actor=actor, user_id=user_id)
    if user.id == actor.id or not may_manage(actor.role, user.role):
        raise AccountNotManageable()
    return user


def enrol_totp(session: Session, *, actor: Principal, settings: Settings, user_id: int) -> str:
    """(Re-)enrol a second factor; the URI is shown once. Old codes, tokens and sessions end."""
    user = manageable_user(session, actor=actor, user_id=user_id)
    before = snapshot(user)
    uri = _enrol(user, settings)
    user.token_epoch += 1
    repository.delete_sessions_of(session, user.id)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="user.enrol_totp",
        object_type="user",
        object_id=user.id,
        region_code=user.region_code,
        before=before,
        after=snapshot(user) | {"totp_reenrolled": True},
    )
    return uri


def list_users(
    session: Session, *, actor: Principal, filters: UserFilters, page: PageParams
) -> tuple[Sequence[User], str | None]:
    return repository.page(session, actor, filters, page)


def get_user(session: Session, *, actor: Principal, user_id: int) -> User:
    user = repository.get_readable(session, actor, user_id)
    if user is None:
        raise NotFound()
    return user


def update_user(session: Session, *, actor: Principal, user_id: int, changes: UserUpdate) -> User:
    user = manageable_user(session, actor=actor, user_id=user_id)
    before = snapshot(user)
    _apply_changes(session, actor, user, changes)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="user.update",
        object_type="user",
        object_id=user.id,
        region_code=user.region_code,
        before=before,
        after=snapshot(user) | ({"password_changed": True} if changes.password else {}),
    )
    return user


def _apply_changes(session: Session, actor: Principal, user: User, changes: UserUpdate) -> None:
    fields = changes.model_dump(exclude_unset=True, exclude={"password"})
    role = fields.get("role", user.role)
    region_code = fields.get("region_code", user.region_code)
    if "role" in fields or "region_code" in fields:
        _check_placement(session, actor, role, region_code)
    for name, value in fields.items():
        setattr(user, name, value.value if isinstance(value, Role) else value)
    if changes.password is not None:
        user.password_hash = security.hash_password(changes.password.get_secret_value())
    if fields.keys() & {"role", "region_code", "is_active"} or changes.password is not None:
        user.token_epoch += 1
        repository.delete_sessions_of(session, user.id)


def authenticate(
    session: Session, *, settings: Settings, username: str, password: str, otp: str | None
) -> User:
    """Check password and second factor, with lockout. Failures are recorded before raising;
    the caller commits them even though the request fails (``auth.api.issue_token``)."""
    if "\x00" in username:  # no account has one, and PostgreSQL text cannot even record it
        raise InvalidCredentials()
    repository.lock_login(session, username)
    window_start = clock.now() - timedelta(minutes=settings.login_failure_window_minutes)
    if repository.failures_since(session, username, window_start) >= settings.login_max_failures:
        raise LockedOut()
    user = repository.by_username(session, username)
    password_hash = user.password_hash if user else security.dummy_password_hash()
    if not security.verify_password(password_hash, password) or user is None or not user.is_active:
        _fail(session, username)
        raise InvalidCredentials()
    _check_second_factor(session, settings, user, otp)
    _succeed(session, user, password)
    return user


def _check_second_factor(session: Session, settings: Settings, user: User, otp: str | None) -> None:
    if user.totp_secret is None:
        if requires_totp(user.role) and settings.env == "production":
            raise TotpEnrolmentRequired()
        return
    if not otp:
        raise OtpRequired()
    secret = security.decrypt(settings.data_key_bytes, user.totp_secret, context=b"totp")
    step = _matching_step(pyotp.TOTP(secret.decode()), otp.strip())
    if step is None or not repository.claim_totp_step(session, user.id, step):
        _fail(session, user.username)
        raise InvalidOtp()


def _matching_step(totp: pyotp.TOTP, otp: str) -> int | None:
    """The time step the code belongs to (one step of drift allowed), so it cannot be replayed."""
    now = clock.now()
    for drift in (0, -1, 1):
        moment = now + timedelta(seconds=drift * totp.interval)
        if totp.verify(otp, for_time=moment):
            return int(totp.timecode(moment))
    return None


def _fail(session: Session, username: str) -> None:
    session.add(LoginAttempt(username=username[:64], succeeded=False))
    session.flush()


def _succeed(session: Session, user: User, password: str) -> None:
    repository.clear_failures(session, user.username)
    if security.needs_rehash(user.password_hash):
        user.password_hash = security.hash_password(password)
    user.last_login_at = clock.now()
    audit.record(
        session,
        actor=principal_of(user),
        action="auth.login",
        object_type="user",
        object_id=user.id,
        region_code=user.region_code,
    )
    session.flush()


def start_web_session(session: Session, *, user: User) -> str:
    """Open a browser session; returns the raw token for the cookie (only its hash is stored)."""
    token = security.new_token()
    session.add(WebSession(token_hash=security.sha256_hex(token), user_id=user.id))
    session.flush()
    return token


def resolve_web_session(session: Session, *, settings: Settings, token: str) -> Principal | None:
    """The session's user, or None when unknown, idle past the limit, or the user is inactive."""
    found = repository.web_session(session, security.sha256_hex(token))
    if found is None:
        return None
    web, user = found[0], found[1]
    now = clock.now()
    if (
        now - web.last_seen_at > timedelta(minutes=settings.session_idle_minutes)
        or not user.is_active
    ):
        repository.delete_web_session(session, web.token_hash)
        return None
    if (now - web.last_seen_at).total_seconds() > SESSION_TOUCH_SECONDS:
        web.last_seen_at = now
    return principal_of(user)


def end_web_session(session: Session, *, actor: Principal, token: str) -> None:
    repository.delete_web_session(session, security.sha256_hex(token))
    audit.record(
        session,
        actor=actor,
        action="auth.logout",
        object_type="user",
        object_id=actor.id or 0,
        region_code=actor.region_code,
    )


def purge_stale(session: Session, *, settings: Settings) -> dict[str, int]:
    """Delete idle web sessions, and login attempts past ``retention_login_attempts_days``
    (job ``auth.purge``; the nightly ``purge`` applies the same windows)."""
    now = clock.now()
    idle = now - timedelta(minutes=settings.session_idle_minutes)
    attempts = now - timedelta(days=settings.retention_login_attempts_days)
    return {
        "sessions": repository.purge_idle_sessions(session, idle),
        "login_attempts": repository.purge_attempts(session, attempts),
    }


def has_demo_users(session: Session) -> bool:
    return repository.demo_user_count(session) > 0


def reencrypt_totp_secrets(session: Session, *, old_key: bytes, new_key: bytes) -> int:
    """Re-encrypt every second-factor secret under a new data key (``people rotate-key``).

    Part of the caller's transaction: a failure leaves every secret under the old key."""
    users = session.scalars(select(User).where(User.totp_secret.is_not(None))).all()
    for user in users:
        if user.totp_secret is not None:
            secret = security.decrypt(old_key, user.totp_secret, context=b"totp")
            user.totp_secret = security.encrypt(new_key, secret, context=b"totp")
    session.flush()
    return len(users)
