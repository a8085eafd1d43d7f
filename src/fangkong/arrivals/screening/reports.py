"""Figures of screening, computed on demand from the tasks (nothing is stored but the
accountability job's result, kept in its job-run row): overdue lists per level, the daily
accountability report (问责通报), daily figures and the district overview.

Every figure of the tasks is counted per grid in one pass of SQL and rolled up here to the
level asked for (a prefix of the grid code: district 6 digits, street 9, community 12, grid
15), so a parent's count is the sum of its children's. The trips' figures group by the prefix
in SQL."""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

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
LEVELS = (("district", 6), ("street", 9))  # the accountability report's rows
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


def roll_up(grids: Sequence[Any], digits: int, sums: Sequence[str],
            firsts: Sequence[str] = ()) -> dict[str, dict[str, Any]]:  # fmt: skip
    """Per-grid rows (``key`` and the fields named) rolled up to their ``digits``-long prefix:
    ``sums`` added, ``firsts`` the least that is not None."""
    out: dict[str, dict[str, Any]] = {}
    for g in grids:
        parent = out.setdefault(g.key[:digits], dict.fromkeys(sums, 0) | dict.fromkeys(firsts))
        for field in sums:
            parent[field] += int(getattr(g, field) or 0)
        for field in firsts:
            value = getattr(g, field)
            if value is not None and (parent[field] is None or value < parent[field]):
                parent[field] = value
    return out


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
    repository.plan_with_values(session)
    grids = repository.overdue_grids(session, actor.region_code, now, scope)
    groups = roll_up(grids, digits, ("n", "street", "district"), ("first_due",))
    names = repository.region_names(session, list(groups))
    rows = [
        OverdueRow(region_code=key, name=names.get(key, ""), overdue=g["n"],
                   worst_hours=_hours(now - g["first_due"]), at_street=g["street"],
                   at_district=g["district"])
        for key, g in groups.items()
    ]  # fmt: skip
    rows.sort(key=lambda r: (-r.worst_hours, r.region_code))
    return OverdueOut(level=level, region=scope, total=sum(r.overdue for r in rows), rows=rows)


# --- accountability (问责通报) -------------------------------------------------------------------


ACCOUNTED = ("due", "in_time", "late", "overdue")


def _worst_grids(grids: Sequence[Any], now: datetime) -> dict[str, list[tuple[float, str]]]:
    """Per district and street, (hours, grid) of its grids' worst tasks: the hours overdue of
    the oldest still open, or of the latest late answer."""
    by_parent: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for g in grids:
        hours = 0.0
        if g.first_due is not None:
            hours = _hours(now - g.first_due)
        if g.late_seconds is not None:
            hours = max(hours, _hours(timedelta(seconds=float(g.late_seconds))))
        if hours > 0:
            for digits in (6, 9):
                by_parent[g.key[:digits]].append((hours, g.key))
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
    repository.plan_with_values(session)
    grids = repository.accountability_grids(session, scope, start=start, end=end, now=now)
    worst = _worst_grids(grids, now)
    levels = {level: roll_up(grids, digits, ACCOUNTED) for level, digits in LEVELS}
    names = repository.region_names(session, [key for groups in levels.values() for key in groups])
    rows: list[AccountabilityRow] = []
    for level, groups in levels.items():
        for key, g in groups.items():
            ranked = sorted(worst.get(key, []), reverse=True)
            rows.append(AccountabilityRow(
                region_code=key, name=names.get(key, ""), level=level, due=g["due"],
                in_time=g["in_time"], late=g["late"], overdue=g["overdue"],
                worst_hours=ranked[0][0] if ranked else 0.0,
                worst_grids=[grid for _, grid in ranked[:WORST_GRIDS]],
            ))  # fmt: skip
    rows.sort(key=lambda r: (r.region_code[:6], len(r.region_code), r.region_code))
    return AccountabilityOut(date=day, computed_at=now, rows=rows)


HEADERS = ("region_code", "name", "level", "due", "in_time", "late", "overdue", "worst_hours",
           "worst_grids")  # fmt: skip


def accountability_xlsx(report: AccountabilityOut, headers: Sequence[str]) -> bytes:
    from openpyxl import Workbook  # noqa: PLC0415 - only a workbook needs it

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
    repository.plan_with_values(session)
    channels = repository.reports_by_channel(session, scope, start, end)
    grades = repository.trips_by_grade(session, scope, start, end)
    counts = repository.task_counts(session, scope, start, end)
    landing, screening = counts[repository.LANDING], counts[repository.SCREENING]
    return FiguresOut(
        date=day, region=scope, trips=sum(n for _, n in grades),
        reports_by_channel=[CountRow(key=k, count=n) for k, n in channels],
        trips_by_grade=[CountRow(key=k, count=n) for k, n in grades],
        landing_tests=landing[0], landing_done=landing[1], landing_in_time=landing[2],
        screenings=screening[0], screened=screening[1], screened_in_time=screening[2],
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class DayTotals:
    trips: int
    landing_done: int
    screened: int


def day_totals(session: Session, *, actor: Principal, day: date | None = None) -> DayTotals:
    """The trips of a local day in the caller's jurisdiction and their landing tests and
    screenings done: three of the daily figures, without the reports by channel (a scan of
    every report of the jurisdiction, which the command dashboard does not show)."""
    start, end = day_bounds(checked_day(day))
    repository.plan_with_values(session)
    grades = repository.trips_by_grade(session, actor.region_code, start, end)
    done = repository.done_counts(session, actor.region_code, start, end)
    return DayTotals(
        trips=sum(n for _, n in grades),
        landing_done=done[repository.LANDING],
        screened=done[repository.SCREENING],
    )


# --- overview ------------------------------------------------------------------------------------


def overview(session: Session, *, actor: Principal, region: str | None = None) -> OverviewOut:
    """Per child region of the caller's (or ``region``): today's arrivals, open tasks,
    overdue screenings, the landing-test rate of today's arrivals, escalated tasks."""
    scope = checked_region(session, actor, region)
    digits = child_digits(scope)
    today = clock.local_today()
    start, end = day_bounds(today)
    now = clock.now()
    repository.plan_with_values(session)
    per_grid = repository.trips_per_grid(session, scope, start, end)
    trips = {key: g["n"] for key, g in roll_up(per_grid, digits, ("n",)).items()}
    open_ = roll_up(repository.open_grids(session, scope, now), digits,
                    ("open", "overdue", "escalated"))  # fmt: skip
    landing = {g.key: g for g in repository.overview_landing(session, scope, digits, start, end)}
    keys = sorted(set(trips) | set(open_) | set(landing))
    names = repository.region_names(session, keys)
    rows = [_overview_row(k, names.get(k, ""), trips.get(k, 0), open_.get(k), landing.get(k))
            for k in keys]  # fmt: skip
    return OverviewOut(region=scope, date=today, rows=rows)


def _overview_row(key: str, name: str, trips: int, open_: dict[str, int] | None,
                  landing: Any) -> OverviewRow:  # fmt: skip
    total = int(landing.total) if landing else 0
    done = int(landing.done or 0) if landing else 0
    open_ = open_ or {}
    return OverviewRow(
        region_code=key, name=name, arrivals_today=trips,
        open_tasks=open_.get("open", 0), overdue=open_.get("overdue", 0),
        landing_tests_today=total, landing_done_today=done,
        landing_rate=round(done / total, 3) if total else None,
        escalated=open_.get("escalated", 0),
    )  # fmt: skip
