"""``/api/v1/care/volunteers``, ``/needs``, ``/vulnerable``, ``/pairings``, and the volunteer
import (CSV or XLSX)."""

from __future__ import annotations

from functools import partial
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, UploadFile, status

from fangkong.care import uploads
from fangkong.care.access import CareManage, CareRead
from fangkong.care.volunteers import importer, service
from fangkong.care.volunteers.schemas import (
    NeedIn,
    NeedOut,
    PairingCreate,
    PairingOut,
    VolunteerCreate,
    VolunteerImportReport,
    VolunteerOut,
    VulnerableOut,
)
from fangkong.core.bodylimit import upload_limit
from fangkong.core.pagination import Page, PageParams
from fangkong.core.scoping import REGION_PREFIX_PATTERN
from fangkong.core.web import DbSession, IdPath, IntIdPath, Locale, SettingsDep, page_params

router = APIRouter(tags=["care"])
CARE = "/api/v1/care"
VOLUNTEERS = f"{CARE}/volunteers"
PAIRINGS = f"{CARE}/pairings"
Paging = Annotated[PageParams, Depends(page_params)]
RegionQuery = Annotated[str | None, Query(pattern=REGION_PREFIX_PATTERN)]


@router.get(VOLUNTEERS, response_model=Page[VolunteerOut])
def list_volunteers(
    session: DbSession,
    actor: CareRead,
    paging: Paging,
    active: bool | None = None,
    region: RegionQuery = None,
) -> Page[VolunteerOut]:
    where = service.VolunteerFilter(active=active, region=region)
    items, cursor = service.list_volunteers(session, actor=actor, page=paging, where=where)
    return Page(items=items, next_cursor=cursor)


@router.post(VOLUNTEERS, response_model=VolunteerOut, status_code=status.HTTP_201_CREATED)
def register_volunteer(
    session: DbSession, actor: CareManage, data: VolunteerCreate
) -> VolunteerOut:
    volunteer = service.register_volunteer(session, actor=actor, data=data)
    return service.volunteers_out(session, [volunteer])[0]


@router.get(f"{VOLUNTEERS}/import-template", response_class=Response)
def import_template(actor: CareManage, format: uploads.Format = "csv") -> Response:
    return uploads.template(
        format, csv=importer.template_csv, xlsx=importer.template_xlsx, name="volunteers"
    )


@router.post(
    f"{VOLUNTEERS}/import",
    response_model=VolunteerImportReport,
    max_body_size=upload_limit(importer.MAX_UPLOAD_BYTES),
)
def import_volunteers(
    session: DbSession,
    settings: SettingsDep,
    actor: CareManage,
    locale: Locale,
    file: UploadFile,
    dry_run: bool = False,
) -> VolunteerImportReport:
    work = partial(importer.import_upload, session, actor=actor, settings=settings)
    return uploads.run(session, file, limit=importer.MAX_UPLOAD_BYTES, dry_run=dry_run,
                       locale=locale, work=work)  # fmt: skip


@router.get(f"{VOLUNTEERS}/{{volunteer_id}}", response_model=VolunteerOut)
def get_volunteer(session: DbSession, actor: CareRead, volunteer_id: IntIdPath) -> VolunteerOut:
    volunteer = service.get_volunteer(session, actor=actor, volunteer_id=volunteer_id)
    return service.volunteers_out(session, [volunteer])[0]


@router.post(f"{VOLUNTEERS}/{{volunteer_id}}/deactivate", response_model=VolunteerOut)
def deactivate_volunteer(
    session: DbSession, actor: CareManage, volunteer_id: IntIdPath
) -> VolunteerOut:
    volunteer = service.set_volunteer_active(
        session, actor=actor, volunteer_id=volunteer_id, active=False
    )
    return service.volunteers_out(session, [volunteer])[0]


@router.put(f"{CARE}/needs/{{person_id}}", response_model=NeedOut)
def set_need(session: DbSession, actor: CareManage, person_id: IdPath, data: NeedIn) -> NeedOut:
    return service.need_out(service.set_need(session, actor=actor, person_id=person_id, data=data))


@router.get(f"{CARE}/vulnerable", response_model=Page[VulnerableOut])
def list_vulnerable(session: DbSession, actor: CareRead, paging: Paging) -> Page[VulnerableOut]:
    items, cursor = service.list_vulnerable(session, actor=actor, page=paging)
    return Page(items=items, next_cursor=cursor)


@router.get(PAIRINGS, response_model=Page[PairingOut])
def list_pairings(
    session: DbSession, actor: CareRead, paging: Paging, active: bool | None = None
) -> Page[PairingOut]:
    items, cursor = service.list_pairings(session, actor=actor, page=paging, active=active)
    return Page(items=items, next_cursor=cursor)


@router.post(PAIRINGS, response_model=PairingOut, status_code=status.HTTP_201_CREATED)
def pair(session: DbSession, actor: CareManage, data: PairingCreate) -> PairingOut:
    return service.pairings_out(session, [service.pair(session, actor=actor, data=data)])[0]


@router.post(f"{PAIRINGS}/{{pairing_id}}/end", response_model=PairingOut)
def end_pairing(session: DbSession, actor: CareManage, pairing_id: IntIdPath) -> PairingOut:
    pairing = service.end_pairing(session, actor=actor, pairing_id=pairing_id)
    return service.pairings_out(session, [pairing])[0]
