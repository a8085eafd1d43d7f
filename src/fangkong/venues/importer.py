"""Venue import from CSV or XLSX (名称, 类型, 区划代码, 地址): a reason per refused row, and
idempotent: a venue is matched on (区划代码, 名称), so importing the same file again changes
nothing. The caller rolls back for a dry run."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from fangkong.core import tabular
from fangkong.core.errors import DomainError
from fangkong.core.iterables import batched
from fangkong.core.principal import Principal
from fangkong.venues import audit_trail, bulk, errors, repository, validation
from fangkong.venues.schemas import RejectedRow, VenueImportReport

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
COLUMN_HEADERS = {"name": "名称", "type": "类型", "region_code": "区划代码", "address": "地址"}
ALIASES = {header: key for key, header in COLUMN_HEADERS.items()} | {
    key: key for key in COLUMN_HEADERS
}
REQUIRED = frozenset({"name", "type", "region_code"})
EXAMPLE = ("道里区中央大街超市", "超市", "230102001002003", "中央大街100号")
Rows = Iterator[tuple[int, tabular.Row]]
CHUNK = 1_000


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
    """File-level errors (unreadable, missing or unknown columns) raise before any row. Rows
    go in chunks: each row checked alone, then the chunk's venues that exist looked up
    together, the new ones inserted in bulk (``bulk.store_new``), a changed one updated."""
    report = VenueImportReport()
    seen: set[tuple[str, str]] = set()
    for chunk in batched(rows, CHUNK):
        checked: list[dict[str, Any]] = []
        for number, row in chunk:
            try:
                checked.append(_checked(session, actor, row, seen))
            except DomainError as exc:
                report.rejected.append(RejectedRow(row=number, code=exc.code, message=exc.title))
        _store(session, actor, checked, report)
    session.flush()
    return report


def _checked(
    session: Session, actor: Principal, row: tabular.Row, seen: set[tuple[str, str]]
) -> dict[str, Any]:
    name = validation.name(row.get("name", ""))
    kind = validation.venue_type(row.get("type", ""))
    region_code = validation.region(session, actor, row.get("region_code", ""))
    address = validation.address(row.get("address", ""))
    key = (region_code, name)
    if key in seen:
        raise errors.DuplicateRow()
    seen.add(key)
    return bulk.new_row(name, kind.value, region_code, address)


def _store(
    session: Session, actor: Principal, rows: list[dict[str, Any]], report: VenueImportReport
) -> None:
    keys = [(r["region_code"], r["name"]) for r in rows]
    existing = repository.by_region_and_names(session, set(keys))
    new = [row for row, key in zip(rows, keys, strict=True) if key not in existing]
    report.inserted += len(bulk.store_new(session, actor, new, "venue.import_create"))
    for row in rows:
        venue = existing.get((row["region_code"], row["name"]))
        if venue is None:
            continue
        if (venue.type, venue.address) == (row["type"], row["address"]):
            report.unchanged += 1
            continue
        before = audit_trail.snapshot(venue)
        venue.type, venue.address = row["type"], row["address"]
        session.flush()
        after = audit_trail.snapshot(venue)
        audit_trail.record(session, actor, "venue.import_update", venue, before=before, after=after)
        report.updated += 1
