"""JSON routes of scans: the entry check (hot path), a citizen's check-in, the bulk ingest,
the scoped list and space-time companions."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Annotated

import anyio
from fastapi import APIRouter, Depends, Query, Request, Response, UploadFile
from pydantic import BaseModel

from fangkong.citizens.dependencies import CurrentCitizen
from fangkong.core import clock, i18n
from fangkong.core.bodylimit import upload_limit
from fangkong.core.fields import UtcDatetime
from fangkong.core.pagination import Page, PageParams
from fangkong.core.web import (
    DbSession,
    IdQuery,
    IntIdQuery,
    Locale,
    SettingsDep,
    json_of,
    page_params,
)
from fangkong.core.web import request_locale as locale_of
from fangkong.scans import entry, ingest, rules, service
from fangkong.scans.checks import EntryRequest, EntryResult
from fangkong.scans.dependencies import (
    EntryCheck,
    HotPathDep,
    LimitsDep,
    ScansIngest,
    ScansRead,
    hotpath_for,
    limits_for,
)
from fangkong.scans.limits import device_key
from fangkong.scans.schemas import (
    CheckinIn,
    CompanionsOut,
    EntryCheckIn,
    EntryCheckOut,
    IngestReport,
    ReasonOut,
    ScanOut,
)

router = APIRouter(tags=["scans"])
ENTRY_CHECK = "/api/v1/entry-check"
SCANS = "/api/v1/scans"
MAX_UPLOAD_BYTES = 500 * 1024 * 1024
Paging = Annotated[PageParams, Depends(page_params)]


@router.post(ENTRY_CHECK, response_model=EntryCheckOut)
async def entry_check(request: Request, actor: EntryCheck, data: EntryCheckIn) -> Response:
    """A venue scans a citizen's personal code (or types an ID number): allow, deny or manual."""
    hotpath, limits = hotpath_for(request.app.state), limits_for(request.app.state)
    now = clock.now()
    service.check_temperature(data.temperature)
    venue_id = entry.venue_id_of(hotpath.settings, data.place_code)
    base = entry.door_base(
        data.place_code, now, actor, temperature=data.temperature, mask=data.mask,
        emergency=data.emergency, device=request.headers.get("x-device-id", "")[:64] or None,
    )  # fmt: skip
    request_ = entry.door_request(
        hotpath.settings, base, personal=data.personal_code, id_number=data.id_number
    )
    device = device_key(request, actor, "anonymous")
    request_ = await limits.admit(request, hotpath.aredis, device, venue_id, request_)
    result = await hotpath.check(request_)
    return json_of(answer(result, now, locale_of(request)))


@router.post(SCANS, response_model=EntryCheckOut)
async def check_in(
    request: Request,
    session: DbSession,
    citizen: CurrentCitizen,
    hotpath: HotPathDep,
    limits: LimitsDep,
    data: CheckinIn,
) -> Response:
    """The citizen's own check-in by the venue's place code (扫场所码)."""
    now = clock.now()
    await limits.hit_device(request, device_key(request, None, f"citizen:{citizen.person_id}"))
    service.check_temperature(data.temperature)
    scanned_at = service.check_not_future(data.scanned_at or now, now)
    await limits.hit_venue(request, entry.venue_id_of(hotpath.settings, data.place_code))
    checkin = EntryRequest(
        token=data.place_code, now=now, source="checkin", actor=None,
        person_id=citizen.person_id, temperature=data.temperature, mask=data.mask,
        scanned_at=scanned_at,
    )  # fmt: skip
    # The citizen's session lookup holds the request's unit of work; the check-in joins it.
    result = await anyio.to_thread.run_sync(hotpath.run, checkin, session)
    return json_of(answer(result, scanned_at, locale_of(request)))


@router.post(
    SCANS + "/bulk", response_model=IngestReport, max_body_size=upload_limit(MAX_UPLOAD_BYTES)
)
def bulk_ingest(
    session: DbSession,
    settings: SettingsDep,
    actor: ScansIngest,
    locale: Locale,
    file: UploadFile,
    format: Annotated[str | None, Query(pattern="^(csv|ndjson)$")] = None,
) -> IngestReport:
    """CSV or NDJSON scans from offline scanners; a reason per rejected row; idempotent."""
    fmt = ingest.detect_format(file.filename or "", format)
    stream = io.TextIOWrapper(file.file, encoding="utf-8-sig", errors="replace", newline="")
    report = ingest.ingest(session, settings, actor=actor, stream=stream, fmt=fmt, now=clock.now())
    for row in report.rejected_rows:
        row.message = i18n.gettext(locale, row.message)
    return report


@router.get(SCANS, response_model=Page[ScanOut])
def list_scans(
    session: DbSession,
    actor: ScansRead,
    paging: Paging,
    venue_id: IntIdQuery = None,
    person_id: IdQuery = None,
) -> Page[ScanOut]:
    rows, cursor = service.list_scans(
        session, actor=actor, page=paging, venue_id=venue_id, person_id=person_id
    )
    return Page(items=[ScanOut.model_validate(row) for row in rows], next_cursor=cursor)


class CompanionQuery(BaseModel):
    person_id: int
    start: datetime
    end: datetime


def companion_query(
    person_id: Annotated[int, Query(ge=1, le=2**63 - 1)],
    start: Annotated[UtcDatetime, Query(alias="from")],
    end: Annotated[UtcDatetime, Query(alias="to")],
) -> CompanionQuery:
    return CompanionQuery(person_id=person_id, start=start, end=end)


@router.get(SCANS + "/companions", response_model=CompanionsOut)
def companions(
    session: DbSession,
    settings: SettingsDep,
    actor: ScansRead,
    query: Annotated[CompanionQuery, Depends(companion_query)],
) -> CompanionsOut:
    """时空伴随: the people at the same venue within the edition's margin of each stay."""
    found = service.companions_for(
        session, settings, actor=actor, person_id=query.person_id, start=query.start,
        end=query.end,
    )  # fmt: skip
    return CompanionsOut(
        person_id=query.person_id,
        margin_minutes=service.margin_minutes(session, settings),
        margin_source=service.MARGIN_KEY,
        companions=found,
    )


def answer(result: EntryResult, at: datetime, locale: str) -> EntryCheckOut:
    """The entry decision in the caller's language."""
    return EntryCheckOut(
        decision=result.decision.decision.value,
        reasons=[
            ReasonOut(code=code.value, message=i18n.gettext(locale, rules.MESSAGES[code]))
            for code in result.decision.reasons
        ],
        colour=result.colour,
        override=result.decision.override,
        stale=result.stale,
        recorded=result.recorded,
        scan_id=result.scan_id,
        venue_name=result.venue.name,
        person_name=result.person_name,
        scanned_at=at,
    )
