"""Pages of testing/results: the lab's desk (upload with the refused lines as a table, receive
tubes, recent uploads, turnaround), the labs list with turnaround, conflicts to settle, and the
retest task list."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from fangkong.auth.dependencies import CsrfChecked
from fangkong.core.bodylimit import upload_limit
from fangkong.core.errors import DomainError
from fangkong.core.pagination import PageParams
from fangkong.core.principal import Principal
from fangkong.core.templating import render
from fangkong.core.web import DbSession, IdPath
from fangkong.testing.dependencies import TestingManagePage, TestingReadPage, TestingResultsPage
from fangkong.testing.results import importer, service

router = APIRouter(include_in_schema=False)
LabQuery = Annotated[int | None, Query(ge=1, le=2**31 - 1)]
LabForm = Annotated[int | None, Form(ge=1, le=2**31 - 1)]
NO_STORE = {"Cache-Control": "no-store"}


def _desk(session: DbSession, actor: Principal, lab_id: int | None) -> dict[str, Any]:
    labs = service.list_labs(session, actor=actor)
    chosen = next((lab for lab in labs if lab.id == lab_id), labs[0] if labs else None)
    context: dict[str, Any] = {"labs": labs, "lab": chosen, "report": None, "received": None,
                               "error": None, "uploads": [], "turnaround": []}  # fmt: skip
    if chosen is not None:
        context["uploads"] = service.recent_uploads(session, actor=actor, lab_id=chosen.id)
        context["turnaround"] = service.turnaround(session, actor=actor, lab_id=chosen.id)
    return context


def _page(request: Request, context: dict[str, Any], status: int = 200) -> Response:
    response = render(request, "testing/results_lab.html", context, status)
    response.headers.update(NO_STORE)
    return response


@router.get("/testing/lab")
def lab_desk(
    request: Request, session: DbSession, actor: TestingResultsPage, lab: LabQuery = None
) -> Response:
    return _page(request, _desk(session, actor, lab))


@router.post(
    "/testing/lab/upload",
    dependencies=[CsrfChecked],
    max_body_size=upload_limit(importer.MAX_UPLOAD_BYTES),
)
def lab_upload(
    request: Request, session: DbSession, actor: TestingResultsPage, file: UploadFile,
    lab_id: LabForm = None,
) -> Response:  # fmt: skip
    data = file.file.read(importer.MAX_UPLOAD_BYTES + 1)
    try:
        report = importer.upload_file(
            session, actor=actor, lab_id=lab_id, filename=file.filename or "", data=data
        )
    except DomainError as exc:
        session.rollback()
        return _page(request, _desk(session, actor, lab_id) | {"error": exc}, exc.status)
    session.commit()
    return _page(request, _desk(session, actor, report.lab_id) | {"report": report})


@router.post("/testing/lab/receive", dependencies=[CsrfChecked])
def lab_receive(
    request: Request, session: DbSession, actor: TestingResultsPage,
    barcodes: Annotated[str, Form(max_length=200_000)], lab_id: LabForm = None,
) -> Response:  # fmt: skip
    found = [code for code in barcodes.split() if code][:10_000]
    try:
        received = service.receive(session, actor=actor, lab_id=lab_id, barcodes_=found)
    except DomainError as exc:
        session.rollback()
        return _page(request, _desk(session, actor, lab_id) | {"error": exc}, exc.status)
    session.commit()
    return _page(request, _desk(session, actor, received.lab_id) | {"received": received})


@router.get("/testing/labs")
def labs_page(request: Request, session: DbSession, actor: TestingResultsPage) -> Response:
    rows = []
    for lab in service.list_labs(session, actor=actor):
        days = service.turnaround(session, actor=actor, lab_id=lab.id, days=7)
        rows.append({"lab": lab, "days": days})
    return render(request, "testing/results_labs.html", {"rows": rows})


@router.get("/testing/conflicts")
def conflicts_page(request: Request, session: DbSession, actor: TestingManagePage) -> Response:
    found = [service.conflict_out(line, tube)
             for line, tube in service.list_conflicts(session, actor=actor)]  # fmt: skip
    response = render(request, "testing/results_conflicts.html", {"conflicts": found})
    response.headers.update(NO_STORE)
    return response


@router.post("/testing/conflicts/{result_id}/resolve", dependencies=[CsrfChecked])
def resolve_conflict(
    session: DbSession, actor: TestingManagePage, result_id: IdPath,
    action: Annotated[Literal["keep", "replace"], Form()],
) -> Response:  # fmt: skip
    service.resolve_conflict(session, actor=actor, result_id=result_id, action=action)
    return RedirectResponse("/testing/conflicts", status_code=303)


@router.get("/testing/tasks")
def tasks_page(
    request: Request,
    session: DbSession,
    actor: TestingReadPage,
    status: Annotated[Literal["", "open", "done", "cancelled"], Query()] = "open",
    region: Annotated[str, Query(pattern=r"^([0-9]{2,15})?$")] = "",
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    where = service.TaskFilter(status=status or None, region=region or None)
    items, next_cursor = service.list_tasks(
        session, actor=actor, where=where, page=PageParams(limit=100, cursor=cursor)
    )
    context = {"tasks": items, "status": status, "region": region, "next_cursor": next_cursor}
    return render(request, "testing/results_tasks.html", context)
