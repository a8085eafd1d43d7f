"""JSON routes of testing/results under ``/api/v1/testing``: labs and members, receiving tubes,
result uploads (file, JSON batch, template), conflicts, retest tasks, turnaround."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Response, UploadFile, status

from fangkong.core import i18n
from fangkong.core.bodylimit import upload_limit
from fangkong.core.pagination import Page, PageParams
from fangkong.core.scoping import REGION_PREFIX_PATTERN
from fangkong.core.web import DbSession, IdPath, Locale, UserIdPath, page_params
from fangkong.models import User
from fangkong.testing.dependencies import TestingManage, TestingRead, TestingResults
from fangkong.testing.results import importer, service
from fangkong.testing.results.schemas import (
    ConflictOut,
    ConflictResolve,
    LabCreate,
    LabMemberIn,
    LabMemberOut,
    LabOut,
    LabUpdate,
    ReceiveIn,
    ReceiveReport,
    ResultBatch,
    TaskOut,
    Turnaround,
    UploadReport,
)

router = APIRouter(tags=["testing"])
BASE = "/api/v1/testing"
LabIdQuery = Annotated[int | None, Query(ge=1, le=2**31 - 1)]
LabIdPath = Annotated[int, Path(ge=1, le=2**31 - 1)]  # labs.id is INTEGER
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Paging = Annotated[PageParams, Depends(page_params)]
RegionQuery = Annotated[str | None, Query(pattern=REGION_PREFIX_PATTERN)]


def _member_out(user: User) -> LabMemberOut:
    return LabMemberOut(user_id=user.id, username=user.username)


def _translated(report: UploadReport, locale: str) -> UploadReport:
    for line in report.rejected_lines:
        line.message = i18n.gettext(locale, line.message)
    return report


@router.get(f"{BASE}/labs", response_model=list[LabOut])
def list_labs(session: DbSession, actor: TestingResults) -> list[LabOut]:
    return [LabOut.model_validate(lab) for lab in service.list_labs(session, actor=actor)]


@router.post(f"{BASE}/labs", response_model=LabOut, status_code=status.HTTP_201_CREATED)
def create_lab(session: DbSession, actor: TestingManage, data: LabCreate) -> LabOut:
    return LabOut.model_validate(service.create_lab(session, actor=actor, data=data))


@router.get(f"{BASE}/labs/{{lab_id}}", response_model=LabOut)
def get_lab(session: DbSession, actor: TestingResults, lab_id: LabIdPath) -> LabOut:
    return LabOut.model_validate(service.get_lab(session, actor=actor, lab_id=lab_id))


@router.patch(f"{BASE}/labs/{{lab_id}}", response_model=LabOut)
def update_lab(
    session: DbSession, actor: TestingManage, lab_id: LabIdPath, data: LabUpdate
) -> LabOut:
    lab = service.update_lab(session, actor=actor, lab_id=lab_id, data=data)
    return LabOut.model_validate(lab)


@router.get(f"{BASE}/labs/{{lab_id}}/members", response_model=list[LabMemberOut])
def list_members(session: DbSession, actor: TestingManage, lab_id: LabIdPath) -> list[LabMemberOut]:
    return [_member_out(u) for u in service.lab_members(session, actor=actor, lab_id=lab_id)]


@router.post(
    f"{BASE}/labs/{{lab_id}}/members",
    response_model=LabMemberOut,
    status_code=status.HTTP_201_CREATED,
)
def add_member(
    session: DbSession, actor: TestingManage, lab_id: LabIdPath, data: LabMemberIn
) -> LabMemberOut:
    user = service.add_member(session, actor=actor, lab_id=lab_id, user_id=data.user_id)
    return _member_out(user)


@router.delete(f"{BASE}/labs/{{lab_id}}/members/{{user_id}}", status_code=204)
def remove_member(
    session: DbSession, actor: TestingManage, lab_id: LabIdPath, user_id: UserIdPath
) -> None:
    service.remove_member(session, actor=actor, lab_id=lab_id, user_id=user_id)


@router.get(f"{BASE}/labs/{{lab_id}}/turnaround", response_model=Turnaround)
def turnaround(
    session: DbSession,
    actor: TestingResults,
    lab_id: LabIdPath,
    days: Annotated[int, Query(ge=1, le=90)] = 14,
) -> Turnaround:
    found = service.turnaround(session, actor=actor, lab_id=lab_id, days=days)
    return Turnaround(lab_id=lab_id, days=found)


@router.post(f"{BASE}/tubes/receive", response_model=ReceiveReport)
def receive_tubes(
    session: DbSession, actor: TestingResults, locale: Locale, data: ReceiveIn
) -> ReceiveReport:
    report = service.receive(session, actor=actor, lab_id=data.lab_id, barcodes_=data.barcodes)
    for refused in report.refused:
        refused.message = i18n.gettext(locale, refused.message)
    return report


@router.post(f"{BASE}/results", response_model=UploadReport)
def upload_batch(
    session: DbSession, actor: TestingResults, locale: Locale, data: ResultBatch
) -> UploadReport:
    report = importer.upload_batch(session, actor=actor, batch=data)
    return _translated(report, locale)


@router.post(
    f"{BASE}/results/upload",
    response_model=UploadReport,
    max_body_size=upload_limit(importer.MAX_UPLOAD_BYTES),
)
def upload_file(
    session: DbSession,
    actor: TestingResults,
    locale: Locale,
    file: UploadFile,
    lab_id: LabIdQuery = None,
) -> UploadReport:
    data = file.file.read(importer.MAX_UPLOAD_BYTES + 1)
    report = importer.upload_file(
        session, actor=actor, lab_id=lab_id, filename=file.filename or "", data=data
    )
    return _translated(report, locale)


@router.get(f"{BASE}/results/template", response_class=Response)
def results_template(actor: TestingResults, format: Literal["csv", "xlsx"] = "csv") -> Response:
    if format == "xlsx":
        body, media, name = importer.template_xlsx(), XLSX, "results-template.xlsx"
    else:
        body, media, name = importer.template_csv(), "text/csv; charset=utf-8", "results.csv"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(body, media_type=media, headers=headers)


@router.get(f"{BASE}/results/conflicts", response_model=list[ConflictOut])
def list_conflicts(session: DbSession, actor: TestingManage) -> list[ConflictOut]:
    return [
        service.conflict_out(line, tube)
        for line, tube in service.list_conflicts(session, actor=actor)
    ]


@router.post(f"{BASE}/results/conflicts/{{result_id}}/resolve", response_model=ConflictOut)
def resolve_conflict(
    session: DbSession, actor: TestingManage, result_id: IdPath, data: ConflictResolve
) -> ConflictOut:
    line = service.resolve_conflict(session, actor=actor, result_id=result_id, action=data.action)
    return service.conflict_out(line, service.tube_of(session, line))


@router.get(f"{BASE}/tasks", response_model=Page[TaskOut])
def list_tasks(
    session: DbSession,
    actor: TestingRead,
    paging: Paging,
    status: Literal["open", "done", "cancelled"] | None = None,
    kind: Literal["pool_retest", "antigen_confirm"] | None = None,
    region: RegionQuery = None,
) -> Page[TaskOut]:
    where = service.TaskFilter(status=status, region=region, kind=kind)
    items, cursor = service.list_tasks(session, actor=actor, where=where, page=paging)
    return Page(items=items, next_cursor=cursor)
