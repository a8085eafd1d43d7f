"""Venues inserted in bulk, shared by the service (``create_venues``) and the import: one
insert and one audit row each, no ORM object per venue (a city's list or the outbreak
driver's tens of thousands of venues)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from fangkong.core.principal import Principal
from fangkong.venues import repository
from fangkong.venues.audit_trail import AUDITED_FIELDS, record_created


def new_row(name: str, kind: str, region_code: str, address: str) -> dict[str, Any]:
    """A checked venue's row, as ``create_venue`` would make it."""
    return {"name": name, "type": kind, "region_code": region_code, "address": address,
            "active": True, "place_code_version": 1}  # fmt: skip


def store_new(
    session: Session, actor: Principal, rows: list[dict[str, Any]], action: str
) -> list[int]:
    """Insert these rows (``new_row``; no (region, name) taken) with an audit row each under
    ``action``; their ids in order."""
    if not rows:
        return []
    ids = repository.insert_venues(session, rows)
    snapshots = [(n, {field: row[field] for field in AUDITED_FIELDS})
                 for n, row in zip(ids, rows, strict=True)]  # fmt: skip
    record_created(session, actor, action, snapshots)
    return ids
