"""``/api/v1/sentinel``: sentinel sites, fever-clinic visits, four-drug sales (and their
imports), the grid's follow-up lists of buyers and of fever-clinic visitors, daily counts and
district alerts.

Marking a buyer or a visitor contacted needs only ``sentinel.read``: it is the grid worker's
own follow-up of a list scoped to their grids (a sale or a visit outside them answers 404).
Both marks are idempotent: a second one keeps the first contact.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, UploadFile, status

from fangkong.core import clock, i18n
from fangkong.core.bodylimit import upload_limit
from fangkong.core.pagination import Page, PageParams, decode_cursor, encode_cursor
from fangkong.core.principal import Principal
from fangkong.core.scoping import REGION_PREFIX_PATTERN
from fangkong.core.web import DbSession, Locale, SettingsDep, page_params
from fangkong.sentinel import imports, service, surveillance
from fangkong.sentinel.dependencies import (
    SaleIdPath,
    SentinelManage,
    SentinelRead,
    SentinelReport,
    VisitIdPath,
)
from fangkong.sentinel.schemas import (
    AlertOut,
    AlertRun,
    DailyCounts,
    FollowUpOut,
    ImportReport,
    SaleIn,
    SaleOut,
    SiteIn,
    SiteKind,
    SiteOut,
    VisitFollowUpOut,
    VisitFollowUpQuery,
    VisitIn,
    VisitOut,
)

router = APIRouter(tags=["sentinel"])
BASE = "/api/v1/sentinel"
Paging = Annotated[PageParams, Depends(page_params)]
DayQuery = Annotated[date | None, Query()]
GridQuery = Annotated[str | None, Query(pattern=REGION_PREFIX_PATTERN)]
MAX_UPLOAD = upload_limit(imports.MAX_UPLOAD_BYTES)


@router.get(f"{BASE}/sites", response_model=Page[SiteOut])
def list_sites(
    session: DbSession, actor: SentinelRead, paging: Paging, kind: SiteKind | None = None
) -> Page[SiteOut]:
    items, cursor = service.list_sites(session, actor=actor, kind=kind, page=paging)
    return Page(items=items, next_cursor=cursor)


@router.post(f"{BASE}/sites", response_model=SiteOut, status_code=status.HTTP_201_CREATED)
def register_site(session: DbSession, actor: SentinelManage, data: SiteIn) -> SiteOut:
    return service.register_site(session, actor=actor, data=data)


@router.get(f"{BASE}/visits", response_model=Page[VisitOut])
def list_visits(
    session: DbSession, actor: SentinelRead, paging: Paging, day: DayQuery = None
) -> Page[VisitOut]:
    rows, cursor = service.list_visits(session, actor=actor, day=day, page=paging)
    return Page(items=[VisitOut.model_validate(r) for r in rows], next_cursor=cursor)


@router.post(f"{BASE}/visits", response_model=VisitOut, status_code=status.HTTP_201_CREATED)
def report_visit(
    session: DbSession, settings: SettingsDep, actor: SentinelReport, data: VisitIn
) -> VisitOut:
    visit = service.report_visit(session, settings, actor=actor, data=data)
    return VisitOut.model_validate(visit)


def _translated(report: ImportReport, locale: str, dry_run: bool) -> ImportReport:
    report.dry_run = dry_run
    for rejected in report.rejected_lines:
        rejected.message = i18n.gettext(locale, rejected.message)
    return report


def _upload(
    session: DbSession,
    settings: SettingsDep,
    actor: Principal,
    upload: tuple[UploadFile, str, bool],
    reader: Callable[..., ImportReport],
) -> ImportReport:
    """One import route: read the file (bounded), import it, roll back a dry run."""
    file, locale, dry_run = upload
    data = file.file.read(imports.MAX_UPLOAD_BYTES + 1)
    report = reader(session, settings, actor=actor, filename=file.filename or "", data=data)
    if dry_run:
        session.rollback()
    return _translated(report, locale, dry_run)


@router.post(f"{BASE}/visits/import", response_model=ImportReport, max_body_size=MAX_UPLOAD)
def import_visits(
    session: DbSession,
    settings: SettingsDep,
    actor: SentinelReport,
    locale: Locale,
    file: UploadFile,
    dry_run: bool = False,
) -> ImportReport:
    upload = (file, locale, dry_run)
    return _upload(session, settings, actor, upload, imports.import_visits)


@router.get(f"{BASE}/sales", response_model=Page[SaleOut])
def list_sales(
    session: DbSession, actor: SentinelRead, paging: Paging, day: DayQuery = None
) -> Page[SaleOut]:
    rows, cursor = service.list_sales(session, actor=actor, day=day, page=paging)
    return Page(items=[SaleOut.model_validate(r) for r in rows], next_cursor=cursor)


@router.post(f"{BASE}/sales", response_model=SaleOut, status_code=status.HTTP_201_CREATED)
def record_sale(
    session: DbSession, settings: SettingsDep, actor: SentinelReport, data: SaleIn
) -> SaleOut:
    return SaleOut.model_validate(service.record_sale(session, settings, actor=actor, data=data))


@router.post(f"{BASE}/sales/import", response_model=ImportReport, max_body_size=MAX_UPLOAD)
def import_sales(
    session: DbSession,
    settings: SettingsDep,
    actor: SentinelReport,
    locale: Locale,
    file: UploadFile,
    dry_run: bool = False,
) -> ImportReport:
    upload = (file, locale, dry_run)
    return _upload(session, settings, actor, upload, imports.import_sales)


@router.get(f"{BASE}/follow-ups", response_model=Page[FollowUpOut])
def list_followups(
    session: DbSession,
    settings: SettingsDep,
    actor: SentinelRead,
    paging: Paging,
    open_only: bool = True,
) -> Page[FollowUpOut]:
    """The buyers of the caller's grids; empty while registration is not in force."""
    if not service.registration_in_force(session, settings):
        return Page(items=[])
    before = decode_cursor(paging.cursor, int) if paging.cursor else None
    items, last = service.followups(
        session, actor=actor, open_only=open_only, limit=paging.limit, before=before
    )
    return Page(items=items, next_cursor=encode_cursor(last) if last else None)


