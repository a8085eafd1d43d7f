"""Residents with phones, made through the people service like any registration."""

from __future__ import annotations

import itertools
from datetime import datetime

from sqlalchemy.orm import Session

from factories import resident_id
from fangkong.config import Settings
from fangkong.core import events
from fangkong.core.principal import Principal
from fangkong.healthcode.events import FactRaised, NegativeTest
from fangkong.models import Person
from fangkong.people import service
from fangkong.people.protect import Protector
from fangkong.people.schemas import PersonCreate
from fangkong.policy.types import Reason

GRID = "230102001002003"
_seeds = itertools.count(500)


def make_resident(
    session: Session, settings: Settings, *, name: str, phone: str | None, grid: str = GRID
) -> Person:
    actor = Principal(id=None, username="test", role="city_admin", region_code="230100")
    data = PersonCreate(
        name=name, id_number=resident_id(next(_seeds), region=grid[:6]), phone=phone, grid_code=grid
    )
    person, _ = service.create_person(
        session, actor=actor, protector=Protector(settings.data_key_bytes), data=data
    )
    return person


def raise_fact(session: Session, person_id: int, reason: Reason, ref: str = "test") -> None:
    """A reason in force for the person, published as other domains publish it."""
    events.publish(session, FactRaised(person_id=person_id, reason=reason, source="test", ref=ref))


def negative_test(session: Session, person_id: int, sampled_at: datetime) -> None:
    events.publish(session, NegativeTest(person_id=person_id, sampled_at=sampled_at, source="test"))
