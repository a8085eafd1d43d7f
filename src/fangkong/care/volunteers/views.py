"""Pages of volunteers, pairings and vulnerable residents: lists (registering, pairing and
importing go through the API and ``fangkong care volunteers import``)."""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from fangkong.care.access import CarePage
from fangkong.care.kinds import KIND_LABELS
from fangkong.care.volunteers import service
from fangkong.core.pagination import PageParams
from fangkong.core.templating import render
from fangkong.core.web import DbSession

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50
Cursor = Annotated[str | None, Query(max_length=200)]
ActiveQuery = Annotated[Literal["", "yes", "no"] | None, Query()]


def _next(path: str, cursor: str | None, filters: dict[str, str]) -> str | None:
    if not cursor:
        return None
    return f"{path}?{urlencode({k: v for k, v in filters.items() if v} | {'cursor': cursor})}"


@router.get("/care/volunteers")
def volunteers_page(
    request: Request,
    session: DbSession,
    actor: CarePage,
    active: ActiveQuery = None,
    cursor: Cursor = None,
) -> Response:
    filters: dict[str, str] = {"active": active or ""}
    where = service.VolunteerFilter(active={"yes": True, "no": False}.get(filters["active"]))
    page = PageParams(limit=PAGE_SIZE, cursor=cursor)
    rows, next_cursor = service.list_volunteers(session, actor=actor, page=page, where=where)
    context = {
        "rows": rows, "filters": filters, "kinds": KIND_LABELS,
        "next_url": _next("/care/volunteers", next_cursor, filters),
    }  # fmt: skip
    return render(request, "care/volunteers.html", context)


@router.get("/care/pairings")
def pairings_page(
    request: Request, session: DbSession, actor: CarePage, cursor: Cursor = None
) -> Response:
    page = PageParams(limit=PAGE_SIZE, cursor=cursor)
    rows, next_cursor = service.list_pairings(session, actor=actor, page=page, active=None)
    vulnerable, _ = service.list_vulnerable(session, actor=actor, page=PageParams(limit=PAGE_SIZE))
    context = {
        "rows": rows, "vulnerable": vulnerable,
        "next_url": _next("/care/pairings", next_cursor, {}),
    }  # fmt: skip
    return render(request, "care/pairings.html", context)
