"""Fixtures of the vaccination tests: districts 道里区 (230102) and 南岗区 (230103) with a grid
each, two vaccine products, and residents made through the people service."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

import pytest
from sqlalchemy.orm import Session

from factories import auth_headers, make_tree, make_user, resident_id
from fangkong.config import Settings
from fangkong.core.principal import Principal
from fangkong.models import Person
from fangkong.people import service as people
from fangkong.people.protect import Protector
from fangkong.people.schemas import PersonCreate
from fangkong.vaccination import service
from fangkong.vaccination.schemas import DoseIn, VaccineCreate

DAOLI_GRID = "230102001002003"
NANGANG_GRID = "230103001002003"
API = "/api/v1/vaccination"
ADMIN = Principal(
    id=None, username="vacc-admin", role="city_admin", region_code="230100",
    permissions=frozenset({"vaccination.read", "vaccination.manage", "people.read"}),
)  # fmt: skip
_seeds = itertools.count(3000)


def officer_of(code: str) -> Principal:
    return Principal(
        id=None, username=f"officer{code}", role="district_officer", region_code=code,
        permissions=frozenset({"vaccination.read", "vaccination.manage"}),
    )  # fmt: skip


def make_resident(
    session: Session, settings: Settings, *, born: date, grid: str = DAOLI_GRID
) -> Person:
    return resident_with_number(session, settings, born=born, grid=grid)[0]


def resident_with_number(
    session: Session, settings: Settings, *, born: date, grid: str = DAOLI_GRID
) -> tuple[Person, str]:
    """A resident and their ID number in clear (what an import file names them by)."""
    seed = next(_seeds)
    number = resident_id(seed, born=born, region=grid[:6])
    data = PersonCreate(name=f"接种{seed}", id_number=number, grid_code=grid)
    person, _ = people.create_person(
        session, actor=ADMIN, protector=Protector(settings.data_key_bytes), data=data
    )
    return person, number


def give(session: Session, person: Person, number: int, on: date, vaccine: str = "INACT") -> None:
    data = DoseIn(
        person_id=person.id, vaccine_code=vaccine, dose_number=number, given_on=on,
        site="社区卫生服务中心", batch=f"B{number:03d}",
    )  # fmt: skip
    service.record_dose(session, actor=ADMIN, data=data)


@pytest.fixture
def districts(session: Session) -> None:
    make_tree(session, "230102")
    make_tree(session, "230103")
    session.flush()


@pytest.fixture
def vaccines(session: Session, districts: None) -> None:
    service.create_vaccine(
        session, actor=ADMIN, data=VaccineCreate(code="INACT", name="灭活疫苗", series_doses=2)
    )
    service.create_vaccine(
        session, actor=ADMIN, data=VaccineCreate(code="ADV5", name="腺病毒载体疫苗", series_doses=1)
    )
    session.flush()


@pytest.fixture
def officers(session: Session, settings: Settings, vaccines: None) -> dict[str, Any]:
    daoli = make_user(session, role="district_officer", region_code="230102")
    nangang = make_user(session, role="district_officer", region_code="230103")
    session.commit()
    return {"daoli": auth_headers(settings, daoli), "nangang": auth_headers(settings, nangang)}
