"""``/api/v1/risk-areas``: the national risk-area list (高/中/低风险区). Reading needs
``zones.read``; changes ``risk_areas.manage``. The list is national, not jurisdiction-scoped."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Response, status

from fangkong.arrivals.dependencies import RiskAreasManage, ZonesRead
from fangkong.arrivals.riskareas import importer, service
from fangkong.arrivals.riskareas.dependencies import ImportPayload, Upload
from fangkong.arrivals.riskareas.schemas import (
    CheckOut,
    GradeCounts,
    ImportBody,
    ImportReport,
    RiskAreaCreate,
    RiskAreaOut,
    RiskAreaPatch,
)
from fangkong.core import i18n
from fangkong.core.bodylimit import upload_limit
from fangkong.core.pagination import Page, PageParams
from fangkong.core.web import DbSession, IdPath, Locale, page_params

router = APIRouter(tags=["risk-areas"])
BASE = "/api/v1/risk-areas"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Paging = Annotated[PageParams, Depends(page_params)]
OnQuery = Annotated[str | None, Query(max_length=40, description="a date or a date and time")]
Text = Annotated[str, Query(max_length=40)]


def _json_body() -> dict[str, Any]:
    """``ImportBody``'s schema with its rows inline (no route names it, so no component)."""
    schema = ImportBody.model_json_schema()
    rows = schema.pop("$defs")["ImportRow"]
    schema["properties"]["rows"]["items"] = rows
    return schema


IMPORT_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "mode": {"type": "string", "enum": ["snapshot", "changes"]},
                        "as_of": {"type": "string", "maxLength": 40},
                    },
                }
            },
            "application/json": {"schema": _json_body()},
        },
    }
}


def _out(row: object) -> RiskAreaOut:
    return RiskAreaOut.model_validate(row)


@router.get(f"{BASE}", response_model=Page[RiskAreaOut])
def list_areas(
    session: DbSession,
    actor: ZonesRead,
    paging: Paging,
    grade: Literal["high", "medium", "low"] | None = None,
    province: Annotated[str | None, Query(max_length=20)] = None,
    county: Annotated[str | None, Query(pattern=r"^[0-9]{2,6}$")] = None,
    q: Annotated[str | None, Query(max_length=100)] = None,
    on: OnQuery = None,
    history: bool = False,
) -> Page[RiskAreaOut]:
    start, end = service.window(on)
    where = service.Filter(start, end, grade, province, county, q, history)
    items, cursor = service.list_areas(session, where=where, page=paging)
    return Page(items=[_out(row) for row in items], next_cursor=cursor)


@router.get(f"{BASE}/counts", response_model=GradeCounts)
def counts(session: DbSession, actor: ZonesRead, on: OnQuery = None) -> GradeCounts:
    start, end = service.window(on)
    return service.counts(session, start=start, end=end)


@router.get(f"{BASE}/check", response_model=CheckOut)
def check(
    session: DbSession,
    actor: ZonesRead,
    province: Text,
    district: Text,
    city: Text = "",
    area: Annotated[str, Query(max_length=200)] = "",
    on: OnQuery = None,
) -> CheckOut:
    """Which grade this place had ``on`` a date (any instant of that day) or at a time."""
    return service.check(session, province=province, city=city, district=district, area=area, on=on)


@router.get(f"{BASE}/template.csv", response_class=Response)
def template_csv(actor: ZonesRead) -> Response:
    headers = {"Content-Disposition": 'attachment; filename="risk-areas.csv"'}
    return Response(importer.template_csv(), media_type="text/csv; charset=utf-8",
                    headers=headers)  # fmt: skip


@router.get(f"{BASE}/template.xlsx", response_class=Response)
def template_xlsx(actor: ZonesRead) -> Response:
    headers = {"Content-Disposition": 'attachment; filename="risk-areas.xlsx"'}
    return Response(importer.template_xlsx(), media_type=XLSX, headers=headers)


@router.post(f"{BASE}", response_model=RiskAreaOut, status_code=status.HTTP_201_CREATED)
def create(session: DbSession, actor: RiskAreasManage, data: RiskAreaCreate) -> RiskAreaOut:
    return _out(service.create(session, actor=actor, data=data))


@router.post(
    f"{BASE}/import",
    response_model=ImportReport,
    openapi_extra=IMPORT_BODY,
    max_body_size=upload_limit(importer.MAX_UPLOAD_BYTES),
)
def import_list(
    session: DbSession, actor: RiskAreasManage, locale: Locale, payload: ImportPayload
) -> ImportReport:
    """A snapshot of the whole list (default) or changes: multipart ``file`` (CSV, XLSX or
    JSON) with ``mode`` and ``as_of``, or a JSON body ``{mode, as_of, rows}``."""
    if isinstance(payload, Upload):
        report = importer.import_file(session, actor=actor, filename=payload.filename,
                                      data=payload.data, mode=payload.mode,
                                      as_of=payload.as_of)  # fmt: skip
    else:
        report = importer.import_body(session, actor=actor, body=payload)
    for row in report.rejected_lines:
        row.message = i18n.gettext(locale, row.message)
    return report


@router.get(f"{BASE}/{{area_id}}", response_model=RiskAreaOut)
def get_area(session: DbSession, actor: ZonesRead, area_id: IdPath) -> RiskAreaOut:
    return _out(service.get(session, area_id))


@router.patch(f"{BASE}/{{area_id}}", response_model=RiskAreaOut)
def update(
    session: DbSession, actor: RiskAreasManage, area_id: IdPath, data: RiskAreaPatch
) -> RiskAreaOut:
    """End the row (``effective_to``), change its grade (``grade``, ``at``: the new row is
    returned) or correct its ``area`` (``note`` required)."""
    return _out(service.update(session, actor=actor, area_id=area_id, data=data))
