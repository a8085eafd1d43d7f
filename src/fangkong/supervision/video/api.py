"""``/api/v1/supervision/video-points``: the ledger of camera points, their checks, import."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, UploadFile, status

from fangkong.core import i18n
from fangkong.core.bodylimit import upload_limit
from fangkong.core.pagination import Page, PageParams
from fangkong.core.scoping import REGION_PREFIX_PATTERN
from fangkong.core.web import DbSession, Locale, page_params
from fangkong.supervision.companies.schemas import ImportReport
from fangkong.supervision.dependencies import IntIdPath, SupervisionManage, SupervisionRead
from fangkong.supervision.labels import PointStatus
from fangkong.supervision.video import importer, service
from fangkong.supervision.video.schemas import StatusIn, VideoPointCreate, VideoPointOut

router = APIRouter(tags=["supervision"])
POINTS = "/api/v1/supervision/video-points"
Paging = Annotated[PageParams, Depends(page_params)]
IdQuery = Annotated[int | None, Query(ge=1, le=2**31 - 1)]
RegionQuery = Annotated[str | None, Query(pattern=REGION_PREFIX_PATTERN)]


@router.get(POINTS, response_model=Page[VideoPointOut])
def list_points(
    session: DbSession,
    actor: SupervisionRead,
    paging: Paging,
    community_id: IdQuery = None,
    zone_id: IdQuery = None,
    status: PointStatus | None = None,
    region: RegionQuery = None,
) -> Page[VideoPointOut]:
    where = service.PointFilter(
        community_id=community_id,
        zone_id=zone_id,
        status=status.value if status else None,
        region=region,
    )
    rows, cursor = service.list_points(session, actor=actor, page=paging, where=where)
    return Page(items=[VideoPointOut.model_validate(p) for p in rows], next_cursor=cursor)


@router.post(POINTS, response_model=VideoPointOut, status_code=status.HTTP_201_CREATED)
def create_point(
    session: DbSession, actor: SupervisionManage, data: VideoPointCreate
) -> VideoPointOut:
    return VideoPointOut.model_validate(service.create_point(session, actor=actor, data=data))


@router.post(
    f"{POINTS}/import",
    response_model=ImportReport,
    max_body_size=upload_limit(importer.MAX_UPLOAD_BYTES),
)
def import_points(
    session: DbSession,
    actor: SupervisionManage,
    locale: Locale,
    file: UploadFile,
    dry_run: bool = False,
) -> ImportReport:
    data = file.file.read(importer.MAX_UPLOAD_BYTES + 1)
    report = importer.import_upload(session, actor=actor, filename=file.filename or "", data=data)
    if dry_run:
        session.rollback()
        report.dry_run = True
    for rejected in report.rejected:
        rejected.message = i18n.gettext(locale, rejected.message)
    return report


@router.get(f"{POINTS}/{{point_id}}", response_model=VideoPointOut)
def get_point(session: DbSession, actor: SupervisionRead, point_id: IntIdPath) -> VideoPointOut:
    return VideoPointOut.model_validate(service.get_point(session, actor=actor, point_id=point_id))


@router.post(f"{POINTS}/{{point_id}}/status", response_model=VideoPointOut)
def set_status(
    session: DbSession, actor: SupervisionManage, point_id: IntIdPath, data: StatusIn
) -> VideoPointOut:
    point = service.set_status(session, actor=actor, point_id=point_id, status=data.status)
    return VideoPointOut.model_validate(point)
