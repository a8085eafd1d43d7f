"""Imports of fever-clinic visits and four-drug sales from CSV or XLSX: every row goes
through the same verb as the API (``service.report_visit`` / ``service.record_sale``), so the
same checks apply, and each refused row is reported with its code. Times without an offset
are local time (``FANGKONG_TIMEZONE``). The caller commits, or rolls back for a dry run.

Not named ``importer``: that layer sits beside ``service`` (it writes through the repository);
this module sits above it, calling its verbs, so no check is written twice."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from fangkong.config import Settings
from fangkong.core import tabular
from fangkong.core.errors import DomainError
from fangkong.core.principal import Principal
from fangkong.sentinel import errors, service
from fangkong.sentinel.schemas import ImportReport, RejectedLine, SaleIn, VisitIn

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
VISIT_HEADERS = {"venue_id": "场所编号", "id_number": "身份证号", "visited_at": "就诊时间",
                 "symptoms": "症状", "temperature": "体温", "nat_taken": "首诊核酸"}  # fmt: skip
SALE_HEADERS = {"venue_id": "场所编号", "id_number": "身份证号", "drug_class": "药品类别",
                "quantity": "数量", "sold_at": "购药时间"}  # fmt: skip
YES = {"是", "1", "true", "yes", "y"}
Rows = Iterator[tuple[int, tabular.Row]]


def _aliases(headers: dict[str, str]) -> dict[str, str]:
    return {header: key for key, header in headers.items()} | {key: key for key in headers}


def _venue_id(text: str) -> int:
    if not text.strip().isdigit() or not 1 <= int(text) <= 2**31 - 1:
        raise errors.SiteNotFound()
    return int(text)


def _instant(settings: Settings, text: str) -> datetime | None:
    if not text.strip():
        return None
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise errors.BadTime() from None
    return value if value.tzinfo else value.replace(tzinfo=ZoneInfo(settings.timezone))


def _number(text: str, error: type[DomainError]) -> float | None:
    try:
        return float(text) if text.strip() else None
    except ValueError:
        raise error() from None


def visit_of(settings: Settings, row: tabular.Row) -> VisitIn:
    symptoms = row.get("symptoms", "").replace("；", ";").replace("、", ";").split(";")
    return VisitIn.model_construct(
        venue_id=_venue_id(row.get("venue_id", "")), id_number=row.get("id_number", ""),
        visited_at=_instant(settings, row.get("visited_at", "")),
        symptoms=[s for s in symptoms if s.strip()],
        temperature=_number(row.get("temperature", ""), errors.BadTemperature),
        nat_taken=row.get("nat_taken", "").strip().lower() in YES,
    )  # fmt: skip


def sale_of(settings: Settings, row: tabular.Row) -> SaleIn:
    quantity = _number(row.get("quantity", ""), errors.BadQuantity) or 1
    if quantity != int(quantity):
        raise errors.BadQuantity()
    return SaleIn.model_construct(
        venue_id=_venue_id(row.get("venue_id", "")), id_number=row.get("id_number", ""),
        drug_class=row.get("drug_class", ""), quantity=int(quantity),
        sold_at=_instant(settings, row.get("sold_at", "")),
    )  # fmt: skip


def _run(rows: Rows, one: Callable[[tabular.Row], bool]) -> ImportReport:
    report = ImportReport()
    for number, row in rows:
        try:
            marked = one(row)
        except DomainError as exc:
            report.rejected_lines.append(
                RejectedLine(line=number, code=exc.code, message=exc.title)
            )
            continue
        report.accepted += 1
        report.marked += int(marked)
    return report


def _rows(headers: dict[str, str], filename: str, data: bytes | None, path: Path | None) -> Rows:
    required = frozenset(k for k in headers if k in ("venue_id", "id_number", "drug_class"))
    if path is not None:
        return tabular.read_file(path, _aliases(headers), required, strict=True)
    return tabular.read_upload(filename, data or b"", _aliases(headers), required, strict=True)


def import_visits(
    session: Session, settings: Settings, *, actor: Principal, filename: str = "",
    data: bytes | None = None, path: Path | None = None,
) -> ImportReport:  # fmt: skip
    """File-level errors (unreadable, missing or unknown columns) raise before any row."""

    def one(row: tabular.Row) -> bool:
        data = visit_of(settings, row)
        return service.report_visit(session, settings, actor=actor, data=data).marked

    return _run(_rows(VISIT_HEADERS, filename, data, path), one)


def import_sales(
    session: Session, settings: Settings, *, actor: Principal, filename: str = "",
    data: bytes | None = None, path: Path | None = None,
) -> ImportReport:  # fmt: skip
    """As ``import_visits``; the whole file is refused when registration is not in force."""
    if not service.registration_in_force(session, settings):
        raise errors.RegistrationNotInForce()

    def one(row: tabular.Row) -> bool:
        data = sale_of(settings, row)
        return service.record_sale(session, settings, actor=actor, data=data).marked

    return _run(_rows(SALE_HEADERS, filename, data, path), one)
