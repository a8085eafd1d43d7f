"""Pages: the region tree (children load on demand with htmx) and the import form."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Path, Query, Request, UploadFile
from fastapi.responses import Response

from fangkong.auth.dependencies import CsrfChecked, web_require
from fangkong.auth.permissions import Perm
from fangkong.core.bodylimit import upload_limit
from fangkong.core.errors import DomainError
from fangkong.core.fields import MAX_USER_ID
from fangkong.core.pagination import PageParams
from fangkong.core.principal import Principal
from fangkong.core.scoping import REGION_CODE_PATTERN
from fangkong.core.templating import render
from fangkong.core.web import DbSession, UserIdPath
from fangkong.regions import service

router = APIRouter(include_in_schema=False)
RegionsPage = Annotated[Principal, Depends(web_require(Perm.REGIONS_READ))]
RegionsForm = Annotated[Principal, Depends(web_require(Perm.REGIONS_MANAGE))]
CodePath = Annotated[str, Path(pattern=REGION_CODE_PATTERN)]


def _nodes(
    session: DbSession, actor: Principal, parent: str | None, cursor: str | None
) -> dict[str, Any]:
    rows, next_cursor = service.children(
        session, actor=actor, parent=parent, page=PageParams(limit=200, cursor=cursor)
    )
    return {
        "regions": rows,
        "counts": service.child_counts(session, rows),
        "parent": parent,
        "next_cursor": next_cursor,
    }


@router.get("/regions")
def regions_page(request: Request, session: DbSession, actor: RegionsPage) -> Response:
    return render(request, "regions.html", _nodes(session, actor, None, None) | {"report": None})


@router.get("/regions/{code}/children")
def region_children(
    request: Request,
    session: DbSession,
    actor: RegionsPage,
    code: CodePath,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    return render(request, "partials/region_nodes.html", _nodes(session, actor, code, cursor))


def _workers(session: DbSession, actor: Principal, code: str) -> dict[str, Any]:
    workers = service.workers(session, actor=actor, grid_code=code)
    can_manage = actor.can(Perm.REGIONS_MANAGE)
    candidates = (
        service.worker_candidates(session, actor=actor, grid_code=code) if can_manage else []
    )
    assigned = {w.id for w in workers}
    return {
        "workers": workers,
        "code": code,
        "can_manage": can_manage,
        "candidates": [c for c in candidates if c.id not in assigned],
    }


@router.get("/regions/{code}/workers")
def region_workers(
    request: Request, session: DbSession, actor: RegionsPage, code: CodePath
) -> Response:
    return render(request, "partials/region_workers.html", _workers(session, actor, code))


@router.post("/regions/{code}/workers", dependencies=[CsrfChecked])
def region_assign_worker(
    request: Request,
    session: DbSession,
    actor: RegionsForm,
    code: CodePath,
    user_id: Annotated[int, Form(ge=1, le=MAX_USER_ID)],
) -> Response:
    service.assign_worker(session, actor=actor, grid_code=code, user_id=user_id)
    return render(request, "partials/region_workers.html", _workers(session, actor, code))


@router.post("/regions/{code}/workers/{user_id}/remove", dependencies=[CsrfChecked])
def region_unassign_worker(
    request: Request, session: DbSession, actor: RegionsForm, code: CodePath, user_id: UserIdPath
) -> Response:
    service.unassign_worker(session, actor=actor, grid_code=code, user_id=user_id)
    return render(request, "partials/region_workers.html", _workers(session, actor, code))


@router.post(
    "/regions/import",
    dependencies=[CsrfChecked],
    max_body_size=upload_limit(service.MAX_UPLOAD_BYTES),
)
def regions_import(
    request: Request, session: DbSession, actor: RegionsForm, file: UploadFile
) -> Response:
    data = file.file.read(service.MAX_UPLOAD_BYTES + 1)
    try:
        report: Any = service.import_upload(
            session, actor=actor, filename=file.filename or "", data=data
        )
    except DomainError as exc:
        session.rollback()
        report = {"error": exc}
    context = _nodes(session, actor, None, None) | {"report": report}
    return render(request, "regions.html", context)
