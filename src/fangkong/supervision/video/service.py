"""Verbs of the video-point ledger (视频监控点位): a camera point of a property-managed
community, and of a sealed or controlled zone when there is one (referenced by id through the
zones service); its status (online, offline, broken) and when it was last checked."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from fangkong.core.pagination import PageParams
from fangkong.core.principal import Principal
from fangkong.models.supervision import VideoPoint
from fangkong.supervision import errors
from fangkong.supervision.companies import service as companies
from fangkong.supervision.labels import PointStatus
from fangkong.supervision.video import ledger, repository
from fangkong.supervision.video.repository import PointFilter
from fangkong.supervision.video.schemas import VideoPointCreate

__all__ = ["PointFilter"]


def create_point(session: Session, *, actor: Principal, data: VideoPointCreate) -> VideoPoint:
    community = companies.community_for_inspection(
        session, actor=actor, community_id=data.community_id
    )
    return ledger.add_point(
        session, actor, community, name=data.name, zone_id=data.zone_id, status=data.status
    )


def get_point(session: Session, *, actor: Principal, point_id: int) -> VideoPoint:
    found = repository.point(session, actor, point_id)
    if found is None:
        raise errors.VideoPointNotFound()
    return found


def set_status(
    session: Session, *, actor: Principal, point_id: int, status: PointStatus
) -> VideoPoint:
    point = get_point(session, actor=actor, point_id=point_id)
    return ledger.check_point(session, actor, point, status)


def list_points(
    session: Session, *, actor: Principal, page: PageParams, where: PointFilter
) -> tuple[Sequence[VideoPoint], str | None]:
    return repository.page(session, actor, where, page)


def count_for_export(session: Session, *, actor: Principal, where: PointFilter) -> int:
    return repository.count_rows(session, actor, where)


def export_rows(
    session: Session, *, actor: Principal, where: PointFilter, after: list[Any] | None,
    limit: int,
) -> tuple[list[tuple[Any, ...]], list[Any] | None]:  # fmt: skip
    """One chunk of points by id: name, community, zone, status, last checked."""
    start = int(after[0]) if after else None
    found = repository.rows(session, actor, where, after=start, limit=limit)
    return found, ([found[-1][0]] if len(found) == limit else None)
