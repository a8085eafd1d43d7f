"""Citizens' JSON routes: sign-in by one-time code, their own data, and the code check."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, status

from fangkong.auth.dependencies import BearerPrincipal
from fangkong.auth.permissions import Perm
from fangkong.care.requests.schemas import OwnRequestCreate, RequestOut
from fangkong.citizens import service
from fangkong.citizens.dependencies import (
    CurrentCitizen,
    NonceStore,
    OtpRateLimited,
    SenderDep,
    TokenRateLimited,
)
from fangkong.citizens.errors import OtpInvalid
from fangkong.citizens.schemas import (
    AppealIn,
    AppealOut,
    CitizenToken,
    HealthCodeOut,
    MeOut,
    OtpAccepted,
    OtpRequest,
    TokenRequest,
    VerifyIn,
    VerifyOut,
)
from fangkong.core.principal import Principal
from fangkong.core.web import DbSession, Locale, SettingsDep
from fangkong.scans.schemas import ScanView

router = APIRouter(tags=["citizens"])
Verifier = Annotated[Principal, Depends(BearerPrincipal(Perm.HEALTH_CODE_VERIFY))]


@router.post(
    "/api/v1/citizen/otp",
    response_model=OtpAccepted,
    status_code=status.HTTP_202_ACCEPTED,
    dependencies=[OtpRateLimited],
)
def request_otp(
    session: DbSession, settings: SettingsDep, sender: SenderDep, data: OtpRequest
) -> OtpAccepted:
    """Send a one-time code to the phone; the same 202 whether or not it is a resident's."""
    service.request_otp(session, settings, data.phone, sender)
    return OtpAccepted(expires_in_seconds=settings.otp_minutes * 60)


@router.post("/api/v1/citizen/token", response_model=CitizenToken, dependencies=[TokenRateLimited])
def citizen_token(session: DbSession, settings: SettingsDep, data: TokenRequest) -> CitizenToken:
    try:
        token, expires_at = service.sign_in(session, settings, data.phone, data.code)
    except OtpInvalid:
        session.commit()  # the wrong try counts although the request fails
        raise
    return CitizenToken(access_token=token, expires_at=expires_at)


@router.get("/api/v1/me", response_model=MeOut)
def me(session: DbSession, citizen: CurrentCitizen) -> MeOut:
    return service.me(session, citizen)


@router.get("/api/v1/me/health-code", response_model=HealthCodeOut)
def my_health_code(
    session: DbSession, settings: SettingsDep, citizen: CurrentCitizen, locale: Locale
) -> HealthCodeOut:
    return service.health_code(session, settings, citizen, locale)


@router.get("/api/v1/me/scans", response_model=list[ScanView])
def my_scans(session: DbSession, citizen: CurrentCitizen) -> list[ScanView]:
    return service.my_scans(session, citizen)


@router.get("/api/v1/me/appeals", response_model=list[AppealOut])
def my_appeals(session: DbSession, citizen: CurrentCitizen) -> list[AppealOut]:
    return service.my_appeals(session, citizen)


@router.post("/api/v1/me/appeals", response_model=AppealOut, status_code=status.HTTP_201_CREATED)
def file_appeal(session: DbSession, citizen: CurrentCitizen, data: AppealIn) -> AppealOut:
    return service.file_appeal(session, citizen, data.text)


@router.get("/api/v1/me/care-requests", response_model=list[RequestOut])
def my_care_requests(session: DbSession, citizen: CurrentCitizen) -> list[RequestOut]:
    return service.my_care_requests(session, citizen)


@router.post(
    "/api/v1/me/care-requests", response_model=RequestOut, status_code=status.HTTP_201_CREATED
)
def ask_care(
    session: DbSession, settings: SettingsDep, citizen: CurrentCitizen, data: OwnRequestCreate
) -> RequestOut:
    """A livelihood request of the citizen's own: taken from a sealed or controlled zone; a
    medical visit is always taken."""
    return service.ask_care(session, settings, citizen, data)


@router.post("/api/v1/health-code/verify", response_model=VerifyOut)
def verify(
    session: DbSession,
    settings: SettingsDep,
    _actor: Verifier,
    nonce_store: NonceStore,
    data: VerifyIn,
    locale: Locale,
) -> VerifyOut:
    """Open a presented personal code: tampered, expired and replayed codes are refused."""
    return service.verify(session, settings, nonce_store, data.payload, locale)
