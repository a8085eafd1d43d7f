"""Import of video points from CSV or XLSX: 名称, 小区编号, 状态 (在线/离线/故障 or online/
offline/broken), 封控区编号 (optional). A point is matched on (小区, 名称): a known point gets
its status from the file. A reason per refused row; the caller rolls back for a dry run."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from sqlalchemy.orm import Session

from fangkong.core import tabular
from fangkong.core.errors import DomainError
from fangkong.core.principal import Principal
from fangkong.supervision import errors
from fangkong.supervision.companies import service as companies
from fangkong.supervision.companies.importer import each_row
from fangkong.supervision.companies.schemas import ImportReport
from fangkong.supervision.labels import POINT_STATUS_ZH, PointStatus
from fangkong.supervision.video import ledger, repository

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
COLUMN_HEADERS = {
    "name": "名称",
    "community_id": "小区编号",
    "status": "状态",
    "zone_id": "封控区编号",
}
ALIASES = {header: key for key, header in COLUMN_HEADERS.items()} | {
    key: key for key in COLUMN_HEADERS
}
REQUIRED = frozenset({"name", "community_id", "status"})
Rows = Iterator[tuple[int, tabular.Row]]


def import_upload(
    session: Session, *, actor: Principal, filename: str, data: bytes
) -> ImportReport:
    rows = tabular.read_upload(filename, data, ALIASES, REQUIRED, strict=True)
    return import_rows(session, actor=actor, rows=rows)


def import_path(session: Session, *, actor: Principal, path: Path) -> ImportReport:
    rows = tabular.read_file(path, ALIASES, REQUIRED, strict=True)
    return import_rows(session, actor=actor, rows=rows)


def import_rows(session: Session, *, actor: Principal, rows: Rows) -> ImportReport:
    seen: set[tuple[int, str]] = set()
    return each_row(session, rows, lambda row: _import_row(session, actor, row, seen))


def _status(value: str) -> PointStatus:
    text = value.strip()
    try:
        return PointStatus(POINT_STATUS_ZH.get(text, text.lower()))
    except ValueError:
        raise errors.InvalidStatus() from None


def _id(value: str, error: type[DomainError]) -> int:
    text = value.strip()
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) < 2**31:
        raise error()
    return int(text)


def _import_row(
    session: Session, actor: Principal, row: tabular.Row, seen: set[tuple[int, str]]
) -> bool:
    name = row.get("name", "").strip()
    if not 1 <= len(name) <= 100 or any(ord(ch) < 32 or ord(ch) == 127 for ch in name):
        raise errors.InvalidName()
    community_id = _id(row.get("community_id", ""), errors.UnknownCommunity)
    status = _status(row.get("status", ""))
    zone = row.get("zone_id", "").strip()
    zone_id = _id(zone, errors.UnknownZone) if zone else None
    if (community_id, name) in seen:
        raise errors.DuplicateRow()
    seen.add((community_id, name))
    community = companies.community_for_inspection(session, actor=actor, community_id=community_id)
    known = repository.by_name(session, community.id, name)
    if known is not None:
        ledger.check_point(session, actor, known, status)
        return False
    ledger.add_point(session, actor, community, name=name, zone_id=zone_id, status=status)
    return True
