"""Verbs of property companies (物业企业), their communities (物业小区) and credit actions
(约谈、扣分); and the red and black lists (红榜、黑榜), computed from the data of a period.

The credit rule is local, not epidemic policy: a company starts at the configured
``supervision_credit_start`` and is on the black list below ``supervision_black_list_below``
(settings, docs/supervision.md); each deduction names its points and reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fangkong.config import Settings
from fangkong.core import clock
from fangkong.core.errors import DomainError
from fangkong.core.pagination import PageParams
from fangkong.core.principal import Principal
from fangkong.models.supervision import CreditAction, PropertyCommunity, PropertyCompany
from fangkong.supervision import errors
from fangkong.supervision.audit_trail import record, snapshot
from fangkong.supervision.companies import repository
from fangkong.supervision.companies.repository import CommunityFilter, CompanyFilter
from fangkong.supervision.companies.schemas import (
    CommunityCreate,
    CompanyCreate,
    CompanyLists,
    CreditActionIn,
    ListedCompany,
)
from fangkong.supervision.companies.validation import (
    COMMUNITY_FIELDS,
    check_period,
    credit_code,
    region_in_scope,
)

__all__ = ["CommunityFilter", "CompanyFilter", "check_period", "credit_code"]
COMPANY_FIELDS = ("name", "credit_code", "contact", "region_code", "credit_score")


def _flush(session: Session, conflict: type[DomainError]) -> None:
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError as exc:
        raise conflict() from exc


# --- companies --------------------------------------------------------------------------


def get_company(session: Session, *, actor: Principal, company_id: int) -> PropertyCompany:
    found = repository.company(session, actor, company_id)
    if found is None:
        raise errors.CompanyNotFound()
    return found


def list_companies(
    session: Session, *, actor: Principal, page: PageParams, where: CompanyFilter | None = None
) -> tuple[Sequence[PropertyCompany], str | None]:
    return repository.company_page(session, actor, page, where or CompanyFilter())


def create_company(
    session: Session, *, actor: Principal, settings: Settings, data: CompanyCreate
) -> PropertyCompany:
    code = credit_code(data.credit_code)
    region_code = region_in_scope(session, actor, data.region_code, community=False)
    if repository.company_by_code(session, code) is not None:
        raise errors.DuplicateCreditCode()
    company = PropertyCompany(
        name=data.name,
        credit_code=code,
        contact=data.contact,
        region_code=region_code,
        credit_score=settings.supervision_credit_start,
    )
    session.add(company)
    _flush(session, errors.DuplicateCreditCode)
    record(session, actor, "company.create", company, after=snapshot(company, COMPANY_FIELDS))
    return company


def act_on_credit(
    session: Session, *, actor: Principal, company_id: int, data: CreditActionIn
) -> CreditAction:
    """A summons (约谈) or a deduction: the score goes down by ``points`` (never below 0)."""
    company = get_company(session, actor=actor, company_id=company_id)
    before = company.credit_score
    company.credit_score = max(0, before - data.points)
    action = CreditAction(
        company_id=company.id,
        kind=data.kind.value,
        points=before - company.credit_score,
        reason=data.reason,
        score_after=company.credit_score,
        acted_on=clock.local_today(),
        actor_id=actor.id,
        region_code=company.region_code,
    )
    session.add(action)
    session.flush()
    after = {"kind": action.kind, "points": action.points, "credit_score": company.credit_score}
    record(session, actor, f"company.{action.kind}", company,
           before={"credit_score": before}, after=after)  # fmt: skip
    return action


def credit_actions(
    session: Session, *, actor: Principal, company_id: int
) -> Sequence[CreditAction]:
    company = get_company(session, actor=actor, company_id=company_id)
    return repository.credit_actions(session, company.id)


# --- communities ------------------------------------------------------------------------


def get_community(session: Session, *, actor: Principal, community_id: int) -> PropertyCommunity:
    found = repository.community(session, actor, community_id)
    if found is None:
        raise errors.CommunityNotFound()
    return found


def community_for_inspection(
    session: Session, *, actor: Principal, community_id: int
) -> PropertyCommunity:
    """The community an inspection names; unknown (or out of reach) is bad input, not 404."""
    found = repository.community(session, actor, community_id)
    if found is None:
        raise errors.UnknownCommunity()
    return found


def list_communities(
    session: Session, *, actor: Principal, page: PageParams, where: CommunityFilter
) -> tuple[Sequence[PropertyCommunity], str | None]:
    return repository.community_page(session, actor, where, page)


def community_names(session: Session, *, actor: Principal, ids: set[int]) -> dict[int, str]:
    """The names of these communities the actor can read, by id."""
    return repository.community_names(session, actor, ids)


def _company_id(session: Session, actor: Principal, company_id: int | None) -> int | None:
    if company_id is not None and repository.company(session, actor, company_id) is None:
        raise errors.UnknownCompany()
    return company_id


def create_community(
    session: Session, *, actor: Principal, data: CommunityCreate
) -> PropertyCommunity:
    region_code = region_in_scope(session, actor, data.region_code, community=True)
    company_id = _company_id(session, actor, data.company_id)
    if repository.community_by_name(session, region_code, data.name) is not None:
        raise errors.DuplicateCommunity()
    community = PropertyCommunity(
        name=data.name, region_code=region_code, address=data.address, company_id=company_id
    )
    session.add(community)
    _flush(session, errors.DuplicateCommunity)
    after = snapshot(community, COMMUNITY_FIELDS)
    record(session, actor, "community.create", community, after=after)
    return community


# --- red and black lists ----------------------------------------------------------------


def lists(
    session: Session, *, actor: Principal, settings: Settings, start: date, end: date
) -> CompanyLists:
    """Red list: companies inspected in the period with no problem and the score intact at
    or above the line. Black list: a score below the line, or any problem of the period left
    unrectified (verified not rectified, or open past its deadline by the period's end
    or today, whichever comes first)."""
    check_period(start, end)
    line = settings.supervision_black_list_below
    red: list[ListedCompany] = []
    black: dict[int, ListedCompany] = {}
    cutoff = min(end, clock.local_today())  # overdue as of the period's end, or today
    found = repository.inspected_companies(session, actor, start, end, cutoff)
    for company, inspections, problems, unrectified in found:
        listed = _listed(company, inspections, problems, unrectified)
        if problems == 0 and company.credit_score >= line:
            red.append(listed)
        elif unrectified > 0 or company.credit_score < line:
            black[company.id] = listed
    for company in repository.companies_below(session, actor, line):
        black.setdefault(company.id, _listed(company, 0, 0, 0))
    ordered = sorted(black.values(), key=lambda c: (c.credit_score, -c.unrectified, c.id))
    return CompanyLists(start=start, end=end, red=red, black=ordered)


def _listed(company: PropertyCompany, inspections: int, problems: int, open_: int) -> ListedCompany:
    return ListedCompany(
        id=company.id,
        name=company.name,
        credit_score=company.credit_score,
        inspections=inspections,
        problems=problems,
        unrectified=open_,
    )


# --- export -----------------------------------------------------------------------------

LIST_DAYS = 30  # the period of the red and black lists an export shows: the last 30 days


def count_for_export(session: Session, *, actor: Principal, where: CompanyFilter) -> int:
    return repository.count_company_rows(session, actor, where)


def export_rows(
    session: Session, *, actor: Principal, settings: Settings, where: CompanyFilter,
    after: list[Any] | None, limit: int,
) -> tuple[list[tuple[Any, ...]], list[Any] | None]:  # fmt: skip
    """One chunk of companies by id: name, credit code, region, score, communities, and the
    list (red, black or none) the company is on for the last ``LIST_DAYS`` days."""
    start = int(after[0]) if after else None
    rows = repository.company_rows(session, actor, where, after=start, limit=limit)
    listed = list_membership(session, actor=actor, settings=settings)
    found = [(*row, listed.get(row[0], "")) for row in rows]
    return found, ([rows[-1][0]] if len(rows) == limit else None)


def list_membership(session: Session, *, actor: Principal, settings: Settings) -> dict[int, str]:
    """Company id → "red" or "black", for the lists of the last ``LIST_DAYS`` days."""
    end = clock.local_today()
    found = lists(session, actor=actor, settings=settings,
                  start=end - timedelta(days=LIST_DAYS - 1), end=end)  # fmt: skip
    return {c.id: "red" for c in found.red} | {c.id: "black" for c in found.black}
