"""``/api/v1/venues``: venues, their place codes (token, PNG, SVG), closures (暂停营业),
operators and the import."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response, UploadFile, status

from fangkong.config import Settings
from fangkong.core import i18n
from fangkong.core.bodylimit import upload_limit
from fangkong.core.pagination import Page, PageParams
from fangkong.core.scoping import REGION_PREFIX_PATTERN
from fangkong.core.web import DbSession, Locale, SettingsDep, UserIdPath, page_params
from fangkong.models import User
from fangkong.models.venue import Venue
from fangkong.policy.types import VenueType
from fangkong.venues import importer, placecode, service
from fangkong.venues.dependencies import VenueIdPath, VenuesManage, VenuesRead
from fangkong.venues.schemas import (
    ClosureIn,
    ClosureOut,
    OperatorIn,
    OperatorOut,
    ReopenIn,
    VenueCreate,
    VenueImportReport,
    VenueOut,
    VenueUpdate,
)

router = APIRouter(tags=["venues"])
VENUES = "/api/v1/venues"
Paging = Annotated[PageParams, Depends(page_params)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NameQuery = Annotated[str | None, Query(min_length=1, max_length=100)]
RegionQuery = Annotated[str | None, Query(pattern=REGION_PREFIX_PATTERN)]


def venue_out(settings: Settings, venue: Venue) -> VenueOut:
    token, url = service.place_code(settings, venue)
    return VenueOut.model_validate(venue).model_copy(
        update={"place_code": token, "place_code_url": url}
    )


def _download(body: bytes, media_type: str, filename: str) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(body, media_type=media_type, headers=headers)


@router.get(VENUES, response_model=Page[VenueOut])
def list_venues(
    session: DbSession,
    settings: SettingsDep,
    actor: VenuesRead,
    paging: Paging,
    type: VenueType | None = None,
    region: RegionQuery = None,
    q: NameQuery = None,
    active: bool | None = None,
) -> Page[VenueOut]:
    where = service.VenueFilter(
        type=type.value if type else None, region=region, q=q, active=active
    )
    rows, cursor = service.list_venues(session, actor=actor, page=paging, where=where)
    return Page(items=[venue_out(settings, v) for v in rows], next_cursor=cursor)


@router.post(VENUES, response_model=VenueOut, status_code=status.HTTP_201_CREATED)
def create_venue(
    session: DbSession, settings: SettingsDep, actor: VenuesManage, data: VenueCreate
) -> VenueOut:
    return venue_out(settings, service.create_venue(session, actor=actor, data=data))


@router.get(f"{VENUES}/import-template", response_class=Response)
def import_template(
    actor: VenuesManage,
    format: Literal["csv", "xlsx"] = "csv",
) -> Response:
    if format == "xlsx":
        return _download(importer.template_xlsx(), XLSX, "venues-template.xlsx")
    return _download(importer.template_csv(), "text/csv; charset=utf-8", "venues-template.csv")


@router.post(
    f"{VENUES}/import",
    response_model=VenueImportReport,
    max_body_size=upload_limit(importer.MAX_UPLOAD_BYTES),
)
def import_venues(
    session: DbSession, actor: VenuesManage, locale: Locale, file: UploadFile, dry_run: bool = False
) -> VenueImportReport:
    data = file.file.read(importer.MAX_UPLOAD_BYTES + 1)
    report = importer.import_upload(session, actor=actor, filename=file.filename or "", data=data)
    if dry_run:
        session.rollback()
        report.dry_run = True
    for rejected in report.rejected:
        rejected.message = i18n.gettext(locale, rejected.message)
    return report


@router.get(f"{VENUES}/{{venue_id}}", response_model=VenueOut)
def get_venue(
    session: DbSession, settings: SettingsDep, actor: VenuesRead, venue_id: VenueIdPath
) -> VenueOut:
    return venue_out(settings, service.get_venue(session, actor=actor, venue_id=venue_id))


@router.patch(f"{VENUES}/{{venue_id}}", response_model=VenueOut)
def update_venue(
    session: DbSession,
    settings: SettingsDep,
    actor: VenuesManage,
    venue_id: VenueIdPath,
    data: VenueUpdate,
) -> VenueOut:
    venue = service.update_venue(session, actor=actor, venue_id=venue_id, data=data)
    return venue_out(settings, venue)


@router.post(f"{VENUES}/{{venue_id}}/deactivate", response_model=VenueOut)
def deactivate_venue(
    session: DbSession, settings: SettingsDep, actor: VenuesManage, venue_id: VenueIdPath
) -> VenueOut:
    venue = service.deactivate_venue(session, actor=actor, venue_id=venue_id)
    return venue_out(settings, venue)


@router.post(
    f"{VENUES}/{{venue_id}}/close", response_model=ClosureOut, status_code=status.HTTP_201_CREATED
)
def close_venue(
    session: DbSession, actor: VenuesManage, venue_id: VenueIdPath, data: ClosureIn
) -> ClosureOut:
    closure = service.close_venue(session, actor=actor, venue_id=venue_id, data=data)
    return ClosureOut.model_validate(closure)


@router.post(f"{VENUES}/{{venue_id}}/reopen", response_model=ClosureOut)
def reopen_venue(
    session: DbSession, actor: VenuesManage, venue_id: VenueIdPath, data: ReopenIn
) -> ClosureOut:
    closure = service.reopen_venue(session, actor=actor, venue_id=venue_id, data=data)
    return ClosureOut.model_validate(closure)


@router.get(f"{VENUES}/{{venue_id}}/closures", response_model=list[ClosureOut])
def list_closures(session: DbSession, actor: VenuesRead, venue_id: VenueIdPath) -> list[ClosureOut]:
    """The venue's closures, latest first (at most 50)."""
    found = service.closures(session, actor=actor, venue_id=venue_id)
    return [ClosureOut.model_validate(closure) for closure in found]


