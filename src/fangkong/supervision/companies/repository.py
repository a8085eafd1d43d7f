"""Queries of companies, communities and credit actions, each scoped to the actor's
jurisdiction; and the figures of the red and black lists."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, case, func, select
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


def company_page(
    session: Session, actor: Principal, params: PageParams
) -> tuple[Sequence[PropertyCompany], str | None]:
    return fetch_page(session, companies(actor), PropertyCompany.id, params)


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
