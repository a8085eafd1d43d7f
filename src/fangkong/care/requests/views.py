"""Pages of care requests: the list (emergencies first; filters, overdue), the new-request
form, and the detail page with its actions (assign, start, done, refuse).

Forms are read as plain strings and validated in the handler, so bad input re-renders the
form with its values kept and the error shown."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from fangkong.auth.dependencies import CsrfChecked
from fangkong.auth.permissions import Perm
from fangkong.care.access import CareForm, CarePage
from fangkong.care.kinds import KIND_LABELS, STATUS_LABELS, ZONE_LABELS, RequestKind, Status
from fangkong.care.pages import NO_STORE, FormInvalid, tab_counts
from fangkong.care.requests import service
from fangkong.care.requests.schemas import RequestCreate
from fangkong.core import clock
from fangkong.core.errors import DomainError
from fangkong.core.forms import FormFields
from fangkong.core.pagination import PageParams
from fangkong.core.principal import Principal
from fangkong.core.templating import render
from fangkong.core.web import DbSession, IdPath, SettingsDep

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50
Cursor = Annotated[str | None, Query(max_length=200)]
StatusQuery = Annotated[Status | Literal[""] | None, Query()]
KindQuery = Annotated[RequestKind | Literal[""] | None, Query()]
YesQuery = Annotated[Literal["", "yes"] | None, Query()]


@router.get("/care/requests")
def requests_page(
    request: Request,
    session: DbSession,
    actor: CarePage,
    status: StatusQuery = None,
    kind: KindQuery = None,
    overdue: YesQuery = None,
    escalated: YesQuery = None,
    cursor: Cursor = None,
) -> Response:
    filters = {"status": status or "", "kind": kind or "", "overdue": overdue or "",
               "escalated": escalated or ""}  # fmt: skip
    where = service.RequestFilter(
        status=filters["status"] or None, kind=filters["kind"] or None,
        overdue_at=clock.now() if filters["overdue"] else None,
        escalated=bool(filters["escalated"]),
    )  # fmt: skip
    page = PageParams(limit=PAGE_SIZE, cursor=cursor)
    rows, next_cursor = service.list_requests(session, actor=actor, page=page, where=where)
    next_url = None
    if next_cursor:
        query = {k: v for k, v in filters.items() if v} | {"cursor": next_cursor}
        next_url = f"/care/requests?{urlencode(query)}"
    context = {
        "rows": rows, "filters": filters, "filtered": any(filters.values()),
        "next_url": next_url, "kinds": KIND_LABELS, "statuses": STATUS_LABELS,
    } | tab_counts(session, actor)  # fmt: skip
    return render(request, "care/requests.html", context)


def _new_page(request: Request, form: dict[str, str], error: Any, status: int = 200) -> Response:
    context = {"form": form, "error": error, "kinds": KIND_LABELS}
    response = render(request, "care/request_new.html", context, status)
    response.headers.update(NO_STORE)
    return response


@router.get("/care/requests/new")
def new_request_page(request: Request, actor: CareForm) -> Response:
    return _new_page(request, {"person_id": "", "kind": "", "text": ""}, None)


@router.post("/care/requests/new", dependencies=[CsrfChecked])
def new_request_submit(
    request: Request, session: DbSession, settings: SettingsDep, actor: CareForm, fields: FormFields
) -> Response:
    form = {name: fields.get(name, "") for name in ("person_id", "kind", "text")}
    try:
        data = RequestCreate.model_validate(form)
        made = service.ask(session, actor=actor, settings=settings, data=data)
    except ValidationError:
        return _new_page(request, form, FormInvalid(), 422)
    except DomainError as exc:
        session.rollback()
        return _new_page(request, form, exc, exc.status)
    return RedirectResponse(f"/care/requests/{made.id}", status_code=303)


def _detail(
    request: Request, session: DbSession, actor: Principal, request_id: int, **extra: Any
) -> Response:
    status = extra.pop("status", 200)
    item = service.detail(session, actor=actor, request_id=request_id)
    context = {
        "item": item, "kinds": KIND_LABELS, "statuses": STATUS_LABELS, "zones": ZONE_LABELS,
        "manage": actor.can(Perm.CARE_MANAGE), "error": None,
    } | extra  # fmt: skip
    response = render(request, "care/request_detail.html", context, status)
    response.headers.update(NO_STORE)
    return response


@router.get("/care/requests/{request_id}")
def request_page(
    request: Request, session: DbSession, actor: CarePage, request_id: IdPath
) -> Response:
    return _detail(request, session, actor, request_id)


@router.post("/care/requests/{request_id}/{action}", dependencies=[CsrfChecked])
def request_action(
    request: Request,
    session: DbSession,
    actor: CareForm,
    request_id: IdPath,
    action: Literal["assign", "start", "done", "refuse"],
    fields: FormFields,
) -> Response:
    try:
        _act(session, actor, request_id, action, fields)
    except DomainError as exc:
        session.rollback()
        return _detail(request, session, actor, request_id, error=exc, status=exc.status)
    return RedirectResponse(f"/care/requests/{request_id}", status_code=303)


def _act(
    session: DbSession, actor: Principal, request_id: int, action: str, fields: dict[str, str]
) -> None:
    text = fields.get("text", "")
    if action in {"done", "refuse"} and not 1 <= len(text) <= 500:
        raise FormInvalid()
    if action == "assign":
        raw = fields.get("volunteer_id", "")
        if raw and not (raw.isdigit() and 1 <= int(raw) <= 2**31 - 1):
            raise FormInvalid()
        service.assign(
            session, actor=actor, request_id=request_id, volunteer_id=int(raw) if raw else None
        )
    elif action == "start":
        service.start(session, actor=actor, request_id=request_id)
    elif action == "done":
        service.complete(session, actor=actor, request_id=request_id, outcome=text)
    else:
        service.refuse(session, actor=actor, request_id=request_id, reason=text)
