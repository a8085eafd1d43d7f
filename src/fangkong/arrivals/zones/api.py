"""``/api/v1/zones``: local zones (封控区、管控区、防范区): list, declare, detail with the
countdown, edit, link cases, decide, residents (masked) and the day's announcement."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Query, status

from fangkong.arrivals.dependencies import ZonesDecide, ZonesManage, ZonesRead
from fangkong.arrivals.zones import service
from fangkong.arrivals.zones.dependencies import ZoneIdPath
from fangkong.arrivals.zones.schemas import (
    Announcement,
    CaseIn,
    DecisionIn,
    ResidentOut,
    ZoneCreate,
    ZoneDetail,
    ZoneOut,
    ZoneStatus,
    ZoneUpdate,
)
from fangkong.core import clock
from fangkong.core.pagination import Page, PageParams
from fangkong.core.scoping import REGION_PREFIX_PATTERN
from fangkong.core.web import DbSession, page_params
from fangkong.healthcode.service import current_edition
from fangkong.policy.types import ZoneKind

router = APIRouter(tags=["zones"])
ZONES = "/api/v1/zones"
Paging = Annotated[PageParams, Depends(page_params)]
RegionQuery = Annotated[str | None, Query(pattern=REGION_PREFIX_PATTERN)]


@router.get(ZONES, response_model=Page[ZoneOut])
def list_zones(
    session: DbSession,
    actor: ZonesRead,
    paging: Paging,
    kind: ZoneKind | None = None,
    status: ZoneStatus | None = None,
    region: RegionQuery = None,
    pending: bool | None = None,
) -> Page[ZoneOut]:
    where = service.ZoneFilter(
        kind=kind.value if kind else None, status=status.value if status else None,
        region=region, pending=pending,
    )  # fmt: skip
    rows, cursor = service.list_zones(session, actor=actor, page=paging, where=where)
    edition = current_edition(session)
    items = [service.zone_out(session, zone, edition) for zone in rows]
    return Page(items=items, next_cursor=cursor)


@router.post(ZONES, response_model=ZoneDetail, status_code=status.HTTP_201_CREATED)
def declare(session: DbSession, actor: ZonesManage, data: ZoneCreate) -> ZoneDetail:
    zone = service.declare(session, actor=actor, data=data)
    return service.detail(session, actor=actor, zone_id=zone.id)


@router.get(f"{ZONES}/announcement", response_model=Announcement)
def announcement(session: DbSession, actor: ZonesRead, date: date | None = None) -> Announcement:
    day = date or clock.local_today() - timedelta(days=1)  # the last whole official day
    return service.announcement(session, actor=actor, day=day)


@router.get(f"{ZONES}/{{zone_id}}", response_model=ZoneDetail)
def get_zone(session: DbSession, actor: ZonesRead, zone_id: ZoneIdPath) -> ZoneDetail:
    return service.detail(session, actor=actor, zone_id=zone_id)


@router.patch(f"{ZONES}/{{zone_id}}", response_model=ZoneDetail)
def update_zone(
    session: DbSession, actor: ZonesManage, zone_id: ZoneIdPath, data: ZoneUpdate
) -> ZoneDetail:
    service.update(session, actor=actor, zone_id=zone_id, data=data)
    return service.detail(session, actor=actor, zone_id=zone_id)


@router.post(f"{ZONES}/{{zone_id}}/cases", response_model=ZoneDetail)
def link_case(
    session: DbSession, actor: ZonesManage, zone_id: ZoneIdPath, data: CaseIn
) -> ZoneDetail:
    service.link_case(session, actor=actor, zone_id=zone_id, data=data)
    return service.detail(session, actor=actor, zone_id=zone_id)


@router.post(f"{ZONES}/{{zone_id}}/decision", response_model=ZoneDetail)
def decide(
    session: DbSession, actor: ZonesDecide, zone_id: ZoneIdPath, data: DecisionIn
) -> ZoneDetail:
    service.decide(session, actor=actor, zone_id=zone_id, data=data)
    return service.detail(session, actor=actor, zone_id=zone_id)


@router.get(f"{ZONES}/{{zone_id}}/residents", response_model=Page[ResidentOut])
def residents(
    session: DbSession, actor: ZonesRead, zone_id: ZoneIdPath, paging: Paging
) -> Page[ResidentOut]:
    items, cursor = service.residents(session, actor=actor, zone_id=zone_id, page=paging)
    return Page(items=items, next_cursor=cursor)
