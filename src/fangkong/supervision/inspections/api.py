"""``/api/v1/supervision``: inspections, problems and their verification, the period report."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Response, UploadFile, status

from fangkong.core.bodylimit import upload_limit
from fangkong.core.pagination import Page, PageParams
from fangkong.core.web import DbSession, SettingsDep, page_params
from fangkong.supervision.dependencies import IntIdPath, SupervisionInspect, SupervisionRead
from fangkong.supervision.inspections import photos, report, service
from fangkong.supervision.inspections.schemas import (
    FindingOut,
    InspectionCreate,
    InspectionOut,
    PeriodReport,
    PhotoOut,
    VerificationIn,
)
from fangkong.supervision.labels import Aspect, FindingStatus

router = APIRouter(tags=["supervision"])
API = "/api/v1/supervision"
Paging = Annotated[PageParams, Depends(page_params)]
IdQuery = Annotated[int | None, Query(ge=1, le=2**31 - 1)]


@router.get(f"{API}/inspections", response_model=Page[InspectionOut])
def list_inspections(
    session: DbSession,
    actor: SupervisionRead,
    paging: Paging,
    community_id: IdQuery = None,
    start: date | None = None,
    end: date | None = None,
    with_problems: bool | None = None,
) -> Page[InspectionOut]:
    where = service.InspectionFilter(
        community_id=community_id, start=start, end=end, with_problems=with_problems
    )
    rows, cursor = service.list_inspections(session, actor=actor, page=paging, where=where)
    return Page(items=[InspectionOut.model_validate(i) for i in rows], next_cursor=cursor)


@router.post(
    f"{API}/inspections", response_model=InspectionOut, status_code=status.HTTP_201_CREATED
)
def record_inspection(
    session: DbSession, actor: SupervisionInspect, data: InspectionCreate
) -> InspectionOut:
    inspection = service.record_inspection(session, actor=actor, data=data)
    return service.inspection_out(session, inspection)


@router.get(f"{API}/inspections/{{inspection_id}}", response_model=InspectionOut)
def get_inspection(
    session: DbSession, actor: SupervisionRead, inspection_id: IntIdPath
) -> InspectionOut:
    inspection = service.get_inspection(session, actor=actor, inspection_id=inspection_id)
    return service.inspection_out(session, inspection)


@router.get(f"{API}/problems", response_model=Page[FindingOut])
def list_problems(
    session: DbSession,
    actor: SupervisionRead,
    paging: Paging,
    status: FindingStatus | None = None,
    overdue: bool = False,
) -> Page[FindingOut]:
    rows, cursor = service.list_problems(
        session, actor=actor, page=paging, status=status, overdue=overdue
    )
    return Page(items=[FindingOut.model_validate(f) for f in rows], next_cursor=cursor)


@router.post(f"{API}/problems/{{finding_id}}/verify", response_model=FindingOut)
def verify_problem(
    session: DbSession, actor: SupervisionInspect, finding_id: IntIdPath, data: VerificationIn
) -> FindingOut:
    finding = service.verify(session, actor=actor, finding_id=finding_id, data=data)
    return FindingOut.model_validate(finding)


@router.get(f"{API}/report", response_model=PeriodReport)
def period_report(
    session: DbSession, actor: SupervisionRead, start: date, end: date
) -> PeriodReport:
    return report.period_report(session, actor=actor, start=start, end=end)


@router.post(
    f"{API}/inspections/{{inspection_id}}/photos",
    response_model=PhotoOut,
    status_code=status.HTTP_201_CREATED,
    max_body_size=upload_limit(photos.MAX_PHOTO_BYTES),
)
def add_photo(
    session: DbSession,
    settings: SettingsDep,
    actor: SupervisionInspect,
    inspection_id: IntIdPath,
    file: UploadFile,
    aspect: Annotated[Aspect | None, Form()] = None,
) -> PhotoOut:
    """A photo of the inspection (multipart ``file``, optional ``aspect``): JPEG, PNG or WebP."""
    data = file.file.read(photos.MAX_PHOTO_BYTES + 1)
    photo = photos.add_photo(
        session, actor=actor, settings=settings, inspection_id=inspection_id, data=data,
        aspect=aspect,
    )  # fmt: skip
    return PhotoOut.model_validate(photo)


@router.get(f"{API}/photos/{{photo_id}}", response_class=Response)
def get_photo(
    session: DbSession, settings: SettingsDep, actor: SupervisionRead, photo_id: IntIdPath
) -> Response:
    data, media_type = photos.open_photo(session, actor=actor, settings=settings, photo_id=photo_id)
    return Response(data, media_type=media_type, headers={"Cache-Control": "private, no-store"})
