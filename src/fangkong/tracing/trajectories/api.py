"""JSON routes of trajectories: ``/api/v1/cases/{case_id}/trajectory`` (CONTRACTS.md), the
interview (``/api/v1/cases/{case_id}/interview``) and carriers' passenger lists
(``/api/v1/travel-records``: list, import, template)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response, UploadFile

from fangkong.core import i18n
from fangkong.core.bodylimit import upload_limit
from fangkong.core.pagination import Page, PageParams
from fangkong.core.web import DbSession, Locale, SettingsDep, page_params
from fangkong.tracing.dependencies import TracingManage, TracingRead
from fangkong.tracing.trajectories import importer, service
from fangkong.tracing.trajectories.dependencies import CaseIdPath, EntryIdPath
from fangkong.tracing.trajectories.schemas import (
    InterviewIn,
    InterviewOut,
    Trajectory,
    TravelImportReport,
    TravelOut,
)

router = APIRouter(tags=["tracing"])
CASE = "/api/v1/cases/{case_id}"
TRAVEL = "/api/v1/travel-records"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Paging = Annotated[PageParams, Depends(page_params)]
Mode = Literal["flight", "train", "coach", "ship"]
NumberQuery = Annotated[str | None, Query(pattern=r"^[A-Za-z0-9]{2,16}$")]


@router.get(f"{CASE}/trajectory", response_model=Trajectory)
def get_trajectory(session: DbSession, actor: TracingRead, case_id: CaseIdPath) -> Trajectory:
    """The case's trajectory in its trace-back window: scans, trips, travel, interview."""
    return service.trajectory(session, actor=actor, case_id=case_id)


@router.get(f"{CASE}/interview", response_model=list[InterviewOut])
def list_interview(
    session: DbSession, actor: TracingRead, case_id: CaseIdPath
) -> list[InterviewOut]:
    found = service.list_interview(session, actor=actor, case_id=case_id)
    return [InterviewOut.model_validate(entry) for entry in found]


@router.post(f"{CASE}/interview", response_model=InterviewOut, status_code=201)
def add_interview(
    session: DbSession, actor: TracingManage, case_id: CaseIdPath, data: InterviewIn
) -> InterviewOut:
    """流调访谈: a place and a span of time inside the trace-back window; audited."""
    entry = service.add_interview(session, actor=actor, case_id=case_id, data=data)
    return InterviewOut.model_validate(entry)


@router.delete(f"{CASE}/interview/{{entry_id}}", status_code=204)
def delete_interview(
    session: DbSession, actor: TracingManage, case_id: CaseIdPath, entry_id: EntryIdPath
) -> None:
    service.delete_interview(session, actor=actor, case_id=case_id, entry_id=entry_id)


@router.get(TRAVEL, response_model=Page[TravelOut])
def list_travel(
    session: DbSession, actor: TracingRead, paging: Paging, mode: Mode | None = None,
    number: NumberQuery = None, travel_on: date | None = None, matched: bool | None = None,
) -> Page[TravelOut]:  # fmt: skip
    """Passenger records (ID and phone masked), newest first."""
    where = service.TravelFilter(mode=mode, number=number.upper() if number else None,
                                 travel_on=travel_on, matched=matched)  # fmt: skip
    found, cursor = service.list_travel(session, actor=actor, where=where, page=paging)
    return Page(items=[TravelOut.model_validate(r) for r in found], next_cursor=cursor)


@router.post(
    f"{TRAVEL}/import",
    response_model=TravelImportReport,
    max_body_size=upload_limit(importer.MAX_UPLOAD_BYTES),
)
def import_travel(
    session: DbSession, settings: SettingsDep, actor: TracingManage, locale: Locale,
    file: UploadFile,
) -> TravelImportReport:  # fmt: skip
    """A carrier's passenger list (CSV or XLSX); every refused row is listed with its reason."""
    data = file.file.read(importer.MAX_UPLOAD_BYTES + 1)
    report = importer.import_upload(
        session, settings, actor=actor, filename=file.filename or "", data=data
    )
    for row in report.rejected_lines:
        row.message = i18n.gettext(locale, row.message)
    return report


@router.get(f"{TRAVEL}/import/template", response_class=Response)
def import_template(actor: TracingManage, format: Literal["csv", "xlsx"] = "csv") -> Response:
    if format == "xlsx":
        body, media, name = importer.template_xlsx(), XLSX, "passengers-template.xlsx"
    else:
        body, media, name = importer.template_csv(), "text/csv; charset=utf-8", "passengers.csv"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(body, media_type=media, headers=headers)
