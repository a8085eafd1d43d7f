"""Figures of screening, computed on demand from the tasks (nothing is stored but the
accountability job's result, kept in its job-run row): overdue lists per level, the daily
accountability report (问责通报), daily figures and the district overview.

Every figure groups by a prefix of the grid code in SQL (district 6 digits, street 9,
community 12, grid 15), so a parent's count is the sum of its children's."""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from openpyxl import Workbook
from sqlalchemy.orm import Session

from fangkong.arrivals.screening import errors, repository
from fangkong.arrivals.screening.schemas import (
    LEVEL_DIGITS,
    AccountabilityOut,
    AccountabilityRow,
    CountRow,
    FiguresOut,
    Level,
    OverdueOut,
    OverdueRow,
    OverviewOut,
    OverviewRow,
)
from fangkong.core import clock
from fangkong.core.principal import Principal
from fangkong.core.scoping import covers, scope_prefix

WORST_GRIDS = 3
FIRST_DAY = date(2000, 1, 1)  # no arrival is older; earlier days would overflow in UTC


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The local day ``day`` (Asia/Shanghai) as a UTC half-open range."""
    start = datetime.combine(day, time(0), tzinfo=clock.LOCAL_TZ)
    return start, start + timedelta(days=1)


def checked_day(day: date | None) -> date:
    today = clock.local_today()
    if day is None:
        return today
    if day > today or day < FIRST_DAY:
        raise errors.BadDate()
    return day


def checked_region(session: Session, actor: Principal, region: str | None) -> str:
    """The scope of a figure: the caller's, or a region inside it that exists."""
    if region is None:
        return actor.region_code
    if not covers(actor.region_code, region) or not repository.region_exists(session, region):
        raise errors.RegionNotFound()
    return region


def _hours(delta: timedelta) -> float:
    return round(max(delta.total_seconds(), 0) / 3600, 1)


def child_digits(scope: str) -> int:
    """The code length one level below ``scope`` (a city's districts, a district's streets)."""
    length = len(scope_prefix(scope))
    return next((d for d in sorted(LEVEL_DIGITS.values()) if d > length), 15)


# --- overdue lists -------------------------------------------------------------------------------


def overdue(
    session: Session, *, actor: Principal, level: Level, region: str | None = None
) -> OverdueOut:
    scope = checked_region(session, actor, region)
    now = clock.now()
    digits = LEVEL_DIGITS[level]
    groups = repository.overdue_groups(session, actor.region_code, digits, now, scope)
    names = repository.region_names(session, [g.key for g in groups])
    rows = [
        OverdueRow(region_code=g.key, name=names.get(g.key, ""), overdue=int(g.n),
                   worst_hours=_hours(now - g.first_due), at_street=int(g.street or 0),
                   at_district=int(g.district or 0))
        for g in groups
    ]  # fmt: skip
    rows.sort(key=lambda r: (-r.worst_hours, r.region_code))
    return OverdueOut(level=level, region=scope, total=sum(r.overdue for r in rows), rows=rows)


# --- accountability (问责通报) -------------------------------------------------------------------


def _worst_grids(session: Session, scope: str, start: datetime, end: datetime,
                 now: datetime) -> dict[str, list[tuple[float, str]]]:  # fmt: skip
    """Per grid, hours overdue of its worst task (open past due, or answered late)."""
    worst: dict[str, float] = defaultdict(float)
    for g in repository.accountability_groups(session, scope, 15, start=start, end=end, now=now):
        if g.first_due is not None:
            worst[g.key] = max(worst[g.key], _hours(now - g.first_due))
    for grid, due, done in repository.late_tasks(session, scope, start, end):
        worst[grid] = max(worst[grid], _hours(done - due))
    by_parent: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for grid, hours in worst.items():
        if hours > 0:
            for digits in (6, 9):
                by_parent[grid[:digits]].append((hours, grid))
    return by_parent


