"""Pages of property companies (物业企业) and their communities (物业小区): the lists with
their filters and export, the new-company and new-community forms, and a company's page with
its communities, credit score and credit actions (约谈、扣分) and the form to record one.

Forms are read as plain strings and validated in the handler against the API's schemas, so
bad input re-renders the form with its values kept and the error shown (status 422)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from fangkong.auth.dependencies import CsrfChecked
from fangkong.auth.permissions import Perm
from fangkong.core.errors import DomainError
from fangkong.core.forms import FormFields, blank, picked
from fangkong.core.pagination import PageParams
from fangkong.core.principal import Principal
from fangkong.core.scoping import REGION_PREFIX_PATTERN
from fangkong.core.templating import render
from fangkong.core.web import DbSession, SettingsDep
from fangkong.supervision.companies import service
from fangkong.supervision.companies.schemas import (
    NO_CONTROL,
    CommunityCreate,
    CompanyCreate,
    CreditActionIn,
)
from fangkong.supervision.dependencies import IntIdPath, SupervisionManageForm, SupervisionPage
from fangkong.supervision.labels import CreditKind
from fangkong.supervision.pages import PAGE_SIZE, form_page, next_url, read, submit

router = APIRouter(include_in_schema=False)
COMPANIES = "/supervision/companies"
COMMUNITIES = "/supervision/communities"
COMPANY_FIELDS = ("name", "credit_code", "region_code", "contact")
COMMUNITY_FIELDS = ("name", "region_code", "address", "company_id")
CREDIT_FIELDS = ("kind", "points", "reason")
CHOICES = 200  # companies offered in a community form's list
Cursor = Annotated[str | None, Query(max_length=200)]
SearchQuery = Annotated[str | None, Query(max_length=100, pattern=NO_CONTROL)]
RegionQuery = Annotated[str | None, Query(pattern=f"^$|{REGION_PREFIX_PATTERN}")]
IdQuery = Annotated[int | None, Query(ge=1, le=2**31 - 1)]


# --- companies --------------------------------------------------------------------------


@router.get(COMPANIES)
def companies_page(
    request: Request,
    session: DbSession,
    actor: SupervisionPage,
    q: SearchQuery = None,
    region: RegionQuery = None,
    cursor: Cursor = None,
) -> Response:
    filters = {"q": q or "", "region": region or ""}
    where = service.CompanyFilter(q=q or None, region=region or None)
    page = PageParams(limit=PAGE_SIZE, cursor=cursor)
    rows, next_cursor = service.list_companies(session, actor=actor, page=page, where=where)
    context = {"companies": rows, "filters": filters,
               "next_url": next_url(COMPANIES, filters, next_cursor)}  # fmt: skip
    return render(request, "supervision/companies.html", context)


def _new_company(request: Request, form: dict[str, str], error: Any, status: int = 200) -> Response:
    return form_page(
        request, "supervision/company_new.html", {"form": form, "error": error}, status
    )


@router.get(f"{COMPANIES}/new")
def new_company_page(request: Request, actor: SupervisionManageForm) -> Response:
    return _new_company(request, blank(COMPANY_FIELDS) | {"region_code": actor.region_code}, None)


@router.post(f"{COMPANIES}/new", dependencies=[CsrfChecked])
def new_company_submit(
    request: Request,
    session: DbSession,
    settings: SettingsDep,
    actor: SupervisionManageForm,
    fields: FormFields,
) -> Response:
    form = picked(fields, COMPANY_FIELDS)

    def write() -> str:
        data = read(CompanyCreate, form)
        made = service.create_company(session, actor=actor, settings=settings, data=data)
        return f"{COMPANIES}/{made.id}"

    return submit(session, write, lambda exc: _new_company(request, form, exc, exc.status))


def _company(
    request: Request, session: DbSession, actor: Principal, company_id: int,
    form: dict[str, str] | None = None, error: DomainError | None = None,
) -> Response:  # fmt: skip
    company = service.get_company(session, actor=actor, company_id=company_id)
    where = service.CommunityFilter(company_id=company.id)
    communities, more = service.list_communities(
        session, actor=actor, page=PageParams(limit=PAGE_SIZE), where=where
    )
    context = {
        "company": company, "communities": communities, "more_communities": more is not None,
        "actions": service.credit_actions(session, actor=actor, company_id=company.id),
        "kinds": list(CreditKind), "manage": actor.can(Perm.SUPERVISION_MANAGE),
        "form": form or blank(CREDIT_FIELDS), "error": error,
    }  # fmt: skip
    return form_page(request, "supervision/company.html", context, error.status if error else 200)


@router.get(f"{COMPANIES}/{{company_id}}")
def company_page(
    request: Request, session: DbSession, actor: SupervisionPage, company_id: IntIdPath
) -> Response:
    return _company(request, session, actor, company_id)


@router.post(f"{COMPANIES}/{{company_id}}/credit", dependencies=[CsrfChecked])
def credit_submit(
    request: Request,
    session: DbSession,
    actor: SupervisionManageForm,
    company_id: IntIdPath,
    fields: FormFields,
) -> Response:
    form = picked(fields, CREDIT_FIELDS)

    def write() -> str:
        data = read(CreditActionIn, form)
        service.act_on_credit(session, actor=actor, company_id=company_id, data=data)
        return f"{COMPANIES}/{company_id}"

    return submit(
        session, write, lambda exc: _company(request, session, actor, company_id, form, exc)
    )


# --- communities ------------------------------------------------------------------------


@router.get(COMMUNITIES)
def communities_page(
    request: Request,
    session: DbSession,
    actor: SupervisionPage,
    region: RegionQuery = None,
    company_id: IdQuery = None,
    cursor: Cursor = None,
) -> Response:
    filters = {"region": region or "", "company_id": str(company_id or "")}
    where = service.CommunityFilter(region=region or None, company_id=company_id)
    page = PageParams(limit=PAGE_SIZE, cursor=cursor)
    rows, next_cursor = service.list_communities(session, actor=actor, page=page, where=where)
    context = {"communities": rows, "filters": filters, "companies": _company_names(session, actor),
               "next_url": next_url(COMMUNITIES, filters, next_cursor)}  # fmt: skip
    return render(request, "supervision/communities.html", context)


def _company_names(session: DbSession, actor: Principal) -> dict[int, str]:
    """The first companies of the jurisdiction by id, for the lists' names and choices."""
    rows, _ = service.list_companies(session, actor=actor, page=PageParams(limit=CHOICES))
    return {c.id: c.name for c in rows}


def _new_community(
    request: Request, session: DbSession, actor: Principal, form: dict[str, str],
    error: DomainError | None, status: int = 200,
) -> Response:  # fmt: skip
    context = {"form": form, "error": error, "companies": _company_names(session, actor)}
    return form_page(request, "supervision/community_new.html", context, status)


@router.get(f"{COMMUNITIES}/new")
def new_community_page(
    request: Request, session: DbSession, actor: SupervisionManageForm, company_id: IdQuery = None
) -> Response:
    form = blank(COMMUNITY_FIELDS) | {"company_id": str(company_id or "")}
    return _new_community(request, session, actor, form, None)


@router.post(f"{COMMUNITIES}/new", dependencies=[CsrfChecked])
def new_community_submit(
    request: Request, session: DbSession, actor: SupervisionManageForm, fields: FormFields
) -> Response:
    form = picked(fields, COMMUNITY_FIELDS)

    def write() -> str:
        made = service.create_community(session, actor=actor, data=read(CommunityCreate, form))
        return f"{COMMUNITIES}?company_id={made.company_id}" if made.company_id else COMMUNITIES

    return submit(
        session, write,
        lambda exc: _new_community(request, session, actor, form, exc, exc.status),
    )  # fmt: skip
