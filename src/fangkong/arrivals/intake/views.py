"""Pages of intake: the citizen's arrival report (``/me/arrival``), the trips list
(``/arrivals``, with the pushed-list upload), the arrival detail with its timeline
(``/arrivals/trips/{id}``), unmatched reports (``/arrivals/unmatched``), checkpoints
(``/arrivals/checkpoints``) and the checkpoint desk (``/arrivals/checkpoint``)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from fangkong.arrivals.dependencies import (
    ArrivalsCheckpointPage,
    ArrivalsManagePage,
    ArrivalsReadPage,
)
from fangkong.arrivals.intake import checkpoints, detail, importer, service
from fangkong.arrivals.intake.labels import ALL, MEASURES
from fangkong.arrivals.intake.schemas import CheckpointIn, CheckpointScan, SelfReport
from fangkong.auth.dependencies import CsrfChecked
from fangkong.citizens.dependencies import PageCitizen, citizen_page
from fangkong.core import clock
from fangkong.core.bodylimit import upload_limit
from fangkong.core.errors import N_, DomainError, InvalidInput
from fangkong.core.pagination import PageParams
from fangkong.core.principal import Principal
from fangkong.core.templating import render
from fangkong.core.web import DbSession, IdPath, IntIdPath, SettingsDep
from fangkong.healthcode import service as healthcode

router = APIRouter(include_in_schema=False)
NO_STORE = {"Cache-Control": "no-store"}
Text = Annotated[str, Form(max_length=200)]
Cursor = Annotated[str | None, Query(max_length=200)]
JOURNEY = ("origin_province", "origin_city", "origin_district", "origin_area", "departed_on",
           "arrived_at", "transport", "transport_no", "dest_address")  # fmt: skip


class FormInvalid(InvalidInput):
    code = "arrival.form_invalid"
    title = N_("Check the form: a field is missing or malformed.")


def _local(text: str) -> str:
    """A ``datetime-local`` value (Asia/Shanghai wall time) as ISO 8601 with its offset."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise FormInvalid() from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=clock.LOCAL_TZ)
    return value.astimezone(UTC).isoformat()


