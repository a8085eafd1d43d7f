"""Venue pages: the list with filters, the new-venue form, the detail page (edit, operators,
place code, rotate, deactivate, close and reopen with the closures' history, today's
check-ins from the scans domain) and the A4 poster.

Forms are read as plain strings and validated inside the handler, so bad input re-renders the
form with its values kept and the wrong fields marked.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup
from pydantic import ValidationError

from fangkong.auth.dependencies import CsrfChecked
from fangkong.auth.permissions import Perm
from fangkong.core import clock
from fangkong.core.errors import N_, DomainError
from fangkong.core.forms import RawFormFields as FormFields
from fangkong.core.pagination import PageParams
from fangkong.core.principal import Principal
from fangkong.core.templating import render
from fangkong.core.web import DbSession, SettingsDep
from fangkong.models.venue import Venue
from fangkong.policy.types import VenueType
from fangkong.venues import placecode, service
from fangkong.venues.dependencies import VenueIdPath, VenuesForm, VenuesPage
from fangkong.venues.labels import TYPE_LABELS
from fangkong.venues.schemas import ClosureIn, ReopenIn, VenueCreate, VenueUpdate

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50
FIELDS = ("name", "type", "region_code", "address")
NO_STORE = {"Cache-Control": "no-store"}
FIELD_HINTS = {
    "name": N_("Enter 1 to 100 characters."),
    "type": N_("Choose a venue type from the list."),
    "region_code": N_("A region code has 6, 9, 12 or 15 digits."),
    "address": N_("At most 200 characters."),
    "user_id": N_("Choose an operator from the list."),
    "reason": N_("Say why, in 1 to 200 characters."),
    "until": N_("A date and time after now, or leave it empty (until reopened)."),
    "note": N_("At most 200 characters."),
}
ERROR_FIELDS = {
    "venue.unknown_region": "region_code",
    "venue.region_out_of_jurisdiction": "region_code",
    "venue.duplicate_name": "name",
    "venue.invalid_name": "name",
    "venue.invalid_type": "type",
    "venue.invalid_address": "address",
    "venue.closure_ends_in_past": "until",
}
Cursor = Annotated[str | None, Query(max_length=200)]
TypeQuery = Annotated[VenueType | Literal[""] | None, Query()]
PrefixQuery = Annotated[str | None, Query(pattern=r"^([0-9]{2,15})?$")]
ActiveQuery = Annotated[Literal["", "yes", "no"] | None, Query()]
NameQuery = Annotated[str | None, Query(max_length=100)]


def _field_errors(exc: ValidationError) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    for error in exc.errors():
        name = str(error["loc"][0]) if error["loc"] else "_"
        errors.setdefault(name, FIELD_HINTS.get(name, N_("This value is not valid.")))
    return errors


def _domain_errors(exc: DomainError) -> dict[str, Any]:
    errors: dict[str, Any] = {"_": exc}
    if exc.code in ERROR_FIELDS:
        errors[ERROR_FIELDS[exc.code]] = exc.title
    return errors


def _values(fields: dict[str, str]) -> dict[str, str]:
    return {name: (fields.get(name) or "").strip() for name in FIELDS}


def _no_store(response: Response) -> Response:
    response.headers.update(NO_STORE)
    return response


# --- list and new -----------------------------------------------------------------------


@router.get("/venues")
def venues_page(
    request: Request,
    session: DbSession,
    actor: VenuesPage,
    q: NameQuery = None,
    type: TypeQuery = None,
    region: PrefixQuery = None,
    active: ActiveQuery = None,
    cursor: Cursor = None,
) -> Response:
    filters = {"q": q or "", "type": type or "", "region": region or "", "active": active or ""}
    where = service.VenueFilter(
        type=filters["type"] or None,
        region=filters["region"] or None,
        q=filters["q"] or None,
        active={"yes": True, "no": False}.get(filters["active"]),
    )
    page = PageParams(limit=PAGE_SIZE, cursor=cursor)
    rows, next_cursor = service.list_venues(session, actor=actor, page=page, where=where)
    next_url = None
    if next_cursor:
        query = {k: v for k, v in filters.items() if v} | {"cursor": next_cursor}
        next_url = f"/venues?{urlencode(query)}"
    context = {
        "venues": rows,
        "filters": filters,
        "filtered": any(filters.values()),
        "next_url": next_url,
        "types": TYPE_LABELS,
    }
    return render(request, "venues/list.html", context)


def _new_page(
    request: Request, form: dict[str, str], errors: dict[str, Any], status: int = 200
) -> Response:
    context = {"form": form, "errors": errors, "types": TYPE_LABELS}
    return _no_store(render(request, "venues/new.html", context, status))


@router.get("/venues/new")
def new_venue_page(request: Request, actor: VenuesForm) -> Response:
    form = {"name": "", "type": "", "region_code": actor.region_code, "address": ""}
    return _new_page(request, form, {})


@router.post("/venues/new", dependencies=[CsrfChecked])
def new_venue_submit(
    request: Request, session: DbSession, actor: VenuesForm, fields: FormFields
) -> Response:
    form = _values(fields)
    try:
        data = VenueCreate.model_validate(form)
        venue = service.create_venue(session, actor=actor, data=data)
    except ValidationError as exc:
        return _new_page(request, form, _field_errors(exc), 422)
    except DomainError as exc:
        session.rollback()
        return _new_page(request, form, _domain_errors(exc), exc.status)
    return RedirectResponse(f"/venues/{venue.id}", status_code=303)


# --- detail -----------------------------------------------------------------------------


def _detail_context(
    session: DbSession, settings: SettingsDep, actor: Principal, venue: Venue
) -> dict[str, Any]:
    manage = actor.can(Perm.VENUES_MANAGE)
    token, url = service.place_code(settings, venue)
    return {
        "venue": venue,
        "types": TYPE_LABELS,
        "place_code": token,
        "place_code_url": url,
        "manage": manage,
        "operators": service.operators(session, actor=actor, venue_id=venue.id) if manage else [],
        "candidates": service.operator_candidates(session, actor=actor, venue=venue)
        if manage
        else [],
        "form": {name: getattr(venue, name) for name in FIELDS},
        "errors": {},
        "operator_errors": {},
        "closure": service.closure_in_force(session, actor=actor, venue_id=venue.id),
        "closures": service.closures(session, actor=actor, venue_id=venue.id, limit=10),
        "closure_form": {"reason": "", "until": "", "note": ""},
        "closure_errors": {},
    }


def _detail(
    request: Request,
    session: DbSession,
    settings: SettingsDep,
    actor: Principal,
    venue_id: int,
    status: int = 200,
    **extra: Any,
) -> Response:
    venue = service.get_venue(session, actor=actor, venue_id=venue_id)
    context = _detail_context(session, settings, actor, venue) | extra
    return _no_store(render(request, "venues/detail.html", context, status))


@router.get("/venues/{venue_id}")
def venue_page(
    request: Request,
    session: DbSession,
    settings: SettingsDep,
    actor: VenuesPage,
    venue_id: VenueIdPath,
) -> Response:
    return _detail(request, session, settings, actor, venue_id)


@router.post("/venues/{venue_id}/edit", dependencies=[CsrfChecked])
def venue_edit(
    request: Request,
    session: DbSession,
    settings: SettingsDep,
    actor: VenuesForm,
    venue_id: VenueIdPath,
    fields: FormFields,
) -> Response:
    form = _values(fields)

    def edit() -> None:
        data = VenueUpdate.model_validate(form)
        service.update_venue(session, actor=actor, venue_id=venue_id, data=data)

    return _submit(request, session, settings, actor, venue_id, form, edit)


@router.post("/venues/{venue_id}/rotate", dependencies=[CsrfChecked])
def venue_rotate(
    request: Request, session: DbSession, actor: VenuesForm, venue_id: VenueIdPath
) -> Response:
    service.rotate_place_code(session, actor=actor, venue_id=venue_id)
    return RedirectResponse(f"/venues/{venue_id}", status_code=303)


@router.post("/venues/{venue_id}/deactivate", dependencies=[CsrfChecked])
def venue_deactivate(
    request: Request, session: DbSession, actor: VenuesForm, venue_id: VenueIdPath
) -> Response:
    service.deactivate_venue(session, actor=actor, venue_id=venue_id)
    return RedirectResponse(f"/venues/{venue_id}", status_code=303)


@router.post("/venues/{venue_id}/close", dependencies=[CsrfChecked])
def venue_close(
    request: Request,
    session: DbSession,
    settings: SettingsDep,
    actor: VenuesForm,
    venue_id: VenueIdPath,
    fields: FormFields,
) -> Response:
    form = {name: (fields.get(name) or "").strip() for name in ("reason", "until")}

    def close() -> None:
        data = ClosureIn.model_validate({"reason": form["reason"], "until": _local(form["until"])})
        service.close_venue(session, actor=actor, venue_id=venue_id, data=data)

    return _submit(request, session, settings, actor, venue_id, form, close, part="closure_")


@router.post("/venues/{venue_id}/reopen", dependencies=[CsrfChecked])
def venue_reopen(
    request: Request,
    session: DbSession,
    settings: SettingsDep,
    actor: VenuesForm,
    venue_id: VenueIdPath,
    fields: FormFields,
) -> Response:
    form = {"note": (fields.get("note") or "").strip()}

    def reopen() -> None:
        data = ReopenIn.model_validate(form)
        service.reopen_venue(session, actor=actor, venue_id=venue_id, data=data)

    return _submit(request, session, settings, actor, venue_id, form, reopen, part="closure_")


def _submit(
    request: Request,
    session: DbSession,
    settings: SettingsDep,
    actor: Principal,
    venue_id: int,
    form: dict[str, str],
    act: Callable[[], None],
    *,
    part: str = "",
) -> Response:
    """Run one of the detail page's forms; bad input re-renders the page with that form's
    values kept (``{part}form``) and its wrong fields marked (``{part}errors``)."""
    try:
        act()
    except ValidationError as exc:
        return _detail(request, session, settings, actor, venue_id, 422,
                       **{f"{part}form": form, f"{part}errors": _field_errors(exc)})  # fmt: skip
    except DomainError as exc:
        if exc.status == 404:
            raise
        session.rollback()
        return _detail(request, session, settings, actor, venue_id, exc.status,
                       **{f"{part}form": form, f"{part}errors": _domain_errors(exc)})  # fmt: skip
    return RedirectResponse(f"/venues/{venue_id}", status_code=303)


def _local(text: str) -> datetime | str | None:
    """A form's ``datetime-local`` value read in Asia/Shanghai; empty: None; anything else
    is passed on for the schema to refuse."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    return moment if moment.tzinfo else moment.replace(tzinfo=clock.LOCAL_TZ)


