"""The audit rows of supervision changes: one helper for every part."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from fangkong.audit import service as audit
from fangkong.core.principal import Principal


def snapshot(row: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(row, name) for name in fields}


def record(
    session: Session,
    actor: Principal,
    action: str,
    row: Any,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    audit.record(
        session,
        actor=actor,
        action=f"supervision.{action}",
        object_type=row.__tablename__,
        object_id=row.id,
        region_code=row.region_code,
        before=before,
        after=after,
    )
