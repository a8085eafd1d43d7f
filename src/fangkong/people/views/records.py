"""Record-keeping pages: the personal-data access log, likely duplicates and merging, import."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from fangkong.auth.dependencies import CsrfChecked
from fangkong.core import clock
from fangkong.core.bodylimit import upload_limit
from fangkong.core.errors import DomainError
from fangkong.core.fields import MAX_ID
from fangkong.core.pagination import PageParams
from fangkong.core.principal import Principal
from fangkong.core.templating import render
from fangkong.core.web import DbSession, IdPath, IdQuery, UserIdQuery
from fangkong.people import importer, service
from fangkong.people.dependencies import ProtectorDep
from fangkong.people.views.common import (
    LABELS,
    PAGE_SIZE,
    AccessLogPage,
    Cursor,
    MergePage,
    PeopleForm,
    page_link,
)

router = APIRouter(include_in_schema=False)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
StatusQuery = Annotated[str, Query(pattern=r"^(open|merged|dismissed)$")]
MAX_REJECTED_SHOWN = 500


@router.get("/people/access-log")
def access_log_page(
    request: Request,
    *,
    session: DbSession,
    actor: AccessLogPage,
    person_id: IdQuery = None,
    user_id: UserIdQuery = None,
    cursor: Cursor = None,
) -> Response:
    page = PageParams(limit=PAGE_SIZE, cursor=cursor)
    rows, next_cursor = service.access_log(
        session, actor=actor, page=page, person_id=person_id, user_id=user_id
    )
    filters = {"person_id": person_id, "user_id": user_id}
    context = {
        "entries": rows,
        "filters": filters,
        "next_url": page_link("/people/access-log", filters, next_cursor),
        "labels": LABELS,
    }
    return render(request, "people/access_log.html", context)


# --- duplicates -------------------------------------------------------------------------


@router.get("/people/duplicates")
def duplicates_page(
    request: Request,
    session: DbSession,
    actor: MergePage,
    status: StatusQuery = "open",
    cursor: Cursor = None,
) -> Response:
    page = PageParams(limit=PAGE_SIZE, cursor=cursor)
    pairs, next_cursor = service.list_duplicates(session, actor=actor, page=page, status=status)
    context = {
        "pairs": pairs,
        "status": status,
        "next_url": page_link("/people/duplicates", {"status": status}, next_cursor),
    }
    return render(request, "people/duplicates.html", context)


def _pair_page(
    request: Request,
    *,
    session: DbSession,
    actor: Principal,
    pair_id: int,
    status_code: int = 200,
    error: DomainError | None = None,
) -> Response:
    pair, first, second = service.get_duplicate(session, actor=actor, pair_id=pair_id)
    service.log_access(session, actor, "open", first)
    service.log_access(session, actor, "open", second)
    older_first = sorted((first, second), key=lambda person: person.id)
    context = {"pair": pair, "people": older_first, "labels": LABELS, "error": error}
    return render(request, "people/duplicate.html", context, status_code)


@router.get("/people/duplicates/{pair_id}")
def duplicate_page(
    request: Request, session: DbSession, actor: MergePage, pair_id: IdPath
) -> Response:
    return _pair_page(request, session=session, actor=actor, pair_id=pair_id)


@router.post("/people/duplicates/{pair_id}/merge", dependencies=[CsrfChecked])
def duplicate_merge(
    request: Request,
    session: DbSession,
    actor: MergePage,
    pair_id: IdPath,
    keep_id: Annotated[int, Form(ge=1, le=MAX_ID)],
) -> Response:
    try:
        kept = service.merge_duplicate(session, actor=actor, pair_id=pair_id, keep_id=keep_id)
    except DomainError as exc:
        session.rollback()
        return _pair_page(
            request,
            session=session,
            actor=actor,
            pair_id=pair_id,
            status_code=exc.status,
            error=exc,
        )
    return RedirectResponse(f"/people/{kept.id}", status_code=303)


@router.post("/people/duplicates/{pair_id}/dismiss", dependencies=[CsrfChecked])
def duplicate_dismiss(
    request: Request, session: DbSession, actor: MergePage, pair_id: IdPath
) -> Response:
    try:
        service.dismiss_duplicate(session, actor=actor, pair_id=pair_id)
    except DomainError as exc:
        session.rollback()
        return _pair_page(
            request,
            session=session,
            actor=actor,
            pair_id=pair_id,
            status_code=exc.status,
            error=exc,
        )
    return RedirectResponse("/people/duplicates", status_code=303)


# --- import -----------------------------------------------------------------------------


def _import_context(report: Any = None, error: Any = None, dry_run: bool = False) -> dict[str, Any]:
    return {
        "report": report,
        "error": error,
        "dry_run": dry_run,
        "max_rejected": MAX_REJECTED_SHOWN,
        "max_mb": importer.MAX_UPLOAD_BYTES // (1024 * 1024),
    }


@router.get("/people/import")
def import_page(request: Request, actor: PeopleForm) -> Response:
    return render(request, "people/import.html", _import_context())


@router.post(
    "/people/import",
    dependencies=[CsrfChecked],
    max_body_size=upload_limit(importer.MAX_UPLOAD_BYTES),
)
def import_submit(
    request: Request,
    *,
    session: DbSession,
    actor: PeopleForm,
    protector: ProtectorDep,
    file: UploadFile,
    dry_run: Annotated[bool, Form()] = False,
) -> Response:
    data = file.file.read(importer.MAX_UPLOAD_BYTES + 1)
    try:
        report = importer.import_upload(
            session,
            actor=actor,
            protector=protector,
            filename=file.filename or "",
            data=data,
            today=clock.local_today(),
        )
    except DomainError as exc:
        session.rollback()
        return render(request, "people/import.html", _import_context(error=exc), exc.status)
    if dry_run:
        session.rollback()
    return render(request, "people/import.html", _import_context(report, dry_run=dry_run))


def _download(body: bytes, media_type: str, filename: str) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(body, media_type=media_type, headers=headers)


@router.get("/people/import/template.csv")
def import_template_csv(actor: PeopleForm) -> Response:
    return _download(importer.template_csv(), "text/csv; charset=utf-8", "people-template.csv")


@router.get("/people/import/template.xlsx")
def import_template_xlsx(actor: PeopleForm) -> Response:
    return _download(importer.template_xlsx(), XLSX, "people-template.xlsx")
