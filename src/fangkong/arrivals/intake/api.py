"""JSON routes of intake: ``/api/v1/me/arrivals`` (a citizen's own), ``/api/v1/arrivals``
(reports, the officer's entry, the checkpoint scan, pushed lists, unmatched reports),
``/api/v1/trips`` (list, detail, reclassify) and ``/api/v1/checkpoints``."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Response, UploadFile, status

from fangkong.arrivals.dependencies import (
    ArrivalsCheckpoint,
    ArrivalsManage,
    ArrivalsRead,
)
from fangkong.arrivals.intake import checkpoints, detail, importer, service
from fangkong.arrivals.intake.schemas import (
    CheckpointIn,
    CheckpointOut,
    CheckpointScan,
    CheckpointUpdate,
    ImportReport,
    MatchIn,
    OfficerReport,
    ReclassifyIn,
    ReportOut,
    SelfReport,
    StaffIn,
    StaffOut,
    TripDetail,
    TripOut,
)
from fangkong.citizens.dependencies import CurrentCitizen
from fangkong.core import i18n
from fangkong.core.bodylimit import upload_limit
from fangkong.core.fields import UtcDatetime
from fangkong.core.pagination import Page, PageParams
from fangkong.core.scoping import REGION_PREFIX_PATTERN
from fangkong.core.web import DbSession, IdPath, Locale, SettingsDep, UserIdPath, page_params

router = APIRouter(tags=["arrivals"])
ARRIVALS, TRIPS, CHECKPOINTS = "/api/v1/arrivals", "/api/v1/trips", "/api/v1/checkpoints"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Paging = Annotated[PageParams, Depends(page_params)]
RegionQuery = Annotated[str | None, Query(pattern=REGION_PREFIX_PATTERN)]
CheckpointIdPath = Annotated[int, Path(ge=1, le=2**31 - 1)]
Channel = Literal["self", "pushed", "checkpoint", "officer"]
Grade = Literal["high", "medium", "low", "none"]
MeasureQ = Literal["none", "self_monitor", "home_isolation", "home_monitoring", "centralized"]
Batch = Annotated[str | None, Query(pattern=r"^[0-9a-f]{64}$")]
NameQuery = Annotated[str | None, Query(min_length=1, max_length=20)]


def _reports(found: object) -> list[ReportOut]:
    return [detail.report_out(r) for r in found]  # type: ignore[attr-defined]


# --- the citizen's own -----------------------------------------------------------------------


@router.post("/api/v1/me/arrivals", response_model=ReportOut, status_code=201)
def self_report(session: DbSession, citizen: CurrentCitizen, data: SelfReport) -> ReportOut:
    """抵返报备: the citizen reports their own arrival."""
    report = service.self_report(session, person_id=citizen.person_id, data=data)
    return detail.report_out(report)


@router.get("/api/v1/me/arrivals", response_model=list[ReportOut])
def my_reports(session: DbSession, citizen: CurrentCitizen) -> list[ReportOut]:
    return _reports(service.my_reports(session, citizen.person_id))


# --- reports ---------------------------------------------------------------------------------


@router.get(ARRIVALS, response_model=Page[ReportOut])
def list_reports(
    session: DbSession, actor: ArrivalsRead, paging: Paging, channel: Channel | None = None,
    matched: bool | None = None, region: RegionQuery = None,
    arrived_from: UtcDatetime | None = None, arrived_to: UtcDatetime | None = None,
    batch_ref: Batch = None,
) -> Page[ReportOut]:  # fmt: skip
    where = service.ReportFilter(channel=channel, matched=matched, region=region,
                                 arrived_from=arrived_from, arrived_to=arrived_to,
                                 batch_ref=batch_ref)  # fmt: skip
    found, cursor = service.list_reports(session, actor=actor, where=where, page=paging)
    return Page(items=_reports(found), next_cursor=cursor)


@router.post(ARRIVALS, response_model=ReportOut, status_code=status.HTTP_201_CREATED)
def officer_report(
    session: DbSession, settings: SettingsDep, actor: ArrivalsManage, data: OfficerReport
) -> ReportOut:
    """An officer enters a report by hand (the person by id, ID number or phone)."""
    report = service.officer_report(session, settings, actor=actor, data=data)
    return detail.report_out(report)


@router.post(f"{ARRIVALS}/checkpoint", response_model=ReportOut, status_code=201)
def checkpoint_scan(
    session: DbSession, settings: SettingsDep, actor: ArrivalsCheckpoint, data: CheckpointScan
) -> ReportOut:
    """A scan at a checkpoint the caller staffs (personal QR payload or ID number)."""
    report = service.checkpoint_scan(session, settings, actor=actor, data=data)
    return detail.report_out(report)


@router.post(
    f"{ARRIVALS}/import",
    response_model=ImportReport,
    max_body_size=upload_limit(importer.MAX_UPLOAD_BYTES),
)
def import_list(
    session: DbSession, settings: SettingsDep, actor: ArrivalsManage, locale: Locale,
    file: UploadFile,
) -> ImportReport:  # fmt: skip
    """A pushed list (CSV or XLSX); every refused row is listed with its reason."""
    data = file.file.read(importer.MAX_UPLOAD_BYTES + 1)
    report = importer.import_upload(
        session, settings, actor=actor, filename=file.filename or "", data=data
    )
    for row in report.rejected_lines:
        row.message = i18n.gettext(locale, row.message)
    return report


@router.get(f"{ARRIVALS}/import/template", response_class=Response)
def import_template(actor: ArrivalsManage, format: Literal["csv", "xlsx"] = "csv") -> Response:
    if format == "xlsx":
        body, media, name = importer.template_xlsx(), XLSX, "arrivals-template.xlsx"
    else:
        body, media, name = importer.template_csv(), "text/csv; charset=utf-8", "arrivals.csv"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(body, media_type=media, headers=headers)


@router.get(f"{ARRIVALS}/unmatched", response_model=Page[ReportOut])
def unmatched(
    session: DbSession, actor: ArrivalsManage, paging: Paging, region: RegionQuery = None
) -> Page[ReportOut]:
    """Reports no registered person matched, for officers to match."""
    where = service.ReportFilter(matched=False, region=region)
    found, cursor = service.list_reports(session, actor=actor, where=where, page=paging)
    return Page(items=_reports(found), next_cursor=cursor)


@router.post(f"{ARRIVALS}/unmatched/{{report_id}}/match", response_model=ReportOut)
def match(session: DbSession, actor: ArrivalsManage, report_id: IdPath, data: MatchIn) -> ReportOut:
    report = service.match_report(
        session, actor=actor, report_id=report_id, person_id=data.person_id
    )
    return detail.report_out(report)


# --- trips -----------------------------------------------------------------------------------


@router.get(TRIPS, response_model=Page[TripOut])
def list_trips(
    session: DbSession, actor: ArrivalsRead, paging: Paging, grade: Grade | None = None,
    measure: MeasureQ | None = None, channel: Channel | None = None,
    status: Literal["open", "screened", "closed"] | None = None,
    arrived_from: UtcDatetime | None = None, arrived_to: UtcDatetime | None = None,
    region: RegionQuery = None, name: NameQuery = None,
) -> Page[TripOut]:  # fmt: skip
    where = service.TripFilter(grade=grade, measure=measure, channel=channel, status=status,
                               arrived_from=arrived_from, arrived_to=arrived_to, region=region,
                               name=name)  # fmt: skip
    rows, cursor = service.list_trips(session, actor=actor, where=where, page=paging)
    return Page(items=[detail.trip_out(t, n) for t, n in rows], next_cursor=cursor)


@router.get(f"{TRIPS}/{{trip_id}}", response_model=TripDetail)
def get_trip(session: DbSession, actor: ArrivalsRead, trip_id: IdPath) -> TripDetail:
    """The trip with its reports, tasks, facts and timeline."""
    return detail.trip_detail(session, service.get_trip(session, actor=actor, trip_id=trip_id))


@router.post(f"{TRIPS}/{{trip_id}}/reclassify", response_model=TripDetail)
def reclassify(
    session: DbSession, actor: ArrivalsManage, trip_id: IdPath, data: ReclassifyIn
) -> TripDetail:
    """An officer's correction of the origin (or the same origin matched again); audited."""
    trip = service.reclassify_trip(session, actor=actor, trip_id=trip_id, data=data)
    return detail.trip_detail(session, trip)