@router.post("/venues/{venue_id}/operators", dependencies=[CsrfChecked])
def venue_operator_add(
    request: Request,
    session: DbSession,
    settings: SettingsDep,
    actor: VenuesForm,
    venue_id: VenueIdPath,
    fields: FormFields,
) -> Response:
    raw = (fields.get("user_id") or "").strip()
    if not raw.isascii() or not raw.isdigit() or not 0 < int(raw) < 2**31:
        hint = {"user_id": FIELD_HINTS["user_id"]}
        return _detail(request, session, settings, actor, venue_id, 422, operator_errors=hint)
    try:
        service.add_operator(session, actor=actor, venue_id=venue_id, user_id=int(raw))
    except DomainError as exc:
        if exc.code == "venue.not_found":
            raise
        session.rollback()
        errors: dict[str, Any] = {"_": exc, "user_id": exc.title}
        return _detail(request, session, settings, actor, venue_id, exc.status,
                       operator_errors=errors)  # fmt: skip
    return RedirectResponse(f"/venues/{venue_id}", status_code=303)


@router.post("/venues/{venue_id}/operators/{user_id}/remove", dependencies=[CsrfChecked])
def venue_operator_remove(
    request: Request,
    session: DbSession,
    actor: VenuesForm,
    venue_id: VenueIdPath,
    user_id: VenueIdPath,
) -> Response:
    service.remove_operator(session, actor=actor, venue_id=venue_id, user_id=user_id)
    return RedirectResponse(f"/venues/{venue_id}", status_code=303)


