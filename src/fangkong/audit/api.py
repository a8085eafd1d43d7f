"""``GET /api/v1/audit``: the audit log for city administrators, with filters."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from fangkong.audit import service
from fangkong.audit.schemas import AuditFilters, AuditOut
from fangkong.auth.dependencies import AuditRead
from fangkong.core.fields import UtcDatetime
from fangkong.core.pagination import Page, PageParams
from fangkong.core.web import DbSession, UserIdQuery, page_params

router = APIRouter(prefix="/api/v1/audit", tags=["audit"])


@router.get("", response_model=Page[AuditOut])
def list_audit(
    session: DbSession,
    actor: AuditRead,
    paging: Annotated[PageParams, Depends(page_params)],
    actor_id: UserIdQuery = None,
    action: Annotated[str | None, Query(max_length=64)] = None,
    object_type: Annotated[str | None, Query(max_length=32)] = None,
    object_id: Annotated[str | None, Query(max_length=64)] = None,
    since: UtcDatetime | None = None,
    until: UtcDatetime | None = None,
) -> Page[AuditOut]:
    filters = AuditFilters(actor_id, action, object_type, object_id, since, until)
    rows, cursor = service.list_entries(session, actor=actor, filters=filters, page=paging)
    return Page(items=[AuditOut.model_validate(r) for r in rows], next_cursor=cursor)