@router.post(f"{VENUES}/{{venue_id}}/place-code/rotate", response_model=VenueOut)
def rotate_place_code(
    session: DbSession, settings: SettingsDep, actor: VenuesManage, venue_id: VenueIdPath
) -> VenueOut:
    venue = service.rotate_place_code(session, actor=actor, venue_id=venue_id)
    return venue_out(settings, venue)


def _qr_url(session: DbSession, settings: Settings, actor: VenuesRead, venue_id: int) -> str:
    venue = service.get_venue(session, actor=actor, venue_id=venue_id)
    return service.place_code(settings, venue)[1]


@router.get(f"{VENUES}/{{venue_id}}/place-code.png", response_class=Response)
def place_code_png(
    session: DbSession, settings: SettingsDep, actor: VenuesRead, venue_id: VenueIdPath
) -> Response:
    png = placecode.qr_png(_qr_url(session, settings, actor, venue_id))
    return Response(png, media_type="image/png", headers={"Cache-Control": "no-store"})


@router.get(f"{VENUES}/{{venue_id}}/place-code.svg", response_class=Response)
def place_code_svg(
    session: DbSession, settings: SettingsDep, actor: VenuesRead, venue_id: VenueIdPath
) -> Response:
    svg = placecode.qr_svg(_qr_url(session, settings, actor, venue_id))
    return Response(svg, media_type="image/svg+xml", headers={"Cache-Control": "no-store"})


def _operator_out(user: User) -> OperatorOut:
    return OperatorOut(
        user_id=user.id,
        username=user.username,
        display_name=user.display_name,
        region_code=user.region_code,
        is_active=user.is_active,
    )


@router.get(f"{VENUES}/{{venue_id}}/operators", response_model=list[OperatorOut])
def list_operators(
    session: DbSession, actor: VenuesManage, venue_id: VenueIdPath
) -> list[OperatorOut]:
    users = service.operators(session, actor=actor, venue_id=venue_id)
    return [_operator_out(user) for user in users]


@router.post(
    f"{VENUES}/{{venue_id}}/operators",
    response_model=OperatorOut,
    status_code=status.HTTP_201_CREATED,
)
def add_operator(
    session: DbSession, actor: VenuesManage, venue_id: VenueIdPath, data: OperatorIn
) -> OperatorOut:
    user = service.add_operator(session, actor=actor, venue_id=venue_id, user_id=data.user_id)
    return _operator_out(user)


@router.delete(
    f"{VENUES}/{{venue_id}}/operators/{{user_id}}", status_code=status.HTTP_204_NO_CONTENT
)
def remove_operator(
    session: DbSession, actor: VenuesManage, venue_id: VenueIdPath, user_id: UserIdPath
) -> None:
    service.remove_operator(session, actor=actor, venue_id=venue_id, user_id=user_id)
