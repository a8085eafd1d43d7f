"""Helpers of the zones tests: the official day, editions, health codes, household addresses."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fangkong.core import clock
from fangkong.models import AuditLog, Household, Person
from fangkong.models.healthcode import HealthCode, HealthFact
from fangkong.models.zones import Zone, ZoneCase, ZoneEvent, ZoneResident
from fangkong.policy import service as policy
from testing.world import ADMIN, GRID

API = "/api/v1/zones"
D0 = date(2022, 11, 10)  # the declaration day in the review tests


def local(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=clock.LOCAL_TZ)


def activate(session: Session, settings, edition_id: str) -> None:
    policy.activate(session, actor=ADMIN, edition_id=edition_id, default=settings.policy)
    session.flush()


def colour(session: Session, person_id: int) -> str | None:
    session.expire_all()
    code = session.get(HealthCode, person_id)
    return code.colour if code else None


def open_reasons(session: Session, person_id: int) -> set[str]:
    query = select(HealthFact.reason).where(
        HealthFact.person_id == person_id, HealthFact.ended_at.is_(None)
    )
    return set(session.scalars(query).all())


def household(session: Session, people: list[Person], address: str, grid: str = GRID) -> Household:
    made = Household(grid_code=grid, address=address)
    session.add(made)
    session.flush()
    for person in people:
        person.household_id = made.id
    session.flush()
    return made


def counts(session: Session) -> tuple[int, ...]:
    """Zones, residents, cases, events and audit rows: unchanged by a refused request."""
    return tuple(
        session.scalar(select(func.count()).select_from(table)) or 0
        for table in (Zone, ZoneResident, ZoneCase, ZoneEvent, AuditLog)
    )


def actions(session: Session, zone_id: int) -> list[str]:
    query = select(ZoneEvent.action).where(ZoneEvent.zone_id == zone_id)
    return list(session.scalars(query.order_by(ZoneEvent.at, ZoneEvent.id)))


def days(n: int) -> timedelta:
    return timedelta(days=n)
