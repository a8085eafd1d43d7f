"""The audit rows of care changes, shared by the parts."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from fangkong.audit import service as audit
from fangkong.core.principal import Principal


def snapshot(record: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: _plain(getattr(record, name)) for name in fields}


def _plain(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return list(value) if isinstance(value, list | tuple) else value


def record(
    session: Session,
    actor: Principal,
    action: str,
    *,
    object_type: str,
    object_id: int,
    region_code: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    audit.record(
        session,
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        region_code=region_code,
        before=before,
        after=after,
    )
