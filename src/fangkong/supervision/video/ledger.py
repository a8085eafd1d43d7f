"""The writes of the video-point ledger, shared by the service and the import: a new point
of a community (and zone) already checked, and a check of a point's status; each audited."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fangkong.arrivals.zones import service as zones
from fangkong.core import clock
from fangkong.core.errors import NotFound
from fangkong.core.principal import Principal
from fangkong.models.supervision import PropertyCommunity, VideoPoint
from fangkong.supervision import errors
from fangkong.supervision.audit_trail import record, snapshot
from fangkong.supervision.labels import PointStatus
from fangkong.supervision.video import repository

FIELDS = ("name", "community_id", "zone_id", "status", "checked_at")


def zone_id_of(session: Session, actor: Principal, zone_id: int | None) -> int | None:
    """A sealed or controlled zone the actor can read, by id, through the zones service."""
    if zone_id is None:
        return None
    try:
        return zones.get_zone(session, actor=actor, zone_id=zone_id).id
    except NotFound:
        raise errors.UnknownZone() from None


def add_point(
    session: Session,
    actor: Principal,
    community: PropertyCommunity,
    *,
    name: str,
    zone_id: int | None,
    status: PointStatus,
) -> VideoPoint:
    if repository.by_name(session, community.id, name) is not None:
        raise errors.DuplicateVideoPoint()
    point = VideoPoint(
        name=name,
        community_id=community.id,
        zone_id=zone_id_of(session, actor, zone_id),
        region_code=community.region_code,
        status=status.value,
        checked_at=clock.now(),
    )
    session.add(point)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError as exc:
        raise errors.DuplicateVideoPoint() from exc
    record(session, actor, "video_point.create", point, after=snapshot(point, FIELDS))
    return point


def check_point(
    session: Session, actor: Principal, point: VideoPoint, status: PointStatus
) -> VideoPoint:
    """A check of the point: its status now, and the time of the check."""
    before = snapshot(point, FIELDS)
    point.status, point.checked_at = status.value, clock.now()
    session.flush()
    record(session, actor, "video_point.check", point, before=before,
           after=snapshot(point, FIELDS))  # fmt: skip
    return point