# --- place code images and the poster ---------------------------------------------------


def _url(session: DbSession, settings: SettingsDep, actor: Principal, venue_id: int) -> str:
    venue = service.get_venue(session, actor=actor, venue_id=venue_id)
    return service.place_code(settings, venue)[1]


@router.get("/venues/{venue_id}/place-code.svg")
def venue_qr_svg(
    session: DbSession, settings: SettingsDep, actor: VenuesPage, venue_id: VenueIdPath
) -> Response:
    svg = placecode.qr_svg(_url(session, settings, actor, venue_id))
    return Response(svg, media_type="image/svg+xml", headers=NO_STORE)


@router.get("/venues/{venue_id}/place-code.png")
def venue_qr_png(
    session: DbSession, settings: SettingsDep, actor: VenuesPage, venue_id: VenueIdPath
) -> Response:
    png = placecode.qr_png(_url(session, settings, actor, venue_id))
    headers = NO_STORE | {"Content-Disposition": f'attachment; filename="venue-{venue_id}.png"'}
    return Response(png, media_type="image/png", headers=headers)


@router.get("/venues/{venue_id}/poster")
def venue_poster(
    request: Request,
    session: DbSession,
    settings: SettingsDep,
    actor: VenuesPage,
    venue_id: VenueIdPath,
) -> Response:
    venue = service.get_venue(session, actor=actor, venue_id=venue_id)
    token, url = service.place_code(settings, venue)
    svg = placecode.qr_svg(url, scale=8, inline=True).decode()
    context = {"venue": venue, "qr": Markup(svg), "place_code": token, "types": TYPE_LABELS}  # noqa: S704 - segno's own SVG
    return _no_store(render(request, "venues/poster.html", context))
