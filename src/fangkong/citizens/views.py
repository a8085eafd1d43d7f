"""Citizens' pages (mobile first): sign-in by one-time code, the personal code, appeals."""

from __future__ import annotations

from typing import Annotated, Any

import segno
from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from fangkong.auth.dependencies import CsrfChecked
from fangkong.care.kinds import KIND_LABELS, STATUS_LABELS
from fangkong.care.pages import FormInvalid as CareFormInvalid
from fangkong.care.requests.schemas import OwnRequestCreate
from fangkong.citizens import service
from fangkong.citizens.dependencies import (
    CITIZEN_COOKIE,
    MaybeCitizen,
    OtpRateLimited,
    PageCitizen,
    SenderDep,
    TokenRateLimited,
    citizen_page,
)
from fangkong.citizens.errors import OtpInvalid
from fangkong.citizens.schemas import Citizen
from fangkong.core import clock
from fangkong.core.errors import DomainError
from fangkong.core.forms import FormFields, blank, picked, validated
from fangkong.core.templating import render
from fangkong.core.web import DbSession, Locale, SettingsDep, local_path

router = APIRouter(include_in_schema=False)
NextUrl = Annotated[str, Query(alias="next", max_length=200)]
REFRESH_MARGIN_SECONDS = 30  # a new payload this long before the shown one expires
QR_SCALE = 8


# --- sign-in ------------------------------------------------------------------------------------


@router.get("/me/login")
def login_page(request: Request, citizen: MaybeCitizen, next_url: NextUrl = "/me") -> Response:
    target = local_path(next_url, "/me")
    if citizen is not None:
        return RedirectResponse(target, status_code=303)
    return citizen_page(request, "citizens/login.html", {"next": target, "step": 1})


@router.post("/me/login/code", dependencies=[CsrfChecked, OtpRateLimited])
def send_code(
    request: Request,
    session: DbSession,
    settings: SettingsDep,
    sender: SenderDep,
    phone: Annotated[str, Form(max_length=32)],
    next_url: Annotated[str, Form(alias="next", max_length=200)] = "/me",
) -> Response:
    context = {"next": local_path(next_url, "/me"), "phone": phone, "step": 2, "sent": True}
    try:
        service.request_otp(session, settings, phone, sender)
    except DomainError as exc:
        context |= {"step": 1, "error": exc}
        return citizen_page(request, "citizens/login.html", context, status_code=exc.status)
    return citizen_page(request, "citizens/login.html", context | {"minutes": settings.otp_minutes})


@router.post("/me/login", dependencies=[CsrfChecked, TokenRateLimited])
def login_submit(
    request: Request,
    session: DbSession,
    settings: SettingsDep,
    phone: Annotated[str, Form(max_length=32)],
    code: Annotated[str, Form(max_length=10)],
    next_url: Annotated[str, Form(alias="next", max_length=200)] = "/me",
) -> Response:
    target = local_path(next_url, "/me")
    try:
        token, expires_at = service.sign_in(session, settings, phone, code.strip())
    except DomainError as exc:
        if isinstance(exc, OtpInvalid):
            session.commit()  # the wrong try counts
        context = {"next": target, "phone": phone, "step": 2, "error": exc}
        return citizen_page(request, "citizens/login.html", context, status_code=exc.status)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        CITIZEN_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=settings.cookies_secure,
        max_age=int((expires_at - clock.now()).total_seconds()),
    )
    return response


@router.get("/me/logout")
def logout_page(request: Request, citizen: PageCitizen) -> Response:
    return citizen_page(request, "citizens/logout.html", {})


@router.post("/me/logout", dependencies=[CsrfChecked])
def logout(request: Request, session: DbSession) -> Response:
    token = request.cookies.get(CITIZEN_COOKIE)
    if token:
        service.sign_out(session, token)
    response = RedirectResponse("/me/login", status_code=303)
    response.delete_cookie(CITIZEN_COOKIE)
    return response


# --- the personal code --------------------------------------------------------------------------


def _card_context(
    session: DbSession, settings: SettingsDep, citizen: Citizen, locale: str
) -> dict[str, Any]:
    code = service.health_code(session, settings, citizen, locale)
    qr = segno.make(code.qr_payload, error="m")
    seconds = max(0, int((code.expires_at - clock.now()).total_seconds()))
    return {
        "code": code,
        "now": clock.now(),
        "qr_svg": qr.svg_inline(scale=QR_SCALE, border=2, omitsize=True, svgclass="qr"),
        "expires_in": seconds,
        "refresh_every": max(5, seconds - REFRESH_MARGIN_SECONDS),
    }


@router.get("/me")
def me_page(
    request: Request,
    session: DbSession,
    settings: SettingsDep,
    citizen: PageCitizen,
    locale: Locale,
) -> Response:
    context = _card_context(session, settings, citizen, locale)
    context["vaccination"] = service.my_vaccination(session, citizen)
    return citizen_page(request, "citizens/me.html", context)


@router.get("/me/card")
def me_card(
    request: Request,
    session: DbSession,
    settings: SettingsDep,
    citizen: PageCitizen,
    locale: Locale,
) -> Response:
    """The code card alone: the page swaps it in before the shown payload expires."""
    context = _card_context(session, settings, citizen, locale)
    return render(request, "citizens/_card.html", context)


# --- appeals ------------------------------------------------------------------------------------


def _appeal_context(session: DbSession, citizen: Citizen, **extra: Any) -> dict[str, Any]:
    return {"appeals": service.my_appeals(session, citizen), "error": None, "text": ""} | extra


@router.get("/me/appeal")
def appeal_page(request: Request, session: DbSession, citizen: PageCitizen) -> Response:
    return citizen_page(request, "citizens/appeal.html", _appeal_context(session, citizen))


@router.post("/me/appeal", dependencies=[CsrfChecked])
def appeal_submit(
    request: Request,
    session: DbSession,
    citizen: PageCitizen,
    text: Annotated[str, Form(max_length=1000)],
) -> Response:
    try:
        service.file_appeal(session, citizen, text)
    except DomainError as exc:
        context = _appeal_context(session, citizen, error=exc, text=text)
        return citizen_page(request, "citizens/appeal.html", context, status_code=exc.status)
    return RedirectResponse("/me/appeal?filed=1", status_code=303)


# --- livelihood requests (民生诉求) ----------------------------------------------------------

CARE_FORM = ("kind", "text")


def _care_context(session: DbSession, citizen: Citizen, **extra: Any) -> dict[str, Any]:
    return {
        "requests": service.my_care_requests(session, citizen), "error": None,
        "form": blank(CARE_FORM), "kinds": KIND_LABELS, "statuses": STATUS_LABELS,
    } | extra  # fmt: skip


@router.get("/me/care")
def care_page(request: Request, session: DbSession, citizen: PageCitizen) -> Response:
    return citizen_page(request, "care/me.html", _care_context(session, citizen))


@router.post("/me/care", dependencies=[CsrfChecked])
def care_submit(
    request: Request,
    session: DbSession,
    settings: SettingsDep,
    citizen: PageCitizen,
    fields: FormFields,
) -> Response:
    form = picked(fields, CARE_FORM)
    try:
        service.ask_care(
            session, settings, citizen, validated(OwnRequestCreate, form, CareFormInvalid)
        )
    except DomainError as exc:
        session.rollback()
        context = _care_context(session, citizen, error=exc, form=form)
        return citizen_page(request, "care/me.html", context, status_code=exc.status)
    return RedirectResponse("/me/care?asked=1", status_code=303)
