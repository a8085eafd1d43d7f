"""``/api/v1/care/requests``: ask, list (emergencies first), overdue, assign, start, done,
refuse."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, status

from fangkong.care.access import CareManage, CareRead
from fangkong.care.kinds import Channel, RequestKind, Status
from fangkong.care.requests import service
from fangkong.care.requests.schemas import AssignIn, DoneIn, RefuseIn, RequestCreate, RequestOut
from fangkong.core import clock
from fangkong.core.pagination import Page, PageParams
from fangkong.core.scoping import REGION_PREFIX_PATTERN
from fangkong.core.web import DbSession, IdPath, IdQuery, SettingsDep, page_params

router = APIRouter(tags=["care"])
REQUESTS = "/api/v1/care/requests"
Paging = Annotated[PageParams, Depends(page_params)]
RegionQuery = Annotated[str | None, Query(pattern=REGION_PREFIX_PATTERN)]


@router.get(REQUESTS, response_model=Page[RequestOut])
def list_requests(
    session: DbSession,
    actor: CareRead,
    paging: Paging,
    status: Status | None = None,
    kind: RequestKind | None = None,
    channel: Channel | None = None,
    region: RegionQuery = None,
    overdue: bool = False,
    escalated: bool = False,
    person_id: IdQuery = None,
) -> Page[RequestOut]:
    where = service.RequestFilter(
        status=status.value if status else None, kind=kind.value if kind else None,
        channel=channel.value if channel else None, region=region,
        overdue_at=clock.now() if overdue else None, person_id=person_id, escalated=escalated,
    )  # fmt: skip
    items, cursor = service.list_requests(session, actor=actor, page=paging, where=where)
    return Page(items=items, next_cursor=cursor)


@router.post(REQUESTS, response_model=RequestOut, status_code=status.HTTP_201_CREATED)
def ask(
    session: DbSession, settings: SettingsDep, actor: CareManage, data: RequestCreate
) -> RequestOut:
    request = service.ask(session, actor=actor, settings=settings, data=data)
    return service.detail(session, actor=actor, request_id=request.id)


@router.get(f"{REQUESTS}/{{request_id}}", response_model=RequestOut)
def get_request(session: DbSession, actor: CareRead, request_id: IdPath) -> RequestOut:
    return service.detail(session, actor=actor, request_id=request_id)


@router.post(f"{REQUESTS}/{{request_id}}/assign", response_model=RequestOut)
def assign(session: DbSession, actor: CareManage, request_id: IdPath, data: AssignIn) -> RequestOut:
    service.assign(session, actor=actor, request_id=request_id, volunteer_id=data.volunteer_id)
    return service.detail(session, actor=actor, request_id=request_id)


@router.post(f"{REQUESTS}/{{request_id}}/start", response_model=RequestOut)
def start(session: DbSession, actor: CareManage, request_id: IdPath) -> RequestOut:
    service.start(session, actor=actor, request_id=request_id)
    return service.detail(session, actor=actor, request_id=request_id)


@router.post(f"{REQUESTS}/{{request_id}}/done", response_model=RequestOut)
def complete(session: DbSession, actor: CareManage, request_id: IdPath, data: DoneIn) -> RequestOut:
    service.complete(session, actor=actor, request_id=request_id, outcome=data.outcome)
    return service.detail(session, actor=actor, request_id=request_id)


@router.post(f"{REQUESTS}/{{request_id}}/refuse", response_model=RequestOut)
def refuse(session: DbSession, actor: CareManage, request_id: IdPath, data: RefuseIn) -> RequestOut:
    service.refuse(session, actor=actor, request_id=request_id, reason=data.reason)
    return service.detail(session, actor=actor, request_id=request_id)
