"""Checks of companies' and communities' fields, shared by the service and the import."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session
from stdnum.cn import uscc

from fangkong.core.principal import Principal
from fangkong.models import RegionLevel
from fangkong.supervision import errors
from fangkong.supervision.companies import repository

COMMUNITY_FIELDS = ("name", "region_code", "address", "company_id")
MAX_PERIOD_DAYS = 366


def check_period(start: date, end: date) -> None:
    if start > end or (end - start).days > MAX_PERIOD_DAYS:
        raise errors.InvalidPeriod()


def credit_code(value: str) -> str:
    """A unified social credit code whose check character (GB 32100-2015) is right."""
    text = value.strip().upper()
    if not uscc.is_valid(text):
        raise errors.InvalidCreditCode()
    return text


def region_in_scope(session: Session, actor: Principal, code: str, *, community: bool) -> str:
    """A region inside the jurisdiction (jurisdiction first, so existence never leaks);
    ``community``: of the community or grid level, where compounds lie."""
    if not actor.covers(code):
        raise errors.RegionOutOfScope()
    region = repository.region(session, code)
    if region is None:
        raise errors.UnknownRegion()
    if community and region.level not in (RegionLevel.COMMUNITY, RegionLevel.GRID):
        raise errors.NotCommunityLevel()
    return code
