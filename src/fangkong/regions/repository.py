"""Region queries; every one starts from ``readable(principal)``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from fangkong.core.pagination import PageParams, fetch_page
from fangkong.core.principal import Principal
from fangkong.core.scoping import within
from fangkong.models import GridAssignment, Region, User

GRID_WORKER = "grid_worker"


def readable(principal: Principal) -> Select[Region]:
    return select(Region).where(within(Region.code, principal.region_code))


def get_readable(session: Session, principal: Principal, code: str) -> Region | None:
    return session.scalars(readable(principal).where(Region.code == code)).first()


def existing(session: Session, codes: Iterable[str]) -> dict[str, Region]:
    """Unscoped lookup used by imports to tell "exists elsewhere" from "new"."""
    rows = session.scalars(select(Region).where(Region.code.in_(list(codes)))).all()
    return {row.code: row for row in rows}


def children_page(
    session: Session, principal: Principal, parent: str, params: PageParams, q: str | None
) -> tuple[Sequence[Region], str | None]:
    statement = readable(principal).where(Region.parent_code == parent)
    if q:
        statement = statement.where(Region.name.contains(q, autoescape=True))
    return fetch_page(session, statement, Region.code, params)


def search_page(
    session: Session, principal: Principal, params: PageParams, q: str | None, level: str | None
) -> tuple[Sequence[Region], str | None]:
    statement = readable(principal)
    if q:
        statement = statement.where(Region.name.contains(q, autoescape=True))
    if level:
        statement = statement.where(Region.level == level)
    return fetch_page(session, statement, Region.code, params)


def child_counts(session: Session, codes: Sequence[str]) -> dict[str, int]:
    statement = (
        select(Region.parent_code, func.count())
        .where(Region.parent_code.in_(codes))
        .group_by(Region.parent_code)
    )
    return {parent: count for parent, count in session.execute(statement).all() if parent}


def workers_of(session: Session, grid_code: str) -> Sequence[User]:
    statement = (
        select(User)
        .join(GridAssignment, GridAssignment.user_id == User.id)
        .where(GridAssignment.grid_code == grid_code)
        .order_by(User.username)
    )
    return session.scalars(statement).all()


def assignment(session: Session, grid_code: str, user_id: int) -> GridAssignment | None:
    return session.get(GridAssignment, (grid_code, user_id))


def user_in_scope(session: Session, principal: Principal, user_id: int) -> User | None:
    statement = select(User).where(
        User.id == user_id, within(User.region_code, principal.region_code)
    )
    return session.scalars(statement).first()


def grid_worker_candidates(
    session: Session, principal: Principal, grid_code: str
) -> Sequence[User]:
    """Grid workers in the principal's scope placed at the grid or one of its ancestors."""
    ancestors = [grid_code[:n] for n in range(9, len(grid_code) + 1, 3)]
    statement = (
        select(User)
        .where(User.role == GRID_WORKER, User.is_active.is_(True), User.region_code.in_(ancestors))
        .where(within(User.region_code, principal.region_code))
        .order_by(User.username)
    )
    return session.scalars(statement).all()
