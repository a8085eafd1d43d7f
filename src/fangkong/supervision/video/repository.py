"""Queries of the video-point ledger, scoped to the actor's jurisdiction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from fangkong.core.pagination import PageParams, fetch_page
from fangkong.core.principal import Principal
from fangkong.core.scoping import within
from fangkong.models.supervision import VideoPoint


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


def page(
    session: Session, actor: Principal, where: PointFilter, params: PageParams
) -> tuple[Sequence[VideoPoint], str | None]:
    statement = points(actor)
    if where.community_id:
        statement = statement.where(VideoPoint.community_id == where.community_id)
    if where.zone_id:
        statement = statement.where(VideoPoint.zone_id == where.zone_id)
    if where.status:
        statement = statement.where(VideoPoint.status == where.status)
    if where.region:
        statement = statement.where(within(VideoPoint.region_code, where.region))
    return fetch_page(session, statement, VideoPoint.id, params)
