"""A small registry with every kind of personal row, made at a known instant ``T0``."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from factories import make_tree
from fangkong.core import clock
from fangkong.models import LoginAttempt, WebSession
from fangkong.people import service as people
from fangkong.people.protect import Protector
from fangkong.people.schemas import HouseholdCreate, KeyGroupIn
from retention.support import GRID, T0, Registry, grid_counts, officer, person_data


@pytest.fixture
def registry(session: Session, settings) -> Registry:
    """Two namesakes (a likely duplicate pair) in one household, one in a key group; a login
    attempt and a web session; an access-log row for the opening of a record."""
    protector = Protector(settings.data_key_bytes)
    with clock.frozen(T0):
        make_tree(session)
        actor = officer(session)
        household = people.create_household(
            session, actor=actor, data=HouseholdCreate(grid_code=GRID, address="测试街1号", ref="7")
        )
        ids = []
        for seed, extra in ((1, {"migrant": True}), (2, {})):
            person, _ = people.create_person(
                session,
                actor=actor,
                protector=protector,
                data=person_data(seed, household.id, **extra),
            )
            ids.append(person.id)
        people.add_key_group(
            session,
            actor=actor,
            person_id=ids[0],
            data=KeyGroupIn(group="delivery", employer="测试快递公司"),
        )
        people.get_person(session, actor=actor, person_id=ids[0])  # writes the access log
        session.add(LoginAttempt(username="someone", succeeded=False))
        session.add(WebSession(token_hash="t0", user_id=actor.id or 0))
        session.flush()
        counts = grid_counts(session, GRID)
    return Registry(GRID, ids, household.id, counts)
