"""``POST /api/v1/care/needs/import`` (CSV or XLSX) and its template."""

from __future__ import annotations

from functools import partial

from fastapi import APIRouter, Response, UploadFile

from fangkong.care import uploads
from fangkong.care.access import CareManage
from fangkong.care.needs import importer
from fangkong.care.needs.schemas import NeedImportReport
from fangkong.core.bodylimit import upload_limit
from fangkong.core.web import DbSession, Locale, SettingsDep

router = APIRouter(tags=["care"])
NEEDS = "/api/v1/care/needs"


@router.get(f"{NEEDS}/import-template", response_class=Response)
def import_template(actor: CareManage, format: uploads.Format = "csv") -> Response:
    return uploads.template(
        format, csv=importer.template_csv, xlsx=importer.template_xlsx, name="care-needs"
    )


@router.post(
    f"{NEEDS}/import",
    response_model=NeedImportReport,
    max_body_size=upload_limit(importer.MAX_UPLOAD_BYTES),
)
def import_needs(
    session: DbSession,
    settings: SettingsDep,
    actor: CareManage,
    locale: Locale,
    file: UploadFile,
    dry_run: bool = False,
) -> NeedImportReport:
    work = partial(importer.import_upload, session, actor=actor, settings=settings)
    return uploads.run(session, file, limit=importer.MAX_UPLOAD_BYTES, dry_run=dry_run,
                       locale=locale, work=work)  # fmt: skip
