"""The person page: identity (masked), reveal, household, key groups, timeline, edit, access.

Opening the page is logged as an access by the service; a reveal is a POST whose answer shows
the full number once, is never cached, and is logged too.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from fangkong.auth.dependencies import CsrfChecked
from fangkong.auth.permissions import Perm
from fangkong.core import clock
from fangkong.core.errors import DomainError
from fangkong.core.forms import RawFormFields as FormFields
from fangkong.core.pagination import PageParams
from fangkong.core.principal import Principal
from fangkong.core.templating import render
from fangkong.core.web import DbSession, IdPath, request_locale
from fangkong.models import Person
from fangkong.people import service
from fangkong.people import timeline as person_timeline
from fangkong.people.dependencies import ProtectorDep
from fangkong.people.schemas import FLAGS, KeyGroupIn, PersonUpdate
from fangkong.people.views import timeline
from fangkong.people.views.common import (
    LABELS,
    NO_STORE,
    PeopleForm,
    PeoplePage,
    checked,
    cleaned,
    domain_errors,
    field_errors,
)

router = APIRouter(include_in_schema=False)
EDIT_FIELDS = ("name", "address", "grid_code", "household_id")
REQUIRED_FIELDS = ("name", "grid_code")
KEY_GROUP_FIELDS = ("group", "employer", "start_date", "end_date")
ACCESS_ROWS = 20
Duplicates = Annotated[int, Query(ge=0, le=100)]


def _edit_form(person: Person) -> dict[str, Any]:
    form: dict[str, Any] = {name: getattr(person, name) or "" for name in EDIT_FIELDS}
    return form | {flag: getattr(person, flag) for flag in FLAGS}


def _access(session: DbSession, actor: Principal, person: Person) -> list[Any]:
    if not actor.can(Perm.PEOPLE_ACCESS_LOG):
        return []
    rows, _ = service.access_log(
        session, actor=actor, page=PageParams(limit=ACCESS_ROWS), person_id=person.id
    )
    return list(rows)


def _household(session: DbSession, actor: Principal, person: Person) -> dict[str, Any]:
    if person.household_id is None:
        return {"household": None, "members": []}
    household = service.get_household(session, actor=actor, household_id=person.household_id)
    return {"household": household, "members": service.members(session, household)}


def _timeline(session: DbSession, actor: Principal, person: Person, locale: str) -> list[Any]:
    """The record's own events and every domain's entries (codes, tests, trips), newest first."""
    own = timeline.events(person, service.history(session, actor=actor, person_id=person.id))
    others = [
        person_timeline.show(entry, locale)
        for entry in person_timeline.entries(session, actor, person.id)
    ]
    return sorted([*own, *others], key=lambda event: event.at, reverse=True)


def _context(
    session: DbSession, actor: Principal, person: Person, locale: str, **extra: Any
) -> dict[str, Any]:
    context = {
        "person": person,
        "memberships": service.key_groups(session, person),
        "timeline": _timeline(session, actor, person, locale),
        "access": _access(session, actor, person),
        "revealed": {},
        "form": _edit_form(person),
        "errors": {},
        "kg_form": {},
        "kg_errors": {},
        "possible_duplicates": 0,
        "labels": LABELS,
        "flags": FLAGS,
        "today": clock.local_today(),
    }
    return context | _household(session, actor, person) | extra


def _page(
    request: Request,
    session: DbSession,
    actor: Principal,
    person_id: int,
    status: int,
    **extra: Any,
) -> Response:
    """The person page again after a failed form: fresh state, the submitted values kept."""
    session.rollback()
    person = service.get_person(session, actor=actor, person_id=person_id, log=False)
    response = render(
        request,
        "people/detail.html",
        _context(session, actor, person, request_locale(request), **extra),
        status,
    )
    response.headers.update(NO_STORE)
    return response


@router.get("/people/{person_id}")
def person_page(
    request: Request,
    session: DbSession,
    actor: PeoplePage,
    person_id: IdPath,
    duplicates: Duplicates = 0,
) -> Response:
    person = service.get_person(session, actor=actor, person_id=person_id)
    context = _context(
        session, actor, person, request_locale(request), possible_duplicates=duplicates
    )
    return render(request, "people/detail.html", context)


@router.post("/people/{person_id}/reveal", dependencies=[CsrfChecked])
def person_reveal(
    request: Request,
    *,
    session: DbSession,
    actor: PeoplePage,
    protector: ProtectorDep,
    person_id: IdPath,
    field: Annotated[Literal["id_number", "phone"], Form()],
) -> Response:
    person = service.get_person(session, actor=actor, person_id=person_id, log=False)
    shown = service.reveal(session, actor=actor, protector=protector, person=person, fields=[field])
    response = render(
        request,
        "people/detail.html",
        _context(session, actor, person, request_locale(request), revealed=shown),
    )
    response.headers.update(NO_STORE)
    return response


def _text(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


def _changes(person: Person, fields: dict[str, str]) -> dict[str, Any]:
    """Only what the form changed (PATCH semantics): unchanged fields are not sent."""
    values = cleaned(fields, (*EDIT_FIELDS, "phone"))
    changes: dict[str, Any] = {
        name: values[name] for name in EDIT_FIELDS if values[name] != _text(getattr(person, name))
    }
    if values["phone"] or checked(fields, "clear_phone"):
        changes["phone"] = values["phone"]
    for flag in FLAGS:
        if checked(fields, flag) != getattr(person, flag):
            changes[flag] = checked(fields, flag)
    return changes


def _update(person: Person, fields: dict[str, str]) -> PersonUpdate:
    changes = _changes(person, fields)
    for name in REQUIRED_FIELDS:
        if name in changes and changes[name] is None:
            changes[name] = ""  # a required field emptied: refused by the schema, marked
    return PersonUpdate.model_validate(changes)


@router.post("/people/{person_id}/edit", dependencies=[CsrfChecked])
def person_edit(
    request: Request,
    *,
    session: DbSession,
    actor: PeopleForm,
    protector: ProtectorDep,
    person_id: IdPath,
    fields: FormFields,
) -> Response:
    person = service.get_person(session, actor=actor, person_id=person_id, log=False)
    try:
        data = _update(person, fields)
        service.update_person(
            session, actor=actor, protector=protector, person_id=person_id, data=data
        )
    except ValidationError as exc:
        return _page(request, session, actor, person_id, 422, **_kept(fields, field_errors(exc)))
    except DomainError as exc:
        return _page(
            request, session, actor, person_id, exc.status, **_kept(fields, domain_errors(exc))
        )
    return RedirectResponse(f"/people/{person_id}", status_code=303)


def _kept(fields: dict[str, str], errors: dict[str, Any]) -> dict[str, Any]:
    form: dict[str, Any] = {name: fields.get(name, "") for name in (*EDIT_FIELDS, "phone")}
    form |= {flag: checked(fields, flag) for flag in FLAGS}
    return {"form": form, "errors": errors, "edit_open": True}


@router.post("/people/{person_id}/key-groups", dependencies=[CsrfChecked])
def person_add_key_group(
    request: Request, session: DbSession, actor: PeopleForm, person_id: IdPath, fields: FormFields
) -> Response:
    values = cleaned(fields, KEY_GROUP_FIELDS)
    try:
        data = KeyGroupIn.model_validate({k: v for k, v in values.items() if v is not None})
        service.add_key_group(session, actor=actor, person_id=person_id, data=data)
    except ValidationError as exc:
        return _page(
            request, session, actor, person_id, 422, kg_form=values, kg_errors=field_errors(exc)
        )
    except DomainError as exc:
        errors = domain_errors(exc)
        return _page(
            request, session, actor, person_id, exc.status, kg_form=values, kg_errors=errors
        )
    return RedirectResponse(f"/people/{person_id}#key-groups", status_code=303)


@router.post("/people/{person_id}/key-groups/{membership_id}/end", dependencies=[CsrfChecked])
def person_end_key_group(
    request: Request,
    *,
    session: DbSession,
    actor: PeopleForm,
    person_id: IdPath,
    membership_id: IdPath,
    end_date: Annotated[date, Form()],
) -> Response:
    try:
        service.end_key_group(
            session, actor=actor, person_id=person_id, membership_id=membership_id, end=end_date
        )
    except DomainError as exc:
        return _page(request, session, actor, person_id, exc.status, kg_errors=domain_errors(exc))
    return RedirectResponse(f"/people/{person_id}#key-groups", status_code=303)
