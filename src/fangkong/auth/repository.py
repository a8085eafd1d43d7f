"""Queries of users, web sessions and login attempts; user lists start from ``readable``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Row, Select, delete, func, select, update
from sqlalchemy.orm import Session

from fangkong.auth.schemas import UserFilters
from fangkong.core.pagination import PageParams, fetch_page
from fangkong.core.principal import Principal
from fangkong.core.scoping import within
from fangkong.models import LoginAttempt, User, WebSession


def readable(principal: Principal) -> Select[User]:
    return select(User).where(within(User.region_code, principal.region_code))


def get_readable(session: Session, principal: Principal, user_id: int) -> User | None:
    return session.scalars(readable(principal).where(User.id == user_id)).first()


def page(
    session: Session, principal: Principal, filters: UserFilters, params: PageParams
) -> tuple[Sequence[User], str | None]:
    statement = readable(principal)
    if filters.q:
        statement = statement.where(User.username.startswith(filters.q, autoescape=True))
    if filters.role:
        statement = statement.where(User.role == filters.role)
    if filters.region:
        statement = statement.where(within(User.region_code, filters.region))
    if filters.active is not None:
        statement = statement.where(User.is_active == filters.active)
    return fetch_page(session, statement, User.id, params)


def by_username(session: Session, username: str) -> User | None:
    """Unscoped: only login and uniqueness checks may look a user up by name."""
    return session.scalars(select(User).where(User.username == username)).first()


def user_by_id(session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)


def failures_since(session: Session, username: str, since: datetime) -> int:
    statement = select(func.count()).where(
        LoginAttempt.username == username,
        LoginAttempt.succeeded.is_(False),
        LoginAttempt.at >= since,
    )
    return session.scalar(statement) or 0


def clear_failures(session: Session, username: str) -> None:
    session.execute(
        delete(LoginAttempt).where(
            LoginAttempt.username == username, LoginAttempt.succeeded.is_(False)
        )
    )


def web_session(session: Session, token_hash: str) -> Row[WebSession, User] | None:
    statement = (
        select(WebSession, User)
        .join(User, User.id == WebSession.user_id)
        .where(WebSession.token_hash == token_hash)
    )
    return session.execute(statement).first()


def delete_web_session(session: Session, token_hash: str) -> None:
    session.execute(delete(WebSession).where(WebSession.token_hash == token_hash))


def delete_sessions_of(session: Session, user_id: int) -> None:
    session.execute(delete(WebSession).where(WebSession.user_id == user_id))


def purge_idle_sessions(session: Session, idle_before: datetime) -> int:
    result = session.execute(delete(WebSession).where(WebSession.last_seen_at < idle_before))
    return int(getattr(result, "rowcount", 0) or 0)


def purge_attempts(session: Session, before: datetime) -> int:
    result = session.execute(delete(LoginAttempt).where(LoginAttempt.at < before))
    return int(getattr(result, "rowcount", 0) or 0)


def demo_user_count(session: Session) -> int:
    return session.scalar(select(func.count()).where(User.is_demo.is_(True))) or 0


def lock_login(session: Session, username: str) -> None:
    """Serialize logins of one username until the transaction ends, so that parallel guesses
    cannot all read the failure count before any is recorded (PostgreSQL; SQLite transactions
    already take the database's single write lock at BEGIN)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(func.hashtext("login:" + username))))


def claim_totp_step(session: Session, user_id: int, step: int) -> bool:
    """Record ``step`` as used unless it (or a later one) already was: one statement, so two
    concurrent logins with the same code cannot both succeed."""
    result = session.execute(
        update(User)
        .where(User.id == user_id, User.totp_last_step < step)
        .values(totp_last_step=step)
        .execution_options(synchronize_session="fetch")
    )
    return bool(getattr(result, "rowcount", 0))
