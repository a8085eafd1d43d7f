"""Queries of the video-point ledger, scoped to the actor's jurisdiction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from fangkong.core.pagination import PageParams, fetch_page
from fangkong.core.principal import Principal
from fangkong.core.scoping import within
from fangkong.models.supervision import PropertyCommunity, VideoPoint


def points(actor: Principal) -> Select[VideoPoint]:
    return select(VideoPoint).where(within(VideoPoint.region_code, actor.region_code))


def point(session: Session, actor: Principal, point_id: int) -> VideoPoint | None:
    return session.scalars(points(actor).where(VideoPoint.id == point_id)).one_or_none()


def by_name(session: Session, community_id: int, name: str) -> VideoPoint | None:
    statement = select(VideoPoint).where(
        VideoPoint.community_id == community_id, VideoPoint.name == name
    )
    return session.scalars(statement).one_or_none()


@dataclass(frozen=True)
class PointFilter:
    community_id: int | None = None
    zone_id: int | None = None
    status: str | None = None
    region: str | None = None


def _filtered(actor: Principal, where: PointFilter) -> Select[VideoPoint]:
    statement = points(actor)
    if where.community_id:
        statement = statement.where(VideoPoint.community_id == where.community_id)
    if where.zone_id:
        statement = statement.where(VideoPoint.zone_id == where.zone_id)
    if where.status:
        statement = statement.where(VideoPoint.status == where.status)
    if where.region:
        statement = statement.where(within(VideoPoint.region_code, where.region))
    return statement


def page(
    session: Session, actor: Principal, where: PointFilter, params: PageParams
) -> tuple[Sequence[VideoPoint], str | None]:
    return fetch_page(session, _filtered(actor, where), VideoPoint.id, params)


def count_rows(session: Session, actor: Principal, where: PointFilter) -> int:
    statement = select(func.count()).select_from(_filtered(actor, where).subquery())
    return int(session.scalar(statement) or 0)


def rows(
    session: Session, actor: Principal, where: PointFilter, *, after: int | None, limit: int
) -> list[tuple[Any, ...]]:
    """(id, name, community, zone id, status, last checked) by id."""
    statement = (
        _filtered(actor, where)
        .with_only_columns(
            VideoPoint.id, VideoPoint.name, PropertyCommunity.name, VideoPoint.zone_id,
            VideoPoint.status, VideoPoint.checked_at,
        )
        .join(PropertyCommunity, PropertyCommunity.id == VideoPoint.community_id)
    )  # fmt: skip
    if after is not None:
        statement = statement.where(VideoPoint.id > after)
    found = session.execute(statement.order_by(VideoPoint.id).limit(limit)).all()
    return [tuple(row) for row in found]
