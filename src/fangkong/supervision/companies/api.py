"""``/api/v1/supervision``: property companies, their credit actions, the red and black
lists, and property-managed communities (with their import)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, UploadFile, status

from fangkong.core import i18n
from fangkong.core.bodylimit import upload_limit
from fangkong.core.pagination import Page, PageParams
from fangkong.core.scoping import REGION_PREFIX_PATTERN
from fangkong.core.web import DbSession, Locale, SettingsDep, page_params
from fangkong.supervision.companies import importer, service
from fangkong.supervision.companies.schemas import (
    NO_CONTROL,
    CommunityCreate,
    CommunityOut,
    CompanyCreate,
    CompanyLists,
    CompanyOut,
    CreditActionIn,
    CreditActionOut,
    ImportReport,
)
from fangkong.supervision.dependencies import (
    IntIdPath,
    SupervisionManage,
    SupervisionRead,
)

router = APIRouter(tags=["supervision"])
API = "/api/v1/supervision"
Paging = Annotated[PageParams, Depends(page_params)]
RegionQuery = Annotated[str | None, Query(pattern=REGION_PREFIX_PATTERN)]
IdQuery = Annotated[int | None, Query(ge=1, le=2**31 - 1)]
SearchQuery = Annotated[str | None, Query(min_length=1, max_length=100, pattern=NO_CONTROL)]


@router.get(f"{API}/companies", response_model=Page[CompanyOut])
def list_companies(
    session: DbSession,
    actor: SupervisionRead,
    paging: Paging,
    q: SearchQuery = None,
    region: RegionQuery = None,
) -> Page[CompanyOut]:
    """``q``: a part of the name or the start of the credit code."""
    where = service.CompanyFilter(q=q, region=region)
    rows, cursor = service.list_companies(session, actor=actor, page=paging, where=where)
    return Page(items=[CompanyOut.model_validate(c) for c in rows], next_cursor=cursor)


@router.post(f"{API}/companies", response_model=CompanyOut, status_code=status.HTTP_201_CREATED)
def create_company(
    session: DbSession, settings: SettingsDep, actor: SupervisionManage, data: CompanyCreate
) -> CompanyOut:
    company = service.create_company(session, actor=actor, settings=settings, data=data)
    return CompanyOut.model_validate(company)


@router.get(f"{API}/companies/{{company_id}}", response_model=CompanyOut)
def get_company(session: DbSession, actor: SupervisionRead, company_id: IntIdPath) -> CompanyOut:
    return CompanyOut.model_validate(
        service.get_company(session, actor=actor, company_id=company_id)
    )


@router.get(f"{API}/companies/{{company_id}}/credit", response_model=list[CreditActionOut])
def credit_actions(
    session: DbSession, actor: SupervisionRead, company_id: IntIdPath
) -> list[CreditActionOut]:
    found = service.credit_actions(session, actor=actor, company_id=company_id)
    return [CreditActionOut.model_validate(a) for a in found]


@router.post(
    f"{API}/companies/{{company_id}}/credit",
    response_model=CreditActionOut,
    status_code=status.HTTP_201_CREATED,
)
def act_on_credit(
    session: DbSession, actor: SupervisionManage, company_id: IntIdPath, data: CreditActionIn
) -> CreditActionOut:
    action = service.act_on_credit(session, actor=actor, company_id=company_id, data=data)
    return CreditActionOut.model_validate(action)


@router.get(f"{API}/lists", response_model=CompanyLists)
def red_and_black_lists(
    session: DbSession, settings: SettingsDep, actor: SupervisionRead, start: date, end: date
) -> CompanyLists:
    return service.lists(session, actor=actor, settings=settings, start=start, end=end)


@router.get(f"{API}/communities", response_model=Page[CommunityOut])
def list_communities(
    session: DbSession,
    actor: SupervisionRead,
    paging: Paging,
    region: RegionQuery = None,
    company_id: IdQuery = None,
) -> Page[CommunityOut]:
    where = service.CommunityFilter(region=region, company_id=company_id)
    rows, cursor = service.list_communities(session, actor=actor, page=paging, where=where)
    return Page(items=[CommunityOut.model_validate(c) for c in rows], next_cursor=cursor)


@router.post(f"{API}/communities", response_model=CommunityOut, status_code=status.HTTP_201_CREATED)
def create_community(
    session: DbSession, actor: SupervisionManage, data: CommunityCreate
) -> CommunityOut:
    return CommunityOut.model_validate(service.create_community(session, actor=actor, data=data))


@router.get(f"{API}/communities/import-template", response_class=Response)
def community_template(actor: SupervisionManage) -> Response:
    headers = {"Content-Disposition": 'attachment; filename="communities-template.csv"'}
    return Response(importer.template_csv(), media_type="text/csv; charset=utf-8", headers=headers)


@router.post(
    f"{API}/communities/import",
    response_model=ImportReport,
    max_body_size=upload_limit(importer.MAX_UPLOAD_BYTES),
)
def import_communities(
    session: DbSession,
    actor: SupervisionManage,
    locale: Locale,
    file: UploadFile,
    dry_run: bool = False,
) -> ImportReport:
    data = file.file.read(importer.MAX_UPLOAD_BYTES + 1)
    report = importer.import_upload(session, actor=actor, filename=file.filename or "", data=data)
    if dry_run:
        session.rollback()
        report.dry_run = True
    for rejected in report.rejected:
        rejected.message = i18n.gettext(locale, rejected.message)
    return report


@router.get(f"{API}/communities/{{community_id}}", response_model=CommunityOut)
def get_community(
    session: DbSession, actor: SupervisionRead, community_id: IntIdPath
) -> CommunityOut:
    found = service.get_community(session, actor=actor, community_id=community_id)
    return CommunityOut.model_validate(found)
