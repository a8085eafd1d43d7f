"""Fixtures of the sentinel tests: in 道里区 (230102) and 南岗区 (230103) a fever clinic (a
hospital venue) and a pharmacy (a shop venue) with an operator each, residents with ID
numbers, officers and a grid worker; everything made through the domains' services."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from factories import auth_headers, make_region, make_tree, make_user, resident_id
from fangkong.config import Settings
from fangkong.core.principal import Principal
from fangkong.models.healthcode import HealthCode
from fangkong.people import service as people
from fangkong.people.protect import Protector
from fangkong.people.schemas import PersonCreate
from fangkong.policy import service as policy
from fangkong.policy.types import VenueType
from fangkong.sentinel import service
from fangkong.sentinel.schemas import SiteIn, SiteKind
from fangkong.venues import service as venues
from fangkong.venues.schemas import VenueCreate

API = "/api/v1/sentinel"
DAOLI_GRID = "230102001002003"
DAOLI_GRID_2 = "230102001002004"
NANGANG_GRID = "230103001002003"
_seeds = itertools.count(700)


def officer(code: str) -> Principal:
    return Principal(id=None, username=f"officer{code}", role="district_officer",
                     region_code=code)  # fmt: skip


def make_site(session: Session, district: str, kind: SiteKind, name: str) -> int:
    venue_type = VenueType.HOSPITAL if kind is SiteKind.FEVER_CLINIC else VenueType.SHOP
    data = VenueCreate(name=name, type=venue_type, region_code=f"{district}001002003")
    venue = venues.create_venue(session, actor=officer(district), data=data)
    service.register_site(
        session, actor=officer(district), data=SiteIn(venue_id=venue.id, kind=kind)
    )
    return venue.id


def make_resident(session: Session, settings: Settings, grid: str, name: str) -> tuple[int, str]:
    number = resident_id(next(_seeds), region=grid[:6])
    actor = Principal(id=None, username="factory", role="city_admin", region_code="230100")
    data = PersonCreate(name=name, id_number=number, grid_code=grid)
    person, _ = people.create_person(
        session, actor=actor, protector=Protector(settings.data_key_bytes), data=data
    )
    return person.id, number


def colour_of(session: Session, person_id: int) -> tuple[str, list[str]]:
    code = session.get(HealthCode, person_id)
    session.refresh(code) if code is not None else None
    return (code.colour, list(code.reasons)) if code else ("green", [])


def count(session: Session, model: Any) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def activate(session: Session, settings: Settings, edition_id: str) -> None:
    admin = Principal(id=None, username="admin", role="city_admin", region_code="230100")
    policy.activate(session, actor=admin, edition_id=edition_id, default=settings.policy)


@dataclass
class World:
    clinic: int
    pharmacy: int
    nangang_clinic: int
    nangang_pharmacy: int
    person: int
    id_number: str
    neighbour: int  # in 道里区's second grid
    neighbour_id_number: str
    nangang_person: int
    nangang_id_number: str
    headers: dict[str, dict[str, str]] = field(default_factory=dict)


@pytest.fixture
def world(session: Session, settings: Settings) -> World:
    make_tree(session, "230102")
    make_tree(session, "230103")
    make_region(session, DAOLI_GRID_2)
    person, number = make_resident(session, settings, DAOLI_GRID, "李测试")
    neighbour, neighbour_number = make_resident(session, settings, DAOLI_GRID_2, "赵测试")
    nangang, nangang_number = make_resident(session, settings, NANGANG_GRID, "孙测试")
    made = World(
        clinic=make_site(session, "230102", SiteKind.FEVER_CLINIC, "道里测试医院发热门诊"),
        pharmacy=make_site(session, "230102", SiteKind.PHARMACY, "道里测试药店"),
        nangang_clinic=make_site(session, "230103", SiteKind.FEVER_CLINIC, "南岗测试医院"),
        nangang_pharmacy=make_site(session, "230103", SiteKind.PHARMACY, "南岗测试药店"),
        person=person, id_number=number, neighbour=neighbour,
        neighbour_id_number=neighbour_number, nangang_person=nangang,
        nangang_id_number=nangang_number,
    )  # fmt: skip
    users = {
        "daoli": make_user(session, role="district_officer", region_code="230102"),
        "nangang": make_user(session, role="district_officer", region_code="230103"),
        "operator": make_user(session, role="venue_operator", region_code=DAOLI_GRID),
        "worker": make_user(session, role="grid_worker", region_code=DAOLI_GRID),
        "worker_2": make_user(session, role="grid_worker", region_code=DAOLI_GRID_2),
    }
    for venue_id in (made.clinic, made.pharmacy):
        venues.add_operator(session, actor=officer("230102"), venue_id=venue_id,
                            user_id=users["operator"].id)  # fmt: skip
    session.commit()
    made.headers = {name: auth_headers(settings, user) for name, user in users.items()}
    return made
