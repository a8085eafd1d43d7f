"""Households and their people as rows, with the flags (elderly alone, disabled, ...)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass

from fangkong.people import idcard
from fangkong.people.validation import is_under_three
from fangkong.simulate.generate.constants import (
    ACTIVE,
    ADULT,
    BATCH_PEOPLE,
    CHRONIC,
    DISABLED,
    ELDERLY,
    FROM_ABROAD,
    KEY_GROUP,
    PREGNANT,
    RESIDENT_ID,
)
from fangkong.simulate.generate.messages import Batch, CitySpec
from fangkong.simulate.generate.people import Member, Residents
from fangkong.simulate.generate.plan import GridPlan, household_address


@dataclass(frozen=True)
class _Home:
    household_id: int
    grid_code: str
    address: str
    registration: str
    migrant: bool
    alone: bool


class Builder:
    """Turns households into rows; hands out a ``Batch`` every ``BATCH_PEOPLE`` people."""

    def __init__(self, residents: Residents, spec: CitySpec) -> None:
        self.residents = residents
        self.next_person = spec.first_person
        self.next_household = spec.first_household
        self.next_membership = spec.first_membership
        self.households = self.people = self.memberships = 0
        self.batch = Batch()

    def add_grid(self, grid: GridPlan, district: str) -> Iterator[Batch]:
        left = grid.people
        for index in itertools.count():
            if left <= 0:
                return
            size = min(left, self.residents.household_size())
            self._add_household(grid, index, size, district)
            left -= size
            if len(self.batch.people) >= BATCH_PEOPLE:
                yield self.take()

    def take(self) -> Batch:
        batch, self.batch = self.batch, Batch()
        return batch

    def _add_household(self, grid: GridPlan, index: int, size: int, district: str) -> None:
        now = self.residents.now
        registration, migrant = self.residents.registration(district)
        address = household_address(grid, index)
        home = _Home(self.next_household, grid.code, address, registration, migrant, size == 1)
        self.batch.households.append(
            (home.household_id, grid.code, f"{index + 1:04d}", address, None, now, now)
        )
        self.batch.heads.append((home.household_id, self.next_person))
        for member in self.residents.members(size):
            self._add_person(member, home)
        self.next_household += 1
        self.households += 1

    def _add_person(self, member: Member, home: _Home) -> None:
        residents, rng = self.residents, self.residents.rng
        person_id, age = self.next_person, member.age
        birth = residents.birth_date(age)
        number = residents.id_number(home.registration, birth, member.sex, home.migrant)
        name = residents.name(member.sex, member.surname)
        phone = residents.phone(age)
        sealed_id = residents.protector.seal_id(RESIDENT_ID, number)
        sealed_phone = residents.protector.seal_phone(phone) if phone else (None, None, None)
        self.batch.people.append(
            (
                person_id, name, RESIDENT_ID, *sealed_id, *sealed_phone, member.sex, birth,
                number[:6], home.address, home.grid_code, home.household_id,
                home.alone and age >= ELDERLY,
                rng.random() < DISABLED,
                member.sex == idcard.FEMALE and 20 <= age <= 40 and rng.random() < PREGNANT,
                age >= ELDERLY and rng.random() < CHRONIC,
                is_under_three(birth, residents.today),
                home.migrant,
                rng.random() < FROM_ABROAD,
                residents.protector.match_key(name, birth, phone),
                ACTIVE, residents.now, residents.now,
            )
        )  # fmt: skip
        if ADULT <= age < ELDERLY and rng.random() < KEY_GROUP:
            self.batch.memberships.append(residents.key_group(self.next_membership, person_id))
            self.next_membership += 1
            self.memberships += 1
        self.next_person += 1
        self.people += 1
