"""Audit queries, always inside the reader's jurisdiction (rows without a region: city only)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from fangkong.audit.schemas import AuditFilters
from fangkong.core.pagination import PageParams, fetch_page
from fangkong.core.principal import Principal
from fangkong.core.scoping import scope_prefix, within
from fangkong.models import AuditLog

CITY_PREFIX_LENGTH = 4


def readable(principal: Principal) -> Select[AuditLog]:
    statement = select(AuditLog)
    if len(scope_prefix(principal.region_code)) > CITY_PREFIX_LENGTH:
        statement = statement.where(within(AuditLog.region_code, principal.region_code))
    return statement


def _filtered(statement: Select[Any], filters: AuditFilters) -> Select[Any]:
    conditions = {
        AuditLog.actor_id: filters.actor_id,
        AuditLog.action: filters.action,
        AuditLog.object_type: filters.object_type,
        AuditLog.object_id: filters.object_id,
    }
    for column, value in conditions.items():
        if value is not None:
            statement = statement.where(column == value)
    if filters.since is not None:
        statement = statement.where(AuditLog.at >= filters.since)
    if filters.until is not None:
        statement = statement.where(AuditLog.at < filters.until)
    return statement


def page(
    session: Session, principal: Principal, filters: AuditFilters, params: PageParams
) -> tuple[Sequence[AuditLog], str | None]:
    statement = _filtered(readable(principal), filters)
    return fetch_page(session, statement, AuditLog.id, params, descending=True)
