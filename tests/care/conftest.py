"""Fixtures of the care tests: districts 道里区 (230102) and 南岗区 (230103) with a grid each,
their officers, residents made through the people service, and a sealed zone over the 道里
grid made through the zones service."""

from __future__ import annotations

from itertools import count
from typing import Any

import pytest
from sqlalchemy.orm import Session

from factories import auth_headers, make_tree, make_user, resident_id
from fangkong.arrivals.zones import service as zones
from fangkong.arrivals.zones.schemas import ZoneCreate
from fangkong.care.teams import service as teams
from fangkong.care.teams.schemas import TeamCreate
from fangkong.care.volunteers import service as volunteers
from fangkong.care.volunteers.schemas import VolunteerCreate
from fangkong.config import Settings
from fangkong.core.principal import Principal
from fangkong.models import Person
from fangkong.people import service as people
from fangkong.people.protect import Protector
from fangkong.people.schemas import PersonCreate

DAOLI_GRID = "230102001002003"
DAOLI_GRID_2 = "230102001002004"
DAOLI_COMMUNITY = "230102001002"
NANGANG_GRID = "230103001002003"
API = "/api/v1/care"
_seeds = count(7100)


def officer_of(code: str) -> Principal:
    return Principal(
        id=None, username=f"officer{code}", role="district_officer", region_code=code,
        permissions=frozenset({"care.read", "care.manage", "people.read", "zones.read",
                               "zones.manage"}),
    )  # fmt: skip


def make_resident(
    session: Session, settings: Settings, grid: str = DAOLI_GRID, **flags: Any
) -> Person:
    seed = next(_seeds)
    data = PersonCreate(
        name=f"居民{seed}", id_number=resident_id(seed, region=grid[:6]), grid_code=grid,
        phone=f"139{seed:08d}", **flags,
    )  # fmt: skip
    person, _ = people.create_person(
        session, actor=officer_of(grid[:6]), protector=Protector(settings.data_key_bytes), data=data
    )
    return person


def seal(session: Session, region: str = DAOLI_GRID, kind: str = "sealed") -> int:
    data = ZoneCreate(name=f"测试{kind}区{region[-3:]}", kind=kind, region_code=region)
    return zones.declare(session, actor=officer_of(region[:6]), data=data).id


def make_volunteer(
    session: Session, settings: Settings, grid: str = DAOLI_GRID, skills: tuple[str, ...] = ()
) -> int:
    person = make_resident(session, settings, grid)
    data = VolunteerCreate(
        person_id=person.id,
        skills=list(skills or ("supply_delivery", "nat_at_home")),
        areas=[grid[:12]],
    )
    return volunteers.register_volunteer(session, actor=officer_of(grid[:6]), data=data).id


def make_team(session: Session, district: str = "230102") -> int:
    data = TeamCreate(
        name=f"{district}包保工作组",
        region_code=f"{district}001",
        leader="组长甲",
        members=["队员乙", "队员丙"],
        duties="卡口值守、安全检查",
        communities=[f"{district}001002"],
    )
    return teams.create_team(session, actor=officer_of(district), data=data).id


@pytest.fixture
def districts(session: Session) -> None:
    make_tree(session, "230102")
    make_tree(session, "230103")
    session.flush()


@pytest.fixture
def officers(session: Session, settings: Settings, districts: None) -> dict[str, Any]:
    daoli = make_user(session, role="district_officer", region_code="230102")
    nangang = make_user(session, role="district_officer", region_code="230103")
    session.commit()
    return {"daoli": auth_headers(settings, daoli), "nangang": auth_headers(settings, nangang)}
