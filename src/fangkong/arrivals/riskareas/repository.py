"""Queries of the national risk-area list."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from fangkong.models.arrivals import RiskArea


def in_force_between(
    session: Session, county_codes: Collection[str], start: datetime, end: datetime
) -> Sequence[RiskArea]:
    """Rows of these counties in force at some instant of ``[start, end)``."""
    if not county_codes:
        return ()
    statement = select(RiskArea).where(
        RiskArea.county_code.in_(sorted(set(county_codes))),
        RiskArea.effective_from <= end,
        or_(RiskArea.effective_to.is_(None), RiskArea.effective_to > start),
    )
    return session.scalars(statement).all()
