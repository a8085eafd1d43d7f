"""``/api/v1/quarantine/placements``: the list (filters by measure, status, site, grid, due for
release, fever), placing by hand, a placement's detail, room assignment (one, or in bulk with
households kept together), check-ins, release, and the release queue."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, status

from fangkong.core.pagination import Page, PageParams
from fangkong.core.scoping import REGION_PREFIX_PATTERN
from fangkong.core.web import DbSession, IntIdQuery, page_params
from fangkong.quarantine.dependencies import QuarantineCheckIn, QuarantineManage, QuarantineRead
from fangkong.quarantine.placements import service
from fangkong.quarantine.placements.dependencies import PlacementIdPath
from fangkong.quarantine.placements.schemas import (
    BulkAssign,
    BulkResult,
    CheckInIn,
    CheckInOut,
    PlacedMeasure,
    PlacementCreate,
    PlacementDetail,
    PlacementOut,
    PlacementStatus,
    RoomAssign,
)

router = APIRouter(tags=["quarantine"])
PLACEMENTS = "/api/v1/quarantine/placements"
Paging = Annotated[PageParams, Depends(page_params)]
GridQuery = Annotated[str | None, Query(pattern=REGION_PREFIX_PATTERN)]


@router.get(PLACEMENTS, response_model=Page[PlacementOut])
def list_placements(
    session: DbSession,
    actor: QuarantineRead,
    paging: Paging,
    measure: PlacedMeasure | None = None,
    status: PlacementStatus | None = None,
    site_id: IntIdQuery = None,
    grid: GridQuery = None,
    due_for_release: bool = False,
    fever: bool = False,
) -> Page[PlacementOut]:
    where = service.PlacementFilter(
        measure=measure.value if measure else None,
        status=status.value if status else None,
        site_id=site_id,
        grid=grid,
        due_for_release=due_for_release,
        fever_from=service.fever_from(session) if fever else None,
    )
    items, cursor = service.list_placements(session, actor=actor, page=paging, where=where)
    return Page(items=items, next_cursor=cursor)


@router.post(PLACEMENTS, response_model=PlacementDetail, status_code=status.HTTP_201_CREATED)
def place(session: DbSession, actor: QuarantineManage, data: PlacementCreate) -> PlacementDetail:
    placement = service.place(session, actor=actor, data=data)
    return service.detail(session, actor=actor, placement_id=placement.id)


@router.post(f"{PLACEMENTS}/assign", response_model=BulkResult)
def assign_bulk(session: DbSession, actor: QuarantineManage, data: BulkAssign) -> BulkResult:
    return service.assign_bulk(session, actor=actor, data=data)


@router.get(f"{PLACEMENTS}/releases", response_model=list[PlacementOut])
def release_queue(session: DbSession, actor: QuarantineRead) -> list[PlacementOut]:
    return service.release_queue(session, actor=actor)


@router.get(f"{PLACEMENTS}/{{placement_id}}", response_model=PlacementDetail)
def get_placement(
    session: DbSession, actor: QuarantineRead, placement_id: PlacementIdPath
) -> PlacementDetail:
    return service.detail(session, actor=actor, placement_id=placement_id)


@router.post(f"{PLACEMENTS}/{{placement_id}}/room", response_model=PlacementDetail)
def assign_room(
    session: DbSession, actor: QuarantineManage, placement_id: PlacementIdPath, data: RoomAssign
) -> PlacementDetail:
    service.assign_room(session, actor=actor, placement_id=placement_id, room_id=data.room_id)
    return service.detail(session, actor=actor, placement_id=placement_id)


@router.put(f"{PLACEMENTS}/{{placement_id}}/check-in", response_model=CheckInOut)
def check_in(
    session: DbSession, actor: QuarantineCheckIn, placement_id: PlacementIdPath, data: CheckInIn
) -> CheckInOut:
    row = service.check_in(session, actor=actor, placement_id=placement_id, data=data)
    out = CheckInOut.model_validate(row)
    out.fever = (row.temperature or 0) >= service.fever_from(session)
    return out


@router.post(f"{PLACEMENTS}/{{placement_id}}/release", response_model=PlacementDetail)
def release(
    session: DbSession, actor: QuarantineManage, placement_id: PlacementIdPath
) -> PlacementDetail:
    service.release(session, actor=actor, placement_id=placement_id)
    return service.detail(session, actor=actor, placement_id=placement_id)
