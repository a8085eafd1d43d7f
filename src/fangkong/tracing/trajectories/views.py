"""Pages of trajectories: the case's trajectory as a timeline table with the interview form
(``/cases/{case_id}/trajectory``), the table alone as an htmx fragment
(``/cases/{case_id}/trajectory/table``, which the investigation workspace loads), and carriers'
passenger lists (``/tracing/travel``: upload, list with filters, ID and phone masked)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from fangkong.auth.dependencies import CsrfChecked
from fangkong.auth.permissions import Perm
from fangkong.core import clock
from fangkong.core.bodylimit import upload_limit
from fangkong.core.errors import DomainError
from fangkong.core.pagination import PageParams
from fangkong.core.principal import Principal
from fangkong.core.templating import render
from fangkong.core.web import DbSession, SettingsDep
from fangkong.tracing.dependencies import TracingManagePage, TracingReadPage
from fangkong.tracing.trajectories import errors, importer, service
from fangkong.tracing.trajectories.dependencies import CaseIdPath, EntryIdPath
from fangkong.tracing.trajectories.labels import ALL
from fangkong.tracing.trajectories.schemas import InterviewIn, TravelOut

router = APIRouter(include_in_schema=False)
NO_STORE = {"Cache-Control": "no-store"}
Text = Annotated[str, Form(max_length=200)]
Cursor = Annotated[str | None, Query(max_length=200)]


def _page(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    response = render(request, f"tracing/{name}", context | {"labels": ALL}, status)
    response.headers.update(NO_STORE)
    return response


def _utc(text: str) -> datetime:
    """A ``datetime-local`` value (Asia/Shanghai wall time) as an aware UTC instant."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise errors.FormInvalid() from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=clock.LOCAL_TZ)
    return value.astimezone(UTC)


def _interview_in(form: dict[str, str]) -> InterviewIn:
    body: dict[str, Any] = {"place": form["place"], "activity": form["activity"],
                            "start_at": _utc(form["start_at"]), "end_at": _utc(form["end_at"]),
                            "venue_id": form["venue_id"] or None}  # fmt: skip
    try:
        return InterviewIn.model_validate(body)
    except ValidationError:
        raise errors.FormInvalid() from None


# --- the trajectory ------------------------------------------------------------------------


def _trajectory(session: DbSession, actor: Principal, case_id: int, **extra: Any) -> dict[str, Any]:
    found = service.trajectory(session, actor=actor, case_id=case_id)
    return {"trajectory": found, "case_id": case_id, "error": None, "form": {},
            "can_manage": actor.can(Perm.TRACING_MANAGE),
            "can_publish": actor.can(Perm.TRACING_PUBLISH)} | extra  # fmt: skip


@router.get("/cases/{case_id}/trajectory")
def trajectory_page(
    request: Request, session: DbSession, actor: TracingReadPage, case_id: CaseIdPath
) -> Response:
    return _page(request, "trajectory_page.html", _trajectory(session, actor, case_id))


@router.get("/cases/{case_id}/trajectory/table")
def trajectory_table(
    request: Request, session: DbSession, actor: TracingReadPage, case_id: CaseIdPath
) -> Response:
    """The timeline table alone (htmx fragment for the investigation workspace)."""
    return _page(request, "trajectory_table.html", _trajectory(session, actor, case_id))


@router.post("/cases/{case_id}/trajectory/interview", dependencies=[CsrfChecked])
def interview_add(
    request: Request, session: DbSession, actor: TracingManagePage, case_id: CaseIdPath,
    place: Text = "", start_at: Text = "", end_at: Text = "", venue_id: Text = "",
    activity: Text = "",
) -> Response:  # fmt: skip
    form = {"place": place, "start_at": start_at, "end_at": end_at, "venue_id": venue_id,
            "activity": activity}  # fmt: skip
    try:
        data = _interview_in(form)
        service.add_interview(session, actor=actor, case_id=case_id, data=data)
    except DomainError as exc:
        session.rollback()
        context = _trajectory(session, actor, case_id, error=exc, form=form)
        return _page(request, "trajectory_page.html", context, exc.status)
    return RedirectResponse(f"/cases/{case_id}/trajectory", status_code=303)


@router.post("/cases/{case_id}/trajectory/interview/{entry_id}/delete", dependencies=[CsrfChecked])
def interview_delete(
    session: DbSession, actor: TracingManagePage, case_id: CaseIdPath, entry_id: EntryIdPath
) -> Response:
    service.delete_interview(session, actor=actor, case_id=case_id, entry_id=entry_id)
    return RedirectResponse(f"/cases/{case_id}/trajectory", status_code=303)


# --- passenger lists -----------------------------------------------------------------------


def _travel(
    session: DbSession, actor: Principal, filters: dict[str, str], cursor: str | None
) -> dict[str, Any]:
    day = date.fromisoformat(filters["travel_on"]) if filters.get("travel_on") else None
    where = service.TravelFilter(mode=filters.get("mode") or None, travel_on=day,
                                 number=(filters.get("number") or "").upper() or None)  # fmt: skip
    found, next_cursor = service.list_travel(session, actor=actor, where=where,
                                             page=PageParams(limit=100, cursor=cursor))  # fmt: skip
    query = {k: v for k, v in filters.items() if v}
    next_url = (
        f"/tracing/travel?{urlencode(query | {'cursor': next_cursor})}" if next_cursor else None
    )
    return {"records": [TravelOut.model_validate(r) for r in found], "filters": filters,
            "next_url": next_url, "report": None, "error": None,
            "can_manage": actor.can(Perm.TRACING_MANAGE)}  # fmt: skip


@router.get("/tracing/travel")
def travel_page(
    request: Request, session: DbSession, actor: TracingReadPage,
    mode: Annotated[str, Query(pattern=r"^(flight|train|coach|ship)?$")] = "",
    number: Annotated[str, Query(pattern=r"^([A-Za-z0-9]{2,16})?$")] = "",
    travel_on: Annotated[str, Query(pattern=r"^(\d{4}-\d{2}-\d{2})?$")] = "",
    cursor: Cursor = None,
) -> Response:  # fmt: skip
    filters = {"mode": mode, "number": number, "travel_on": travel_on}
    try:
        context = _travel(session, actor, filters, cursor)
    except ValueError:
        raise errors.FormInvalid() from None
    return _page(request, "travel_list.html", context)


@router.post(
    "/tracing/travel/import",
    dependencies=[CsrfChecked],
    max_body_size=upload_limit(importer.MAX_UPLOAD_BYTES),
)
def travel_import(
    request: Request, session: DbSession, settings: SettingsDep, actor: TracingManagePage,
    file: UploadFile,
) -> Response:  # fmt: skip
    data = file.file.read(importer.MAX_UPLOAD_BYTES + 1)
    context: dict[str, Any] = {"records": [], "next_url": None, "can_manage": True,
                               "filters": {}, "report": None, "error": None}  # fmt: skip
    try:
        context["report"] = importer.import_upload(
            session, settings, actor=actor, filename=file.filename or "", data=data
        )
    except DomainError as exc:
        session.rollback()
        return _page(request, "travel_list.html", context | {"error": exc}, exc.status)
    session.commit()
    return _page(request, "travel_list.html", context)
