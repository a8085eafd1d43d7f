"""Household pages: the list (by region), a new household, one household with its members."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from fangkong.auth.dependencies import CsrfChecked
from fangkong.core.errors import DomainError
from fangkong.core.fields import MAX_ID
from fangkong.core.forms import RawFormFields as FormFields
from fangkong.core.pagination import PageParams
from fangkong.core.principal import Principal
from fangkong.core.templating import render
from fangkong.core.web import DbSession, IdPath
from fangkong.people import service
from fangkong.people.schemas import HouseholdCreate, HouseholdUpdate
from fangkong.people.views.common import (
    LABELS,
    PAGE_SIZE,
    Cursor,
    PeopleForm,
    PeoplePage,
    PrefixQuery,
    checked,
    cleaned,
    domain_errors,
    field_errors,
    own_grid,
    page_link,
)

router = APIRouter(include_in_schema=False)
NEW_FIELDS = ("grid_code", "address", "ref")
PersonField = Annotated[int, Form(ge=1, le=MAX_ID)]


@router.get("/households")
def households_page(
    request: Request,
    session: DbSession,
    actor: PeoplePage,
    region: PrefixQuery = None,
    cursor: Cursor = None,
) -> Response:
    page = PageParams(limit=PAGE_SIZE, cursor=cursor)
    region = region or None
    rows, next_cursor = service.list_households(session, actor=actor, page=page, region=region)
    context = {
        "households": rows,
        "members": service.household_members(session, rows),
        "region": region or "",
        "next_url": page_link("/households", {"region": region}, next_cursor),
    }
    return render(request, "people/households.html", context)


@router.get("/households/new")
def new_household_page(
    request: Request,
    actor: PeopleForm,
    grid: Annotated[str | None, Query(max_length=15)] = None,
) -> Response:
    own = own_grid(actor)
    form = {"grid_code": grid or own}
    return render(request, "people/household_new.html", {"form": form, "errors": {}})


@router.post("/households/new", dependencies=[CsrfChecked])
def new_household_submit(
    request: Request, session: DbSession, actor: PeopleForm, fields: FormFields
) -> Response:
    values = cleaned(fields, NEW_FIELDS)
    try:
        data = HouseholdCreate.model_validate({k: v for k, v in values.items() if v is not None})
        household = service.create_household(session, actor=actor, data=data)
    except ValidationError as exc:
        return _new_error(request, values, field_errors(exc), 422)
    except DomainError as exc:
        session.rollback()
        return _new_error(request, values, domain_errors(exc), exc.status)
    return RedirectResponse(f"/households/{household.id}", status_code=303)


def _new_error(
    request: Request, form: dict[str, Any], errors: dict[str, Any], status_code: int
) -> Response:
    context = {"form": form, "errors": errors}
    return render(request, "people/household_new.html", context, status_code)


def _household_page(
    request: Request,
    session: DbSession,
    actor: Principal,
    household_id: int,
    status_code: int = 200,
    **extra: Any,
) -> Response:
    household = service.get_household(session, actor=actor, household_id=household_id)
    context = {
        "household": household,
        "members": service.members(session, household),
        "labels": LABELS,
        "errors": {},
        "form": {},
    }
    return render(request, "people/household.html", context | extra, status_code)


@router.get("/households/{household_id}")
def household_page(
    request: Request, session: DbSession, actor: PeoplePage, household_id: IdPath
) -> Response:
    return _household_page(request, session, actor, household_id)


def _failed(
    request: Request, session: DbSession, actor: Principal, household_id: int, exc: DomainError
) -> Response:
    session.rollback()
    errors = domain_errors(exc)
    return _household_page(request, session, actor, household_id, exc.status, errors=errors)


def _back(household_id: int) -> Response:
    return RedirectResponse(f"/households/{household_id}", status_code=303)


@router.post("/households/{household_id}/members", dependencies=[CsrfChecked])
def household_add_member(
    request: Request,
    *,
    session: DbSession,
    actor: PeopleForm,
    household_id: IdPath,
    person_id: PersonField,
    fields: FormFields,
) -> Response:
    head = checked(fields, "head")
    try:
        service.add_member(
            session, actor=actor, household_id=household_id, person_id=person_id, head=head
        )
    except DomainError as exc:
        return _failed(request, session, actor, household_id, exc)
    return _back(household_id)


@router.post("/households/{household_id}/members/{person_id}/remove", dependencies=[CsrfChecked])
def household_remove_member(
    request: Request, session: DbSession, actor: PeopleForm, household_id: IdPath, person_id: IdPath
) -> Response:
    try:
        service.remove_member(session, actor=actor, household_id=household_id, person_id=person_id)
    except DomainError as exc:
        return _failed(request, session, actor, household_id, exc)
    return _back(household_id)


def _update(
    request: Request,
    session: DbSession,
    actor: Principal,
    household_id: int,
    changes: dict[str, Any],
) -> Response:
    try:
        data = HouseholdUpdate.model_validate(changes)
        service.update_household(session, actor=actor, household_id=household_id, data=data)
    except ValidationError as exc:
        errors = field_errors(exc)
        return _household_page(
            request, session, actor, household_id, 422, errors=errors, form=changes
        )
    except DomainError as exc:
        return _failed(request, session, actor, household_id, exc)
    return _back(household_id)


@router.post("/households/{household_id}/head", dependencies=[CsrfChecked])
def household_set_head(
    request: Request,
    session: DbSession,
    actor: PeopleForm,
    household_id: IdPath,
    person_id: PersonField,
) -> Response:
    return _update(request, session, actor, household_id, {"head_id": person_id})


@router.post("/households/{household_id}/edit", dependencies=[CsrfChecked])
def household_edit(
    request: Request,
    session: DbSession,
    actor: PeopleForm,
    household_id: IdPath,
    fields: FormFields,
) -> Response:
    address = (fields.get("address") or "").strip()
    return _update(request, session, actor, household_id, {"address": address})
