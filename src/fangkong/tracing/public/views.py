"""Pages of public trajectories: the officers' list (``/tracing/publications``: publish from a
case, withdraw), the public page (``/public/trajectories``, no login: published stops by
district, newest first) and the citizen's self-check (``/me/self-check``)."""

from __future__ import annotations

from itertools import groupby
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from fangkong.auth.dependencies import CsrfChecked
from fangkong.auth.permissions import Perm
from fangkong.citizens.dependencies import PageCitizen, citizen_page
from fangkong.core.errors import DomainError
from fangkong.core.pagination import PageParams
from fangkong.core.principal import Principal
from fangkong.core.templating import render
from fangkong.core.web import DbSession
from fangkong.tracing.dependencies import TracingPublishPage, TracingReadPage
from fangkong.tracing.public import errors, service
from fangkong.tracing.public.dependencies import (
    DEFAULT_DAYS,
    DaysQuery,
    DistrictQuery,
    PublicationIdPath,
)
from fangkong.tracing.public.schemas import PublicationIn

router = APIRouter(include_in_schema=False)
NO_STORE = {"Cache-Control": "no-store"}
Cursor = Annotated[str | None, Query(max_length=200)]


def _page(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    response = render(request, f"tracing/{name}", context, status)
    response.headers.update(NO_STORE)
    return response


def _publications(
    session: DbSession, actor: Principal, cursor: str | None = None, **extra: Any
) -> dict[str, Any]:
    page = PageParams(limit=100, cursor=cursor)
    items, next_cursor = service.list_publications(session, actor=actor, page=page)
    next_url = f"/tracing/publications?cursor={next_cursor}" if next_cursor else None
    return {"publications": items, "next_url": next_url, "error": None, "published": None,
            "can_publish": actor.can(Perm.TRACING_PUBLISH), "form": {}} | extra  # fmt: skip


@router.get("/tracing/publications")
def publications_page(
    request: Request, session: DbSession, actor: TracingReadPage, cursor: Cursor = None
) -> Response:
    return _page(request, "publication_list.html", _publications(session, actor, cursor))


@router.post("/tracing/publications", dependencies=[CsrfChecked])
def publish_page(
    request: Request, session: DbSession, actor: TracingPublishPage,
    case_id: Annotated[str, Form(max_length=20)] = "",
    label: Annotated[str, Form(max_length=40)] = "",
    refs: Annotated[list[str] | None, Form(max_length=40)] = None,
) -> Response:  # fmt: skip
    """From the trajectory page (ticked ``refs``) or the list (a case id, all stops)."""
    body = {"case_id": case_id.strip(), "refs": refs or None, "label": label.strip() or None}
    try:
        published = service.publish(session, actor=actor, data=_validated(body))
    except DomainError as exc:
        session.rollback()
        context = _publications(session, actor, error=exc, form=body)
        return _page(request, "publication_list.html", context, exc.status)
    session.commit()
    context = _publications(session, actor, published=published)
    return _page(request, "publication_list.html", context)


def _validated(body: dict[str, Any]) -> PublicationIn:
    try:
        return PublicationIn.model_validate(body)
    except ValidationError:
        raise errors.FormInvalid() from None


@router.post("/tracing/publications/{publication_id}/withdraw", dependencies=[CsrfChecked])
def withdraw_page(
    request: Request, session: DbSession, actor: TracingPublishPage,
    publication_id: PublicationIdPath,
) -> Response:  # fmt: skip
    try:
        service.withdraw(session, actor=actor, publication_id=publication_id)
    except DomainError as exc:
        session.rollback()
        context = _publications(session, actor, error=exc)
        return _page(request, "publication_list.html", context, exc.status)
    return RedirectResponse("/tracing/publications", status_code=303)


@router.get("/public/trajectories")
def public_page(
    request: Request, session: DbSession, days: DaysQuery = DEFAULT_DAYS,
    district: DistrictQuery = None,
) -> Response:  # fmt: skip
    """Anyone, no login: the published stops by district, newest first."""
    found = service.public_trajectories(session, days=days, district=district)
    ordered = sorted(found, key=lambda p: p.district_code)
    groups = [
        (code, list(items)) for code, items in groupby(ordered, key=lambda p: p.district_code)
    ]
    context = {"groups": groups, "days": days, "district": district}
    return citizen_page(request, "tracing/public_trajectories.html", context)


@router.get("/me/self-check")
def self_check_page(request: Request, session: DbSession, citizen: PageCitizen) -> Response:
    result = service.self_check(session, person_id=citizen.person_id)
    return citizen_page(request, "tracing/public_self_check.html", {"result": result})
