"""A person's scans: every person query finds the scans of each day of its window, and on
SQLite seeks ``ix_scans_person_day`` (day, person, instant) rather than reading the table."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.orm import Session

from fangkong.core import clock
from fangkong.core.pagination import PageParams
from fangkong.core.principal import Principal
from fangkong.models.scan import utc_days
from fangkong.scans import repository
from fangkong.tracing.contacts import exposures
from fangkong.tracing.public import repository as public
from fangkong.tracing.trajectories import repository as trajectories
from plans import sqlite_plan, statements_on
from scans.test_companions import scan
from scans.world import World

SHANGHAI = ZoneInfo("Asia/Shanghai")
CITY = Principal(id=None, username="probe", role="city_admin", region_code="230100")
# Either side of a UTC midnight, and two days later: three UTC days.
LATE = clock.now().replace(hour=23, minute=59, second=59, microsecond=0) - timedelta(days=3)
EARLY = LATE + timedelta(seconds=2)
LATER = LATE + timedelta(days=2)


def test_utc_days_name_each_utc_day_of_the_window_inclusive() -> None:
    first = datetime(2026, 12, 4, 7, 0, tzinfo=SHANGHAI)  # 2026-12-03 23:00 UTC
    assert utc_days(first, first + timedelta(hours=2)) == ["2026-12-03", "2026-12-04"]
    assert utc_days(first, first) == ["2026-12-03"]
    last = datetime(2026, 12, 6, 0, 0, tzinfo=UTC)
    assert utc_days(datetime(2026, 12, 4, 12, tzinfo=UTC), last) == [
        "2026-12-04", "2026-12-05", "2026-12-06"]  # fmt: skip


@pytest.fixture
def person(session: Session, world: World) -> int:
    for at in (LATE, EARLY, LATER):
        scan(session, world.shop.id, world.green.id, at)
    scan(session, world.shop.id, world.red.id, EARLY)
    session.flush()
    return world.green.id


QUERIES: dict[str, Callable[[Session, int, World], list[datetime]]] = {
    "scans_of_person": lambda s, p, w: [r.scanned_at for r in repository.scans_of_person(s, p, 9)],
    "scans_page": lambda s, p, w: [r.scanned_at for r in repository.scans_page(
        s, CITY, PageParams(limit=9), venue_id=None, person_id=p)[0]],
    "stays": lambda s, p, w: [r.scanned_at for r in repository.stays(
        s, p, LATE - timedelta(hours=1), LATER + timedelta(hours=1))],
    "tracing stays": lambda s, p, w: [r.scanned_at for r in exposures.stays(
        s, {p: (LATE - timedelta(hours=1), LATER + timedelta(hours=1))})[p]],
    "trajectory": lambda s, p, w: [r.scanned_at for r in trajectories.scans(
        s, [p], LATE - timedelta(hours=1), LATER + timedelta(hours=1))],
    "self-check": lambda s, p, w: [r.scanned_at for r in public.scans_at(
        s, [p], {w.shop.id}, LATE - timedelta(hours=1))],
}  # fmt: skip


@pytest.mark.parametrize("query", sorted(QUERIES))
def test_person_query_finds_each_day_and_seeks_the_day_index(
    session: Session, world: World, person: int, query: str
) -> None:
    with statements_on(session, "scans", "SELECT") as ran:
        found = QUERIES[query](session, person, world)
    assert sorted(found) == [LATE, EARLY, LATER]
    reads = [s for s in ran if not s[0].startswith(("SELECT min", "SELECT max"))]
    assert reads, "the query ran no statement on scans"
    if session.get_bind().dialect.name != "sqlite":
        return
    for statement in reads:
        plan = sqlite_plan(session, statement)
        assert "SCAN scans" not in plan, (query, plan)
        # The self-check names the published venues too: the planner may read those venues'
        # visits in the window (uq_scans_visit) instead, also a seek.
        assert "ix_scans_person_day" in plan or query == "self-check", (query, plan)


def test_a_window_names_its_days_so_other_days_stay_out(
    session: Session, world: World, person: int
) -> None:
    found = repository.stays(session, person, EARLY, EARLY + timedelta(hours=1))
    assert [row.scanned_at for row in found] == [EARLY]
