"""Pages of scans: the citizen's check-in (/checkin/{token}), the door scanner (/scanner), and
the partial of today's check-ins that a venue's page loads (/venues/{venue_id}/checkins).

Forms post with a CSRF token; a citizen has no staff session, so their token is bound to the
``fk_csrf`` cookie set with the page (as the citizens' own pages do).
"""

from __future__ import annotations

from typing import Annotated

import anyio
from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from fangkong.auth.dependencies import CsrfChecked
from fangkong.citizens.dependencies import PageCitizen, citizen_page
from fangkong.core import clock
from fangkong.core.errors import DomainError
from fangkong.core.pagination import PageParams
from fangkong.core.principal import Principal
from fangkong.core.templating import render
from fangkong.core.web import DbSession
from fangkong.scans import entry, rules, service
from fangkong.scans.checks import EntryRequest, EntryResult
from fangkong.scans.dependencies import HotPathDep, LimitsDep, ScannerPage
from fangkong.scans.hotpath import HotPath
from fangkong.scans.limits import ScanLimits, device_key
from fangkong.venues import service as venues
from fangkong.venues.dependencies import ReadableVenue, VenueIdPath

router = APIRouter(include_in_schema=False)
TokenText = Annotated[str, Form(max_length=600)]
MAX_VENUES_LISTED = 200


def _temperature(text: str | None) -> float | None:
    """A typed temperature ('' when not measured); out of range → the domain error."""
    if text is None or not text.strip():
        return None
    try:
        value = float(text.strip().replace(",", "."))
    except ValueError:
        value = float("nan")
    return service.check_temperature(value)


# --- the citizen's check-in -----------------------------------------------------------------


@router.get("/checkin/{token}")
def checkin_page(
    request: Request, session: DbSession, token: str, citizen: PageCitizen, hotpath: HotPathDep
) -> Response:
    venue = hotpath.venue(token, session)
    return citizen_page(
        request, "scans/checkin.html", {"venue": venue, "token": token, "error": None}
    )


@router.post("/checkin/{token}", dependencies=[CsrfChecked])
async def checkin_submit(
    request: Request,
    session: DbSession,
    token: str,
    citizen: PageCitizen,
    hotpath: HotPathDep,
    limits: LimitsDep,
    temperature: Annotated[str | None, Form(max_length=8)] = None,
    mask: Annotated[bool, Form()] = False,
) -> Response:
    venue = await anyio.to_thread.run_sync(hotpath.venue, token, session)
    now = clock.now()
    try:
        await limits.hit_device(request, device_key(request, None, f"citizen:{citizen.person_id}"))
        await limits.hit_venue(request, venue.id)
        checkin = EntryRequest(
            token=token, now=now, source="checkin", actor=None, person_id=citizen.person_id,
            temperature=_temperature(temperature), mask=mask,
        )  # fmt: skip
        result = await anyio.to_thread.run_sync(hotpath.run, checkin, session)
    except DomainError as exc:
        context = {"venue": venue, "token": token, "error": exc}
        return citizen_page(request, "scans/checkin.html", context, status_code=exc.status)
    return citizen_page(
        request,
        "scans/checkin_done.html",
        {"result": result, "at": now, "messages": rules.MESSAGES},
    )


# --- the door scanner -----------------------------------------------------------------------


@router.get("/scanner")
def scanner_page(
    request: Request, session: DbSession, actor: ScannerPage, venue_id: int | None = None
) -> Response:
    page = PageParams(limit=MAX_VENUES_LISTED)
    rows, _ = venues.list_venues(
        session, actor=actor, page=page, where=venues.VenueFilter(active=True)
    )
    chosen = next((v for v in rows if v.id == venue_id), rows[0] if len(rows) == 1 else None)
    context = {"venues": rows, "chosen": chosen}
    return render(request, "scans/scanner.html", context)


@router.post("/scanner/check", dependencies=[CsrfChecked])
async def scanner_check(
    request: Request,
    session: DbSession,
    actor: ScannerPage,
    hotpath: HotPathDep,
    limits: LimitsDep,
    venue_id: Annotated[int, Form(ge=1, le=2**31 - 1)],
    code: TokenText,
    temperature: Annotated[str | None, Form(max_length=8)] = None,
    mask: Annotated[bool, Form()] = False,
    emergency: Annotated[bool, Form()] = False,
) -> Response:
    """One scan at the door; answers the decision partial (htmx)."""
    try:
        result = await _door_check(
            request, session, actor, hotpath, limits, venue_id=venue_id, code=code,
            temperature=temperature, mask=mask, emergency=emergency,
        )  # fmt: skip
    except DomainError as exc:
        return render(
            request,
            "scans/_decision.html",
            {"error": exc, "result": None, "messages": rules.MESSAGES},
        )
    return render(
        request,
        "scans/_decision.html",
        {"error": None, "result": result, "messages": rules.MESSAGES},
    )


async def _door_check(
    request: Request,
    session: Session,
    actor: Principal,
    hotpath: HotPath,
    limits: ScanLimits,
    *,
    venue_id: int,
    code: str,
    temperature: str | None,
    mask: bool,
    emergency: bool,
) -> EntryResult:
    token = await anyio.to_thread.run_sync(_token_of, request, session, actor, venue_id)
    await limits.hit_device(request, device_key(request, actor, "anonymous"))
    await limits.hit_venue(request, venue_id)
    now = clock.now()
    base = entry.door_base(token, now, actor, temperature=_temperature(temperature), mask=mask,
                           emergency=emergency, device=None)  # fmt: skip
    text = code.strip()
    by_id = entry.looks_like_id_number(text)
    door = entry.door_request(
        hotpath.settings, base, personal=None if by_id else text, id_number=text if by_id else None
    )
    # The staff session check holds the request's unit of work; the scan joins it.
    result: EntryResult = await anyio.to_thread.run_sync(hotpath.run, door, session)
    return result


def _token_of(request: Request, session: Session, actor: Principal, venue_id: int) -> str:
    """The chosen venue's current place code (scoped: an operator's own venues only)."""
    venue = venues.get_venue(session, actor=actor, venue_id=venue_id)
    token, _ = venues.place_code(request.app.state.settings, venue)
    return token


# --- today's check-ins at a venue (partial of the venue page) -------------------------------


@router.get("/venues/{venue_id}/checkins")
def venue_checkins(
    request: Request, session: DbSession, venue: ReadableVenue, venue_id: VenueIdPath
) -> Response:
    rows = service.venue_checkins(session, venue.id)
    return render(
        request, "scans/_checkins.html", {"venue": venue, "rows": rows, "messages": rules.MESSAGES}
    )
