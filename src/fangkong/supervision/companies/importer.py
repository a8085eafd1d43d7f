"""Import of property-managed communities (物业小区) from CSV or XLSX: 名称, 区划代码, 地址,
物业企业信用代码 (optional). A reason per refused row; a community is matched on (区划代码, 名称),
so importing the same file again changes nothing. The caller rolls back for a dry run."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from sqlalchemy.orm import Session

from fangkong.core import tabular
from fangkong.core.errors import DomainError
from fangkong.core.principal import Principal
from fangkong.models.supervision import PropertyCommunity
from fangkong.supervision import errors
from fangkong.supervision.audit_trail import record, snapshot
from fangkong.supervision.companies import repository, validation
from fangkong.supervision.companies.schemas import ImportReport, RejectedRow

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
COLUMN_HEADERS = {
    "name": "名称",
    "region_code": "区划代码",
    "address": "地址",
    "credit_code": "物业企业信用代码",
}
ALIASES = {header: key for key, header in COLUMN_HEADERS.items()} | {
    key: key for key in COLUMN_HEADERS
}
REQUIRED = frozenset({"name", "region_code"})
EXAMPLE = ("阳光花园小区", "230102001002", "友谊路8号", "")
Rows = Iterator[tuple[int, tabular.Row]]


def template_csv() -> bytes:
    return tabular.template_csv(COLUMN_HEADERS.values(), EXAMPLE)


def import_upload(
    session: Session, *, actor: Principal, filename: str, data: bytes
) -> ImportReport:
    rows = tabular.read_upload(filename, data, ALIASES, REQUIRED, strict=True)
    return import_rows(session, actor=actor, rows=rows)


def import_path(session: Session, *, actor: Principal, path: Path) -> ImportReport:
    rows = tabular.read_file(path, ALIASES, REQUIRED, strict=True)
    return import_rows(session, actor=actor, rows=rows)


def import_rows(session: Session, *, actor: Principal, rows: Rows) -> ImportReport:
    seen: set[tuple[str, str]] = set()
    return each_row(session, rows, lambda row: _import_row(session, actor, row, seen))


def each_row(session: Session, rows: Rows, one: Callable[[tabular.Row], bool]) -> ImportReport:
    """Each row through ``one`` (True: inserted, False: unchanged) or refused with its
    reason; one flush at the end."""
    report = ImportReport()
    for number, row in rows:
        try:
            inserted = one(row)
        except DomainError as exc:
            report.rejected.append(RejectedRow(row=number, code=exc.code, message=exc.title))
            continue
        report.inserted += inserted
        report.unchanged += not inserted
    session.flush()
    return report


def _name(value: str) -> str:
    text = value.strip()
    if not 1 <= len(text) <= 100 or any(ord(ch) < 32 or ord(ch) == 127 for ch in text):
        raise errors.InvalidName()
    return text


def _company_id(session: Session, actor: Principal, code: str) -> int | None:
    if not code.strip():
        return None
    company = repository.company_by_code(session, validation.credit_code(code))
    if company is None or not actor.covers(company.region_code):
        raise errors.UnknownCompany()
    return company.id


def _import_row(
    session: Session, actor: Principal, row: tabular.Row, seen: set[tuple[str, str]]
) -> bool:
    name = _name(row.get("name", ""))
    region_code = row.get("region_code", "").strip()
    validation.region_in_scope(session, actor, region_code, community=True)
    company_id = _company_id(session, actor, row.get("credit_code", ""))
    address = row.get("address", "").strip()[:200]
    if (region_code, name) in seen:
        raise errors.DuplicateRow()
    seen.add((region_code, name))
    if repository.community_by_name(session, region_code, name) is not None:
        return False
    community = PropertyCommunity(
        name=name, region_code=region_code, address=address, company_id=company_id
    )
    session.add(community)
    session.flush()
    after = snapshot(community, validation.COMMUNITY_FIELDS)
    record(session, actor, "community.import", community, after=after)
    return True
