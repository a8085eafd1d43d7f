"""Queries of the national risk-area list."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import Row, Select, func, or_, select
from sqlalchemy.orm import Session

from fangkong.db import among
from fangkong.models.arrivals import RiskArea

# What matching reads of a row, as plain rows: a pushed list matches each chunk of reports
# against a few hundred areas, which as entities would be built and tracked again per chunk.
AreaRow = Row[int, str, str, str, datetime, datetime | None]
MATCHED = (RiskArea.id, RiskArea.county_code, RiskArea.area_key, RiskArea.grade,
           RiskArea.effective_from, RiskArea.effective_to)  # fmt: skip


def in_force_between(
    session: Session, county_codes: Collection[str], start: datetime, end: datetime
) -> Sequence[AreaRow]:
    """Rows (the ``MATCHED`` columns) of these counties in force at some instant of
    ``[start, end)``."""
    if not county_codes:
        return ()
    statement = select(*MATCHED).where(
        among(session, RiskArea.county_code, sorted(set(county_codes))),
        RiskArea.effective_from <= end,
        or_(RiskArea.effective_to.is_(None), RiskArea.effective_to > start),
    )
    return session.execute(statement).all()


def get(session: Session, area_id: int) -> RiskArea | None:
    return session.get(RiskArea, area_id)


def current(session: Session, at: datetime) -> Sequence[RiskArea]:
    """Rows not ended by ``at`` (in force then, or starting later), oldest first."""
    statement = select(RiskArea).where(
        or_(RiskArea.effective_to.is_(None), RiskArea.effective_to > at)
    )
    return session.scalars(statement.order_by(RiskArea.effective_from, RiskArea.id)).all()


def current_of_place(session: Session, county_code: str, key: str, at: datetime) -> RiskArea | None:
    statement = select(RiskArea).where(
        RiskArea.county_code == county_code,
        RiskArea.area_key == key,
        or_(RiskArea.effective_to.is_(None), RiskArea.effective_to > at),
    )
    return session.scalars(statement.order_by(RiskArea.effective_from.desc()).limit(1)).first()


def of_county(session: Session, county_code: str, limit: int = 1000) -> Sequence[RiskArea]:
    statement = select(RiskArea).where(RiskArea.county_code == county_code)
    order = (RiskArea.effective_from, RiskArea.id)
    return session.scalars(statement.order_by(*order).limit(limit)).all()


def in_force_statement(start: datetime, end: datetime) -> Select[RiskArea]:
    """Rows in force at some instant of ``[start, end]``."""
    return select(RiskArea).where(
        RiskArea.effective_from <= end,
        or_(RiskArea.effective_to.is_(None), RiskArea.effective_to > start),
    )


def counts_by_grade(session: Session, start: datetime, end: datetime) -> dict[str, int]:
    inner = in_force_statement(start, end).subquery()
    statement = select(inner.c.grade, func.count()).group_by(inner.c.grade)
    return {grade: count for grade, count in session.execute(statement)}


def all_statement() -> Select[RiskArea]:
    return select(RiskArea)


def by_ids(session: Session, ids: Collection[int]) -> Sequence[RiskArea]:
    if not ids:
        return ()
    statement = select(RiskArea).where(RiskArea.id.in_(sorted(ids)))
    return session.scalars(statement.order_by(RiskArea.id)).all()
