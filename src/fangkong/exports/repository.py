"""Queries on ``exports``: a requester sees their own; a superior sees what awaits them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from fangkong.core.pagination import PageParams, fetch_page
from fangkong.core.principal import Principal
from fangkong.core.scoping import within
from fangkong.models import User
from fangkong.models.exports import Export, ExportStatus


def get(session: Session, export_id: int) -> Export | None:
    return session.get(Export, export_id)


def user(session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)


def mine_page(
    session: Session, principal: Principal, params: PageParams
) -> tuple[Sequence[Export], str | None]:
    statement = select(Export).where(Export.requested_by == principal.id)
    return fetch_page(session, statement, Export.id, params, descending=True)


def awaiting_page(
    session: Session, principal: Principal, roles: Iterable[str], params: PageParams
) -> tuple[Sequence[Export], str | None]:
    """Exports awaiting approval in the principal's jurisdiction, asked by users of ``roles``
    (those the principal outranks), never the principal's own."""
    statement = (
        select(Export)
        .join(User, User.id == Export.requested_by)
        .where(
            Export.status == ExportStatus.AWAITING_APPROVAL,
            within(Export.region_code, principal.region_code),
            Export.requested_by != principal.id,
            User.role.in_(list(roles)),
        )
    )
    return fetch_page(session, statement, Export.id, params)


def latest(session: Session, limit: int) -> Sequence[Export]:
    return session.scalars(select(Export).order_by(Export.id.desc()).limit(limit)).all()


def queued_ids(session: Session, limit: int) -> Sequence[int]:
    statement = select(Export.id).where(Export.status == ExportStatus.QUEUED)
    return session.scalars(statement.order_by(Export.id).limit(limit)).all()


def claim(session: Session, export_id: int, now: datetime) -> bool:
    """Queued → running, for exactly one worker (a conditional update)."""
    result = session.execute(
        update(Export)
        .where(Export.id == export_id, Export.status == ExportStatus.QUEUED)
        .values(status=ExportStatus.RUNNING, started_at=now, rows_done=0)
    )
    return bool(getattr(result, "rowcount", 0))


def set_progress(session: Session, export_id: int, rows_done: int) -> None:
    session.execute(update(Export).where(Export.id == export_id).values(rows_done=rows_done))


def past_expiry(session: Session, now: datetime) -> Sequence[Export]:
    statement = select(Export).where(Export.status == ExportStatus.READY, Export.expires_at < now)
    return session.scalars(statement.order_by(Export.id)).all()


def stale_running(session: Session, started_before: datetime) -> Sequence[Export]:
    statement = select(Export).where(
        Export.status == ExportStatus.RUNNING, Export.started_at < started_before
    )
    return session.scalars(statement.order_by(Export.id)).all()