def _journey(form: dict[str, str], **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {k: v for k, v in form.items() if k in JOURNEY and v}
    if "arrived_at" in body:
        body["arrived_at"] = _local(body["arrived_at"])
    return body | extra


def _validated(model: Any, body: dict[str, Any]) -> Any:
    try:
        return model.model_validate(body)
    except ValidationError:
        raise FormInvalid() from None


def _now_local() -> str:
    return clock.now().astimezone(clock.LOCAL_TZ).strftime("%Y-%m-%dT%H:%M")


def _page(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    response = render(request, f"arrivals/{name}", context | {"labels": ALL}, status)
    response.headers.update(NO_STORE)
    return response


# --- the citizen -----------------------------------------------------------------------------


def _me(session: DbSession, citizen_id: int, **extra: Any) -> dict[str, Any]:
    reports = [detail.report_out(r) for r in service.my_reports(session, citizen_id)]
    hours = healthcode.current_edition(session).arrivals.report_within_hours
    return {"reports": reports, "error": None, "report_hours": hours,
            "form": {"arrived_at": _now_local()}, "now": _now_local(), "labels": ALL,
            "done": False} | extra  # fmt: skip


@router.get("/me/arrival")
def my_arrival(request: Request, session: DbSession, citizen: PageCitizen,
               reported: int = 0) -> Response:  # fmt: skip
    context = _me(session, citizen.person_id, done=bool(reported))
    return citizen_page(request, "arrivals/intake_me.html", context)


@router.post("/me/arrival", dependencies=[CsrfChecked])
def my_arrival_submit(
    request: Request, session: DbSession, citizen: PageCitizen,
    origin_province: Text = "", origin_city: Text = "", origin_district: Text = "",
    origin_area: Text = "", departed_on: Text = "", arrived_at: Text = "", transport: Text = "",
    transport_no: Text = "", dest_address: Text = "",
) -> Response:  # fmt: skip
    form = {k: v for k, v in locals().items() if k in JOURNEY}
    try:
        data = _validated(SelfReport, _journey(form))
        service.self_report(session, person_id=citizen.person_id, data=data)
    except DomainError as exc:
        session.rollback()
        context = _me(session, citizen.person_id, error=exc, form=form)
        return citizen_page(request, "arrivals/intake_me.html", context, status_code=exc.status)
    return RedirectResponse("/me/arrival?reported=1", status_code=303)


# --- trips -----------------------------------------------------------------------------------


@router.get("/arrivals")
def trips_page(
    request: Request, session: DbSession, actor: ArrivalsReadPage,
    grade: Annotated[str, Query(pattern=r"^(high|medium|low|none)?$")] = "",
    measure: Annotated[str, Query(max_length=20)] = "",
    channel: Annotated[str, Query(pattern=r"^(self|pushed|checkpoint|officer)?$")] = "",
    status: Annotated[str, Query(pattern=r"^(open|screened|closed)?$")] = "",
    region: Annotated[str, Query(pattern=r"^([0-9]{2,15})?$")] = "",
    name: Annotated[str, Query(max_length=20)] = "", cursor: Cursor = None,
) -> Response:  # fmt: skip
    filters = {"grade": grade, "measure": measure if measure in MEASURES else "",
               "channel": channel, "status": status, "region": region, "name": name}  # fmt: skip
    where = service.TripFilter(grade=grade or None, measure=filters["measure"] or None,
                               channel=channel or None, status=status or None,
                               region=region or None, name=name or None)  # fmt: skip
    rows, next_cursor = service.list_trips(session, actor=actor, where=where,
                                           page=PageParams(limit=100, cursor=cursor))  # fmt: skip
    query = {k: v for k, v in filters.items() if v}
    next_url = f"/arrivals?{urlencode(query | {'cursor': next_cursor})}" if next_cursor else None
    trips = [detail.trip_out(t, n) for t, n in rows]
    context = {"trips": trips, "filters": filters, "next_url": next_url, "report": None,
               "error": None, "can_manage": actor.can("arrivals.manage")}  # fmt: skip
    return _page(request, "intake_trips.html", context)


@router.post(
    "/arrivals/import",
    dependencies=[CsrfChecked],
    max_body_size=upload_limit(importer.MAX_UPLOAD_BYTES),
)
def import_page(
    request: Request, session: DbSession, settings: SettingsDep, actor: ArrivalsManagePage,
    file: UploadFile,
) -> Response:  # fmt: skip
    data = file.file.read(importer.MAX_UPLOAD_BYTES + 1)
    context: dict[str, Any] = {"trips": [], "next_url": None, "can_manage": True,
                               "filters": {}, "report": None, "error": None}  # fmt: skip
    try:
        context["report"] = importer.import_upload(
            session, settings, actor=actor, filename=file.filename or "", data=data
        )
    except DomainError as exc:
        session.rollback()
        return _page(request, "intake_trips.html", context | {"error": exc}, exc.status)
    session.commit()
    return _page(request, "intake_trips.html", context)


@router.get("/arrivals/trips/{trip_id}")
def trip_page(request: Request, session: DbSession, actor: ArrivalsReadPage,
              trip_id: IdPath) -> Response:  # fmt: skip
    trip = detail.trip_detail(session, service.get_trip(session, actor=actor, trip_id=trip_id))
    return _page(request, "intake_trip.html", {"trip": trip})


# --- unmatched -------------------------------------------------------------------------------


def _unmatched(session: DbSession, actor: Principal, cursor: str | None) -> dict[str, Any]:
    where = service.ReportFilter(matched=False)
    page = PageParams(limit=100, cursor=cursor)
    found, next_cursor = service.list_reports(session, actor=actor, where=where, page=page)
    next_url = f"/arrivals/unmatched?{urlencode({'cursor': next_cursor})}" if next_cursor else None
    return {"reports": [detail.report_out(r) for r in found], "next_url": next_url,
            "error": None}  # fmt: skip


@router.get("/arrivals/unmatched")
def unmatched_page(request: Request, session: DbSession, actor: ArrivalsManagePage,
                   cursor: Cursor = None) -> Response:  # fmt: skip
    return _page(request, "intake_unmatched.html", _unmatched(session, actor, cursor))


@router.post("/arrivals/unmatched/{report_id}/match", dependencies=[CsrfChecked])
def match_page(
    request: Request, session: DbSession, actor: ArrivalsManagePage, report_id: IdPath,
    person_id: Annotated[int, Form(ge=1, le=2**53)],
) -> Response:  # fmt: skip
    try:
        report = service.match_report(session, actor=actor, report_id=report_id,
                                      person_id=person_id)  # fmt: skip
    except DomainError as exc:
        session.rollback()
        context = _unmatched(session, actor, None) | {"error": exc}
        return _page(request, "intake_unmatched.html", context, exc.status)
    return RedirectResponse(f"/arrivals/trips/{report.trip_id}", status_code=303)


# --- checkpoints -----------------------------------------------------------------------------


def _checkpoints(session: DbSession, actor: Principal, **extra: Any) -> dict[str, Any]:
    found = checkpoints.list_out(session, checkpoints.list_checkpoints(session, actor=actor))
    return {"checkpoints": found, "error": None, "form": {}} | extra


@router.get("/arrivals/checkpoints")
def checkpoints_page(request: Request, session: DbSession, actor: ArrivalsManagePage) -> Response:
    return _page(request, "intake_checkpoints.html", _checkpoints(session, actor))


@router.post("/arrivals/checkpoints", dependencies=[CsrfChecked])
def checkpoint_create(
    request: Request, session: DbSession, actor: ArrivalsManagePage,
    name: Text = "", kind: Text = "", region_code: Text = "",
) -> Response:  # fmt: skip
    form = {"name": name, "kind": kind, "region_code": region_code}
    try:
        checkpoints.create(session, actor=actor, data=_validated(CheckpointIn, form))
    except DomainError as exc:
        session.rollback()
        context = _checkpoints(session, actor, error=exc, form=form)
        return _page(request, "intake_checkpoints.html", context, exc.status)
    return RedirectResponse("/arrivals/checkpoints", status_code=303)


@router.post("/arrivals/checkpoints/{checkpoint_id}/staff", dependencies=[CsrfChecked])
def checkpoint_staff(
    request: Request, session: DbSession, actor: ArrivalsManagePage, checkpoint_id: IntIdPath,
    user_id: Annotated[int, Form(ge=1, le=2**31 - 1)],
) -> Response:  # fmt: skip
    try:
        checkpoints.add_staff(session, actor=actor, checkpoint_id=checkpoint_id, user_id=user_id)
    except DomainError as exc:
        session.rollback()
        context = _checkpoints(session, actor, error=exc)
        return _page(request, "intake_checkpoints.html", context, exc.status)
    return RedirectResponse("/arrivals/checkpoints", status_code=303)


# --- the checkpoint desk ---------------------------------------------------------------------


def _desk(session: DbSession, actor: Principal, **extra: Any) -> dict[str, Any]:
    from fangkong.arrivals.intake import repository  # noqa: PLC0415

    found = repository.staffed_checkpoints(session, actor)
    return {"checkpoints": found, "error": None, "scanned": None, "form": {}} | extra


@router.get("/arrivals/checkpoint")
def desk_page(request: Request, session: DbSession, actor: ArrivalsCheckpointPage) -> Response:
    return _page(request, "intake_checkpoint.html", _desk(session, actor))


@router.post("/arrivals/checkpoint", dependencies=[CsrfChecked])
def desk_scan(
    request: Request, session: DbSession, settings: SettingsDep, actor: ArrivalsCheckpointPage,
    checkpoint_id: Annotated[int, Form(ge=1, le=2**31 - 1)],
    scanned: Annotated[str, Form(max_length=600)] = "",
    origin_province: Text = "", origin_city: Text = "", origin_district: Text = "",
    origin_area: Text = "", departed_on: Text = "", transport: Text = "", transport_no: Text = "",
) -> Response:  # fmt: skip
    form = {k: v for k, v in locals().items() if k in JOURNEY}
    value = scanned.strip()
    who = {"personal_code": value} if value.startswith("HC1.") else {"id_number": value[:32]}
    try:
        body = _journey(form, checkpoint_id=checkpoint_id, **who)
        data = _validated(CheckpointScan, body)
        report = service.checkpoint_scan(session, settings, actor=actor, data=data)
    except DomainError as exc:
        session.rollback()
        context = _desk(session, actor, error=exc, form=form | {"checkpoint_id": checkpoint_id})
        return _page(request, "intake_checkpoint.html", context, exc.status)
    session.commit()
    context = _desk(session, actor, scanned=detail.report_out(report),
                    form={"checkpoint_id": checkpoint_id})  # fmt: skip
    return _page(request, "intake_checkpoint.html", context)
