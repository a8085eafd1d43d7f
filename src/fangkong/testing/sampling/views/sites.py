"""Officers' pages of sampling sites: the list with filters, a new site, a site's detail with
its edit form, queue and deactivation. Forms are read as strings and validated in the
handler, so bad input re-renders the form with its values kept and the error shown."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from fangkong.auth.dependencies import CsrfChecked
from fangkong.auth.permissions import Perm
from fangkong.core.errors import N_, DomainError, InvalidInput
from fangkong.core.pagination import PageParams
from fangkong.core.principal import Principal
from fangkong.core.templating import render
from fangkong.core.web import DbSession, page_error
from fangkong.testing.dependencies import TestingManagePage, TestingReadPage
from fangkong.testing.sampling import service
from fangkong.testing.sampling.dependencies import SiteIdPath
from fangkong.testing.sampling.labels import QUEUE_LABELS
from fangkong.testing.sampling.schemas import SiteCreate, SiteUpdate

router = APIRouter(include_in_schema=False)
SITES = "/testing/sites"
PAGE_SIZE = 50
FIELDS = ("name", "region_code", "address", "opens_at", "closes_at", "capacity_per_hour")
NO_STORE = {"Cache-Control": "no-store"}
NameQuery = Annotated[str | None, Query(max_length=100)]
PrefixQuery = Annotated[str | None, Query(pattern=r"^([0-9]{2,15})?$")]
Cursor = Annotated[str | None, Query(max_length=200)]
ActiveQuery = Annotated[str | None, Query(pattern=r"^(|yes|no)$")]


class FormInvalid(InvalidInput):
    code = "testing.site_form_invalid"
    title = N_(
        "Check the name (1 to 100 characters), the region code, HH:MM hours "
        "and the capacity per hour (1 to 100,000)."
    )


async def _form_fields(request: Request) -> dict[str, str]:
    form = await request.form()
    return {k: v.strip() for k, v in form.multi_items() if isinstance(v, str) and k in FIELDS}


FormFields = Annotated[dict[str, str], Depends(_form_fields)]


def _no_store(response: Response) -> Response:
    response.headers.update(NO_STORE)
    return response


def _filter(q: str | None, region: str | None, active: str | None) -> service.SiteFilter:
    return service.SiteFilter(
        region=region or None, q=q or None, active={"yes": True, "no": False}.get(active or "")
    )


@router.get(SITES)
def sites_page(
    request: Request,
    session: DbSession,
    actor: TestingReadPage,
    q: NameQuery = None,
    region: PrefixQuery = None,
    active: ActiveQuery = None,
    cursor: Cursor = None,
) -> Response:
    filters = {"q": q or "", "region": region or "", "active": active or ""}
    page = PageParams(limit=PAGE_SIZE, cursor=cursor)
    where = _filter(q, region, active)
    rows, next_cursor = service.list_sites(session, actor=actor, page=page, where=where)
    query = {k: v for k, v in filters.items() if v}
    next_url = f"{SITES}?{urlencode(query | {'cursor': next_cursor})}" if next_cursor else None
    context = {
        "sites": rows, "filters": filters, "next_url": next_url,
        "manage": actor.can(Perm.TESTING_MANAGE), "form": {"region_code": actor.region_code},
        "error": None,
    }  # fmt: skip
    return _no_store(render(request, "testing/sampling_sites.html", context))


@router.post(SITES, dependencies=[CsrfChecked])
def create_site(
    request: Request, session: DbSession, actor: TestingManagePage, fields: FormFields
) -> Response:
    values: dict[str, Any] = {k: v for k, v in fields.items() if v}
    try:
        site = service.create_site(session, actor=actor, data=SiteCreate.model_validate(values))
    except (ValidationError, DomainError) as exc:
        session.rollback()
        error = page_error(exc, FormInvalid)
        context: dict[str, Any] = {
            "sites": [], "filters": {"q": "", "region": "", "active": ""}, "next_url": None,
            "manage": True, "form": fields, "error": error,
        }  # fmt: skip
        return _no_store(render(request, "testing/sampling_sites.html", context, error.status))
    return RedirectResponse(f"{SITES}/{site.id}", status_code=303)


def _detail(
    request: Request, session: DbSession, actor: Principal, site_id: int, status: int = 200,
    **extra: Any,
) -> Response:  # fmt: skip
    site = service.get_site(session, actor=actor, site_id=site_id)
    context = {
        "site": site, "manage": actor.can(Perm.TESTING_MANAGE), "error": None,
        "form": {name: str(getattr(site, name)) for name in FIELDS},
        "wait": service.wait_minutes(site), "labels": QUEUE_LABELS,
    } | extra  # fmt: skip
    return _no_store(render(request, "testing/sampling_site.html", context, status))


@router.get(f"{SITES}/{{site_id}}")
def site_page(
    request: Request, session: DbSession, actor: TestingReadPage, site_id: SiteIdPath
) -> Response:
    return _detail(request, session, actor, site_id)


@router.post(f"{SITES}/{{site_id}}/edit", dependencies=[CsrfChecked])
def edit_site(
    request: Request,
    session: DbSession,
    actor: TestingManagePage,
    site_id: SiteIdPath,
    fields: FormFields,
) -> Response:
    try:
        data = SiteUpdate.model_validate({k: v for k, v in fields.items() if v or k == "address"})
        service.update_site(session, actor=actor, site_id=site_id, data=data)
    except (ValidationError, DomainError) as exc:
        session.rollback()
        error = page_error(exc, FormInvalid)
        return _detail(request, session, actor, site_id, error.status, form=fields, error=error)
    return RedirectResponse(f"{SITES}/{site_id}", status_code=303)


@router.post(f"{SITES}/{{site_id}}/deactivate", dependencies=[CsrfChecked])
def deactivate_site(
    request: Request, session: DbSession, actor: TestingManagePage, site_id: SiteIdPath
) -> Response:
    service.deactivate_site(session, actor=actor, site_id=site_id)
    return RedirectResponse(f"{SITES}/{site_id}", status_code=303)
