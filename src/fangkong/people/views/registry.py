"""Pages of the register: the list with filters, exact search, the new-person form.

Exact search is a POST form: ID numbers and phones never appear in a URL. The search box is
not echoed back in full; the page shows the masked number that was searched for.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from fangkong.auth.dependencies import CsrfChecked
from fangkong.core.errors import DomainError
from fangkong.core.forms import RawFormFields as FormFields
from fangkong.core.masking import mask_id_number, mask_phone
from fangkong.core.pagination import PageParams
from fangkong.core.principal import Principal
from fangkong.core.ratelimit import Kind, per_user
from fangkong.core.templating import render
from fangkong.core.web import DbSession
from fangkong.models import IdType, KeyGroup
from fangkong.people import service
from fangkong.people.dependencies import ProtectorDep
from fangkong.people.protect import Protector
from fangkong.people.schemas import FLAGS, FlagName, PersonCreate, PersonSearch
from fangkong.people.views.common import (
    LABELS,
    NO_STORE,
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
PERSON_FIELDS = (
    "name",
    "id_type",
    "id_number",
    "sex",
    "birth_date",
    "phone",
    "address",
    "grid_code",
    "household_id",
)
KEY_GROUP_FIELDS = ("group", "employer", "start_date")
SEARCH_FIELDS = ("id_type", "id_number", "phone")


NameQuery = Annotated[str | None, Query(max_length=64)]
GroupQuery = Annotated[KeyGroup | Literal[""] | None, Query()]
FlagQuery = Annotated[list[FlagName] | None, Query()]
# Name queries and exact searches count against the user's search limit.
QueryPage = Annotated[Principal, Depends(per_user(Kind.SEARCH, PeoplePage, only_with_query="q"))]
SearchPage = Annotated[Principal, Depends(per_user(Kind.SEARCH, PeoplePage))]


def _list_context(
    session: DbSession, actor: Principal, filters: dict[str, Any], cursor: str | None
) -> dict[str, Any]:
    where = service.PersonFilter(
        q=filters["q"],
        region=filters["region"],
        key_group=filters["key_group"],
        flags=tuple(filters["flag"]),
    )
    page = PageParams(limit=PAGE_SIZE, cursor=cursor)
    rows, next_cursor = service.list_people(session, actor=actor, page=page, where=where)
    return {
        "people": rows,
        "filters": filters,
        "filtered": any(filters.values()),
        "next_url": page_link("/people", filters, next_cursor),
        "labels": LABELS,
        "search": None,
        "search_errors": {},
    }


def _no_filters() -> dict[str, Any]:
    return {"q": None, "region": None, "key_group": None, "flag": []}


@router.get("/people")
def people_page(
    request: Request,
    *,
    session: DbSession,
    actor: QueryPage,
    q: NameQuery = None,
    region: PrefixQuery = None,
    key_group: GroupQuery = None,
    flag: FlagQuery = None,
    cursor: Cursor = None,
) -> Response:
    filters: dict[str, Any] = {"q": q or None, "region": region or None}
    filters |= {"key_group": key_group or None, "flag": flag or []}
    return render(request, "people/list.html", _list_context(session, actor, filters, cursor))


def _searched_for(values: dict[str, str | None]) -> str:
    """What was searched for, masked like everywhere else."""
    if values["id_number"]:
        return mask_id_number(values["id_number"])
    return mask_phone(values["phone"] or "")


def _search(
    session: DbSession, actor: Principal, protector: Protector, values: dict[str, str | None]
) -> tuple[dict[str, Any] | None, dict[str, Any], int]:
    """The search's results, or the errors of the form and the status to answer with."""
    try:
        data = PersonSearch.model_validate({k: v for k, v in values.items() if v is not None})
        found = service.search_exact(session, actor=actor, protector=protector, data=data)
    except ValidationError as exc:
        return None, field_errors(exc), 422
    except DomainError as exc:
        return None, domain_errors(exc), exc.status
    return {"people": found, "term": _searched_for(values)}, {}, 200


@router.post("/people/search", dependencies=[CsrfChecked])
def people_search(
    request: Request,
    session: DbSession,
    actor: SearchPage,
    protector: ProtectorDep,
    fields: FormFields,
) -> Response:
    values = cleaned(fields, SEARCH_FIELDS)
    search, errors, status_code = _search(session, actor, protector, values)
    context = _list_context(session, actor, _no_filters(), None) | {
        "search": search,
        "search_errors": errors,
        "search_form": {"id_type": values["id_type"]},
    }
    return _no_store(render(request, "people/list.html", context, status_code))


def _no_store(response: Response) -> Response:
    response.headers.update(NO_STORE)
    return response


def _new_context(form: dict[str, Any], errors: dict[str, Any]) -> dict[str, Any]:
    return {
        "form": form,
        "errors": errors,
        "labels": LABELS,
        "flags": FLAGS,
    }


@router.get("/people/new")
def new_person_page(request: Request, actor: PeopleForm) -> Response:
    grid = own_grid(actor)
    form = {"id_type": IdType.RESIDENT_ID.value, "grid_code": grid}
    return render(request, "people/new.html", _new_context(form, {}))


def _person_create(fields: dict[str, str]) -> PersonCreate:
    values = cleaned(fields, PERSON_FIELDS)
    group = cleaned(fields, KEY_GROUP_FIELDS)
    body: dict[str, Any] = {k: v for k, v in values.items() if v is not None}
    body |= {flag: checked(fields, flag) for flag in FLAGS}
    body["key_groups"] = [{k: v for k, v in group.items() if v}] if group["group"] else []
    return PersonCreate.model_validate(body)


@router.post("/people/new", dependencies=[CsrfChecked])
def new_person_submit(
    request: Request,
    session: DbSession,
    actor: PeopleForm,
    protector: ProtectorDep,
    fields: FormFields,
) -> Response:
    try:
        data = _person_create(fields)
        person, duplicates = service.create_person(
            session, actor=actor, protector=protector, data=data
        )
    except ValidationError as exc:
        return _new_error(request, fields, field_errors(exc), 422)
    except DomainError as exc:
        session.rollback()
        return _new_error(request, fields, domain_errors(exc), exc.status)
    suffix = f"?duplicates={len(duplicates)}" if duplicates else ""
    return RedirectResponse(f"/people/{person.id}{suffix}", status_code=303)


def _new_error(
    request: Request, fields: dict[str, str], errors: dict[str, Any], status_code: int
) -> Response:
    form = {key: value for key, value in fields.items() if key != "csrf_token"}
    return _no_store(render(request, "people/new.html", _new_context(form, errors), status_code))
