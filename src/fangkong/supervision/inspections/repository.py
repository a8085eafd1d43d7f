"""Queries of inspections and findings, scoped to the actor's jurisdiction; and the counts
of the period report."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, distinct, func, select
from sqlalchemy.orm import Session

from fangkong.core.pagination import PageParams, fetch_page
from fangkong.core.principal import Principal
from fangkong.core.scoping import within
from fangkong.models.supervision import (
    CreditAction,
    Finding,
    Inspection,
    InspectionPhoto,
    PropertyCommunity,
    PropertyCompany,
)


def inspections(actor: Principal) -> Select[Inspection]:
    return select(Inspection).where(within(Inspection.region_code, actor.region_code))


def findings(actor: Principal) -> Select[Finding]:
    return select(Finding).where(within(Finding.region_code, actor.region_code))


def inspection(session: Session, actor: Principal, inspection_id: int) -> Inspection | None:
    statement = inspections(actor).where(Inspection.id == inspection_id)
    return session.scalars(statement).one_or_none()


def finding(session: Session, actor: Principal, finding_id: int) -> Finding | None:
    return session.scalars(findings(actor).where(Finding.id == finding_id)).one_or_none()


def findings_of(session: Session, inspection_id: int) -> Sequence[Finding]:
    statement = select(Finding).where(Finding.inspection_id == inspection_id)
    return session.scalars(statement.order_by(Finding.id)).all()


@dataclass(frozen=True)
class InspectionFilter:
    community_id: int | None = None
    start: date | None = None
    end: date | None = None
    with_problems: bool | None = None


def inspection_page(
    session: Session, actor: Principal, where: InspectionFilter, params: PageParams
) -> tuple[Sequence[Inspection], str | None]:
    statement = inspections(actor)
    if where.community_id:
        statement = statement.where(Inspection.community_id == where.community_id)
    if where.start:
        statement = statement.where(Inspection.inspected_on >= where.start)
    if where.end:
        statement = statement.where(Inspection.inspected_on <= where.end)
    if where.with_problems is not None:
        has = Inspection.problems > 0
        statement = statement.where(has if where.with_problems else ~has)
    return fetch_page(session, statement, Inspection.id, params)


def finding_page(
    session: Session, actor: Principal, status: str | None, due_before: date | None,
    params: PageParams,
) -> tuple[Sequence[Finding], str | None]:  # fmt: skip
    statement = findings(actor).where(Finding.status != "ok")
    if status:
        statement = statement.where(Finding.status == status)
    if due_before:
        statement = statement.where(Finding.deadline_on < due_before)
    return fetch_page(session, statement, Finding.id, params)


def _period(actor: Principal, start: date, end: date) -> Select[int]:
    return select(Inspection.id).where(
        within(Inspection.region_code, actor.region_code),
        Inspection.inspected_on >= start,
        Inspection.inspected_on <= end,
    )


def inspection_counts(
    session: Session, actor: Principal, start: date, end: date
) -> tuple[int, int, int]:
    """(inspections, communities, streets) of the period."""
    row = session.execute(
        select(
            func.count(Inspection.id),
            func.count(distinct(Inspection.community_id)),
            func.count(distinct(func.substr(Inspection.region_code, 1, 9))),
        ).where(Inspection.id.in_(_period(actor, start, end)))
    ).one()
    return int(row[0]), int(row[1]), int(row[2])


def finding_counts(session: Session, actor: Principal, start: date, end: date) -> dict[str, int]:
    """Problems of the period's inspections by status."""
    statement = (
        select(Finding.status, func.count(Finding.id))
        .where(Finding.inspection_id.in_(_period(actor, start, end)), Finding.status != "ok")
        .group_by(Finding.status)
    )
    return {status: int(n) for status, n in session.execute(statement).all()}


def overdue_count(session: Session, actor: Principal, start: date, end: date, today: date) -> int:
    statement = select(func.count(Finding.id)).where(
        Finding.inspection_id.in_(_period(actor, start, end)),
        Finding.status == "open",
        Finding.deadline_on < today,
    )
    return int(session.scalar(statement) or 0)


def companies_acted_on(
    session: Session, actor: Principal, start: date, end: date, kind: str
) -> int:
    statement = select(func.count(distinct(CreditAction.company_id))).where(
        within(CreditAction.region_code, actor.region_code),
        CreditAction.acted_on >= start,
        CreditAction.acted_on <= end,
    )
    if kind == "summons":
        statement = statement.where(CreditAction.kind == "summons")
    else:
        statement = statement.where(CreditAction.points > 0)
    return int(session.scalar(statement) or 0)


def _problem_rows(actor: Principal, where: ProblemFilter, today: date) -> Select[*tuple[Any, ...]]:
    statement = (
        select(
            Finding.id, PropertyCommunity.name, Finding.region_code, PropertyCompany.name,
            Finding.aspect, Finding.note, Inspection.inspected_on, Finding.deadline_on,
            Finding.status, Finding.verified_at,
        )
        .join(Inspection, Inspection.id == Finding.inspection_id)
        .join(PropertyCommunity, PropertyCommunity.id == Inspection.community_id)
        .outerjoin(PropertyCompany, PropertyCompany.id == Inspection.company_id)
        .where(within(Finding.region_code, actor.region_code), Finding.status != "ok")
    )  # fmt: skip
    if where.status:
        statement = statement.where(Finding.status == where.status)
    if where.overdue:
        statement = statement.where(Finding.status == "open", Finding.deadline_on < today)
    if where.region:
        statement = statement.where(within(Finding.region_code, where.region))
    return statement


@dataclass(frozen=True)
class ProblemFilter:
    status: str | None = None
    overdue: bool = False
    region: str | None = None


def count_problem_rows(
    session: Session, actor: Principal, where: ProblemFilter, today: date
) -> int:
    statement = select(func.count()).select_from(_problem_rows(actor, where, today).subquery())
    return int(session.scalar(statement) or 0)


def problem_rows(
    session: Session, actor: Principal, where: ProblemFilter, today: date, *,
    after: int | None, limit: int,
) -> list[tuple[Any, ...]]:  # fmt: skip
    statement = _problem_rows(actor, where, today)
    if after is not None:
        statement = statement.where(Finding.id > after)
    rows = session.execute(statement.order_by(Finding.id).limit(limit)).all()
    return [tuple(row) for row in rows]


def photo(session: Session, actor: Principal, photo_id: int) -> InspectionPhoto | None:
    statement = select(InspectionPhoto).where(
        InspectionPhoto.id == photo_id,
        within(InspectionPhoto.region_code, actor.region_code),
    )
    return session.scalars(statement).one_or_none()


def photos_of(session: Session, inspection_id: int) -> Sequence[InspectionPhoto]:
    statement = select(InspectionPhoto).where(InspectionPhoto.inspection_id == inspection_id)
    return session.scalars(statement.order_by(InspectionPhoto.id)).all()
