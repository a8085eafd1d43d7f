"""``/api/v1/testing/sites`` and ``/api/v1/testing/tubes``: sampling sites, their public queue
board, and tubes with their members (masked)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, status

from fangkong.core.pagination import Page, PageParams
from fangkong.core.scoping import REGION_PREFIX_PATTERN
from fangkong.core.web import DbSession, SettingsDep, page_params
from fangkong.models.testing import Tube
from fangkong.testing.dependencies import TestingManage, TestingSample
from fangkong.testing.sampling import service
from fangkong.testing.sampling.dependencies import (
    PersonIdPath,
    SamplingRead,
    SiteIdPath,
    TubeIdPath,
)
from fangkong.testing.sampling.schemas import (
    MemberAdd,
    QueueOut,
    QueueUpdate,
    SiteCreate,
    SiteOut,
    SiteUpdate,
    TubeDetail,
    TubeKind,
    TubeOpen,
    TubeOut,
    TubeStatus,
)

router = APIRouter(tags=["testing"])
SITES = "/api/v1/testing/sites"
TUBES = "/api/v1/testing/tubes"
Paging = Annotated[PageParams, Depends(page_params)]
RegionQuery = Annotated[str | None, Query(pattern=REGION_PREFIX_PATTERN)]
NameQuery = Annotated[str | None, Query(min_length=1, max_length=100)]
IdQuery = Annotated[int | None, Query(ge=1, le=2**31 - 1)]


def tube_detail(session: DbSession, tube: Tube) -> TubeDetail:
    out = TubeDetail.model_validate(tube, from_attributes=True)
    return out.model_copy(update={"members": service.members(session, tube)})


# --- sites ------------------------------------------------------------------------------


@router.get(f"{SITES}/queue", response_model=list[QueueOut])
def queue_board(session: DbSession, region: RegionQuery = None) -> list[QueueOut]:
    """Public: active sites, open now or not, queue and estimated wait. No sign-in."""
    return service.queue_board(session, region=region)


@router.get(SITES, response_model=Page[SiteOut])
def list_sites(
    session: DbSession,
    actor: SamplingRead,
    paging: Paging,
    region: RegionQuery = None,
    q: NameQuery = None,
    active: bool | None = None,
) -> Page[SiteOut]:
    where = service.SiteFilter(region=region, q=q, active=active)
    rows, cursor = service.list_sites(session, actor=actor, page=paging, where=where)
    return Page(items=[SiteOut.model_validate(s) for s in rows], next_cursor=cursor)


@router.post(SITES, response_model=SiteOut, status_code=status.HTTP_201_CREATED)
def create_site(session: DbSession, actor: TestingManage, data: SiteCreate) -> SiteOut:
    return SiteOut.model_validate(service.create_site(session, actor=actor, data=data))


@router.get(f"{SITES}/{{site_id}}", response_model=SiteOut)
def get_site(session: DbSession, actor: SamplingRead, site_id: SiteIdPath) -> SiteOut:
    return SiteOut.model_validate(service.get_site(session, actor=actor, site_id=site_id))


@router.patch(f"{SITES}/{{site_id}}", response_model=SiteOut)
def update_site(
    session: DbSession, actor: TestingManage, site_id: SiteIdPath, data: SiteUpdate
) -> SiteOut:
    site = service.update_site(session, actor=actor, site_id=site_id, data=data)
    return SiteOut.model_validate(site)


@router.post(f"{SITES}/{{site_id}}/deactivate", response_model=SiteOut)
def deactivate_site(session: DbSession, actor: TestingManage, site_id: SiteIdPath) -> SiteOut:
    return SiteOut.model_validate(service.deactivate_site(session, actor=actor, site_id=site_id))


@router.put(f"{SITES}/{{site_id}}/queue", response_model=SiteOut)
def update_queue(
    session: DbSession, actor: TestingSample, site_id: SiteIdPath, data: QueueUpdate
) -> SiteOut:
    site = service.update_queue(session, actor=actor, site_id=site_id, data=data)
    return SiteOut.model_validate(site)


# --- tubes ------------------------------------------------------------------------------


@router.get(TUBES, response_model=Page[TubeOut])
def list_tubes(
    session: DbSession,
    actor: SamplingRead,
    paging: Paging,
    status: TubeStatus | None = None,
    kind: TubeKind | None = None,
    site_id: IdQuery = None,
    campaign_id: IdQuery = None,
    day: date | None = None,
) -> Page[TubeOut]:
    start, end = service.day_range(day) if day else (None, None)
    where = service.TubeFilter(
        status=status.value if status else None, kind=kind.value if kind else None,
        site_id=site_id, campaign_id=campaign_id, opened_from=start, opened_until=end,
    )  # fmt: skip
    rows, cursor = service.list_tubes(session, actor=actor, page=paging, where=where)
    return Page(items=[TubeOut.model_validate(t) for t in rows], next_cursor=cursor)


@router.post(TUBES, response_model=TubeDetail, status_code=status.HTTP_201_CREATED)
def open_tube(
    session: DbSession, settings: SettingsDep, actor: TestingSample, data: TubeOpen
) -> TubeDetail:
    return tube_detail(session, service.open_tube(session, settings, actor=actor, data=data))


@router.get(f"{TUBES}/{{tube_id}}", response_model=TubeDetail)
def get_tube(session: DbSession, actor: SamplingRead, tube_id: TubeIdPath) -> TubeDetail:
    return tube_detail(session, service.get_tube(session, actor=actor, tube_id=tube_id))


@router.post(f"{TUBES}/{{tube_id}}/members", response_model=TubeDetail)
def add_member(
    session: DbSession,
    settings: SettingsDep,
    actor: TestingSample,
    tube_id: TubeIdPath,
    data: MemberAdd,
) -> TubeDetail:
    tube = service.add_member(session, settings, actor=actor, tube_id=tube_id, data=data)
    return tube_detail(session, tube)


@router.delete(f"{TUBES}/{{tube_id}}/members/{{person_id}}", response_model=TubeDetail)
def remove_member(
    session: DbSession, actor: TestingSample, tube_id: TubeIdPath, person_id: PersonIdPath
) -> TubeDetail:
    tube = service.remove_member(session, actor=actor, tube_id=tube_id, person_id=person_id)
    return tube_detail(session, tube)


@router.post(f"{TUBES}/{{tube_id}}/seal", response_model=TubeDetail)
def seal_tube(session: DbSession, actor: TestingSample, tube_id: TubeIdPath) -> TubeDetail:
    return tube_detail(session, service.seal_tube(session, actor=actor, tube_id=tube_id))
