"""Pages of contacts: the list (filters, check boxes and bulk actions for hundreds at once:
confirm, reject, notify, print control notices), a contact's page, the investigation workspace
of a case (header, the trajectory fragment, candidates grouped by reason with their evidence,
decide buttons, the interview-named form, generate again) and the printable control notice.
Forms are read as strings and validated in the handler; bad input re-renders with the error."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from fangkong.auth.dependencies import CsrfChecked
from fangkong.auth.permissions import Perm
from fangkong.core import clock
from fangkong.core.errors import N_, DomainError, InvalidInput
from fangkong.core.pagination import PageParams
from fangkong.core.principal import Principal
from fangkong.core.templating import render
from fangkong.core.web import DbSession
from fangkong.healthcode.service import current_edition
from fangkong.people.dependencies import ProtectorDep
from fangkong.tracing.contacts import notices, service
from fangkong.tracing.contacts.dependencies import CaseIdPath, ContactIdPath
from fangkong.tracing.contacts.labels import DEGREES, MEASURES, REASONS, STATUSES
from fangkong.tracing.contacts.schemas import MAX_IDS, DecisionIn, NamedContactIn
from fangkong.tracing.dependencies import TracingManagePage, TracingReadPage
from fangkong.tracing.window import trace_window

router = APIRouter(include_in_schema=False)
LIST = "/tracing/contacts"
PAGE_SIZE = 200
NO_STORE = {"Cache-Control": "no-store"}
LABELS = {"degrees": DEGREES, "statuses": STATUSES, "reasons": REASONS, "measures": MEASURES}
DegreeQuery = Annotated[str | None, Query(pattern=r"^(|close|secondary)$")]
StatusQuery = Annotated[
    str | None, Query(pattern=r"^(|candidate|confirmed|rejected|released|upgraded)$")
]
ReasonQuery = Annotated[
    str | None, Query(pattern=r"^(|household|venue|transport|interview|secondary)$")
]
PrefixQuery = Annotated[str | None, Query(pattern=r"^([0-9]{2,15})?$")]
CaseQuery = Annotated[str | None, Query(pattern=r"^([0-9]{1,18})?$")]
Cursor = Annotated[str | None, Query(max_length=200)]
IdsQuery = Annotated[list[int], Query(max_length=MAX_IDS)]


class FormInvalid(InvalidInput):
    code = "contact.form_invalid"
    title = N_("Check the selection, the action and, to reject, the reason.")


class NamedFormInvalid(InvalidInput):
    code = "contact.named_form_invalid"
    title = N_("Give a person id, an ID number or a phone, and the time of contact.")


async def _form(request: Request) -> list[tuple[str, str]]:
    form = await request.form()
    return [(k, v.strip()) for k, v in form.multi_items() if isinstance(v, str)]


FormItems = Annotated[list[tuple[str, str]], Depends(_form)]


def _page(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    response = render(request, f"tracing/{name}", context | {"labels": LABELS}, status)
    response.headers.update(NO_STORE)
    return response


# --- the list ------------------------------------------------------------------------------


def _filters(**given: str | None) -> dict[str, str]:
    return {name: value or "" for name, value in given.items()}


def _list(
    request: Request, session: DbSession, actor: Principal, filters: dict[str, str],
    cursor: str | None, error: DomainError | None = None, done: str = "",
) -> Response:  # fmt: skip
    where = service.ContactFilter(
        degree=filters["degree"] or None, status=filters["status"] or None,
        reason=filters["reason"] or None, district=filters["district"] or None,
        grid=filters["grid"] or None, case_id=int(filters["case"]) if filters["case"] else None,
    )  # fmt: skip
    rows, next_cursor = service.list_contacts(
        session, actor=actor, page=PageParams(limit=PAGE_SIZE, cursor=cursor), where=where
    )
    query = {k: v for k, v in filters.items() if v}
    next_url = f"{LIST}?{urlencode(query | {'cursor': next_cursor})}" if next_cursor else None
    context = {"contacts": rows, "filters": filters, "next_url": next_url, "error": error,
               "manage": actor.can(Perm.TRACING_MANAGE), "done": done}  # fmt: skip
    return _page(request, "contact_list.html", context, error.status if error else 200)


@router.get(LIST)
def contacts_page(
    request: Request, session: DbSession, actor: TracingReadPage,
    degree: DegreeQuery = None, status: StatusQuery = None, reason: ReasonQuery = None,
    district: PrefixQuery = None, grid: PrefixQuery = None, case: CaseQuery = None,
    cursor: Cursor = None, done: Annotated[str, Query(max_length=20)] = "",
) -> Response:  # fmt: skip
    filters = _filters(degree=degree, status=status, reason=reason, district=district,
                       grid=grid, case=case)  # fmt: skip
    return _list(request, session, actor, filters, cursor, done=done)


def _decision(items: list[tuple[str, str]]) -> DecisionIn:
    fields = dict(items)
    ids = [int(v) for k, v in items if k == "ids" and v.isdigit()]
    if not ids:
        raise FormInvalid()
    return DecisionIn.model_validate(
        {"action": fields.get("action", ""), "ids": ids, "reason": fields.get("reason", "")}
    )


@router.post(f"{LIST}/decisions", dependencies=[CsrfChecked])
def decide_page(
    request: Request, session: DbSession, actor: TracingManagePage, items: FormItems
) -> Response:
    back = dict(items).get("back", "")
    try:
        data = _decision(items)
        service.decide(session, actor=actor, data=data)
    except (ValidationError, ValueError, DomainError) as exc:
        session.rollback()
        error = exc if isinstance(exc, DomainError) else FormInvalid()
        filters = _filters(degree="", status="", reason="", district="", grid="", case="")
        return _list(request, session, actor, filters, None, error)
    target = back if back.startswith("/cases/") else LIST
    return RedirectResponse(f"{target}?done={data.action.value}", status_code=303)


# --- the control notice --------------------------------------------------------------------


@router.get(f"{LIST}/notice")
def notice_page(
    request: Request, session: DbSession, actor: TracingManagePage, ids: IdsQuery
) -> Response:
    found = notices.notices(session, actor=actor, ids=ids)
    context = {"notices": found, "issued_on": clock.local_today(),
               "edition": current_edition(session).id}  # fmt: skip
    return _page(request, "contact_notice.html", context)


# --- a contact -----------------------------------------------------------------------------


@router.get(f"{LIST}/{{contact_id}}")
def contact_page(
    request: Request, session: DbSession, actor: TracingReadPage, contact_id: ContactIdPath
) -> Response:
    contact = service.detail(session, actor=actor, contact_id=contact_id)
    manage = actor.can(Perm.TRACING_MANAGE) and service.may_decide(
        actor, service.get_contact(session, actor=actor, contact_id=contact_id)
    )
    return _page(request, "contact_detail.html", {"contact": contact, "manage": manage})


# --- the investigation workspace -----------------------------------------------------------


def _workspace(
    request: Request, session: DbSession, actor: Principal, case_id: int,
    error: DomainError | None = None, form: dict[str, str] | None = None, done: str = "",
) -> Response:  # fmt: skip
    case = service.get_case(session, actor=actor, case_id=case_id)
    edition = current_edition(session)
    start, end = trace_window(case, edition)
    rows, _ = service.case_contacts(session, actor=actor, case_id=case_id,
                                    page=PageParams(limit=500))  # fmt: skip
    groups: dict[str, list[Any]] = {reason: [] for reason in REASONS}
    for row in rows:
        groups[row.reasons[0] if row.reasons else "interview"].append(row)
    context = {
        "case": case, "person": service.person_name(session, case.person_id),
        "window_start": start, "window_end": end, "groups": groups, "error": error,
        "form": form or {}, "manage": actor.can(Perm.TRACING_MANAGE), "done": done,
        "secondary_identified": edition.contacts.secondary.identified, "edition": edition.id,
    }  # fmt: skip
    return _page(request, "investigation.html", context, error.status if error else 200)


@router.get("/cases/{case_id}/investigation")
def investigation_page(
    request: Request, session: DbSession, actor: TracingReadPage, case_id: CaseIdPath,
    done: Annotated[str, Query(max_length=20)] = "",
) -> Response:  # fmt: skip
    return _workspace(request, session, actor, case_id, done=done)


@router.post("/cases/{case_id}/investigation/generate", dependencies=[CsrfChecked])
def generate_page(
    request: Request, session: DbSession, actor: TracingManagePage, case_id: CaseIdPath
) -> Response:
    service.generate(session, actor=actor, case_id=case_id)
    return RedirectResponse(f"/cases/{case_id}/investigation?done=generate", status_code=303)


def _named(fields: dict[str, str]) -> NamedContactIn:
    identifier = fields.get("identifier", "").replace(" ", "")
    kind = fields.get("kind", "person_id")
    if kind not in ("person_id", "id_number", "phone") or not identifier:
        raise NamedFormInvalid()
    at = datetime.fromisoformat(fields.get("contact_at", "").replace(" ", "T"))
    at = at.replace(tzinfo=clock.LOCAL_TZ) if at.tzinfo is None else at
    return NamedContactIn.model_validate(
        {kind: identifier, "contact_at": at, "note": fields.get("note", "")}
    )


@router.post("/cases/{case_id}/investigation/named", dependencies=[CsrfChecked])
def named_page(
    request: Request, session: DbSession, actor: TracingManagePage, protector: ProtectorDep,
    case_id: CaseIdPath, items: FormItems,
) -> Response:  # fmt: skip
    fields = dict(items)
    try:
        service.add_named(session, actor=actor, protector=protector, case_id=case_id,
                          data=_named(fields))  # fmt: skip
    except (ValidationError, ValueError, DomainError) as exc:
        session.rollback()
        error = exc if isinstance(exc, DomainError) else NamedFormInvalid()
        return _workspace(request, session, actor, case_id, error, fields)
    return RedirectResponse(f"/cases/{case_id}/investigation?done=named", status_code=303)
