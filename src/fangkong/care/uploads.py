"""What the care import routes share: the template download and the run of an uploaded file
(size cap, dry run rolled back, refused rows' reasons in the caller's language)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal, Protocol, TypeVar

from fastapi import Response, UploadFile
from sqlalchemy.orm import Session

from fangkong.care.volunteers.schemas import VolunteerImportReport
from fangkong.core import i18n

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Report_co = TypeVar("Report_co", bound=VolunteerImportReport, covariant=True)
Format = Literal["csv", "xlsx"]


class Work(Protocol[Report_co]):
    """An importer's ``import_upload`` with its session, actor and settings bound."""

    def __call__(self, *, filename: str, data: bytes) -> Report_co: ...


def template(
    file_format: Format, *, csv: Callable[[], bytes], xlsx: Callable[[], bytes], name: str
) -> Response:
    """The import template as ``<name>-template.csv`` or ``.xlsx``."""
    if file_format == "xlsx":
        body, media = xlsx(), XLSX
    else:
        body, media = csv(), "text/csv; charset=utf-8"
    headers = {"Content-Disposition": f'attachment; filename="{name}-template.{file_format}"'}
    return Response(body, media_type=media, headers=headers)


def run(
    session: Session, file: UploadFile, *, limit: int, dry_run: bool, locale: str,
    work: Work[Report_co],
) -> Report_co:  # fmt: skip
    """``work`` on the upload's name and at most ``limit`` + 1 of its bytes."""
    report = work(filename=file.filename or "", data=file.file.read(limit + 1))
    if dry_run:
        session.rollback()
        report.dry_run = True
    for rejected in report.rejected:
        rejected.message = i18n.gettext(locale, rejected.message)
    return report
