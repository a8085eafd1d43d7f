"""Page ``/emergency`` (city admins): the end-of-emergency switch, its countdown, the rules."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from fangkong.auth.dependencies import CsrfChecked
from fangkong.core.errors import DomainError
from fangkong.core.templating import render
from fangkong.core.web import DbSession, SettingsDep
from fangkong.retention import service
from fangkong.retention.dependencies import EmergencyPage

router = APIRouter(include_in_schema=False)


@router.get("/emergency")
def emergency_page(
    request: Request, session: DbSession, settings: SettingsDep, _actor: EmergencyPage
) -> Response:
    return _page(request, session, settings)


@router.post("/emergency/end", dependencies=[CsrfChecked])
def emergency_end(
    request: Request,
    session: DbSession,
    settings: SettingsDep,
    actor: EmergencyPage,
    ended_on: Annotated[date, Form()],
) -> Response:
    try:
        service.end(session, actor=actor, settings=settings, ended_on=ended_on)
    except DomainError as error:
        return _page(request, session, settings, error)
    return RedirectResponse("/emergency", status_code=303)


@router.post("/emergency/undo", dependencies=[CsrfChecked])
def emergency_undo(
    request: Request, session: DbSession, settings: SettingsDep, actor: EmergencyPage
) -> Response:
    try:
        service.undo(session, actor=actor, settings=settings)
    except DomainError as error:
        return _page(request, session, settings, error)
    return RedirectResponse("/emergency", status_code=303)


def _page(
    request: Request, session: DbSession, settings: SettingsDep, error: DomainError | None = None
) -> Response:
    context = {
        "state": service.current(session, settings=settings),
        "rules": service.overview(session, settings=settings),
        "today": service.today(settings),
        "error": error,
    }
    return render(request, "emergency.html", context, status_code=error.status if error else 200)
