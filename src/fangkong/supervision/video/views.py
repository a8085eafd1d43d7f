"""Pages of the video-point ledger: points with their status and last check, filtered and
exported; the new-point form, and on the list a form to record a point's status now.

Forms are validated in the handler against the API's schemas: bad input re-renders the form
(or the list) with the error shown and nothing written."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from fangkong.auth.dependencies import CsrfChecked
from fangkong.core.errors import DomainError
from fangkong.core.forms import FormFields, blank, picked
from fangkong.core.pagination import PageParams
from fangkong.core.templating import render
from fangkong.core.web import DbSession
from fangkong.supervision.dependencies import IntIdPath, SupervisionManageForm, SupervisionPage
from fangkong.supervision.labels import POINT_STATUS_NAMES, PointStatus
from fangkong.supervision.pages import PAGE_SIZE, form_page, next_url, read, submit
from fangkong.supervision.video import service
from fangkong.supervision.video.schemas import StatusIn, VideoPointCreate

router = APIRouter(include_in_schema=False)
POINTS = "/supervision/video-points"
FIELDS = ("name", "community_id", "zone_id", "status")
Cursor = Annotated[str | None, Query(max_length=200)]
StatusQuery = Annotated[PointStatus | Literal[""] | None, Query()]
IdQuery = Annotated[int | None, Query(ge=1, le=2**31 - 1)]


@router.get(POINTS)
def video_points_page(
    request: Request,
    session: DbSession,
    actor: SupervisionPage,
    status: StatusQuery = None,
    community_id: IdQuery = None,
    cursor: Cursor = None,
) -> Response:
    where = service.PointFilter(status=status or None, community_id=community_id)
    page = PageParams(limit=PAGE_SIZE, cursor=cursor)
    rows, next_cursor = service.list_points(session, actor=actor, page=page, where=where)
    filters = {"status": status or "", "community_id": str(community_id or "")}
    context = {"points": rows, "filters": filters, "statuses": list(PointStatus),
               "status_names": POINT_STATUS_NAMES,
               "next_url": next_url(POINTS, filters, next_cursor)}  # fmt: skip
    return render(request, "supervision/video_points.html", context)


def _new_page(request: Request, form: dict[str, str], error: DomainError | None = None) -> Response:
    context = {"form": form, "error": error, "statuses": list(PointStatus),
               "status_names": POINT_STATUS_NAMES}  # fmt: skip
    status = error.status if error else 200
    return form_page(request, "supervision/video_point_new.html", context, status)


@router.get(f"{POINTS}/new")
def new_point_page(
    request: Request, actor: SupervisionManageForm, community_id: IdQuery = None
) -> Response:
    form = blank(FIELDS) | {"community_id": str(community_id or ""), "status": "online"}
    return _new_page(request, form)


@router.post(f"{POINTS}/new", dependencies=[CsrfChecked])
def new_point_submit(
    request: Request, session: DbSession, actor: SupervisionManageForm, fields: FormFields
) -> Response:
    form = picked(fields, FIELDS)

    def write() -> str:
        made = service.create_point(session, actor=actor, data=read(VideoPointCreate, form))
        return f"{POINTS}?community_id={made.community_id}"

    return submit(session, write, lambda exc: _new_page(request, form, exc))


def _status_error(request: Request, error: DomainError) -> Response:
    context = {"error": error, "back": POINTS}
    return form_page(request, "supervision/form_error.html", context, error.status)


@router.post(f"{POINTS}/{{point_id}}/status", dependencies=[CsrfChecked])
def status_submit(
    request: Request,
    session: DbSession,
    actor: SupervisionManageForm,
    point_id: IntIdPath,
    fields: FormFields,
) -> Response:
    def write() -> str:
        data = read(StatusIn, picked(fields, ("status",)))
        point = service.set_status(session, actor=actor, point_id=point_id, status=data.status)
        return f"{POINTS}?community_id={point.community_id}"

    return submit(session, write, lambda exc: _status_error(request, exc))
