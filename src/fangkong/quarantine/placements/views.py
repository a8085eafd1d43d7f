"""Pages of placements: the list with its filters (measure, status, site, grid, due for
release, fever) and bulk room assignment (``/quarantine/placements``) — for a grid worker, the
home-isolation and home-monitoring lists of their grids; a placement (period, day N of M, test
days, check-ins, room, release); the release queue (``/quarantine/releases``); the printable
release certificate; and the person's own daily check-in (``/me/quarantine``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from fangkong.auth.dependencies import CsrfChecked
from fangkong.auth.permissions import Perm
from fangkong.citizens.dependencies import PageCitizen, citizen_page
from fangkong.core.errors import N_, Conflict, DomainError, InvalidInput
from fangkong.core.pagination import PageParams
from fangkong.core.principal import Principal
from fangkong.core.templating import render
from fangkong.core.web import DbSession, form_post, page_error
from fangkong.quarantine.dependencies import (
    QuarantineCheckInPage,
    QuarantineManagePage,
    QuarantineReadPage,
)
from fangkong.quarantine.placements import service
from fangkong.quarantine.placements.dependencies import PlacementIdPath
from fangkong.quarantine.placements.labels import (
    BASIS_LABELS,
    MEASURE_LABELS,
    RESULT_LABELS,
    STATUS_LABELS,
    TEST_LABELS,
)
from fangkong.quarantine.placements.schemas import BulkAssign, CheckInIn
from fangkong.quarantine.sites import service as sites

router = APIRouter(include_in_schema=False)
PLACEMENTS = "/quarantine/placements"
PAGE_SIZE = 100
LABELS = {
    "measures": MEASURE_LABELS,
    "statuses": STATUS_LABELS,
    "bases": BASIS_LABELS,
    "tests": TEST_LABELS,
    "results": RESULT_LABELS,
}
NO_STORE = {"Cache-Control": "no-store"}
MeasureQuery = Annotated[str, Query(pattern=r"^(|centralized|home_isolation|home_monitoring)$")]
StatusQuery = Annotated[str, Query(pattern=r"^(|pending|active|released|transferred|cancelled)$")]
GridQuery = Annotated[str, Query(pattern=r"^([0-9]{2,15})?$")]
SiteQuery = Annotated[str, Query(pattern=r"^([0-9]{1,9})?$")]
Cursor = Annotated[str | None, Query(max_length=200)]


class FormInvalid(InvalidInput):
    code = "quarantine.form_invalid"
    title = N_("Check the fields: a temperature from 35 to 42 °C, a room, a site and placements.")


def _page(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    response = render(request, f"quarantine/{name}", context | {"labels": LABELS}, status)
    response.headers.update(NO_STORE)
    return response


# --- the list -----------------------------------------------------------------------------


def _list(
    request: Request,
    session: DbSession,
    actor: Principal,
    filters: dict[str, str],
    cursor: str | None = None,
    result: Any = None,
    error: DomainError | None = None,
) -> Response:
    where = service.PlacementFilter(
        measure=filters["measure"] or None,
        status=filters["status"] or None,
        site_id=int(filters["site"]) if filters["site"] else None,
        grid=filters["grid"] or None,
        due_for_release=filters["due"] == "1",
        fever_from=service.fever_from(session) if filters["fever"] == "1" else None,
    )
    rows, next_cursor = service.list_placements(
        session, actor=actor, page=PageParams(limit=PAGE_SIZE, cursor=cursor), where=where
    )
    query = {k: v for k, v in filters.items() if v}
    next_url = f"{PLACEMENTS}?{urlencode(query | {'cursor': next_cursor})}" if next_cursor else None
    site_rows, _ = sites.list_sites(
        session, actor=actor, page=PageParams(limit=200), where=sites.SiteFilter(active=True)
    )
    context = {
        "placements": rows,
        "filters": filters,
        "next_url": next_url,
        "sites": site_rows,
        "manage": actor.can(Perm.QUARANTINE_MANAGE),
        "result": result,
        "error": error,
    }
    return _page(request, "placements_list.html", context, error.status if error else 200)


@router.get(PLACEMENTS)
def placements_page(
    request: Request,
    session: DbSession,
    actor: QuarantineReadPage,
    measure: MeasureQuery = "",
    status: StatusQuery = "",
    site: SiteQuery = "",
    grid: GridQuery = "",
    due: Annotated[str, Query(pattern=r"^(|1)$")] = "",
    fever: Annotated[str, Query(pattern=r"^(|1)$")] = "",
    cursor: Cursor = None,
) -> Response:
    filters = {
        "measure": measure,
        "status": status,
        "site": site,
        "grid": grid,
        "due": due,
        "fever": fever,
    }
    return _list(request, session, actor, filters, cursor)


@router.post(f"{PLACEMENTS}/assign", dependencies=[CsrfChecked])
async def assign_bulk(
    request: Request, session: DbSession, actor: QuarantineManagePage
) -> Response:
    form = await request.form()
    ids = [v for v in form.getlist("placement_id") if isinstance(v, str) and v.isdigit()]
    filters = dict.fromkeys(("measure", "status", "site", "grid", "due", "fever"), "")
    filters["status"] = "pending"
    try:
        data = BulkAssign.model_validate(
            {"site_id": form.get("site_id"), "placement_ids": [int(i) for i in ids]}
        )
        result = service.assign_bulk(session, actor=actor, data=data)
    except (ValidationError, DomainError) as exc:
        session.rollback()
        return _list(request, session, actor, filters, error=page_error(exc, FormInvalid))
    return _list(request, session, actor, filters, result=result)


# --- the release queue --------------------------------------------------------------------


@router.get("/quarantine/releases")
def releases_page(request: Request, session: DbSession, actor: QuarantineReadPage) -> Response:
    context = {
        "placements": service.release_queue(session, actor=actor),
        "manage": actor.can(Perm.QUARANTINE_MANAGE),
    }
    return _page(request, "releases.html", context)


# --- a placement --------------------------------------------------------------------------


def _detail(
    request: Request,
    session: DbSession,
    actor: Principal,
    placement_id: int,
    error: DomainError | None = None,
) -> Response:
    placement = service.detail(session, actor=actor, placement_id=placement_id)
    rooms: list[Any] = []
    if placement.status == "pending" and actor.can(Perm.QUARANTINE_MANAGE):
        rooms = service.free_rooms(session, actor=actor)
    context = {
        "p": placement,
        "error": error,
        "rooms": rooms,
        "manage": actor.can(Perm.QUARANTINE_MANAGE),
        "checkin": actor.can(Perm.QUARANTINE_CHECKIN),
    }
    return _page(request, "placement_detail.html", context, error.status if error else 200)


@router.get(f"{PLACEMENTS}/{{placement_id}}")
def placement_page(
    request: Request, session: DbSession, actor: QuarantineReadPage, placement_id: PlacementIdPath
) -> Response:
    return _detail(request, session, actor, placement_id)


def _after(
    request: Request,
    session: DbSession,
    actor: Principal,
    placement_id: int,
    action: Callable[[], object],
) -> Response:
    location = f"{PLACEMENTS}/{placement_id}"
    return form_post(
        session,
        action,
        location=location,
        form_error=FormInvalid,
        again=lambda error: _detail(request, session, actor, placement_id, error),
    )


@router.post(f"{PLACEMENTS}/{{placement_id}}/check-in", dependencies=[CsrfChecked])
def check_in(
    request: Request,
    session: DbSession,
    actor: QuarantineCheckInPage,
    placement_id: PlacementIdPath,
    temperature: str = Form(""),
    symptoms: str = Form(""),
) -> Response:
    def act() -> object:
        data = _check_in_data(temperature, symptoms)
        return service.check_in(session, actor=actor, placement_id=placement_id, data=data)

    return _after(request, session, actor, placement_id, act)


def _check_in_data(temperature: str, symptoms: str) -> CheckInIn:
    listed = [s.strip() for s in symptoms.replace("，", ",").split(",") if s.strip()]
    return CheckInIn.model_validate({"temperature": temperature, "symptoms": listed})


@router.post(f"{PLACEMENTS}/{{placement_id}}/room", dependencies=[CsrfChecked])
def assign_room(
    request: Request,
    session: DbSession,
    actor: QuarantineManagePage,
    placement_id: PlacementIdPath,
    room_id: str = Form(""),
) -> Response:
    def act() -> object:
        return service.assign_room(
            session, actor=actor, placement_id=placement_id, room_id=int(room_id)
        )

    return _after(request, session, actor, placement_id, act)


@router.post(f"{PLACEMENTS}/{{placement_id}}/release", dependencies=[CsrfChecked])
def release(
    request: Request,
    session: DbSession,
    actor: QuarantineManagePage,
    placement_id: PlacementIdPath,
) -> Response:
    def act() -> object:
        return service.release(session, actor=actor, placement_id=placement_id)

    return _after(request, session, actor, placement_id, act)


@router.get(f"{PLACEMENTS}/{{placement_id}}/certificate")
def certificate_page(
    request: Request, session: DbSession, actor: QuarantineReadPage, placement_id: PlacementIdPath
) -> Response:
    paper = service.certificate(session, actor=actor, placement_id=placement_id)
    if paper is None:
        return _detail(request, session, actor, placement_id, NotReleased())
    return _page(request, "certificate.html", {"c": paper})


class NotReleased(Conflict):
    code = "quarantine.not_released"
    title = N_("The placement has not been released: there is no certificate yet.")


# --- the person's own check-in ------------------------------------------------------------


def _mine(request: Request, session: DbSession, person_id: int, **extra: Any) -> Response:
    placement = service.active_of_person(session, person_id)
    context = {"p": placement, "labels": LABELS, "error": None, "done": False} | extra
    status = extra["error"].status if extra.get("error") else 200
    return citizen_page(request, "quarantine/me.html", context, status_code=status)


@router.get("/me/quarantine")
def my_quarantine(
    request: Request, session: DbSession, citizen: PageCitizen, done: int = 0
) -> Response:
    return _mine(request, session, citizen.person_id, done=bool(done))


@router.post("/me/quarantine", dependencies=[CsrfChecked])
def my_check_in(
    request: Request,
    session: DbSession,
    citizen: PageCitizen,
    temperature: str = Form(""),
    symptoms: str = Form(""),
) -> Response:
    try:
        data = _check_in_data(temperature, symptoms)
        service.self_check_in(session, person_id=citizen.person_id, data=data)
    except (ValidationError, DomainError) as exc:
        session.rollback()
        return _mine(request, session, citizen.person_id, error=page_error(exc, FormInvalid))
    return RedirectResponse("/me/quarantine?done=1", status_code=303)
