"""``/api/v1/reports``: the daily bulletin (疫情通报) and the command dashboard (指挥大屏)."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter
from pydantic import AwareDatetime

from fangkong.core.web import DbSession
from fangkong.reports import bulletin as bulletins
from fangkong.reports import dashboard as dashboards
from fangkong.reports.dependencies import RegionQuery, ReportsRead
from fangkong.reports.schemas import BulletinOut, DashboardOut

router = APIRouter(tags=["reports"])
REPORTS = "/api/v1/reports"


@router.get(f"{REPORTS}/bulletin", response_model=BulletinOut)
def bulletin(
    session: DbSession, actor: ReportsRead, date: date | None = None,
    start: AwareDatetime | None = None, end: AwareDatetime | None = None,
    region: RegionQuery = None,
) -> BulletinOut:  # fmt: skip
    """The bulletin of an official day (06:00–06:00; default: the last whole one), or of
    ``[start, end)``; for the caller's region or ``region`` inside it."""
    return bulletins.bulletin(session, actor=actor, day=date, start=start, end=end, region=region)


@router.get(f"{REPORTS}/dashboard", response_model=DashboardOut)
def dashboard(session: DbSession, actor: ReportsRead, region: RegionQuery = None) -> DashboardOut:
    """The command dashboard of the caller's region or of ``region`` inside it."""
    return dashboards.dashboard(session, actor=actor, region=region)
