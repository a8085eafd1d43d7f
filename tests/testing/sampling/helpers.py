"""Helpers of the sampling tests: principals, a personal code, a yellow code, a key group,
and counts that show a refused request wrote nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fangkong.citizens import personal_code
from fangkong.config import Settings
from fangkong.core import clock, events
from fangkong.core.principal import Principal
from fangkong.healthcode.events import FactRaised
from fangkong.models import AuditLog, Household, KeyGroupMembership, Person
from fangkong.models.person import KeyGroup
from fangkong.models.testing import Tube, TubeMember
from fangkong.policy.types import Reason
from testing.world import DAOLI, GRID, NANGANG

SAMPLER = Principal(id=None, username="sampler", role="sampler", region_code=DAOLI)
OFFICER = Principal(id=None, username="officer", role="district_officer", region_code=DAOLI)
NANGANG_OFFICER = Principal(
    id=None, username="nangang", role="district_officer", region_code=NANGANG
)


def code_of(settings: Settings, person: Person) -> str:
    return personal_code.issue(settings, person.id, clock.now(), 5).payload


def make_yellow(session: Session, person: Person) -> None:
    event = FactRaised(person.id, Reason.POOL_POSITIVE, "test", "tube:0")
    events.publish(session, event)
    session.flush()


def make_key_group(session: Session, person: Person) -> None:
    start = clock.local_today() - timedelta(days=10)
    session.add(KeyGroupMembership(person_id=person.id, group=KeyGroup.DELIVERY, start_date=start))
    session.flush()


def make_household(session: Session, people: list[Person], grid: str = GRID) -> Household:
    household = Household(grid_code=grid, address="中央大街1号")
    session.add(household)
    session.flush()
    for person in people:
        person.household_id = household.id
    session.flush()
    return household


def counts(session: Session) -> tuple[int, int, int]:
    """Tubes, tube members and audit rows: equal before and after a refused request."""
    return (
        session.scalar(select(func.count()).select_from(Tube)) or 0,
        session.scalar(select(func.count()).select_from(TubeMember)) or 0,
        session.scalar(select(func.count()).select_from(AuditLog)) or 0,
    )


def refused_whole(session: Session, error: type[Exception], call: Callable[[], object],
                  row: int | None) -> None:  # fmt: skip
    """A bulk ``call`` raises ``error`` naming ``row`` and changes no tube, member or audit row."""
    before = counts(session)
    with pytest.raises(error) as raised:
        call()
    assert getattr(raised.value, "params", {}).get("row") == row
    assert counts(session) == before


TUBE_COLUMNS = ("kind", "capacity", "purpose", "site_id", "campaign_id", "region_code",
                "sampler_id", "status", "member_count", "result")  # fmt: skip


def same_tube(one: object, other: object) -> bool:
    """Two tubes alike in every column a bulk path and a one-by-one path both set."""
    return all(getattr(one, c) == getattr(other, c) for c in TUBE_COLUMNS)