# --- checkpoints -----------------------------------------------------------------------------


@router.get(CHECKPOINTS, response_model=list[CheckpointOut])
def list_checkpoints(session: DbSession, actor: ArrivalsManage) -> list[CheckpointOut]:
    return checkpoints.list_out(session, checkpoints.list_checkpoints(session, actor=actor))


@router.post(CHECKPOINTS, response_model=CheckpointOut, status_code=201)
def create_checkpoint(
    session: DbSession, actor: ArrivalsManage, data: CheckpointIn
) -> CheckpointOut:
    return checkpoints.out(checkpoints.create(session, actor=actor, data=data), [])


@router.get(f"{CHECKPOINTS}/{{checkpoint_id}}", response_model=CheckpointOut)
def get_checkpoint(
    session: DbSession, actor: ArrivalsManage, checkpoint_id: CheckpointIdPath
) -> CheckpointOut:
    found = checkpoints.get(session, actor=actor, checkpoint_id=checkpoint_id)
    return checkpoints.list_out(session, [found])[0]


@router.patch(f"{CHECKPOINTS}/{{checkpoint_id}}", response_model=CheckpointOut)
def update_checkpoint(
    session: DbSession, actor: ArrivalsManage, checkpoint_id: CheckpointIdPath,
    data: CheckpointUpdate,
) -> CheckpointOut:  # fmt: skip
    found = checkpoints.update(session, actor=actor, checkpoint_id=checkpoint_id, data=data)
    return checkpoints.list_out(session, [found])[0]


@router.post(f"{CHECKPOINTS}/{{checkpoint_id}}/staff", response_model=StaffOut, status_code=201)
def add_staff(
    session: DbSession, actor: ArrivalsManage, checkpoint_id: CheckpointIdPath, data: StaffIn
) -> StaffOut:
    user = checkpoints.add_staff(session, actor=actor, checkpoint_id=checkpoint_id,
                                 user_id=data.user_id)  # fmt: skip
    return StaffOut(user_id=user.id, username=user.username)


@router.delete(f"{CHECKPOINTS}/{{checkpoint_id}}/staff/{{user_id}}", status_code=204)
def remove_staff(
    session: DbSession, actor: ArrivalsManage, checkpoint_id: CheckpointIdPath,
    user_id: UserIdPath,
) -> None:  # fmt: skip
    checkpoints.remove_staff(session, actor=actor, checkpoint_id=checkpoint_id, user_id=user_id)
