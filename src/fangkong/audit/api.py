"""``GET /api/v1/audit``: the audit log for city administrators, with filters."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import AwareDatetime, BaseModel, ConfigDict

from fangkong.audit import repository, service
from fangkong.auth.dependencies import AuditRead
from fangkong.core.pagination import Page, PageParams, page_params
from fangkong.core.web import DbSession

router = APIRouter(prefix="/api/v1/audit", tags=["audit"])


class AuditOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    at: datetime
    actor_id: int | None
    actor_name: str
    action: str
    object_type: str
    object_id: str
    region_code: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    request_id: str | None


@router.get("", response_model=Page[AuditOut])
def list_audit(
    session: DbSession, actor: AuditRead, paging: Annotated[PageParams, Depends(page_params)],
    actor_id: int | None = None,
    action: Annotated[str | None, Query(max_length=64)] = None,
    object_type: Annotated[str | None, Query(max_length=32)] = None,
    object_id: Annotated[str | None, Query(max_length=64)] = None,
    since: AwareDatetime | None = None,
    until: AwareDatetime | None = None,
) -> Page[AuditOut]:  # fmt: skip
    filters = repository.AuditFilters(actor_id, action, object_type, object_id, since, until)
    rows, cursor = service.list_entries(session, actor=actor, filters=filters, page=paging)
    return Page(items=[AuditOut.model_validate(r) for r in rows], next_cursor=cursor)
