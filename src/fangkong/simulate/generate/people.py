"""Drawing people: household sizes, ages, sexes, names, ID numbers, phones and key groups."""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from fangkong.people import idcard
from fangkong.people.protect import Protector
from fangkong.simulate import names
from fangkong.simulate.generate.constants import (
    ADULT,
    AGE_BANDS,
    COUPLE_SHARE,
    FAMILY_SURNAME,
    HOUSEHOLD_SIZES,
    KEY_GROUP_WEIGHTS,
    MIGRANT_REGISTRATIONS,
    MIGRANT_SHARE,
    Row,
)
from fangkong.simulate.generate.messages import CitySpec


def _cumulative(weights: Sequence[float]) -> list[float]:
    return list(itertools.accumulate(weights))


def _age_weights() -> list[float]:
    weights = [0.0] * (AGE_BANDS[-1][1] + 1)
    for first, last, share in AGE_BANDS:
        for age in range(first, last + 1):
            weights[age] = share / (last - first + 1)
    return weights


def member_weights() -> tuple[list[float], list[float]]:
    """Age weights of household heads (adults) and of the other members, chosen so that
    everyone together follows the pyramid: heads and spouses take their share of each adult
    age, the other members (children, grown-up children, parents) the rest."""
    everyone = _age_weights()
    adults = [w if age >= ADULT else 0.0 for age, w in enumerate(everyone)]
    total = sum(w for _, w in HOUSEHOLD_SIZES)
    mean_size = sum(s * w for s, w in HOUSEHOLD_SIZES) / total
    couples = sum(w for s, w in HOUSEHOLD_SIZES if s > 1) / total
    partners = (1 + couples * COUPLE_SHARE) / mean_size  # heads and spouses per person
    scale = partners * sum(everyone) / sum(adults)
    others = [max(0.0, w - a * scale) for w, a in zip(everyone, adults, strict=True)]
    return adults, others


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


@dataclass(frozen=True)
class Member:
    age: int
    sex: idcard.Sex
    surname: str | None  # None: draw one


class Residents:
    """Draws households and people, seals their numbers and keeps ID numbers unique."""

    def __init__(self, rng: random.Random, spec: CitySpec) -> None:
        self.rng, self.today, self.now = rng, spec.today, spec.now
        self.protector = Protector(spec.data_key)
        heads, others = member_weights()
        self.head_ages, self.other_ages = _cumulative(heads), _cumulative(others)
        # the latest birth date that makes someone exactly ``age`` today, as an ordinal
        self.anchors = [_years_before(spec.today, age).toordinal() for age in range(len(heads))]
        self.surnames = [s for s, _ in names.SURNAMES]
        self.surname_weights = _cumulative([w for _, w in names.SURNAMES])
        self.sizes = [s for s, _ in HOUSEHOLD_SIZES]
        self.size_weights = _cumulative([w for _, w in HOUSEHOLD_SIZES])
        self.migrant_codes = [c for c, _ in MIGRANT_REGISTRATIONS]
        self.migrant_weights = _cumulative([w for _, w in MIGRANT_REGISTRATIONS])
        self.groups = [g.value for g, _ in KEY_GROUP_WEIGHTS]
        self.group_weights = _cumulative([w for _, w in KEY_GROUP_WEIGHTS])
        # Numbers of different districts differ in their first six digits, so a district's
        # set is dropped when the next begins; migrants' numbers are kept for the whole run.
        self.local_numbers: set[str] = set()
        self.migrant_numbers: set[str] = set()

    def new_district(self) -> None:
        self.local_numbers.clear()

    def household_size(self) -> int:
        return self.rng.choices(self.sizes, cum_weights=self.size_weights)[0]

    def registration(self, district: str) -> tuple[str, bool]:
        if self.rng.random() < MIGRANT_SHARE:
            code = self.rng.choices(self.migrant_codes, cum_weights=self.migrant_weights)[0]
            return code, True
        return district, False

    def members(self, size: int) -> list[Member]:
        """The head first, then perhaps a spouse, then others mostly of the family name."""
        rng = self.rng
        head = Member(self._age(self.head_ages), draw_sex(rng), self.surname())
        members = [head]
        father = head.surname if head.sex == idcard.MALE else None
        if size > 1 and rng.random() < COUPLE_SHARE:
            age = min(len(self.anchors) - 1, max(ADULT, head.age + rng.randint(-4, 4)))
            spouse = Member(age, _other_sex(head.sex), self.surname())
            father = father or spouse.surname
            members.append(spouse)
        family = father or head.surname
        while len(members) < size:
            surname = family if rng.random() < FAMILY_SURNAME else None
            members.append(Member(self._age(self.other_ages), draw_sex(rng), surname))
        return members

    def _age(self, cumulative: list[float]) -> int:
        return bisect.bisect(cumulative, self.rng.random() * cumulative[-1])

    def birth_date(self, age: int) -> date:
        return date.fromordinal(self.anchors[age] - self.rng.randrange(365))

    def id_number(self, registration: str, birth: date, sex: idcard.Sex, migrant: bool) -> str:
        seen = self.migrant_numbers if migrant else self.local_numbers
        while True:
            number = idcard.synthesize(
                self.rng, region_code=registration, birth_date=birth, sex=sex
            )
            if number not in seen:
                seen.add(number)
                return number

    def surname(self) -> str:
        return self.rng.choices(self.surnames, cum_weights=self.surname_weights)[0]

    def name(self, sex: idcard.Sex, surname: str | None) -> str:
        rng = self.rng
        family = surname or self.surname()
        pool = names.MALE_CHARS if sex == idcard.MALE else names.FEMALE_CHARS
        first = rng.choice(pool if rng.random() < 0.7 else names.NEUTRAL_CHARS)
        if rng.random() < 0.25:
            return family + first
        return family + first + rng.choice(pool)

    def phone(self, age: int) -> str | None:
        rng = self.rng
        if age < 12 or (age < ADULT and rng.random() < 0.5) or (age >= 80 and rng.random() < 0.25):
            return None
        return f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}"

    def key_group(self, membership_id: int, person_id: int) -> Row:
        rng = self.rng
        group = rng.choices(self.groups, cum_weights=self.group_weights)[0]
        employer = rng.choice(names.COMPANY_STEMS) + rng.choice(names.EMPLOYER_SUFFIXES[group])
        start = self.today - timedelta(days=rng.randrange(30, 5 * 365))
        return (membership_id, person_id, group, employer, start, None, self.now)


def draw_sex(rng: random.Random) -> idcard.Sex:
    return idcard.MALE if rng.random() < 0.5 else idcard.FEMALE


def _other_sex(sex: idcard.Sex) -> idcard.Sex:
    return idcard.FEMALE if sex == idcard.MALE else idcard.MALE
