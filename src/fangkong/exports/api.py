"""``/api/v1/exports``: ask for a list as an XLSX or CSV file (202), follow its progress,
download it when ready; a superior lists the exports awaiting their decision and approves
or denies them. Small exports are written during the request; the rest by the worker."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Depends, Request, status
from fastapi.responses import FileResponse

from fangkong.core.openapi import PROBLEM_MEDIA_TYPE, PROBLEM_REF
from fangkong.core.pagination import Page, PageParams
from fangkong.core.principal import Principal
from fangkong.core.ratelimit import Kind, per_user
from fangkong.core.web import DbSession, SettingsDep, page_params
from fangkong.exports import runner, service, worker
from fangkong.exports.dependencies import ExportIdPath, ExportsApprove, ExportsRequest, export_file
from fangkong.exports.schemas import ExportCreate, ExportDecision, ExportOut
from fangkong.models.exports import ExportStatus

router = APIRouter(tags=["exports"])
EXPORTS = "/api/v1/exports"
Paging = Annotated[PageParams, Depends(page_params)]
# Asking for an export counts against the user's export limit (as spreadsheet downloads do).
ExportsAsk = Annotated[Principal, Depends(per_user(Kind.EXPORT, ExportsRequest))]
FILE_TYPES: dict[str, dict[str, object]] = {m: {} for m in service.MEDIA_TYPES.values()}


@router.post(EXPORTS, response_model=ExportOut, status_code=status.HTTP_202_ACCEPTED)
def request_export(
    request: Request,
    background: BackgroundTasks,
    session: DbSession,
    settings: SettingsDep,
    actor: ExportsAsk,
    data: ExportCreate,
) -> ExportOut:
    export = service.request_export(session, settings, actor=actor, data=data)
    if export.status == ExportStatus.QUEUED:
        if export.rows_total <= settings.export_inline_rows:
            runner.write_inline(session, settings, export)
        else:
            background.add_task(worker.notify, request.app)
    return ExportOut.model_validate(export)


@router.get(EXPORTS, response_model=Page[ExportOut])
def list_exports(session: DbSession, actor: ExportsRequest, paging: Paging) -> Page[ExportOut]:
    rows, cursor = service.list_mine(session, actor=actor, page=paging)
    return Page(items=[ExportOut.model_validate(e) for e in rows], next_cursor=cursor)


@router.get(f"{EXPORTS}/approvals", response_model=Page[ExportOut])
def approvals(session: DbSession, actor: ExportsApprove, paging: Paging) -> Page[ExportOut]:
    rows, cursor = service.awaiting_my_decision(session, actor=actor, page=paging)
    return Page(items=[ExportOut.model_validate(e) for e in rows], next_cursor=cursor)


@router.get(f"{EXPORTS}/{{export_id}}", response_model=ExportOut)
def get_export(session: DbSession, actor: ExportsRequest, export_id: ExportIdPath) -> ExportOut:
    return ExportOut.model_validate(service.get_export(session, actor=actor, export_id=export_id))


@router.get(
    f"{EXPORTS}/{{export_id}}/file",
    response_class=FileResponse,
    responses={
        200: {"content": FILE_TYPES, "description": "The export's file"},
        409: {
            "description": "The file is not ready (or has expired).",
            "content": {PROBLEM_MEDIA_TYPE: {"schema": PROBLEM_REF}},
        },
    },
)
def download(
    session: DbSession, settings: SettingsDep, actor: ExportsRequest, export_id: ExportIdPath
) -> FileResponse:
    return export_file(*service.download(session, settings, actor=actor, export_id=export_id))


def _decide(
    request: Request,
    background: BackgroundTasks,
    session: DbSession,
    actor: Principal,
    export_id: int,
    data: ExportDecision,
    approve: bool,
) -> ExportOut:
    export = service.decide(session, actor=actor, export_id=export_id, approve=approve, data=data)
    if approve:
        background.add_task(worker.notify, request.app)
    return ExportOut.model_validate(export)


@router.post(f"{EXPORTS}/{{export_id}}/approve", response_model=ExportOut)
def approve(
    request: Request,
    background: BackgroundTasks,
    session: DbSession,
    actor: ExportsApprove,
    export_id: ExportIdPath,
    data: ExportDecision,
) -> ExportOut:
    return _decide(request, background, session, actor, export_id, data, approve=True)


@router.post(f"{EXPORTS}/{{export_id}}/deny", response_model=ExportOut)
def deny(
    request: Request,
    background: BackgroundTasks,
    session: DbSession,
    actor: ExportsApprove,
    export_id: ExportIdPath,
    data: ExportDecision,
) -> ExportOut:
    return _decide(request, background, session, actor, export_id, data, approve=False)
