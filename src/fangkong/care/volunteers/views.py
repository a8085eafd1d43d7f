"""Pages of volunteers, pairings and vulnerable residents: the lists, and the forms that
register a volunteer, record a resident's care needs, pair a vulnerable resident with a
volunteer and end a pairing (importing goes through the API and
``fangkong care volunteers import``)."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from fangkong.auth.dependencies import CsrfChecked
from fangkong.auth.permissions import Perm
from fangkong.care.access import CareForm, CarePage
from fangkong.care.kinds import KIND_LABELS, SERVICE_KINDS
from fangkong.care.pages import FormInvalid, page, split_list, tab_counts
from fangkong.care.volunteers import service
from fangkong.care.volunteers.schemas import NeedForm, PairingCreate, VolunteerCreate
from fangkong.core.errors import DomainError
from fangkong.core.forms import FormFields, blank, picked, validated
from fangkong.core.pagination import PageParams
from fangkong.core.principal import Principal
from fangkong.core.templating import render
from fangkong.core.web import DbSession, IntIdPath

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50
Cursor = Annotated[str | None, Query(max_length=200)]
ActiveQuery = Annotated[Literal["", "yes", "no"] | None, Query()]
PersonQuery = Annotated[str, Query(max_length=20, pattern=r"^[0-9]*$")]
SKILLS = tuple(f"skill_{kind.value}" for kind in SERVICE_KINDS)
VOLUNTEER_FORM = ("person_id", "areas", *SKILLS)
NEED_FORM = ("person_id", "bedridden", "dialysis", "note")
PAIRING_FORM = ("person_id", "volunteer_id")
SERVICES = {kind.value: KIND_LABELS[kind.value] for kind in SERVICE_KINDS}


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
    page_at = PageParams(limit=PAGE_SIZE, cursor=cursor)
    rows, next_cursor = service.list_volunteers(session, actor=actor, page=page_at, where=where)
    context = {
        "rows": rows, "filters": filters, "kinds": KIND_LABELS,
        "next_url": _next("/care/volunteers", next_cursor, filters),
    } | tab_counts(session, actor)  # fmt: skip
    return render(request, "care/volunteers.html", context)


def _pairings(
    request: Request, session: DbSession, actor: Principal, cursor: str | None, **extra: Any
) -> Response:
    status = extra.pop("status", 200)
    page_at = PageParams(limit=PAGE_SIZE, cursor=cursor)
    rows, next_cursor = service.list_pairings(session, actor=actor, page=page_at, active=None)
    vulnerable, _ = service.list_vulnerable(session, actor=actor, page=PageParams(limit=PAGE_SIZE))
    context = {
        "rows": rows, "vulnerable": vulnerable, "error": None,
        "manage": actor.can(Perm.CARE_MANAGE),
        "next_url": _next("/care/pairings", next_cursor, {}),
    } | tab_counts(session, actor) | extra  # fmt: skip
    return page(request, "care/pairings.html", context, status)


@router.get("/care/pairings")
def pairings_page(
    request: Request, session: DbSession, actor: CarePage, cursor: Cursor = None
) -> Response:
    return _pairings(request, session, actor, cursor)


# --- registering a volunteer ------------------------------------------------------------


def _volunteer_form(
    request: Request, form: dict[str, str], error: DomainError | None, status: int = 200
) -> Response:
    context = {"form": form, "error": error, "services": SERVICES}
    return page(request, "care/volunteer_new.html", context, status)


@router.get("/care/volunteers/new")
def new_volunteer_page(request: Request, actor: CareForm) -> Response:
    return _volunteer_form(request, blank(VOLUNTEER_FORM), None)


@router.post("/care/volunteers/new", dependencies=[CsrfChecked])
def new_volunteer_submit(
    request: Request, session: DbSession, actor: CareForm, fields: FormFields
) -> Response:
    form = picked(fields, VOLUNTEER_FORM)
    given = {
        "person_id": form["person_id"],
        "skills": [name.removeprefix("skill_") for name in SKILLS if form[name]],
        "areas": split_list(form["areas"]),
    }
    try:
        data = validated(VolunteerCreate, given, FormInvalid)
        service.register_volunteer(session, actor=actor, data=data)
    except DomainError as exc:
        session.rollback()
        return _volunteer_form(request, form, exc, exc.status)
    return RedirectResponse("/care/volunteers", status_code=303)


# --- care needs -------------------------------------------------------------------------


def _need_form(
    request: Request, form: dict[str, str], error: DomainError | None, status: int = 200
) -> Response:
    return page(request, "care/need_form.html", {"form": form, "error": error}, status)


@router.get("/care/needs")
def need_page(request: Request, actor: CareForm, person_id: PersonQuery = "") -> Response:
    return _need_form(request, blank(NEED_FORM) | {"person_id": person_id}, None)


@router.post("/care/needs", dependencies=[CsrfChecked])
def need_submit(
    request: Request, session: DbSession, actor: CareForm, fields: FormFields
) -> Response:
    form = picked(fields, NEED_FORM)
    try:
        given = form | {"bedridden": bool(form["bedridden"]), "dialysis": bool(form["dialysis"])}
        data = validated(NeedForm, given, FormInvalid)
        service.set_need(session, actor=actor, person_id=data.person_id, data=data)
    except DomainError as exc:
        session.rollback()
        return _need_form(request, form, exc, exc.status)
    return RedirectResponse("/care/pairings", status_code=303)


# --- pairings ---------------------------------------------------------------------------


def _pairing_form(
    request: Request, form: dict[str, str], error: DomainError | None, status: int = 200
) -> Response:
    return page(request, "care/pairing_new.html", {"form": form, "error": error}, status)


@router.get("/care/pairings/new")
def new_pairing_page(request: Request, actor: CareForm, person_id: PersonQuery = "") -> Response:
    return _pairing_form(request, blank(PAIRING_FORM) | {"person_id": person_id}, None)


@router.post("/care/pairings/new", dependencies=[CsrfChecked])
def new_pairing_submit(
    request: Request, session: DbSession, actor: CareForm, fields: FormFields
) -> Response:
    form = picked(fields, PAIRING_FORM)
    try:
        service.pair(session, actor=actor, data=validated(PairingCreate, form, FormInvalid))
    except DomainError as exc:
        session.rollback()
        return _pairing_form(request, form, exc, exc.status)
    return RedirectResponse("/care/pairings", status_code=303)


@router.post("/care/pairings/{pairing_id}/end", dependencies=[CsrfChecked])
def end_pairing_submit(
    request: Request, session: DbSession, actor: CareForm, pairing_id: IntIdPath
) -> Response:
    try:
        service.end_pairing(session, actor=actor, pairing_id=pairing_id)
    except DomainError as exc:
        session.rollback()
        return _pairings(request, session, actor, None, error=exc, status=exc.status)
    return RedirectResponse("/care/pairings", status_code=303)