def accountability(
    session: Session, *, actor: Principal, day: date | None = None, region: str | None = None
) -> AccountabilityOut:
    """Per district and street: screenings due on the day, screened in time, late, still
    overdue, the hours of the worst one and the worst grids."""
    day = checked_day(day)
    scope = checked_region(session, actor, region)
    start, end = day_bounds(day)
    now = clock.now()
    worst = _worst_grids(session, scope, start, end, now)
    rows: list[AccountabilityRow] = []
    for level, digits in (("district", 6), ("street", 9)):
        groups = repository.accountability_groups(
            session, scope, digits, start=start, end=end, now=now
        )
        names = repository.region_names(session, [g.key for g in groups])
        for g in groups:
            grids = sorted(worst.get(g.key, []), reverse=True)
            rows.append(AccountabilityRow(
                region_code=g.key, name=names.get(g.key, ""), level=level, due=int(g.due),
                in_time=int(g.in_time or 0), late=int(g.late or 0), overdue=int(g.overdue or 0),
                worst_hours=grids[0][0] if grids else 0.0,
                worst_grids=[grid for _, grid in grids[:WORST_GRIDS]],
            ))  # fmt: skip
    rows.sort(key=lambda r: (r.region_code[:6], len(r.region_code), r.region_code))
    return AccountabilityOut(date=day, computed_at=now, rows=rows)


HEADERS = ("region_code", "name", "level", "due", "in_time", "late", "overdue", "worst_hours",
           "worst_grids")  # fmt: skip


def accountability_xlsx(report: AccountabilityOut, headers: Sequence[str]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = report.date.isoformat()
    sheet.append(list(headers))
    for r in report.rows:
        sheet.append([r.region_code, r.name, r.level, r.due, r.in_time, r.late, r.overdue,
                      r.worst_hours, " ".join(r.worst_grids)])  # fmt: skip
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- daily figures -------------------------------------------------------------------------------


def figures(
    session: Session, *, actor: Principal, day: date | None = None, region: str | None = None
) -> FiguresOut:
    day = checked_day(day)
    scope = checked_region(session, actor, region)
    start, end = day_bounds(day)
    channels = repository.reports_by_channel(session, scope, start, end)
    grades = repository.trips_by_grade(session, scope, start, end)
    landing = repository.task_counts(session, scope, repository.LANDING, start, end)
    screening = repository.task_counts(session, scope, repository.SCREENING, start, end)
    return FiguresOut(
        date=day, region=scope, trips=sum(n for _, n in grades),
        reports_by_channel=[CountRow(key=k, count=n) for k, n in channels],
        trips_by_grade=[CountRow(key=k, count=n) for k, n in grades],
        landing_tests=landing[0], landing_done=landing[1], landing_in_time=landing[2],
        screenings=screening[0], screened=screening[1], screened_in_time=screening[2],
    )  # fmt: skip


# --- overview ------------------------------------------------------------------------------------


def overview(session: Session, *, actor: Principal, region: str | None = None) -> OverviewOut:
    """Per child region of the caller's (or ``region``): today's arrivals, open tasks,
    overdue screenings, the landing-test rate of today's arrivals, escalated tasks."""
    scope = checked_region(session, actor, region)
    digits = child_digits(scope)
    today = clock.local_today()
    start, end = day_bounds(today)
    now = clock.now()
    trips = repository.overview_trips(session, scope, digits, start, end)
    open_ = {g.key: g for g in repository.overview_open(session, scope, digits, now)}
    landing = {g.key: g for g in repository.overview_landing(session, scope, digits, start, end)}
    keys = sorted(set(trips) | set(open_) | set(landing))
    names = repository.region_names(session, keys)
    rows = [_overview_row(k, names.get(k, ""), trips.get(k, 0), open_.get(k), landing.get(k))
            for k in keys]  # fmt: skip
    return OverviewOut(region=scope, date=today, rows=rows)


def _overview_row(key: str, name: str, trips: int, open_: Any, landing: Any) -> OverviewRow:
    total = int(landing.total) if landing else 0
    done = int(landing.done or 0) if landing else 0
    return OverviewRow(
        region_code=key, name=name, arrivals_today=trips,
        open_tasks=int(open_.open) if open_ else 0,
        overdue=int(open_.overdue or 0) if open_ else 0,
        landing_tests_today=total, landing_done_today=done,
        landing_rate=round(done / total, 3) if total else None,
        escalated=int(open_.escalated or 0) if open_ else 0,
    )  # fmt: skip
