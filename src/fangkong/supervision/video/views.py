"""The page of the video-point ledger: points with their status and last check, filtered."""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from fangkong.core.pagination import PageParams
from fangkong.core.templating import render
from fangkong.core.web import DbSession
from fangkong.supervision.dependencies import SupervisionPage
from fangkong.supervision.labels import POINT_STATUS_NAMES, PointStatus
from fangkong.supervision.video import service

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50
Cursor = Annotated[str | None, Query(max_length=200)]
StatusQuery = Annotated[PointStatus | Literal[""] | None, Query()]
IdQuery = Annotated[int | None, Query(ge=1, le=2**31 - 1)]


@router.get("/supervision/video-points")
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
    next_url = None
    if next_cursor:
        query = {k: v for k, v in filters.items() if v} | {"cursor": next_cursor}
        next_url = f"/supervision/video-points?{urlencode(query)}"
    context = {"points": rows, "filters": filters, "next_url": next_url,
               "statuses": list(PointStatus), "status_names": POINT_STATUS_NAMES}  # fmt: skip
    return render(request, "supervision/video_points.html", context)
