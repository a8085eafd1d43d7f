"""Queries of companies, communities and credit actions, each scoped to the actor's
jurisdiction; and the figures of the red and black lists."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, case, func, or_, select
from sqlalchemy.orm import Session

from fangkong.core.pagination import PageParams, fetch_page
from fangkong.core.principal import Principal
from fangkong.core.scoping import within
from fangkong.models import Region
from fangkong.models.supervision import (
    CreditAction,
    Finding,
    Inspection,
    PropertyCommunity,
    PropertyCompany,
)


def companies(actor: Principal) -> Select[PropertyCompany]:
    return select(PropertyCompany).where(within(PropertyCompany.region_code, actor.region_code))


def communities(actor: Principal) -> Select[PropertyCommunity]:
    return select(PropertyCommunity).where(within(PropertyCommunity.region_code, actor.region_code))


def company(session: Session, actor: Principal, company_id: int) -> PropertyCompany | None:
    return session.scalars(companies(actor).where(PropertyCompany.id == company_id)).one_or_none()


def community(session: Session, actor: Principal, community_id: int) -> PropertyCommunity | None:
    return session.scalars(
        communities(actor).where(PropertyCommunity.id == community_id)
    ).one_or_none()


def community_names(session: Session, actor: Principal, ids: set[int]) -> dict[int, str]:
    statement = communities(actor).where(PropertyCommunity.id.in_(ids))
    return {c.id: c.name for c in session.scalars(statement)} if ids else {}


def company_by_code(session: Session, credit_code: str) -> PropertyCompany | None:
    statement = select(PropertyCompany).where(PropertyCompany.credit_code == credit_code)
    return session.scalars(statement).one_or_none()


def community_by_name(session: Session, region_code: str, name: str) -> PropertyCommunity | None:
    statement = select(PropertyCommunity).where(
        PropertyCommunity.region_code == region_code, PropertyCommunity.name == name
    )
    return session.scalars(statement).one_or_none()


def region(session: Session, code: str) -> Region | None:
    return session.get(Region, code)


@dataclass(frozen=True)
class CompanyFilter:
    q: str | None = None  # a part of the name, or the start of the credit code
    region: str | None = None


def _filtered(actor: Principal, where: CompanyFilter) -> Select[PropertyCompany]:
    statement = companies(actor)
    if where.q:
        statement = statement.where(
            or_(
                PropertyCompany.name.contains(where.q, autoescape=True),
                PropertyCompany.credit_code.startswith(where.q.upper(), autoescape=True),
            )
        )
    if where.region:
        statement = statement.where(within(PropertyCompany.region_code, where.region))
    return statement


def company_page(
    session: Session, actor: Principal, params: PageParams, where: CompanyFilter
) -> tuple[Sequence[PropertyCompany], str | None]:
    return fetch_page(session, _filtered(actor, where), PropertyCompany.id, params)


def _community_count() -> Any:
    return (
        select(func.count(PropertyCommunity.id))
        .where(PropertyCommunity.company_id == PropertyCompany.id)
        .scalar_subquery()
    )


def count_company_rows(session: Session, actor: Principal, where: CompanyFilter) -> int:
    statement = select(func.count()).select_from(_filtered(actor, where).subquery())
    return int(session.scalar(statement) or 0)


def company_rows(
    session: Session, actor: Principal, where: CompanyFilter, *, after: int | None, limit: int
) -> list[tuple[Any, ...]]:
    """(id, name, credit code, region code, credit score, communities) by id."""
    statement = _filtered(actor, where).with_only_columns(
        PropertyCompany.id, PropertyCompany.name, PropertyCompany.credit_code,
        PropertyCompany.region_code, PropertyCompany.credit_score, _community_count(),
    )  # fmt: skip
    if after is not None:
        statement = statement.where(PropertyCompany.id > after)
    rows = session.execute(statement.order_by(PropertyCompany.id).limit(limit)).all()
    return [tuple(row) for row in rows]


@dataclass(frozen=True)
class CommunityFilter:
    region: str | None = None
    company_id: int | None = None


def community_page(
    session: Session, actor: Principal, where: CommunityFilter, params: PageParams
) -> tuple[Sequence[PropertyCommunity], str | None]:
    statement = communities(actor)
    if where.region:
        statement = statement.where(within(PropertyCommunity.region_code, where.region))
    if where.company_id:
        statement = statement.where(PropertyCommunity.company_id == where.company_id)
    return fetch_page(session, statement, PropertyCommunity.id, params)


def credit_actions(session: Session, company_id: int) -> Sequence[CreditAction]:
    statement = (
        select(CreditAction)
        .where(CreditAction.company_id == company_id)
        .order_by(CreditAction.id.desc())
    )
    return session.scalars(statement).all()


def inspected_companies(
    session: Session, actor: Principal, start: date, end: date, cutoff: date
) -> Sequence[tuple[PropertyCompany, int, int, int]]:
    """Each company of the jurisdiction with (inspections, problems, unrectified) in the period;
    unrectified counts problems still open past their deadline or verified not rectified."""
    unrectified = case(
        (Finding.status == "not_rectified", 1),
        (Finding.status == "open", case((Finding.deadline_on < cutoff, 1), else_=0)),
        else_=0,
    )
    findings = (
        select(
            Finding.inspection_id,
            func.sum(unrectified).label("unrectified"),
        )
        .group_by(Finding.inspection_id)
        .subquery()
    )
    statement = (
        select(
            PropertyCompany,
            func.count(Inspection.id),
            func.coalesce(func.sum(Inspection.problems), 0),
            func.coalesce(func.sum(findings.c.unrectified), 0),
        )
        .join(Inspection, Inspection.company_id == PropertyCompany.id)
        .outerjoin(findings, findings.c.inspection_id == Inspection.id)
        .where(within(PropertyCompany.region_code, actor.region_code))
        .where(Inspection.inspected_on >= start, Inspection.inspected_on <= end)
        .group_by(PropertyCompany.id)
        .order_by(PropertyCompany.id)
    )
    return [(c, int(n), int(p), int(u)) for c, n, p, u in session.execute(statement).all()]


def companies_below(session: Session, actor: Principal, score: int) -> Sequence[PropertyCompany]:
    statement = companies(actor).where(PropertyCompany.credit_score < score)
    return session.scalars(
        statement.order_by(PropertyCompany.credit_score, PropertyCompany.id)
    ).all()
