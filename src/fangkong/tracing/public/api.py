"""JSON routes of public trajectories: ``/api/v1/publications`` (officers: publish, list,
withdraw), ``/api/v1/public/trajectories`` (anyone, no login) and ``/api/v1/me/self-check``
(a signed-in citizen, their own scans only)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from fangkong.citizens.dependencies import CurrentCitizen
from fangkong.core import i18n
from fangkong.core.pagination import Page, PageParams
from fangkong.core.web import DbSession, Locale, page_params
from fangkong.tracing.dependencies import TracingPublish, TracingRead
from fangkong.tracing.public import service
from fangkong.tracing.public.dependencies import (
    DEFAULT_DAYS,
    DaysQuery,
    DistrictQuery,
    PublicationIdPath,
)
from fangkong.tracing.public.schemas import (
    PublicationIn,
    PublicationOut,
    PublicPublication,
    SelfCheck,
)

router = APIRouter(tags=["tracing"])
PUBLICATIONS = "/api/v1/publications"
Paging = Annotated[PageParams, Depends(page_params)]


@router.post(PUBLICATIONS, response_model=PublicationOut, status_code=201)
def publish(session: DbSession, actor: TracingPublish, data: PublicationIn) -> PublicationOut:
    """Publish a case's anonymised trajectory (the chosen stops, or all but the home)."""
    return service.publish(session, actor=actor, data=data)


@router.get(PUBLICATIONS, response_model=Page[PublicationOut])
def list_publications(
    session: DbSession, actor: TracingRead, paging: Paging, active: bool | None = None
) -> Page[PublicationOut]:
    items, cursor = service.list_publications(session, actor=actor, page=paging, active=active)
    return Page(items=items, next_cursor=cursor)


@router.post(f"{PUBLICATIONS}/{{publication_id}}/withdraw", response_model=PublicationOut)
def withdraw(
    session: DbSession, actor: TracingPublish, publication_id: PublicationIdPath
) -> PublicationOut:
    return service.withdraw(session, actor=actor, publication_id=publication_id)


@router.get("/api/v1/public/trajectories", response_model=list[PublicPublication])
def public_trajectories(
    session: DbSession, days: DaysQuery = DEFAULT_DAYS, district: DistrictQuery = None
) -> list[PublicPublication]:
    """Published trajectories of the last ``days`` days, newest first; no login."""
    return service.public_trajectories(session, days=days, district=district)


@router.get("/api/v1/me/self-check", response_model=SelfCheck)
def self_check(session: DbSession, citizen: CurrentCitizen, locale: Locale) -> SelfCheck:
    """轨迹自查: the citizen's own scans against the published trajectories."""
    result = service.self_check(session, person_id=citizen.person_id)
    result.advice = i18n.gettext(locale, result.advice)
    return result
