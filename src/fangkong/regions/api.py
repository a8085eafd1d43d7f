"""JSON routes under ``/api/v1/regions``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, UploadFile, status

from fangkong.auth.dependencies import RegionsManage, RegionsRead
from fangkong.core import i18n
from fangkong.core.bodylimit import upload_limit
from fangkong.core.pagination import Page, PageParams
from fangkong.core.scoping import REGION_CODE_PATTERN
from fangkong.core.web import DbSession, Locale, UserIdPath, page_params
from fangkong.models import Region
from fangkong.regions import service
from fangkong.regions.schemas import (
    ImportReport,
    RegionCreate,
    RegionOut,
    RegionRename,
    WorkerAssign,
    WorkerOut,
)

router = APIRouter(prefix="/api/v1/regions", tags=["regions"])
Paging = Annotated[PageParams, Depends(page_params)]
CodePath = Annotated[str, Path(pattern=REGION_CODE_PATTERN)]


def _out(session: DbSession, regions: Sequence[Region]) -> list[RegionOut]:
    counts = service.child_counts(session, regions)
    return [
        RegionOut.model_validate(r).model_copy(update={"children": counts.get(r.code, 0)})
        for r in regions
    ]


@router.get("", response_model=Page[RegionOut])
def list_regions(
    session: DbSession,
    actor: RegionsRead,
    paging: Paging,
    parent: Annotated[str | None, Query(pattern=REGION_CODE_PATTERN)] = None,
    q: Annotated[str | None, Query(max_length=64)] = None,
    level: Annotated[str | None, Query(pattern=r"^(city|district|street|community|grid)$")] = None,
) -> Page[RegionOut]:
    if parent is None and (q or level):
        rows, cursor = service.search(session, actor=actor, page=paging, q=q, level=level)
    else:
        rows, cursor = service.children(session, actor=actor, parent=parent, page=paging, q=q)
    return Page(items=_out(session, rows), next_cursor=cursor)


@router.post("", response_model=RegionOut, status_code=status.HTTP_201_CREATED)
def create_region(session: DbSession, actor: RegionsManage, data: RegionCreate) -> RegionOut:
    return _out(session, [service.create_region(session, actor=actor, data=data)])[0]


@router.post(
    "/import", response_model=ImportReport, max_body_size=upload_limit(service.MAX_UPLOAD_BYTES)
)
def import_regions(
    session: DbSession,
    actor: RegionsManage,
    locale: Locale,
    file: UploadFile,
    dry_run: bool = False,
) -> ImportReport:
    data = file.file.read(service.MAX_UPLOAD_BYTES + 1)
    report = service.import_upload(session, actor=actor, filename=file.filename or "", data=data)
    if dry_run:
        session.rollback()
    for rejected in report.rejected:
        rejected.message = i18n.gettext(locale, rejected.message)
    return report


@router.get("/{code}", response_model=RegionOut)
def get_region(session: DbSession, actor: RegionsRead, code: CodePath) -> RegionOut:
    return _out(session, [service.get_region(session, actor=actor, code=code)])[0]


@router.patch("/{code}", response_model=RegionOut)
def rename_region(
    session: DbSession, actor: RegionsManage, code: CodePath, data: RegionRename
) -> RegionOut:
    return _out(session, [service.rename_region(session, actor=actor, code=code, data=data)])[0]


@router.get("/{code}/workers", response_model=list[WorkerOut])
def list_workers(session: DbSession, actor: RegionsRead, code: CodePath) -> list[WorkerOut]:
    return [
        WorkerOut.model_validate(u) for u in service.workers(session, actor=actor, grid_code=code)
    ]


@router.post("/{code}/workers", status_code=status.HTTP_204_NO_CONTENT)
def assign_worker(
    session: DbSession, actor: RegionsManage, code: CodePath, data: WorkerAssign
) -> None:
    service.assign_worker(session, actor=actor, grid_code=code, user_id=data.user_id)


@router.delete("/{code}/workers/{user_id}", status_code=status.HTTP_204_NO_CONTENT)
def unassign_worker(
    session: DbSession, actor: RegionsManage, code: CodePath, user_id: UserIdPath
) -> None:
    service.unassign_worker(session, actor=actor, grid_code=code, user_id=user_id)
