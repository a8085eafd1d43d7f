"""Pages of isolation sites: the list with occupancy and the new-site form
(``/quarantine/sites``), and a site's room grid — who is in which room, masked — with rooms
added in bulk and a room closed for cleaning (``/quarantine/sites/{site_id}``). Forms are read
as strings and validated here, so bad input re-renders the page with the error shown."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from fangkong.auth.dependencies import CsrfChecked
from fangkong.auth.permissions import Perm
from fangkong.core.errors import N_, DomainError, InvalidInput
from fangkong.core.pagination import PageParams
from fangkong.core.principal import Principal
from fangkong.core.templating import render
from fangkong.core.web import DbSession, form_post, page_error
from fangkong.quarantine.dependencies import QuarantineManagePage, QuarantineReadPage
from fangkong.quarantine.sites import service
from fangkong.quarantine.sites.dependencies import RoomIdPath, SiteIdPath
from fangkong.quarantine.sites.labels import KIND_LABELS, ROOM_LABELS
from fangkong.quarantine.sites.schemas import RoomsCreate, RoomUpdate, SiteCreate, SiteUpdate

router = APIRouter(include_in_schema=False)
SITES = "/quarantine/sites"
PAGE_SIZE = 200
LABELS = {"kinds": KIND_LABELS, "rooms": ROOM_LABELS}
NO_STORE = {"Cache-Control": "no-store"}


class FormInvalid(InvalidInput):
    code = "quarantine.form_invalid"
    title = N_(
        "Check the fields: a name, a kind, a region code; rooms as 801-830 with 1 to 20 beds."
    )


def _page(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    response = render(request, f"quarantine/{name}", context | {"labels": LABELS}, status)
    response.headers.update(NO_STORE)
    return response


def _list(
    request: Request,
    session: DbSession,
    actor: Principal,
    error: DomainError | None = None,
    form: dict[str, str] | None = None,
) -> Response:
    sites, _ = service.list_sites(
        session, actor=actor, page=PageParams(limit=PAGE_SIZE), where=service.SiteFilter()
    )
    context = {
        "sites": sites,
        "error": error,
        "form": form or {"region_code": actor.region_code},
        "manage": actor.can(Perm.QUARANTINE_MANAGE),
    }
    return _page(request, "sites_list.html", context, error.status if error else 200)


@router.get(SITES)
def sites_page(request: Request, session: DbSession, actor: QuarantineReadPage) -> Response:
    return _list(request, session, actor)


@router.post(SITES, dependencies=[CsrfChecked])
def create_site(
    request: Request,
    session: DbSession,
    actor: QuarantineManagePage,
    name: str = Form(""),
    kind: str = Form(""),
    region_code: str = Form(""),
    address: str = Form(""),
    phone: str = Form(""),
) -> Response:
    form = {
        "name": name,
        "kind": kind,
        "region_code": region_code,
        "address": address,
        "phone": phone,
    }
    try:
        site = service.create_site(session, actor=actor, data=SiteCreate.model_validate(form))
    except (ValidationError, DomainError) as exc:
        session.rollback()
        return _list(request, session, actor, page_error(exc, FormInvalid), form)
    return RedirectResponse(f"{SITES}/{site.id}", status_code=303)


# --- a site -------------------------------------------------------------------------------


def _detail(
    request: Request,
    session: DbSession,
    actor: Principal,
    site_id: int,
    error: DomainError | None = None,
) -> Response:
    site = service.detail(session, actor=actor, site_id=site_id)
    floors: dict[int | None, list[Any]] = {}
    for room in site.room_list:
        floors.setdefault(room.floor, []).append(room)
    context = {
        "site": site,
        "floors": floors,
        "error": error,
        "manage": actor.can(Perm.QUARANTINE_MANAGE),
    }
    return _page(request, "sites_detail.html", context, error.status if error else 200)


@router.get(f"{SITES}/{{site_id}}")
def site_page(
    request: Request, session: DbSession, actor: QuarantineReadPage, site_id: SiteIdPath
) -> Response:
    return _detail(request, session, actor, site_id)


def _after(
    request: Request,
    session: DbSession,
    actor: Principal,
    site_id: int,
    action: Callable[[], object],
) -> Response:
    location = f"{SITES}/{site_id}"
    return form_post(
        session,
        action,
        location=location,
        form_error=FormInvalid,
        again=lambda error: _detail(request, session, actor, site_id, error),
    )


@router.post(f"{SITES}/{{site_id}}/rooms", dependencies=[CsrfChecked])
def add_rooms(
    request: Request,
    session: DbSession,
    actor: QuarantineManagePage,
    site_id: SiteIdPath,
    numbers: str = Form(""),
    beds: str = Form("1"),
) -> Response:
    def act() -> object:
        data = RoomsCreate.model_validate({"numbers": numbers, "beds": beds})
        return service.add_rooms(session, actor=actor, site_id=site_id, data=data)

    return _after(request, session, actor, site_id, act)


@router.post(f"{SITES}/{{site_id}}/rooms/{{room_id}}", dependencies=[CsrfChecked])
def update_room(
    request: Request,
    session: DbSession,
    actor: QuarantineManagePage,
    site_id: SiteIdPath,
    room_id: RoomIdPath,
    status: str = Form(""),
) -> Response:
    def act() -> object:
        data = RoomUpdate.model_validate({"status": status})
        return service.update_room(
            session, actor=actor, site_id=site_id, room_id=room_id, data=data
        )

    return _after(request, session, actor, site_id, act)


@router.post(f"{SITES}/{{site_id}}/active", dependencies=[CsrfChecked])
def set_active(
    request: Request,
    session: DbSession,
    actor: QuarantineManagePage,
    site_id: SiteIdPath,
    active: str = Form(""),
) -> Response:
    def act() -> object:
        data = SiteUpdate(active=active == "1")
        return service.update_site(session, actor=actor, site_id=site_id, data=data)

    return _after(request, session, actor, site_id, act)


@router.post(f"{SITES}/{{site_id}}/edit", dependencies=[CsrfChecked])
def edit_site(
    request: Request,
    session: DbSession,
    actor: QuarantineManagePage,
    site_id: SiteIdPath,
    name: str = Form(""),
    kind: str = Form(""),
    address: str = Form(""),
    phone: str = Form(""),
) -> Response:
    def act() -> object:
        data = SiteUpdate.model_validate(
            {"name": name, "kind": kind, "address": address, "phone": phone}
        )
        return service.update_site(session, actor=actor, site_id=site_id, data=data)

    return _after(request, session, actor, site_id, act)
