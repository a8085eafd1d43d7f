"""The daily bulletin (疫情通报): the figures of the cases domain's counts over an official day
(06:00–06:00 Asia/Shanghai) or any ``[start, end)``, for the caller's region or a region
inside it, with the text in the official style (``text``). Two grouped queries on cases."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy.orm import Session

from fangkong.arrivals.zones.service import official_day
from fangkong.cases.registry import bulletin as counts
from fangkong.cases.registry.schemas import Counts
from fangkong.core import clock
from fangkong.core.errors import DomainError
from fangkong.core.principal import Principal
from fangkong.reports import errors, text
from fangkong.reports.schemas import BulletinFigures, BulletinOut, DistrictLine
from fangkong.reports.scope import Scope, names, scope_of

# Before any record of the platform: the cumulative figures count from the first case on.
EPOCH = datetime(2019, 12, 1, tzinfo=UTC)


def window(
    day: date | None, start: datetime | None, end: datetime | None
) -> tuple[date | None, datetime, datetime]:
    """An official day (default: the last whole one: before 06:00 local time, the day before
    yesterday's) or an explicit ``[start, end)``."""
    if start is not None or end is not None:
        if start is None or end is None or day is not None or end <= start:
            raise errors.BadWindow()
        if start.tzinfo is None or end.tzinfo is None:
            raise errors.BadWindow()
        return None, start, end
    day = day or official_day(clock.now()) - timedelta(days=1)
    try:
        first, last = counts.day_window(day)
    except DomainError as exc:
        raise errors.BadWindow() from exc
    return day, first, last


def figures(now: Counts, since: Counts) -> BulletinFigures:
    """``now`` over the window, ``since`` over [EPOCH, end): the cumulative outcomes."""
    return BulletinFigures(
        new_confirmed=now.new_confirmed + now.conversions, conversions=now.conversions,
        new_asymptomatic=now.new_asymptomatic, new_imported=now.new_imported,
        under_control=now.under_control, community=now.community,
        cumulative_confirmed=now.cumulative_confirmed,
        cumulative_asymptomatic=now.cumulative_asymptomatic,
        cumulative_positives=now.cumulative_confirmed + now.cumulative_asymptomatic,
        discharged=now.discharged, released=now.released, died=now.died,
        cumulative_discharged=since.discharged, cumulative_released=since.released,
        in_treatment=now.in_treatment,
    )  # fmt: skip


def _districts(
    session: Session, scope: Scope, now: dict[str, Counts], since: dict[str, Counts]
) -> list[DistrictLine]:
    lines = []
    for code in sorted(now):
        zh, en = names(session, scope.actor, code) or (code, code)
        part = figures(now[code], since.get(code) or Counts(start=EPOCH, end=EPOCH))
        lines.append(DistrictLine(code=code, name=zh, name_en=en, **part.model_dump()))
    return lines


def bulletin(
    session: Session, *, actor: Principal, day: date | None = None,
    start: datetime | None = None, end: datetime | None = None, region: str | None = None,
) -> BulletinOut:  # fmt: skip
    day, start, end = window(day, start, end)
    scope = scope_of(session, actor, region)
    now = counts.bulletin_counts(session, actor=scope.actor, start=start, end=end)
    since = counts.bulletin_counts(session, actor=scope.actor, start=EPOCH, end=end)
    total = figures(now, since)
    since_by: dict[str, Counts] = {d.district: d for d in since.districts}
    districts = _districts(session, scope, {d.district: d for d in now.districts}, since_by)
    has_data = total.cumulative_positives > 0 or total.in_treatment > 0
    zh, en = text.render(scope, start, end, total, districts, has_data=has_data)
    return BulletinOut(
        date=day, start=start, end=end, region=scope.code, region_name=scope.name,
        has_data=has_data, figures=total, districts=districts, text_zh=zh, text_en=en,
    )  # fmt: skip
