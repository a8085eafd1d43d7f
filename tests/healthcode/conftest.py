"""Fixtures of the health-code tests: people in 道里区 and 南岗区, officers, a person factory."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest
from sqlalchemy.orm import Session

from factories import auth_headers, make_tree, make_user, resident_id
from fangkong.config import Settings
from fangkong.core.principal import Principal
from fangkong.models import Person
from fangkong.people import service as people
from fangkong.people.protect import Protector
from fangkong.people.schemas import PersonCreate

DAOLI_GRID = "230102001002003"
NANGANG_GRID = "230103001002003"
_seeds = itertools.count(300)
MakePerson = Callable[..., Person]


@pytest.fixture
def world(session: Session) -> None:
    make_tree(session, "230102")
    make_tree(session, "230103")


@pytest.fixture
def make_person(session: Session, settings: Settings, world: None) -> MakePerson:
    protector = Protector(settings.data_key_bytes)

    def make(grid: str = DAOLI_GRID, name: str = "王小明") -> Person:
        seed = next(_seeds)
        actor = Principal(id=None, username="factory", role="city_admin", region_code="230100")
        data = PersonCreate(name=name, id_number=resident_id(seed), grid_code=grid)
        person, _ = people.create_person(session, actor=actor, protector=protector, data=data)
        return person

    return make


@pytest.fixture
def officers(session: Session, settings: Settings, world: None) -> dict[str, dict[str, str]]:
    """Bearer headers: two officers of 道里区 (four eyes), one of 南岗区, a grid worker."""
    users = {
        "a": make_user(session, role="district_officer", region_code="230102"),
        "b": make_user(session, role="district_officer", region_code="230102"),
        "nangang": make_user(session, role="district_officer", region_code="230103"),
        "worker": make_user(session, role="grid_worker", region_code=DAOLI_GRID),
    }
    session.commit()
    return {name: auth_headers(settings, user) for name, user in users.items()}
