"""The command dashboard (指挥大屏): new positives by official day, the figures of the last
whole day with the list each links to, and a row per district to drill down into.

Every figure is a grouped statement over an indexed range of region codes or a counter other
domains keep (the seven counts per grid, coverage from ``grid_counts``): no request reads the
people table. A figure from a domain the caller may not read is left out."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from fangkong.arrivals.screening import reports as arrivals
from fangkong.auth.permissions import Perm
from fangkong.cases.registry import bulletin as counts
from fangkong.core import clock
from fangkong.core.pagination import PageParams
from fangkong.core.principal import Principal
from fangkong.people import service as people
from fangkong.policy.types import Measure, ZoneKind
from fangkong.reports import repository
from fangkong.reports.schemas import DashboardOut, DayPoint, DistrictRow, Figure
from fangkong.reports.scope import Scope, names, scope_of
from fangkong.testing.campaigns import service as campaigns

DAYS = 14
DAY = timedelta(days=1)
MEASURES = tuple(m.value for m in Measure if m is not Measure.NONE)


def last_day() -> date:
    return clock.local_today() - DAY


def series(rows: Sequence[Any], first: datetime, days: int) -> tuple[list[list[int]], int]:
    """Per day [confirmed (conversions included), asymptomatic] of local cases, as the
    bulletin counts them; and the positives found at fever clinics over the days."""
    per_day = [[0, 0] for _ in range(days)]
    fever = 0
    for confirmed_at, converted_at, kind, local, channel in rows:
        index = (confirmed_at - first) // DAY if confirmed_at >= first else -1
        if 0 <= index < days:
            fever += channel == "fever_clinic"
            if local:
                first_confirmed = kind == "confirmed" and converted_at is None
                per_day[index][0 if first_confirmed else 1] += 1
        if local and converted_at is not None and converted_at >= first:
            index = (converted_at - first) // DAY
            if index < days:
                per_day[index][0] += 1
    return per_day, fever


def _cases(session: Session, scope: Scope, day: date) -> tuple[list[DayPoint], int]:
    first_day = day - (DAYS - 1) * DAY
    first = counts.day_window(first_day)[0]
    rows = repository.recent_cases(session, scope.code, first)
    per_day, fever = series(rows, first, DAYS)
    points = [DayPoint(date=first_day + i * DAY, new_confirmed=c, new_asymptomatic=a)
              for i, (c, a) in enumerate(per_day)]  # fmt: skip
    return points, fever


def _district_rows(session: Session, scope: Scope, day: date) -> tuple[Any, list[DistrictRow]]:
    start, end = counts.day_window(day)
    found = counts.bulletin_counts(session, actor=scope.actor, start=start, end=end)
    rows = []
    for d in found.districts:
        zh, _ = names(session, scope.actor, d.district) or (d.district, d.district)
        rows.append(DistrictRow(
            code=d.district, name=zh, new_confirmed=d.new_confirmed + d.conversions,
            new_asymptomatic=d.new_asymptomatic, in_treatment=d.in_treatment,
            cumulative_positives=d.cumulative_confirmed + d.cumulative_asymptomatic,
            href=f"/reports/dashboard?region={d.district}",
        ))  # fmt: skip
    return found, rows


def _case_figures(found: Any, fever: int, district: str) -> list[Figure]:
    where = f"&district={district}"
    return [
        Figure(key="new_confirmed", value=found.new_confirmed + found.conversions,
               href=f"/cases?kind=confirmed{where}"),
        Figure(key="new_asymptomatic", value=found.new_asymptomatic,
               href=f"/cases?kind=asymptomatic{where}"),
        Figure(key="in_treatment", value=found.in_treatment, href=f"/cases?status=active{where}"),
        Figure(key="cumulative_positives",
               value=found.cumulative_confirmed + found.cumulative_asymptomatic,
               href=f"/cases?{where[1:]}"),
        Figure(key="fever_clinic_positives", value=fever,
               href=f"/cases?channel=fever_clinic{where}"),
    ]  # fmt: skip


def _control_figures(session: Session, scope: Scope) -> list[Figure]:
    placed = repository.under_control(session, scope.code)
    zones = repository.zones(session, scope.code)
    found = [Figure(key=f"control.{m}", value=placed.get(m, 0),
                    href=f"/quarantine/placements?measure={m}") for m in MEASURES]  # fmt: skip
    return found + [Figure(key=f"zones.{k.value}", value=zones.get(k.value, 0),
                           href=f"/zones?kind={k.value}") for k in ZoneKind]  # fmt: skip


def _people_figures(session: Session, scope: Scope) -> list[Figure]:
    found = people.region_counts(session, actor=scope.actor, region_code=scope.code)
    href = f"/counts/{scope.code}"
    keys = ("residents", "home_isolated_or_monitored", "positives_and_centrally_isolated")
    return [Figure(key=f"people.{k}", value=found.get(k, 0), href=href) for k in keys]


def _testing_figures(session: Session, actor: Principal, scope: Scope) -> list[Figure]:
    """Coverage of the newest open round readable by the caller, inside the scope."""
    found, _ = campaigns.list_campaigns(session, actor=actor, page=PageParams(limit=1),
                                        status="open")  # fmt: skip
    if not found:
        return [Figure(key="testing.coverage", value=None, href="/testing")]
    campaign = found[0]
    cover = campaigns.sampled_totals(session, actor=actor, campaign_id=campaign.id,
                                     region=scope.code)  # fmt: skip
    href = f"/testing/campaigns/{campaign.id}?region={scope.code}"
    return [
        Figure(key="testing.coverage", value=cover.coverage, href=href),
        Figure(key="testing.sampled", value=cover.sampled, href=href),
        Figure(key="testing.target", value=cover.target, href=href),
    ]


def _arrival_figures(session: Session, scope: Scope) -> list[Figure]:
    found = arrivals.day_totals(session, actor=scope.actor, day=clock.local_today())
    href = "/arrivals"
    return [
        Figure(key="arrivals.trips", value=found.trips, href=href),
        Figure(key="arrivals.landing_done", value=found.landing_done, href=href),
        Figure(key="arrivals.screened", value=found.screened, href=href),
    ]


def dashboard(session: Session, *, actor: Principal, region: str | None = None) -> DashboardOut:
    scope = scope_of(session, actor, region)
    day = last_day()
    days, fever = _cases(session, scope, day)
    found, rows = _district_rows(session, scope, day)
    figures = _case_figures(found, fever, scope.code)
    if actor.can(Perm.QUARANTINE_READ) and actor.can(Perm.ZONES_READ):
        figures += _control_figures(session, scope)
    if actor.can(Perm.PEOPLE_READ):
        figures += _people_figures(session, scope)
    if actor.can(Perm.TESTING_READ):
        figures += _testing_figures(session, actor, scope)
    if actor.can(Perm.ARRIVALS_READ):
        figures += _arrival_figures(session, scope)
    return DashboardOut(region=scope.code, region_name=scope.name, date=day, days=days,
                        figures=figures, districts=rows)  # fmt: skip
