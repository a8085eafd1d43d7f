"""Venue import from CSV or XLSX (名称, 类型, 区划代码, 地址): a reason per refused row, and
idempotent: a venue is matched on (区划代码, 名称), so importing the same file again changes
nothing. The caller rolls back for a dry run."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from sqlalchemy.orm import Session

from fangkong.core import tabular
from fangkong.core.errors import DomainError
from fangkong.core.principal import Principal
from fangkong.models.venue import Venue
from fangkong.venues import audit_trail, errors, repository, validation
from fangkong.venues.schemas import RejectedRow, VenueImportReport

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
COLUMN_HEADERS = {"name": "名称", "type": "类型", "region_code": "区划代码", "address": "地址"}
ALIASES = {header: key for key, header in COLUMN_HEADERS.items()} | {
    key: key for key in COLUMN_HEADERS
}
REQUIRED = frozenset({"name", "type", "region_code"})
EXAMPLE = ("道里区中央大街超市", "超市", "230102001002003", "中央大街100号")
Rows = Iterator[tuple[int, tabular.Row]]


def template_csv() -> bytes:
    return tabular.template_csv(COLUMN_HEADERS.values(), EXAMPLE)


def template_xlsx() -> bytes:
    return tabular.template_xlsx(COLUMN_HEADERS.values(), EXAMPLE, title="场所")


def import_upload(
    session: Session, *, actor: Principal, filename: str, data: bytes
) -> VenueImportReport:
    rows = tabular.read_upload(filename, data, ALIASES, REQUIRED, strict=True)
    return import_rows(session, actor=actor, rows=rows)


def import_path(session: Session, *, actor: Principal, path: Path) -> VenueImportReport:
    rows = tabular.read_file(path, ALIASES, REQUIRED, strict=True)
    return import_rows(session, actor=actor, rows=rows)


def import_rows(session: Session, *, actor: Principal, rows: Rows) -> VenueImportReport:
    """File-level errors (unreadable, missing or unknown columns) raise before any row."""
    report = VenueImportReport()
    seen: set[tuple[str, str]] = set()
    for number, row in rows:
        try:
            outcome = _import_row(session, actor, row, seen)
        except DomainError as exc:
            report.rejected.append(RejectedRow(row=number, code=exc.code, message=exc.title))
            continue
        setattr(report, outcome, getattr(report, outcome) + 1)
    session.flush()
    return report


def _import_row(
    session: Session, actor: Principal, row: tabular.Row, seen: set[tuple[str, str]]
) -> str:
    name = validation.name(row.get("name", ""))
    kind = validation.venue_type(row.get("type", ""))
    region_code = validation.region(session, actor, row.get("region_code", ""))
    address = validation.address(row.get("address", ""))
    key = (region_code, name)
    if key in seen:
        raise errors.DuplicateRow()
    seen.add(key)
    venue = repository.by_region_and_name(session, region_code, name)
    if venue is None:
        venue = Venue(name=name, type=kind.value, region_code=region_code, address=address)
        venue.active, venue.place_code_version = True, 1
        session.add(venue)
        session.flush()
        after = audit_trail.snapshot(venue)
        audit_trail.record(session, actor, "venue.import_create", venue, after=after)
        return "inserted"
    if (venue.type, venue.address) == (kind.value, address):
        return "unchanged"
    before = audit_trail.snapshot(venue)
    venue.type, venue.address = kind.value, address
    session.flush()
    after = audit_trail.snapshot(venue)
    audit_trail.record(session, actor, "venue.import_update", venue, before=before, after=after)
    return "updated"
