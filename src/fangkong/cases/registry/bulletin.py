"""The counts of the daily bulletin (issue 10) over the official day (06:00–06:00 Asia/Shanghai,
the zones' ``day_start``) or any ``[start, end)``, for the whole jurisdiction and per district."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from fangkong.arrivals.zones.service import checked_day, day_start
from fangkong.cases.registry import counts, errors
from fangkong.cases.registry.schemas import Counts, CountsOut, DistrictCounts
from fangkong.core.errors import DomainError
from fangkong.core.principal import Principal


def day_window(day: date) -> tuple[datetime, datetime]:
    try:
        checked_day(day)
    except DomainError as exc:
        raise errors.BadDate() from exc
    return day_start(day), day_start(day + timedelta(days=1))


def bulletin_counts(
    session: Session, *, actor: Principal, start: datetime, end: datetime
) -> CountsOut:
    if end <= start:
        raise errors.BadDate()
    rows = counts.by_district(session, actor, start, end)
    total = {name: 0 for name in Counts.model_fields if name not in ("start", "end")}
    districts = []
    for district, figures in sorted(rows.items()):
        districts.append(DistrictCounts(district=district, start=start, end=end, **figures))
        for name, value in figures.items():
            total[name] += value
    return CountsOut(start=start, end=end, districts=districts, **total)


def day_counts(session: Session, *, actor: Principal, day: date) -> CountsOut:
    start, end = day_window(day)
    return bulletin_counts(session, actor=actor, start=start, end=end)
