"""``/api/v1/vaccination``: vaccine products, doses, a person's record, coverage, outreach
lists and the dose import."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response, UploadFile, status

from fangkong.core import i18n
from fangkong.core.bodylimit import upload_limit
from fangkong.core.pagination import Page, PageParams, decode_cursor, encode_cursor
from fangkong.core.scoping import REGION_PREFIX_PATTERN
from fangkong.core.web import DbSession, IdPath, Locale, SettingsDep, page_params
from fangkong.people.protect import Protector
from fangkong.vaccination import importer, service
from fangkong.vaccination.dependencies import VaccinationManage, VaccinationRead
from fangkong.vaccination.schemas import (
    Coverage,
    DoseImportReport,
    DoseIn,
    DoseOut,
    OutreachRow,
    PersonRecord,
    Reason,
    VaccineCreate,
    VaccineOut,
)

router = APIRouter(tags=["vaccination"])
API = "/api/v1/vaccination"
Paging = Annotated[PageParams, Depends(page_params)]
RegionQuery = Annotated[str | None, Query(pattern=REGION_PREFIX_PATTERN)]
GridQuery = Annotated[str, Query(pattern=REGION_PREFIX_PATTERN)]
OnQuery = Annotated[date | None, Query(ge=date(2000, 1, 1), le=date(2100, 12, 31))]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get(f"{API}/vaccines", response_model=list[VaccineOut])
def list_vaccines(session: DbSession, actor: VaccinationRead) -> list[VaccineOut]:
    return [VaccineOut.model_validate(v) for v in service.list_vaccines(session)]


@router.post(f"{API}/vaccines", response_model=VaccineOut, status_code=status.HTTP_201_CREATED)
def create_vaccine(session: DbSession, actor: VaccinationManage, data: VaccineCreate) -> VaccineOut:
    return VaccineOut.model_validate(service.create_vaccine(session, actor=actor, data=data))


@router.post(f"{API}/doses", response_model=DoseOut, status_code=status.HTTP_201_CREATED)
def record_dose(session: DbSession, actor: VaccinationManage, data: DoseIn) -> DoseOut:
    service.record_dose(session, actor=actor, data=data)
    record = service.person_record(session, actor=actor, person_id=data.person_id)
    return next(d for d in record.doses if d.dose_number == data.dose_number)


@router.get(f"{API}/people/{{person_id}}", response_model=PersonRecord)
def person_record(session: DbSession, actor: VaccinationRead, person_id: IdPath) -> PersonRecord:
    return service.person_record(session, actor=actor, person_id=person_id)


@router.get(f"{API}/coverage", response_model=Coverage)
def coverage(
    session: DbSession, actor: VaccinationRead, region: RegionQuery = None, on: OnQuery = None
) -> Coverage:
    return service.coverage(session, actor=actor, region=region, on=on or service.today())


@router.get(f"{API}/outreach", response_model=Page[OutreachRow])
def outreach(
    session: DbSession,
    actor: VaccinationRead,
    paging: Paging,
    grid: GridQuery,
    reason: Reason | None = None,
    on: OnQuery = None,
) -> Page[OutreachRow]:
    after = decode_cursor(paging.cursor, int) if paging.cursor else None
    where = service.OutreachFilter(grid=grid, on=on or service.today(), reason=reason)
    items, last = service.outreach(
        session, actor=actor, where=where, after=after, limit=paging.limit
    )
    return Page(items=items, next_cursor=encode_cursor(last) if last is not None else None)


@router.get(f"{API}/import-template", response_class=Response)
def import_template(actor: VaccinationManage, format: Literal["csv", "xlsx"] = "csv") -> Response:
    if format == "xlsx":
        body, media, name = importer.template_xlsx(), XLSX, "doses-template.xlsx"
    else:
        body, media, name = importer.template_csv(), "text/csv; charset=utf-8", "doses.csv"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(body, media_type=media, headers=headers)


@router.post(
    f"{API}/doses/import",
    response_model=DoseImportReport,
    max_body_size=upload_limit(importer.MAX_UPLOAD_BYTES),
)
def import_doses(
    session: DbSession,
    settings: SettingsDep,
    actor: VaccinationManage,
    locale: Locale,
    file: UploadFile,
    dry_run: bool = False,
) -> DoseImportReport:
    data = file.file.read(importer.MAX_UPLOAD_BYTES + 1)
    report = importer.import_upload(
        session, actor=actor, protector=Protector(settings.data_key_bytes),
        filename=file.filename or "", data=data,
    )  # fmt: skip
    if dry_run:
        session.rollback()
        report.dry_run = True
    for rejected in report.rejected:
        rejected.message = i18n.gettext(locale, rejected.message)
    return report
