"""JSON routes of contacts: a case's contacts, generation on demand, a person named in the
interview, the city list (filters, pagination), one contact, bulk decisions (all or nothing)
and the line-list paste (refused line by line)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, status

from fangkong.core.pagination import Page, PageParams
from fangkong.core.scoping import REGION_PREFIX_PATTERN
from fangkong.core.web import DbSession, IdQuery, Locale, page_params
from fangkong.people.dependencies import ProtectorDep
from fangkong.tracing.contacts import linelist, service
from fangkong.tracing.contacts.dependencies import CaseIdPath, ContactIdPath
from fangkong.tracing.contacts.schemas import (
    ContactDetail,
    ContactOut,
    DecisionIn,
    DecisionOut,
    Degree,
    GenerateOut,
    LineListIn,
    LineListOut,
    LinkReason,
    NamedContactIn,
    Status,
)
from fangkong.tracing.dependencies import TracingManage, TracingRead

router = APIRouter(tags=["contacts"])
CONTACTS = "/api/v1/contacts"
CASE_CONTACTS = "/api/v1/cases/{case_id}/contacts"
Paging = Annotated[PageParams, Depends(page_params)]
RegionQuery = Annotated[str | None, Query(pattern=REGION_PREFIX_PATTERN)]


@router.get(CASE_CONTACTS, response_model=Page[ContactOut])
def case_contacts(
    session: DbSession, actor: TracingRead, case_id: CaseIdPath, paging: Paging
) -> Page[ContactOut]:
    items, cursor = service.case_contacts(session, actor=actor, case_id=case_id, page=paging)
    return Page(items=items, next_cursor=cursor)


@router.post(f"{CASE_CONTACTS}/generate", response_model=GenerateOut)
def generate(session: DbSession, actor: TracingManage, case_id: CaseIdPath) -> GenerateOut:
    return service.generate(session, actor=actor, case_id=case_id)


@router.post(CASE_CONTACTS, response_model=ContactDetail, status_code=status.HTTP_201_CREATED)
def add_named(
    session: DbSession, actor: TracingManage, protector: ProtectorDep, case_id: CaseIdPath,
    data: NamedContactIn,
) -> ContactDetail:  # fmt: skip
    contact = service.add_named(session, actor=actor, protector=protector, case_id=case_id,
                                data=data)  # fmt: skip
    return service.detail(session, actor=actor, contact_id=contact.id)


@router.get(CONTACTS, response_model=Page[ContactOut])
def list_contacts(
    session: DbSession, actor: TracingRead, paging: Paging,
    degree: Degree | None = None, status: Status | None = None, reason: LinkReason | None = None,
    district: RegionQuery = None, grid: RegionQuery = None, case: IdQuery = None,
) -> Page[ContactOut]:  # fmt: skip
    where = service.ContactFilter(
        degree=degree.value if degree else None, status=status.value if status else None,
        reason=reason.value if reason else None, district=district, grid=grid, case_id=case,
    )  # fmt: skip
    items, cursor = service.list_contacts(session, actor=actor, page=paging, where=where)
    return Page(items=items, next_cursor=cursor)


@router.post(f"{CONTACTS}/decisions", response_model=DecisionOut)
def decide(session: DbSession, actor: TracingManage, data: DecisionIn) -> DecisionOut:
    return service.decide(session, actor=actor, data=data)


@router.post(f"{CONTACTS}/line-list", response_model=LineListOut)
def line_list(
    session: DbSession, actor: TracingManage, protector: ProtectorDep, locale: Locale,
    data: LineListIn,
) -> LineListOut:  # fmt: skip
    return linelist.import_lines(session, actor=actor, protector=protector, text=data.text,
                                 locale=locale)  # fmt: skip


@router.get(f"{CONTACTS}/{{contact_id}}", response_model=ContactDetail)
def get_contact(session: DbSession, actor: TracingRead, contact_id: ContactIdPath) -> ContactDetail:
    return service.detail(session, actor=actor, contact_id=contact_id)
