"""Supervision pages: the overview of a period (the report sentence, its figures, the red and
black lists) and the problems found, with the overdue filter and the verification form."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from fangkong.auth.dependencies import CsrfChecked
from fangkong.core import clock
from fangkong.core.pagination import PageParams
from fangkong.core.templating import render
from fangkong.core.web import DbSession, SettingsDep
from fangkong.supervision.companies import service as companies
from fangkong.supervision.dependencies import IntIdPath, SupervisionInspectForm, SupervisionPage
from fangkong.supervision.inspections import report, service
from fangkong.supervision.inspections.schemas import VerificationIn
from fangkong.supervision.labels import ASPECT_NAMES, FINDING_STATUS_NAMES, FindingStatus

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50
DEFAULT_DAYS = 30
Cursor = Annotated[str | None, Query(max_length=200)]
StatusQuery = Annotated[FindingStatus | Literal[""] | None, Query()]


@router.get("/supervision")
def overview_page(
    request: Request,
    session: DbSession,
    settings: SettingsDep,
    actor: SupervisionPage,
    start: date | None = None,
    end: date | None = None,
) -> Response:
    end = end or clock.local_today()
    start = start or end - timedelta(days=DEFAULT_DAYS - 1)
    found = report.period_report(session, actor=actor, start=start, end=end)
    lists = companies.lists(session, actor=actor, settings=settings, start=start, end=end)
    context = {"report": found, "lists": lists, "start": start, "end": end}
    return render(request, "supervision/overview.html", context)


@router.get("/supervision/problems")
def problems_page(
    request: Request,
    session: DbSession,
    actor: SupervisionPage,
    status: StatusQuery = None,
    overdue: bool = False,
    cursor: Cursor = None,
) -> Response:
    chosen = FindingStatus(status) if status else None
    page = PageParams(limit=PAGE_SIZE, cursor=cursor)
    rows, next_cursor = service.list_problems(
        session, actor=actor, page=page, status=chosen, overdue=overdue
    )
    filters = {"status": status or "", "overdue": "true" if overdue else ""}
    next_url = None
    if next_cursor:
        query = {k: v for k, v in filters.items() if v} | {"cursor": next_cursor}
        next_url = f"/supervision/problems?{urlencode(query)}"
    context = {
        "problems": rows,
        "filters": filters,
        "next_url": next_url,
        "aspects": ASPECT_NAMES,
        "statuses": list(FindingStatus)[1:],
        "status_names": FINDING_STATUS_NAMES,
        "today": clock.local_today(),
    }
    return render(request, "supervision/problems.html", context)


@router.post("/supervision/problems/{finding_id}/verify", dependencies=[CsrfChecked])
def verify_problem(
    session: DbSession,
    actor: SupervisionInspectForm,
    finding_id: IntIdPath,
    rectified: Annotated[Literal["yes", "no"], Form()],
    note: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    data = VerificationIn(rectified=rectified == "yes", note=note)
    service.verify(session, actor=actor, finding_id=finding_id, data=data)
    return RedirectResponse("/supervision/problems", status_code=303)