@router.post(f"{BASE}/follow-ups/{{sale_id}}/contacted", response_model=SaleOut)
def mark_contacted(session: DbSession, actor: SentinelRead, sale_id: SaleIdPath) -> SaleOut:
    return SaleOut.model_validate(service.mark_contacted(session, actor=actor, sale_id=sale_id))


@router.get(f"{BASE}/follow-ups/visits", response_model=Page[VisitFollowUpOut])
def list_visit_followups(
    session: DbSession,
    actor: SentinelRead,
    paging: Paging,
    open_only: bool = True,
    day: DayQuery = None,
    grid: GridQuery = None,
) -> Page[VisitFollowUpOut]:
    """The fever-clinic visitors of the caller's grids (open ones by default), newest first."""
    query = VisitFollowUpQuery(open_only=open_only, day=day, grid=grid)
    before = decode_cursor(paging.cursor, int) if paging.cursor else None
    items, last = service.visit_followups(
        session, actor=actor, query=query, limit=paging.limit, before=before
    )
    return Page(items=items, next_cursor=encode_cursor(last) if last else None)


@router.post(f"{BASE}/follow-ups/visits/{{visit_id}}/contacted", response_model=VisitOut)
def mark_visitor_contacted(
    session: DbSession, actor: SentinelRead, visit_id: VisitIdPath
) -> VisitOut:
    """Idempotent: marking a visitor contacted again keeps the first contact."""
    visit = service.mark_visit_contacted(session, actor=actor, visit_id=visit_id)
    return VisitOut.model_validate(visit)


@router.get(f"{BASE}/counts", response_model=DailyCounts)
def daily_counts(session: DbSession, actor: SentinelRead, day: DayQuery = None) -> DailyCounts:
    return surveillance.daily_counts(session, actor=actor, day=day or clock.local_today())


@router.get(f"{BASE}/alerts", response_model=Page[AlertOut])
def list_alerts(
    session: DbSession, actor: SentinelRead, paging: Paging, day: DayQuery = None
) -> Page[AlertOut]:
    rows, cursor = surveillance.list_alerts(session, actor=actor, day=day, page=paging)
    return Page(items=[AlertOut.model_validate(r) for r in rows], next_cursor=cursor)


@router.post(f"{BASE}/alerts/compute", response_model=AlertRun)
def compute_alerts(
    session: DbSession, settings: SettingsDep, actor: SentinelManage, day: DayQuery = None
) -> AlertRun:
    """Recompute the alerts of ``day`` (default today) for the caller's districts."""
    edition = service.edition(session, settings)
    day = day or clock.local_today()
    return surveillance.compute_alerts(session, edition=edition, day=day, actor=actor)
