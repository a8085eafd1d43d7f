"""Page: the audit log with filters, newest first."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from fangkong.audit import service
from fangkong.audit.schemas import AuditFilters
from fangkong.auth.dependencies import web_require
from fangkong.auth.permissions import Perm
from fangkong.core.pagination import PageParams
from fangkong.core.principal import Principal
from fangkong.core.templating import render
from fangkong.core.web import DbSession

router = APIRouter(include_in_schema=False)
AuditPage = Annotated[Principal, Depends(web_require(Perm.AUDIT_READ))]


@router.get("/audit")
def audit_page(
    request: Request,
    session: DbSession,
    actor: AuditPage,
    action: Annotated[str | None, Query(max_length=64)] = None,
    object_type: Annotated[str | None, Query(max_length=32)] = None,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    filters = AuditFilters(action=action or None, object_type=object_type or None)
    rows, next_cursor = service.list_entries(
        session, actor=actor, filters=filters, page=PageParams(limit=50, cursor=cursor)
    )
    context = {
        "entries": rows,
        "next_cursor": next_cursor,
        "action": action or "",
        "object_type": object_type or "",
    }
    return render(request, "audit.html", context)
