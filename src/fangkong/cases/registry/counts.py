"""The bulletin's counting query: one grouped SELECT of conditional sums over the readable
cases, per district (the first six digits of the region code).

A case counts from its report as its first kind (``confirmed_at``): a converted case is a new
asymptomatic infection on its report day and a conversion on ``converted_at``; cumulatively it
is an asymptomatic infection before the conversion and a confirmed case from it, never both.
Pending cases (not yet classified) count nowhere. Cumulative figures are local infections.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.orm import Session

from fangkong.cases.registry.scope import visible
from fangkong.core.principal import Principal
from fangkong.models.cases import Case

DISTRICT_DIGITS = 6


def _conditions(start: datetime, end: datetime) -> dict[str, ColumnElement[bool]]:
    classified = Case.kind.is_not(None)
    reported = and_(classified, Case.confirmed_at >= start, Case.confirmed_at < end)
    new_local = and_(reported, Case.local.is_(True))
    first_confirmed = and_(Case.kind == "confirmed", Case.converted_at.is_(None))
    before_end = and_(classified, Case.local.is_(True), Case.confirmed_at < end)
    closed_in = and_(Case.outcome_at >= start, Case.outcome_at < end)
    return {
        "new_confirmed": and_(new_local, first_confirmed),
        "new_asymptomatic": and_(new_local, ~first_confirmed),
        "conversions": and_(
            Case.local.is_(True), Case.converted_at >= start, Case.converted_at < end
        ),
        "new_imported": and_(reported, Case.local.is_(False)),
        "under_control": and_(new_local, Case.channel == "under_control"),
        "community": and_(new_local, Case.channel != "under_control"),
        "cumulative_confirmed": and_(before_end, or_(first_confirmed, Case.converted_at < end)),
        "cumulative_asymptomatic": and_(
            before_end, or_(Case.kind == "asymptomatic", Case.converted_at >= end)
        ),
        "discharged": and_(closed_in, Case.status == "discharged"),
        "released": and_(closed_in, Case.status == "released"),
        "died": and_(closed_in, Case.status == "died"),
        "in_treatment": and_(
            classified,
            Case.confirmed_at < end,
            or_(Case.outcome_at.is_(None), Case.outcome_at >= end),
        ),
    }


def by_district(
    session: Session, actor: Principal, start: datetime, end: datetime
) -> dict[str, dict[str, int]]:
    """Per district code, every figure (zero rows are left out)."""
    conditions = _conditions(start, end)
    district = func.substr(Case.region_code, 1, DISTRICT_DIGITS)
    sums: list[Any] = [func.sum(case((c, 1), else_=0)) for c in conditions.values()]
    statement = select(district, *sums).where(visible(actor)).group_by(district)
    found: dict[str, dict[str, int]] = {}
    for row in session.execute(statement):
        found[row[0]] = {name: int(v or 0) for name, v in zip(conditions, row[1:], strict=True)}
    return found
