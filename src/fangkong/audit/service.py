"""Writing and reading audit rows. ``record`` is called by every service that changes state."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from asgi_correlation_id import correlation_id
from sqlalchemy.orm import Session

from fangkong.audit import repository
from fangkong.audit.schemas import AuditFilters
from fangkong.core import clock
from fangkong.core.masking import MASKED_FIELDS, SECRET_FIELDS, mask_field
from fangkong.core.pagination import PageParams
from fangkong.core.principal import Principal
from fangkong.db import bulk_insert
from fangkong.models import AuditLog

SENSITIVE = MASKED_FIELDS | SECRET_FIELDS
PLAIN = frozenset({str, int, float, bool, type(None)})


def record(
    session: Session,
    *,
    actor: Principal,
    action: str,
    object_type: str,
    object_id: str | int,
    region_code: str | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditLog:
    """Add one audit row in the caller's transaction; personal and secret fields are masked."""
    row = AuditLog(
        at=clock.now(),
        actor_id=actor.id,
        actor_name=actor.username,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        region_code=region_code,
        before=_jsonable(before),
        after=_jsonable(after),
        request_id=correlation_id.get(),
    )
    session.add(row)
    return row


@dataclass(frozen=True)
class Entry:
    """One row of ``record_many``: ``record``'s arguments but the actor."""

    action: str
    object_type: str
    object_id: str | int
    region_code: str | None = None
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None


def record_many(session: Session, *, actor: Principal, entries: Sequence[Entry]) -> int:
    """``record`` for many rows of one actor in one Core insert (a bulk import's audit: the
    ORM would insert them one at a time to learn ids nobody reads); returns how many."""
    if not entries:
        return 0
    now, request_id = clock.now(), correlation_id.get()
    rows = [{"at": now, "actor_id": actor.id, "actor_name": actor.username,
             "action": e.action, "object_type": e.object_type, "object_id": str(e.object_id),
             "region_code": e.region_code, "before": _jsonable(e.before),
             "after": _jsonable(e.after), "request_id": request_id} for e in entries]  # fmt: skip
    bulk_insert(session.connection(), AuditLog.metadata.tables["audit_log"], rows)
    return len(rows)


def _jsonable(data: dict[str, Any] | None) -> dict[str, Any] | None:
    """Masked, and in JSON's types (a bulk path writes tens of thousands of these: the common
    case, a plain value under an ordinary name, costs one set test and one type test)."""
    if data is None:
        return None
    out = {}
    for key, value in data.items():
        shown = mask_field(key, value) if key in SENSITIVE else value
        out[key] = shown if type(shown) in PLAIN else _plain(shown)
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def list_entries(
    session: Session,
    *,
    actor: Principal,
    filters: AuditFilters,
    page: PageParams,
) -> tuple[Sequence[AuditLog], str | None]:
    return repository.page(session, actor, filters, page)
