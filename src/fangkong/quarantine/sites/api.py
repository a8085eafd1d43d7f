"""``/api/v1/quarantine/sites``: isolation sites (隔离点) with occupancy; create, edit,
deactivate; rooms added in bulk ("801-830", beds); a room closed for cleaning."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, status

from fangkong.core.pagination import Page, PageParams
from fangkong.core.scoping import REGION_PREFIX_PATTERN
from fangkong.core.web import DbSession, page_params
from fangkong.quarantine.dependencies import QuarantineManage, QuarantineRead
from fangkong.quarantine.sites import service
from fangkong.quarantine.sites.dependencies import IsolationSiteId, RoomIdPath
from fangkong.quarantine.sites.schemas import (
    RoomOut,
    RoomsCreate,
    RoomUpdate,
    SiteCreate,
    SiteDetail,
    SiteKind,
    SiteOut,
    SiteUpdate,
)

router = APIRouter(tags=["quarantine"])
SITES = "/api/v1/quarantine/sites"
Paging = Annotated[PageParams, Depends(page_params)]
RegionQuery = Annotated[str | None, Query(pattern=REGION_PREFIX_PATTERN)]


@router.get(SITES, response_model=Page[SiteOut])
def list_sites(
    session: DbSession,
    actor: QuarantineRead,
    paging: Paging,
    kind: SiteKind | None = None,
    active: bool | None = None,
    region: RegionQuery = None,
) -> Page[SiteOut]:
    where = service.SiteFilter(kind=kind.value if kind else None, active=active, region=region)
    items, cursor = service.list_sites(session, actor=actor, page=paging, where=where)
    return Page(items=items, next_cursor=cursor)


@router.post(SITES, response_model=SiteDetail, status_code=status.HTTP_201_CREATED)
def create_site(session: DbSession, actor: QuarantineManage, data: SiteCreate) -> SiteDetail:
    site = service.create_site(session, actor=actor, data=data)
    return service.detail(session, actor=actor, site_id=site.id)


@router.get(f"{SITES}/{{isolation_site_id}}", response_model=SiteDetail)
def get_site(session: DbSession, actor: QuarantineRead, site_id: IsolationSiteId) -> SiteDetail:
    return service.detail(session, actor=actor, site_id=site_id)


@router.patch(f"{SITES}/{{isolation_site_id}}", response_model=SiteDetail)
def update_site(
    session: DbSession, actor: QuarantineManage, site_id: IsolationSiteId, data: SiteUpdate
) -> SiteDetail:
    service.update_site(session, actor=actor, site_id=site_id, data=data)
    return service.detail(session, actor=actor, site_id=site_id)


@router.post(
    f"{SITES}/{{isolation_site_id}}/rooms",
    response_model=SiteDetail,
    status_code=status.HTTP_201_CREATED,
)
def add_rooms(
    session: DbSession, actor: QuarantineManage, site_id: IsolationSiteId, data: RoomsCreate
) -> SiteDetail:
    service.add_rooms(session, actor=actor, site_id=site_id, data=data)
    return service.detail(session, actor=actor, site_id=site_id)


@router.patch(f"{SITES}/{{isolation_site_id}}/rooms/{{room_id}}", response_model=RoomOut)
def update_room(
    session: DbSession,
    actor: QuarantineManage,
    site_id: IsolationSiteId,
    room_id: RoomIdPath,
    data: RoomUpdate,
) -> RoomOut:
    room = service.update_room(session, actor=actor, site_id=site_id, room_id=room_id, data=data)
    return RoomOut.model_validate(room)
