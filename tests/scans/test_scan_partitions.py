"""Scans by day: PostgreSQL keeps one partition per Asia/Shanghai day (made ahead by a job,
dropped whole by retention) and a default one; SQLite keeps one plain table, and the same
calls do nothing there. Each test states what both databases must do."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from fangkong.config import Settings
from fangkong.core import clock, partitions
from fangkong.jobs.catalog import all_jobs
from fangkong.models.scan import Scan
from fangkong.retention import service as retention
from fangkong.scans import repository
from scans.world import World

DAY = date(2026, 1, 10)


def at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=clock.LOCAL_TZ)


def add_scan(session: Session, world: World, when: datetime, person_id: int) -> None:
    session.add(Scan(venue_id=world.shop.id, person_id=person_id, region_code=world.shop.region_code,
                     scanned_at=when, decision="allow", colour="green", reasons=[],
                     override=False, source="bulk"))  # fmt: skip
    session.flush()


def where(session: Session, when: datetime) -> str:
    """The table a scan of that instant is stored in."""
    if session.get_bind().dialect.name != "postgresql":
        return "scans"
    return session.execute(
        text("SELECT tableoid::regclass::text FROM scans WHERE scanned_at = :t"), {"t": when}
    ).scalar_one()


def scans_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Scan)) or 0


def postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def test_day_partitions_are_made_ahead_and_take_their_days(session: Session, world: World) -> None:
    connection = session.connection()
    made = repository.ensure_day_partitions(session, DAY, DAY + timedelta(days=2))
    assert made == (3 if postgres(session) else 0)
    assert repository.ensure_day_partitions(session, DAY, DAY + timedelta(days=2)) == 0
    # A local day runs from local midnight (16:00 UTC the day before) to the next one.
    add_scan(session, world, at(DAY, 0), world.green.id)
    add_scan(session, world, at(DAY + timedelta(days=1), 0) - timedelta(microseconds=1),
             world.red.id)  # fmt: skip
    add_scan(session, world, at(DAY - timedelta(days=5), 12), world.green.id)
    if postgres(session):
        assert set(partitions.days(connection, "scans")) >= {DAY + timedelta(days=n)
                                                              for n in range(3)}  # fmt: skip
        assert where(session, at(DAY, 0)) == "partitions.scans_20260110"
        assert where(session, at(DAY + timedelta(days=1), 0) - timedelta(microseconds=1)) == (
            "partitions.scans_20260110")  # fmt: skip
        assert where(session, at(DAY - timedelta(days=5), 12)) == "partitions.scans_default"
    else:
        assert partitions.days(connection, "scans") == []
        assert where(session, at(DAY, 0)) == "scans"
    assert scans_count(session) == 3


def test_a_late_day_partition_takes_its_rows_from_the_default_one(
    session: Session, world: World
) -> None:
    old = DAY - timedelta(days=5)
    add_scan(session, world, at(old, 12), world.green.id)
    add_scan(session, world, at(old, 13), world.red.id)
    made = repository.ensure_day_partitions(session, old, old)
    assert made == (1 if postgres(session) else 0)
    expected = "partitions.scans_20260105" if postgres(session) else "scans"
    assert {where(session, at(old, 12)), where(session, at(old, 13))} == {expected}
    assert scans_count(session) == 2


def test_the_job_makes_today_and_a_week_ahead(
    db, session: Session, settings: Settings, world: World
) -> None:
    outcome = all_jobs()["scans.partitions"].func(session, settings, DAY)
    assert outcome["through"] == "2026-01-17"
    if postgres(session):
        assert set(partitions.days(session.connection(), "scans")) >= {
            DAY + timedelta(days=n) for n in range(8)}  # fmt: skip
    else:
        assert outcome["made"] == 0


def test_retention_drops_whole_old_days_and_deletes_the_rest(
    session: Session, settings: Settings, world: World
) -> None:
    """Window 28 days (the setting's default): on day D every scan before D−28 goes."""
    run_for = DAY + timedelta(days=40)
    cutoff_day = run_for - timedelta(days=settings.retention_scans_days)
    repository.ensure_day_partitions(session, DAY, DAY + timedelta(days=1))
    add_scan(session, world, at(DAY, 9), world.green.id)  # an old day's partition
    add_scan(session, world, at(DAY + timedelta(days=1), 9), world.red.id)
    add_scan(session, world, at(DAY - timedelta(days=3), 9), world.green.id)  # default, old
    add_scan(session, world, at(cutoff_day + timedelta(days=2), 9), world.red.id)  # kept
    session.commit()
    with clock.frozen(at(run_for, 23)):
        outcome = retention.purge(session, settings=settings, run_for=run_for)
    assert outcome["tables"]["scans"] == 3
    assert scans_count(session) == 1
    if postgres(session):
        left = partitions.days(session.connection(), "scans")
        assert DAY not in left and DAY + timedelta(days=1) not in left
