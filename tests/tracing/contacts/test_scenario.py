"""Correctness (the issue's scenario): a hand-built city and exactly the contacts the edition
names. Case A has a household member; at a restaurant A scanned at 12:00, B at 12:20 (inside
±30 min) and C at 13:10 (not a contact); on a train A sat in carriage 05, D in 05 and E in
06; one person is named in the interview. Under ``cn-9th-2022-06`` the close contacts are
exactly {household member, B, D, named}; confirming B makes B's household member and B's
companion secondary contacts. Under ``cn-20-2022-11`` no secondary contacts are generated."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy.orm import Session

from fangkong.config import Settings
from fangkong.models import Person
from fangkong.models.cases import Case
from fangkong.tracing.contacts import service
from fangkong.tracing.contacts.schemas import Action, DecisionIn
from outbreak_world import at, make_case, make_resident
from tracing.contacts.helpers import (
    EPI,
    activate,
    family,
    make_venue,
    open_contacts,
    ride,
    scan,
)


@dataclass
class City:
    case: Case
    people: dict[str, Person]


@pytest.fixture
def city(session: Session, settings: Settings, world: None) -> City:
    a, household = family(session, settings, "甲病例", "甲家属")
    b, b_household = family(session, settings, "乙食客", "乙家属")
    named = {n: make_resident(session, settings, name=n)
             for n in ("丙食客", "丁乘客", "戊乘客", "己受访", "庚同伴", "辛路人")}  # fmt: skip
    restaurant, shop = make_venue(session, "老厨家饭店"), make_venue(session, "中央大街商店")
    scan(session, restaurant, a, at(2, 12))
    scan(session, restaurant, b, at(2, 12, 20))
    scan(session, restaurant, named["丙食客"], at(2, 13, 10))
    scan(session, shop, b, at(2, 18))  # B's companion: after B's exposure, before control
    scan(session, shop, named["庚同伴"], at(2, 18, 15))
    scan(session, shop, named["辛路人"], at(2, 20))  # two hours apart: nobody's contact
    ride(session, a, carriage="05", seat="05A", row=5)
    ride(session, named["丁乘客"], carriage="05", seat="12F", row=12)
    ride(session, named["戊乘客"], carriage="06", seat="05B", row=5)
    case = make_case(session, a, sampled_at=at(3, 8))
    people = {"A": a, "household": household, "B": b, "B_household": b_household} | named
    return City(case, people)


def _generate_and_name(session: Session, city: City) -> None:
    service.generate(session, actor=EPI, case_id=city.case.id)
    service.add_named_person(session, actor=EPI, case=city.case,
                             person_id=city.people["己受访"].id, at=at(2, 9), evidence={})  # fmt: skip


def _ids(city: City, *names: str) -> set[int]:
    return {city.people[name].id for name in names}


def test_the_9th_edition_names_exactly_the_close_contacts(session, settings, city):
    activate(session, settings, "cn-9th-2022-06")
    _generate_and_name(session, city)
    close = open_contacts(session, "close")
    assert set(close) == _ids(city, "household", "B", "丁乘客", "己受访")
    assert {c.status for c in close.values()} == {"candidate"}
    assert open_contacts(session, "secondary") == {}


def test_confirming_b_makes_secondary_contacts_under_the_9th(session, settings, city):
    activate(session, settings, "cn-9th-2022-06")
    _generate_and_name(session, city)
    b = open_contacts(session, "close")[city.people["B"].id]
    service.decide(session, actor=EPI, data=DecisionIn(action=Action.CONFIRM, ids=[b.id]))
    secondary = open_contacts(session, "secondary")
    assert set(secondary) == _ids(city, "B_household", "庚同伴")
    assert set(open_contacts(session, "close")) == _ids(city, "household", "B", "丁乘客", "己受访")


def test_the_20_measures_generate_no_secondary_contacts(session, settings, city):
    activate(session, settings, "cn-20-2022-11")
    _generate_and_name(session, city)
    close = open_contacts(session, "close")
    assert set(close) == _ids(city, "household", "B", "丁乘客", "己受访")
    b = close[city.people["B"].id]
    service.decide(session, actor=EPI, data=DecisionIn(action=Action.CONFIRM, ids=[b.id]))
    assert open_contacts(session, "secondary") == {}
    service.generate(session, actor=EPI, case_id=city.case.id)
    assert open_contacts(session, "secondary") == {}
